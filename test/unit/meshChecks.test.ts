// Route order (IST0130, IST0131) and the mesh checks of meshChecks.ts, as istioctl analyze has
// them: Istio's testdata cases, in our own words.
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../support';

type Files = Record<string, string>;

/** [line, code, text under the range, message] of the target file's problems with these codes. */
function check(files: Files, target: string, codes: string[]) {
  return problemsOf(files, target, codes).map(({ line, code, text, message, data }) => ({ line, code, text, message, data }));
}

const virtualService = (body: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: default
spec:
  hosts: [shop]
${body}`;

const routeOrder = (body: string) => check({ 'vs.yaml': virtualService(body) }, 'vs.yaml', ['IST0130', 'IST0131']);

describe('IST0130 / IST0131: route order', () => {
  it('reports a route after a catch-all once, whatever its number of matches', () => {
    const found = routeOrder(`  http:
  - route: [{destination: {host: shop}}]
  - match: [{uri: {prefix: /a}}, {uri: {prefix: /b}}]
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.code, p.message])).toEqual([[9, 'IST0130', 'HTTP route 2 is never used: HTTP route 1 before it has no match and takes every request.']]);
  });

  it('names routes by their name, and reports a match repeated within one route', () => {
    const found = routeOrder(`  http:
  - name: api
    match:
    - uri: {prefix: /api}
    - name: again
      uri: {prefix: /api}
    route: [{destination: {host: shop}}]
  - name: copy
    match:
    - uri: {prefix: /api}
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.code, p.message])).toEqual([
      [11, 'IST0131', 'Match 1 of this route is the same, so this one never matches.'],
      [14, 'IST0130', "HTTP route 'copy' is never used: each of its matches repeats one of HTTP route 'api'."],
      [16, 'IST0131', "HTTP route 'api' has the same match, so this one never matches."],
    ]);
    // A route that keeps a match of its own is used.
    expect(
      routeOrder(`  tcp:\n  - match: [{port: 1}]\n    route: [{destination: {host: shop}}]\n  - match: [{port: 1}, {port: 2}]\n    route: [{destination: {host: shop}}]\n`).map((p) => p.code),
    ).toEqual(['IST0131']);
  });

  it('compares matches without the fields left at their defaults', () => {
    const found = routeOrder(`  http:
  - match: [{uri: {prefix: /a}, port: 0, ignoreUriCase: false, headers: {}}]
    route: [{destination: {host: shop}}]
  - match: [{uri: {prefix: /a}}, {uri: {prefix: /a}, ignoreUriCase: true}]
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.code, p.text])).toEqual([[10, 'IST0131', '{uri: {prefix: /a}}']]);
  });

  it('finds a prefix covered by an earlier one, with the quirks of Istio comparison', () => {
    const covered = (first: string, second: string) =>
      routeOrder(`  http:\n  - match: [${first}]\n    route: [{destination: {host: shop}}]\n  - match: [${second}]\n    route: [{destination: {host: shop}}]\n`).map((p) => p.code);
    expect(covered('{uri: {prefix: /api}}', '{uri: {prefix: /api/v1}, method: {exact: GET}}')).toEqual(['IST0131']);
    expect(covered('{uri: {prefix: /api}}', '{uri: {prefix: /api/v1}, method: {exact: POST}}')).toEqual([]);
    expect(covered('{uri: {prefix: /api/v1}}', '{uri: {prefix: /api}}')).toEqual([]);
    expect(covered('{uri: {prefix: /api}, port: 80}', '{uri: {prefix: /api/v1}}')).toEqual([]);
    expect(covered('{uri: {prefix: /api}, headers: {x: {exact: a}}}', '{uri: {prefix: /api/v1}}')).toEqual([]);
    expect(covered('{uri: {exact: /api}}', '{uri: {prefix: /api/v1}}')).toEqual([]);
    // Istio takes a later value as covered when it is a prefix of the earlier one: no authority, a regex.
    expect(covered('{uri: {prefix: /api}, authority: {exact: a.example.com}}', '{uri: {prefix: /api/v1}}')).toEqual(['IST0131']);
    expect(covered('{uri: {prefix: /api}, headers: {x: {regex: a.*}}}', '{uri: {prefix: /api/v1}, headers: {x: {regex: b.*}}}')).toEqual(['IST0131']);
    // Not compared at all: the source labels.
    expect(covered('{uri: {prefix: /api}, sourceLabels: {app: a}}', '{uri: {prefix: /api/v1}}')).toEqual(['IST0131']);
  });

  it('names the first covering match, and offers no removal for a covered prefix', () => {
    const found = routeOrder(`  http:
  - name: short
    match: [{uri: {prefix: /a}}, {uri: {prefix: /ab}}]
    route: [{destination: {host: shop}}]
  - match: [{uri: {prefix: /abc}}]
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.text, p.message, p.data?.type])).toEqual([
      [
        9,
        '{uri: {prefix: /ab}}',
        "Match 1 of this route comes first with prefix '/a', which covers this prefix '/ab', and the same other conditions (as Istio compares port, method, authority, headers and query parameters), so this match is never used.",
        'semantic',
      ],
      [
        11,
        '{uri: {prefix: /abc}}',
        "Match 1 of HTTP route 'short' comes first with prefix '/a', which covers this prefix '/abc', and the same other conditions (as Istio compares port, method, authority, headers and query parameters), so this match is never used.",
        'semantic',
      ],
    ]);
  });

  it('compares TLS routes whole, without prefix overlaps', () => {
    const found = routeOrder(`  tls:
  - match: [{port: 443, sniHosts: [a.example.com]}]
    route: [{destination: {host: shop}}]
  - match: [{sniHosts: [a.example.com], port: 443}]
    route: [{destination: {host: shop}}]
  - match: [{port: 443, sniHosts: [b.example.com]}]
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.code])).toEqual([
      [10, 'IST0130'],
      [10, 'IST0131'],
    ]);
  });
});

