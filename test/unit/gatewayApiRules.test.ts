// The native answers of the Gateway API's CEL rules (server/src/schema/gatewayApiRules.ts) must
// be the CEL evaluator's, on every value they answer. The values are the ones the validator
// builds from real documents (our fixtures, Istio's samples, the benchmark's workspace, and the
// edge cases below), and every variant of them with one field removed, duplicated or replaced by
// a value of another type or another meaningful value: the answers must agree on all of them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { RuleCompiler, type CelProgram } from '../../server/src/schema/cel';
import { celValueOf, type CelValueCache } from '../../server/src/schema/celValue';
import type { SchemaNode } from '../../server/src/schema/compile';
import { fastRule } from '../../server/src/schema/gatewayApiRules';
import { newService, repoRoot, settings130, sharedDir, yaml, yamlFiles } from '../support';

const registry = newService().context(settings130).schemas;
const compiler = new RuleCompiler();
const GROUP = 'gateway.networking.k8s.io';

/** Rule text → the values (by their JSON) a document gave it. */
const corpus = new Map<string, Map<string, unknown>>();

const keyOf = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

function collect(node: Node | null | undefined, schema: SchemaNode | undefined, doc: Document, cache: CelValueCache, depth = 0): void {
  if (!node || !schema || depth > 40) return;
  for (const { spec } of schema.rules) {
    if (!fastRule(spec.rule)) continue;
    const value = celValueOf(node, schema, doc, cache);
    let values = corpus.get(spec.rule);
    if (!values) corpus.set(spec.rule, (values = new Map()));
    values.set(keyOf(value), value);
  }
  for (const sub of [...schema.allOf, ...schema.anyOf, ...schema.oneOf]) collect(node, sub, doc, cache, depth + 1);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const child = schema.properties?.get(key) ?? (typeof schema.additional === 'object' ? schema.additional : undefined);
      collect(pair.value as Node | null, child, doc, cache, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) collect(item as Node, schema.items, doc, cache, depth + 1);
  }
}

function collectText(text: string): void {
  for (const doc of parseAllDocuments(text)) {
    if (!('contents' in doc) || doc.errors.length > 0) continue;
    const value = doc.toJS() as { apiVersion?: unknown; kind?: unknown } | null;
    if (typeof value?.apiVersion !== 'string' || typeof value.kind !== 'string') continue;
    const [group, version] = value.apiVersion.split('/');
    if (group !== GROUP || !version) continue;
    const schema = registry.schemaFor('1.30', group, version, value.kind);
    if (schema) collect(doc.contents as Node, schema.root, doc, new Map());
  }
}

// Values the real documents rarely hold: duplicate and namespaced parents, TLS listeners, prefix rewrites, timeouts.
const EDGE_CASES = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata: { name: edge, namespace: shop }
  spec:
    parentRefs:
      - { name: gw, namespace: a }
      - { name: gw, namespace: b }
      - { name: gw, namespace: a, sectionName: http }
      - { name: gw, sectionName: '' }
      - { name: gw, port: 0 }
      - { name: gw, port: 80 }
      - { name: mesh, kind: Service, group: '' }
    rules:
      - name: one
        matches:
          - path: { type: PathPrefix, value: /api }
        filters:
          - type: URLRewrite
            urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /v2 } }
          - type: RequestRedirect
            requestRedirect: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /x } }
        timeouts: { request: 10s, backendRequest: 20s }
        backendRefs:
          - name: svc
            port: 80
            filters:
              - { type: ResponseHeaderModifier, responseHeaderModifier: {} }
              - { type: ResponseHeaderModifier, responseHeaderModifier: {} }
              - { type: ExtensionRef, extensionRef: { group: example.com, kind: Filter, name: f } }
              - { type: ExternalAuth, externalAuth: { protocol: HTTP, backendRef: { name: auth, port: 80 } } }
      - name: one
        matches:
          - path: { type: Exact, value: /a/./b }
          - path: { type: Exact, value: /a//b }
          - path: { type: PathPrefix, value: /a/.. }
          - path: { type: RegularExpression, value: '/a/.*' }
        timeouts: { request: 0s, backendRequest: 1h }
        backendRefs:
          - name: svc
            kind: Service
            group: ''
            filters:
              - type: RequestMirror
              - type: CORS
                cors: {}
              - type: CORS
                cors: {}
              - type: URLRewrite
                urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /v2 } }
          - { name: other, kind: Backend, group: example.com }
      - timeouts: { request: 1500ms, backendRequest: 1s }
  ---
  apiVersion: gateway.networking.k8s.io/v1
  kind: GRPCRoute
  metadata: { name: edge, namespace: shop }
  spec:
    rules:
      - matches:
          - method: { service: foo.Bar, method: Get }
          - method: { type: Exact, service: Foo.bar }
          - method: { type: Exact, service: 1bad }
          - method: { type: RegularExpression, service: '.*' }
          - method: { type: Exact }
  ---
  apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata: { name: edge, namespace: shop }
  spec:
    gatewayClassName: istio
    listeners:
      - { name: http, port: 80, protocol: HTTP }
      - { name: http, port: 80, protocol: HTTP, hostname: a.example.com }
      - name: tls
        port: 443
        protocol: TLS
        tls: { mode: Passthrough }
      - name: https
        port: 443
        protocol: HTTPS
        hostname: b.example.com
        tls: { mode: Terminate, certificateRefs: [{ name: cert }] }
      - { name: tcp, port: 9000, protocol: TCP, hostname: c.example.com }
      - { name: tls-bare, port: 8443, protocol: TLS }
