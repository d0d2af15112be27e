// Mutations of real manifests: the kinds of damage an editor sees while someone types (half-typed
// lines, bad indentation, stray characters) and the odd-but-valid YAML real files contain
// (multi-document files, anchors, repeated subtrees, comments everywhere).
import type { CorpusFile } from './corpus';
import { lineEndings, asJson, markers, restyle, validComment } from './restyle';
import { aliasBomb, deepNest, huge, manyResources, pathological, repeatSubtree } from './stress';
import { blockAt, documentsOf, indentOf, lines, MAX_LINES, pickLine, SCALAR_LINE, type Mutation } from './text';
import type { Rng } from './rng';

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ': ',
  '-',
  '- ',
  '"',
  "'",
  '\\',
  '#',
  ' # note',
  '\t',
  'é',
  '日本語',
  '😀',
  '\u200b',
  '\ufeff',
  '\u0301',
  '\u2028',
  '\ud800',
  '\u0000',
  '*a',
  '&a ',
  '<<: *a',
  '!!str ',
  '!custom ',
  '? ',
  '|',
  '>-',
  '%',
  '@',
  '`',
  ',',
  '---',
  '...',
  '\n',
  '\n---\n',
  '{{ .Values.x }}',
  '\r\n',
  '\r',
  ' ',
  '  ',
  'x',
];

const SCALARS = [
  '0',
  '-1',
  '65536',
  '3.5',
  '1e400',
  '0x1F',
  '0o17',
  '99999999999999999999999',
  '',
  '~',
  'null',
  'true',
  'yes',
  'off',
  '.inf',
  '.nan',
  '""',
  "''",
  '"unterminated',
  "'x",
  'x'.repeat(3000),
  '*.example.com',
  '"*.example.com"',
  'a: b',
  '[]',
  '{}',
  '[a, b',
  '{a: 1',
  '- x',
  '|',
  '>',
  '|\n  block text',
  '2024-01-01',
  '!!binary aGk=',
  '&x value',
  '*x',
  '# only a comment',
  'é日本😀',
  '${VAR}',
  '{{ .Values.name }}',
  '-',
  '?',
  '1s',
  '-5s',
  '0s',
  '100000h',
  'ROUND_ROBIN',
  'v1',
  'v2',
  'reviews',
  'mesh',
  'istio-system/gw',
  '/',
  '.*',
  '[',
  '(',
  '\\',
  "'a''b'",
  '"a\\"b"',
  '"\\u0000"',
  '[v1, v2]',
  '{host: reviews, subset: v1}',
  '*',
  'reviews.shop.svc.cluster.local',
];

const API_VERSIONS = [
  'networking.istio.io/v1',
  'networking.istio.io/v1alpha3',
  'networking.istio.io/v1beta1',
  'networking.istio.io/v2',
  'security.istio.io/v1',
  'security.istio.io/v1beta1',
  'telemetry.istio.io/v1',
  'extensions.istio.io/v1alpha1',
  'gateway.networking.k8s.io/v1',
  'istio.io/v1',
  'networking.istio.io',
  'v1',
  'apps/v1',
  '',
  '"networking.istio.io/v1"',
  'networking.istio.io/',
  '/v1',
  'install.istio.io/v1alpha1',
];

const KINDS = [
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'ServiceEntry',
  'Sidecar',
  'EnvoyFilter',
  'WorkloadEntry',
  'WorkloadGroup',
  'ProxyConfig',
  'PeerAuthentication',
  'RequestAuthentication',
  'AuthorizationPolicy',
  'Telemetry',
  'WasmPlugin',
  'TrafficExtension',
  'HTTPRoute',
  'Service',
  'Deployment',
  'virtualservice',
  'VirtualServic',
  '',
  'List',
];

const KEY_PREFIXES = [
  'ro',
  'route:',
  'destination:',
  'host: ',
  'subset: ',
  'weight: ',
  'match:',
  '- ',
  'http:',
  'spec:',
  'metadata:',
  'name: ',
  'hosts:',
  'gateways:',
  'trafficPolicy:',
  'subsets:',
  'labels:',
  'selector:',
  'mtls:',
  'rules:',
  'port:',
  'tls:',
];

const deleteLines: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = rng.int(0, ls.length - 1);
  ls.splice(at, rng.int(1, 3));
  return ls.join('\n');
};

const duplicateLines: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = rng.int(0, ls.length - 1);
  ls.splice(at, 0, ...ls.slice(at, at + rng.int(1, 5)));
  return ls.join('\n');
};

