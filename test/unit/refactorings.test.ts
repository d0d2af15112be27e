// Authoring refactorings: expectations are the text after the edit, in 2- and 4-space files,
// with comments around the edited node, in multi-document files and across files.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyRefactoring } from '../../server/src/features/refactor';
import { normalizedWeights } from '../../server/src/edit/weights';
import { contextAt, offerAt, offered, refactor } from '../refactorSupport';
import { serviceWith, wsUri, yaml } from '../support';

const vs2 = yaml`
  # reviews routing
  apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata:
    name: reviews
    namespace: shop
  spec:
    hosts:
    - reviews
    http:
    # the default route
    - route:
      - destination:
          host: rev|iews # the service
          subset: v1
  `;

const dr2 = yaml`
  apiVersion: networking.istio.io/v1
  kind: DestinationRule
  metadata:
    name: reviews
    namespace: shop
  spec:
    host: reviews
    subsets:
    - name: v1 # stable
      labels:
        version: v1
  # end of rule
  `;

describe('convert to canary', () => {
  it('splits 90/10 and adds the canary subset to the DestinationRule in its own file', () => {
    const out = refactor({ 'vs.yaml': vs2, 'dr.yaml': dr2 }, 'vs.yaml', 'canary');
    expect(out['vs.yaml']).toBe(yaml`
      # reviews routing
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: reviews
        namespace: shop
      spec:
        hosts:
        - reviews
        http:
        # the default route
        - route:
          - destination:
              host: reviews # the service
              subset: v1
            weight: 90
          - destination:
              host: reviews
              subset: v2
            weight: 10
      `);
    expect(out['dr.yaml']).toBe(yaml`
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: reviews
        namespace: shop
      spec:
        host: reviews
        subsets:
        - name: v1 # stable
          labels:
            version: v1
        - name: v2
          labels:
            version: v2
      # end of rule
      `);
  });

  it('uses the answers, and refuses a canary equal to the current subset', () => {
    const out = refactor({ 'vs.yaml': vs2, 'dr.yaml': dr2 }, 'vs.yaml', 'canary', { canary: 'v1-1', percent: '25' });
    expect(out['vs.yaml']).toContain('      weight: 75\n    - destination:\n        host: reviews\n        subset: v1-1\n      weight: 25\n');
    const { ctx, uri, offset } = contextAt({ 'vs.yaml': vs2 }, 'vs.yaml');
    expect(applyRefactoring(ctx, uri, offset, 'canary', { canary: 'v1' })).toMatch(/must differ/);
    expect(applyRefactoring(ctx, uri, offset, 'canary', { canary: 'V2!' })).toMatch(/not a valid name/);
    expect(applyRefactoring(ctx, uri, offset, 'canary', { percent: '150' })).toMatch(/percentage/);
  });

  it('in a 4-space indented file without subset or DestinationRule: adds both subsets and creates the rule', () => {
    const vs4 = yaml`
      # header comment
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
          name: reviews
      spec:
          hosts:
              - reviews
          http:
              - match:
                    - uri:
                          prefix: /api
                route:
                    - destination:
                          host: re|views
      `;
    expect(refactor({ 'a.yaml': vs4 }, 'a.yaml', 'canary')['a.yaml']).toBe(yaml`
      # header comment
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
          name: reviews
      spec:
          hosts:
              - reviews
          http:
              - match:
                    - uri:
                          prefix: /api
                route:
                    - destination:
                          host: reviews
                          subset: v1
                      weight: 90
                    - destination:
                          host: reviews
                          subset: v2
                      weight: 10
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
          name: reviews
      spec:
          host: reviews
          subsets:
              - name: v1
                labels:
                    version: v1
              - name: v2
                labels:
                    version: v2
      `);
  });

  it('is not offered on a route that already splits', () => {
    const split = vs2.replace('subset: v1', 'subset: v1\n      weight: 50\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 50');
    expect(offered({ 'vs.yaml': split }, 'vs.yaml')).not.toContain('canary');
    expect(offered({ 'vs.yaml': split }, 'vs.yaml')).toContain('promote');
  });
});

