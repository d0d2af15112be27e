// The `yaml` library's contract that the fast parser (server/src/model/fastYaml.ts, yamlNodes.ts, flowYaml.ts) relies on.
// The fast parser makes the library's own node classes without their constructors: Object.create(X.prototype) plus the
// registered-symbol type tag and the fields the composer sets. That holds only while the library identifies nodes by
// those tags and its nodes have those fields, so the version is pinned and this test fails when an upgrade changes them.
// (fastYaml.test.ts checks that both parsers agree on values and ranges over a corpus; this one checks the library side.)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Alias, Document, isAlias, isCollection, isDocument, isMap, isNode, isPair, isScalar, isSeq, Pair, parseDocument, Scalar, visit, YAMLMap, YAMLParseError, YAMLSeq, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fastParse, tryFastParse } from '../../server/src/model/fastYaml';
import { emptyDocument, newMap, newPair, newScalar, newSeq, nullScalar } from '../../server/src/model/yamlNodes';
import { repoRoot } from '../support';

const NODE_TYPE = Symbol.for('yaml.node.type');
const tagOf = (node: object) => (node as Record<symbol, unknown>)[NODE_TYPE];

describe('the yaml version is pinned', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; devDependencies?: Record<string, string> }> };
  const installed = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;

  it('exactly, in package.json and package-lock.json, to the installed version', () => {
    // An upgrade is a deliberate change: bump the pin, run this test and fastYaml.test.ts.
    expect(manifest.devDependencies.yaml).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(manifest.devDependencies.yaml);
    expect(lock.packages[''].devDependencies?.yaml).toBe(manifest.devDependencies.yaml);
    expect(lock.packages['node_modules/yaml'].version).toBe(manifest.devDependencies.yaml);
  });
});

describe('node type tags', () => {
  const cases: [string, string, () => object, (n: unknown) => boolean][] = [
    ['Scalar', 'yaml.scalar', () => new Scalar(1), isScalar],
    ['YAMLMap', 'yaml.map', () => new YAMLMap(), isMap],
    ['YAMLSeq', 'yaml.seq', () => new YAMLSeq(), isSeq],
    ['Pair', 'yaml.pair', () => new Pair(new Scalar('k')), isPair],
    ['Alias', 'yaml.alias', () => new Alias('a'), isAlias],
    ['Document', 'yaml.document', () => new Document(), isDocument],
  ];

  it.each(cases)('%s carries Symbol.for(yaml.node.type) = Symbol.for(%s) as its own property', (_name, tag, make) => {
    const node = make();
    expect(tagOf(node)).toBe(Symbol.for(tag));
    // Set by the constructor on the instance, not inherited: a node made from the prototype needs it set (as yamlNodes does).
    expect(Object.getOwnPropertyDescriptor(node, NODE_TYPE)?.value).toBe(Symbol.for(tag));
    expect(Object.getPrototypeOf(node)[NODE_TYPE]).toBeUndefined();
  });

  it.each(cases)('%s: the identity check reads the tag (%s), not the prototype', (_name, tag, make, is) => {
    const proto = Object.getPrototypeOf(make()) as object;
    const bare = Object.create(proto) as Record<symbol, unknown>;
    expect(is(bare)).toBe(false);
    bare[NODE_TYPE] = Symbol.for(tag);
    expect(is(bare)).toBe(true);
    // And the tag alone, on a plain object: the library's cross-realm identification.
    expect(is({ [NODE_TYPE]: Symbol.for(tag) })).toBe(true);
  });

  it('the nodes the parsers build carry the same tags', () => {
    const doc = parseDocument('a: [b, {c: d}]\ne: &x f\ng: *x\n');
    const seen = new Set<symbol>();
    visit(doc, (_key, node) => void seen.add(tagOf(node as object) as symbol));
    seen.add(tagOf(doc) as symbol);
    expect([...seen].map((s) => s.description).sort()).toEqual(['yaml.alias', 'yaml.document', 'yaml.map', 'yaml.pair', 'yaml.scalar', 'yaml.seq']);
  });
});

