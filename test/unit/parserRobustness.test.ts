// Issue 9, "never fail silently": hostile YAML must give a yaml-syntax diagnostic and a partial
// answer, never an exception, a stack overflow or seconds of work per keystroke. Each defect has
// its reproduction here; timings are measured outside the tests (machines are noisy), so the
// tests check results, with inputs large enough that the old quadratic paths hit the timeout.
import { parseDocument, type Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildFileModel } from '../../server/src/model/fileModel';
import { fastParse } from '../../server/src/model/fastYaml';
import { parseYaml } from '../../server/src/model/parse';
import { MAX_DEPTH } from '../../server/src/model/yamlNodes';
import { diagnose, newService, settings130 } from '../support';

const HEAD = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n';
const OTHER_DOC = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  trafficPolicy: {tls: {mode: BOGUS}}\n';

/** What `yaml` itself makes of the text: its JSON and its error codes. */
function reference(text: string) {
  const doc = parseDocument(text, { merge: true });
  return { json: json(doc), codes: doc.errors.map((e) => e.code) };
}

/** The document's value, or the error converting it (an alias to an anchor defined later). */
function json(doc: Document.Parsed): unknown {
  try {
    return doc.toJS();
  } catch (e) {
    return String(e);
  }
}

function syntaxMessages(text: string): string[] {
  return diagnose(text)
    .filter((p) => p.code === 'yaml-syntax')
    .map((p) => p.message);
}

const nestedSeqs = (n: number) => '['.repeat(n) + ']'.repeat(n);
const nestedMaps = (n: number) => '{a: '.repeat(n) + '}'.repeat(n);
/** `a:` mappings nested `n` deep, one column more each, the innermost holding `leaf`. */
function nestedBlock(n: number, leaf = 'x', first = 'a:'): string {
  const lines = [first];
  for (let i = 1; i < n; i++) lines.push(' '.repeat(i) + 'a:');
  lines[lines.length - 1] += ` ${leaf}`;
  return lines.join('\n') + '\n';
}

describe('double-quoted escapes (defect 3)', () => {
  it('a \\U escape above U+10FFFF is a yaml-syntax error, not a throw', () => {
    const text = HEAD.replace('name: reviews', 'name: "\\U00110000"') + '  hosts: [reviews]\n';
    const messages = syntaxMessages(text);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Invalid escape sequence \\U00110000');
  });

  it.each([
    ['above U+10FFFF', '"\\U00110000"'],
    ['far above U+10FFFF', '"\\UFFFFFFFF"'],
    ['in a flow collection', '["\\U00110000"]'],
    ['with bad hex after \\x', '"\\xZZ"'],
    ['cut short after \\x', '"\\x"'],
    ['with bad hex after \\u', '"\\uZZZZ"'],
    ['cut short after \\u', '"\\u12"'],
    ['a lone high surrogate', '"\\uD800"'],
    ['a lone low surrogate in a key', '{"\\uDC00": 1}'],
    ['an unknown letter', '"\\q"'],
    ['line and paragraph separators', '"\\L\\P"'],
    ['a surrogate pair', '"\\uD83D\\uDE00 \\U0001F600"'],
  ])('an escape %s parses as yaml parses it', (_, value) => {
    const text = `a: ${value}\nb: [${value}]\n`;
    const doc = parseYaml(text);
    const expected = reference(text);
    expect(json(doc)).toEqual(expected.json);
    expect(doc.errors.map((e) => e.code)).toEqual(expected.codes);
  });
});

