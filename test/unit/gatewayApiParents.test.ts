// A Gateway API route's parentRefs: KIA1401 (a Gateway not found, or one whose listeners do not
// admit the route's namespace), KIA1402 and istio-parent-serviceentry-not-found (mesh parents),
// istio-listener-not-found (sectionName, port), istio-route-kind-not-allowed and
// istio-route-hostname-not-allowed; hints where the workspace cannot tell; the quick fixes.
import { describe, expect, it } from 'vitest';
import { quickFixes } from '../../server/src/features/quickFixes';
import { applyEdits } from '../refactorSupport';
import { serviceWith, settings130, wsUri, yaml } from '../support';

type Files = Record<string, string>;

const CODES = [
  'KIA1401',
  'KIA1402',
  'istio-parent-serviceentry-not-found',
  'istio-listener-not-found',
  'istio-route-kind-not-allowed',
  'istio-route-hostname-not-allowed',
  'istio-reference-outside-workspace',
];

const gateway = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata: {name: edge, namespace: ingress}
  spec:
    gatewayClassName: istio
    listeners:
    - name: http
      port: 80
      protocol: HTTP
      hostname: "*.example.com"
      allowedRoutes:
        namespaces: {from: All}
    - name: https
      port: 443
      protocol: HTTPS
      hostname: shop.example.com
      allowedRoutes:
        namespaces:
          from: Selector
          selector:
            matchLabels: {shared: "true"}
    - name: tcp
      port: 9000
      protocol: TCP
      allowedRoutes:
        namespaces: {from: All}
    - name: own
      port: 8080
      protocol: HTTP
  ---
  apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata: {name: internal, namespace: ingress}
  spec:
    gatewayClassName: istio
    listeners:
    - {name: http, port: 80, protocol: HTTP}
  `;

/** An HTTPRoute (or another kind) of namespace shop with these parentRefs and hostnames. */
function route(parentRefs: string[], hostnames: string[] = [], kind = 'HTTPRoute', apiVersion = 'gateway.networking.k8s.io/v1'): string {
  const refs = parentRefs.map((r) => `  - ${r}\n`).join('');
  const hosts = hostnames.length > 0 ? `  hostnames: [${hostnames.join(', ')}]\n` : '';
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: web, namespace: shop}\nspec:\n  parentRefs:\n${refs}${hosts}  rules:\n  - backendRefs:\n    - {name: web, port: 80}\n`;
}

/** `line code text-at-range message` of the parentRef codes raised on `target` (before its rules, whose backendRefs have checks of their own). */
function check(files: Files, target = 'route.yaml'): string[] {
  const text = files[target];
  const rules = text.indexOf('\n  rules:');
  return serviceWith(files)
    .diagnoseDiskFile(wsUri(target), settings130)
    .filter((p) => CODES.includes(p.code) && (rules < 0 || p.start < rules))
    .map((p) => `${text.slice(0, p.start).split('\n').length} ${p.code} ${text.slice(p.start, p.end)} ${p.message}`);
}

const withGateway = (routeText: string, extra: Files = {}): Files => ({ 'gw.yaml': gateway, 'route.yaml': routeText, ...extra });