const swapLines: Mutation = (rng, text) => {
  const ls = lines(text);
  const a = rng.int(0, ls.length - 1);
  const b = rng.chance(0.5) ? Math.min(ls.length - 1, a + 1) : rng.int(0, ls.length - 1);
  [ls[a], ls[b]] = [ls[b], ls[a]];
  return ls.join('\n');
};

const truncate: Mutation = (rng, text) => text.slice(0, rng.int(0, text.length));

const insertToken: Mutation = (rng, text) => {
  const at = rng.int(0, text.length);
  return text.slice(0, at) + rng.pick(TOKENS) + text.slice(at);
};

const deleteSpan: Mutation = (rng, text) => {
  const at = rng.int(0, text.length);
  return text.slice(0, at) + text.slice(Math.min(text.length, at + rng.int(1, 40)));
};

const reindent: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls);
  if (at === undefined) return text;
  const [start, end] = rng.chance(0.5) ? blockAt(ls, at) : [at, at + 1];
  const delta = rng.pick([-3, -2, -1, 1, 2, 3, 0]);
  for (let i = start; i < end; i++) {
    const indent = indentOf(ls[i]);
    const body = ls[i].slice(indent);
    ls[i] = delta === 0 ? '\t'.repeat(Math.ceil(indent / 2)) + body : ' '.repeat(Math.max(0, indent + delta)) + body;
  }
  return ls.join('\n');
};

const replaceScalar: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls, (l) => SCALAR_LINE.test(l));
  if (at === undefined) return text;
  const [, lead, key, space] = SCALAR_LINE.exec(ls[at])!;
  ls[at] = `${lead}${key}${space}${rng.pick(SCALARS)}`;
  return ls.join('\n');
};

const emptySpec: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls, (l) => /^spec:/.test(l));
  if (at === undefined) return text;
  const [start, end] = blockAt(ls, at);
  ls.splice(start, end - start, rng.pick(['spec:', 'spec: {}', 'spec: []', 'spec: null', 'spec: 5', 'spec: ""', 'spec:\n  ']));
  return ls.join('\n');
};

const changeApiVersion: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls, (l) => /^apiVersion:/.test(l));
  if (at === undefined) return text;
  ls[at] = `apiVersion: ${rng.pick(API_VERSIONS)}`;
  return ls.join('\n');
};

const changeKind: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls, (l) => /^kind:/.test(l));
  if (at === undefined) return text;
  ls[at] = `kind: ${rng.pick(KINDS)}`;
  return ls.join('\n');
};

const spliceFrom: Mutation = (rng, text, corpus) => {
  const docs = documentsOf(rng.pick(corpus).text);
  if (docs.length === 0) return text;
  const doc = rng.pick(docs).replace(/^\n+|\n+$/g, '');
  const ls = lines(text);
  const at = rng.int(0, ls.length);
  const piece = rng.chance(0.6) ? ['---', doc, '---'] : lines(doc).slice(0, rng.int(1, 30));
  ls.splice(at, 0, ...piece);
  return ls.join('\n');
};

const SEPARATORS = ['\n---\n', '\n---\n', '\n--- # next\n', '\n---\n---\n', '\n...\n---\n', '\n---', '\n\n---\n\n'];

const multiDoc: Mutation = (rng, text, corpus) => {
  let out = text;
  for (let n = rng.int(1, 3); n > 0; n--) out += rng.pick(SEPARATORS) + rng.pick(corpus).text;
  return out;
};

const NAME_LINE = /^(\s*(?:- )*(?:name|host|subset|namespace|gateways?|hosts?):\s+)(\S.*)$/;

const swapName: Mutation = (rng, text, corpus) => {
  const ls = lines(text);
  const at = pickLine(rng, ls, (l) => NAME_LINE.test(l));
  const other = lines(rng.pick(corpus).text).flatMap((l) => NAME_LINE.exec(l)?.[2] ?? []);
  if (at === undefined || other.length === 0) return text;
  ls[at] = NAME_LINE.exec(ls[at])![1] + rng.pick(other);
  return ls.join('\n');
};

const addComment: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = rng.int(0, ls.length - 1);
  if (rng.chance(0.5) && ls[at].trim() && !ls[at].includes('#')) ls[at] += rng.pick([' # trailing', ' #x', '  # weight: 10']);
  else ls.splice(at, 0, ' '.repeat(rng.chance(0.5) ? indentOf(ls[at]) : rng.int(0, 6)) + rng.pick(['# a comment', '#', '# - route: x', '# ---']));
  return ls.join('\n');
};

