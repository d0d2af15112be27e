#!/usr/bin/env node
// Oversized inputs (issue 9): how the server and the CLI degrade on files far beyond real
// manifests. Drives dist/server.js over stdio with its own tiny LSP client and times, per input:
// open → first publish (the document's own problems) → cross-file publish, keystrokes (an edit,
// then the next publish), completion requested right after each keystroke ("while typing"),
// hover, and the server's peak RSS; then istio-lint on the big files (time, peak RSS, exit code).
//
//   node scripts/bench-oversize.mjs [--edits 30] [--only oneline,docs,lines,cli]
//
// Inputs are generated into tmp/bench-oversize/ (git-ignored). The Markdown table is printed and
// written into docs/benchmarks.md between <!-- oversize:begin --> and <!-- oversize:end -->.
// A measurement, not a test: it exits 0 whatever the figures.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({ options: { edits: { type: 'string', default: '30' }, only: { type: 'string', default: 'oneline,docs,lines,cli' } } });
const EDITS = Number(opt.edits);
const ONLY = new Set(opt.only.split(','));
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.ISTIO_SHARED ? resolve(process.env.ISTIO_SHARED) : join(root, '..', 'shared');
const dir = join(root, 'tmp', 'bench-oversize');
mkdirSync(dir, { recursive: true });
const now = () => performance.now();
const round = (x) => Math.round(x * 10) / 10;
const pct = (xs, p) => (xs.length ? round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]) : NaN);
const log = (m) => console.log(`[oversize] ${m}`);

// ---- inputs -------------------------------------------------------------------------------
function route(i) {
  return `{name: r${i}, match: [{uri: {prefix: /api/v1/items/${i}}, headers: {x-user: {exact: user-${i}}}}], route: [{destination: {host: reviews, subset: v1}, weight: 90}, {destination: {host: reviews, subset: v2}, weight: 10}], timeout: 5s}`;
}
/** One line, ~5 MB: a VirtualService of 21,624 routes in flow style. */
function oneLine() {
  const routes = Array.from({ length: 21_624 }, (_, i) => route(i)).join(', ');
  return `{apiVersion: networking.istio.io/v1, kind: VirtualService, metadata: {name: big, namespace: shop}, spec: {hosts: [reviews], http: [${routes}]}}\n`;
}
/** 10,000 documents: per service a Service, ServiceEntry, DestinationRule and VirtualService. */
function manyDocs() {
  const docs = [];
  for (let i = 0; i < 2500; i++) {
    const ns = `ns${i % 50}`;
    docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: svc${i}\n  namespace: ${ns}\nspec:\n  selector:\n    app: svc${i}\n  ports:\n  - name: http\n    port: 8080\n`);
    docs.push(
      `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext${i}\n  namespace: ${ns}\nspec:\n  hosts:\n  - api${i % 500}.example.com\n  ports:\n  - number: 443\n    name: https\n    protocol: HTTPS\n  resolution: DNS\n`,
    );
    docs.push(
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: svc${i}\n  namespace: ${ns}\nspec:\n  host: svc${i}\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n      version: v2\n`,
    );
    docs.push(
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: svc${i}\n  namespace: ${ns}\nspec:\n  hosts:\n  - svc${i}\n  http:\n  - route:\n    - destination:\n        host: svc${i}\n        subset: v1\n      weight: 90\n    - destination:\n        host: svc${i}\n        subset: v2\n      weight: 10\n    timeout: 5s\n`,
    );
  }
  return docs.join('---\n');
}
function fiftyThousandLines() {
  const out = join(dir, 'gen-50000');
  spawnSync(process.execPath, [join(shared, 'bench', 'gen-workspace.mjs'), '--out', out, '--lines', '50000', '--seed', '1'], { stdio: 'ignore' });
  return readFileSync(join(out, 'istio-all.yaml'), 'utf8');
}

// ---- a tiny LSP client ----------------------------------------------------------------------
class Client {
  constructor() {
    const profile = [...(process.env.OVERSIZE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.OVERSIZE_PROFILE}`] : []), ...(process.env.OVERSIZE_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
    this.proc = spawn(process.execPath, [...profile, join(root, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
    this.buf = Buffer.alloc(0);
    this.id = 1;
    this.pending = new Map();
    this.waiters = [];
    this.errors = [];
    this.proc.stdout.on('data', (c) => this.data(c));
    this.proc.stderr.on('data', (c) => this.errors.push(String(c)));
  }
  send(m) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }));
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }
  request(method, params) {
    const id = this.id++;
    return new Promise((res) => {
      this.pending.set(id, res);
      this.send({ id, method, params });
    });
  }
  notify(method, params) {
    this.send({ method, params });
  }
  next(test) {
    return new Promise((res) => this.waiters.push({ test, res }));
  }
  data(chunk) {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString())[1]);
      if (this.buf.length < end + 4 + len) return;
      const m = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString());
      this.buf = this.buf.subarray(end + 4 + len);
      this.dispatch(m);
    }
  }
  dispatch(m) {
    if (m.id !== undefined && m.method)
      return this.send({ id: m.id, result: m.method === 'workspace/configuration' ? m.params.items.map(() => ({ version: '1.30', validate: { enable: true } })) : null });
    if (m.id !== undefined) return this.pending.get(m.id)?.(m);
    if (m.method === 'window/logMessage' && m.params.type === 1) this.errors.push(m.params.message.split('\n')[0]);
    const hit = this.waiters.find((w) => w.test(m));
    if (hit) {
      this.waiters = this.waiters.filter((w) => w !== hit);
      hit.res(m);
    }
  }
  peakMiB() {
    try {
      return round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'))[1]) / 1024);
    } catch {
      return NaN;
    }
  }
}