describe('parentRefs to a Gateway', () => {
  it('raises nothing for a parentRef to a listener that admits the route', () => {
    expect(check(withGateway(route(['{name: edge, namespace: ingress, sectionName: http}'], ['shop.example.com'])))).toEqual([]);
    expect(check(withGateway(route(['{name: edge, namespace: ingress, port: 80}'])))).toEqual([]);
  });

  it('KIA1401 on a Gateway missing from a namespace whose Gateways the workspace holds, with the closest one', () => {
    expect(check(withGateway(route(['{name: egde, namespace: ingress}'])))).toEqual([
      "6 KIA1401 egde Gateway ingress/egde not found; Gateways of namespace ingress: edge, internal. Did you mean 'edge'?",
    ]);
  });

  it('lists at most twelve Gateways of the namespace', () => {
    const many = Array.from(
      { length: 15 },
      (_, i) => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw${String(i).padStart(2, '0')}, namespace: ingress}\nspec:\n  gatewayClassName: istio\n  listeners: []\n`,
    ).join('---\n');
    const [found] = check({ 'gw.yaml': many, 'route.yaml': route(['{name: portal, namespace: ingress}']) });
    expect(found).toBe('6 KIA1401 portal Gateway ingress/portal not found; Gateways of namespace ingress: gw00, gw01, gw02, gw03, gw04, gw05, gw06, gw07, gw08, gw09, gw10, gw11 and 3 more.');
  });

  it('a hint, not an error, for a Gateway of a namespace the workspace holds none of', () => {
    expect(check(withGateway(route(['{name: public, namespace: istio-ingress}'])))).toEqual([
      '6 istio-reference-outside-workspace public Gateway istio-ingress/public is not in the workspace (no Gateways in namespace istio-ingress); it may be defined in the cluster.',
    ]);
    // The route's own namespace by default.
    expect(check({ 'route.yaml': route(['{name: edge}']) })).toEqual([
      '6 istio-reference-outside-workspace edge Gateway shop/edge is not in the workspace (no Gateways in namespace shop); it may be defined in the cluster.',
    ]);
  });

  it('istio-listener-not-found for a sectionName or a port no listener has', () => {
    expect(check(withGateway(route(['{name: edge, namespace: ingress, sectionName: htpp}'])))).toEqual([
      "6 istio-listener-not-found htpp Gateway ingress/edge has no listener 'htpp'; its listeners: http, https, tcp, own. Did you mean 'http'?",
    ]);
    expect(check(withGateway(route(['{name: edge, namespace: ingress, port: 8443}'])))).toEqual([
      '6 istio-listener-not-found 8443 No listener of Gateway ingress/edge listens on port 8443; ports: 80, 443, 9000, 8080.',
    ]);
    expect(check(withGateway(route(['{name: edge, namespace: ingress, sectionName: http, port: 443}'])))).toEqual([
      "6 istio-listener-not-found 443 Listener 'http' of Gateway ingress/edge does not listen on port 443; port: 80.",
    ]);
  });

  it('KIA1401 when no selected listener admits the route’s namespace (Same by default; a Selector the Namespace labels do not match)', () => {
    expect(check(withGateway(route(['{name: internal, namespace: ingress}'])))).toEqual([
      '6 KIA1401 internal Gateway ingress/internal does not admit routes from namespace shop: listener http admits only its own namespace (ingress).',
    ]);
    const plain = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: shop}\n';
    expect(check(withGateway(route(['{name: edge, namespace: ingress, sectionName: https}']), { 'ns.yaml': plain }))).toEqual([
      '6 KIA1401 edge Gateway ingress/edge does not admit routes from namespace shop: listener https admits namespaces whose labels match shared=true.',
    ]);
    const shared = plain.replace('{team: shop}', '{team: shop, shared: "true"}');
    expect(check(withGateway(route(['{name: edge, namespace: ingress, sectionName: https}']), { 'ns.yaml': shared }))).toEqual([]);
  });

  it('says nothing about a Selector when the workspace lacks the route’s Namespace', () => {
    expect(check(withGateway(route(['{name: edge, namespace: ingress, sectionName: https}'])))).toEqual([]);
  });

  it('admits when one of the listeners it selects admits (no sectionName: every listener)', () => {
    expect(check(withGateway(route(['{name: edge, namespace: ingress}'])))).toEqual([]);
  });

  it('istio-route-kind-not-allowed for a route kind the listener does not take', () => {
    expect(check(withGateway(route(['{name: edge, namespace: ingress, sectionName: tcp}'])))).toEqual([
      '6 istio-route-kind-not-allowed tcp Gateway ingress/edge does not admit HTTPRoutes here: listener tcp (TCP) admits TCPRoute.',
    ]);
    const tcp = route(['{name: edge, namespace: ingress, sectionName: tcp}'], [], 'TCPRoute', 'gateway.networking.k8s.io/v1alpha2');
    expect(check(withGateway(tcp))).toEqual([]);
    const onHttp = route(['{name: edge, namespace: ingress, sectionName: http}'], [], 'TCPRoute', 'gateway.networking.k8s.io/v1alpha2');
    expect(check(withGateway(onHttp))).toEqual(['6 istio-route-kind-not-allowed http Gateway ingress/edge does not admit TCPRoutes here: listener http (HTTP) admits HTTPRoute, GRPCRoute.']);
  });

  it('istio-route-hostname-not-allowed when no hostname intersects a listener’s', () => {
    expect(check(withGateway(route(['{name: edge, namespace: ingress, sectionName: http}'], ['example.com', 'shop.example.org'])))).toEqual([
      '6 istio-route-hostname-not-allowed http No hostname of this HTTPRoute (example.com, shop.example.org) matches a listener hostname of Gateway ingress/edge: listener http *.example.com.',
    ]);
    expect(check(withGateway(route(['{name: edge, namespace: ingress, sectionName: http}'], ['"*.shop.example.com"'])))).toEqual([]);
    // Listener own has no hostname: it takes any (from its own namespace).
    expect(check(withGateway(route(['{name: edge}'], ['shop.example.org']).replace('namespace: shop', 'namespace: ingress')))).toEqual([]);
  });

  it('resolves ListenerSet parents and their listeners', () => {
    const set = yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: ListenerSet
      metadata: {name: extra, namespace: ingress}
      spec:
        parentRef: {name: edge}
        listeners:
        - name: extra
          port: 8081
          protocol: HTTP
          allowedRoutes:
            namespaces: {from: All}
      `;
    expect(check(withGateway(route(['{kind: ListenerSet, name: extra, namespace: ingress, sectionName: extra}']), { 'set.yaml': set }))).toEqual([]);
    expect(check(withGateway(route(['{kind: ListenerSet, name: extra, namespace: ingress, sectionName: http}']), { 'set.yaml': set }))).toEqual([
      "6 istio-listener-not-found http ListenerSet ingress/extra has no listener 'http'; its listeners: extra.",
    ]);
  });

  it('ignores parent kinds Istio does not attach to, and half-typed refs', () => {
    expect(check(withGateway(route(['{group: example.com, kind: Thing, name: x}', '{name: }', '{}'])))).toEqual([]);
  });
});