describe('the nodes yamlNodes builds are the library own', () => {
  const scalar = newScalar('v', 3, 4, Scalar.PLAIN, 'v');
  const map = newMap();
  const seq = newSeq();
  const pair = newPair(newScalar('k', 0, 1, Scalar.PLAIN, 'k'), scalar);

  it('to every identity check, as instances of the library classes', () => {
    expect([isScalar(scalar), isNode(scalar), isCollection(scalar), scalar instanceof Scalar]).toEqual([true, true, false, true]);
    expect([isMap(map), isNode(map), isCollection(map), map instanceof YAMLMap]).toEqual([true, true, true, true]);
    expect([isSeq(seq), isNode(seq), isCollection(seq), seq instanceof YAMLSeq]).toEqual([true, true, true, true]);
    expect([isPair(pair), isNode(pair), pair instanceof Pair]).toEqual([true, false, true]);
    expect(isScalar(nullScalar(5))).toBe(true);
    const empty = emptyDocument('x', []);
    expect([isDocument(empty), empty instanceof Document, empty.contents, empty.toJS()]).toEqual([true, true, null, null]);
  });

  it('with the scalar types the library names', () => {
    expect([Scalar.PLAIN, Scalar.QUOTE_DOUBLE, Scalar.QUOTE_SINGLE, Scalar.BLOCK_LITERAL, Scalar.BLOCK_FOLDED]).toEqual(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED']);
  });

  it('collections keep `schema` as a non-enumerable own field, as the library does', () => {
    for (const [ours, theirs] of [
      [map, new YAMLMap()],
      [seq, new YAMLSeq()],
    ]) {
      expect(Object.getOwnPropertyDescriptor(theirs, 'schema')?.enumerable).toBe(false);
      expect(Object.getOwnPropertyDescriptor(ours, 'schema')?.enumerable).toBe(false);
    }
  });

  it('parse errors are the library YAMLParseError with pos, code and message', () => {
    const ours = new YAMLParseError([1, 2], 'MISSING_CHAR', 'm');
    const theirs = parseDocument('a: [b\n').errors[0];
    expect(theirs).toBeInstanceOf(YAMLParseError);
    for (const error of [ours, theirs]) {
      expect(error.name).toBe('YAMLParseError');
      expect(error.pos).toHaveLength(2);
      expect(typeof error.code).toBe('string');
      expect(typeof error.message).toBe('string');
    }
  });
});

// What the fast parser leaves out on purpose (it never prints a document and keeps no comments), by field, and `source`
// (compared apart, below): anything else the library adds to its nodes shows up as a difference.
const NOT_BUILT = new Set(['comment', 'commentBefore', 'spaceBefore', 'format', 'source']);
/** An empty value (`key:`): fastYaml's null scalar has no type (nor source), the library's is PLAIN with source ''. */
const isEmptyValue = (n: Scalar) => n.value === null && n.range![0] === n.range![1];

/**
 * Every node of a document with its class, tag, own fields and what fastYaml sets and its callers read: values, types,
 * scalars' [start, valueEnd], collections' start and flow, plain scalars' source. Left out, as fastYaml differs there
 * today: the ends past the value (ranges' third number, collections' end), the document's range (fastYaml: from 0, the
 * library: after leading comments; nothing reads it), and the source of quoted, block and empty scalars (see below).
 */
function shape(node: unknown, out: unknown[] = []): unknown[] {
  if (node === null || typeof node !== 'object') return out;
  const fields = Reflect.ownKeys(node)
    .map((k) => String(k))
    .filter((k) => !NOT_BUILT.has(k) && !(k === 'type' && isScalar(node) && isEmptyValue(node)))
    .sort();
  const n = node as Node & Scalar & YAMLMap & Pair & Record<string, unknown>;
  out.push({
    class: Object.getPrototypeOf(node).constructor.name,
    tag: tagOf(node),
    fields,
    ...(isScalar(node)
      ? { value: n.value, range: n.range!.slice(0, 2), ...(isEmptyValue(n) ? {} : { type: n.type }), ...(n.type === Scalar.PLAIN && !isEmptyValue(n) ? { source: n.source } : {}) }
      : {}),
    ...(isCollection(node) ? { start: n.range![0], flow: n.flow, items: n.items.length } : {}),
  });
  if (isCollection(node)) for (const item of n.items) shape(item, out);
  if (isPair(node)) {
    shape(n.key, out);
    shape(n.value, out);
  }
  return out;
}

function scalarsOf(node: unknown, out: Scalar[] = []): Scalar[] {
  if (isScalar(node)) out.push(node);
  else if (isCollection(node)) for (const item of node.items) scalarsOf(item, out);
  else if (isPair(node)) {
    scalarsOf(node.key, out);
    scalarsOf(node.value, out);
  }
  return out;
}

describe('fastParse builds what parseDocument builds', () => {
  const documents = {
    'block map and sequence': 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nspec:\n  hosts:\n    - reviews\n    - ratings\n',
    'scalar types': "a: 1\nb: 1.5\nc: true\nd: ~\ne:\nf: \"dq \\t x\"\ng: 'sq ''x'''\nh: 0x1F\ni: .inf\n",
    'block scalars': 'a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\n',
    'flow collections': 'a: [1, "two", {b: c}]\nd: {}\ne: []\n',
    'sequence of maps with comments': '# head\n- name: a # trailing\n  weight: 80\n- name: b\n  weight: 20\n',
  };

  it.each(Object.entries(documents))('%s: same classes, tags, fields, values, types and ranges', (_name, text) => {
    const fast = fastParse(text);
    expect(fast, 'fastParse gave up: pick a document inside its subset').toBeDefined();
    const full = parseDocument(text);
    expect(full.errors).toEqual([]);
    expect(shape(fast!.contents)).toEqual(shape(full.contents));
    expect(Reflect.ownKeys(fast!).map(String).sort()).toEqual(Reflect.ownKeys(full).map(String).sort());
  });

  it.each(Object.entries(documents))('%s: the library methods work on the fast nodes', (_name, text) => {
    const fast = fastParse(text)!;
    const full = parseDocument(text);
    expect(fast.toJS()).toEqual(full.toJS());
    expect(fast.clone().toJS()).toEqual(full.toJS());
    expect(fast.getIn(['nope'])).toBeUndefined();
    const count = (doc: Document) => {
      let nodes = 0;
      visit(doc, () => void nodes++);
      return nodes;
    };
    expect(count(fast)).toBe(count(full));
  });

  // The library's `source` of a quoted scalar is its unquoted (unescaped) text, of a block scalar its folded text, of an
  // empty value '' (with type PLAIN). schema/validate.ts describes a wrongly typed value by its source, so the message
  // would otherwise depend on which parser read the file.
  it('quoted, block and empty scalars: the same source and type', () => {
    const text = documents['scalar types'] + documents['block scalars'].replace(/^a:/m, 'j:').replace(/^b:/m, 'k:') + 'l: ["two"]\n';
    const fast = fastParse(text)!;
    const full = parseDocument(text);
    const sources = (doc: Document) => scalarsOf(doc.contents).map((s) => [s.type, s.source]);
    expect(sources(fast)).toEqual(sources(full));
  });

  it('a broken flow collection: the fast parser reports a YAMLParseError', () => {
    const { damage } = tryFastParse('a: [b\nc: d\n');
    expect(damage.length).toBeGreaterThan(0);
    expect(damage[0].error).toBeInstanceOf(YAMLParseError);
    expect(damage[0].error.code).toBe('MISSING_CHAR');
  });
});
