// Every refactoring, quick fix and preview weight edit, run at every node of documents written
// the awkward ways people write them: keys with no value yet, flow style, names YAML would
// misread unquoted, comments inside list items, CRLF line breaks. Whatever an edit does, the
// result parses with no errors (duplicate keys included) and keeps every comment of the input.
import { CST, Lexer, parseAllDocuments, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyRefactoring, offerRefactorings } from '../../server/src/features/refactor';
import { quickFixes } from '../../server/src/features/quickFixes';
import { replaceScalar, writeScalar, type Edit } from '../../server/src/edit/textEdits';
import { setWeightAt } from '../../server/src/features/traffic';
import { newService } from '../support';

const settings = { istioVersion: '1.30', validate: true };
const uri = 'file:///ws/a.yaml';

interface Variant {
  host: string;
  names: [string, string];
  /** How the first destination's weight is written (after `weight:`). */
  weight: string;
  crlf: boolean;
}

const q = JSON.stringify;

/** A VirtualService, its DestinationRule, a twin rule and a PeerAuthentication, in one file. */
function workspaceFile(v: Variant): string {
  const [a, b] = v.names.map((n) => q(n));
  const host = q(v.host);
  const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews # the service
  namespace: shop
spec:
  hosts:
  - ${host}
  http:
  - match:
    - uri:
        prefix: /a # only /a
    - uri: {prefix: /a}
    route:
    - destination: # stable
        host: ${host}
        subset: ${a}
      # most of it
      weight:${v.weight}
    - destination:
        host: ${host}
        subset: ${b} # canary
      weight:
    - destination: {host: ${host}, subset: ${b}}
  - route:
    - destination: {host: ${host}, subset: ${a}} # flow
    fault:
      abort:
        httpStatus: 503
        httpStatu: 500 # typo
    retris: {attempts: 2}
  - route:
    - destination:
        host: ratings # no rule
        subset: ${a}
    - destination:
        host: ${host}
        subset: ${q(`${v.names[1]}-new`)}
  - route:
    - destination:
        host: ${host}
        subset:
  - route:
    - {destination: {host: ${host}}, weight: 100}
  - route:
    - destination:
  - match: [{uri: {prefix: /old}}]
    redirect: {uri: /new} # moved
  - match:
    - headers:
        ${q(v.names[0])}: {exact: ${b}}
    route: []
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: ${host}
  trafficPolicy:
  subsets:
  - name: ${a} # first
    # its labels
    labels:
      version: ${a}
  - name: ${b}
    labels: {version: ${b}}
  - name: perTryTimout
    labels:
      version: x
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews-twin # same host
  namespace: shop
spec:
  host: ${host}
  subsets:
  - name: ${b} # twin
    labels:
      version: ${b}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: shop
spec:
  mtls:
`;
  return v.crlf ? text.replace(/\n/g, '\r\n') : text;
}

const VARIANTS: Variant[] = [
  { host: 'reviews', names: ['v1', 'v2'], weight: ' 70', crlf: false },
  { host: '*.example.com', names: ['a: b', '#x'], weight: '', crlf: true },
  { host: 'reviews', names: [' v1 ', 'true'], weight: ' "70"', crlf: false },
  { host: 'reviews.shop.svc.cluster.local', names: ["it's", '- x'], weight: ' ~ # unset', crlf: true },
  { host: 'reviews', names: ['1e3', '@x'], weight: ' 70', crlf: false },
  { host: 'reviews', names: ['yes', 'x, y'], weight: '', crlf: false },
];

/** Every comment of a text, by YAML's lexer (`#` inside strings is none). */
function comments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((t) => CST.tokenType(t) === 'comment');
}

