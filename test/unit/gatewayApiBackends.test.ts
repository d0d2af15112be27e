// A Gateway API route's backendRefs and RequestMirror backendRefs: KIA1402 (a Service that does
// not exist, or written as a host), istio-backend-port-not-found, IST0101 (a Hostname no Service
// or ServiceEntry defines), istio-backend-kind-unsupported, istio-backend-port-required,
// istio-backend-weights-zero; hints where the workspace cannot tell; the quick fixes.
import { describe, expect, it } from 'vitest';
import { quickFixes } from '../../server/src/features/quickFixes';
import { applyEdits } from '../refactorSupport';
import { problemsOf, serviceWith, settings130, wsUri, yaml } from '../support';

type Files = Record<string, string>;

const CODES = [
  'KIA1402',
  'IST0101',
  'istio-backend-port-not-found',
  'istio-backend-port-required',
  'istio-backend-kind-unsupported',
  'istio-backend-weights-zero',
  'istio-reference-outside-workspace',
];

const services = yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: reviews, namespace: shop}
  spec:
    ports:
    - {name: metrics, port: 9090}
    - {name: http, port: 9080}
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: ratings, namespace: shop}
  spec:
    ports:
    - {name: grpc, port: 50051}
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

/** An HTTPRoute (or another kind) of namespace shop whose one rule has these backendRefs (and filters). */
function route(backendRefs: string[], kind = 'HTTPRoute', filters: string[] = []): string {
  const refs = backendRefs.map((r) => `    - ${r}\n`).join('');
  const filterLines = filters.length > 0 ? `    filters:\n${filters.map((f) => `    - ${f}\n`).join('')}` : '';
  const version = kind === 'TCPRoute' || kind === 'UDPRoute' ? 'v1alpha2' : 'v1';
  return `apiVersion: gateway.networking.k8s.io/${version}\nkind: ${kind}\nmetadata: {name: web, namespace: shop}\nspec:\n  rules:\n  - backendRefs:\n${refs}${filterLines}`;
}

/** `line code text-at-range message` of the backend codes raised on `target`. */
function check(files: Files, target = 'route.yaml'): string[] {
  const text = files[target];
  return serviceWith(files)
    .diagnoseDiskFile(wsUri(target), settings130)
    .filter((p) => CODES.includes(p.code))
    .map((p) => `${text.slice(0, p.start).split('\n').length} ${p.code} ${text.slice(p.start, p.end)} ${p.message}`);
}

const withServices = (routeText: string, extra: Files = {}): Files => ({ 's.yaml': services, 'route.yaml': routeText, ...extra });