const anchors: Mutation = (rng, text) => {
  const ls = lines(text);
  const from = pickLine(rng, ls, (l) => SCALAR_LINE.test(l) || /:\s*$/.test(l));
  const to = pickLine(rng, ls, (l) => SCALAR_LINE.test(l));
  if (from === undefined || to === undefined) return text;
  ls[from] = ls[from].replace(/:(\s|$)/, ': &a$1');
  ls[to] = rng.chance(0.7) ? ls[to].replace(SCALAR_LINE, '$1$2$3*a') : `${' '.repeat(indentOf(ls[to]))}<<: *a`;
  return ls.join('\n');
};

const duplicateKey: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls, (l) => /^\s*[\w.-]+:/.test(l));
  if (at === undefined) return text;
  const [, end] = blockAt(ls, at);
  ls.splice(end, 0, ls[at]);
  return ls.join('\n');
};

const halfTypedKey: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls) ?? 0;
  const indent = indentOf(ls[at] ?? '') + rng.pick([0, 0, 2, -2]);
  ls.splice(at + 1, 0, ' '.repeat(Math.max(0, indent)) + rng.pick(KEY_PREFIXES));
  return ls.join('\n');
};

const weights: Mutation = (rng, text) => text.replace(/(weight:\s*)\S+/g, (_, key: string) => key + rng.pick(['0', '0', '100', '50', '10', '-1', '101', '33', '1', '"50"']));

const dirOf = (f: CorpusFile) => f.name.slice(0, f.name.lastIndexOf('/'));

/** The file and others of its folder in one multi-document file (a VirtualService with its DestinationRule). */
const siblings: Mutation = (rng, text, corpus) => {
  const dir = dirOf(rng.pick(corpus));
  const near = corpus.filter((f) => dirOf(f) === dir);
  return [
    text,
    ...rng
      .shuffle(near)
      .slice(0, rng.int(1, 4))
      .map((f) => f.text),
  ].join('\n---\n');
};

export const MUTATIONS: Record<string, Mutation> = {
  weights,
  siblings,
  huge,
  restyle,
  asJson,
  validComment,
  markers,
  pathological,
  deepNest,
  aliasBomb,
  manyResources,
  deleteLines,
  duplicateLines,
  swapLines,
  truncate,
  insertToken,
  deleteSpan,
  reindent,
  replaceScalar,
  emptySpec,
  changeApiVersion,
  changeKind,
  spliceFrom,
  multiDoc,
  repeatSubtree,
  swapName,
  lineEndings,
  addComment,
  anchors,
  duplicateKey,
  halfTypedKey,
};

const WEIGHTS: [number, string][] = [
  [6, 'deleteLines'],
  [4, 'duplicateLines'],
  [3, 'swapLines'],
  [5, 'truncate'],
  [8, 'insertToken'],
  [4, 'deleteSpan'],
  [5, 'reindent'],
  [10, 'replaceScalar'],
  [2, 'emptySpec'],
  [3, 'changeApiVersion'],
  [3, 'changeKind'],
  [3, 'spliceFrom'],
  [2, 'multiDoc'],
  [2, 'repeatSubtree'],
  [5, 'swapName'],
  [1, 'lineEndings'],
  [4, 'addComment'],
  [2, 'anchors'],
  [3, 'duplicateKey'],
  [5, 'halfTypedKey'],
  [2, 'weights'],
  [3, 'siblings'],
  [0.3, 'huge'],
  [0.7, 'pathological'],
  [0.5, 'deepNest'],
  [0.5, 'aliasBomb'],
  [0.5, 'manyResources'],
];

export function capLines(text: string): string {
  const ls = lines(text);
  return ls.length > MAX_LINES ? ls.slice(0, MAX_LINES).join('\n') : text;
}

/** Mutations that keep a parsing file parsing: refactorings are checked in full on their results. */
const VALID_WEIGHTS: [number, string][] = [
  [6, 'restyle'],
  [1, 'asJson'],
  [5, 'validComment'],
  [1, 'lineEndings'],
  [1, 'markers'],
  [2, 'siblings'],
  [3, 'swapName'],
  [1, 'weights'],
];

/** Applies `count` random mutations (only style-changing ones when `valid`); returns the text and their names. */
export function mutate(rng: Rng, text: string, corpus: readonly CorpusFile[], count: number, valid = false): { text: string; applied: string[] } {
  const applied: string[] = [];
  let out = text;
  for (let i = 0; i < count; i++) {
    const name = rng.weighted(valid ? VALID_WEIGHTS : WEIGHTS);
    try {
      out = capLines(MUTATIONS[name](rng, out, corpus));
    } catch {
      // A mutation that cannot handle this text (the yaml package refusing to render it) leaves it as it is.
    }
    applied.push(name);
  }
  return { text: out, applied };
}
