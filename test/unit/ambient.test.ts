// Ambient mode: waypoints named by istio.io/use-waypoint (KIA1313, waypoint-for), L7
// AuthorizationPolicies left to ztunnel (KIA0110), policies' targetRefs (IST0101, no waypoint),
// their quick fixes, the "add a waypoint" refactoring and navigation on targetRefs.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Edit } from '../../server/src/edit/textEdits';
import { quickFixes } from '../../server/src/features/quickFixes';
import { applyRefactoring, offerRefactorings } from '../../server/src/features/refactor';
import { contextAt, offerAt, refactor } from '../refactorSupport';
import { definition, references, rename, type Location } from '../../server/src/features/navigation';
import { contextWith, problemsOf, serviceWith, settings130, wsUri } from '../support';

type Files = Record<string, string>;

const AMBIENT_CODES = ['KIA1313', 'istio-reference-outside-workspace', 'istio-waypoint-traffic-type', 'KIA0110', 'IST0101', 'istio-policy-target-no-waypoint', 'IST0106'];

/** [line, code, text under the range] of the file's ambient problems. */
function found(files: Files, target: string) {
  return problemsOf(files, target, AMBIENT_CODES).map(({ line, code, text }) => [line, code, text]);
}

function namespace(name: string, labels: Record<string, string>): string {
  const lines = Object.entries(labels).map(([k, v]) => `    ${k}: ${v}\n`);
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${lines.length ? `  labels:\n${lines.join('')}` : ''}`;
}

function waypoint(name: string, ns: string, options: { for?: string; from?: string } = {}): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: ${ns}
${options.for ? `  labels:\n    istio.io/waypoint-for: ${options.for}\n` : ''}spec:
  gatewayClassName: istio-waypoint
  listeners:
  - name: mesh
    port: 15008
    protocol: HBONE
${options.from ? `    allowedRoutes:\n      namespaces:\n        from: ${options.from}\n` : ''}`;
}

function service(name: string, ns: string, labels: Record<string, string> = {}): string {
  const lines = Object.entries(labels).map(([k, v]) => `    ${k}: ${v}\n`);
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
${lines.length ? `  labels:\n${lines.join('')}` : ''}spec:
  selector:
    app: ${name}
  ports:
  - name: http
    port: 9080
`;
}

function deployment(name: string, ns: string, labels: Record<string, string> = {}): string {
  const lines = Object.entries(labels).map(([k, v]) => `        ${k}: ${v}\n`);
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
${lines.join('')}    spec:
      containers:
      - name: app
        image: example/${name}
`;
}

const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };

describe('KIA1313: the waypoint a use-waypoint label names', () => {
  it('reports a waypoint missing where the workspace holds the namespace’s Gateways, on the label', () => {
    const files = { 'ns.yaml': namespace('shop', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' }), 'gw.yaml': waypoint('other', 'shop') };
    expect(found(files, 'ns.yaml')).toEqual([[6, 'KIA1313', 'waypoint']]);
    const [problem] = problemsOf(files, 'ns.yaml', ['KIA1313']);
    expect(problem.message).toBe(
      'Waypoint shop/waypoint is not in the workspace (namespace shop has other Gateways): Namespace shop uses no waypoint, and policies attached to it do nothing. Create the waypoint, or fix the name.',
    );
    expect(problem.data).toEqual({ type: 'waypoint', name: 'waypoint', namespace: 'shop', trafficType: 'service', allNamespaces: false });
  });

  it('is only a hint when the workspace has no Gateways of that namespace (istioctl waypoint apply deploys it)', () => {
    expect(found({ 'ns.yaml': namespace('shop', { 'istio.io/use-waypoint': 'waypoint' }) }, 'ns.yaml')).toEqual([[5, 'istio-reference-outside-workspace', 'waypoint']]);
  });

  it('finds the waypoint, and reports nothing, for a Namespace, a Service, a ServiceEntry and a workload', () => {
    const files = {
      'ns.yaml': namespace('shop', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' }),
      'gw.yaml': waypoint('waypoint', 'shop', { for: 'all' }),
      'svc.yaml': service('reviews', 'shop', { 'istio.io/use-waypoint': 'waypoint' }),
      'app.yaml': deployment('reviews', 'shop', { 'istio.io/use-waypoint': 'waypoint' }),
    };
    for (const name of Object.keys(files)) expect(found(files, name)).toEqual([]);
  });

  it('takes `none` as an opt-out, on the resource and on its Namespace', () => {
    const files = {
      'ns.yaml': namespace('shop', { 'istio.io/use-waypoint': 'none' }),
      'svc.yaml': service('reviews', 'shop', { 'istio.io/use-waypoint': 'none' }),
      'gw.yaml': waypoint('other', 'shop'),
    };
    expect(found(files, 'ns.yaml')).toEqual([]);
    expect(found(files, 'svc.yaml')).toEqual([]);
  });

  it('reports an inherited label once, on the Namespace, not on each Service', () => {
    const files = { 'ns.yaml': namespace('shop', { 'istio.io/use-waypoint': 'gone' }), 'svc.yaml': service('reviews', 'shop'), 'gw.yaml': waypoint('other', 'shop') };
    expect(found(files, 'ns.yaml')).toEqual([[5, 'KIA1313', 'gone']]);
    expect(found(files, 'svc.yaml')).toEqual([]);
  });

  it('looks in the namespace istio.io/use-waypoint-namespace names, whose listener must admit the user’s namespace', () => {
    const labels = { 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra' };
    const open = { 'svc.yaml': service('reviews', 'shop', labels), 'gw.yaml': waypoint('shared', 'infra', { from: 'All' }) };
    expect(found(open, 'svc.yaml')).toEqual([]);
    const closed = { 'svc.yaml': service('reviews', 'shop', labels), 'gw.yaml': waypoint('shared', 'infra') };
    expect(found(closed, 'svc.yaml')).toEqual([[6, 'KIA1313', 'shared']]);
    expect(problemsOf(closed, 'svc.yaml', ['KIA1313'])[0].message).toContain('does not admit namespace shop');
    // A waypoint of the same name in the user's own namespace is not the one meant.
    const elsewhere = { 'svc.yaml': service('reviews', 'shop', labels), 'gw.yaml': waypoint('shared', 'shop'), 'gw2.yaml': waypoint('other', 'infra') };
    expect(found(elsewhere, 'svc.yaml')).toEqual([[6, 'KIA1313', 'shared']]);
    expect(problemsOf(elsewhere, 'svc.yaml', ['KIA1313'])[0].data).toMatchObject({ namespace: 'infra', allNamespaces: true });
  });
});

describe('istio-waypoint-traffic-type: istio.io/waypoint-for', () => {
  const svcFiles = (forWhat?: string) => ({ 'svc.yaml': service('reviews', 'shop', { 'istio.io/use-waypoint': 'wp' }), 'gw.yaml': waypoint('wp', 'shop', { for: forWhat }) });
  const appFiles = (forWhat?: string) => ({ 'app.yaml': deployment('reviews', 'shop', { 'istio.io/use-waypoint': 'wp' }), 'gw.yaml': waypoint('wp', 'shop', { for: forWhat }) });

  it('a Service or ServiceEntry needs a waypoint for service (the default) or all traffic', () => {
    expect(found(svcFiles(), 'svc.yaml')).toEqual([]);
    expect(found(svcFiles('service'), 'svc.yaml')).toEqual([]);
    expect(found(svcFiles('all'), 'svc.yaml')).toEqual([]);
    expect(found(svcFiles('workload'), 'svc.yaml')).toEqual([[6, 'istio-waypoint-traffic-type', 'wp']]);
    expect(found(svcFiles('none'), 'svc.yaml')).toEqual([[6, 'istio-waypoint-traffic-type', 'wp']]);
    const se = `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: api\n  namespace: shop\n  labels:\n    istio.io/use-waypoint: wp\nspec:\n  hosts: [api.example.com]\n  ports: [{number: 443, name: tls, protocol: TLS}]\n  resolution: DNS\n`;
    expect(found({ 'se.yaml': se, 'gw.yaml': waypoint('wp', 'shop', { for: 'workload' }) }, 'se.yaml')).toEqual([[6, 'istio-waypoint-traffic-type', 'wp']]);
  });

  it('a workload labelled itself needs a waypoint for workload or all traffic', () => {
    expect(found(appFiles('workload'), 'app.yaml')).toEqual([]);
    expect(found(appFiles('all'), 'app.yaml')).toEqual([]);
    expect(found(appFiles(), 'app.yaml')).toEqual([[13, 'istio-waypoint-traffic-type', 'wp']]);
    expect(found(appFiles('none'), 'app.yaml')).toEqual([[13, 'istio-waypoint-traffic-type', 'wp']]);
  });

  it('reads the class’s label when the Gateway has none', () => {
    const cls = `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: istio-waypoint\n  labels:\n    istio.io/waypoint-for: workload\nspec:\n  controllerName: istio.io/mesh-controller\n`;
    expect(found({ ...svcFiles(), 'cls.yaml': cls }, 'svc.yaml')).toEqual([[6, 'istio-waypoint-traffic-type', 'wp']]);
  });

  it('on a Namespace: a workload waypoint leaves out the Services that inherit it; workloads inheriting a service waypoint are fine', () => {
    const ns = namespace('shop', { 'istio.io/use-waypoint': 'wp' });
    expect(found({ 'ns.yaml': ns, 'gw.yaml': waypoint('wp', 'shop', { for: 'workload' }), 'svc.yaml': service('reviews', 'shop') }, 'ns.yaml')).toEqual([[5, 'istio-waypoint-traffic-type', 'wp']]);
    expect(found({ 'ns.yaml': ns, 'gw.yaml': waypoint('wp', 'shop', { for: 'workload' }) }, 'ns.yaml')).toEqual([]);
    expect(found({ 'ns.yaml': ns, 'gw.yaml': waypoint('wp', 'shop', { for: 'none' }) }, 'ns.yaml')).toEqual([[5, 'istio-waypoint-traffic-type', 'wp']]);
    const inherited = { 'ns.yaml': ns, 'gw.yaml': waypoint('wp', 'shop'), 'app.yaml': deployment('reviews', 'shop') };
    expect(found(inherited, 'ns.yaml')).toEqual([]);
    expect(found(inherited, 'app.yaml')).toEqual([]);
  });
});

function policy(spec: string, ns = 'shop', kind = 'AuthorizationPolicy'): string {
  const group = kind === 'Telemetry' ? 'telemetry.istio.io' : kind === 'WasmPlugin' ? 'extensions.istio.io' : 'security.istio.io';
  return `apiVersion: ${group}/v1${kind === 'WasmPlugin' ? 'alpha1' : ''}\nkind: ${kind}\nmetadata:\n  name: policy\n  namespace: ${ns}\nspec:\n${spec}`;
}

const L7_SELECTOR = `  selector:
    matchLabels:
      app: reviews
  action: ALLOW
  rules:
  - to:
    - operation:
        methods: [GET]
        paths: [/api/*]
`;

describe('KIA0110: an L7 AuthorizationPolicy that ztunnel enforces', () => {
  const ambient = (ap: string, labels: Record<string, string> = AMBIENT) => ({ 'ap.yaml': ap, 'ns.yaml': namespace('shop', labels) });

  it('warns on the selector of a policy with HTTP attributes in an ambient namespace, naming them', () => {
    expect(found(ambient(policy(L7_SELECTOR)), 'ap.yaml')).toEqual([[6, 'KIA0110', 'selector']]);
    const [p] = problemsOf(ambient(policy(L7_SELECTOR)), 'ap.yaml', ['KIA0110']);
    expect(p.message).toBe(
      'In namespace shop, in ambient mode, ztunnel enforces this policy (it selects workloads by selector) and does not support its HTTP attributes (methods, paths): the rules that use them are left out, which denies more than written. Bind it to a waypoint with targetRefs instead.',
    );
  });

  it('finds JWT principals, remote IP blocks and request conditions', () => {
    const spec = `  selector:\n    matchLabels: {app: reviews}\n  action: DENY\n  rules:\n  - from:\n    - source:\n        requestPrincipals: ['*']\n        remoteIpBlocks: [10.0.0.0/8]\n    when:\n    - key: request.headers[x-user]\n      values: [bob]\n    - key: source.namespace\n      values: [shop]\n`;
    const [p] = problemsOf(ambient(policy(spec)), 'ap.yaml', ['KIA0110']);
    expect(p.message).toContain('(remoteIpBlocks, request.headers[x-user], requestPrincipals): the DENY applies without them');
  });

  it('warns on a namespace-wide policy too, on its name', () => {
    expect(found(ambient(policy(L7_SELECTOR.split('\n').slice(3).join('\n'))), 'ap.yaml')).toEqual([[3, 'KIA0110', 'policy']]);
  });

  it('says nothing outside ambient mode, for L4 rules, or with targetRefs', () => {
    expect(found(ambient(policy(L7_SELECTOR), {}), 'ap.yaml')).toEqual([]);
    expect(found(ambient(policy(L7_SELECTOR), { ...AMBIENT, 'istio-injection': 'enabled' }), 'ap.yaml')).toEqual([]);
    expect(found({ 'ap.yaml': policy(L7_SELECTOR) }, 'ap.yaml')).toEqual([]);
    const l4 = `  selector:\n    matchLabels: {app: reviews}\n  rules:\n  - from:\n    - source:\n        principals: [cluster.local/ns/shop/sa/web]\n    to:\n    - operation:\n        ports: ['9080']\n    when:\n    - key: destination.port\n      values: ['9080']\n`;
    expect(found(ambient(policy(l4)), 'ap.yaml')).toEqual([]);
    const targeted = `  targetRefs:\n  - kind: Service\n    group: ""\n    name: reviews\n  rules:\n  - to:\n    - operation:\n        methods: [GET]\n`;
    expect(found({ ...ambient(policy(targeted)), 'svc.yaml': service('reviews', 'shop', { 'istio.io/use-waypoint': 'wp' }), 'gw.yaml': waypoint('wp', 'shop') }, 'ap.yaml')).toEqual([]);
  });

  it('carries the Services the selector’s workloads belong to and their waypoint, for the quick fix', () => {
    const files = {
      ...ambient(policy(L7_SELECTOR)),
      'svc.yaml': service('reviews', 'shop', { 'istio.io/use-waypoint': 'wp' }) + '---\n' + service('ratings', 'shop'),
      'gw.yaml': waypoint('wp', 'shop'),
    };
    expect(problemsOf(files, 'ap.yaml', ['KIA0110'])[0].data).toEqual({ type: 'policy-targets', services: [{ kind: 'Service', name: 'reviews' }], waypoint: 'wp' });
  });
});

const targetRefs = (kind: string, name: string, group = kind === 'Service' ? '""' : kind === 'ServiceEntry' ? 'networking.istio.io' : 'gateway.networking.k8s.io') =>
  `  targetRefs:\n  - kind: ${kind}\n    group: ${group}\n    name: ${name}\n`;

describe('targetRefs: what they name, and whether a waypoint applies them', () => {
  const withWaypoint = { 'svc.yaml': service('reviews', 'shop', { 'istio.io/use-waypoint': 'wp' }), 'gw.yaml': waypoint('wp', 'shop'), 'ns.yaml': namespace('shop', AMBIENT) };

  it('resolves Services, ServiceEntries, Gateways and Istio’s GatewayClasses', () => {
    expect(found({ ...withWaypoint, 'ap.yaml': policy(targetRefs('Service', 'reviews')) }, 'ap.yaml')).toEqual([]);
    expect(found({ ...withWaypoint, 'ap.yaml': policy(targetRefs('Gateway', 'wp')) }, 'ap.yaml')).toEqual([]);
    expect(found({ ...withWaypoint, 'ap.yaml': policy(targetRefs('GatewayClass', 'istio-waypoint'), 'istio-system') }, 'ap.yaml')).toEqual([]);
    for (const kind of ['RequestAuthentication', 'Telemetry', 'WasmPlugin']) {
      expect(found({ ...withWaypoint, 'p.yaml': policy(targetRefs('Service', 'reviewz'), 'shop', kind).replace('spec:\n', 'spec:\n') }, 'p.yaml').map((p) => p[1])).toContain('IST0101');
    }
  });

  it('reports a name that is not defined, with the closest one (IST0101), or a hint when the namespace is not in the workspace', () => {
    const files = { ...withWaypoint, 'ap.yaml': policy(targetRefs('Service', 'reviewz')) };
    expect(found(files, 'ap.yaml')).toEqual([[9, 'IST0101', 'reviewz']]);
    const [p] = problemsOf(files, 'ap.yaml', ['IST0101']);
    expect(p.message).toBe("Service reviewz is not defined in namespace shop; did you mean 'reviews'?: this AuthorizationPolicy attaches to nothing.");
    expect(p.data).toEqual({ type: 'gateway-api-ref', target: 'service', name: 'reviewz', suggestion: 'reviews', candidates: ['reviews'] });
    expect(found({ ...withWaypoint, 'ap.yaml': policy(targetRefs('Gateway', 'wq')) }, 'ap.yaml')).toEqual([[9, 'IST0101', 'wq']]);
    expect(found({ 'ap.yaml': policy(targetRefs('Service', 'reviews')) }, 'ap.yaml')).toEqual([[9, 'istio-reference-outside-workspace', 'reviews']]);
    expect(found({ 'ap.yaml': policy(`  targetRef:\n    kind: ServiceEntry\n    group: networking.istio.io\n    name: api\n`) }, 'ap.yaml')).toEqual([[9, 'istio-reference-outside-workspace', 'api']]);
  });

  it('warns when the Service uses no waypoint (none, or no label where the Namespace is known)', () => {
    const plain = { 'svc.yaml': service('reviews', 'shop'), 'ns.yaml': namespace('shop', AMBIENT), 'ap.yaml': policy(targetRefs('Service', 'reviews')) };
    expect(found(plain, 'ap.yaml')).toEqual([[9, 'istio-policy-target-no-waypoint', 'reviews']]);
    expect(problemsOf(plain, 'ap.yaml', ['istio-policy-target-no-waypoint'])[0].message).toBe(
      'Service reviews uses no waypoint (no istio.io/use-waypoint label on it or on Namespace shop): only a waypoint applies a AuthorizationPolicy attached to a Service by targetRefs, so this one has no effect. Add a waypoint for it.',
    );
    const optedOut = { ...withWaypoint, 'svc.yaml': service('reviews', 'shop', { 'istio.io/use-waypoint': 'none' }), 'ap.yaml': policy(targetRefs('Service', 'reviews')) };
    expect(found(optedOut, 'ap.yaml')).toEqual([[9, 'istio-policy-target-no-waypoint', 'reviews']]);
    // Without the Namespace, its labels are unknown.
    expect(found({ 'svc.yaml': service('reviews', 'shop'), 'ap.yaml': policy(targetRefs('Service', 'reviews')) }, 'ap.yaml')).toEqual([]);
    // The Namespace's label counts.
    const inherited = {
      'svc.yaml': service('reviews', 'shop'),
      'ns.yaml': namespace('shop', { 'istio.io/use-waypoint': 'wp' }),
      'gw.yaml': waypoint('wp', 'shop'),
      'ap.yaml': policy(targetRefs('Service', 'reviews')),
    };
    expect(found(inherited, 'ap.yaml')).toEqual([]);
  });

  it('selector and targetRefs together are rejected (IST0106, the CRD’s rule)', () => {
    const both = policy(`  selector:\n    matchLabels: {app: reviews}\n${targetRefs('Service', 'reviews')}`);
    expect(found({ ...withWaypoint, 'ap.yaml': both }, 'ap.yaml').map((p) => p[1])).toEqual(['IST0106']);
  });
});

/** The quick fixes of `code` in `target`, and a function applying one (by title) that checks the result parses, keeps its comments and no longer has the code. */
function fixesOf(files: Files, target: string, code: string) {
  const service = serviceWith(files);
  const problems = service.diagnoseDiskFile(wsUri(target), settings130).filter((p) => p.code === code);
  const fixes = quickFixes(service.context(settings130), wsUri(target), problems);
  const apply = (title: string): Files => {
    const fix = fixes.find((f) => f.title === title);
    if (!fix) throw new Error(`no fix '${title}'; have: ${fixes.map((f) => f.title).join(' | ')}`);
    const out = applyEdits(files, fix.edits);
    const after = serviceWith(out);
    for (const [name, text] of Object.entries(out)) {
      expect(parseAllDocuments(text).flatMap((d) => d.errors)).toEqual([]);
      for (const comment of files[name]?.match(/#.*$/gm) ?? []) expect(text).toContain(comment);
    }
    expect(after.diagnoseDiskFile(wsUri(target), settings130).filter((p) => p.code === code)).toEqual([]);
    return out;
  };
  return { titles: fixes.map((f) => f.title), apply };
}

function applyEdits(files: Files, edits: Edit[]): Files {
  const out = { ...files };
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    const name = e.uri.replace('file:///ws/', '');
    out[name] = out[name].slice(0, e.start) + e.newText + out[name].slice(e.end);
  }
  return out;
}

describe('quick fix: create the waypoint (KIA1313)', () => {
  it('writes the Gateway right after the labelled Namespace, before the next document (2-space file)', () => {
    const ns = `# shop's namespace
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio.io/dataplane-mode: ambient
    istio.io/use-waypoint: waypoint # every Service of shop
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - port: 9080
    name: http
`;
    const { titles, apply } = fixesOf({ 'ns.yaml': ns, 'gw.yaml': waypoint('ingress', 'shop') }, 'ns.yaml', 'KIA1313');
    expect(titles).toEqual(['Create waypoint waypoint in namespace shop']);
    expect(apply('Create waypoint waypoint in namespace shop')['ns.yaml']).toBe(
      ns.replace(
        '---\n',
        `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: waypoint
  namespace: shop
  labels:
    istio.io/waypoint-for: service
spec:
  gatewayClassName: istio-waypoint
  listeners:
  - name: mesh
    port: 15008
    protocol: HBONE
---
`,
      ),
    );
  });

  it('follows a 4-space file, and opens a waypoint of another namespace to all namespaces', () => {
    const svc = `apiVersion: v1
kind: Service
metadata:
    name: reviews
    namespace: shop
    labels:
        istio.io/use-waypoint: shared
        istio.io/use-waypoint-namespace: infra
spec:
    selector:
        app: reviews
    ports:
        -   port: 9080
            name: http`;
    const { apply } = fixesOf({ 'svc.yaml': svc, 'gw.yaml': waypoint('other', 'infra') }, 'svc.yaml', 'KIA1313');
    expect(apply('Create waypoint shared in namespace infra')['svc.yaml']).toBe(`${svc}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
    name: shared
    namespace: infra
    labels:
        istio.io/waypoint-for: service
spec:
    gatewayClassName: istio-waypoint
    listeners:
        - name: mesh
          port: 15008
          protocol: HBONE
          allowedRoutes:
              namespaces:
                  from: All
`);
  });

  it('is offered on the hint too, for a workload’s waypoint (waypoint-for: workload)', () => {
    const { titles, apply } = fixesOf({ 'app.yaml': deployment('reviews', 'shop', { 'istio.io/use-waypoint': 'pods' }) }, 'app.yaml', 'istio-reference-outside-workspace');
    expect(titles).toEqual(['Create waypoint pods in namespace shop']);
    expect(apply('Create waypoint pods in namespace shop')['app.yaml']).toContain('  labels:\n    istio.io/waypoint-for: workload\n');
  });
});

describe('quick fix: bind an L7 policy to the waypoint (KIA0110)', () => {
  const ns = namespace('shop', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' });
  const others = { 'ns.yaml': ns, 'gw.yaml': waypoint('waypoint', 'shop'), 'svc.yaml': service('reviews', 'shop') };

  it('replaces the selector by targetRefs to the Service, or to the waypoint (2-space file)', () => {
    const ap = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: reviews-get
  namespace: shop
spec:
  # who may read
  selector:
    matchLabels:
      app: reviews # the reviews pods
  action: ALLOW
  rules:
  - to:
    - operation:
        methods: ["GET"]
`;
    const { titles } = fixesOf({ ...others, 'ap.yaml': ap }, 'ap.yaml', 'KIA0110');
    expect(titles).toEqual(['Bind to Service reviews with targetRefs (applied by their waypoint)', 'Bind to waypoint waypoint with targetRefs (all its traffic)']);
    const selector = '  selector:\n    matchLabels:\n      app: reviews # the reviews pods\n';
    // The selector's own comment goes with it; the checker's comment check is for the rest.
    const fixed = fixesOf({ ...others, 'ap.yaml': ap.replace(' # the reviews pods', '') }, 'ap.yaml', 'KIA0110');
    expect(fixed.apply('Bind to Service reviews with targetRefs (applied by their waypoint)')['ap.yaml']).toBe(
      ap.replace(selector, '  targetRefs:\n  - kind: Service\n    group: ""\n    name: reviews\n'),
    );
    expect(fixed.apply('Bind to waypoint waypoint with targetRefs (all its traffic)')['ap.yaml']).toBe(
      ap.replace(selector, '  targetRefs:\n  - kind: Gateway\n    group: gateway.networking.k8s.io\n    name: waypoint\n'),
    );
  });

  it('follows a 4-space file with indented sequences', () => {
    const ap = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
    name: reviews-get
    namespace: shop
spec:
    selector:
        matchLabels:
            app: reviews
    rules:
        -   to:
                -   operation:
                        paths: ['/api/*']
`;
    const { apply } = fixesOf({ ...others, 'ap.yaml': ap }, 'ap.yaml', 'KIA0110');
    expect(apply('Bind to Service reviews with targetRefs (applied by their waypoint)')['ap.yaml']).toBe(
      ap.replace('    selector:\n        matchLabels:\n            app: reviews\n', '    targetRefs:\n        - kind: Service\n          group: ""\n          name: reviews\n'),
    );
  });

  it('offers nothing without a Service for the selected workloads', () => {
    expect(fixesOf({ 'ns.yaml': ns, 'ap.yaml': policy(L7_SELECTOR) }, 'ap.yaml', 'KIA0110').titles).toEqual([]);
  });
});

describe('refactoring: add a waypoint', () => {
  it('on a Namespace (2-space): the label, and the Gateway as the next document', () => {
    const ns = `apiVersion: v1
kind: Namespace
metadata:
  name: sh|op
  labels:
    istio.io/dataplane-mode: ambient # enrolled
---
# the app
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  ports:
  - port: 9080
`;
    expect(offerAt({ 'ns.yaml': ns }, 'ns.yaml', 'add-waypoint')?.title).toBe('Add a waypoint for namespace shop');
    const out = refactor({ 'ns.yaml': ns }, 'ns.yaml', 'add-waypoint');
    expect(out['ns.yaml']).toBe(`apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio.io/dataplane-mode: ambient # enrolled
    istio.io/use-waypoint: waypoint
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: waypoint
  namespace: shop
  labels:
    istio.io/waypoint-for: service
spec:
  gatewayClassName: istio-waypoint
  listeners:
  - name: mesh
    port: 15008
    protocol: HBONE
---
# the app
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  ports:
  - port: 9080
`);
    expect(problemsOf(out, 'ns.yaml').filter((p) => p.severity === 'error' || p.severity === 'warning')).toEqual([]);
  });

  it('on a Service without labels (4-space), with the chosen name and traffic type', () => {
    const svc = `apiVersion: v1
kind: Service
metadata:
    name: rev|iews
spec:
    ports:
        -   port: 9080
`;
    const out = refactor({ 'svc.yaml': svc }, 'svc.yaml', 'add-waypoint', { name: 'reviews-wp', trafficType: 'all' });
    expect(out['svc.yaml']).toBe(`apiVersion: v1
kind: Service
metadata:
    name: reviews
    labels:
        istio.io/use-waypoint: reviews-wp
spec:
    ports:
        -   port: 9080
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
    name: reviews-wp
    labels:
        istio.io/waypoint-for: all
spec:
    gatewayClassName: istio-waypoint
    listeners:
        - name: mesh
          port: 15008
          protocol: HBONE
`);
    const { ctx, uri, offset } = contextAt({ 'svc.yaml': svc }, 'svc.yaml');
    expect(applyRefactoring(ctx, uri, offset, 'add-waypoint', { trafficType: 'workload' })).toBe("'workload' is not one of service, all: a Service uses a waypoint for service or all traffic");
  });

  it('on a policy whose targetRefs Service has no waypoint: edits the Service’s file', () => {
    const files = {
      'svc.yaml': service('reviews', 'shop'),
      'ns.yaml': namespace('shop', AMBIENT),
      'ap.yaml': policy(targetRefs('Service', 'rev|iews') + '  rules:\n  - to:\n    - operation:\n        methods: [GET]\n'),
    };
    expect(offerAt(files, 'ap.yaml', 'add-waypoint')?.title).toBe('Add a waypoint for Service reviews');
    const out = refactor(files, 'ap.yaml', 'add-waypoint');
    expect(out['svc.yaml']).toContain('  labels:\n    istio.io/use-waypoint: waypoint\nspec:');
    expect(out['svc.yaml']).toContain('---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n');
    expect(found(out, 'ap.yaml')).toEqual([]);
  });

  it('reuses a waypoint of that name, refuses another Gateway’s name, and is not offered where a waypoint is used', () => {
    const svc = service('reviews', 'shop').replace('name: reviews', 'name: rev|iews');
    const out = refactor({ 'svc.yaml': svc, 'gw.yaml': waypoint('waypoint', 'shop') }, 'svc.yaml', 'add-waypoint');
    expect(out['svc.yaml']).toBe(service('reviews', 'shop', { 'istio.io/use-waypoint': 'waypoint' }));
    const taken = { 'svc.yaml': svc, 'gw.yaml': waypoint('ingress', 'shop').replace('istio-waypoint', 'istio') };
    expect(offerAt(taken, 'svc.yaml', 'add-waypoint')?.inputs[0].default).toBe('waypoint');
    const { ctx, uri, offset } = contextAt(taken, 'svc.yaml');
    expect(applyRefactoring(ctx, uri, offset, 'add-waypoint', { name: 'ingress' })).toBe('Gateway ingress already exists in namespace shop and is not a waypoint');
    expect(
      offerAt({ 'svc.yaml': service('reviews', 'shop', { 'istio.io/use-waypoint': 'wp' }).replace('name: reviews', 'name: rev|iews'), 'gw.yaml': waypoint('wp', 'shop') }, 'svc.yaml', 'add-waypoint'),
    ).toBeUndefined();
  });
});

/** The feature context over files with a `|` caret in one of them; answers shown as `file:line:text`. */
function navigate(filesWithCaret: Files) {
  const files: Files = {};
  let cursor = { uri: '', offset: -1 };
  for (const [name, raw] of Object.entries(filesWithCaret)) {
    const at = raw.indexOf('|');
    if (at !== -1) cursor = { uri: wsUri(name), offset: at };
    files[name] = at === -1 ? raw : raw.slice(0, at) + raw.slice(at + 1);
  }
  const ctx = contextWith(files);
  const show = (list: Location[]) =>
    list
      .map((l) => {
        const text = files[l.uri.replace('file:///ws/', '')];
        return `${l.uri.replace('file:///ws/', '')}:${text.slice(0, l.start).split('\n').length}:${text.slice(l.start, l.end)}`;
      })
      .sort();
  return {
    definition: () => show(definition(ctx, cursor.uri, cursor.offset)),
    references: (withDeclaration = false) => show(references(ctx, cursor.uri, cursor.offset, withDeclaration)),
    rename: (name: string) => rename(ctx, cursor.uri, cursor.offset, name),
  };
}

describe('navigation: targetRefs and use-waypoint labels', () => {
  const ap = (ref: string) => policy(ref.replace('name: ', 'name: |'));

  it('goes from a targetRefs name to the Service, ServiceEntry or Gateway it names', () => {
    const svc = service('reviews', 'shop');
    expect(navigate({ 'svc.yaml': svc, 'ap.yaml': ap(targetRefs('Service', 'reviews')) }).definition()).toEqual(['svc.yaml:4:reviews']);
    const se = `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  hosts: [api.example.com]\n`;
    expect(navigate({ 'se.yaml': se, 'ap.yaml': ap(targetRefs('ServiceEntry', 'api')) }).definition()).toEqual(['se.yaml:4:api']);
    expect(navigate({ 'gw.yaml': waypoint('wp', 'shop'), 'ap.yaml': ap(targetRefs('Gateway', 'wp')) }).definition()).toEqual(['gw.yaml:4:wp']);
    expect(navigate({ 'gw.yaml': waypoint('wp', 'other'), 'ap.yaml': ap(targetRefs('Gateway', 'wp')) }).definition()).toEqual([]);
    const telemetry = policy(targetRefs('Service', 'reviews').replace('name: ', 'name: |'), 'shop', 'Telemetry');
    expect(navigate({ 'svc.yaml': svc, 't.yaml': telemetry }).definition()).toEqual(['svc.yaml:4:reviews']);
  });

  it('goes from a use-waypoint label to the waypoint, in the namespace use-waypoint-namespace names', () => {
    const svc = service('reviews', 'shop', { 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra' }).replace('use-waypoint: shared', 'use-waypoint: sh|ared');
    expect(navigate({ 'svc.yaml': svc, 'a.yaml': waypoint('shared', 'shop'), 'b.yaml': waypoint('shared', 'infra') }).definition()).toEqual(['b.yaml:4:shared']);
  });

  it('finds the policies and labels that name a Service or a waypoint, and renames a waypoint in both', () => {
    const files = {
      'svc.yaml': service('reviews', 'shop', { 'istio.io/use-waypoint': 'wp' }).replace('name: reviews', 'name: rev|iews'),
      'gw.yaml': waypoint('wp', 'shop'),
      'ap.yaml': policy(targetRefs('Service', 'reviews')),
      'ra.yaml': policy(`  targetRef:\n    kind: Gateway\n    group: gateway.networking.k8s.io\n    name: wp\n`, 'shop', 'RequestAuthentication'),
      'other.yaml': policy(targetRefs('Service', 'reviews'), 'other'),
    };
    expect(navigate(files).references()).toEqual(['ap.yaml:10:reviews']);
    const onGateway = { ...files, 'svc.yaml': files['svc.yaml'].replace('|', ''), 'gw.yaml': files['gw.yaml'].replace('name: wp', 'name: w|p') };
    expect(navigate(onGateway).references()).toEqual(['ra.yaml:10:wp', 'svc.yaml:7:wp']);
    const renamed = navigate(onGateway).rename('mesh-wp');
    expect(typeof renamed === 'string' ? renamed : renamed.map((e) => `${e.uri.replace('file:///ws/', '')}:${e.newText}`).sort()).toEqual(['gw.yaml:mesh-wp', 'ra.yaml:mesh-wp', 'svc.yaml:mesh-wp']);
  });
});

describe('half-typed input', () => {
  it('never fails a check, and finds nothing where nothing is written yet', () => {
    const half = [
      namespace('shop', { ...AMBIENT, 'istio.io/use-waypoint': '' }),
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\n  labels: [istio.io/use-waypoint]\n`,
      policy(`  targetRefs:\n  - kind: Service\n  - kind:\n  - 3\n  targetRef: {kind: Gateway, group: gateway.networking.k8s.io}\n`),
      policy(`  selector:\n  rules:\n  - to:\n    - operation:\n        methods:\n  - when:\n    - key:\n`).replace('name: policy', 'name: p2'),
      policy(`  targetRefs: nope\n  rules: 7\n`).replace('name: policy', 'name: p3'),
    ].join('---\n');
    const problems = problemsOf({ 'half.yaml': half }, 'half.yaml');
    expect(problems.filter((p) => p.code === 'istio-internal')).toEqual([]);
    expect(problems.filter((p) => AMBIENT_CODES.slice(0, 6).includes(p.code)).map((p) => p.code)).toEqual([]);
    const ctx = contextWith({ 'half.yaml': half });
    for (let at = 0; at < half.length; at += 5) {
      expect(offerRefactorings(ctx, wsUri('half.yaml'), at).filter((r) => r.failure !== undefined)).toEqual([]);
      definition(ctx, wsUri('half.yaml'), at);
      references(ctx, wsUri('half.yaml'), at, true);
    }
    for (let cut = 0; cut < half.length; cut += 7) {
      const prefix = half.slice(0, cut);
      expect(problemsOf({ 'half.yaml': prefix }, 'half.yaml').filter((p) => p.code === 'istio-internal')).toEqual([]);
    }
  });
});

describe('DestinationRule', () => {
  it('has no targetRefs in Istio’s CRDs: the field is unknown (IST0106), not a policy attachment', () => {
    const dr = `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  host: reviews\n  targetRefs:\n  - kind: Service\n    group: ""\n    name: reviews\n`;
    expect(problemsOf({ 'dr.yaml': dr }, 'dr.yaml').map((p) => [p.line, p.code, p.text])).toEqual([[7, 'IST0106', 'targetRefs']]);
  });
});

describe('KIA1115: a RequestAuthentication without targetRefs in ambient mode', () => {
  const ra = (spec: string) => policy(`${spec}  jwtRules:\n  - issuer: https://issuer.example.com\n`, 'shop', 'RequestAuthentication');
  const selector = '  selector:\n    matchLabels:\n      app: reviews\n';

  it('warns on its selector, or its name when namespace-wide, and not with targetRefs or outside ambient mode', () => {
    const ns = namespace('shop', AMBIENT);
    expect(problemsOf({ 'ns.yaml': ns, 'ra.yaml': ra(selector) }, 'ra.yaml', ['KIA1115']).map((p) => [p.line, p.text])).toEqual([[6, 'selector']]);
    expect(problemsOf({ 'ns.yaml': ns, 'ra.yaml': ra('') }, 'ra.yaml', ['KIA1115']).map((p) => [p.line, p.text])).toEqual([[3, 'policy']]);
    expect(problemsOf({ 'ns.yaml': namespace('shop', {}), 'ra.yaml': ra(selector) }, 'ra.yaml', ['KIA1115'])).toEqual([]);
    expect(problemsOf({ 'ns.yaml': ns, 'ra.yaml': ra(targetRefs('Gateway', 'wp')) }, 'ra.yaml', ['KIA1115'])).toEqual([]);
  });

  it('is fixed by binding it to the Service of its workloads', () => {
    const files = { 'ns.yaml': namespace('shop', { ...AMBIENT, 'istio.io/use-waypoint': 'wp' }), 'gw.yaml': waypoint('wp', 'shop'), 'svc.yaml': service('reviews', 'shop'), 'ra.yaml': ra(selector) };
    const { titles, apply } = fixesOf(files, 'ra.yaml', 'KIA1115');
    expect(titles).toEqual(['Bind to Service reviews with targetRefs (applied by their waypoint)', 'Bind to waypoint wp with targetRefs (all its traffic)']);
    expect(apply(titles[0])['ra.yaml']).toBe(ra('  targetRefs:\n  - kind: Service\n    group: ""\n    name: reviews\n'));
  });
});