describe('backendRefs to a Service', () => {
  it('raises nothing for a Service and port that exist (kind defaulted or written)', () => {
    expect(check(withServices(route(['{name: reviews, port: 9080}', '{group: "", kind: Service, name: ratings, port: 50051}'])))).toEqual([]);
  });

  it('KIA1402 on a Service missing from a namespace whose Services the workspace holds, with the closest one', () => {
    expect(check(withServices(route(['{name: reveiws, port: 9080}'])))).toEqual([
      "7 KIA1402 reveiws Service shop/reveiws not found; Services of namespace shop: ratings, reviews: Istio drops this backend and the traffic routed to it fails. Did you mean 'reviews'?",
    ]);
  });

  it('a hint, not an error, for a Service of a namespace the workspace has no Services of', () => {
    expect(check({ 'route.yaml': route(['{name: reviews, port: 9080}']) })).toEqual([
      '7 istio-reference-outside-workspace reviews Service shop/reviews is not in the workspace (no Services in namespace shop); it may be defined in the cluster.',
    ]);
    expect(check(withServices(route(['{name: reviews, namespace: other, port: 9080}'])))).toEqual([
      '7 istio-reference-outside-workspace reviews Service other/reviews is not in the workspace (no Services in namespace other); it may be defined in the cluster.',
      '7 istio-reference-outside-workspace other Service other/reviews is in another namespace, which needs a ReferenceGrant in namespace other from HTTPRoute of namespace shop to Service; the workspace has nothing of namespace other, so it cannot tell (one may be in the cluster).',
    ]);
  });

  it('KIA1402 on a Service written as a host name, suggesting the name when the host is that Service', () => {
    expect(check(withServices(route(['{name: reviews.shop.svc.cluster.local, port: 9080}'])))).toEqual([
      "7 KIA1402 reviews.shop.svc.cluster.local A Service backendRef takes the Service's name, not a host name ('reviews.shop.svc.cluster.local'): Istio rejects it. Did you mean 'reviews'?",
    ]);
    expect(check(withServices(route(['{name: api.example.com, port: 443}'])))).toEqual([
      "7 KIA1402 api.example.com A Service backendRef takes the Service's name, not a host name ('api.example.com'): Istio rejects it. For a host, use group networking.istio.io, kind Hostname.",
    ]);
  });

  it("istio-backend-port-not-found on a port the Service does not have, with the Service's ports", () => {
    expect(check(withServices(route(['{name: reviews, port: 8080}'])))).toEqual([
      '7 istio-backend-port-not-found 8080 Port 8080 is not a port of Service shop/reviews, which has ports 9090, 9080: the traffic routed here fails.',
    ]);
  });

  it('checks RequestMirror backendRefs too, of the rule and of a backendRef', () => {
    const mirror = '{type: RequestMirror, requestMirror: {backendRef: {name: raitings, port: 50051}}}';
    expect(check(withServices(route(['{name: reviews, port: 9080}'], 'HTTPRoute', [mirror])))).toEqual([
      "9 KIA1402 raitings Service shop/raitings not found; Services of namespace shop: ratings, reviews: Istio drops this backend and the traffic routed to it fails. Did you mean 'ratings'?",
    ]);
    const own = `{name: reviews, port: 9080, filters: [{type: RequestMirror, requestMirror: {backendRef: {name: ratings, port: 5005}}}]}`;
    expect(check(withServices(route([own])))).toEqual(['7 istio-backend-port-not-found 5005 Port 5005 is not a port of Service shop/ratings, which has port 50051: the traffic routed here fails.']);
  });

  it('does not report a Service backendRef without a port (the CRD rule "Must have port for Service reference" does), and reports it at most once', () => {
    const files = withServices(route(['{name: reviews}']));
    expect(check(files)).toEqual([]);
    const text = files['route.yaml'];
    const at = text.indexOf('{name: reviews}');
    const there = serviceWith(files)
      .diagnoseDiskFile(wsUri('route.yaml'), settings130)
      .filter((p) => p.start >= at && p.end <= at + '{name: reviews}'.length && p.message.toLowerCase().includes('port'));
    expect(there.length).toBeLessThanOrEqual(1);
  });

  it('raises nothing on half-typed backendRefs', () => {
    for (const refs of [['{}'], ['{name: }'], ['{port: 80}'], ['{name: reviews, port: }'], ['{name: reviews, port: http}'], ['']]) {
      expect(() => check(withServices(route(refs)))).not.toThrow();
      expect(check(withServices(route(refs))).filter((l) => !l.includes('outside-workspace'))).toEqual([]);
    }
  });
});

