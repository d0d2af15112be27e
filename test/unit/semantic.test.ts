// Semantic, cross-file checks: each with a case that must be flagged and the tricky valid cases
// that must not be.
import { describe, expect, it } from 'vitest';
import { serviceWith, wsUri } from '../support';

type Files = Record<string, string>;

/** Indexes every file, then diagnoses `target`: [line, code, text at range] triples. */
function check(files: Files, target: string, codes?: string[]) {
  const service = serviceWith(files);
  const text = files[target];
  return service
    .diagnoseDiskFile(wsUri(target), { istioVersion: '1.30', validate: true })
    .filter((p) => !codes || codes.includes(p.code))
    .map((p) => [text.slice(0, p.start).split('\n').length - 1, p.code, text.slice(p.start, p.end)]);
}

const vs = (ns: string, host: string, subset: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: ${ns}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: ${host}
        subset: ${subset}
${extra}`;

const dr = (ns: string, host: string, subsets: string[], name = 'reviews') => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  host: ${host}
  subsets:
${subsets.map((s) => `  - name: ${s}\n    labels: {version: ${s}}`).join('\n')}
`;

const service = (ns: string, name: string, ports = [80]) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector: {app: ${name}}
  ports:
${ports.map((p) => `  - name: http-${p}\n    port: ${p}`).join('\n')}
`;

const deployment = (ns: string, app: string, version: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}-${version}
  namespace: ${ns}
spec:
  selector: {matchLabels: {app: ${app}, version: ${version}}}
  template:
    metadata:
      labels: {app: ${app}, version: ${version}}
    spec:
      containers: [{name: app, image: app}]
`;

describe('IST0101 subsets', () => {
  it('flags a subset the DestinationRule does not define, in another file, with the defined ones', () => {
    const files = { 'vs.yaml': vs('shop', 'reviews', 'v3'), 'dr.yaml': dr('shop', 'reviews', ['v1', 'v2']) };
    expect(check(files, 'vs.yaml', ['IST0101'])).toEqual([[11, 'IST0101', 'v3']]);
  });

  it('accepts a subset defined for the FQDN in another namespace', () => {
    const files = { 'vs.yaml': vs('front', 'reviews.shop.svc.cluster.local', 'v2'), 'dr.yaml': dr('shop', 'reviews', ['v1', 'v2']) };
    expect(check(files, 'vs.yaml', ['IST0101', 'istio-reference-outside-workspace'])).toEqual([]);
  });

  it('does not resolve a short host in the wrong namespace', () => {
    // `reviews` in `front` is reviews.front..., which the DestinationRule of `shop` does not cover.
    const files = { 'vs.yaml': vs('front', 'reviews', 'v2'), 'dr.yaml': dr('shop', 'reviews', ['v1', 'v2']) };
    expect(check(files, 'vs.yaml', ['IST0101', 'istio-reference-outside-workspace']).map((p) => p[1])).toEqual(['istio-reference-outside-workspace']);
  });

  it('takes subsets from a wildcard DestinationRule host', () => {
    const files = { 'vs.yaml': vs('shop', 'reviews', 'v2'), 'dr.yaml': dr('shop', '"*.shop.svc.cluster.local"', ['v1', 'v2'], 'all') };
    expect(check(files, 'vs.yaml', ['IST0101'])).toEqual([]);
  });

  it('prefers the most specific DestinationRule', () => {
    const files = { 'vs.yaml': vs('shop', 'reviews', 'canary'), 'wild.yaml': dr('shop', '"*.shop.svc.cluster.local"', ['canary'], 'all'), 'dr.yaml': dr('shop', 'reviews', ['v1']) };
    expect(check(files, 'vs.yaml', ['IST0101']).map((p) => p[2])).toEqual(['canary']);
  });

  it('respects exportTo', () => {
    const hidden = dr('shop', 'reviews.shop.svc.cluster.local', ['v1']).replace('spec:\n', 'spec:\n  exportTo: ["."]\n');
    const files = { 'vs.yaml': vs('front', 'reviews.shop.svc.cluster.local', 'v1'), 'dr.yaml': hidden, 'other.yaml': dr('front', 'ratings', ['x'], 'ratings') };
    expect(check(files, 'vs.yaml', ['IST0101'])).toEqual([[11, 'IST0101', 'v1']]);
  });

  it('only hints when no DestinationRule of the namespace is in the workspace', () => {
    expect(check({ 'vs.yaml': vs('shop', 'reviews', 'v1') }, 'vs.yaml').map((p) => p[1])).toEqual(['istio-reference-outside-workspace']);
  });
});

describe('IST0101 gateways and hosts', () => {
  const gateway = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: shop-gateway, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["shop.example.com"]
`;
  const bound = (gw: string, host = 'shop.example.com') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ingress, namespace: shop}
spec:
  hosts: [${host}]
  gateways: [${gw}]
  http:
  - route:
    - destination: {host: frontend}
`;

  it('finds Gateways by name, ns/name, and knows mesh', () => {
    expect(check({ 'gw.yaml': gateway, 'vs.yaml': bound('shop-gateway') }, 'vs.yaml')).toEqual([]);
    expect(check({ 'gw.yaml': gateway, 'vs.yaml': bound('shop/shop-gateway') }, 'vs.yaml')).toEqual([]);
    expect(check({ 'gw.yaml': gateway, 'vs.yaml': bound('mesh', 'frontend') }, 'vs.yaml')).toEqual([]);
  });

  it('flags a missing Gateway in a namespace with Gateways, hints otherwise', () => {
    expect(check({ 'gw.yaml': gateway, 'vs.yaml': bound('shop-gw') }, 'vs.yaml')).toEqual([[5, 'IST0101', 'shop-gw']]);
    expect(check({ 'vs.yaml': bound('istio-system/ingress') }, 'vs.yaml').map((p) => p[1])).toEqual(['istio-reference-outside-workspace']);
  });

  it('IST0132: a host the Gateway does not accept', () => {
    expect(check({ 'gw.yaml': gateway, 'vs.yaml': bound('shop-gateway', 'admin.example.com') }, 'vs.yaml')).toEqual([[5, 'IST0132', 'shop-gateway']]);
    // One host the Gateway accepts is enough (the others may be for the mesh).
    expect(check({ 'gw.yaml': gateway, 'vs.yaml': bound('shop-gateway', 'admin.example.com, shop.example.com') }, 'vs.yaml')).toEqual([]);
  });

  it('flags a host missing from a namespace whose Services are in the workspace only', () => {
    const route = (host: string) => vs('shop', host, 'v1').replace(/\n\s+subset: v1/, '');
    expect(check({ 'vs.yaml': route('revews'), 'svc.yaml': service('shop', 'reviews') }, 'vs.yaml', ['IST0101'])).toEqual([[10, 'IST0101', 'revews']]);
    expect(check({ 'vs.yaml': route('reviews'), 'svc.yaml': service('shop', 'reviews') }, 'vs.yaml', ['IST0101'])).toEqual([]);
    expect(check({ 'vs.yaml': route('payments.billing.svc.cluster.local'), 'svc.yaml': service('shop', 'reviews') }, 'vs.yaml', ['IST0101'])).toEqual([]);
    expect(check({ 'vs.yaml': route('istiod.istio-system.svc.cluster.local'), 'svc.yaml': service('istio-system', 'grafana') }, 'vs.yaml', ['IST0101'])).toEqual([]);
  });
});

describe('webhook rules (IST0106)', () => {
  const weighted = (a: number, b: number) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r}
spec:
  hosts: [r]
  http:
  - route:
    - destination: {host: r}
      weight: ${a}
    - destination: {host: r, port: {number: 8080}}
      weight: ${b}
`;
  it('rejects a total weight of 0 and negative weights, accepts weights not summing to 100', () => {
    expect(check({ 'a.yaml': weighted(0, 0) }, 'a.yaml', ['IST0106'])).toEqual([[6, 'IST0106', 'route']]);
    expect(check({ 'a.yaml': weighted(-1, 50) }, 'a.yaml', ['IST0106'])).toEqual([[8, 'IST0106', '-1']]);
    expect(check({ 'a.yaml': weighted(1, 2) }, 'a.yaml', ['IST0106'])).toEqual([]);
  });

  it('checks regexes with RE2, not JavaScript', () => {
    const regex = (r: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r}
spec:
  hosts: [r]
  http:
  - match:
    - uri: {regex: '${r}'}
    route:
    - destination: {host: r}
`;
    expect(check({ 'a.yaml': regex('^/api/(?!admin).*') }, 'a.yaml', ['IST0106']).map((p) => p[0])).toEqual([7]);
    expect(check({ 'a.yaml': regex('^/api/v[0-9]+/.*') }, 'a.yaml', ['IST0106'])).toEqual([]);
  });

  it('checks wildcard placement and ports', () => {
    const entry = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: e}
spec:
  hosts: ["api.*.example.com", "*.example.org"]
  ports:
  - {number: 70000, name: https, protocol: TLS}
  resolution: DNS
`;
    // Resolution DNS without endpoints needs FQDN hosts: the webhook rejects the wildcard too.
    expect(check({ 'a.yaml': entry }, 'a.yaml', ['IST0106']).map((p) => p[2])).toEqual(['"api.*.example.com"', '"*.example.org"', '70000']);
  });

  it('checks AuthorizationPolicy condition keys', () => {
    const policy = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: p}
spec:
  rules:
  - when:
    - key: request.auth.claims[iss]
      values: ["x"]
    - key: request.header[x-user]
      values: ["y"]
`;
    expect(check({ 'a.yaml': policy }, 'a.yaml', ['IST0106'])).toEqual([[8, 'IST0106', 'request.header[x-user]']]);
  });
});

