// Never fail silently (issue 9): half-typed resources in the workspace, a check that throws,
// unbounded "did you mean" work, quadratic cross-file checks, and protocol input from the edge.
import { describe, expect, it, vi } from 'vitest';
import { parseDocument } from 'yaml';
import { ROUTE_REFACTORINGS } from '../../server/src/features/refactor/routes';
import { contextAt } from '../refactorSupport';
import { offerRefactorings } from '../../server/src/features/refactor';
import { ruleName } from '../../server/src/edit/subsets';
import { runChecks, type Check } from '../../server/src/analysis/context';
import { CATALOG } from '../../server/src/base/catalog';
import { problemData, simulateParams, codeActionParams } from '../../server/src/lsp/params';
import { closest, editDistance } from '../../server/src/base/problems';
import { offered, refactor } from '../refactorSupport';
import { newService, serviceWith, settings130, wsUri, yaml } from '../support';

const files = (entries: Record<string, string>) => {
  const service = serviceWith(entries);
  return { service, diagnose: (name: string) => service.diagnoseDiskFile(wsUri(name), settings130) };
};

const routes = yaml`
  apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: reviews, namespace: shop}
  spec:
    hosts: [reviews]
    http:
    - route:
      - destination: {host: reviews, subset: v3}
  ---
  apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: ratings, namespace: shop}
  spec:
    hosts: [ratings]
    http:
    - route:
      - destination:
          host: ratings
  ---
  apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: ingress, namespace: shop}
  spec:
    hosts: [shop.example.com]
    gateways: [edge]
    http:
    - route:
      - destination: {host: reviews}
  ---
  apiVersion: networking.istio.io/v1
  kind: Gateway
  metadata: {name: edge, namespace: shop}
  spec:
    selector: {istio: ingressgateway}
    servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [shop.example.com]
      tls: {mode: SIMPLE, credentialName: shop-cert}
  ---
  apiVersion: networking.istio.io/v1
  kind: DestinationRule
  metadata: {name: reviews, namespace: shop}
  spec:
    host: reviews
    trafficPolicy:
      tls: {mode: DISABLE}
    subsets:
    - name: v1
      labels: {version: v1}
  ---
  apiVersion: networking.istio.io/v1
  kind: ServiceEntry
  metadata: {name: ext, namespace: shop}
  spec:
    hosts: [api.example.com]
    ports: [{number: 443, name: https, protocol: HTTPS}]
    resolution: DNS
  ---
  apiVersion: security.istio.io/v1
  kind: PeerAuthentication
  metadata: {name: default, namespace: shop}
  spec:
    mtls: {mode: STRICT}
`;

/** Half-typed resources of every kind with facts, and Istio kinds under the wrong API group. */
const halfTyped = ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'PeerAuthentication'].flatMap((kind) => [
  `apiVersion: networking.istio.io/v1\nkind: ${kind}\nmetadata: {name: b, namespace: shop}\nspec:\n`,
  `apiVersion: networking.istio.io/v1\nkind: ${kind}\nmetadata: {name: c, namespace: shop}\n`,
  `apiVersion: security.istio.io/v1\nkind: ${kind}\nmetadata: {name: d, namespace: shop}\nspec:\n  hosts: [reviews]\n`,
  `apiVersion: telemetry.istio.io/v1\nkind: ${kind}\nmetadata: {name: e, namespace: shop}\nspec: {host: reviews, hosts: [x]}\n`,
  `apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\n`,
]);

describe('a half-typed resource elsewhere in the workspace', () => {
  it.each(halfTyped.map((t) => [t.split('\n').slice(0, 2).join(' '), t]))('leaves the cross-file checks of other files working (%s)', (_, text) => {
    const { diagnose } = files({ 'a-typing.yaml': text, 'routes.yaml': routes });
    const codes = diagnose('routes.yaml').map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['IST0101', 'IST0140', 'KIA0207']));
    expect(codes).not.toContain('istio-internal');
    expect(diagnose('a-typing.yaml').map((p) => p.code)).not.toContain('istio-internal');
  });

  it('two ServiceEntries, one with an empty spec, are checked', () => {
    const se = (name: string, spec: string) => `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ${name}}\nspec:${spec}\n`;
    const { diagnose } = files({ 'a.yaml': `${se('ok', ' {hosts: [a.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}')}---\n${se('bad', '')}` });
    expect(diagnose('a.yaml').map((p) => p.code)).not.toContain('istio-internal');
  });

  const plain = yaml`
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: {name: ratings, namespace: shop}
    spec:
      hosts: [ratings]
      http:
      - route:
        - destination:
            host: ratings
  `;
  it.each(halfTyped.map((t, i) => [i, t]))('leaves canary, header canary, mirror and strict mTLS working (%i)', (_, text) => {
    const withCaret = { 'a-typing.yaml': text, 'plain.yaml': plain.replace('host: ratings', 'host: rat|ings') };
    expect(offered(withCaret, 'plain.yaml')).toEqual(expect.arrayContaining(['canary', 'header-canary', 'mirror']));
    for (const id of ['canary', 'header-canary', 'mirror']) expect(() => refactor(withCaret, 'plain.yaml', id)).not.toThrow();
    const onKind = { 'a-typing.yaml': text, 'plain.yaml': plain.replace('kind: VirtualService', 'kind: Virtual|Service') };
    expect(offered(onKind, 'plain.yaml')).toContain('mtls-namespace');
    expect(() => refactor(onKind, 'plain.yaml', 'mtls-namespace')).not.toThrow();
  });
});

