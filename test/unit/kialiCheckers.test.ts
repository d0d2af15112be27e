// Our Kiali-coded checks against Kiali's checkers (business/checkers/ of kiali/kiali): the cases
// its tests pin, the node each report sits on (Kiali's path, such as `spec/subsets[1]`), the
// severity, and messages that say what would be right.
import { describe, expect, it } from 'vitest';
import { quickFixes } from '../../server/src/features/quickFixes';
import { serviceWith, settings130, wsUri } from '../support';

type Files = Record<string, string>;

/** Diagnoses `target` in a workspace of `files`: [line, code, text at range, severity, message] of the codes asked for. */
function check(files: Files, target: string, codes: string[]) {
  const text = files[target];
  return serviceWith(files)
    .diagnoseDiskFile(wsUri(target), settings130)
    .filter((p) => codes.includes(p.code))
    .map((p) => ({ line: text.slice(0, p.start).split('\n').length - 1, code: p.code, at: text.slice(p.start, p.end), severity: p.severity, message: p.message }));
}

const policy = (methods: string[], key = 'methods') => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: details, namespace: bookinfo}
spec:
  selector: {matchLabels: {app: details}}
  rules:
  - to:
    - operation:
        ${key}: [${methods.map((m) => JSON.stringify(m)).join(', ')}]
`;

describe('KIA0102, as NamespaceMethodChecker', () => {
  const flagged = (methods: string[], key?: string) => check({ 'ap.yaml': policy(methods, key) }, 'ap.yaml', ['KIA0102']).map((p) => p.at);

  it('accepts HTTP methods and the wildcards Istio matches with: *, a prefix, a suffix', () => {
    expect(flagged(['GET', 'POST', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'])).toEqual([]);
    expect(flagged(['*', 'GET*', 'G*', '*ET', '*POST'])).toEqual([]);
  });

  it('flags what matches no method, each entry on its own (methods[k])', () => {
    expect(flagged(['GET', 'POST', 'GOT', 'WRONG', '/grpc.package/method', 'grpc.pkg/noinitialslash'])).toEqual(['"GOT"', '"WRONG"', '"/grpc.package/method"', '"grpc.pkg/noinitialslash"']);
    expect(flagged(['*', 'GOT', 'WRONG', 'GOT*', '*WRONG', '*BAD*'])).toEqual(['"GOT"', '"WRONG"', '"GOT*"', '"*WRONG"', '"*BAD*"']);
    expect(flagged([''])).toEqual(['""']);
  });

  it('says what is right: upper case, paths for gRPC, the methods and wildcards', () => {
    const messages = check({ 'ap.yaml': policy(['get', '/shop.Cart/Add', 'GOT']) }, 'ap.yaml', ['KIA0102']);
    expect(messages.map((p) => [p.severity, p.message])).toEqual([
      ['warning', "'get' matches no request: HTTP methods are upper case (use 'GET')."],
      ['warning', "'/shop.Cart/Add' is a gRPC method, but methods match the HTTP method, which is always POST for gRPC: match '/shop.Cart/Add' in paths instead."],
      ['warning', "'GOT' is not an HTTP method: use one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, '*', a prefix such as 'GET*' or a suffix such as '*ET'."],
    ]);
  });

  it('differs on purpose: case and spaces count, notMethods are checked', () => {
    expect(flagged(['get', 'get*', ' * '])).toEqual(['"get"', '"get*"', '" * "']);
    expect(flagged(['post'], 'notMethods')).toEqual(['"post"']);
  });
});

const dr = (ns: string, name: string, host: string, subsets: string[], extra = '') =>
  `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: ${ns}}
spec:
  host: "${host}"