describe('namespace-level checks', () => {
  it('IST0109: two mesh VirtualServices for one host, not for gateway-bound ones', () => {
    const a = vs('shop', 'reviews', 'v1');
    const files = { 'a.yaml': a, 'b.yaml': a.replace('name: reviews', 'name: reviews-2') };
    expect(check(files, 'a.yaml', ['IST0109'])).toEqual([[6, 'IST0109', '[reviews]'.slice(1, -1)]]);
  });

  it('IST0111 / IST0160: more than one selector-less Sidecar or Telemetry per namespace', () => {
    const sidecar = (name: string, selector = '') => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: ${name}, namespace: shop}
spec:
${selector}  egress:
  - hosts: ["./*"]
`;
    expect(check({ 'a.yaml': sidecar('a'), 'b.yaml': sidecar('b') }, 'a.yaml', ['IST0111'])).toEqual([[2, 'IST0111', 'a']]);
    expect(check({ 'a.yaml': sidecar('a'), 'b.yaml': sidecar('b', '  workloadSelector: {labels: {app: x}}\n') }, 'a.yaml', ['IST0111'])).toEqual([]);
  });

  it('IST0112: a multi-port Service needs a destination port', () => {
    const route = vs('shop', 'reviews', 'v1').replace(/\n\s+subset: v1/, '');
    expect(check({ 'vs.yaml': route, 'svc.yaml': service('shop', 'reviews', [80, 9090]) }, 'vs.yaml', ['IST0112'])).toEqual([[10, 'IST0112', 'reviews']]);
    expect(check({ 'vs.yaml': route, 'svc.yaml': service('shop', 'reviews', [80]) }, 'vs.yaml', ['IST0112'])).toEqual([]);
  });

  it('IST0118: port names must start with the protocol unless appProtocol names one', () => {
    const svc = service('shop', 'db').replace('name: http-80', 'name: db').replace('port: 80', 'port: 5432');
    expect(check({ 's.yaml': svc }, 's.yaml', ['IST0118'])).toEqual([[8, 'IST0118', 'db']]);
    // As istioctl (kube.ConvertProtocol): appProtocol replaces the name, and must itself be a protocol Istio knows.
    expect(check({ 's.yaml': svc.replace('port: 5432', 'port: 5432\n    appProtocol: tcp') }, 's.yaml', ['IST0118'])).toEqual([]);
    expect(check({ 's.yaml': svc.replace('port: 5432', 'port: 5432\n    appProtocol: kubernetes.io/h2c') }, 's.yaml', ['IST0118'])).toEqual([]);
    expect(check({ 's.yaml': svc.replace('port: 5432', 'port: 5432\n    appProtocol: postgresql') }, 's.yaml', ['IST0118'])).toEqual([[8, 'IST0118', 'db']]);
  });

  it('IST0118: an unnamed port is reported too; the control plane, managed gateways and system namespaces are not', () => {
    // Istio's testdata service-no-port-name.yaml, service-port-name.yaml and service-no-port-name-system-namespace.yaml, in our words.
    const unnamed =
      'apiVersion: v1\nkind: Service\nmetadata: {name: s1, namespace: app}\nspec:\n  selector: {app: s1}\n  ports:\n  - protocol: TCP\n    port: 8080\n  - protocol: TCP\n    port: 8081\n';
    const found = check({ 's.yaml': unnamed }, 's.yaml', ['IST0118']);
    expect(found.map((p) => [p[0], p[1]])).toEqual([
      [6, 'IST0118'],
      [8, 'IST0118'],
    ]);
    const skipped = (meta: string) => check({ 's.yaml': unnamed.replace('metadata: {name: s1, namespace: app}', meta) }, 's.yaml', ['IST0118']);
    expect(skipped('metadata: {name: s1, namespace: app, labels: {istio: ingressgateway}}')).toEqual([]);
    expect(skipped('metadata: {name: s1, namespace: app, labels: {release: istio}}')).toEqual([]);
    expect(skipped('metadata: {name: s1, namespace: app, labels: {gateway.istio.io/managed: istio.io-mesh-controller}}')).toEqual([]);
    expect(skipped('metadata: {name: s1, namespace: kube-system}')).toEqual([]);
    expect(check({ 's.yaml': unnamed.replace('protocol: TCP\n    port: 8080', 'protocol: UDP\n    port: 8080').replace('port: 8081', 'port: 3306') }, 's.yaml', ['IST0118'])).toEqual([]);
  });

  it('IST0150 instead of IST0118 for an ExternalName Service: unnamed, unknown or plain tcp port names (Istio testdata, in our words)', () => {
    const ext = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: nginx, namespace: web}\nspec:\n  type: ExternalName\n  externalName: nginx.example.com\n  ports:\n${ports}`;
    const codes = (ports: string) => check({ 's.yaml': ext(ports) }, 's.yaml', ['IST0118', 'IST0150']).map((p) => [p[1], p[2]]);
    expect(codes('  - {name: nginx, port: 443, protocol: TCP}\n')).toEqual([['IST0150', 'nginx']]);
    expect(codes('  - {port: 443, protocol: TCP}\n').map((c) => c[0])).toEqual(['IST0150']);
    expect(codes('  - {name: tcp, port: 443, protocol: TCP}\n')).toEqual([['IST0150', 'tcp']]);
    expect(codes('  - {name: https, port: 443, protocol: TCP}\n')).toEqual([]);
    expect(codes('  - {name: tcp-db, port: 5432, protocol: TCP}\n')).toEqual([]);
  });

  it('IST0130 / IST0131: unreachable routes and duplicate matches', () => {
    const routes = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r}
spec:
  hosts: [r]
  http:
  - match: [{uri: {prefix: /a}}]
    route: [{destination: {host: r}}]
  - match: [{uri: {prefix: /a}}]
    route: [{destination: {host: r}}]
  - route: [{destination: {host: r}}]
  - route: [{destination: {host: r}}]
`;
    expect(check({ 'a.yaml': routes }, 'a.yaml', ['IST0130', 'IST0131']).map((p) => [p[0], p[1]])).toEqual([
      [8, 'IST0130'],
      [8, 'IST0131'],
      [11, 'IST0130'],
    ]);
  });

  it('KIA1105: the same destination twice in one route', () => {
    const dup = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r}
spec:
  hosts: [r]
  http:
  - route:
    - destination: {host: r, subset: v1}
      weight: 50
    - destination: {host: r, subset: v1}
      weight: 50
`;
    // As Kiali: every occurrence, at its host.
    expect(check({ 'a.yaml': dup }, 'a.yaml', ['KIA1105']).map((p) => p[0])).toEqual([7, 9]);
  });

  it('KIA0201 / KIA0209 / KIA0203 / IST0174 on DestinationRules', () => {
    const files = {
      'dr.yaml': dr('shop', 'reviews', ['v1', 'v9']),
      'dr2.yaml': dr('shop', 'reviews', ['v1'], 'reviews-2'),
      'svc.yaml': service('shop', 'reviews'),
      'deploy.yaml': deployment('shop', 'reviews', 'v1'),
      'orphan.yaml': dr('shop', 'ratings', ['v1'], 'ratings'),
      'nolabels.yaml': `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: n, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n  - name: all\n`,
    };
    expect(check(files, 'dr.yaml', ['KIA0201', 'KIA0203'])).toEqual([
      // As Kiali: KIA0201 on the host; KIA0203 on the subset's labels.
      [6, 'KIA0201', 'reviews'],
      [11, 'KIA0203', '{version: v9}'],
    ]);
    expect(check(files, 'orphan.yaml', ['IST0174'])).toEqual([[6, 'IST0174', 'ratings']]);
    expect(check(files, 'nolabels.yaml', ['KIA0209'])).toEqual([[6, 'KIA0209', 'all']]);
  });

  it('KIA0203: node topology labels of a subset are not pod labels (Istio adds them from the node)', () => {
    // After Istio's testdata destinationrule-subsets-with-topology-labels.yaml, in our words.
    const topology = `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: t, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n  - name: west\n    labels: {topology.kubernetes.io/region: us-west-1}\n  - name: west-v1\n    labels: {version: v1, topology.kubernetes.io/zone: us-west-1a}\n  - name: west-v7\n    labels: {version: v7, kubernetes.io/hostname: node-1}\n`;
    const files = { 'dr.yaml': topology, 'svc.yaml': service('shop', 'reviews'), 'deploy.yaml': deployment('shop', 'reviews', 'v1') };
    expect(check(files, 'dr.yaml', ['KIA0203']).map((p) => [p[0], p[1]])).toEqual([[11, 'KIA0203']]);
  });
});

