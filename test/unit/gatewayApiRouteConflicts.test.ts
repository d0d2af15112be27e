// Route conflicts: two HTTPRoutes (or GRPCRoutes) of one parent and hostname with an identical
// match (istio-route-match-conflict, on the loser), a rule repeating an earlier rule's match
// (istio-route-duplicate-match), and route filters Istio does not implement.
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../support';

const CODES = ['istio-route-match-conflict', 'istio-route-duplicate-match', 'istio-gateway-api-unsupported'];

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: edge
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: All
  - name: admin
    port: 8080
    protocol: HTTP
    hostname: admin.example.com
    allowedRoutes:
      namespaces:
        from: All
`;

interface RouteSpec {
  name: string;
  namespace?: string;
  kind?: 'HTTPRoute' | 'GRPCRoute';
  hostnames?: string[];
  parent?: string;
  created?: string;
  /** Each rule's `matches` as YAML flow text, or undefined for a rule without matches. */
  rules: (string | undefined)[];
}

function route(r: RouteSpec): string {
  const meta = `metadata:\n  name: ${r.name}\n  namespace: ${r.namespace ?? 'shop'}\n${r.created ? `  creationTimestamp: "${r.created}"\n` : ''}`;
  const hostnames = r.hostnames ? `  hostnames: [${r.hostnames.map((h) => `"${h}"`).join(', ')}]\n` : '';
  const rules = r.rules.map((m) => `  - ${m ? `matches: ${m}\n    ` : ''}backendRefs:\n    - name: web\n      port: 80\n`).join('');
  return `apiVersion: gateway.networking.k8s.io/v1\nkind: ${r.kind ?? 'HTTPRoute'}\n${meta}spec:\n  parentRefs:\n  - ${r.parent ?? 'name: gw\n    namespace: edge'}\n${hostnames}  rules:\n${rules}`;
}

function found(files: Record<string, string>, target: string): string[] {
  return problemsOf(files, target, CODES).map((p) => `${p.line} ${p.code} ${p.text}`);
}

function message(files: Record<string, string>, target: string): string {
  return problemsOf(files, target, CODES)[0]?.message ?? '';
}

describe('istio-route-match-conflict', () => {
  it('flags the route that loses by namespace/name when neither carries a creationTimestamp, and says so', () => {
    const files = {
      'gw.yaml': GATEWAY,
      'a.yaml': route({ name: 'a', hostnames: ['shop.example.com'], rules: ['[{path: {type: PathPrefix, value: /api}}]'] }),
      'b.yaml': route({ name: 'b', hostnames: ['shop.example.com'], rules: ['[{path: {value: /api/}}]'] }),
    };
    expect(found(files, 'a.yaml')).toEqual([]);
    expect(found(files, 'b.yaml')).toEqual(['11 istio-route-match-conflict {path: {value: /api/}}']);
    const text = message(files, 'b.yaml');
    expect(text).toContain('HTTPRoute shop/a (a.yaml)');
    expect(text).toContain('shop.example.com');
    expect(text).toContain("listener 'http'");
    expect(text).toContain('no creationTimestamp');
  });

  it('lets the older route win when both carry a creationTimestamp', () => {
    const files = {
      'gw.yaml': GATEWAY,
      'a.yaml': route({ name: 'a', created: '2025-03-01T10:00:00Z', rules: [undefined] }),
      'b.yaml': route({ name: 'b', created: '2024-01-01T10:00:00Z', rules: ['[{path: {type: PathPrefix, value: /}}]'] }),
    };
    expect(found(files, 'b.yaml')).toEqual([]);
    expect(found(files, 'a.yaml')).toEqual(['11 istio-route-match-conflict backendRefs']);
    expect(message(files, 'a.yaml')).toContain('being older');
  });

  it('compares normalized matches: header names ignore case and order; a different method, header value or path type is another match', () => {
    const base = '[{path: {type: Exact, value: /x}, headers: [{name: X-Env, value: dev}, {name: b, value: "1"}]}]';
    const same = '[{path: {type: Exact, value: /x}, headers: [{name: B, value: 1}, {name: x-env, value: dev}]}]';
    const files = { 'gw.yaml': GATEWAY, 'a.yaml': route({ name: 'a', rules: [base] }), 'b.yaml': route({ name: 'b', rules: [same] }) };
    expect(found(files, 'b.yaml')).toHaveLength(1);
    for (const other of ['[{path: {type: Exact, value: /x}, method: GET}]', '[{path: {type: PathPrefix, value: /x}}]', '[{path: {type: Exact, value: /x}, headers: [{name: X-Env, value: prod}]}]']) {
      expect(found({ 'gw.yaml': GATEWAY, 'a.yaml': route({ name: 'a', rules: ['[{path: {type: Exact, value: /x}}]'] }), 'b.yaml': route({ name: 'b', rules: [other] }) }, 'b.yaml')).toEqual([]);
    }
  });

  it('needs the same hostname on the same listener: other hostnames, other listeners, other parents do not compete', () => {
    const m = '[{path: {value: /}}]';
    const different = { 'gw.yaml': GATEWAY, 'a.yaml': route({ name: 'a', hostnames: ['a.example.com'], rules: [m] }), 'b.yaml': route({ name: 'b', hostnames: ['b.example.com'], rules: [m] }) };
    expect(found(different, 'b.yaml')).toEqual([]);
    // A wildcard and a name it covers: the more specific hostname wins its requests, the wildcard keeps the rest.
    const wildcard = { 'gw.yaml': GATEWAY, 'a.yaml': route({ name: 'a', hostnames: ['*.example.com'], rules: [m] }), 'b.yaml': route({ name: 'b', hostnames: ['b.example.com'], rules: [m] }) };
    expect(found(wildcard, 'b.yaml')).toEqual([]);
    const sections = {
      'gw.yaml': GATEWAY,
      'a.yaml': route({ name: 'a', parent: 'name: gw\n    namespace: edge\n    sectionName: http', rules: [m] }),
      'b.yaml': route({ name: 'b', parent: 'name: gw\n    namespace: edge\n    sectionName: admin', rules: [m] }),
    };
    expect(found(sections, 'b.yaml')).toEqual([]);
    // The listener's hostname is the route's when it has none: both serve admin.example.com on 'admin'.
    const listenerHost = {
      'gw.yaml': GATEWAY,
      'a.yaml': route({ name: 'a', parent: 'name: gw\n    namespace: edge\n    sectionName: admin', rules: [m] }),
      'b.yaml': route({ name: 'b', parent: 'name: gw\n    namespace: edge\n    sectionName: admin', hostnames: ['admin.example.com'], rules: [m] }),
    };
    expect(found(listenerHost, 'b.yaml')).toEqual(['12 istio-route-match-conflict {path: {value: /}}']);
  });

  it('compares mesh routes attached to the same Service, and a route written twice (alternatives of one resource) not with itself', () => {
    const mesh = 'group: ""\n    kind: Service\n    name: reviews';
    const files = { 'a.yaml': route({ name: 'a', parent: mesh, rules: [undefined] }), 'b.yaml': route({ name: 'b', parent: mesh, rules: [undefined] }) };
    expect(found(files, 'b.yaml')).toHaveLength(1);
    const twice = { 'a.yaml': route({ name: 'a', parent: mesh, rules: [undefined] }), 'a-v2.yaml': route({ name: 'a', parent: mesh, rules: [undefined] }) };
    expect(found(twice, 'a.yaml')).toEqual([]);
    expect(found(twice, 'a-v2.yaml')).toEqual([]);
  });

  it('compares GRPCRoutes with GRPCRoutes only', () => {
    const grpc = (name: string, m: string) => route({ name, kind: 'GRPCRoute', rules: [m] });
    const m = '[{method: {service: shop.Cart, method: Add}}]';
    expect(found({ 'gw.yaml': GATEWAY, 'a.yaml': grpc('a', m), 'b.yaml': grpc('b', m) }, 'b.yaml')).toHaveLength(1);
    expect(found({ 'gw.yaml': GATEWAY, 'a.yaml': route({ name: 'a', rules: [undefined] }), 'b.yaml': grpc('b', '[{}]') }, 'b.yaml')).toEqual([]);
  });
});

describe('istio-route-duplicate-match', () => {
  it('flags a later rule of one route repeating an earlier match, not the first', () => {
    const files = { 'r.yaml': route({ name: 'r', rules: ['[{path: {value: /a}}, {path: {value: /b}}]', '[{path: {value: /c}}, {path: {value: /b/}}]'] }) };
    expect(found(files, 'r.yaml')).toEqual(['14 istio-route-duplicate-match {path: {value: /b/}}']);
    expect(message(files, 'r.yaml')).toContain('rules[0]');
  });

  it('treats two rules without matches as the same match, and a half-typed match as none', () => {
    expect(found({ 'r.yaml': route({ name: 'r', rules: [undefined, undefined] }) }, 'r.yaml')).toHaveLength(1);
    expect(found({ 'r.yaml': route({ name: 'r', rules: ['[pa]', '[pa]'] }) }, 'r.yaml')).toEqual([]);
  });
});

describe('route filters Istio does not implement', () => {
  const withFilter = (filter: string, where: 'rule' | 'backend', parent?: string) =>
    `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  parentRefs:\n  - ${parent ?? 'name: gw\n    namespace: edge'}\n  rules:\n  - ${
      where === 'rule' ? `filters:\n    - ${filter}\n    ` : ''
    }backendRefs:\n    - name: web\n      port: 80\n${where === 'backend' ? `      filters:\n      - ${filter}\n` : ''}`;

  it('flags ExtensionRef on a rule and a URLRewrite on a backendRef of a route on an Istio Gateway', () => {
    const ext = { 'gw.yaml': GATEWAY, 'r.yaml': withFilter('type: ExtensionRef\n      extensionRef: {group: example.com, kind: Auth, name: a}', 'rule') };
    expect(found(ext, 'r.yaml')).toEqual(['11 istio-gateway-api-unsupported ExtensionRef']);
    expect(message(ext, 'r.yaml')).toContain('InvalidFilter');
    const rewrite = { 'gw.yaml': GATEWAY, 'r.yaml': withFilter('type: URLRewrite\n        urlRewrite: {hostname: a.example.com}', 'backend') };
    expect(found(rewrite, 'r.yaml')).toEqual(['14 istio-gateway-api-unsupported URLRewrite']);
  });

  it("accepts the filters Istio implements, and leaves routes of another controller's or unknown Gateways alone", () => {
    expect(found({ 'gw.yaml': GATEWAY, 'r.yaml': withFilter('type: URLRewrite\n      urlRewrite: {hostname: a.example.com}', 'rule') }, 'r.yaml')).toEqual([]);
    const foreign = GATEWAY.replace('gatewayClassName: istio', 'gatewayClassName: eg');
    expect(found({ 'gw.yaml': foreign, 'r.yaml': withFilter('type: ExtensionRef\n      extensionRef: {group: example.com, kind: Auth, name: a}', 'rule') }, 'r.yaml')).toEqual([]);
    expect(found({ 'r.yaml': withFilter('type: ExtensionRef\n      extensionRef: {group: example.com, kind: Auth, name: a}', 'rule') }, 'r.yaml')).toEqual([]);
  });

  it('flags them on mesh routes (Istio programs every Service parent)', () => {
    const mesh = 'group: ""\n    kind: Service\n    name: web';
    expect(found({ 'r.yaml': withFilter('type: ExtensionRef\n      extensionRef: {group: example.com, kind: Auth, name: a}', 'rule', mesh) }, 'r.yaml')).toEqual([
      '12 istio-gateway-api-unsupported ExtensionRef',
    ]);
  });
});