describe('mesh parentRefs', () => {
  const services = yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: reviews, namespace: shop}
    spec:
      ports:
      - {name: http, port: 9080}
    ---
    apiVersion: networking.istio.io/v1
    kind: ServiceEntry
    metadata: {name: external-api, namespace: shop}
    spec:
      hosts: [api.example.com]
      ports:
      - {number: 443, name: https, protocol: TLS}
      resolution: DNS
    `;

  it('KIA1402 for a Service missing from a namespace whose Services the workspace defines', () => {
    expect(check({ 's.yaml': services, 'route.yaml': route(['{group: "", kind: Service, name: reviews, port: 9080}']) })).toEqual([]);
    expect(check({ 's.yaml': services, 'route.yaml': route(['{group: "", kind: Service, name: reveiws}']) })).toEqual([
      "6 KIA1402 reveiws Service shop/reveiws not found; Services of namespace shop: reviews. Did you mean 'reviews'?",
    ]);
    expect(check({ 'route.yaml': route(['{group: "", kind: Service, name: reviews}']) })).toEqual([
      '6 istio-reference-outside-workspace reviews Service shop/reviews is not in the workspace (no Services in namespace shop); it may be defined in the cluster.',
    ]);
  });

  it('a hint for a Service of a namespace installed with the cluster, even when the workspace has some of its Services', () => {
    const istiod = 'apiVersion: v1\nkind: Service\nmetadata: {name: istiod, namespace: istio-system}\nspec:\n  ports:\n  - {name: grpc, port: 15012}\n';
    expect(check({ 's.yaml': istiod, 'route.yaml': route(['{group: "", kind: Service, name: ingress, namespace: istio-system}']) })).toEqual([
      '6 istio-reference-outside-workspace ingress Service istio-system/ingress is not in the workspace (namespace istio-system is installed with the cluster, its Services are not all here); it may be defined in the cluster.',
    ]);
  });

  it('istio-parent-serviceentry-not-found for a ServiceEntry (by name) missing from its namespace', () => {
    expect(check({ 's.yaml': services, 'route.yaml': route(['{group: networking.istio.io, kind: ServiceEntry, name: external-api}']) })).toEqual([]);
    expect(check({ 's.yaml': services, 'route.yaml': route(['{group: networking.istio.io, kind: ServiceEntry, name: api.example.com}']) })).toEqual([
      '6 istio-parent-serviceentry-not-found api.example.com ServiceEntry shop/api.example.com not found; ServiceEntries of namespace shop: external-api.',
    ]);
  });
});

describe('quick fixes', () => {
  function fixesOf(files: Files, code: string) {
    const service = serviceWith(files);
    const problems = service.diagnoseDiskFile(wsUri('route.yaml'), settings130).filter((p) => p.code === code);
    return quickFixes(service.context(settings130), wsUri('route.yaml'), problems);
  }

  it('changes a Gateway name to the closest Gateway, and then raises nothing', () => {
    const files = withGateway(route(['{name: egde, namespace: ingress}  # the shop Gateway']));
    const fixes = fixesOf(files, 'KIA1401');
    expect(fixes.map((f) => [f.title, f.isPreferred])).toEqual([
      ["Change to 'edge'", true],
      ["Change to 'internal'", false],
    ]);
    const after = applyEdits(files, fixes[0].edits);
    expect(after['route.yaml']).toBe(files['route.yaml'].replace('egde', 'edge'));
    expect(check(after)).toEqual([]);
  });

  it('changes a sectionName to the closest listener, the others offered too', () => {
    const files = withGateway(route(['{name: edge, namespace: ingress, sectionName: htpp}']));
    const fixes = fixesOf(files, 'istio-listener-not-found');
    expect(fixes.map((f) => f.title)).toEqual(["Change to 'http'", "Change to 'https'", "Change to 'tcp'", "Change to 'own'"]);
    expect(check(applyEdits(files, fixes[0].edits))).toEqual([]);
  });

  it('changes a mesh parent Service name to the closest Service', () => {
    const services = 'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  ports:\n  - {name: http, port: 9080}\n';
    const files = { 's.yaml': services, 'route.yaml': route(['{group: "", kind: Service, name: "reveiws"}']) };
    const [fix] = fixesOf(files, 'KIA1402');
    expect(fix.title).toBe("Change to 'reviews'");
    expect(check(applyEdits(files, fix.edits))).toEqual([]);
  });

  it('offers nothing for a stale diagnostic (the name edited since)', () => {
    const files = withGateway(route(['{name: egde, namespace: ingress}']));
    const service = serviceWith(files);
    const problems = service.diagnoseDiskFile(wsUri('route.yaml'), settings130).filter((p) => p.code === 'KIA1401');
    service.setDiskFile(wsUri('route.yaml'), files['route.yaml'].replace('egde', 'edgy'));
    expect(quickFixes(service.context(settings130), wsUri('route.yaml'), problems)).toEqual([]);
  });
});

describe('half-typed documents', () => {
  it('every prefix of a Gateway, ListenerSet and routes file is checked without a failure', () => {
    const text = [
      gateway,
      route(['{name: edge, namespace: ingress, sectionName: https, port: 443}', '{group: "", kind: Service, name: web}'], ['shop.example.com']),
      'apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: extra, namespace: ingress}\nspec:\n  parentRef: {name: edge}\n  listeners:\n  - name: x\n    port: 81\n    protocol: HTTP\n    allowedRoutes:\n      kinds:\n      - kind: HTTPRoute\n      namespaces:\n        from: Selector\n        selector:\n          matchExpressions:\n          - {key: team, operator: In, values: [a]}\n',
    ].join('---\n');
    const failures: string[] = [];
    for (let end = 0; end <= text.length; end += 5) {
      const service = serviceWith({ 'all.yaml': text.slice(0, end), 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' });
      for (const p of service.diagnoseDiskFile(wsUri('all.yaml'), settings130)) if (p.code === 'istio-internal') failures.push(`${end}: ${p.message}`);
    }
    expect(failures).toEqual([]);
  });
});