describe('a check that fails', () => {
  it('is reported as istio-internal on the resource, and the other checks still report', () => {
    const { service } = files({ 'routes.yaml': routes });
    const entry = service.index.entries('file:///ws/routes.yaml')[0];
    const failing: Check = function checkThatThrows() {
      throw new TypeError("Cannot read properties of undefined (reading 'hosts')");
    };
    const working: Check = (ctx) => ctx.report('unknownKind', { start: 0, end: 3 }, 'still here');
    const problems = runChecks([failing, working], service.index, entry);
    expect(problems.map((p) => p.code)).toEqual([CATALOG.internal.code, CATALOG.unknownKind.code]);
    expect(problems[0].message).toMatch(/^The checker failed here \(checkThatThrows: TypeError: Cannot read properties of undefined \(reading 'hosts'\)\)/);
    expect(routes.slice(problems[0].start, problems[0].end)).toBe('VirtualService');
  });
});

describe('a refactoring that fails while offering', () => {
  it('is offered as a failure, and the other refactorings still are', () => {
    const canary = ROUTE_REFACTORINGS.find((p) => p.id === 'canary')!;
    const spy = vi.spyOn(canary, 'offer').mockImplementation(() => {
      throw new RangeError('boom');
    });
    try {
      const { ctx, uri, offset } = contextAt({ 'routes.yaml': routes.replace('host: ratings', 'host: rat|ings') }, 'routes.yaml');
      const offered = offerRefactorings(ctx, uri, offset);
      expect(offered.find((r) => r.id === 'canary')?.failure).toBeInstanceOf(RangeError);
      expect(offered.map((r) => r.id)).toEqual(expect.arrayContaining(['header-canary', 'mirror']));
    } finally {
      spy.mockRestore();
    }
  });
});

describe('documents that parse but have no plain value', () => {
  const merged = (mergeValue: string) => yaml`
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: {name: reviews, namespace: shop}
    spec:
      hosts: [reviews]
      http:
      - match:
        - <<: ${mergeValue}
        route:
        - destination: {host: reviews}
  `;
  it.each([
    ['a merge of a scalar', '5'],
    ['an alias defined nowhere', '*nowhere'],
    ['a merge of a sequence of scalars', '[1, 2]'],
  ])('%s: diagnostics, preview and simulator answer', (_, value) => {
    const { service, diagnose } = files({ 'vs.yaml': merged(value) });
    expect(diagnose('vs.yaml').map((p) => p.code)).not.toContain('istio-internal');
    const offset = merged(value).indexOf('route:');
    const traffic = service.traffic('file:///ws/vs.yaml', offset, settings130);
    expect(traffic.model !== undefined || traffic.problems.length > 0).toBe(true);
    expect(service.simulate('file:///ws/vs.yaml', offset, { authority: 'reviews', path: '/' }, settings130).summary).toBeTruthy();
  });
});

describe('names made from hosts', () => {
  it('are DNS labels however long or odd the host', () => {
    expect(ruleName('reviews.shop.svc.cluster.local')).toBe('reviews');
    expect(ruleName('*.example.com')).toBe('example');
    expect(ruleName('x'.repeat(3000))).toBe('x'.repeat(63));
    expect(ruleName(`${'a'.repeat(62)}_b`)).toBe('a'.repeat(62));
    expect(ruleName('***')).toBe('destination');
  });
});

