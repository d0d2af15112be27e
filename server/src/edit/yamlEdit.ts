// Structural edits written as text: keys set in a map (an existing key's value replaced, never a
// second key appended), new items next to a list item, items removed, all in the file's own style
// (indent unit, flush or indented sequences, flow or block maps, quote character). Nothing outside
// the inserted or removed text changes.
import { isAlias, isMap, isNode, isScalar, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ResourceDocument } from '../model/resource';
import { detectStyle } from '../schema/shapes';
import { columnOf, deleteListItem, eol, lineEndAfter, lineStart, quoteStyle, replaceScalar, writeScalar, type Edit, type ScalarValue } from './textEdits';

/** A map or list written on one line (`{version: v2}`), as the file around it does. */
export class Flow {
  constructor(readonly value: { [key: string]: YamlValue } | YamlValue[]) {}
}

/** A value to write as YAML. Object keys keep their insertion order. */
export type YamlValue = ScalarValue | Flow | YamlValue[] | { [key: string]: YamlValue };

export interface Writer {
  unit: string;
  flush: boolean;
  quote: '"' | "'";
  nl: string;
}

export function writerFor(fileText: string, documentText = fileText): Writer {
  const style = detectStyle(documentText);
  return { unit: style.indent, flush: style.flushSequences, quote: quoteStyle(fileText), nl: eol(fileText) };
}

/** A scalar, plain when YAML (1.1 or 1.2) reads it back as the same value, quoted in the file's way otherwise. */
export function scalar(value: ScalarValue, w: Writer, inFlow = false): string {
  return writeScalar(value, w.quote, inFlow);
}

function isObject(value: YamlValue): value is { [key: string]: YamlValue } {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Flow);
}

function isScalarValue(value: YamlValue): value is ScalarValue {
  return typeof value !== 'object';
}

/** A value on one line: `{k: v, k2: [a, b]}`. */
export function flowText(value: YamlValue, w: Writer, inFlow = false): string {
  const inner = value instanceof Flow ? value.value : value;
  if (Array.isArray(inner)) return `[${inner.map((i) => flowText(i, w, true)).join(', ')}]`;
  if (isObject(inner))
    return `{${Object.entries(inner)
      .map(([k, v]) => `${scalar(k, w, true)}: ${flowText(v, w, true)}`)
      .join(', ')}}`;
  return scalar(inner, w, inFlow);
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
    return [`${head} ${flowText(value, w)}`];
  });
}

/** The lines of one list item whose dash is at `dashColumn`. */
export function itemLines(item: YamlValue, dashColumn: number, w: Writer): string[] {
  const pad = ' '.repeat(dashColumn);
  if (isObject(item) && Object.keys(item).length > 0) {
    const lines = mapLines(item, dashColumn + 2, w);
    return [`${pad}- ${lines[0].trimStart()}`, ...lines.slice(1)];
  }
  return [`${pad}- ${flowText(item, w)}`];
}

export interface DocumentPlace {
  uri: string;
  /** The whole file's text. */
  text: string;
  /** The YAML document of the file the nodes belong to: it turns their ranges into file offsets. */
  resource: ResourceDocument;
  w: Writer;
}

function nodeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** The file offset where a node of the place's document starts. */
function startIn(place: DocumentPlace, node: unknown): number | undefined {
  return place.resource.startOf(node as Node | null | undefined);
}

/** The file offset where a node's value ends. */
function endIn(place: DocumentPlace, node: unknown): number | undefined {
  return place.resource.endOf(node as Node | null | undefined);
}