describe('header canary', () => {
  it('adds a route with the header (and the route’s own match) before it, above its comment', () => {
    const vs = vs2.replace('  # the default route\n  - route:', '  # the default route\n  - match:\n    - uri:\n        prefix: /api\n    route:');
    const out = refactor({ 'vs.yaml': vs, 'dr.yaml': dr2 }, 'vs.yaml', 'header-canary', { header: 'x-beta', value: 'yes' });
    expect(out['vs.yaml']).toBe(yaml`
      # reviews routing
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: reviews
        namespace: shop
      spec:
        hosts:
        - reviews
        http:
        - match:
          - uri:
              prefix: /api
            headers:
              x-beta:
                exact: "yes"
          route:
          - destination:
              host: reviews
              subset: v2
        # the default route
        - match:
          - uri:
              prefix: /api
          route:
          - destination:
              host: reviews # the service
              subset: v1
      `);
    expect(out['dr.yaml']).toContain('  - name: v2\n    labels:\n      version: v2\n# end of rule');
  });

  it('is offered on HTTP routes only', () => {
    const tcp = vs2.replace('http:', 'tcp:');
    expect(offered({ 'vs.yaml': tcp }, 'vs.yaml')).toEqual(expect.arrayContaining(['canary']));
    expect(offered({ 'vs.yaml': tcp }, 'vs.yaml')).not.toEqual(expect.arrayContaining(['header-canary', 'mirror', 'retries', 'timeout', 'fault-delay']));
  });
});

const twoWay = yaml`
  apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata:
    name: reviews
  spec:
    hosts:
    - reviews
    http:
    - route:
      - destination:
          host: reviews
          subset: v1
        weight: 30 # old
      - destination:
          host: reviews
          subset: v2
        weight: 30
  ---
  apiVersion: networking.istio.io/v1
  kind: DestinationRule
  metadata:
    name: reviews
  spec:
    host: reviews
    subsets:
    - {name: v1, labels: {version: v1}}
    - {name: v2, labels: {version: v2}}
    - {name: v3, labels: {version: v3}}
  `;
const rule = twoWay.slice(twoWay.indexOf('---'));

describe('weights', () => {
  it('split traffic evenly across every subset of the host', () => {
    const out = refactor({ 'b.yaml': twoWay.replace('http:', 'ht|tp:') }, 'b.yaml', 'split')['b.yaml'];
    expect(out).toBe(
      yaml`
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
          - reviews
          http:
          - route:
            - destination:
                host: reviews
                subset: v1
              weight: 34 # old
            - destination:
                host: reviews
                subset: v2
              weight: 33
            - destination:
                host: reviews
                subset: v3
              weight: 33
        ` + rule,
    );
  });

  it('promotes the lowest-weight destination, or the one under the cursor', () => {
    const lower = twoWay.replace('weight: 30\n', 'weight: 10\n').replace('http:', 'ht|tp:');
    expect(refactor({ 'b.yaml': lower }, 'b.yaml', 'promote')['b.yaml']).toBe(
      yaml`
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
          - reviews
          http:
          - route:
            # old
            - destination:
                host: reviews
                subset: v2
              weight: 100
        ` + rule,
    );
    const focused = twoWay.replace('weight: 30 #', 'weight: 3|0 #');
    expect(refactor({ 'b.yaml': focused }, 'b.yaml', 'promote')['b.yaml']).toContain('        subset: v1\n      weight: 100 # old\n---');
  });

  it('normalizes weights to 100, proportionally', () => {
    const out = refactor({ 'b.yaml': twoWay.replace('http:', 'ht|tp:') }, 'b.yaml', 'normalize')['b.yaml'];
    expect(out).toContain('      weight: 50 # old\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 50\n---');
    expect(normalizedWeights([1, 1, 1])).toEqual([34, 33, 33]);
    expect(normalizedWeights([0, 0])).toEqual([50, 50]);
    expect(normalizedWeights([90, 20])).toEqual([82, 18]);
    expect(normalizedWeights([5])).toEqual([100]);
    // Many equal shares round down by more than 1: every missing point is handed out.
    expect(normalizedWeights([1, 1, 1, 1, 1, 1])).toEqual([17, 17, 17, 17, 16, 16]);
    expect(normalizedWeights([])).toEqual([]);
  });
});