`;

/** Values that differ from `value` in one place: a field removed, or set to another value; a list item removed, duplicated or changed. */
function variants(value: unknown, depth: number): unknown[] {
  if (depth === 0) return [];
  const replacements: unknown[] = ['', 'x', 0n, 80n, 1.5, true, {}, [], 'Exact', 'PathPrefix', 'RegularExpression', 'Service', 'HTTP', 'HTTPS', 'TLS', 'TCP', 'Terminate', '0s', '10s'];
  // Where a string is read, the others the rules compare it with.
  const strings = [
    'RequestHeaderModifier',
    'ResponseHeaderModifier',
    'RequestRedirect',
    'URLRewrite',
    'RequestMirror',
    'CORS',
    'ExtensionRef',
    'ExternalAuth',
    '/a//b',
    '/a/../b',
    '/a%2fb',
    '/a%2Fb',
    '/a#b',
    '/a/.',
    '/a/..',
    'a',
  ];
  const out: unknown[] = [];
  if (Array.isArray(value)) {
    out.push([]);
    value.forEach((item, i) => {
      out.push([...value.slice(0, i), ...value.slice(i + 1)], [...value.slice(0, i + 1), item, ...value.slice(i + 1)]);
      for (const changed of [...variants(item, depth - 1), 'x', 5n]) out.push(value.map((v, j) => (j === i ? changed : v)));
    });
  } else if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      out.push(Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key)));
      const others = typeof obj[key] === 'string' ? strings : [];
      for (const changed of [...replacements, ...others, ...variants(obj[key], depth - 1)]) out.push({ ...obj, [key]: changed });
    }
  }
  return out;
}

const shared = join(sharedDir, 'istio-samples');
let benchDir: string | undefined;

afterAll(() => {
  if (benchDir) rmSync(benchDir, { recursive: true, force: true });
});

describe('native Gateway API rules agree with the CEL evaluator', () => {
  it('on every value of the corpus and its variants', () => {
    benchDir = mkdtempSync(join(tmpdir(), 'gw-rules-'));
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'gen-gateway-api-workspace.mjs'), '--out', benchDir, '--lines', '3000', '--seed', '7']);
    const files = [...yamlFiles(join(repoRoot, 'test', 'fixtures')), ...yamlFiles(join(repoRoot, 'test', 'e2e', 'fixtures')), ...yamlFiles(shared), ...yamlFiles(benchDir)];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (text.includes(GROUP)) collectText(text);
    }
    collectText(EDGE_CASES);

    const answered = new Map<string, { true: number; false: number; deferred: number }>();
    const mismatches: string[] = [];
    for (const [rule, values] of corpus) {
      const fast = fastRule(rule)!;
      const cel = compiler.evaluator(rule) as CelProgram;
      const tally = { true: 0, false: 0, deferred: 0 };
      const seen = new Set<string>();
      for (const base of values.values()) {
        for (const value of [base, ...variants(base, 3)]) {
          const key = keyOf(value);
          if (seen.has(key)) continue;
          seen.add(key);
          const answer = fast(value);
          if (answer === undefined) {
            tally.deferred++;
            continue;
          }
          tally[answer ? 'true' : 'false']++;
          const expected = cel(value);
          if (answer !== expected && mismatches.length < 20) mismatches.push(`${rule.slice(0, 90)}…\n  on ${key.slice(0, 300)}\n  native ${answer}, CEL ${String(expected)}`);
        }
      }
      answered.set(rule, tally);
    }
    expect(mismatches).toEqual([]);
    // Every rule of the routes and the Gateway with a native answer was met, and answered.
    const kinds = ['httproute_v1.json', 'grpcroute_v1.json', 'gateway_v1.json'];
    const bundleRules = kinds.flatMap((file) =>
      [...readFileSync(join(repoRoot, 'schemas', 'gateway-api', 'v1.5.1', GROUP, file), 'utf8').matchAll(/"rule": ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string),
    );
    const natives = [...new Set(bundleRules.filter((r) => fastRule(r)))];
    expect(natives.length).toBeGreaterThanOrEqual(40);
    for (const rule of natives) {
      const tally = answered.get(rule);
      expect(tally, `no value reached ${rule}`).toBeDefined();
      expect(tally!.true + tally!.false, `never answered natively: ${rule}`).toBeGreaterThan(0);
    }
    // Every other rule is also seen failing natively: its answers are not only `true`.
    const failing = natives.filter((r) => answered.get(r)!.false > 0);
    // The ReplacePrefixMatch rules answer only for routes without such a filter, where they hold.
    const onlyHolding = natives.filter((r) => r.includes('ReplacePrefixMatch'));
    expect(onlyHolding).toHaveLength(4);
    expect(natives.filter((r) => !failing.includes(r) && !onlyHolding.includes(r))).toEqual([]);
  });

  it('answers only the rules it knows', () => {
    expect(fastRule("self.all(l, l.protocol == 'HTTP')")).toBeUndefined();
    expect(fastRule('!(has(self.cors) && self.type != "CORS")')).toBeUndefined();
  });
});