${extra}${subsets.length > 0 ? `  subsets:\n${subsets.map((s) => `  - name: ${s}\n    labels: {version: ${s}}\n`).join('')}` : ''}`;
const mtls = '  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n';

describe('KIA0201, as destinationrules.MultiMatchChecker', () => {
  const pair = (a: string, b: string) => check({ 'a.yaml': a, 'b.yaml': b }, 'a.yaml', ['KIA0201']);

  it('is reported once, on the host (spec/host), naming the other rule and the subsets', () => {
    const found = pair(dr('test', 'rule1', 'host1', ['v1', 'v2']), dr('test', 'rule2', 'host1.test.svc.cluster.local', ['v1', 'v2']));
    expect(found.map((p) => [p.line, p.at, p.severity])).toEqual([[4, '"host1"', 'warning']]);
    expect(found[0].message).toBe(
      'More than one DestinationRule for host1.test.svc.cluster.local and the same subsets: rule2 (test) for subsets v1, v2. Which one applies is undefined; define each subset of a host in one DestinationRule.',
    );
  });

  it('different subsets do not meet; a rule without subsets meets every other (the reviews example)', () => {
    const reviews = dr('bookinfo', 'reviews', 'reviews', ['v2', 'v3']);
    const reviews2 = dr('bookinfo', 'reviews2', 'reviews', ['v1']);
    expect(pair(reviews, reviews2)).toEqual([]);
    const all = { 'a.yaml': reviews, 'b.yaml': reviews2, 'c.yaml': dr('bookinfo', 'reviews3', 'reviews', []) };
    expect(check(all, 'c.yaml', ['KIA0201']).map((p) => p.message)).toEqual([
      'More than one DestinationRule for reviews.bookinfo.svc.cluster.local and the same subsets: reviews (bookinfo) for the whole host; reviews2 (bookinfo) for the whole host. Which one applies is undefined; define each subset of a host in one DestinationRule.',
    ]);
    expect(check(all, 'a.yaml', ['KIA0201'])).toHaveLength(1);
  });

  it('hosts overlap as Kiali compares them: wildcards cover by label suffix, * covers all', () => {
    expect(pair(dr('test', 'rule1', 'host1', ['v1']), dr('test', 'rule2', '*.test.svc.cluster.local', ['v1']))).toHaveLength(1);
    expect(pair(dr('test', 'rule1', '*', ['v1']), dr('test', 'rule2', '*.test.svc.cluster.local', ['v1']))).toHaveLength(1);
    expect(pair(dr('test', 'rule1', '*.svc.cluster.local', ['v1']), dr('test', 'rule2', '*.test.svc.cluster.local', ['v1']))).toHaveLength(1);
    expect(pair(dr('t', 'vault', '*.vault.svc.cluster.local', ['v1']), dr('t', 'test3', '*.istio-test3.svc.cluster.local', ['v1']))).toEqual([]);
    expect(pair(dr('t', 'a', '*.test.svc.cluster.local', ['v1']), dr('t', 'b', 'x.istio-test.svc.cluster.local', ['v1']))).toEqual([]);
    expect(pair(dr('test', 'rule1', 'host1', ['v1']), dr('test', 'rule2', 'host2.test.svc.cluster.local', ['v1']))).toEqual([]);
  });

  it('DestinationRules of other namespaces count, when some namespace sees both', () => {
    expect(pair(dr('test', 'rule1', 'host1.test.svc.cluster.local', ['v1']), dr('test2', 'rule2', 'host1.test.svc.cluster.local', ['v1']))).toHaveLength(1);
    // The same short name in two namespaces is two hosts.
    expect(pair(dr('test', 'rule1', 'host1', ['v1']), dr('test2', 'rule2', 'host1', ['v1']))).toEqual([]);
    const own = '  exportTo: ["."]\n';
    expect(pair(dr('test', 'rule1', 'host1.test.svc.cluster.local', ['v1'], own), dr('test2', 'rule2', 'host1.test.svc.cluster.local', ['v1'], own))).toEqual([]);
  });

  it("leaves out the mTLS defaults (*.local, *.<own namespace>.svc.cluster.local with ISTIO_MUTUAL), not a service's wildcard", () => {
    expect(pair(dr('test', 'rule1', 'host1', ['v1']), dr('test', 'mesh', '*.local', [], mtls))).toEqual([]);
    expect(pair(dr('test', 'rule1', 'host1', ['v1']), dr('test', 'ns', '*.test.svc.cluster.local', [], mtls))).toEqual([]);
    expect(pair(dr('test', 'rule1', 'host1', ['v1']), dr('other', 'ns', '*.test.svc.cluster.local', [], mtls))).toHaveLength(1);
    expect(pair(dr('t', 'vault-mtls', '*.vault.svc.cluster.local', [], mtls), dr('t', 'vault-no-tls', '*.vault.svc.cluster.local', []))).toHaveLength(1);
  });

  it('offers to remove each shared subset from this DestinationRule', () => {
    const files = { 'a.yaml': dr('test', 'rule1', 'host1', ['v1', 'v2', 'v3']), 'b.yaml': dr('test', 'rule2', 'host1', ['v2', 'v3']) };
    const service = serviceWith(files);
    const problems = service.diagnoseDiskFile(wsUri('a.yaml'), settings130).filter((p) => p.code === 'KIA0201');
    expect(quickFixes(service.context(settings130), wsUri('a.yaml'), problems).map((f) => f.title)).toEqual(["Remove the duplicate subset 'v2'", "Remove the duplicate subset 'v3'"]);
  });
});

const service = (ns: string, name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {app: ${name}}\n  ports: [{name: http, port: 9080}]\n`;
const pod = (ns: string, app: string, version: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${app}-${version}, namespace: ${ns}, labels: {app: ${app}, version: ${version}}}\nspec:\n  containers: [{name: c, image: i}]\n`;

describe('KIA0203 and KIA0209, as destinationrules.NoDestinationChecker', () => {
  const workspace = (rule: string) => ({ 'dr.yaml': rule, 'svc.yaml': service('test', 'reviews'), 'v1.yaml': pod('test', 'reviews', 'v1'), 'v2.yaml': pod('test', 'reviews', 'v2') });

  it('KIA0203 sits on the subset labels (Kiali: spec/subsets[i]), as a warning, and says what is right', () => {
    const rule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: test}
spec:
  host: reviews
  subsets:
  - name: reviewsv2
    labels: {version: v2}
  - name: reviewsv1
    labels: {version: v1, seek: notfound}
`;
    expect(check(workspace(rule), 'dr.yaml', ['KIA0203'])).toEqual([
      {
        line: 9,
        code: 'KIA0203',
        at: '{version: v1, seek: notfound}',
        severity: 'warning',
        message: "No workload in namespace test has the labels of subset 'reviewsv1' (version=v1, seek=notfound); traffic to it fails. Give the subset the labels of the pods it should select.",
      },
    ]);
  });

  it('KIA0209 sits on the name of each subset without labels', () => {
    const found = check(workspace(dr('test', 'reviews', 'reviews', []).replace(/\n$/, '\n  subsets:\n  - name: v1\n  - name: v2\n')), 'dr.yaml', ['KIA0209']);
    expect(found.map((p) => [p.line, p.at, p.severity])).toEqual([
      [6, 'v1', 'warning'],
      [7, 'v2', 'warning'],
    ]);
    expect(found[0].message).toBe("Subset 'v1' has no labels, so it selects every endpoint of reviews; give it the labels of its pods (e.g. version: v1).");
  });

  it('a wildcard host: labels are not compared (KIA0209 still applies)', () => {
    const files = workspace(dr('test', 'wide', '*.test.svc.cluster.local', ['v9']).replace(/\n$/, '\n  - name: all\n'));
    expect(check(files, 'dr.yaml', ['KIA0203', 'KIA0209']).map((p) => p.code)).toEqual(['KIA0209']);
  });

  it('a missing host: neither (IST0174 instead)', () => {
    const files = workspace(dr('test', 'ratings', 'ratings', ['v9']).replace(/\n$/, '\n  - name: all\n'));
    expect(check(files, 'dr.yaml', ['KIA0203', 'KIA0209', 'IST0174']).map((p) => p.code)).toEqual(['IST0174']);
  });

  it("a ServiceEntry's host: its endpoints' labels, not the namespace's pods", () => {
    const entry = (cluster: string) =>
      `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: details-se, namespace: bookinfo}\nspec:\n  hosts: [details.bookinfo.svc.cluster.local]\n  location: MESH_INTERNAL\n  resolution: STATIC\n  ports: [{number: 9080, name: http, protocol: HTTP}]\n  endpoints:\n  - address: 10.0.0.7\n    labels: {cluster: ${cluster}}\n`;
    const rule = `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: details, namespace: bookinfo}\nspec:\n  host: details.bookinfo.svc.cluster.local\n  subsets:\n  - name: v1\n    labels: {cluster: global}\n`;
    const files = (cluster: string) => ({ 'dr.yaml': rule, 'se.yaml': entry(cluster), 'pod.yaml': pod('bookinfo', 'ratings', 'v1') });
    expect(check(files('global'), 'dr.yaml', ['KIA0203'])).toEqual([]);
    expect(check(files('wrong'), 'dr.yaml', ['KIA0203']).map((p) => p.message)).toEqual([
      "No endpoint of ServiceEntry details-se (bookinfo) has the labels of subset 'v1' (cluster=global); traffic to it fails. Give the subset the labels of the pods it should select.",
    ]);
  });
});

