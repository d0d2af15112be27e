// Completion and hover latency at Gateway API positions, for the benchmark's Gateway API workspace.
// The shared harness (lsp-bench.mjs) probes VirtualServices and DestinationRules only; this probes
// the Gateway API file the same way: a fresh server per run, the file opened, its diagnostics
// settled, then K requests one at a time at positions found by scanning the text, spread evenly:
//   completion at the start of a key inside a backendRef (key completion of BackendRef), at the
//   start of a `timeouts:` key of a rule (key completion of HTTPRouteRule), and after `type: ` of a
//   path match (value completion of the enum);
//   hover on the 2nd character of parentRefs|hostnames|backendRefs|matches|filters|timeouts|weight|
//   sectionName|path|headers keys in HTTPRoute, GRPCRoute and Gateway documents.
// Servers are answered as the harness answers them (settings file: workspace/configuration and,
// for yaml-language-server's schema store, content requests served from `urlMap`).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'Gateway']);
const HOVER_KEYS = /^(\s*(?:- )?)(parentRefs|hostnames|backendRefs|matches|filters|timeouts|weight|sectionName|path|headers):/;

function evenly(arr, n) {
  if (arr.length <= n) return arr;
  return Array.from({ length: n }, (_, i) => arr[Math.floor(((i + 0.5) * arr.length) / n)]);
}

/** Probe positions of a Gateway API file (0-based lines, UTF-16 characters). */
export function findGatewayApiProbes(text, k = 20) {
  const lines = text.split('\n');
  const groups = { backendRefKey: [], ruleKey: [], matchType: [] };
  const hover = [];
  let kind = null;
  let inBackendRefs = false;
  lines.forEach((l, i) => {
    if (l.startsWith('---')) kind = null;
    kind = /^kind:\s*(\w+)/.exec(l)?.[1] ?? kind;
    if (!KINDS.has(kind)) return;
    if (/^\s*backendRefs:\s*$/.test(l)) inBackendRefs = true;
    else if (/^\s*\w+:/.test(l) && !/^\s*(- )?(name|port|weight|namespace):/.test(l)) inBackendRefs = false;
    const item = /^(\s*- )name:/.exec(l);
    if (inBackendRefs && item) groups.backendRefKey.push({ line: i, character: item[1].length, what: 'key in backendRef' });
    const timeouts = /^(\s*)timeouts:/.exec(l);
    if (timeouts) groups.ruleKey.push({ line: i, character: timeouts[1].length, what: 'key in rule' });
    const type = /^(\s*type:\s*)Path/.exec(l);
    if (type) groups.matchType.push({ line: i, character: type[1].length, what: 'path match type value' });
    const h = HOVER_KEYS.exec(l);
    if (h) hover.push({ line: i, character: h[1].length + 1, what: h[2] });
  });
  const present = Object.values(groups).filter((g) => g.length);
  const completion = present
    .flatMap((g) => evenly(g, Math.ceil(k / present.length)))
    .slice(0, k)
    .sort((a, b) => a.line - b.line);
  return { completion, hover: evenly(hover, k) };
}

class Connection {
  constructor(cmd, cwd, onRequest) {
    this.proc = spawn('sh', ['-c', `exec ${cmd}`], { cwd, stdio: ['pipe', 'pipe', 'ignore'] });
    this.buf = Buffer.alloc(0);
    this.seq = 0;
    this.pending = new Map();
    this.listeners = new Set();
    this.onRequest = onRequest;
    this.proc.stdout.on('data', (c) => this.read(c));
    this.proc.on('exit', () => {
      this.dead = true;
      for (const p of this.pending.values()) p.resolve({ error: 'server exited' });
    });
  }
  read(chunk) {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const sep = this.buf.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const len = Number(/content-length: *(\d+)/i.exec(this.buf.subarray(0, sep).toString('ascii'))?.[1] ?? 0);
      if (this.buf.length < sep + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(sep + 4, sep + 4 + len).toString('utf8'));
      this.buf = this.buf.subarray(sep + 4 + len);
      if (msg.method && msg.id !== undefined) {
        Promise.resolve()
          .then(() => this.onRequest(msg.method, msg.params))
          .then(
            (result) => this.send({ id: msg.id, result: result ?? null }),
            (e) => this.send({ id: msg.id, error: { code: -32603, message: String(e.message ?? e) } }),
          );
      } else if (msg.method) for (const l of this.listeners) l(msg);
      else this.pending.get(msg.id)?.resolve(msg.error ? { error: msg.error.message } : { result: msg.result });
    }
  }
  send(obj) {
    if (this.dead) return;
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...obj }), 'utf8');
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }
  notify(method, params) {
    this.send({ method, params });
  }
  request(method, params, ms = 10_000) {
    const id = ++this.seq;
    const t0 = performance.now();
    return new Promise((res) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.notify('$/cancelRequest', { id });
        res({ timeout: true });
      }, ms);
      this.pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          this.pending.delete(id);
          res({ ...r, ms: performance.now() - t0 });
        },
      });
      this.send({ id, method, params });
    });
  }
}