describe('policies written for a workload', () => {
  const service = (app: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n  namespace: shop\nspec:\n  selector:\n    app: ${app}\n`;
  it('are not offered when its labels are not valid label values (the policy would be rejected)', () => {
    const ids = offered({ 'svc.yaml': service('"/"').replace('name: ratings', 'name: rat|ings') }, 'svc.yaml');
    expect(ids).not.toContain('mtls-workload');
    expect(offered({ 'svc.yaml': service('ratings').replace('name: ratings', 'name: rat|ings') }, 'svc.yaml')).toContain('mtls-workload');
  });
  it('are not offered for a namespace that is not a DNS label', () => {
    expect(offered({ 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: INSTANCE_|IP\n' }, 'ns.yaml')).not.toContain('mtls-namespace');
    expect(offered({ 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: sh|op\n' }, 'ns.yaml')).toContain('mtls-namespace');
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: zipkin\n  namespace: i`stio-system\nspec:\n  template:\n    metadata:\n      labels:\n        app: zip|kin\n';
    expect(offered({ 'd.yaml': deployment }, 'd.yaml')).not.toEqual(expect.arrayContaining(['mtls-workload']));
    expect(offered({ 'd.yaml': deployment }, 'd.yaml')).not.toContain('require-jwt');
  });
  it('get DNS-label names made from the app label', () => {
    const after = refactor({ 'svc.yaml': service('Ratings_V1').replace('name: ratings', 'name: rat|ings') }, 'svc.yaml', 'mtls-workload');
    expect(after['svc.yaml']).toContain('name: ratings-v1-strict');
    expect(after['svc.yaml']).toContain('app: Ratings_V1');
  });
});

describe('refactorings on maps with an anchor or tag before the first key', () => {
  const anchored = yaml`
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata:
      name: reviews
    spec:
      hosts: [reviews]
      http:
      - &a route:
        - destination:
            host: reviews
            subset: v3
  `;
  it.each(['mirror', 'retries', 'timeout', 'fault-delay'])('%s leaves the YAML parsing, or refuses', (id) => {
    const withCaret = { 'vs.yaml': anchored.replace('subset: v3', 'subset: v|3') };
    if (!offered(withCaret, 'vs.yaml').includes(id)) return;
    let after: Record<string, string> | undefined;
    try {
      after = refactor(withCaret, 'vs.yaml', id);
    } catch (e) {
      expect(String(e)).toMatch(/cannot|form/);
      return;
    }
    expect(parseDocument(after['vs.yaml']).errors).toEqual([]);
  });
});

describe('completion at the very start of a file that begins with a line break', () => {
  it('replaces a range that starts before it ends', () => {
    const service = newService();
    for (const text of ['\n\n', '\napiVersion: networking.istio.io/v1\n', '\r\n']) {
      service.open('file:///c.yaml', 1, text);
      const result = service.complete('file:///c.yaml', 0, settings130);
      if (result) expect(result.replaceStart).toBeLessThanOrEqual(result.replaceEnd);
      expect(result?.replaceStart ?? 0).toBe(0);
    }
  });
});

describe('the preview of a VirtualService being typed', () => {
  it('shows it with no routes (its CodeLens is there, so is its view)', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: typing\nspec:\n';
    const { service } = files({ 'vs.yaml': text });
    expect(service.trafficPreviewStarts('file:///ws/vs.yaml')).toHaveLength(1);
    expect(service.traffic('file:///ws/vs.yaml', text.indexOf('VirtualService'), settings130).model).toMatchObject({ name: 'typing', routes: [], hosts: [] });
  });
});

describe('a file that starts with a byte-order mark', () => {
  it('is analysed like the same file without it', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r]\n  htp: []\n';
    const plain = files({ 'a.yaml': text })
      .diagnose('a.yaml')
      .map((p) => [p.code, p.start + 1]);
    expect(plain.length).toBeGreaterThan(0);
    expect(
      files({ 'a.yaml': `\uFEFF${text}` })
        .diagnose('a.yaml')
        .map((p) => [p.code, p.start]),
    ).toEqual(plain);
  });
});