const peer = (ns: string, mode: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: ${ns}}\nspec:\n  mtls: {mode: ${mode}}\n`;
const disable = (ns: string, host: string) =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: plain, namespace: ${ns}}\nspec:\n  host: "${host}"\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n`;

describe('KIA0207 and KIA0208, as Disabled{Namespace,Mesh}WideMTLSChecker', () => {
  const codes = ['KIA0207', 'KIA0208'];

  it('KIA0207: the namespace requires mTLS; on the mode (spec/trafficPolicy/tls/mode), an error', () => {
    const found = check({ 'dr.yaml': disable('bookinfo', '*.bookinfo.svc.cluster.local'), 'pa.yaml': peer('bookinfo', 'STRICT') }, 'dr.yaml', codes);
    expect(found.map((p) => [p.line, p.code, p.at, p.severity])).toEqual([[7, 'KIA0207', 'DISABLE', 'error']]);
    expect(found[0].message).toBe(
      'PeerAuthentication default (bookinfo) requires mTLS (STRICT) in namespace bookinfo, but this DestinationRule disables TLS: requests will be rejected. Use ISTIO_MUTUAL, or make the PeerAuthentication PERMISSIVE.',
    );
  });

  it('KIA0208: the mesh requires mTLS and the namespace says nothing; also for *.local', () => {
    const mesh = peer('istio-system', 'STRICT');
    expect(check({ 'dr.yaml': disable('bookinfo', '*.bookinfo.svc.cluster.local'), 'pa.yaml': mesh }, 'dr.yaml', codes).map((p) => [p.code, p.severity])).toEqual([['KIA0208', 'error']]);
    const local = check({ 'dr.yaml': disable('istio-system', '*.local'), 'pa.yaml': mesh }, 'dr.yaml', codes);
    expect(local.map((p) => [p.code, p.message])).toEqual([
      [
        'KIA0208',
        'The mesh-wide PeerAuthentication default (istio-system) requires mTLS (STRICT) in every namespace, but this DestinationRule disables TLS: requests will be rejected. Use ISTIO_MUTUAL, or make the PeerAuthentication PERMISSIVE.',
      ],
    ]);
  });

  it("a namespace's PERMISSIVE or DISABLE policy overrides the mesh's; an external host is not the mesh's", () => {
    const files = (nsMode: string) => ({ 'dr.yaml': disable('bookinfo', '*.bookinfo.svc.cluster.local'), 'mesh.yaml': peer('istio-system', 'STRICT'), 'ns.yaml': peer('bookinfo', nsMode) });
    expect(check(files('PERMISSIVE'), 'dr.yaml', codes)).toEqual([]);
    expect(check(files('DISABLE'), 'dr.yaml', codes)).toEqual([]);
    expect(check({ 'dr.yaml': disable('bookinfo', 'api.example.com'), 'pa.yaml': peer('istio-system', 'STRICT') }, 'dr.yaml', codes)).toEqual([]);
  });
});