function answerer(cfg, ws) {
  const get = (section) => {
    const s = cfg.settings ?? {};
    if (!section) return s;
    return section in s ? s[section] : (section.split('.').reduce((o, key) => (o && typeof o === 'object' ? o[key] : undefined), s) ?? null);
  };
  return (method, params) => {
    if (method === 'workspace/configuration') return params.items.map((it) => get(it.section));
    if (method === 'workspace/workspaceFolders') return [{ uri: pathToFileURL(ws).href, name: basename(ws) }];
    if ((cfg.contentRequests ?? []).includes(method)) {
      const url = String(Array.isArray(params) ? params[0] : typeof params === 'string' ? params : params?.uri).split('#')[0];
      const prefix = Object.keys(cfg.urlMap ?? {}).find((p) => url.startsWith(p));
      const path = prefix && cfg.urlMap[prefix] + url.slice(prefix.length).split('?')[0];
      if (path && existsSync(path)) return readFileSync(path, 'utf8');
      throw new Error(`not available offline: ${url}`);
    }
    return null;
  };
}

/** Resolves once no diagnostics were published for `quietMs` after the first (or after `timeoutMs`). */
function settled(conn, quietMs, timeoutMs) {
  return new Promise((res) => {
    let timer = setTimeout(done, timeoutMs);
    function done() {
      conn.listeners.delete(listen);
      res();
    }
    function listen(m) {
      if (m.method !== 'textDocument/publishDiagnostics') return;
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    }
    conn.listeners.add(listen);
  });
}

const nonEmpty = (method, result) =>
  method === 'textDocument/hover' ? !!result?.contents && JSON.stringify(result.contents).length > 4 : (Array.isArray(result) ? result : (result?.items ?? [])).length > 0;

async function runOnce({ cmd, settingsFile, ws, file, k }) {
  const cfg = JSON.parse(readFileSync(settingsFile, 'utf8'));
  const text = readFileSync(join(ws, file), 'utf8');
  const probes = findGatewayApiProbes(text, k);
  const conn = new Connection(cmd, ws, answerer(cfg, ws));
  const uri = pathToFileURL(join(ws, file)).href;
  const init = await conn.request(
    'initialize',
    {
      processId: process.pid,
      rootUri: pathToFileURL(ws).href,
      workspaceFolders: [{ uri: pathToFileURL(ws).href, name: basename(ws) }],
      initializationOptions: cfg.initializationOptions,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: {} },
      },
    },
    120_000,
  );
  if (!init.result) {
    conn.proc.kill('SIGKILL');
    return { error: `initialize failed: ${init.error ?? 'timeout'}` };
  }
  conn.notify('initialized', {});
  conn.notify('workspace/didChangeConfiguration', { settings: cfg.settings ?? {} });
  for (const n of cfg.notifications ?? []) conn.notify(n.method, n.params);
  const quiet = settled(conn, 1500, 120_000);
  conn.notify('textDocument/didOpen', { textDocument: { uri, languageId: cfg.languageId ?? 'yaml', version: 1, text } });
  await quiet;
  const measure = async (method, positions) => {
    const samples = [];
    for (const p of positions) {
      const r = await conn.request(method, { textDocument: { uri }, position: { line: p.line, character: p.character }, ...(method.endsWith('completion') ? { context: { triggerKind: 1 } } : {}) });
      samples.push({ ms: r.ms, timeout: !!r.timeout, error: r.error, withResult: !r.timeout && !r.error && nonEmpty(method, r.result) });
    }
    return samples;
  };
  const result = { completion: await measure('textDocument/completion', probes.completion), hover: await measure('textDocument/hover', probes.hover) };
  await conn.request('shutdown', null, 5000);
  conn.notify('exit', null);
  setTimeout(() => conn.proc.kill('SIGKILL'), 2000).unref();
  return result;
}

function stats(samples) {
  const ok = samples
    .filter((s) => !s.timeout && !s.error)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const q = (p) => (ok.length ? Math.round(ok[Math.max(0, Math.ceil(p * ok.length) - 1)] * 10) / 10 : null);
  return {
    n: samples.length,
    p50: q(0.5),
    p95: q(0.95),
    withResult: samples.filter((s) => s.withResult).length,
    timeouts: samples.filter((s) => s.timeout).length,
    errors: samples.filter((s) => s.error).length,
  };
}

/**
 * Completion and hover figures of one server on one file: `runs` fresh servers, the samples of
 * all runs pooled (as many per run as the harness takes). Never throws: a failed run is reported.
 */
export async function measureGatewayApiProbes({ cmd, settingsFile, ws, file, runs = 1, k = 20 }) {
  const pooled = { completion: [], hover: [] };
  const failures = [];
  for (let i = 0; i < runs; i++) {
    const r = await runOnce({ cmd, settingsFile, ws, file, k }).catch((e) => ({ error: String(e?.message ?? e) }));
    if (r.error) failures.push(r.error);
    else for (const key of ['completion', 'hover']) pooled[key].push(...r[key]);
  }
  return { completion: stats(pooled.completion), hover: stats(pooled.hover), failures };
}
