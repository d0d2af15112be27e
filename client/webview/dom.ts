// The preview's markup as plain data: render functions return trees of these, and the webview's
// `materialize` turns one into DOM nodes with createElementNS, setAttribute and text nodes. Text from the
// document is only ever a text node or an attribute value, never parsed as markup, so a hostile
// name stays a name. Tests read the trees without a DOM.

export const SVG_NS = 'http://www.w3.org/2000/svg';
export const HTML_NS = 'http://www.w3.org/1999/xhtml';

export interface El {
  tag: string;
  ns: typeof SVG_NS | typeof HTML_NS;
  attrs: Record<string, string>;
  children: Child[];
}
export type Child = El | string;

type Attrs = Record<string, string | number | boolean | undefined>;

function build(ns: El['ns'], tag: string, attrs: Attrs, children: (Child | undefined | false)[]): El {
  const written: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined && value !== false) written[name] = value === true ? '' : String(value);
  return { tag, ns, attrs: written, children: children.filter((c): c is Child => c !== undefined && c !== false) };
}

/** An SVG element. */
export const s = (tag: string, attrs: Attrs = {}, ...children: (Child | undefined | false)[]): El => build(SVG_NS, tag, attrs, children);
/** An HTML element. */
export const h = (tag: string, attrs: Attrs = {}, ...children: (Child | undefined | false)[]): El => build(HTML_NS, tag, attrs, children);

/** Event handler attributes and URLs are never written: interaction goes through data-* and one script. */
export function safeAttribute(name: string): boolean {
  return !/^on/i.test(name) && !/^(href|src|xlink:href|style|srcdoc|formaction|action)$/i.test(name);
}

/** Every text of a tree, in document order (tests, and the accessible names). */
export function textOf(node: Child): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('');
}

/** Every element of a tree (itself first) that `test` accepts. */
export function findAll(node: Child, test: (e: El) => boolean): El[] {
  if (typeof node === 'string') return [];
  return [...(test(node) ? [node] : []), ...node.children.flatMap((c) => findAll(c, test))];
}

/** Whether the element's `class` attribute holds the class. */
export function hasClass(e: El, name: string): boolean {
  return (e.attrs.class ?? '').split(/\s+/).includes(name);
}
