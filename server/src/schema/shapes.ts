// The text a key completion inserts: the key and the shape of its value, following the file's
// indentation (2 or 4 spaces) and sequence style (flush `- ` under the key, or indented).
import type { SchemaNode } from './compile';

export interface YamlStyle {
  indent: string;
  /** Sequences written at the key's own indentation (`http:\n- route:`). */
  flushSequences: boolean;
}

export function detectStyle(text: string): YamlStyle {
  const lines = text.split('\n');
  const steps = new Map<number, number>();
  let flush = 0;
  let indented = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i];
    if (!/:\s*$/.test(line) || /^\s*#/.test(line)) continue;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !/^\s*#/.test(l));
    if (!next) continue;
    const own = line.search(/\S/) + (/^\s*- /.test(line) ? line.indexOf('- ') + 2 - line.search(/\S/) : 0);
    const child = next.search(/\S/);
    if (/^\s*- /.test(next)) {
      if (child === own) flush++;
      else if (child > own) indented++;
    } else if (child > own) {
      steps.set(child - own, (steps.get(child - own) ?? 0) + 1);
    }
  }
  const step = [...steps].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 2;
  return { indent: ' '.repeat(step === 4 ? 4 : 2), flushSequences: flush >= indented };
}

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/** `name: value`, `name:\n  child: ...`, `name:\n- item` as a snippet, relative to the key's column. */
export function keySnippet(name: string, schema: SchemaNode, style: YamlStyle): string {
  const counter = { next: 1 };
  return escapeSnippet(name) + valueShape(schema, style, '', counter, 0);
}

function valueShape(schema: SchemaNode, style: YamlStyle, indent: string, counter: { next: number }, depth: number): string {
  const types = schema.types ?? new Set<string>();
  if (types.has('array')) {
    const dashIndent = style.flushSequences ? indent : indent + style.indent;
    const item = schema.items;
    if (item && isObject(item) && depth < 4) return `:\n${dashIndent}- ${objectBody(item, style, dashIndent + '  ', counter, depth + 1)}`;
    return `:\n${dashIndent}- ${placeholder(item, counter)}`;
  }
  if (isObject(schema)) {
    const childIndent = indent + style.indent;
    return `:\n${childIndent}${objectBody(schema, style, childIndent, counter, depth + 1)}`;
  }
  return `: ${placeholder(schema, counter)}`;
}

function isObject(schema: SchemaNode): boolean {
  return !!schema.types?.has('object') || !!schema.properties;
}

/** Required keys of an object, first on the current line, the rest at `indent`. */
function objectBody(schema: SchemaNode, style: YamlStyle, indent: string, counter: { next: number }, depth: number): string {
  const properties = depth < 4 ? schema.properties : undefined;
  const required = schema.required.flatMap((key) => {
    const child = properties?.get(key);
    return child ? [{ key, child }] : [];
  });
  if (required.length === 0) return `$${counter.next++}`;
  return required.map(({ key, child }, i) => `${i === 0 ? '' : `\n${indent}`}${escapeSnippet(key)}${valueShape(child, style, indent, counter, depth)}`).join('');
}

function placeholder(schema: SchemaNode | undefined, counter: { next: number }): string {
  const n = counter.next++;
  const values = schema?.schema.enum?.map(String) ?? (schema?.types?.has('boolean') ? ['true', 'false'] : undefined);
  if (values && values.length > 0) return `\${${n}|${values.map((v) => v.replace(/[,|\\$}]/g, (c) => `\\${c}`)).join(',')}|}`;
  return `$${n}`;
}