describe('suppression', () => {
  const files = { 'vs.yaml': vs('shop', 'reviews', 'v3'), 'dr.yaml': dr('shop', 'reviews', ['v1']) };
  it('honours istioctl and Kiali annotations', () => {
    const annotated = files['vs.yaml'].replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    galley.istio.io/analyze-suppress: "IST0101,IST0109"\n');
    expect(check({ ...files, 'vs.yaml': annotated }, 'vs.yaml', ['IST0101'])).toEqual([]);
  });

  it('honours a disable-next-line comment for the listed code only', () => {
    const commented = files['vs.yaml'].replace('        subset: v3', '        # istio-lint-disable-next-line IST0101\n        subset: v3');
    expect(check({ ...files, 'vs.yaml': commented }, 'vs.yaml', ['IST0101'])).toEqual([]);
    const other = files['vs.yaml'].replace('        subset: v3', '        # istio-lint-disable-next-line IST0106\n        subset: v3');
    expect(check({ ...files, 'vs.yaml': other }, 'vs.yaml', ['IST0101'])).toHaveLength(1);
  });
});

describe('TLS and Gateway conflicts', () => {
  const drTls = (mode: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: api, namespace: shop}
spec:
  host: reviews
  trafficPolicy:
    tls:
      mode: ${mode}
${extra}`;
  const pa = (mode: string, ns = 'shop') => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: ${ns}}
spec:
  mtls: {mode: ${mode}}
`;

  it('IST0128: TLS origination without caCertificates, unless verified or explicitly skipped', () => {
    expect(check({ 'dr.yaml': drTls('SIMPLE') }, 'dr.yaml', ['IST0128'])).toEqual([[7, 'IST0128', 'SIMPLE']]);
    expect(check({ 'dr.yaml': drTls('SIMPLE', '      caCertificates: /etc/certs/ca.pem\n') }, 'dr.yaml', ['IST0128'])).toEqual([]);
    expect(check({ 'dr.yaml': drTls('ISTIO_MUTUAL') }, 'dr.yaml', ['IST0128'])).toEqual([]);
  });

  it('IST0128 / IST0129: a credentialName verifies only in a DestinationRule with a workloadSelector (Istio drops it for sidecars)', () => {
    // After Istio's testdata destinationrule-simple-destination-credentialname(-selector).yaml and the port-level ones, in our words.
    const sidecars = drTls('SIMPLE', '      credentialName: api-ca\n');
    expect(check({ 'dr.yaml': sidecars }, 'dr.yaml', ['IST0128'])).toEqual([[7, 'IST0128', 'SIMPLE']]);
    const gateway = sidecars.replace('spec:\n', 'spec:\n  workloadSelector:\n    matchLabels: {istio: egressgateway}\n');
    expect(check({ 'dr.yaml': gateway }, 'dr.yaml', ['IST0128'])).toEqual([]);
    const ports = (selector: string) =>
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: api, namespace: shop}\nspec:\n${selector}  host: api.example.com\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 443}\n      tls: {mode: SIMPLE, credentialName: api-ca}\n    - port: {number: 8443}\n      tls: {mode: MUTUAL, caCertificates: /etc/ca.pem}\n`;
    expect(check({ 'dr.yaml': ports('') }, 'dr.yaml', ['IST0129']).map((p) => [p[0], p[1]])).toEqual([[8, 'IST0129']]);
    expect(check({ 'dr.yaml': ports('  workloadSelector: {matchLabels: {istio: egressgateway}}\n') }, 'dr.yaml', ['IST0129'])).toEqual([]);
  });

  it('KIA0207 / KIA0208: DISABLE where a STRICT PeerAuthentication applies, namespace-wide or mesh-wide', () => {
    expect(check({ 'dr.yaml': drTls('DISABLE'), 'pa.yaml': pa('STRICT') }, 'dr.yaml', ['KIA0207'])).toEqual([[7, 'KIA0207', 'DISABLE']]);
    expect(check({ 'dr.yaml': drTls('DISABLE'), 'pa.yaml': pa('STRICT', 'istio-system') }, 'dr.yaml', ['KIA0208'])).toHaveLength(1);
    expect(check({ 'dr.yaml': drTls('DISABLE'), 'pa.yaml': pa('STRICT', 'istio-system'), 'ns.yaml': pa('PERMISSIVE') }, 'dr.yaml', ['KIA0207'])).toEqual([]);
    expect(check({ 'dr.yaml': drTls('ISTIO_MUTUAL'), 'pa.yaml': pa('STRICT') }, 'dr.yaml', ['KIA0207'])).toEqual([]);
  });

  it('IST0138: one certificate served by two Gateways of the same gateway workloads, in any namespace', () => {
    const https = (name: string, host: string, selector = '{istio: ingressgateway}', ns = 'edge') => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: ${selector}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["${host}"]
    tls: {mode: SIMPLE, credentialName: wildcard-cert}
`;
    const found = (files: Record<string, string>) => check(files, 'a.yaml', ['IST0138']).map((p) => p[2]);
    expect(found({ 'a.yaml': https('a', 'a.example.com'), 'b.yaml': https('b', 'b.example.com') })).toEqual(['wildcard-cert']);
    expect(found({ 'a.yaml': https('a', 'a.example.com') })).toEqual([]);
    // As istioctl (Gateways are not scoped to their namespace by default; selectorSubset): another namespace counts...
    expect(found({ 'a.yaml': https('a', 'a.example.com'), 'b.yaml': https('b', 'b.example.com', '{istio: ingressgateway}', 'other') })).toEqual(['wildcard-cert']);
    // ...a Gateway whose selector contains this one's counts, one for other workloads does not.
    expect(found({ 'a.yaml': https('a', 'a.example.com'), 'b.yaml': https('b', 'b.example.com', '{istio: ingressgateway, zone: a}') })).toEqual(['wildcard-cert']);
    expect(found({ 'a.yaml': https('a', 'a.example.com', '{app: gw-a}'), 'b.yaml': https('b', 'b.example.com', '{app: gw-b}') })).toEqual([]);
  });

  it('IST0145: Gateways for the same workloads, port and hosts', () => {
    const gw = (name: string, host: string, port = 80) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: edge}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: ${port}, name: http, protocol: HTTP}
    hosts: ["${host}"]
