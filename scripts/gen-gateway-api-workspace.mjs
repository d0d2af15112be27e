#!/usr/bin/env node
// Deterministic generator of a Gateway API workspace for the benchmark, the counterpart of the
// shared harness's gen-workspace.mjs (same options, same bench-manifest.json format, so
// lsp-bench.mjs counts the injected errors it finds):
//
//   node scripts/gen-gateway-api-workspace.mjs --out DIR [--services N] [--lines M] [--error-rate 0.1] [--seed 1]
//
// Per namespace: an ingress Gateway (gatewayClassName istio, HTTPS with a certificate and HTTP
// listeners). Per service: a Service for all its versions and one per version (Gateway API splits
// traffic across Services), a Deployment per version, a mesh HTTPRoute (GAMMA: parentRef to the
// Service) with a header canary rule, a weighted split, timeouts, a header modifier and a
// RequestMirror filter; 30% also an ingress HTTPRoute bound to a listener of the namespace's
// Gateway, some a GRPCRoute; every fourth one a rule sending traffic to a Service of another
// namespace, with the ReferenceGrant that allows it.
// --lines M writes ONE multi-document file (gateway-api-all.yaml) of about M lines.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = 'usage: gen-gateway-api-workspace.mjs --out DIR [--services N] [--lines M] [--error-rate F] [--seed S]';
let opt;
try {
  ({ values: opt } = parseArgs({
    options: {
      out: { type: 'string' },
      services: { type: 'string', default: '10' },
      lines: { type: 'string' },
      'error-rate': { type: 'string', default: '0.1' },
      seed: { type: 'string', default: '1' },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n${USAGE}`);
  process.exit(2);
}
if (!opt.out) {
  console.error(USAGE);
  process.exit(2);
}

// mulberry32, as the shared generator: the same options always give the same bytes
let seed = Number(opt.seed) >>> 0;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const errorRate = Number(opt['error-rate']);

const NAMES = ['productpage', 'reviews', 'ratings', 'details', 'cart', 'checkout', 'payments', 'inventory', 'shipping', 'catalog', 'search', 'recommendations', 'users', 'auth', 'notifications'];
const NAMESPACES = ['shop', 'payments', 'catalog', 'identity', 'platform'];

/** A document as lines, with the errors injected on some of them (line numbers relative to the document). */
function doc() {
  const lines = [];
  const errors = [];
  return {
    lines,
    errors,
    add: (...ls) => lines.push(...ls),
    bad: (type, schema, desc, from = lines.length - 1, to = from) => errors.push({ type, schema, desc, from, to }),
  };
}
let errAcc = 0.5;
/** Exactly the given fraction of documents, spread evenly, gets one error of a type that fits it. */
const errFor = (types) => ((errAcc += errorRate) >= 1 ? (errAcc--, pick(types)) : null);

function gateway(ns) {
  const d = doc();
  const e = errFor(['bad-enum']);
  d.add('apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata:', `  name: ${ns}-gateway`, `  namespace: ${ns}`, 'spec:', '  gatewayClassName: istio', '  listeners:');
  const listener = d.lines.length - 1;
  d.add('    - name: https', `      hostname: "*.${ns}.example.com"`, '      port: 443', '      protocol: HTTPS', '      tls:');
  if (e) {
    d.add('        mode: Terminat');
    // the CRD's rule for an HTTPS listener's tls mode is a rule of the listeners list
    d.bad(e, true, 'listener tls.mode not in enum (Terminate, Passthrough)', listener, d.lines.length - 1);
  } else d.add('        mode: Terminate');
  d.add('        certificateRefs:', '          - kind: Secret', `            name: ${ns}-tls`, '      allowedRoutes:', '        namespaces:', '          from: Same');
  d.add('    - name: http', `      hostname: "*.${ns}.example.com"`, '      port: 80', '      protocol: HTTP', '      allowedRoutes:', '        namespaces:', '          from: Same');
  return d;
}

function service(s, name, version) {
  const d = doc();
  // only the Service of all versions gets errors, so the routes' errors are not outnumbered
  const e = version ? null : errFor(['wrong-type']);
  d.add('apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${name}`, `  namespace: ${s.ns}`, '  labels:', `    app: ${s.name}`, 'spec:', '  selector:', `    app: ${s.name}`);
  if (version) d.add(`    version: ${version}`);
  d.add('  ports:', '    - name: http');
  if (e) {
    d.add('      port: http');
    d.bad(e, true, 'Service port must be an integer');
  } else d.add(`      port: ${s.port}`);
  d.add(`      targetPort: ${s.port}`);
  return d;
}

function deployment(s, v) {
  const d = doc();
  d.add('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${s.name}-${v}`, `  namespace: ${s.ns}`, 'spec:', `  replicas: ${int(1, 4)}`);
  d.add('  selector:', '    matchLabels:', `      app: ${s.name}`, `      version: ${v}`, '  template:', '    metadata:', '      labels:', `        app: ${s.name}`, `        version: ${v}`);
  d.add(
    '    spec:',
    '      containers:',
    `        - name: ${s.name}`,
    `          image: registry.example.com/${s.ns}/${s.name}:1.${int(0, 9)}.${int(0, 20)}-${v}`,
    '          ports:',
    `            - containerPort: ${s.port}`,
  );
  return d;
}

/** One backendRef list item; `error` replaces its name or port with a wrong one. */
function backendRef(d, ind, s, version, { weight, error, namespace } = {}) {
  const name = error === 'missing-backend' ? `${s.name}-v9` : `${s.name}-${version}`;
  d.add(`${ind}- name: ${name}`);
  if (error === 'missing-backend') d.bad(error, false, `backendRef to Service ${name}, which does not exist`);
  if (namespace) d.add(`${ind}  namespace: ${namespace}`);
  if (error === 'wrong-port') {
    d.add(`${ind}  port: 9999`);
    d.bad(error, false, `backendRef port 9999 is not a port of Service ${name}`);
  } else if (error === 'wrong-type') {
    d.add(`${ind}  port: http`);
    d.bad(error, true, 'backendRef port must be an integer');
  } else d.add(`${ind}  port: ${s.port}`);
  if (weight !== undefined) {
    if (error === 'unknown-field') {
      d.add(`${ind}  weigth: ${weight}`);
      d.bad(error, true, 'unknown field weigth (weight)');
    } else d.add(`${ind}  weight: ${weight}`);
  }
}

function canaryRule(d, s, e) {
  const [, v2] = [s.versions[0], s.versions.at(-1)];
  d.add('    - name: canary-header', '      matches:', '        - headers:', '            - name: x-canary', '              value: "true"', '          path:');
  if (e === 'bad-enum') {
    d.add('            type: PathPrefx');
    // the enum, and the CRD's rule on the path match it is part of
    d.bad(e, true, 'path match type not in enum (Exact, PathPrefix, RegularExpression)', d.lines.length - 2, d.lines.length - 1);
  } else d.add('            type: PathPrefix');
  d.add(`            value: /api/${s.name}`, '      backendRefs:');
  backendRef(d, '        ', s, v2, { error: e === 'missing-backend' ? e : undefined });
  d.add('      timeouts:');
  if (e === 'bad-duration') {
    d.add('        request: 10sec');
    d.bad(e, true, 'timeouts.request is not a Gateway API duration');
  } else d.add(`        request: ${int(2, 5)}s`);
}

function splitRule(d, s, e) {
  const [v1, v2] = [s.versions[0], s.versions.at(-1)];
  const w = pick([90, 80, 95, 50]);
  d.add(
    '    - name: default',
    '      matches:',
    '        - path:',
    '            type: PathPrefix',
    '            value: /',
    '      filters:',
    '        - type: RequestHeaderModifier',
    '          requestHeaderModifier:',
    '            set:',
    '              - name: x-served-by',
    `                value: ${s.name}`,
  );
  d.add(
    '        - type: RequestMirror',
    '          requestMirror:',
    '            backendRef:',
    `              name: ${s.name}-${v2}`,
    `              port: ${s.port}`,
    `            percent: ${int(1, 10)}`,
    '      backendRefs:',
  );
  const from = d.lines.length - 1;
  backendRef(d, '        ', s, v1, { weight: e === 'weights-zero' ? 0 : w, error: e === 'unknown-field' || e === 'wrong-port' || e === 'wrong-type' ? e : undefined });
  backendRef(d, '        ', s, v2, { weight: e === 'weights-zero' ? 0 : 100 - w });
  if (e === 'weights-zero') d.bad(e, false, 'every backendRef of the rule has weight 0', from, d.lines.length - 1);
  d.add('      timeouts:', `        request: ${int(5, 30)}s`, `        backendRequest: ${int(1, 4)}s`);
}

function meshRoute(s, remote) {
  const d = doc();
  const e = errFor(['missing-backend', 'wrong-port', 'weights-zero', 'unknown-field', 'bad-enum', 'bad-duration', 'wrong-type']);
  d.add(
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: HTTPRoute',
    'metadata:',
    `  name: ${s.name}`,
    `  namespace: ${s.ns}`,
    'spec:',
    '  parentRefs:',
    '    - group: ""',
    '      kind: Service',
    `      name: ${s.name}`,
    `      port: ${s.port}`,
    '  rules:',
  );
  canaryRule(d, s, e);
  if (remote) {
    d.add('    - name: delegated', '      matches:', '        - path:', '            type: PathPrefix', `            value: /${remote.name}`, '      backendRefs:');
    backendRef(d, '        ', remote, remote.versions[0], { namespace: remote.ns });
  }
  splitRule(d, s, e);
  return d;
}

function ingressRoute(s) {
  const d = doc();
  const e = errFor(['missing-section', 'missing-gateway']);
  d.add('apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata:', `  name: ${s.name}-ingress`, `  namespace: ${s.ns}`, 'spec:', '  parentRefs:');
  if (e === 'missing-gateway') {
    d.add(`    - name: ${s.ns}-gatewy`);
    d.bad(e, false, `parentRef to Gateway ${s.ns}-gatewy, which does not exist`);
  } else d.add(`    - name: ${s.ns}-gateway`);
  if (e === 'missing-section') {
    d.add('      sectionName: grpc');
    d.bad(e, false, 'sectionName grpc names no listener of the Gateway');
  } else d.add('      sectionName: https');
  d.add(
    '  hostnames:',
    `    - ${s.name}.${s.ns}.example.com`,
    '  rules:',
    '    - matches:',
    '        - path:',
    '            type: PathPrefix',
    '            value: /',
    '      backendRefs:',
    `        - name: ${s.name}`,
    `          port: ${s.port}`,
  );
  return d;
}

function grpcRoute(s) {
  const d = doc();
  d.add(
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: GRPCRoute',
    'metadata:',
    `  name: ${s.name}-grpc`,
    `  namespace: ${s.ns}`,
    'spec:',
    '  parentRefs:',
    `    - name: ${s.ns}-gateway`,
    '      sectionName: https',
    '  hostnames:',
    `    - grpc.${s.name}.${s.ns}.example.com`,
  );
  d.add(
    '  rules:',
    '    - matches:',
    '        - method:',
    `            service: ${s.ns}.${s.name[0].toUpperCase()}${s.name.slice(1).replace(/-/g, '_')}`,
    '            method: Get',
    '      backendRefs:',
    `        - name: ${s.name}-${s.versions[0]}`,
    `          port: ${s.port}`,
  );
  return d;
}

function referenceGrant(from, to) {
  const d = doc();
  d.add(
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: ReferenceGrant',
    'metadata:',
    `  name: from-${from.ns}-${from.name}`,
    `  namespace: ${to.ns}`,
    'spec:',
    '  from:',
    '    - group: gateway.networking.k8s.io',
    '      kind: HTTPRoute',
    `      namespace: ${from.ns}`,
    '  to:',
    '    - group: ""',
    '      kind: Service',
    `      name: ${to.name}-${to.versions[0]}`,
  );
  return d;
}

const seenNs = new Set();
/** The documents of service i, dependencies first (the Services a route names precede it). */
function serviceDocs(i, all) {
  const base = NAMES[i % NAMES.length];
  const s = {
    name: i < NAMES.length ? base : `${base}-${Math.floor(i / NAMES.length)}`,
    ns: NAMESPACES[i % NAMESPACES.length],
    port: pick([8080, 9080, 3000, 5000]),
    versions: rnd() < 0.3 ? ['v1', 'v2', 'v3'] : ['v1', 'v2'],
    edge: rnd() < 0.3,
  };
  const remote = i % 4 === 3 ? all.find((o) => o.ns !== s.ns) : undefined;
  all.push(s);
  const out = [];
  if (!seenNs.has(s.ns)) {
    seenNs.add(s.ns);
    out.push(gateway(s.ns));
  }
  out.push(service(s, s.name));
  for (const v of s.versions) out.push(service(s, `${s.name}-${v}`, v), deployment(s, v));
  out.push(meshRoute(s, remote));
  if (remote) out.push(referenceGrant(s, remote));
  if (s.edge) out.push(ingressRoute(s));
  if (i % 3 === 1) out.push(grpcRoute(s));
  return out.map((d) => [s.name, d]);
}

function render(docs) {
  const lines = [];
  const errors = [];
  docs.forEach((d, n) => {
    if (n > 0) lines.push('---');
    for (const e of d.errors) errors.push({ ...e, from: e.from + lines.length, to: e.to + lines.length });
    lines.push(...d.lines);
  });
  return { text: lines.join('\n') + '\n', lines: lines.length, docs: docs.length, errors };
}

const files = new Map();
const all = [];
if (opt.lines) {
  const target = Number(opt.lines);
  const docs = [];
  let total = 0;
  for (let i = 0; total < target; i++) {
    for (const [, d] of serviceDocs(i, all)) {
      if (total >= target) break;
      docs.push(d);
      total += d.lines.length + 1;
    }
  }
  files.set('gateway-api-all.yaml', docs);
} else {
  for (let i = 0; i < Number(opt.services); i++) {
    for (const [stem, d] of serviceDocs(i, all)) files.set(`${stem}.yaml`, [...(files.get(`${stem}.yaml`) ?? []), d]);
  }
}

const manifest = { generator: 'gen-gateway-api-workspace.mjs', options: opt, files: [] };
for (const [path, docs] of files) {
  const r = render(docs);
  mkdirSync(join(opt.out, path, '..'), { recursive: true });
  writeFileSync(join(opt.out, path), r.text);
  manifest.files.push({ path, lines: r.lines, docs: r.docs, errors: r.errors });
}
writeFileSync(join(opt.out, 'bench-manifest.json'), JSON.stringify(manifest, null, 1));
const sum = (k) => manifest.files.reduce((a, f) => a + (Array.isArray(f[k]) ? f[k].length : f[k]), 0);
console.log(`wrote ${manifest.files.length} file(s), ${sum('lines')} lines, ${sum('docs')} documents, ${sum('errors')} injected errors to ${opt.out}`);