describe('mirror, retries, timeout, fault', () => {
  const routeEnd = '  - route:\n    - destination:\n        host: reviews # the service\n        subset: v1\n';
  const at = (files: Record<string, string>, id: string, values = {}) => refactor(files, 'vs.yaml', id, values)['vs.yaml'];

  it('adds a mirror with its percentage and the mirror subset', () => {
    const out = refactor({ 'vs.yaml': vs2, 'dr.yaml': dr2 }, 'vs.yaml', 'mirror', { percent: '20' });
    expect(out['vs.yaml']).toBe(vs2.replace('|', '') + '    mirror:\n      host: reviews\n      subset: v2\n    mirrorPercentage:\n      value: 20\n');
    expect(out['dr.yaml']).toContain('- name: v2');
  });

  it('adds retries and a timeout', () => {
    expect(at({ 'vs.yaml': vs2 }, 'retries')).toContain(routeEnd + '    retries:\n      attempts: 3\n      perTryTimeout: 2s\n      retryOn: 5xx,reset,connect-failure,refused-stream\n');
    expect(at({ 'vs.yaml': vs2 }, 'timeout', { timeout: '1.5s' })).toContain(routeEnd + '    timeout: 1.5s\n');
    const { ctx, uri, offset } = contextAt({ 'vs.yaml': vs2 }, 'vs.yaml');
    expect(applyRefactoring(ctx, uri, offset, 'timeout', { timeout: 'soon' })).toMatch(/duration/);
  });

  it('injects a delay, then an abort into the same fault', () => {
    const delayed = at({ 'vs.yaml': vs2 }, 'fault-delay', { delay: '7s', percent: '5' });
    expect(delayed).toContain(routeEnd + '    fault:\n      delay:\n        percentage:\n          value: 5\n        fixedDelay: 7s\n');
    const both = at({ 'vs.yaml': delayed.replace('fault:', 'fa|ult:') }, 'fault-abort');
    expect(both).toContain(
      '    fault:\n      delay:\n        percentage:\n          value: 5\n        fixedDelay: 7s\n      abort:\n        percentage:\n          value: 10\n        httpStatus: 503\n',
    );
    expect(offered({ 'vs.yaml': both.replace('fault:', 'fa|ult:') }, 'vs.yaml')).not.toEqual(expect.arrayContaining(['fault-delay', 'fault-abort']));
  });

  it('leaves a flow-style route alone with a message', () => {
    const flow = vs2.replace('  - route:\n    - destination:\n        host: rev|iews # the service\n        subset: v1\n', '  - {route: [{destination: {host: rev|iews}}]}\n');
    expect(flow).toContain('{route:');
    const { ctx, uri, offset } = contextAt({ 'vs.yaml': flow }, 'vs.yaml');
    expect(applyRefactoring(ctx, uri, offset, 'retries')).toMatch(/no longer applies|cannot edit/);
  });
});