/** A block map (not `{...}`) with at least one key: the only kind we append to. */
export function isBlockMap(node: unknown): node is YAMLMap {
  if (!isMap(node) || node.flow || node.items.length === 0 || nodeStart(node.items[0].key) === undefined) return false;
  // `- &a route:` or `!tag` before the first key: the map's column is not its first key's, so
  // keys written at that column would break it. Such maps are refused, like flow ones.
  const first = node.items[0].key as { anchor?: string; tag?: string } | null;
  return !node.anchor && !node.tag && !first?.anchor && !first?.tag;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

/**
 * Appends keys to a block map, after its last entry or after the entry `afterKey` when given
 * and present. Undefined when the map is written in flow style or already has one of the keys
 * (appending would write a second one: `setKey` replaces).
 */
export function addToMap(place: DocumentPlace, map: unknown, obj: { [key: string]: YamlValue }, afterKey?: string): Edit | undefined {
  if (!isBlockMap(map) || Object.keys(obj).some((k) => pairOf(map, k))) return undefined;
  const first = startIn(place, map.items[0].key);
  if (first === undefined) return undefined;
  const column = columnOf(place.text, first);
  const after = (afterKey && map.items.find((p) => isScalar(p.key) && p.key.value === afterKey)) || map.items[map.items.length - 1];
  const end = endIn(place, after.value) ?? endIn(place, after.key);
  if (end === undefined) return undefined;
  return insertLinesAt(place, lineEndAfter(place.text, end), mapLines(obj, column, place.w));
}

/** The column of a list item's dash, when the item is written `- ` on its own line. */
export function dashColumn(place: DocumentPlace, item: unknown): number | undefined {
  const at = startIn(place, item);
  if (at === undefined) return undefined;
  const prefix = place.text.slice(lineStart(place.text, at), at);
  return /^\s*-\s+$/.test(prefix) ? prefix.indexOf('-') : undefined;
}

/** New items just before a list item, above the comment lines that belong to it. */
export function insertItemsBefore(place: DocumentPlace, item: unknown, items: YamlValue[]): Edit | undefined {
  const column = dashColumn(place, item);
  const start = startIn(place, item);
  if (column === undefined || start === undefined) return undefined;
  let at = lineStart(place.text, start);
  while (at > 0) {
    const previous = lineStart(place.text, at - 1);
    if (!/^\s*#/.test(place.text.slice(previous, at))) break;
    at = previous;
  }
  return insertLinesAt(
    place,
    at,
    items.flatMap((i) => itemLines(i, column, place.w)),
  );
}

/** New items just after a list item, at its dash column. */
export function insertItemsAfter(place: DocumentPlace, item: unknown, items: YamlValue[]): Edit | undefined {
  const column = dashColumn(place, item);
  const end = endIn(place, item);
  if (column === undefined || end === undefined) return undefined;
  return insertLinesAt(
    place,
    lineEndAfter(place.text, end),
    items.flatMap((i) => itemLines(i, column, place.w)),
  );
}

/**
 * Removes a list item's lines; the comments inside it stay, at the item's dash column. Undefined
 * (refused) when the item defines an anchor that an alias elsewhere in the document uses: the
 * alias would be left pointing at nothing.
 */
export function removeItem(place: DocumentPlace, item: unknown): Edit | undefined {
  const start = startIn(place, item);
  const end = endIn(place, item);
  if (start === undefined || end === undefined || anchorUsedElsewhere(place, item as Node, start, end)) return undefined;
  return deleteListItem(place.uri, place.text, start, end, place.w.nl);
}

function anchorUsedElsewhere(place: DocumentPlace, item: Node, start: number, end: number): boolean {
  const anchors = new Set<string>();
  visit(item, (_key, node) => {
    if (isNode(node) && node.anchor) anchors.add(node.anchor);
  });
  if (anchors.size === 0) return false;
  let used = false;
  visit(place.resource.doc, (_key, node) => {
    const at = isAlias(node) && anchors.has(node.source) ? place.resource.startOf(node) : undefined;
    if (at !== undefined && (at < start || at >= end)) used = true;
    return used ? visit.BREAK : undefined;
  });
  return used;
}

/**
 * Sets `key` in a map to `value`: an existing scalar value (or a key with no value yet) is
 * replaced, an absent key is added in the map's style (block or flow). Undefined when the
 * existing value is a collection or alias, or the map a form we do not rewrite.
 */
export function setKey(place: DocumentPlace, map: unknown, key: string, value: YamlValue): Edit | undefined {
  if (!isMap(map)) return undefined;
  const pair = pairOf(map, key);
  if (!pair) return map.flow ? addToFlowMap(place, map, key, value) : addToMap(place, map, { [key]: value });
  const node = pair.value;
  const empty = emptyValueAt(place, pair);
  if (empty !== undefined) {
    if (isScalarValue(value)) return replaceScalar(place.uri, place.text, empty, empty, value);
    return map.flow ? { uri: place.uri, start: empty, end: empty, newText: `${place.text[empty - 1] === ':' ? ' ' : ''}${flowText(value, place.w, true)}` } : fillWithBlock(place, pair, value);
  }
  const range = isScalar(node) ? place.resource.rangeOf(node) : undefined;
  if (!range || !isScalarValue(value)) return undefined;
  return replaceScalar(place.uri, place.text, range[0], range[1], value);
}

/**
 * Where the value of a key written without one (`weight:`, `{subset: }`) goes: after the colon
 * and the spaces that follow it. Undefined when the key has a value. Parsers disagree on such a
 * value (no node, or an empty null scalar), so it is found from the key.
 */
function emptyValueAt(place: DocumentPlace, pair: Pair): number | undefined {
  const node = pair.value;
  if (node !== null && !(isScalar(node) && node.value === null && node.range && node.range[0] === node.range[1])) return undefined;
  const keyEnd = endIn(place, pair.key);
  if (keyEnd === undefined) return undefined;
  const colon = place.text.indexOf(':', keyEnd);
  // Only blanks between the key and its colon: `? key` forms have none on their line.
  if (colon === -1 || !/^[ \t]*$/.test(place.text.slice(keyEnd, colon))) return undefined;
  let at = colon + 1;
  while (place.text[at] === ' ' || place.text[at] === '\t') at++;
  return at;
}

/** Writes a collection under a block key that has no value yet (`mtls:`), after any comment on its line. */
function fillWithBlock(place: DocumentPlace, pair: Pair, value: YamlValue): Edit | undefined {
  const keyStart = startIn(place, pair.key);
  if (keyStart === undefined) return undefined;
  const column = columnOf(place.text, keyStart);
  let at = lineEndAfter(place.text, keyStart);
  while (at > 0 && (place.text[at - 1] === '\n' || place.text[at - 1] === '\r')) at--;
  const lines = mapLines({ x: value }, column, place.w).slice(1);
  if (lines.length === 0) return undefined;
  return { uri: place.uri, start: at, end: at, newText: lines.map((l) => place.w.nl + l).join('') };
}

/** Adds `key: value` to a flow map, after its last entry (or inside `{}`). */
function addToFlowMap(place: DocumentPlace, map: YAMLMap, key: string, value: YamlValue): Edit | undefined {
  const close = endIn(place, map);
  if (close === undefined || place.text[close - 1] !== '}') return undefined;
  const entry = `${scalar(key, place.w, true)}: ${flowText(value, place.w, true)}`;
  const last = map.items[map.items.length - 1];
  if (!last) return { uri: place.uri, start: close - 1, end: close - 1, newText: entry };
  const end = endIn(place, last.value) ?? endIn(place, last.key);
  return end === undefined ? undefined : { uri: place.uri, start: end, end, newText: `, ${entry}` };
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