const serviceEntry = (ports: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: default}
spec:
  hosts: [ext.example.com]
${extra}  ports:
${ports}  resolution: DNS
`;

describe('IST0134: ServiceEntry addresses', () => {
  const found = (text: string) => check({ 'se.yaml': text }, 'se.yaml', ['IST0134']).map((p) => [p.line, p.text]);

  it('reports each TCP or protocol-less port, on its protocol or number', () => {
    expect(found(serviceEntry('  - {number: 5432, name: db, protocol: tcp}\n  - {number: 443, name: https}\n  - {number: 80, name: http, protocol: HTTP}\n'))).toEqual([
      [6, 'tcp'],
      [7, '443'],
    ]);
    const message = check({ 'se.yaml': serviceEntry('  - {number: 443, name: https}\n') }, 'se.yaml', ['IST0134'])[0].message;
    expect(message).toContain('Port 443 has no protocol, so Istio treats it as TCP, and this ServiceEntry has no addresses');
  });

  it('is silent with addresses, with allocated addresses in the status, and for other protocols', () => {
    const tcp = '  - {number: 5432, name: db, protocol: TCP}\n';
    expect(found(serviceEntry(tcp, '  addresses: [10.0.0.1]\n'))).toEqual([]);
    expect(found(`${serviceEntry(tcp)}status:\n  addresses: [{value: 240.240.0.1}]\n`)).toEqual([]);
    expect(found(serviceEntry(tcp, '  addresses: []\n'))).toHaveLength(1);
    expect(found(serviceEntry('  - {number: 443, name: tls, protocol: TLS}\n'))).toEqual([]);
  });
});

describe('IST0157: access logging without a provider', () => {
  const telemetry = (logging: string) => `apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {name: logs, namespace: shop}\nspec:\n  accessLogging:\n${logging}`;
  const found = (logging: string) => check({ 't.yaml': telemetry(logging) }, 't.yaml', ['IST0157']).map((p) => [p.line, p.text, p.message]);

  it('reports the entry without providers, unless disabled', () => {
    expect(found('  - providers: [{name: envoy}]\n  - filter: {expression: response.code >= 400}\n  - disabled: true\n  - providers: []\n    disabled: false\n')).toEqual([
      [
        6,
        'filter',
        "This access-logging entry names no provider, and the mesh config names no default one (Istio's default has none): Istio ignores Telemetry logs (shop). Name a provider (e.g. envoy) or set disabled: true.",
      ],
      [8, '[]', expect.any(String)],
    ]);
  });
});

describe('IST0165: generated internal Gateways', () => {
  it('reports the reference instead of IST0101 or IST0132', () => {
    const vs = virtualService(
      '  gateways: [mesh, "istio-ingress/edge~istio-autogenerated-k8s-gateway~web", edge~istio-autogenerated-k8s-gateway~tls]\n  http:\n  - route: [{destination: {host: shop}}]\n',
    );
    const gateway =
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: other, namespace: istio-ingress}\nspec:\n  selector: {istio: ingress}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]\n';
    const found = check({ 'vs.yaml': vs, 'gw.yaml': gateway }, 'vs.yaml', ['IST0165', 'IST0101', 'IST0132', 'istio-reference-outside-workspace']);
    expect(found.map((p) => [p.line, p.code, p.text])).toEqual([
      [7, 'IST0165', '"istio-ingress/edge~istio-autogenerated-k8s-gateway~web"'],
      [7, 'IST0165', 'edge~istio-autogenerated-k8s-gateway~tls'],
    ]);
    expect(found[0].message).toContain('the Gateway Istio generates for a listener of Kubernetes Gateway edge');
  });
});

describe('IST0149: JWT claim routes without RequestAuthentication', () => {
  const deployment = (name: string, ns: string, labels: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n    spec: {containers: [{name: proxy, image: auto}]}\n`;
  const gateway =
    'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: public, namespace: istio-ingress}\nspec:\n  selector: {istio: ingress}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*/*"]}]\n';
  const route = (header: string) =>
    virtualService(
      `  gateways: [mesh, istio-ingress/public]\n  http:\n  - match: [{uri: {prefix: /}, headers: {x-other: {exact: a}, ${JSON.stringify(header)}: {exact: beta}}}]\n    route: [{destination: {host: shop}}]\n`,
    );
  const requestAuthentication = (ns: string, selector: string) =>
    `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: jwt, namespace: ${ns}}\nspec:\n${selector}  jwtRules: [{issuer: https://issuer.example.com}]\n`;
  const found = (files: Files) => check({ 'gw.yaml': gateway, ...files }, 'vs.yaml', ['IST0149']).map((p) => [p.line, p.text, p.message]);

  it('reports each gateway workload without a RequestAuthentication, on the Gateway reference', () => {
    const workloads =
      deployment('ingress', 'istio-ingress', '{istio: ingress}') +
      '---\n' +
      deployment('ingress-canary', 'canary', '{istio: ingress, rev: canary}') +
      '---\n' +
      deployment('app', 'istio-ingress', '{app: web}');
    expect(found({ 'vs.yaml': route('@request.auth.claims.group'), 'deploy.yaml': workloads })).toEqual([
      // By namespace: canary first.
      [7, 'istio-ingress/public', expect.stringContaining('Deployment ingress-canary (canary)')],
      [
        7,
        'istio-ingress/public',
        "This VirtualService routes on JWT claim '@request.auth.claims.group', but no RequestAuthentication applies to Deployment ingress (istio-ingress), a workload of Gateway istio-ingress/public: the claims exist only once a RequestAuthentication has validated the token. Add one in istio-ingress (or istio-system) that selects it.",
      ],
    ]);
  });

  it('accepts a RequestAuthentication of the workload namespace or istio-system, or one without selector', () => {
    const files = { 'vs.yaml': route('@request.auth.claims[group][sub]'), 'deploy.yaml': deployment('ingress', 'istio-ingress', '{istio: ingress}') };
    expect(found(files)).toHaveLength(1);
    expect(found({ ...files, 'ra.yaml': requestAuthentication('istio-system', '  selector: {matchLabels: {istio: ingress}}\n') })).toEqual([]);
    expect(found({ ...files, 'ra.yaml': requestAuthentication('istio-ingress', '') })).toEqual([]);
    expect(found({ ...files, 'ra.yaml': requestAuthentication('default', '') })).toHaveLength(1);
    expect(found({ ...files, 'ra.yaml': requestAuthentication('istio-ingress', '  selector: {matchLabels: {istio: egress}}\n') })).toHaveLength(1);
  });

  it('needs a claim header, a bound Gateway and its workloads in the workspace', () => {
    const workloads = deployment('ingress', 'istio-ingress', '{istio: ingress}');
    expect(found({ 'vs.yaml': route('@request.auth.claims.'), 'deploy.yaml': workloads })).toEqual([]);
    expect(found({ 'vs.yaml': route('x-claims.group'), 'deploy.yaml': workloads })).toEqual([]);
    expect(found({ 'vs.yaml': route('@request.auth.claims.group') })).toEqual([]);
    expect(found({ 'vs.yaml': route('@request.auth.claims.group').replace('istio-ingress/public', 'istio-ingress/missing'), 'deploy.yaml': workloads })).toEqual([]);
  });
});

