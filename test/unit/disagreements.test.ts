// Cases where istioctl analyze and our checker used to disagree (see docs/diagnostics.md), with
// the position and the message of each finding.
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../support';

type Files = Record<string, string>;

/** Indexes every file, then diagnoses `target`: [line, code, text at range, message] tuples. */
function check(files: Files, target: string, codes?: string[]) {
  return problemsOf(files, target, codes).map((p) => [p.line, p.code, p.text, p.message]);
}

const service = (ns: string, name: string, ports: number[]) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector: {app: ${name}}
  ports:
${ports.map((p) => `  - name: http-${p}\n    port: ${p}`).join('\n')}
`;

const serviceEntry = (ns: string, host: string, ports: number[], extra = '') => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: external
  namespace: ${ns}
spec:
  hosts: ["${host}"]
  location: MESH_EXTERNAL
  resolution: DNS
${extra}  ports:
${ports.map((p) => `  - {number: ${p}, name: http-${p}, protocol: HTTP}`).join('\n')}
`;

/** A VirtualService in `shop` with one HTTP route to `host` (line 10), with `port` (line 12) if given, and a mirror. */
const route = (host: string, port?: number, mirror = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: route
  namespace: shop
spec:
  hosts: [route]
  http:
  - route:
    - destination:
        host: ${host}${port === undefined ? '' : `\n        port:\n          number: ${port}`}
${mirror}`;

const PORT_CODES = ['IST0101', 'IST0112'];

describe('destination ports (istioctl checkServiceEntryPorts)', () => {
  it('IST0112 for a ServiceEntry with several ports, naming them', () => {
    const files = { 'se.yaml': serviceEntry('shop', 'api.example.com', [80, 443]), 'vs.yaml': route('api.example.com') };
    expect(check(files, 'vs.yaml', PORT_CODES)).toEqual([[10, 'IST0112', 'api.example.com', "ServiceEntry external (shop) has 2 ports (80, 443); set the destination's port.number."]]);
  });

  it('IST0112 for a wildcard ServiceEntry host, and for a mirror', () => {
    const mirror = '    mirror:\n      host: api.example.com\n';
    const files = { 'se.yaml': serviceEntry('shop', '*.example.com', [80, 443]), 'vs.yaml': route('api.example.com', 80, mirror) };
    expect(check(files, 'vs.yaml', PORT_CODES).map((f) => f.slice(0, 3))).toEqual([[14, 'IST0112', 'api.example.com']]);
  });

  it('no IST0112 for one port, or when the port is set', () => {
    expect(check({ 'se.yaml': serviceEntry('shop', 'api.example.com', [443]), 'vs.yaml': route('api.example.com') }, 'vs.yaml', PORT_CODES)).toEqual([]);
    expect(check({ 'se.yaml': serviceEntry('shop', 'api.example.com', [80, 443]), 'vs.yaml': route('api.example.com', 443) }, 'vs.yaml', PORT_CODES)).toEqual([]);
  });

  it('IST0101 on a port the Service does not define, listing its ports', () => {
    const files = { 'svc.yaml': service('shop', 'catalog', [8080, 8443]), 'vs.yaml': route('catalog', 9090) };
    expect(check(files, 'vs.yaml', PORT_CODES)).toEqual([[12, 'IST0101', '9090', "Port 9090 of host 'catalog' not found: Service catalog (shop) has ports 8080, 8443."]]);
  });

  it('IST0101 on a port the ServiceEntry does not define', () => {
    const files = { 'se.yaml': serviceEntry('shop', 'api.example.com', [443]), 'vs.yaml': route('api.example.com', 80) };
    expect(check(files, 'vs.yaml', PORT_CODES)).toEqual([[12, 'IST0101', '80', "Port 80 of host 'api.example.com' not found: ServiceEntry external (shop) has port 443."]]);
  });

  it('compares with the Service port, not its targetPort', () => {
    const svc = service('shop', 'catalog', [80]).replace('port: 80', 'port: 80\n    targetPort: 8080');
    expect(check({ 'svc.yaml': svc, 'vs.yaml': route('catalog', 8080) }, 'vs.yaml', PORT_CODES).map((f) => f[1])).toEqual(['IST0101']);
    expect(check({ 'svc.yaml': svc, 'vs.yaml': route('catalog', 80) }, 'vs.yaml', PORT_CODES)).toEqual([]);
  });

  it('a Service wins over a ServiceEntry of the same host, as in istioctl', () => {
    const files = { 'svc.yaml': service('shop', 'catalog', [8080]), 'se.yaml': serviceEntry('shop', 'catalog.shop.svc.cluster.local', [80, 443]), 'vs.yaml': route('catalog') };
    expect(check(files, 'vs.yaml', PORT_CODES)).toEqual([]);
  });

  it('checks no ports of a host the workspace does not define for the route', () => {
    expect(check({ 'vs.yaml': route('catalog', 9090) }, 'vs.yaml', PORT_CODES)).toEqual([]);
    const hidden = serviceEntry('other', 'api.example.com', [80, 443], '  exportTo: ["."]\n');
    // Not exported to shop: the host itself is not found (IST0101), its ports do not count.
    expect(check({ 'se.yaml': hidden, 'vs.yaml': route('api.example.com') }, 'vs.yaml', PORT_CODES).map((f) => f.slice(0, 2))).toEqual([[10, 'IST0101']]);
  });
});

describe('a host written name.namespace', () => {
  const HINT = ['istio-reference-outside-workspace', 'IST0101'];

  it('hints that Istio takes reviews.other as written, suggesting the FQDN', () => {
    const files = { 'svc.yaml': service('other', 'reviews', [9080]), 'vs.yaml': route('reviews.other') };
    expect(check(files, 'vs.yaml', HINT)).toEqual([
      [
        10,
        'istio-reference-outside-workspace',
        'reviews.other',
        "Host 'reviews.other' is taken as written (the FQDN reviews.other), not as Service reviews of namespace other; for that Service write reviews.other.svc.cluster.local. No Service or ServiceEntry in the workspace defines reviews.other; it may be defined in the cluster.",
      ],
    ]);
  });

  it('hints for name.namespace.svc too', () => {
    const files = { 'svc.yaml': service('other', 'reviews', [9080]), 'vs.yaml': route('reviews.other.svc') };
    expect(check(files, 'vs.yaml', HINT).map((f) => f.slice(0, 3))).toEqual([[10, 'istio-reference-outside-workspace', 'reviews.other.svc']]);
  });

  it('says nothing when a ServiceEntry defines the host, or the namespace is unknown (example.com)', () => {
    const files = { 'svc.yaml': service('other', 'reviews', [9080]), 'se.yaml': serviceEntry('shop', 'reviews.other', [80]), 'vs.yaml': route('reviews.other') };
    expect(check(files, 'vs.yaml', HINT)).toEqual([]);
    expect(check({ 'svc.yaml': service('other', 'reviews', [9080]), 'vs.yaml': route('example.com') }, 'vs.yaml', HINT)).toEqual([]);
  });
});

const sidecar = (name: string, selector: string) => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: ${name}
  namespace: shop
spec:
${selector}  egress:
  - hosts: ["./*"]
`;

const workload = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews
  namespace: shop
spec:
  selector: {matchLabels: {app: reviews}}
  template:
    metadata: {labels: {app: reviews}}
    spec:
      containers: [{name: reviews, image: reviews}]
`;

describe('a Sidecar workloadSelector without labels is namespace-wide (istioctl sidecar/selector.go)', () => {
  const CODES = ['IST0111', 'IST0110', 'IST0101'];

  it.each([['  workloadSelector: {}\n'], ['  workloadSelector:\n    labels: {}\n']])('IST0111 with the namespace default for %j', (selector) => {
    const files = { 'default.yaml': sidecar('default', ''), 'other.yaml': sidecar('other', selector), 'deploy.yaml': workload };
    expect(check(files, 'other.yaml', CODES)).toEqual([
      [3, 'IST0111', 'other', 'Namespace shop has another Sidecar without workloadSelector labels: default. Only one may apply to the whole namespace.'],
    ]);
    expect(check(files, 'default.yaml', CODES).map((f) => f.slice(0, 3))).toEqual([[3, 'IST0111', 'default']]);
  });

  it('neither IST0110 nor IST0101 for the empty selector, while labels are still compared', () => {
    const files = {
      'empty.yaml': sidecar('empty', '  workloadSelector:\n    labels: {}\n'),
      'reviews.yaml': sidecar('reviews', '  workloadSelector:\n    labels: {app: reviews}\n'),
      'deploy.yaml': workload,
    };
    expect(check(files, 'empty.yaml', CODES)).toEqual([]);
    expect(check(files, 'reviews.yaml', CODES)).toEqual([]);
  });
});

const telemetry = (name: string, extra: string) => `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: ${name}
  namespace: shop
spec:
${extra}  accessLogging:
  - providers: [{name: envoy}]
`;

describe('IST0160 and targetRefs (a deliberate difference from istioctl)', () => {
  it('a Telemetry with targetRefs is not namespace-wide, as in Pilot', () => {
    const targeted = telemetry('gateway', '  targetRefs:\n  - {kind: Gateway, group: gateway.networking.k8s.io, name: shop-gateway}\n');
    const files = { 'default.yaml': telemetry('default', ''), 'gateway.yaml': targeted };
    expect(check(files, 'default.yaml', ['IST0160'])).toEqual([]);
    expect(check(files, 'gateway.yaml', ['IST0160'])).toEqual([]);
  });

  it('two namespace-wide Telemetries are IST0160', () => {
    const files = { 'default.yaml': telemetry('default', ''), 'logs.yaml': telemetry('logs', '') };
    expect(check(files, 'logs.yaml', ['IST0160'])).toEqual([[3, 'IST0160', 'logs', 'Namespace shop has another Telemetry without a selector: default. Only one may apply to the whole namespace.']]);
  });
});

describe('IST0132 for a Gateway that does not exist (a deliberate difference from istioctl)', () => {
  const gateway = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: shop
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["shop.example.com"]
`;
  const bound = (gw: string, host: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: shop
spec:
  hosts: ["${host}"]
  gateways: [${gw}]
  http:
  - route:
    - destination: {host: frontend}
`;

  it('reports the missing Gateway once, as IST0101', () => {
    const files = { 'gw.yaml': gateway, 'vs.yaml': bound('public-gw', 'shop.example.com') };
    expect(check(files, 'vs.yaml', ['IST0101', 'IST0132']).map((f) => f.slice(0, 3))).toEqual([[7, 'IST0101', 'public-gw']]);
  });

  it('still reports IST0132 for a Gateway that exists and does not accept the host', () => {
    const files = { 'gw.yaml': gateway, 'vs.yaml': bound('public', 'admin.example.com') };
    expect(check(files, 'vs.yaml', ['IST0101', 'IST0132']).map((f) => f.slice(0, 2))).toEqual([[7, 'IST0132']]);
  });
});

describe('IST0140 (istioctl analyzeSubset)', () => {
  const split = (kind: 'http' | 'tcp') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews-split
  namespace: shop
spec:
  hosts: [reviews]
  ${kind}:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
`;
  const ingress = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews-ingress
  namespace: shop
spec:
  hosts: [reviews.example.com]
  gateways: [public]
  http:
  - route:
    - destination: {host: reviews.shop.svc.cluster.local}
`;

  it('reports an ingress route without subset to a host another VirtualService splits (hosts compared resolved)', () => {
    expect(check({ 'split.yaml': split('http'), 'ingress.yaml': ingress }, 'ingress.yaml', ['IST0140'])).toEqual([
      [
        10,
        'IST0140',
        'reviews.shop.svc.cluster.local',
        'VirtualService reviews-split (shop) routes reviews.shop.svc.cluster.local by subset, but requests from the Gateway follow this VirtualService, which has no subset: the split does not apply to them.',
      ],
    ]);
  });

  it('counts only HTTP subset routes, as istioctl', () => {
    expect(check({ 'split.yaml': split('tcp'), 'ingress.yaml': ingress }, 'ingress.yaml', ['IST0140'])).toEqual([]);
  });
});