describe('backendRefs of other kinds', () => {
  it('IST0101 on a Hostname no Service or ServiceEntry defines, nothing on one a ServiceEntry defines', () => {
    expect(check(withServices(route(['{group: networking.istio.io, kind: Hostname, name: api.example.com, port: 443}'])))).toEqual([]);
    expect(check(withServices(route(['{group: networking.istio.io, kind: Hostname, name: details.shop.svc.cluster.local, port: 9080}'])))).toEqual([
      "7 IST0101 details.shop.svc.cluster.local Host 'details.shop.svc.cluster.local' (details.shop.svc.cluster.local) matches no Service or ServiceEntry of namespace shop: Istio drops this backend and the traffic routed to it fails.",
    ]);
    expect(check(withServices(route(['{group: networking.istio.io, kind: Hostname, name: httpbin.org, port: 443}'])))).toEqual([
      "7 istio-reference-outside-workspace httpbin.org No Service or ServiceEntry in the workspace defines host 'httpbin.org'; Istio routes a Hostname backendRef only to a host one of them defines (it may be defined in the cluster).",
    ]);
  });

  it('looks a short Hostname up as written, as Istio does: IST0101 naming the FQDN when a Service of that name exists, a hint otherwise', () => {
    expect(check(withServices(route(['{group: networking.istio.io, kind: Hostname, name: reviews, port: 9080}'])))).toEqual([
      "7 IST0101 reviews Istio looks a Hostname backendRef up as written, and no Service's host is 'reviews': Service shop/reviews is reviews.shop.svc.cluster.local. Write that FQDN, or use kind Service (group \"\") with name reviews.",
    ]);
    expect(check(withServices(route(['{group: networking.istio.io, kind: Hostname, name: payments, port: 80}'])))).toEqual([
      "7 istio-reference-outside-workspace payments Istio looks a Hostname backendRef up as written: 'payments' is the host only of a ServiceEntry that lists it exactly so, and none in the workspace does (a Kubernetes Service's host is its FQDN, e.g. payments.shop.svc.cluster.local).",
    ]);
    const literal =
      'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: legacy, namespace: shop}\nspec:\n  hosts: [legacy]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: DNS\n';
    expect(check(withServices(route(['{group: networking.istio.io, kind: Hostname, name: legacy, port: 80}']), { 'se.yaml': literal }))).toEqual([]);
  });

  it('rejects a namespace on a Hostname backendRef, as Istio does', () => {
    const files = withServices(route(['{group: networking.istio.io, kind: Hostname, name: api.example.com, namespace: shop, port: 443}']));
    expect(problemsOf(files, 'route.yaml', ['istio-gateway-api-unsupported']).map((p) => `${p.line} ${p.text} ${p.message}`)).toEqual([
      '6 shop Istio rejects a Hostname backendRef with a namespace ("namespace may not be set with Hostname type"): the host names its Service or ServiceEntry on its own. Remove the namespace.',
    ]);
  });

  it("istio-backend-port-not-found against a ServiceEntry's ports, istio-backend-port-required without a port", () => {
    expect(check(withServices(route(['{group: networking.istio.io, kind: Hostname, name: api.example.com, port: 80}'])))).toEqual([
      '7 istio-backend-port-not-found 80 Port 80 is not a port of ServiceEntry shop/external-api, which has port 443: the traffic routed here fails.',
    ]);
    expect(check(withServices(route(['{group: networking.istio.io, kind: Hostname, name: api.example.com}'])))).toEqual([
      '7 istio-backend-port-required api.example.com This Hostname backendRef has no port: Istio needs one ("port is required in backendRef") and rejects the rule; ServiceEntry shop/external-api has port 443.',
    ]);
  });

  it('istio-backend-kind-unsupported on a kind Istio does not route to; nothing for the kinds it does', () => {
    expect(check(withServices(route(['{group: apps, kind: Deployment, name: reviews, port: 9080}'])))).toEqual([
      '7 istio-backend-kind-unsupported Deployment Istio does not route to a backendRef of group "apps" kind Deployment: it marks the backend invalid and the traffic routed to it fails. Istio\'s backends: Service, Hostname (networking.istio.io), ServiceImport, InferencePool, XBackend.',
    ]);
    expect(check(withServices(route(['{group: inference.networking.k8s.io, kind: InferencePool, name: pool}'])))).toEqual([]);
    expect(check(withServices(route(['{group: multicluster.x-k8s.io, kind: ServiceImport, name: reviews, port: 9080}'])))).toEqual([]);
  });
});

