// Structural edits written as text: new keys appended to a block map, new items next to a list
// item, items removed, all in the file's own style (indent unit, flush or indented sequences,
// quote character). Nothing outside the inserted or removed lines changes.
import { isMap, isScalar, stringify, type Node, type YAMLMap } from 'yaml';
import { detectStyle } from '../shapes';
import { columnOf, eol, lineEndAfter, lineStart, type Edit } from '../textEdits';

/** A value to write as YAML. Object keys keep their insertion order. */
export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

export interface Writer {
  unit: string;
  flush: boolean;
  quote: '"' | "'";
  nl: string;
}

export function writerFor(fileText: string, documentText = fileText): Writer {
  const style = detectStyle(documentText);
  const doubles = (fileText.match(/:\s+"/g) ?? []).length;
  const singles = (fileText.match(/:\s+'/g) ?? []).length;
  return { unit: style.indent, flush: style.flushSequences, quote: singles > doubles ? "'" : '"', nl: eol(fileText) };
}

/**
 * A scalar, plain when YAML reads it back as the same string, quoted in the file's way
 * otherwise. Checked as YAML 1.1 too, which Kubernetes tools speak: `yes` and `on` are booleans there.
 */
export function scalar(value: string | number | boolean, w: Writer): string {
  if (typeof value !== 'string') return String(value);
  const plain = stringify(value, { lineWidth: 0, version: '1.1' }).trimEnd();
  if (plain === value) return value;
  return w.quote === '"' ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;
}

function isObject(value: YamlValue): value is { [key: string]: YamlValue } {
  return typeof value === 'object' && !Array.isArray(value);
}

/** The lines of a map's entries with keys at `column`. */
export function mapLines(obj: { [key: string]: YamlValue }, column: number, w: Writer): string[] {
  const pad = ' '.repeat(column);
  return Object.entries(obj).flatMap(([key, value]) => {
    const head = `${pad}${scalar(key, w)}:`;
    if (Array.isArray(value)) {
      if (value.length === 0) return [`${head} []`];
      const dash = w.flush ? column : column + w.unit.length;
      return [head, ...value.flatMap((item) => itemLines(item, dash, w))];
    }
    if (isObject(value)) return Object.keys(value).length === 0 ? [`${head} {}`] : [head, ...mapLines(value, column + w.unit.length, w)];
    return [`${head} ${scalar(value, w)}`];
  });
}

/** The lines of one list item whose dash is at `dashColumn`. */
export function itemLines(item: YamlValue, dashColumn: number, w: Writer): string[] {
  const pad = ' '.repeat(dashColumn);
  if (isObject(item) && Object.keys(item).length > 0) {
    const lines = mapLines(item, dashColumn + 2, w);
    return [`${pad}- ${lines[0].trimStart()}`, ...lines.slice(1)];
  }
  if (Array.isArray(item)) return [`${pad}- [${item.map((i) => scalar(i as string, w)).join(', ')}]`];
  return [`${pad}- ${isObject(item) ? '{}' : scalar(item, w)}`];
}

export interface DocumentPlace {
  uri: string;
  /** The whole file's text. */
  text: string;
  /** Offset of the YAML document in the file: node ranges are relative to it. */
  base: number;
  w: Writer;
}

function nodeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

function nodeEnd(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[1];
}

/** A block map (not `{...}`) with at least one key: the only kind we append to. */
export function isBlockMap(node: unknown): node is YAMLMap {
  return isMap(node) && !node.flow && node.items.length > 0 && nodeStart(node.items[0].key) !== undefined;
}

/**
 * Appends keys to a block map, after its last entry or after the entry `afterKey` when given
 * and present. Undefined when the map is written in flow style.
 */
export function addToMap(place: DocumentPlace, map: unknown, obj: { [key: string]: YamlValue }, afterKey?: string): Edit | undefined {
  if (!isBlockMap(map)) return undefined;
  const column = columnOf(place.text, place.base + nodeStart(map.items[0].key)!);
  const after = (afterKey && map.items.find((p) => isScalar(p.key) && p.key.value === afterKey)) || map.items[map.items.length - 1];
  const end = nodeEnd(after.value) ?? nodeEnd(after.key);
  if (end === undefined) return undefined;
  return insertLinesAt(place, lineEndAfter(place.text, place.base + end), mapLines(obj, column, place.w));
}

/** The column of a list item's dash, when the item is written `- ` on its own line. */
export function dashColumn(place: DocumentPlace, item: unknown): number | undefined {
  const start = nodeStart(item);
  if (start === undefined) return undefined;
  const at = place.base + start;
  const prefix = place.text.slice(lineStart(place.text, at), at);
  return /^\s*-\s+$/.test(prefix) ? prefix.indexOf('-') : undefined;
}

/** New items just before a list item, above the comment lines that belong to it. */
export function insertItemsBefore(place: DocumentPlace, item: unknown, items: YamlValue[]): Edit | undefined {
  const column = dashColumn(place, item);
  if (column === undefined) return undefined;
  let at = lineStart(place.text, place.base + nodeStart(item)!);
  while (at > 0) {
    const previous = lineStart(place.text, at - 1);
    if (!/^\s*#/.test(place.text.slice(previous, at))) break;
    at = previous;
  }
  return insertLinesAt(place, at, items.flatMap((i) => itemLines(i, column, place.w)));
}

/** New items just after a list item, at its dash column. */
export function insertItemsAfter(place: DocumentPlace, item: unknown, items: YamlValue[]): Edit | undefined {
  const column = dashColumn(place, item);
  const end = nodeEnd(item);
  if (column === undefined || end === undefined) return undefined;
  return insertLinesAt(place, lineEndAfter(place.text, place.base + end), items.flatMap((i) => itemLines(i, column, place.w)));
}

/** Removes a list item's lines; comment lines inside it stay, at the item's column. */
export function removeItem(place: DocumentPlace, item: unknown): Edit | undefined {
  const column = dashColumn(place, item);
  const end = nodeEnd(item);
  if (column === undefined || end === undefined) return undefined;
  const start = lineStart(place.text, place.base + nodeStart(item)!);
  const stop = lineEndAfter(place.text, place.base + end);
  const comments = place.text
    .slice(start, stop)
    .split(/\r?\n/)
    .flatMap((line) => {
      const hash = commentStart(line);
      return hash === -1 ? [] : [' '.repeat(column) + line.slice(hash)];
    });
  return { uri: place.uri, start, end: stop, newText: comments.map((c) => c + place.w.nl).join('') };
}

/** Where a line's comment starts (-1: none). Good enough for the plain and quoted scalars we meet. */
function commentStart(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      if (i === 0 || /\s|[:\-[{,]/.test(line[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return i;
    }
  }
  return -1;
}

export function insertLinesAt(place: DocumentPlace, at: number, lines: string[]): Edit {
  const lead = at > 0 && place.text[at - 1] !== '\n' ? place.w.nl : '';
  return { uri: place.uri, start: at, end: at, newText: lead + lines.map((l) => l + place.w.nl).join('') };
}

/** A new YAML document appended to the end of a file. */
export function appendDocuments(uri: string, text: string, w: Writer, documents: { [key: string]: YamlValue }[]): Edit {
  const lead = text.length > 0 && !text.endsWith('\n') ? w.nl : '';
  const body = documents.map((d) => ['---', ...mapLines(d, 0, w)].map((l) => l + w.nl).join('')).join('');
  return { uri, start: text.length, end: text.length, newText: lead + body };
}

/**
 * Joins edits of one file that touch (an insert where another edit starts or ends), so the
 * editor gets non-overlapping ranges; edits at the same offset keep their given order.
 */
export function mergeEdits(edits: Edit[]): Edit[] {
  const byUri = new Map<string, Edit[]>();
  for (const e of edits) byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), e]);
  return [...byUri.values()].flatMap((list) => {
    const sorted = list.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
    const out: Edit[] = [];
    for (const { e } of sorted) {
      const last = out[out.length - 1];
      if (last && last.end === e.start && (e.start === e.end || last.start === last.end)) out[out.length - 1] = { uri: e.uri, start: last.start, end: e.end, newText: last.newText + e.newText };
      else if (last && e.start < last.end) throw new Error('overlapping edits');
      else out.push({ ...e });
    }
    return out;
  });
}
