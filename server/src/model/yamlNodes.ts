// Building blocks of the fast YAML parser: node factories that make the `yaml` package's own
// node classes cheaply, YAML 1.2 core-schema scalar resolution, and the nesting limit that both
// parsers enforce.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node, type YAMLParseError } from 'yaml';

/** Thrown when the input leaves the fast parser's subset; the caller falls back to `yaml`. */
export class Bail extends Error {}

/**
 * How deeply collections may nest. Every consumer of the node tree (both parsers, the schema
 * validator, toJSON, completion) recurses per level: `yaml`'s composer overflows Node's default
 * stack at 700 to 900 levels (measured, from an empty stack), the rest later. Real manifests
 * nest a few dozen levels (a CRD schema about 40), so 500 leaves a wide margin either way.
 */
export const MAX_DEPTH = 500;

/** Thrown when collections nest deeper than MAX_DEPTH; `at` is where the deepest one starts. */
export class TooDeep extends Error {
  constructor(readonly at: number) {
    super(tooDeepMessage());
  }
}

export function tooDeepMessage(): string {
  return `Nesting deeper than ${MAX_DEPTH} levels; the document is not analysed. No resource nests this deep: look for repeated or unclosed brackets.`;
}

// The `yaml` node constructors define their type tag with Object.defineProperty, which makes
// building hundreds of thousands of nodes slow. The tags are registered symbols (the package's
// own cross-realm identification), so nodes are made from the same prototypes with the tag set
// directly; isMap/isScalar/toJS and every method treat them as the package's own.
const NODE_TYPE = Symbol.for('yaml.node.type');
const TAGS = { map: Symbol.for('yaml.map'), seq: Symbol.for('yaml.seq'), pair: Symbol.for('yaml.pair'), scalar: Symbol.for('yaml.scalar') };

export function newScalar(value: unknown, start: number, end: number, type: Scalar.Type, source?: string): Scalar {
  const node = Object.create(Scalar.prototype) as Scalar & Record<symbol, unknown>;
  node[NODE_TYPE] = TAGS.scalar;
  node.value = value;
  node.range = [start, end, end];
  node.type = type;
  if (source !== undefined) node.source = source;
  return node;
}

function newCollection<T extends YAMLMap | YAMLSeq>(proto: object, tag: symbol): T {
  const node = Object.create(proto) as T & Record<symbol | string, unknown>;
  node[NODE_TYPE] = tag;
  Object.defineProperty(node, 'schema', { value: undefined, writable: true, configurable: true, enumerable: false });
  node.items = [];
  return node;
}

export const newMap = () => newCollection<YAMLMap>(YAMLMap.prototype, TAGS.map);
export const newSeq = () => newCollection<YAMLSeq>(YAMLSeq.prototype, TAGS.seq);

/** A document without contents that carries `errors`: what a document too broken to build yields. */
export function emptyDocument(text: string, errors: YAMLParseError[]): Document.Parsed {
  const doc = new Document(undefined, { logLevel: 'error' }) as Document.Parsed;
  doc.contents = null;
  doc.range = [0, text.length, text.length];
  doc.errors.push(...errors);
  return doc;
}

export function newPair(key: Node, value: Node | null): Pair {
  const pair = Object.create(Pair.prototype) as Pair & Record<symbol, unknown>;
  pair[NODE_TYPE] = TAGS.pair;
  pair.key = key;
  pair.value = value;
  return pair;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
export const RESERVED_START = /^[&*!?|>%@`{[\]},#'"]/;

export function resolvePlain(text: string): unknown {
  const first = text.charCodeAt(0);
  // Most scalars are words: only digits, signs, dots, `~` and n/N/t/T/f/F can start anything else.
  const isDigitLike = (first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46;
  if (!isDigitLike && text.length > 0 && !'~nNtTfF'.includes(text[0])) return text;
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return true;
  if (FALSES.has(text)) return false;
  if (INT.test(text)) return Number(text);
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT.test(text)) return Number(text);
  if (SPECIAL_FLOAT.test(text)) return text.endsWith('nan') || text.endsWith('NaN') || text.endsWith('NAN') ? NaN : text.startsWith('-') ? -Infinity : Infinity;
  return text;
}

/** An empty value (`key:`): like `yaml`, a plain scalar whose source is ''. */
export function nullScalar(at: number): Scalar {
  return newScalar(null, at, at, Scalar.PLAIN, '');
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
};

export function unescapeDouble(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    if (e.length > 1) {
      // `\U` can name a code point above U+10FFFF, which `yaml` reports as a bad escape.
      const code = parseInt(e.slice(1), 16);
      if (code > 0x10ffff) throw new Bail();
      return String.fromCodePoint(code);
    }
    const mapped = ESCAPES[e];
    if (mapped === undefined) throw new Bail();
    return mapped;
  });
}