function apply(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.start - x.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Why an edited text is not acceptable ('' when it is). */
function defects(before: string, after: string): string {
  const errors = parseAllDocuments(after).flatMap((d) => ('errors' in d ? d.errors : []));
  if (errors.length > 0) return `does not parse: ${errors[0].code} ${errors[0].message.split('\n')[0]}`;
  const lost = comments(before).filter((c) => !after.includes(c));
  if (lost.length > 0) return `lost comments ${lost.join(' | ')}`;
  if (before.includes('\r\n') && /[^\r]\n/.test(after)) return 'wrote a bare LF into a CRLF file';
  return '';
}

/** Offsets where a node starts: each line's first character, and the one after a `- `. */
function nodeOffsets(text: string): number[] {
  const out: number[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    const first = line.search(/\S/);
    if (first !== -1 && line[first] !== '#') {
      out.push(at + first);
      const dash = line.slice(first).match(/^(-\s+)+/);
      if (dash) out.push(at + first + dash[0].length);
    }
    at += line.length + 1;
  }
  return out;
}

function serviceWith(text: string) {
  const service = newService();
  service.setDiskFile(uri, text);
  return service;
}

/** Every edit any feature offers on the text, each with where it came from. */
function everyEdit(text: string): { where: string; edits: Edit[] }[] {
  const service = serviceWith(text);
  const out: { where: string; edits: Edit[] }[] = [];
  const line = (offset: number) => text.slice(0, offset).split('\n').length;
  const ctx = service.context(settings);
  for (const offset of nodeOffsets(text)) {
    for (const offer of offerRefactorings(ctx, uri, offset)) {
      const edits = applyRefactoring(ctx, uri, offset, offer.id);
      if (typeof edits !== 'string') out.push({ where: `${offer.id}@${line(offset)}`, edits });
    }
    const weight = setWeightAt(ctx, uri, offset, 30);
    if (typeof weight !== 'string') out.push({ where: `setWeight@${line(offset)}`, edits: weight });
  }
  const problems = service.diagnoseDiskFile(uri, settings);
  for (const fix of quickFixes(ctx, uri, problems)) out.push({ where: `${fix.problem.code} ${fix.title}`, edits: fix.edits });
  // The same edits reached from several nodes are checked once.
  const seen = new Set<string>();
  return out.filter((r) => !seen.has(JSON.stringify(r.edits)) && !!seen.add(JSON.stringify(r.edits)));
}

describe('edits on awkward YAML (issue 9 property test)', () => {
  it.each(VARIANTS.map((v) => [`${v.host} ${q(v.names)} weight:${v.weight}${v.crlf ? ' CRLF' : ''}`, v] as const))('%s: every edit parses and keeps the comments', (_, variant) => {
    const text = workspaceFile(variant);
    expect(defects(text, text)).toBe('');
    const results = everyEdit(text);
    const failures = results.flatMap(({ where, edits }) => {
      const problem = defects(
        text,
        apply(
          text,
          edits.filter((e) => e.uri === uri),
        ),
      );
      return problem ? [`${where}: ${problem}`] : [];
    });
    expect(failures).toEqual([]);
    // Not vacuous: refactorings, weight edits and quick fixes all had something to do.
    const kinds = new Set(results.map((r) => r.where.split(/[@ ]/)[0]));
    expect([...kinds]).toEqual(expect.arrayContaining(['canary', 'promote', 'split', 'setWeight', 'mtls-namespace', 'IST0101', 'IST0106', 'KIA0201', 'KIA1105']));
  });
});

describe('the scalar writer', () => {
  const odd = [
    '*.example.com',
    'a: b',
    '#x',
    '- x',
    '@x',
    '`x',
    'true',
    'yes',
    'on',
    'n',
    '1e3',
    '0o17',
    '012',
    '1:20',
    '2001-12-14',
    '.5',
    '-',
    '?',
    'x #y',
    ' v1',
    'v1 ',
    '',
    '~',
    'null',
    '.inf',
    '<<',
    '=',
    '!x',
    '&x',
    '*x',
    '%x',
    '|x',
    '>x',
    '"x',
    "'x",
    "it's",
    'a,b',
    '[a',
    'a]',
    '{a}',
    'a\nb',
    'tab\there',
    '\u0085',
    '\u2028',
    'ünïcode',
    '---',
    '...',
    'x:',
  ];

  it.each(['"', "'"] as const)('writes strings that read back as the same string, in YAML 1.1 and 1.2, in block and flow context (%s quotes)', (quote) => {
    for (const value of odd) {
      const written = writeScalar(value, quote);
      const flow = writeScalar(value, quote, true);
      for (const version of ['1.1', '1.2'] as const) {
        expect(parseDocument(`k: ${written}\n`, { version }).toJS(), `${q(value)} as ${written}`).toEqual({ k: value });
        expect(parseDocument(`k: [${flow}, {x: ${flow}}]\n`, { version }).toJS(), `${q(value)} as ${flow} in flow`).toEqual({ k: [value, { x: value }] });
        expect(parseDocument(`${written}: 1\n`, { version }).toJS(), `${q(value)} as a key`).toEqual({ [value]: 1 });
      }
    }
  });

  it('leaves ordinary values plain, numbers and booleans as they are', () => {
    expect(['reviews', 'v1', 'x-canary', 'https://issuer.example.com/a#b', '5xx,reset', 'reviews.shop.svc.cluster.local'].map((v) => writeScalar(v))).toEqual([
      'reviews',
      'v1',
      'x-canary',
      'https://issuer.example.com/a#b',
      '5xx,reset',
      'reviews.shop.svc.cluster.local',
    ]);
    expect(writeScalar('5xx,reset', '"', true)).toBe('"5xx,reset"');
    expect([writeScalar(90), writeScalar(true), writeScalar(NaN), writeScalar(-Infinity)]).toEqual(['90', 'true', '.nan', '-.inf']);
  });

  it('replaces a scalar keeping its quotes, escaped for them, and fills an empty value', () => {
    const text = `a: "old"\nb: 'old'\nc: old\nd:\ne: # note\nf: [old, x]\n`;
    const at = (s: string) => [text.indexOf(s), text.indexOf(s) + s.length] as const;
    const put = (range: readonly [number, number], value: string | number) => {
      const e = replaceScalar('u', text, range[0], range[1], value);
      return text.slice(0, e.start) + e.newText + text.slice(e.end);
    };
    expect(put(at('"old"'), 'say "hi"')).toContain('a: "say \\"hi\\""\n');
    expect(put(at("'old'"), "it's")).toContain("b: 'it''s'\n");
    expect(put(at("'old'"), 'two\nlines')).toContain('b: "two\\nlines"\n');
    const c = text.indexOf('c: old') + 3;
    expect(put([c, c + 3], 'a: b')).toContain('c: "a: b"\n');
    expect(put(at('"old"'), 50)).toContain('a: 50\n');
    const d = text.indexOf('d:') + 2;
    expect(put([d, d], 7)).toContain('d: 7\n');
    const e = text.indexOf('# note');
    expect(put([e, e], 'x')).toContain('e: x # note\n');
    const block = 'w: |\n  50\nx: 1\n';
    const edit = replaceScalar('u', block, 3, block.indexOf('x: 1'), 90);
    expect(block.slice(0, edit.start) + edit.newText + block.slice(edit.end)).toBe('w: 90\nx: 1\n');
    const f = text.indexOf('old, x');
    expect(put([f, f + 3], 'a,b')).toContain('f: ["a,b", x]\n');
  });
});