describe('nesting depth (defect 4)', () => {
  it.each([
    ['5,000 flow sequences', HEAD + '  hosts: ' + nestedSeqs(5000) + '\n'],
    ['5,000 flow mappings', HEAD + '  hosts: ' + nestedMaps(5000) + '\n'],
    ['5,000 flow sequences given to yaml', HEAD + '  hosts: &h ' + nestedSeqs(5000) + '\n'],
    ['3,000 block mappings', HEAD + nestedBlock(3000).replace(/^/gm, '  ')],
    ['3,000 block mappings given to yaml', HEAD + nestedBlock(3000, 'x', 'a: &anchored').replace(/^/gm, '  ')],
  ])('%s nested in each other are one yaml-syntax problem, and the rest of the file is analysed', (_, deep) => {
    const problems = diagnose(OTHER_DOC + '---\n' + deep);
    expect(problems.map((p) => p.code).sort()).toEqual(['IST0106', 'yaml-syntax']);
    const syntax = problems.find((p) => p.code === 'yaml-syntax')!;
    expect(syntax.message).toBe(`Nesting deeper than ${MAX_DEPTH} levels; the document is not analysed. No resource nests this deep: look for repeated or unclosed brackets.`);
    expect(syntax.line).toBeGreaterThan(OTHER_DOC.split('\n').length);
  });

  it('a document nested right at the limit is served by every feature', () => {
    // Root map, spec, http and then pairs of levels: exactly MAX_DEPTH collections.
    const levels = (MAX_DEPTH - 4) / 2;
    const text = HEAD + '  http: [' + '{route: ['.repeat(levels) + '{}' + ']}'.repeat(levels) + ']\n';
    const service = newService();
    const model = service.open('file:///limit.yaml', 1, text);
    expect(model.resources[0].syntax).toEqual([]);
    const offset = text.indexOf('{}') + 1;
    expect(() => service.diagnose('file:///limit.yaml', 1, text, settings130)).not.toThrow();
    expect(() => service.symbols(model.uri, settings130)).not.toThrow();
    expect(() => service.hover(model.uri, offset, settings130)).not.toThrow();
    expect(() => service.complete(model.uri, offset, settings130)).not.toThrow();
    expect(() => model.resources[0].doc.toJSON()).not.toThrow();
  });

  it('a too-deep document has no contents, so nothing downstream recurses into it', () => {
    const model = buildFileModel('file:///deep.yaml', 1, HEAD + '  hosts: ' + nestedSeqs(5000) + '\n');
    expect(model.resources[0].doc.contents).toBeNull();
    expect(model.resources[0].isIstio).toBe(true);
  });

  it.each([
    ['flow, fast parser', (n: number) => nestedSeqs(n), 0],
    ['flow, yaml', (n: number) => '&x ' + nestedSeqs(n), 3],
  ])(`allows ${MAX_DEPTH} levels and reports the first one beyond (%s)`, (_, make, offset) => {
    expect(parseYaml(make(MAX_DEPTH)).errors).toEqual([]);
    const errors = parseYaml(make(MAX_DEPTH + 1)).errors;
    expect(errors.map((e) => [e.code, e.pos[0]])).toEqual([['RESOURCE_EXHAUSTION', offset + MAX_DEPTH]]);
  });

  it.each([
    ['fast parser', 'a:'],
    ['yaml', 'a: &anchored'],
  ])(`allows ${MAX_DEPTH} levels of block mappings and reports the first one beyond (%s)`, (_, first) => {
    expect(parseYaml(nestedBlock(MAX_DEPTH, 'x', first)).errors).toEqual([]);
    const text = nestedBlock(MAX_DEPTH + 1, 'x', first);
    const lastKey = text.lastIndexOf('\n', text.length - 2) + 1 + MAX_DEPTH;
    expect(parseYaml(text).errors.map((e) => [e.code, e.pos[0]])).toEqual([['RESOURCE_EXHAUSTION', lastKey]]);
  });
});