describe('weights', () => {
  it('istio-backend-weights-zero when every backendRef of a rule weighs 0', () => {
    expect(check(withServices(route(['{name: reviews, port: 9080, weight: 0}', '{name: ratings, port: 50051, weight: 0}'])))).toEqual([
      '6 istio-backend-weights-zero backendRefs All 2 backendRefs of this rule have weight 0: no traffic goes to any of them, and Istio answers every request of this rule with 500. Give one of them a weight.',
    ]);
    expect(check(withServices(route(['{name: reviews, port: 9080, weight: 0}'], 'TCPRoute')))).toEqual([
      '6 istio-backend-weights-zero backendRefs The only backendRef of this rule has weight 0: no traffic goes to it, and Istio rejects every connection of this rule. Give it a weight.',
    ]);
  });

  it('nothing when one weighs more, when the weight is defaulted, or when the rule redirects', () => {
    expect(check(withServices(route(['{name: reviews, port: 9080, weight: 0}', '{name: ratings, port: 50051, weight: 1}'])))).toEqual([]);
    expect(check(withServices(route(['{name: reviews, port: 9080, weight: 0}', '{name: ratings, port: 50051}'])))).toEqual([]);
    expect(check(withServices(route(['{name: reviews, port: 9080, weight: 0}'], 'HTTPRoute', ['{type: RequestRedirect, requestRedirect: {scheme: https}}'])))).toEqual([]);
  });
});

describe('quick fixes', () => {
  function fixesOf(files: Files, code: string) {
    const service = serviceWith(files);
    const problems = service.diagnoseDiskFile(wsUri('route.yaml'), settings130).filter((p) => p.code === code);
    return quickFixes(service.context(settings130), wsUri('route.yaml'), problems);
  }

  it('changes a Service name to the closest Service, and then raises nothing', () => {
    const files = withServices(route(['{name: reveiws, port: 9080}  # the reviews backend']));
    const fixes = fixesOf(files, 'KIA1402');
    expect(fixes.map((f) => [f.title, f.isPreferred])).toEqual([
      ["Change to 'reviews'", true],
      ["Change to 'ratings'", false],
    ]);
    const after = applyEdits(files, fixes[0].edits);
    expect(after['route.yaml']).toBe(files['route.yaml'].replace('reveiws', 'reviews'));
    expect(check(after)).toEqual([]);
  });

  it('writes the FQDN of the Service a short Hostname names', () => {
    const files = withServices(route(['{group: networking.istio.io, kind: Hostname, name: reviews, port: 9080}']));
    const [fix] = fixesOf(files, 'IST0101');
    expect(fix.title).toBe("Change to 'reviews.shop.svc.cluster.local'");
    const after = applyEdits(files, fix.edits);
    expect(after['route.yaml']).toBe(files['route.yaml'].replace('name: reviews', 'name: reviews.shop.svc.cluster.local'));
    expect(check(after)).toEqual([]);
  });

  it('changes a host name to the Service name', () => {
    const files = withServices(route(['{name: "reviews.shop.svc.cluster.local", port: 9080}']));
    const [fix] = fixesOf(files, 'KIA1402');
    expect(fix.title).toBe("Change to 'reviews'");
    const after = applyEdits(files, fix.edits);
    expect(after['route.yaml']).toContain('{name: "reviews", port: 9080}');
    expect(check(after)).toEqual([]);
  });

  it('uses a port the Service has, the one whose protocol suits the route first, comments kept', () => {
    const files = withServices(route(['name: reviews  # v1 and v2\n      port: 8080 # was 8080']));
    const fixes = fixesOf(files, 'istio-backend-port-not-found');
    expect(fixes.map((f) => [f.title, f.isPreferred])).toEqual([
      ['Use port 9080', true],
      ['Use port 9090', false],
    ]);
    const after = applyEdits(files, fixes[0].edits);
    expect(after['route.yaml']).toBe(files['route.yaml'].replace('port: 8080 #', 'port: 9080 #'));
    expect(check(after)).toEqual([]);
    expect(check(applyEdits(files, fixes[1].edits))).toEqual([]);
  });

  it('offers no port for a stale diagnostic (the port edited since)', () => {
    const files = withServices(route(['{name: reviews, port: 8080}']));
    const service = serviceWith(files);
    const problems = service.diagnoseDiskFile(wsUri('route.yaml'), settings130).filter((p) => p.code === 'istio-backend-port-not-found');
    expect(problems).toHaveLength(1);
    service.setDiskFile(wsUri('route.yaml'), files['route.yaml'].replace('8080', '8081'));
    expect(quickFixes(service.context(settings130), wsUri('route.yaml'), problems)).toEqual([]);
  });
});