describe('DestinationRule refactorings', () => {
  it('adds a circuit breaker after the host, or completes an existing trafficPolicy', () => {
    const dr = rule.slice(4).replace('host: reviews', 'host: revi|ews');
    expect(refactor({ 'c.yaml': dr }, 'c.yaml', 'circuit-breaker')['c.yaml']).toBe(yaml`
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: reviews
      spec:
        host: reviews
        trafficPolicy:
          connectionPool:
            tcp:
              maxConnections: 100
            http:
              http1MaxPendingRequests: 100
              maxRequestsPerConnection: 10
          outlierDetection:
            consecutive5xxErrors: 5
            interval: 30s
            baseEjectionTime: 30s
            maxEjectionPercent: 50
        subsets:
        - {name: v1, labels: {version: v1}}
        - {name: v2, labels: {version: v2}}
        - {name: v3, labels: {version: v3}}
      `);
    const withTls = dr.replace('  subsets:', '  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL # mesh\n  subsets:');
    expect(refactor({ 'c.yaml': withTls }, 'c.yaml', 'circuit-breaker')['c.yaml']).toContain('      mode: ISTIO_MUTUAL # mesh\n    connectionPool:\n      tcp:\n');
  });

  it('adds a subset for each workload version the Service selects', () => {
    const deployment = (v: string) =>
      `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-${v}\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: reviews\n        version: ${v}\n`;
    const workloads =
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  selector:\n    app: reviews\n  ports:\n  - port: 9080\n    name: http\n` +
      ['v1', 'v3', 'v2'].map(deployment).join('');
    const out = refactor({ 'dr.yaml': dr2.replace('host: reviews', 'host: revi|ews'), 'k8s.yaml': workloads }, 'dr.yaml', 'workload-subsets');
    expect(out['dr.yaml']).toBe(dr2.replace('# end of rule', '  - name: v2\n    labels:\n      version: v2\n  - name: v3\n    labels:\n      version: v3\n# end of rule'));
  });
});

describe('security refactorings', () => {
  it('enables strict mTLS for a namespace and turns DISABLE into ISTIO_MUTUAL where it would break', () => {
    const dr = dr2.replace('  subsets:', '  trafficPolicy:\n    tls:\n      mode: DISABLE # legacy\n  subsets:');
    const out = refactor({ 'vs.yaml': vs2, 'dr.yaml': dr }, 'vs.yaml', 'mtls-namespace');
    expect(out['dr.yaml']).toBe(dr.replace('mode: DISABLE', 'mode: ISTIO_MUTUAL'));
    expect(out['vs.yaml']).toBe(
      vs2.replace('|', '') + '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: STRICT\n',
    );
  });

  it('turns an existing namespace-wide PERMISSIVE policy to STRICT instead of adding one', () => {
    const pa = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: PERMISSIVE # for now\n';
    const out = refactor({ 'vs.yaml': vs2, 'pa.yaml': pa }, 'vs.yaml', 'mtls-namespace');
    expect(out['pa.yaml']).toBe(pa.replace('PERMISSIVE', 'STRICT'));
    expect(out['vs.yaml']).toBe(vs2.replace('|', ''));
    expect(offered({ 'vs.yaml': vs2, 'pa.yaml': out['pa.yaml'] }, 'vs.yaml')).not.toContain('mtls-namespace');
  });

  it('strict mTLS and JWT for the workload behind the host', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  selector:\n    app: reviews\n  ports:\n  - port: 9080\n';
    const files = { 'vs.yaml': vs2, 'svc.yaml': service };
    expect(refactor(files, 'vs.yaml', 'mtls-workload')['vs.yaml']).toBe(
      vs2.replace('|', '') +
        '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: reviews-strict\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: reviews\n  mtls:\n    mode: STRICT\n',
    );
    // The Service's port has no name, so the workspace cannot say it serves HTTP: the refactoring asks.
    expect(offerAt(files, 'vs.yaml', 'require-jwt')).toMatchObject({ title: 'Require JWT for workload reviews (asks for its HTTP ports: no Service here says)' });
    expect(() => refactor(files, 'vs.yaml', 'require-jwt')).toThrow("'' is not a list of port numbers");
    const jwt = refactor(files, 'vs.yaml', 'require-jwt', { issuer: 'https://auth.example.org', jwksUri: 'https://auth.example.org/keys', ports: '9080' })['vs.yaml'];
    expect(jwt).toBe(
      vs2.replace('|', '') +
        yaml`
          ---
          apiVersion: security.istio.io/v1
          kind: RequestAuthentication
          metadata:
            name: reviews-jwt
            namespace: shop
          spec:
            selector:
              matchLabels:
                app: reviews
            jwtRules:
            - issuer: https://auth.example.org
              jwksUri: https://auth.example.org/keys
          ---
          apiVersion: security.istio.io/v1
          kind: AuthorizationPolicy
          metadata:
            name: require-reviews-jwt
            namespace: shop
          spec:
            selector:
              matchLabels:
                app: reviews
            action: DENY
            rules:
            - from:
              - source:
                  notRequestPrincipals:
                  - "*"
              to:
              - operation:
                  ports:
                  - "9080"
          `,
    );
  });
});

describe('anchors', () => {
  it('promote does not remove a destination whose anchor another destination uses (the alias would dangle)', () => {
    const vs =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: &a\n        host: reviews\n      weight: 90\n    - destination:\n        <<: *a\n        subset: v|2\n      weight: 10\n';
    // Refused, with the reason, rather than leaving `<<: *a` pointing at nothing.
    expect(() => refactor({ 'vs.yaml': vs }, 'vs.yaml', 'promote')).toThrow(/cannot edit/);
    // Without the alias the same route is promoted.
    expect(refactor({ 'vs.yaml': vs.replace(' &a', '').replace('        <<: *a\n', '        host: reviews\n') }, 'vs.yaml', 'promote')['vs.yaml']).not.toContain('weight: 90');
  });
});

describe('require JWT on HTTP ports', () => {
  it('names the workload ports its Services serve HTTP on, so the DENY rule leaves TCP alone and the webhook does not warn', () => {
    const service =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  selector:\n    app: reviews\n  ports:\n  - {name: http-web, port: 80, targetPort: 9080}\n  - {name: grpc, port: 9090}\n  - {name: tcp-db, port: 5432}\n';
    const out = refactor({ 'vs.yaml': vs2, 'svc.yaml': service }, 'vs.yaml', 'require-jwt', { issuer: 'https://auth.example.org', jwksUri: 'https://auth.example.org/keys' });
    expect(out['vs.yaml']).toContain('    to:\n    - operation:\n        ports:\n        - "9080"\n        - "9090"\n');
    const after = serviceWith(out).diagnoseDiskFile(wsUri('vs.yaml'), { istioVersion: '1.30', validate: true });
    expect(after.filter((p) => p.code === 'IST0133' || p.code === 'IST0106').map((p) => `${p.code} ${p.message}`)).toEqual([]);
  });
});

describe('upgrade apiVersion', () => {
  it('one resource, or every resource of the file', () => {
    const old = twoWay.replace(/networking\.istio\.io\/v1$/gm, 'networking.istio.io/v1alpha3').replace('http:', 'ht|tp:');
    const one = refactor({ 'b.yaml': old }, 'b.yaml', 'upgrade-api')['b.yaml'];
    expect(one.match(/v1alpha3/g)).toHaveLength(1);
    expect(refactor({ 'b.yaml': old }, 'b.yaml', 'upgrade-api-file')['b.yaml']).toBe(twoWay);
    expect(offered({ 'b.yaml': twoWay.replace('http:', 'ht|tp:') }, 'b.yaml')).not.toContain('upgrade-api');
  });

  it('is not offered where the kind has no v1 (EnvoyFilter)', () => {
    const ef = 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: f|\nspec:\n  configPatches: []\n';
    expect(offered({ 'e.yaml': ef }, 'e.yaml')).not.toContain('upgrade-api');
  });
});

describe('offers', () => {
  it('nothing on Kubernetes resources other than workloads, Services and Namespaces', () => {
    expect(offered({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x|\n' }, 'cm.yaml')).toEqual([]);
  });
});

describe('every refactoring in a 4-space file with indented sequences', () => {
  // The same inputs re-indented by the yaml library (comments kept): the refactored 4-space file
  // must be the 4-space rendering of the refactored 2-space file.
  const four = (text: string) =>
    parseAllDocuments(text)
      .map((d) => d.toString({ indent: 4, indentSeq: true }))
      .join('');
  const blockRule = rule.replace(/- \{name: (v\d), labels: \{version: (v\d)\}\}/g, '- name: $1\n    labels:\n      version: $2');
  const weighted = twoWay.slice(0, twoWay.indexOf('---')).replace('http:', 'ht|tp:') + blockRule;
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  selector:\n    app: reviews\n  ports:\n  - port: 9080\n';
  const v2 =
    '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-v2\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: reviews\n        version: v2\n';
  const disabling = dr2.replace('  subsets:', '  trafficPolicy:\n    tls:\n      mode: DISABLE # legacy\n  subsets:');
  const cases: [string, Record<string, string>, string][] = [
    ['canary', { 'vs.yaml': vs2, 'dr.yaml': dr2 }, 'vs.yaml'],
    ['canary', { 'vs.yaml': vs2 }, 'vs.yaml'],
    ['header-canary', { 'vs.yaml': vs2, 'dr.yaml': dr2 }, 'vs.yaml'],
    ['mirror', { 'vs.yaml': vs2, 'dr.yaml': dr2 }, 'vs.yaml'],
    ['retries', { 'vs.yaml': vs2 }, 'vs.yaml'],
    ['timeout', { 'vs.yaml': vs2 }, 'vs.yaml'],
    ['fault-delay', { 'vs.yaml': vs2 }, 'vs.yaml'],
    ['fault-abort', { 'vs.yaml': vs2 }, 'vs.yaml'],
    ['split', { 'b.yaml': weighted }, 'b.yaml'],
    ['promote', { 'b.yaml': weighted }, 'b.yaml'],
    ['normalize', { 'b.yaml': weighted }, 'b.yaml'],
    ['circuit-breaker', { 'dr.yaml': dr2.replace('host: reviews', 'host: revi|ews') }, 'dr.yaml'],
    ['workload-subsets', { 'dr.yaml': dr2.replace('host: reviews', 'host: revi|ews'), 'k8s.yaml': service + v2 }, 'dr.yaml'],
    ['mtls-namespace', { 'vs.yaml': vs2, 'dr.yaml': disabling }, 'vs.yaml'],
    ['mtls-workload', { 'vs.yaml': vs2, 'svc.yaml': service }, 'vs.yaml'],
    ['require-jwt', { 'vs.yaml': vs2, 'svc.yaml': service }, 'vs.yaml'],
    ['upgrade-api', { 'vs.yaml': vs2.replace('networking.istio.io/v1', 'networking.istio.io/v1beta1') }, 'vs.yaml'],
  ];
  it.each(cases)('%s', (id, files, target) => {
    const answers: Record<string, string> = id === 'require-jwt' ? { ports: '9080' } : {};
    const two = refactor(files, target, id, answers);
    const fourFiles = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, four(text)]));
    const out = refactor(fourFiles, target, id, answers);
    for (const name of Object.keys(files)) expect(out[name], name).toBe(four(two[name]));
    expect(Object.keys(files).some((name) => two[name] !== files[name].replace('|', ''))).toBe(true);
  });
});

describe('edits keep the YAML valid (issue 9, defect 8)', () => {
  const head = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - route:\n';
  const rule =
    '---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: a\nspec:\n  host: a\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n      version: v2\n';
  const run = (route: string, id: string, values: Record<string, string> = {}) => refactor({ 'vs.yaml': head + route }, 'vs.yaml', id, values)['vs.yaml'];

  it('promote replaces an empty weight key instead of adding a second one', () => {
    const route = '    - destination: {host: a, subset: v1}\n      weight: 90\n    - destination: {host: a, subset: v2|}\n      weight:\n';
    expect(run(route, 'promote')).toBe(head + '    - destination: {host: a, subset: v2}\n      weight: 100\n');
  });

  it('normalize fills an empty weight key, keeping its comment', () => {
    const route = '    - destination: {host: a, subset: v1|}\n      weight: 50\n    - destination: {host: a, subset: v2}\n      weight: # later\n';
    expect(run(route, 'normalize')).toBe(head + route.replace('|', '').replace('weight: 50', 'weight: 100').replace('weight: # later', 'weight: 0 # later'));
  });

  it('convert to canary fills an empty subset key, in block style', () => {
    const route = '    - destination:\n        host: a|\n        subset:\n';
    expect(run(route, 'canary')).toBe(
      head + '    - destination:\n        host: a\n        subset: v1\n      weight: 90\n    - destination:\n        host: a\n        subset: v2\n      weight: 10\n' + rule,
    );
  });

  it('convert to canary edits a flow-style destination in place', () => {
    expect(run('    - destination: {host: a|}\n', 'canary')).toBe(
      head + '    - destination: {host: a, subset: v1}\n      weight: 90\n    - destination:\n        host: a\n        subset: v2\n      weight: 10\n' + rule,
    );
    expect(run('    - destination: {host: a|, subset: }\n', 'canary')).toBe(
      head + '    - destination: {host: a, subset: v1}\n      weight: 90\n    - destination:\n        host: a\n        subset: v2\n      weight: 10\n' + rule,
    );
    expect(run('    - {destination: {host: a|, subset: v1}}\n', 'canary')).toBe(
      head + '    - {destination: {host: a, subset: v1}, weight: 90}\n    - destination:\n        host: a\n        subset: v2\n      weight: 10\n' + rule,
    );
  });

  it('writes answers and document names that YAML would misread quoted', () => {
    const out = run('    - destination:\n        host: "*.a|"\n', 'header-canary', { header: 'x-canary', value: 'yes' });
    expect(parseAllDocuments(out).flatMap((d) => d.errors)).toEqual([]);
    expect(out).toContain('        x-canary:\n          exact: "yes"\n');
    expect(out).toContain('        host: "*.a"\n        subset: v2\n');
    expect(out).toContain('spec:\n  host: "*.a"\n');
  });
});

describe('edits keep comments (issue 9, defect 9)', () => {
  it('promote keeps the comments inside the destinations it removes, at their item', () => {
    const head = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - route:\n';
    const route =
      "    - destination: # old one\n        host: a\n        subset: it's # the stable's\n      # shifted out\n      weight: 90\n    - destination: {host: a, subset: v2|}\n      weight: 10\n";
    expect(refactor({ 'vs.yaml': head + route }, 'vs.yaml', 'promote')['vs.yaml']).toBe(
      head + "    # old one\n    # the stable's\n    # shifted out\n    - destination: {host: a, subset: v2}\n      weight: 100\n",
    );
    // A quote inside a plain scalar opens no string: the comment after it is still one.
    const quote = "    - destination:\n        host: a\n        subset: v1 'beta # old\n      weight: 90\n    - destination: {host: a, subset: v2|}\n      weight: 10\n";
    expect(refactor({ 'vs.yaml': head + quote }, 'vs.yaml', 'promote')['vs.yaml']).toBe(head + '    # old\n    - destination: {host: a, subset: v2}\n      weight: 100\n');
  });
});

describe('keys with no value yet (issue 9, defect 8)', () => {
  it('strict mTLS fills an empty mtls key of the namespace policy instead of adding a second one', () => {
    const pa = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: def|ault\n  namespace: shop\nspec:\n  mtls: # todo\n';
    expect(refactor({ 'pa.yaml': pa }, 'pa.yaml', 'mtls-namespace')['pa.yaml']).toBe(pa.replace('|', '') + '    mode: STRICT\n');
    const flow = pa.replace('  mtls: # todo\n', '  mtls: {}\n');
    expect(refactor({ 'pa.yaml': flow }, 'pa.yaml', 'mtls-namespace')['pa.yaml']).toBe(flow.replace('|', '').replace('{}', '{mode: STRICT}'));
  });
});

describe('defaults that write nothing the checker flags (issue 12)', () => {
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  selector:\n    app: reviews\n  ports:\n  - {name: http, port: 9080}\n';
  const pod = (version: string) =>
    `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-${version}\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: reviews\n        version: ${version}\n`;
  const problems = (files: Record<string, string>) =>
    Object.keys(files).flatMap((name) =>
      serviceWith(files)
        .diagnoseDiskFile(wsUri(name), { istioVersion: '1.30', validate: true })
        .filter((p) => p.severity === 'error' || p.severity === 'warning')
        .map((p) => `${name} ${p.code} ${p.message}`),
    );
  const deployed = (...versions: string[]) => ({ 'vs.yaml': vs2, 'dr.yaml': dr2, 'k8s.yaml': service + versions.map(pod).join('') });

  it('convert to canary sends 10% to a version the workloads carry, and adds its subset', () => {
    const files = deployed('v1', 'v3');
    expect(offerAt(files, 'vs.yaml', 'canary')?.title).toBe('Convert to canary: 90% v1 / 10% v3');
    const out = refactor(files, 'vs.yaml', 'canary');
    expect(out['dr.yaml']).toContain('  - name: v3\n    labels:\n      version: v3\n');
    expect(problems(out)).toEqual(problems({ ...files, 'vs.yaml': vs2.replace('|', '') }));
  });

  it('convert to canary asks for the subset when no other version is deployed, and says so', () => {
    const offer = offerAt(deployed('v1'), 'vs.yaml', 'canary');
    expect(offer?.title).toBe('Convert to canary (no other version of reviews is deployed)');
    expect(offer?.inputs.find((i) => i.name === 'canary')?.default).toBe('');
    expect(() => refactor(deployed('v1'), 'vs.yaml', 'canary')).toThrow('is not a valid name');
    // Answered, it does what it is told.
    expect(refactor(deployed('v1'), 'vs.yaml', 'canary', { canary: 'v2' })['dr.yaml']).toContain('- name: v2');
  });

  it('convert to canary on a host without a Service says so in its title', () => {
    expect(offerAt({ 'vs.yaml': vs2, 'dr.yaml': dr2 }, 'vs.yaml', 'canary')?.title).toBe("Convert to canary: 90% v1 / 10% v2 (no Service 'reviews' in the workspace)");
  });

  it('add mirror defaults to an existing subset whose pods exist, never to one no workload carries', () => {
    const rule = dr2.replace('# end of rule', '  - name: v2\n    labels:\n      version: v2\n  - name: v3\n    labels:\n      version: v3\n# end of rule');
    const files = { ...deployed('v1', 'v3'), 'dr.yaml': rule };
    expect(offerAt(files, 'vs.yaml', 'mirror')?.title).toBe('Add mirror to v3 (100% of requests)');
    const out = refactor(files, 'vs.yaml', 'mirror');
    expect(out['vs.yaml']).toContain('    mirror:\n      host: reviews\n      subset: v3\n');
    expect(out['dr.yaml']).toBe(rule);
    const onlyV1 = { ...deployed('v1'), 'dr.yaml': rule };
    expect(offerAt(onlyV1, 'vs.yaml', 'mirror')).toMatchObject({ title: 'Add mirror (no other version of reviews is deployed: asks for the subset)', inputs: [{ name: 'subset', default: '' }, {}] });
  });

  it('header canary is not offered on a route after a catch-all one (the new route would never be used)', () => {
    const two = vs2.replace('  # the default route\n', '  - route:\n    - destination: {host: reviews, subset: v1}\n');
    expect(offered({ 'vs.yaml': two, 'dr.yaml': dr2 }, 'vs.yaml')).not.toContain('header-canary');
    expect(offered({ 'vs.yaml': vs2, 'dr.yaml': dr2 }, 'vs.yaml')).toContain('header-canary');
  });

  it('require JWT for a namespace names the HTTP ports of its Services, leaving out a port another serves as TCP', () => {
    const other =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  selector:\n    app: db\n  ports:\n  - {name: tcp, port: 5432}\n  - {name: http-admin, port: 8080}\n  - {name: tcp-x, port: 9080}\n';
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: sh|op\n';
    const files = { 'ns.yaml': ns, 'svc.yaml': service, 'db.yaml': other };
    expect(offerAt(files, 'ns.yaml', 'require-jwt')?.inputs.find((i) => i.name === 'ports')?.default).toBe('8080');
    const out = refactor(files, 'ns.yaml', 'require-jwt');
    expect(out['ns.yaml']).toContain('    to:\n    - operation:\n        ports:\n        - "8080"\n');
    expect(problems(out).filter((p) => p.startsWith('ns.yaml'))).toEqual([]);
  });
});