describe('a stray bracket in a long flow collection (defect 7)', () => {
  const hosts = (n: number) => Array.from({ length: n }, (_, i) => `host-${i}.example.com`).join(', ');
  const tail = '  gateways: [mesh]\n  http:\n  - route:\n    - destination: {host: reviews}\n';

  it.each([
    ['at the end of the line', `  hosts: [${hosts(20000)}, {\n`],
    ['in the middle of the line', `  hosts: [${hosts(10000)}, {, ${hosts(10000)}]\n`],
    ['in the middle, in a document the fast parser gives up on', `  hosts: [${hosts(10000)}, {, ${hosts(10000)}]\n  exportTo: &all ["*"]\n`],
  ])('%s is a yaml-syntax error at the bracket, and the rest of the document still parses', (_, hostsLine) => {
    const text = HEAD + hostsLine + tail;
    const model = buildFileModel('file:///stray.yaml', 1, text);
    const [resource] = model.resources;
    expect(resource.syntax.map((s) => [s.start, s.message])).toEqual([[text.indexOf('{'), expect.stringContaining("This '{' is never closed")]]);
    expect(resource.name).toBe('reviews');
    const spec = (resource.doc.toJS() as { spec: Record<string, unknown> }).spec;
    expect(spec.hosts).toBeNull();
    expect(spec.gateways).toEqual(['mesh']);
    expect(spec.http).toEqual([{ route: [{ destination: { host: 'reviews' } }] }]);
    expect(syntaxMessages(text)).toHaveLength(1);
  });

  it('is parsed once per text: an edit in another document of the file reuses its parse', () => {
    const broken = HEAD + `  hosts: [${hosts(1000)}, {\n`;
    const v1 = buildFileModel('file:///m.yaml', 1, OTHER_DOC + '---\n' + broken);
    const v2 = buildFileModel('file:///m.yaml', 2, OTHER_DOC.replace('BOGUS', 'BOGUS2') + '---\n' + broken, v1);
    expect(v2.resources[1].doc).toBe(v1.resources[1].doc);
    expect(v2.resources[1].syntax).toBe(v1.resources[1].syntax);
  });

  it('a duplicate key among 100,000 is reported as yaml reports it', () => {
    const keys = Array.from({ length: 100000 }, (_, i) => `k${i}: ${i}`).join(', ');
    const text = `a: &m {${keys}, k5: again}\n`;
    expect(fastParse(text)).toBeUndefined();
    const errors = parseYaml(text).errors;
    expect(errors.map((e) => [e.code, e.pos[0]])).toEqual([['DUPLICATE_KEY', text.lastIndexOf('k5')]]);
  });

  it('a 5 MB one-line document with a stray bracket reports it', () => {
    const text = HEAD.replace('spec:\n', '') + `spec: {hosts: [${hosts(220000)}, {], gateways: [mesh]}\n`;
    expect(text.length).toBeGreaterThan(5e6);
    const errors = parseYaml(text).errors;
    expect(errors.map((e) => e.pos[0])).toEqual([text.lastIndexOf('{')]);
  });
});

describe('the flow scanner reports only what yaml also rejects', () => {
  it.each([
    'a: [b,\n  c]\n',
    'a: [b,\n]\n',
    'a:\n  b: {c: [d,\n    e]}\n',
    'a: [b, # c ]\n  d]\n',
    'a: ["]", \'[\', "\\"["]\n',
    'a: [it\'s, b"c, {d: e}]\n',
    'a: ["x":y, "p":"q"]\n',
    'a: [b\n  "c"]\n',
    'a: [&x b, *x]\n',
    'a: [b, {c: d}]  # [\n',
    'a: [b, {c: d}] [\n',
    'a: [b, [\n]]\n',
    'a: [b,\nc]\n',
    'a: [b, {c, ]\nd: 1\n',
    'a: [b}, c]\nd: 1\n',
    'a: {b: [c}]\nd: 1\n',
    '- a: [b,\n  c]\n- d\n',
    'a: [b, "c\n',
    "a: [b, 'c''\n",
    'a: [x\n...\n',
    '[a, {b: c}, [d]]\n',
    '{a: [b, {c: d}], e: "f"}\n',
    '{"a": 1, "b": [true, null]}\n',
    '[a, {b\n',
    '{a: [b}\n',
  ])('%j', (text) => {
    const expected = reference(text);
    const doc = parseYaml(text);
    if (expected.codes.length === 0) {
      expect(doc.errors).toEqual([]);
      expect(json(doc)).toEqual(expected.json);
    } else {
      expect(doc.errors.length).toBeGreaterThan(0);
    }
  });

  it('on a thousand generated flow collections', () => {
    const random = seeded(Number(process.env.FUZZ_SEED ?? 9));
    const alphabet = ['[', ']', '{', '}', ',', ', ', ': ', ':', '"', "'", ' #', '\n', '\n  ', '\n    ', 'a', 'b c', '-', '&x ', '*x', '\\'];
    for (let n = 0; n < Number(process.env.FUZZ_N ?? 1000); n++) {
      let value = random() < 0.5 ? '[' : '{';
      const length = 1 + Math.floor(random() * 12);
      for (let i = 0; i < length; i++) value += alphabet[Math.floor(random() * alphabet.length)];
      const text = `k:\n  v: ${value}\n  w: 1\n`;
      checkAgainstYaml(text);
    }
  });
});