describe('did you mean', () => {
  it('finds typos as before', () => {
    expect(closest('v3', ['v1', 'v2'], 2)).toBe('v1');
    expect(closest('timout', ['timeout', 'retries'])).toBe('timeout');
    expect(closest('LEAST_REQUESTS', ['LEAST_REQUEST', 'ROUND_ROBIN'])).toBe('LEAST_REQUEST');
    expect(closest('abcdefghijklmnopqr', ['zzzzzzzzzzzzz'])).toBeUndefined();
  });

  it('computes a banded distance: exact within the limit, limit + 1 beyond', () => {
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('a'.repeat(100), 'b'.repeat(100), 5)).toBe(6);
  });

  it('gives no suggestion for a 20,000-character name (bounded work, not a 20 s hang)', () => {
    const long = 'v'.repeat(20_000);
    expect(closest(`${long}x`, [`${long}y`, 'v1'])).toBeUndefined();
    const { diagnose } = files({ 'routes.yaml': routes.replace('subset: v3', `subset: ${long}x`).replace('- name: v1', `- name: ${long}y`) });
    const missing = diagnose('routes.yaml').filter((p) => p.data?.type === 'subset-not-found');
    expect(missing).toHaveLength(1);
    expect(missing[0].data).toMatchObject({ suggestion: undefined });
  });
});

describe('cross-file checks over many routes and ServiceEntries', () => {
  it('reports duplicate and unreachable matches over 20,000 routes', () => {
    const http = Array.from({ length: 20_000 }, (_, i) => `{match: [{uri: {prefix: /p${i % 10_000}}}], route: [{destination: {host: reviews}}]}`);
    const text = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: big}\nspec: {hosts: [reviews], http: [${http.join(', ')}, {route: [{destination: {host: reviews}}]}, {route: [{destination: {host: reviews}}]}]}\n`;
    const { diagnose } = files({ 'big.yaml': text });
    const codes = diagnose('big.yaml').map((p) => p.code);
    // As Istio: the second 10,000 routes only repeat matches (IST0131 each, and IST0130 for the
    // route), the second catch-all is unused, and every prefix /pNN... is covered by a shorter one.
    expect(codes.filter((c) => c === 'IST0130')).toHaveLength(10_001);
    expect(codes.filter((c) => c === 'IST0131')).toHaveLength(10_000 + 9_990);
  });

  it('finds ServiceEntry protocol conflicts among 2,500 ServiceEntries', () => {
    const se = (i: number, protocol: string) =>
      `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se${i}}\nspec: {hosts: [h${i % 1250}.example.com], ports: [{number: 80, name: p, protocol: ${protocol}}], resolution: DNS}\n`;
    const text = Array.from({ length: 2500 }, (_, i) => se(i, i < 1250 ? 'HTTP' : i === 2499 ? 'TCP' : 'HTTP')).join('---\n');
    const { diagnose } = files({ 'many.yaml': text });
    expect(diagnose('many.yaml').filter((p) => p.code === 'IST0177')).toHaveLength(2);
  });
});

describe('protocol input checked at the edge', () => {
  const position = { line: 0, character: 0 };
  it('refuses simulate params with non-string fields, naming the field', () => {
    expect(simulateParams({ uri: 'file:///a.yaml', position, request: { authority: 'a', path: '/' } }, 'params')).toBeUndefined();
    expect(simulateParams({ uri: 'file:///a.yaml', position, request: { authority: 1, path: '/' } }, 'params')).toBe('params.request.authority must be a string');
    expect(simulateParams({ uri: 'file:///a.yaml', position, request: { authority: 'a', path: '/', headers: { x: 1 } } }, 'params')).toBe('params.request.headers.x must be a string');
    expect(simulateParams({ uri: 'file:///a.yaml', position: { line: -1, character: 0 }, request: { authority: 'a', path: '/' } }, 'params')).toMatch(/position.line/);
    expect(simulateParams(null, 'params')).toBe('params must be an object');
  });

  it('takes back only the diagnostic data we sent', () => {
    expect(problemData({ type: 'subset-not-found', host: 'reviews', subset: 'v3', defined: ['v1'] })).toBeDefined();
    expect(problemData({ type: 'subset-not-found', host: 'reviews', subset: 3, defined: ['v1'] })).toBeUndefined();
    expect(problemData({ type: 'weights', routeKind: 'http', routeIndex: '0' })).toBeUndefined();
    expect(problemData({ type: 'toString' })).toBeUndefined();
    expect(problemData({ type: '__proto__' })).toBeUndefined();
    expect(problemData('subset-not-found')).toBeUndefined();
  });

  it('checks code action params', () => {
    const range = { start: position, end: position };
    expect(codeActionParams({ textDocument: { uri: 'u' }, range, context: { diagnostics: [] } }, 'params')).toBeUndefined();
    expect(codeActionParams({ textDocument: { uri: 'u' }, range, context: { diagnostics: [{ range: null, message: 'x' }] } }, 'params')).toMatch(/diagnostics\[0\]\.range/);
  });
});
