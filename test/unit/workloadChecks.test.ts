// Selectors compared with workloads (IST0101, IST0110, IST0159, IST0127, IST0145), Deployments
// with their Services (IST0116, IST0137) and the application UID (IST0144): the cases istioctl's
// analyzers test, in our own YAML, with where each report goes and what it says.
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../support';

type Files = Record<string, string>;

/** Diagnoses `target` in a workspace of `files`: [code, text at range, message] of the given codes. */
function check(files: Files, target: string, codes: string[]) {
  return problemsOf(files, target, codes).map((p) => [p.code, p.text, p.message]);
}

const deployment = (name: string, labels: string, ns = 'shop', extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels: ${labels}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
      - name: app
        image: example/app
${extra}`;

const sidecar = (name: string, labels: string, ns = 'shop') => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  workloadSelector:
    labels: ${labels}
  egress:
  - hosts: ["./*"]
`;

const telemetry = (name: string, labels: string, ns = 'shop') => `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels: ${labels}
  tracing:
  - randomSamplingPercentage: 10
`;

describe('Sidecar and Telemetry selectors (IST0101, IST0110, IST0159)', () => {
  const workloads = { 'd.yaml': deployment('reviews-v1', '{app: reviews, version: v1}') };

  it('IST0110: two Sidecars selecting the same workload, at the selector', () => {
    const files = { ...workloads, 'a.yaml': sidecar('dupe-1', '{app: reviews}'), 'b.yaml': sidecar('dupe-2', '{app: reviews}') };
    expect(check(files, 'a.yaml', ['IST0110', 'IST0101'])).toEqual([
      [
        'IST0110',
        '{app: reviews}',
        'Sidecar dupe-2 also selects Deployment reviews-v1 in namespace shop: which Sidecar applies is undefined. Make the workloadSelectors select different workloads, or merge the Sidecars.',
      ],
    ]);
    expect(check(files, 'b.yaml', ['IST0110']).map((p) => p[0])).toEqual(['IST0110']);
  });

  it('IST0110: overlapping selectors that share a workload; disjoint ones do not', () => {
    const overlap = { ...workloads, 'a.yaml': sidecar('overlap-1', '{app: reviews}'), 'b.yaml': sidecar('overlap-2', '{version: v1}') };
    expect(check(overlap, 'b.yaml', ['IST0110']).map((p) => p[1])).toEqual(['{version: v1}']);
    const disjoint = { ...workloads, 'd2.yaml': deployment('ratings', '{app: ratings}'), 'a.yaml': sidecar('a', '{app: reviews}'), 'b.yaml': sidecar('b', '{app: ratings}') };
    expect(check(disjoint, 'a.yaml', ['IST0110'])).toEqual([]);
  });

  it('IST0101: a selector that matches no workload of its namespace, only where the namespace has workloads', () => {
    expect(check({ ...workloads, 'a.yaml': sidecar('ghost', '{app: ghost}') }, 'a.yaml', ['IST0101'])).toEqual([
      ['IST0101', '{app: ghost}', "No workload in namespace shop has the labels of this Sidecar's workloadSelector (app=ghost), so it applies to nothing."],
    ]);
    // Workloads of another namespace are not selected (istioctl's maps-to-different-ns)...
    expect(check({ ...workloads, 'o.yaml': deployment('other', '{app: other}', 'other'), 'a.yaml': sidecar('s', '{app: reviews}', 'other') }, 'a.yaml', ['IST0101']).length).toBe(1);
    // ...but a namespace whose workloads are not in the workspace is not checked.
    expect(check({ ...workloads, 'a.yaml': sidecar('s', '{app: reviews}', 'elsewhere') }, 'a.yaml', ['IST0101'])).toEqual([]);
    expect(check({ 'a.yaml': sidecar('ghost', '{app: ghost}') }, 'a.yaml', ['IST0101'])).toEqual([]);
  });

  it('an empty workloadSelector is namespace-wide: neither IST0101 nor IST0110', () => {
    const files = { ...workloads, 'a.yaml': sidecar('a', '{}'), 'b.yaml': sidecar('b', '{}') };
    expect(check(files, 'a.yaml', ['IST0101', 'IST0110'])).toEqual([]);
  });

  it('IST0159 and IST0101 for Telemetry selectors', () => {
    const files = { ...workloads, 'a.yaml': telemetry('t1', '{app: reviews}'), 'b.yaml': telemetry('t2', '{version: v1}'), 'c.yaml': telemetry('t3', '{app: ghost}') };
    expect(check(files, 'a.yaml', ['IST0159', 'IST0101'])).toEqual([
      [
        'IST0159',
        '{app: reviews}',
        'Telemetry t2 also selects Deployment reviews-v1 in namespace shop: which Telemetry applies is undefined. Make the selectors select different workloads, or merge the Telemetries.',
      ],
    ]);
    expect(check(files, 'c.yaml', ['IST0159', 'IST0101']).map((p) => [p[0], p[1]])).toEqual([['IST0101', '{app: ghost}']]);
  });
});

describe('AuthorizationPolicy selectors (IST0127)', () => {
  const policy = (ns: string, labels: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-get
  namespace: ${ns}
spec:
  selector:
    matchLabels: ${labels}
  rules:
  - to:
    - operation: {methods: [GET]}
`;
  const files = { 'd.yaml': deployment('httpbin', '{app: httpbin, version: v1}'), 'gw.yaml': deployment('ingress', '{istio: ingressgateway}', 'istio-system') };

  it('a selector matching no workload of the namespace, at the matchLabels', () => {
    expect(check({ ...files, 'p.yaml': policy('shop', '{app: httpbin, version: v2}') }, 'p.yaml', ['IST0127'])).toEqual([
      ['IST0127', '{app: httpbin, version: v2}', 'No workload in namespace shop has the labels app=httpbin,version=v2, so this AuthorizationPolicy applies to nothing.'],
    ]);
    expect(check({ ...files, 'p.yaml': policy('shop', '{app: httpbin}') }, 'p.yaml', ['IST0127'])).toEqual([]);
  });

  it('only where the namespace has workloads in the workspace', () => {
    expect(check({ ...files, 'p.yaml': policy('payments', '{app: ghost}') }, 'p.yaml', ['IST0127'])).toEqual([]);
  });

  it('in the root namespace, the workloads of every namespace count', () => {
    expect(check({ ...files, 'p.yaml': policy('istio-system', '{app: httpbin}') }, 'p.yaml', ['IST0127'])).toEqual([]);
    expect(check({ ...files, 'p.yaml': policy('istio-system', '{app: ghost}') }, 'p.yaml', ['IST0127']).map((p) => p[2])).toEqual([
      'No workload of the mesh has the labels app=ghost, so this AuthorizationPolicy applies to nothing.',
    ]);
  });
});

describe('Deployments and their Services (IST0116, IST0137)', () => {
  const injected = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
`;
  const svc = (name: string, ports: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {app: dns}
  ports:
${ports}`;
  const dns = deployment('dns', '{app: dns}', 'shop', '        ports:\n        - containerPort: 53\n        - containerPort: 8080\n');
  const udpAndTcp = { 'ns.yaml': injected, 'd.yaml': dns, 'a.yaml': svc('dns-tcp', '  - {name: tcp-dns, port: 53}\n'), 'b.yaml': svc('dns-udp', '  - {name: udp-dns, port: 53, protocol: UDP}\n') };

  it('IST0116: one port with different protocols, at the container port', () => {
    expect(check(udpAndTcp, 'd.yaml', ['IST0116'])).toEqual([
      [
        'IST0116',
        '53',
        "The Services that select this Deployment's pods use port 53 with different protocols (TCP: dns-tcp; UDP: dns-udp); the sidecar cannot serve both. Use one protocol per port, or separate ports.",
      ],
    ]);
  });

  it('only for a Deployment in the mesh, and not for a waypoint', () => {
    const noNamespace: Files = { ...udpAndTcp };
    delete noNamespace['ns.yaml'];
    expect(check(noNamespace, 'd.yaml', ['IST0116'])).toEqual([]);
    const optedIn = { ...noNamespace, 'd.yaml': dns.replace('      labels: {app: dns}', '      labels: {app: dns, sidecar.istio.io/inject: "true"}') };
    expect(check(optedIn, 'd.yaml', ['IST0116']).length).toBe(1);
    const optedOut = { ...udpAndTcp, 'd.yaml': dns.replace('    metadata:\n', '    metadata:\n      annotations: {sidecar.istio.io/inject: "false"}\n') };
    expect(check(optedOut, 'd.yaml', ['IST0116'])).toEqual([]);
    const waypoint = { ...udpAndTcp, 'd.yaml': dns.replace('  namespace: shop\n', '  namespace: shop\n  labels: {gateway.istio.io/managed: istio.io-mesh-controller}\n') };
    expect(check(waypoint, 'd.yaml', ['IST0116'])).toEqual([]);
  });

  it('IST0137: one targetPort behind different ports, at the container port', () => {
    const files = {
      'ns.yaml': injected,
      'd.yaml': dns,
      'a.yaml': svc('web', '  - {name: http, port: 80, targetPort: 8080}\n'),
      'b.yaml': svc('web-alt', '  - {name: http, port: 9080, targetPort: 8080}\n'),
    };
    expect(check(files, 'd.yaml', ['IST0137', 'IST0116'])).toEqual([
      ['IST0137', '8080', "Services web, web-alt send to targetPort 8080 of this Deployment's pods from different ports (80, 9080); Services that share a targetPort must use the same port."],
    ]);
    // The same port to the same targetPort, or an unset targetPort (the port itself), is fine.
    expect(check({ ...files, 'b.yaml': svc('web-alt', '  - {name: http, port: 80, targetPort: 8080}\n') }, 'd.yaml', ['IST0137'])).toEqual([]);
    expect(check({ ...files, 'a.yaml': svc('web', '  - {name: http, port: 8080}\n'), 'b.yaml': svc('web-alt', '  - {name: http, port: 9080}\n') }, 'd.yaml', ['IST0137'])).toEqual([]);
  });

  it('a Service without selector, or of another namespace, is not the Deployment’s', () => {
    const files = { ...udpAndTcp, 'b.yaml': svc('dns-udp', '  - {name: udp-dns, port: 53, protocol: UDP}\n').replace('  selector: {app: dns}\n', '') };
    expect(check(files, 'd.yaml', ['IST0116'])).toEqual([]);
    const elsewhere = { ...udpAndTcp, 'b.yaml': svc('dns-udp', '  - {name: udp-dns, port: 53, protocol: UDP}\n').replace('namespace: shop', 'namespace: other') };
    expect(check(elsewhere, 'd.yaml', ['IST0116'])).toEqual([]);
  });
});

describe('application UID (IST0144)', () => {
  const pod = (labels: string, podUser: string, containers: string) => `apiVersion: v1
kind: Pod
metadata:
  name: app
  labels: ${labels}
spec:
  securityContext: {runAsUser: ${podUser}}
  containers:
${containers}`;

  it('the pod or an application container running as 1337, at the value', () => {
    const text = pod('{app: web}', '1000', '  - name: web\n    image: web\n    securityContext: {runAsUser: 1337}\n');
    expect(check({ 'p.yaml': text }, 'p.yaml', ['IST0144'])).toEqual([
      ['IST0144', '1337', 'User ID 1337 is reserved for the sidecar proxy: Istio does not redirect the traffic of that user through the proxy. Run the application as another user.'],
    ]);
    expect(check({ 'p.yaml': pod('{app: web}', '1337', '  - name: web\n    image: web\n') }, 'p.yaml', ['IST0144']).length).toBe(1);
  });

  it('not the proxy container, nor the control plane', () => {
    expect(check({ 'p.yaml': pod('{app: web}', '1000', '  - name: istio-proxy\n    image: proxyv2\n    securityContext: {runAsUser: 1337}\n') }, 'p.yaml', ['IST0144'])).toEqual([]);
    expect(check({ 'p.yaml': pod('{istio: pilot}', '1337', '  - name: discovery\n    image: pilot\n') }, 'p.yaml', ['IST0144'])).toEqual([]);
  });

  it('in a Deployment’s pod template, not in a StatefulSet (as istioctl)', () => {
    const user = '      securityContext: {runAsUser: 1337}\n';
    const d = deployment('web', '{app: web}', 'shop').replace('    spec:\n', `    spec:\n${user}`);
    expect(check({ 'd.yaml': d }, 'd.yaml', ['IST0144']).map((p) => p[1])).toEqual(['1337']);
    expect(check({ 'd.yaml': d.replace('kind: Deployment', 'kind: StatefulSet') }, 'd.yaml', ['IST0144'])).toEqual([]);
  });
});

describe('Gateways for the same workloads (IST0145)', () => {
  const gw = (name: string, selector: string, host = 'shop.example.com', extra = '') => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: edge}
spec:
  selector: ${selector}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["${host}"]
${extra}`;
  const gatewayPod = `apiVersion: v1
kind: Pod
metadata:
  name: ingress-1
  namespace: istio-system
  labels: {istio: ingressgateway, app: istio-ingressgateway}
spec:
  containers:
  - name: istio-proxy
    image: proxyv2
`;

  it('a selector contained in the other, with a workload carrying both', () => {
    const files = { 'a.yaml': gw('alpha', '{istio: ingressgateway}'), 'b.yaml': gw('beta', '{istio: ingressgateway, app: istio-ingressgateway}'), 'pod.yaml': gatewayPod };
    expect(check(files, 'a.yaml', ['IST0145'])).toEqual([['IST0145', '80', 'Gateway edge/beta uses the same workloads (istio=ingressgateway) and port 80 for the same hosts (shop.example.com).']]);
    expect(check(files, 'b.yaml', ['IST0145']).length).toBe(1);
    // Without a workload that both select, they may run on different gateways.
    const noPod: Files = { ...files };
    delete noPod['pod.yaml'];
    expect(check(noPod, 'a.yaml', ['IST0145'])).toEqual([]);
  });

  it('the same selector conflicts without workloads; another bind does not', () => {
    expect(check({ 'a.yaml': gw('alpha', '{istio: ingressgateway}'), 'b.yaml': gw('beta', '{istio: ingressgateway}') }, 'a.yaml', ['IST0145']).length).toBe(1);
    const bound = { 'a.yaml': gw('alpha', '{istio: ingressgateway}'), 'b.yaml': gw('beta', '{istio: ingressgateway}', 'shop.example.com', '    bind: 10.0.0.1\n') };
    expect(check(bound, 'a.yaml', ['IST0145'])).toEqual([]);
  });
});