function checkAgainstYaml(text: string): void {
  const expected = reference(text);
  let doc: Document.Parsed | undefined;
  expect(() => (doc = parseYaml(text)), text).not.toThrow();
  if (expected.codes.length === 0) {
    expect(doc!.errors, text).toEqual([]);
    expect(json(doc!), text).toEqual(expected.json);
  } else {
    expect(doc!.errors.length, text).toBeGreaterThan(0);
  }
}

describe('other hostile input', () => {
  it.each([
    ['a block scalar header followed by 100,000 spaces', 'a: |' + ' '.repeat(100000) + '\n  x\n'],
    ['a stripped block scalar with 100,000 blank lines inside', 'a: |-\n  x' + '\n'.repeat(100000) + '  y\n'],
    ['an apiVersion line of 5 MB', 'apiVersion: ' + 'a.'.repeat(2500000) + '"\nkind: X\n'],
    ['a 300-digit number', `a: ${'9'.repeat(300)}\nb: 0x${'f'.repeat(300)}\nc: ${'1'.repeat(400)}.5e-3\n`],
  ])('%s parses as yaml parses it', (_, text) => {
    checkAgainstYaml(text);
  });

  it('150,000 broken flow collections are 150,000 errors, not a stack overflow', () => {
    // push(...errors) with this many arguments would overflow the stack.
    const text = Array.from({ length: 150000 }, (_, i) => `k${i}: [`).join('\n') + '\n';
    expect(parseYaml(text).errors).toHaveLength(150000);
  });

  it('never throws on mutated manifests', () => {
    const random = seeded(Number(process.env.FUZZ_SEED ?? 7));
    const base =
      HEAD + '  hosts: ["reviews", ratings]\n  http:\n  - match: [{uri: {prefix: "/api"}}]\n    route:\n    - destination: {host: reviews, subset: v1}\n      weight: 80\n    headers: |\n      x: y\n';
    const inserts = ['[', '{', ']', '}', '"', "'", '\\U00110000', '\\', '#', ': ', '- ', '\n', '\r\n', '\t', ' ', '  ', '&a ', '*a', '!t ', '|', '>-', '---', '...', '?', '%', ''];
    for (let n = 0; n < Number(process.env.FUZZ_N ?? 500); n++) {
      let text = base;
      for (let k = 0; k < 3; k++) {
        const at = Math.floor(random() * text.length);
        // An empty insert deletes a character instead.
        const insert = inserts[Math.floor(random() * inserts.length)];
        text = text.slice(0, at) + insert + text.slice(insert === '' ? at + 1 : at);
      }
      checkAgainstYaml(text);
    }
  });
});

/**
 * A small deterministic PRNG (mulberry32), so failures reproduce. FUZZ_SEED and FUZZ_N (cases
 * per test) give the generated tests longer runs on demand.
 */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
