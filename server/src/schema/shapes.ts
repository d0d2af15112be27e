// The text a key completion inserts: the key and the shape of its value, following the file's
// indentation (2 or 4 spaces) and sequence style (flush `- ` under the key, or indented).
import type { SchemaNode } from './compile';
import type { PathSegment } from './yamlPath';

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

/** Where a key snippet's first tab stop lands: its path below the key's parent, and its schema. */
export interface FirstStop {
  path: PathSegment[];
  schema: SchemaNode | undefined;
  /** The stop offers its values itself (a snippet choice of an enum or a boolean). */
  choice: boolean;
}

export interface KeySnippet {
  text: string;
  firstStop: FirstStop | undefined;
}

interface Shaping {
  style: YamlStyle;
  next: number;
  firstStop: FirstStop | undefined;
}

/** `name: value`, `name:\n  child: ...`, `name:\n- item` as a snippet, relative to the key's column. */
export function keySnippet(name: string, schema: SchemaNode, style: YamlStyle): KeySnippet {
  const shaping: Shaping = { style, next: 1, firstStop: undefined };
  const text = escapeSnippet(name) + valueShape(schema, shaping, '', [name], 0);
  return { text, firstStop: shaping.firstStop };
}

function valueShape(schema: SchemaNode, shaping: Shaping, indent: string, path: PathSegment[], depth: number): string {
  const types = schema.types ?? new Set<string>();
  if (types.has('array')) {
    const dashIndent = shaping.style.flushSequences ? indent : indent + shaping.style.indent;
    const item = schema.items;
    if (item && isObject(item) && depth < 4) return `:\n${dashIndent}- ${objectBody(item, shaping, dashIndent + '  ', [...path, 0], depth + 1)}`;
    return `:\n${dashIndent}- ${placeholder(item, shaping, [...path, 0])}`;
  }
  if (isObject(schema)) {
    const childIndent = indent + shaping.style.indent;
    return `:\n${childIndent}${objectBody(schema, shaping, childIndent, path, depth + 1)}`;
  }
  return `: ${placeholder(schema, shaping, path)}`;
}

function isObject(schema: SchemaNode): boolean {
  return !!schema.types?.has('object') || !!schema.properties;
}

/** Required keys of an object, first on the current line, the rest at `indent`. */
function objectBody(schema: SchemaNode, shaping: Shaping, indent: string, path: PathSegment[], depth: number): string {
  const properties = depth < 4 ? schema.properties : undefined;
  const required = schema.required.flatMap((key) => {
    const child = properties?.get(key);
    return child ? [{ key, child }] : [];
  });
  if (required.length === 0) return stop(shaping, { path, schema: undefined, choice: false });
  return required.map(({ key, child }, i) => `${i === 0 ? '' : `\n${indent}`}${escapeSnippet(key)}${valueShape(child, shaping, indent, [...path, key], depth)}`).join('');
}

function stop(shaping: Shaping, at: FirstStop): string {
  const n = shaping.next++;
  if (n === 1) shaping.firstStop = at;
  return `$${n}`;
}

function placeholder(schema: SchemaNode | undefined, shaping: Shaping, path: PathSegment[]): string {
  const values = schema?.schema.enum?.map(String) ?? (schema?.types?.has('boolean') ? ['true', 'false'] : undefined);
  const tabStop = stop(shaping, { path, schema, choice: !!values && values.length > 0 });
  if (!values || values.length === 0) return tabStop;
  return `\${${tabStop.slice(1)}|${values.map((v) => v.replace(/[,|\\$}]/g, (c) => `\\${c}`)).join(',')}|}`;
}
