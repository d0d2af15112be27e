// The fast parser must agree with the `yaml` package wherever it does not give up: same values,
// same ranges. Checked on Istio's samples, our samples and fixtures, and hand-picked cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../server/src/model/fastYaml';
import { splitDocuments } from '../../server/src/model/split';
import { repoRoot, sharedDir, yamlFiles } from '../support';

/** Scalars' [start, valueEnd] and collections' start, in document order. */
function ranges(node: Node | null | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (isScalar(node)) out.push(`s${node.range![0]}-${node.range![1]}`);
  else if (isMap(node)) {
    out.push(`m${node.range![0]}`);
    for (const pair of node.items) {
      ranges(pair.key as Node, out);
      ranges(pair.value as Node, out);
    }
  } else if (isSeq(node)) {
    out.push(`q${node.range![0]}`);
    for (const item of node.items) ranges(item as Node, out);
  }
  return out;
}

function compare(text: string): 'fast' | 'bail' {
  const fast = fastParse(text);
  if (!fast) return 'bail';
  const full = parseDocument(text);
  expect(full.errors).toEqual([]);
  expect(fast.toJS()).toEqual(full.toJS());
  expect(ranges(fast.contents as Node)).toEqual(ranges(full.contents as Node));
  return 'fast';
}

describe('fastParse agrees with yaml', () => {
  const corpus = [...yamlFiles(join(sharedDir, 'istio-samples')), ...yamlFiles(join(repoRoot, 'samples')), ...yamlFiles(join(repoRoot, 'test', 'fixtures'))];

  it(`on every document of ${corpus.length} real files`, () => {
    let fast = 0;
    let total = 0;
    for (const file of corpus) {
      for (const segment of splitDocuments(readFileSync(file, 'utf8'))) {
        if (parseDocument(segment.text).errors.length > 0) continue;
        total++;
        if (compare(segment.text) === 'fast') fast++;
      }
    }
    // Most real manifests are in the fast parser's subset.
    expect(fast / total).toBeGreaterThan(0.8);
  });

  it.each([
    ['scalars of every core type', 'a: 1\nb: -2.5\nc: true\nd: ~\ne: null\nf: "x\\ty"\ng: \'it\'\'s\'\nh: 0x1F\ni: 1e3\nj: .inf\nk: 1.0\nl: "80"\nm: v1.2\n'],
    ['flush and indented sequences', 'a:\n- x\n- y: 1\n  z: 2\nb:\n  - 1\n  -\n    c: d\n'],
    ['flow collections', 'a: [1, "b", c]\nd: {e: f, g: [h]}\ni: []\nj: {}\n'],
    ['comments everywhere', '# top\na: 1 # one\n# between\nb:\n  # inside\n  - x # item\n'],
    ['literal block scalars', 'a: |\n  line 1\n\n  line 2\nb: |-\n  x\nc: |+\n  y\n\nd: 1\n'],
    ['folded block scalars', 'a: >\n  one\n  two\n\n  three\nb: >-\n  x\n  y\n'],
    ['a document start marker', '--- # c\na: 1\n'],
    ['quoted keys and empty values', '"a b": 1\n\'c\': \nd:\ne: x\n'],
    ['CRLF line ends', 'a: 1\r\nb:\r\n- c\r\n'],
    ['tabs as separation inside lines', 'a:\tb\nc: d\t# c\ne: [f,\tg]\nh: i\t\n'],
    ['a document that is one flow mapping', '{a: 1, "b": [c, {d: e}]}\n'],
    ['a document that is one flow sequence', '[a, {b: c}] # c\n'],
  ])('%s', (_, text) => {
    expect(compare(text)).toBe('fast');
  });

  it.each([
    ['anchors', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['merge keys', 'a: {b: 1}\nc:\n  <<: {b: 2}\n'],
    ['multi-line plain scalars', 'a: one\n  two\n'],
    ['multi-line quoted scalars', 'a: "one\n  two"\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['tabs', 'a:\n\tb: 1\n'],
    ['broken indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['compact nested mappings', 'a: b: c\n'],
    ['an unclosed quote', 'a: "b\n'],
    ['multi-line flow collections', 'a: [b,\n  c]\n'],
    ['indicators alone in flow', 'a: [-]\nb: [:]\n'],
    ['a comment not preceded by a space', 'a: [b]#c\n'],
    ['a comment right after a quoted value', 'a: "b"#c\n'],
    ['a tab after a dash', 'a:\n- \tb: 1\n'],
    ['a carriage return inside a line', 'a: 1\rb: 2\n'],
    ['a document end marker', 'a: 1\n...\nb: 2\n'],
    ['a \\U escape above U+10FFFF', 'a: "\\U00110000"\n'],
  ])('gives up on %s', (_, text) => {
    expect(fastParse(text)).toBeUndefined();
  });
});