const route = (kind: string, dests: string[]) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: test}
spec:
  hosts: [reviews]
  ${kind}:
  - route:
${dests.map((d) => `    - destination: {${d}}\n      weight: 25\n`).join('')}`;

describe('KIA1105, as virtualservices.RouteChecker', () => {
  const flagged = (kind: string, dests: string[]) => check({ 'vs.yaml': route(kind, dests) }, 'vs.yaml', ['KIA1105']).map((p) => [p.line, p.at]);

  it('reports every repeat, on its host (spec/http[i]/route[j]/host)', () => {
    expect(flagged('http', ['host: reviews, subset: v1', 'host: reviews, subset: v2', 'host: reviews, subset: v1', 'host: reviews, subset: v2'])).toEqual([
      [7, 'reviews'],
      [9, 'reviews'],
      [11, 'reviews'],
      [13, 'reviews'],
    ]);
    expect(flagged('http', ['host: reviews', 'host: ratings', 'host: reviews', 'host: ratings'])).toHaveLength(4);
  });

  it('in tcp and tls routes too; hosts compared as Istio resolves them', () => {
    expect(flagged('tcp', ['host: reviews, subset: v1', 'host: reviews.test.svc.cluster.local, subset: v1'])).toEqual([
      [7, 'reviews'],
      [9, 'reviews.test.svc.cluster.local'],
    ]);
  });

  it('says what is right, as a warning; a different port is a different destination', () => {
    const found = check({ 'vs.yaml': route('http', ['host: reviews, subset: v1', 'host: reviews, subset: v1']) }, 'vs.yaml', ['KIA1105']);
    expect(found.map((p) => [p.severity, p.message])).toEqual([
      ['warning', 'This route lists reviews subset v1 2 times; list it once, with the sum of the weights.'],
      ['warning', 'This route lists reviews subset v1 2 times; list it once, with the sum of the weights.'],
    ]);
    expect(flagged('http', ['host: reviews, subset: v1, port: {number: 9080}', 'host: reviews, subset: v1, port: {number: 9081}'])).toEqual([]);
  });
});