`;
    expect(check({ 'a.yaml': gw('a', 'shop.example.com'), 'b.yaml': gw('b', 'shop.example.com') }, 'a.yaml', ['IST0145']).map((p) => p[0])).toEqual([6]);
    // As istioctl, hosts are compared as written: a wildcard may share the port with the hosts it covers.
    expect(check({ 'a.yaml': gw('a', 'shop.example.com'), 'b.yaml': gw('b', '*.example.com') }, 'a.yaml', ['IST0145'])).toEqual([]);
    expect(check({ 'a.yaml': gw('a', 'shop.example.com'), 'b.yaml': gw('b', 'blog.example.com') }, 'a.yaml', ['IST0145'])).toEqual([]);
    expect(check({ 'a.yaml': gw('a', 'shop.example.com'), 'b.yaml': gw('b', 'shop.example.com', 443) }, 'a.yaml', ['IST0145'])).toEqual([]);
  });
});

describe('EnvoyFilter patches (IST0151–IST0155)', () => {
  const filter = (applyTo: string, operation: string, extra = '', top = '') => `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: f}
spec:
${top}  configPatches:
  - applyTo: ${applyTo}
    match:
      context: SIDECAR_INBOUND
${extra}    patch:
      operation: ${operation}
      value: {name: x}
`;
  const codes = (text: string) => check({ 'f.yaml': text }, 'f.yaml', ['IST0151', 'IST0152', 'IST0153', 'IST0154', 'IST0155']).map((p) => `${p[1]} ${p[2]}`);
  it('flags each misuse on the operation', () => {
    expect(codes(filter('CLUSTER', 'REPLACE'))).toEqual(['IST0152 REPLACE']);
    expect(codes(filter('HTTP_ROUTE', 'ADD'))).toEqual(['IST0153 ADD']);
    expect(codes(filter('ROUTE_CONFIGURATION', 'REMOVE'))).toEqual(['IST0154 REMOVE']);
    expect(codes(filter('HTTP_FILTER', 'INSERT_BEFORE'))).toEqual(['IST0151 INSERT_BEFORE']);
    // As istioctl: REMOVE outside route configuration is relative too; REPLACE of a VIRTUAL_HOST is supported.
    expect(codes(filter('HTTP_FILTER', 'REMOVE'))).toEqual(['IST0151 REMOVE']);
    expect(codes(filter('VIRTUAL_HOST', 'REPLACE'))).toEqual(['IST0151 REPLACE']);
    expect(codes(filter('VIRTUAL_HOST', 'REPLACE', '', '  priority: 5\n'))).toEqual([]);
  });
  it('IST0155 when an earlier patch of the same name matches a proxyVersion (Istio testdata test-relative-3, in our words)', () => {
    const pinned = filter('HTTP_FILTER', 'INSERT_AFTER', '      proxy: {proxyVersion: ^1\\.30.*}\n');
    // The pinned patch itself is IST0151 (nothing pinned came before it); the next one with its name is IST0155.
    expect(codes(pinned)).toEqual(['IST0151 INSERT_AFTER']);
    const twice =
      pinned +
      '  - applyTo: HTTP_FILTER\n    patch:\n      operation: INSERT_AFTER\n      value: {name: x}\n  - applyTo: HTTP_FILTER\n    patch:\n      operation: INSERT_AFTER\n      value: {name: other}\n';
    expect(codes(twice)).toEqual(['IST0151 INSERT_AFTER', 'IST0155 INSERT_AFTER', 'IST0151 INSERT_AFTER']);
  });
  it('accepts absolute operations and a set priority', () => {
    expect(codes(filter('HTTP_FILTER', 'INSERT_FIRST'))).toEqual([]);
    expect(codes(filter('HTTP_FILTER', 'INSERT_BEFORE', '', '  priority: 10\n'))).toEqual([]);
    expect(codes(filter('HTTP_FILTER', 'REPLACE', '', '  priority: -1\n'))).toEqual([]);
  });
});

describe('more webhook rules', () => {
  it('rejects route fields that exclude each other', () => {
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r}
spec:
  hosts: [r]
  http:
  - route:
    - destination: {host: r}
    redirect: {uri: /v2}
  - redirect: {uri: /v3}
    rewrite: {uri: /v4}
`;
    expect(check({ 'a.yaml': vs }, 'a.yaml', ['IST0106']).map((p) => [p[0], p[2]])).toEqual([
      [8, 'redirect'],
      [10, 'rewrite'],
    ]);
  });

  it('checks CUSTOM providers, condition values and HTTP methods', () => {
    const policy = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: p}
spec:
  action: CUSTOM
  rules:
  - to:
    - operation:
        methods: ["GET", "post", "/shop.Cart/Add"]
    when:
    - key: source.namespace
`;
    expect(check({ 'a.yaml': policy }, 'a.yaml', ['IST0106', 'KIA0102']).map((p) => [p[1], p[2]])).toEqual([
      ['IST0106', 'CUSTOM'],
      ['KIA0102', '"post"'],
      // gRPC requests are POSTs: a gRPC method belongs in paths (Kiali).
      ['KIA0102', '"/shop.Cart/Add"'],
      ['IST0106', 'key'],
      // An ext-authz (CUSTOM) policy cannot match on the source's identity.
      ['IST0106', 'source.namespace'],
    ]);
  });
});

describe('IST0140 and IST0177', () => {
  it('IST0140: an ingress route without subset to a host split by subset for the mesh', () => {
    const ingress = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ingress, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways: [shop-gateway]
  http:
  - route:
    - destination: {host: reviews}
`;
    const mesh = vs('shop', 'reviews', 'v2');
    expect(check({ 'in.yaml': ingress, 'mesh.yaml': mesh }, 'in.yaml', ['IST0140'])).toEqual([[8, 'IST0140', 'reviews']]);
    expect(check({ 'in.yaml': ingress.replace('{host: reviews}', '{host: reviews, subset: v2}'), 'mesh.yaml': mesh }, 'in.yaml', ['IST0140'])).toEqual([]);
  });

  it('IST0177: ServiceEntries with one host and port but different protocols', () => {
    const se = (name: string, protocol: string) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ${name}}
spec:
  hosts: [api.example.com]
  ports:
  - {number: 443, name: p, protocol: ${protocol}}
  resolution: DNS
`;
    expect(check({ 'a.yaml': se('a', 'TLS'), 'b.yaml': se('b', 'HTTPS') }, 'a.yaml', ['IST0177']).map((p) => p[2])).toEqual(['TLS']);
    expect(check({ 'a.yaml': se('a', 'TLS'), 'b.yaml': se('b', 'TLS') }, 'a.yaml', ['IST0177'])).toEqual([]);
  });
});