describe('IST0167: Sidecars in ambient mode', () => {
  const namespace = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: ${labels}\n`;
  const sidecar = (name: string, selector = '') => `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: ${name}, namespace: shop}\nspec:\n${selector}  egress: [{hosts: ["./*"]}]\n`;
  const found = (files: Files) => check(files, 'sidecar.yaml', ['IST0167', 'IST0111']).map((p) => [p.line, p.code, p.text, p.message]);

  it('reports selector-less Sidecars of an ambient namespace, instead of IST0111', () => {
    const files = { 'ns.yaml': namespace('{istio.io/dataplane-mode: ambient}'), 'sidecar.yaml': `${sidecar('a')}---\n${sidecar('b')}` };
    expect(found(files)).toEqual([
      [2, 'IST0167', 'a', 'This Sidecar has no effect: namespace shop is in ambient mode (istio.io/dataplane-mode: ambient), where pods have no sidecar.'],
      [8, 'IST0167', 'b', expect.any(String)],
    ]);
    expect(found({ ...files, 'ns.yaml': namespace('{istio.io/dataplane-mode: ambient, istio.io/rev: canary}') }).map((p) => p[1])).toEqual(['IST0111', 'IST0111']);
    expect(found({ ...files, 'ns.yaml': namespace('{istio.io/dataplane-mode: ambient, istio-injection: enabled}') }).map((p) => p[1])).toEqual(['IST0111', 'IST0111']);
  });

  it('reports a Sidecar selecting an ambient pod, read from a pod template too', () => {
    const pod = (annotation: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews, namespace: shop}\nspec:\n  selector: {matchLabels: {app: reviews}}\n  template:\n    metadata:\n      labels: {app: reviews}\n      annotations: {${annotation}}\n    spec: {containers: [{name: reviews, image: r}]}\n`;
    const selected = sidecar('reviews', '  workloadSelector: {labels: {app: reviews}}\n');
    expect(found({ 'pod.yaml': pod('ambient.istio.io/redirection: enabled'), 'sidecar.yaml': selected })).toEqual([
      [2, 'IST0167', 'reviews', 'This Sidecar has no effect: the workload it selects, Deployment reviews (shop), is in ambient mode, where pods have no sidecar.'],
    ]);
    expect(found({ 'pod.yaml': pod('sidecar.istio.io/inject: "true"'), 'sidecar.yaml': selected })).toEqual([]);
    // The namespace's mode does not matter to a Sidecar with a selector.
    expect(found({ 'ns.yaml': namespace('{istio.io/dataplane-mode: ambient}'), 'pod.yaml': pod('a: b'), 'sidecar.yaml': selected })).toEqual([]);
  });
});