const offsetToPosition = (text, offset) => {
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g) ?? []).length;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
};
const every = (text, re) => [...text.matchAll(re)].map((m) => m.index + m[0].length);
const spread = (xs, n) => (xs.length <= n ? xs : Array.from({ length: n }, (_, i) => xs[Math.floor(((i + 0.5) * xs.length) / n)]));

async function measureServer(label, text) {
  const client = new Client();
  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: true } } });
  client.notify('initialized', {});
  const uri = pathToFileURL(join(dir, `${label}.yaml`)).href;
  const diags = () => client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
  const opened = now();
  const first = diags();
  const second = first.then(() => diags());
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const firstMs = (await first, now() - opened);
  const crossMs = (await second, now() - opened);
  // Keystrokes: one digit of a weight replaced, then the next publish; a completion sent right
  // after the keystroke measures completion while the server is busy with that edit.
  const weights = spread(every(text, /weight: /g), EDITS);
  const subsets = spread(every(text, /subset: /g), EDITS);
  let current = text;
  const edit = [];
  const completion = [];
  const hover = [];
  for (let i = 0; i < weights.length; i++) {
    const at = weights[i];
    const ch = current[at] === '9' ? '8' : '9';
    current = current.slice(0, at) + ch + current.slice(at + 1);
    const start = offsetToPosition(current, at);
    const sent = now();
    const published = diags();
    client.notify('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ range: { start, end: { line: start.line, character: start.character + 1 } }, text: ch }] });
    const position = offsetToPosition(current, subsets[i % subsets.length]);
    const asked = now();
    await client.request('textDocument/completion', { textDocument: { uri }, position });
    completion.push(now() - asked);
    await published;
    edit.push(now() - sent);
    const hovered = now();
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: position.line, character: Math.max(0, position.character - 4) } });
    hover.push(now() - hovered);
  }
  const peak = client.peakMiB();
  await client.request('shutdown', null);
  client.notify('exit', null);
  const lines = text.split('\n').length - 1;
  return {
    label,
    bytes: Buffer.byteLength(text),
    lines,
    docs: text.split(/^---$/m).length,
    firstMs: round(firstMs),
    crossMs: round(crossMs),
    edit,
    completion,
    hover,
    peak,
    errors: client.errors.slice(0, 3),
  };
}

function measureCli(label, path) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, join(root, 'dist', 'cli.js'), path], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const [seconds, kib] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  const message = r.stderr.trim().split('\n').slice(0, -1)[0] ?? r.stdout.trim().split('\n').pop();
  return { label, mb: round(statSync(path).size / 1e6), exit: r.status, seconds, peakMiB: round(kib / 1024), message: message?.slice(0, 160) };
}

// ---- run ----------------------------------------------------------------------------------
const inputs = [
  ['oneline', 'one line, 5 MB (21,624 routes)', oneLine],
  ['docs', '10,000 documents', manyDocs],
  ['lines', '50,000 lines (gen-workspace)', fiftyThousandLines],
].filter(([key]) => ONLY.has(key));
const rows = [];
for (const [key, what, make] of inputs) {
  const text = make();
  writeFileSync(join(dir, `${key}.yaml`), text);
  log(`${what}: ${Buffer.byteLength(text)} bytes`);
  rows.push({ what, ...(await measureServer(key, text)) });
}
const cliRows = [];
if (ONLY.has('cli')) {
  const hundred = join(dir, 'hundred-mb.yaml');
  if (!existsSync(hundred)) {
    const vs = readFileSync(join(root, 'samples', 'reviews-virtualservice.yaml'), 'utf8');
    const copies = Math.ceil(100e6 / Buffer.byteLength(vs + '---\n'));
    writeFileSync(hundred, Array.from({ length: copies }, () => vs).join('---\n'));
  }
  for (const [label, path] of [
    ['5 MB one line', join(dir, 'oneline.yaml')],
    ['10,000 documents', join(dir, 'docs.yaml')],
    ['100 MB', hundred],
  ])
    if (existsSync(path)) cliRows.push(measureCli(label, path));
}

const table = [
  `Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`node scripts/bench-oversize.mjs\` on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${EDITS} keystrokes per input; times in ms.`,
  '',
  '| input | size | open→own problems | open→cross-file | keystroke→diagnostics p50/p95 | completion while typing p50/p95 | hover p50/p95 | peak RSS MiB | errors logged |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.what} | ${round(r.bytes / 1e6)} MB, ${r.lines} lines, ${r.docs} docs | ${r.firstMs} | ${r.crossMs} | ${pct(r.edit, 50)}/${pct(r.edit, 95)} | ${pct(r.completion, 50)}/${pct(r.completion, 95)} | ${pct(r.hover, 50)}/${pct(r.hover, 95)} | ${r.peak} | ${r.errors.length ? r.errors.join('; ') : 'none'} |`,
  ),
  '',
  ...(cliRows.length
    ? [
        '| istio-lint on | size | exit | time s | peak RSS MiB | first line of stderr |',
        '|---|---|---|---|---|---|',
        ...cliRows.map((c) => `| ${c.label} | ${c.mb} MB | ${c.exit} | ${c.seconds} | ${c.peakMiB} | ${c.message ?? ''} |`),
      ]
    : []),
].join('\n');
console.log(table);
const docPath = join(root, 'docs', 'benchmarks.md');
const BEGIN = '<!-- oversize:begin -->';
const END = '<!-- oversize:end -->';
const doc = readFileSync(docPath, 'utf8');
const block = `${BEGIN}\n${table}\n${END}`;
writeFileSync(docPath, doc.includes(BEGIN) ? doc.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), block) : `${doc.trimEnd()}\n\n## Oversized inputs\n\n${block}\n`);
