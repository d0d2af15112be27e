// The Gateway API model and resolver: routes, GatewayClasses, ReferenceGrants and ListenerSets
// indexed with the spec's defaults; parentRefs, listeners' admission, backendRefs and
// ReferenceGrants resolved as the spec and Istio define them.
import { describe, expect, it } from 'vitest';
import { KUBERNETES_GATEWAY, type WithFacts, type WorkspaceIndex } from '../../server/src/workspace/index';
import { admittedKinds, hostnamesIntersect, listenerAllows, referenceGrantAllows, resolveBackendRef, resolveParentRef, selectorMatches } from '../../server/src/workspace/gatewayApi';
import { contextWith, yaml } from '../support';

function indexOf(files: Record<string, string>): WorkspaceIndex {
  return contextWith(files).workspace;
}

function routeNamed(index: WorkspaceIndex, name: string): WithFacts<'gatewayApiRoute'> {
  const route = index.gatewayApiRoutes().find((r) => r.name === name);
  if (!route) throw new Error(`no route ${name}`);
  return route;
}

const gateway = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata: {name: edge, namespace: ingress}
  spec:
    gatewayClassName: istio
    addresses:
    - value: 10.0.0.1
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
      tls:
        certificateRefs:
        - name: shop-cert
          namespace: certs
      allowedRoutes:
        namespaces:
          from: Selector
          selector:
            matchLabels: {shared: "true"}
            matchExpressions:
            - {key: env, operator: NotIn, values: [dev]}
    - name: tcp
      port: 9000
      protocol: TCP
    - name: grpc-only
      port: 8080
      protocol: HTTP
      allowedRoutes:
        kinds:
        - kind: GRPCRoute
  `;

const routes = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata: {name: shop, namespace: shop}
  spec:
    parentRefs:
    - name: edge
      namespace: ingress
      sectionName: https
    - {name: edge, namespace: ingress, port: 80}
    - {name: edge, namespace: ingress, sectionName: nope}
    - {name: edge, namespace: ingress, sectionName: http, port: 81}
    - {name: gone, namespace: ingress}
    - {name: edge, namespace: elsewhere}
    - {group: "", kind: Service, name: reviews, port: 9080}
    - {group: networking.istio.io, kind: ServiceEntry, name: external}
    - {group: example.com, kind: Thing, name: other}
    hostnames: [shop.example.com, other.test]
    rules:
    - name: main
      matches:
      - path: {type: PathPrefix, value: /api}
      filters:
      - type: RequestMirror
        requestMirror:
          backendRef: {name: mirror, port: 8080}
      backendRefs:
      - name: reviews
        port: 9080
        weight: 90
      - name: reviews
        port: 9999
      - name: ratings
      - name: cart
        namespace: other
        port: 80
      - {group: networking.istio.io, kind: Hostname, name: api.external.com, port: 443}
      - group: example.com
        kind: Bucket
        name: b
        filters:
        - type: RequestMirror
          requestMirror:
            backendRef: {name: reviews, port: 9080}
  `;

const shopNamespace = yaml`
  apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
    labels: {shared: "true", env: prod}
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: reviews, namespace: shop}
  spec:
    ports:
    - {name: http, port: 9080}
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: mirror, namespace: shop}
  spec:
    ports:
    - {name: http, port: 8080}
  ---
  apiVersion: networking.istio.io/v1
  kind: ServiceEntry
  metadata: {name: external, namespace: shop}
  spec:
    hosts: [api.external.com]
    ports:
    - {number: 443, name: https, protocol: TLS}
    resolution: DNS
  `;

const files = { 'gw.yaml': gateway, 'routes.yaml': routes, 'shop.yaml': shopNamespace };

describe('the Gateway API model', () => {
  it('indexes routes with their parentRefs, defaults applied, and the spans of what is written', () => {
    const index = indexOf(files);
    const route = routeNamed(index, 'shop');
    const [first, second] = route.info.gatewayApiRoute.parentRefs;
    expect([first.group, first.kind, first.groupRef, first.kindRef, first.name?.value, first.namespace?.value, first.sectionName?.value, first.port]).toEqual([
      'gateway.networking.k8s.io',
      'Gateway',
      undefined,
      undefined,
      'edge',
      'ingress',
      'https',
      undefined,
    ]);
    expect(second.port).toBe(80);
    expect(routes.slice(first.sectionName?.start, first.sectionName?.end)).toBe('https');
    const service = route.info.gatewayApiRoute.parentRefs[6];
    expect([service.group, service.kind, service.groupRef?.value, service.port]).toEqual(['', 'Service', '', 9080]);
    expect(route.info.gatewayApiRoute.hostnames.map((h) => h.value)).toEqual(['shop.example.com', 'other.test']);
    expect(index.ofKind('HTTPRoute').map((r) => r.name)).toEqual(['shop']);
  });

  it('reads rules: name, matches as plain values, backendRefs with defaults, RequestMirror refs of the rule and of a backendRef', () => {
    const [rule] = routeNamed(indexOf(files), 'shop').info.gatewayApiRoute.rules;
    expect(rule.name?.value).toBe('main');
    expect(rule.matches.map((m) => m.value)).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }]);
    expect(rule.backendRefs.map((b) => [b.group, b.kind, b.name?.value, b.namespace?.value, b.port, b.weight])).toEqual([
      ['', 'Service', 'reviews', undefined, 9080, 90],
      ['', 'Service', 'reviews', undefined, 9999, 1],
      ['', 'Service', 'ratings', undefined, undefined, 1],
      ['', 'Service', 'cart', 'other', 80, 1],
      ['networking.istio.io', 'Hostname', 'api.external.com', undefined, 443, 1],
      ['example.com', 'Bucket', 'b', undefined, undefined, 1],
    ]);
    expect(rule.mirrors.map((m) => [m.role, m.name?.value, m.port, m.ownerIndex])).toEqual([
      ['mirror', 'mirror', 8080, undefined],
      ['mirror', 'reviews', 9080, 5],
    ]);
    expect(rule.filters.map((f) => f.type?.value)).toEqual(['RequestMirror']);
    expect(routes.slice(rule.backendRefs[0].weightRef?.start, rule.backendRefs[0].weightRef?.end)).toBe('90');
  });

  it('extends Gateway listeners with allowedRoutes kinds and selector expressions, TLS certificateRefs; Gateways with addresses', () => {
    const [g] = indexOf(files).ofKind(KUBERNETES_GATEWAY);
    const { listeners, addresses } = g.info.kubernetesGateway;
    expect(addresses.map((a) => [a.type, a.value?.value])).toEqual([['IPAddress', '10.0.0.1']]);
    expect(listeners[1].allowedNamespaces).toMatchObject({ from: 'Selector', selector: { shared: 'true' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] });
    expect(listeners[1].tlsMode).toBe('Terminate');
    expect(listeners[1].certificateRefs.map((c) => [c.group, c.kind, c.name?.value, c.namespace?.value])).toEqual([['', 'Secret', 'shop-cert', 'certs']]);
    expect(listeners[3].allowedKinds?.map((k) => [k.group, k.kind])).toEqual([['gateway.networking.k8s.io', 'GRPCRoute']]);
    expect(listeners[0].allowedKinds).toBeUndefined();
  });

  it('indexes every route kind in the versions that serve it, GatewayClasses by name, ReferenceGrants by namespace, ListenerSets by Gateway', () => {
    const kinds = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: r-${kind.toLowerCase()}-${apiVersion.split('/')[1]}, namespace: shop}\nspec: {}\n`;
    const many = [
      kinds('gateway.networking.k8s.io/v1beta1', 'HTTPRoute'),
      kinds('gateway.networking.k8s.io/v1', 'GRPCRoute'),
      kinds('gateway.networking.k8s.io/v1alpha2', 'TCPRoute'),
      kinds('gateway.networking.k8s.io/v1alpha3', 'TLSRoute'),
      kinds('gateway.networking.k8s.io/v1alpha2', 'UDPRoute'),
      // Not served: not indexed.
      kinds('gateway.networking.k8s.io/v1alpha2', 'HTTPRoute'),
      kinds('example.com/v1', 'HTTPRoute'),
    ].join('---\n');
    const extra = yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: istio}
      spec: {controllerName: istio.io/gateway-controller}
      ---
      apiVersion: gateway.networking.k8s.io/v1beta1
      kind: ReferenceGrant
      metadata: {name: allow-shop, namespace: other}
      spec:
        from:
        - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}
        to:
        - {group: "", kind: Service}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: ListenerSet
      metadata: {name: extra, namespace: ingress}
      spec:
        parentRef: {name: edge, kind: Gateway, group: gateway.networking.k8s.io}
        listeners:
        - {name: extra-http, port: 8081, protocol: HTTP}
      `;
    const index = indexOf({ 'many.yaml': many, 'extra.yaml': extra, 'gw.yaml': gateway });
    expect(index.gatewayApiRoutes().map((r) => `${r.info.gatewayApiRoute.routeKind} ${r.name}`)).toEqual([
      'HTTPRoute r-httproute-v1beta1',
      'GRPCRoute r-grpcroute-v1',
      'TCPRoute r-tcproute-v1alpha2',
      'TLSRoute r-tlsroute-v1alpha3',
      'UDPRoute r-udproute-v1alpha2',
    ]);
    expect(index.gatewayClasses('istio').map((c) => c.info.gatewayClass.controllerName?.value)).toEqual(['istio.io/gateway-controller']);
    const [grant] = index.referenceGrantsIn('other');
    expect(grant.info.referenceGrant.from.map((f) => [f.group, f.kind, f.namespace?.value])).toEqual([['gateway.networking.k8s.io', 'HTTPRoute', 'shop']]);
    expect(grant.info.referenceGrant.to.map((t) => [t.group, t.kind, t.name])).toEqual([['', 'Service', undefined]]);
    expect(index.listenerSetsOf('ingress', 'edge').map((l) => l.info.listenerSet.listeners.map((x) => x.name?.value))).toEqual([['extra-http']]);
    expect(index.referenceGrantsIn('shop')).toEqual([]);
  });

  it('gives every parentRef naming a Gateway, with its name span, and those of one listener', () => {
    const index = indexOf(files);
    const gw = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'ingress', name: 'edge' };
    const refs = index.parentRefsTo(gw);
    expect(refs.map((r) => [r.entry.name, r.ref.index])).toEqual([
      ['shop', 0],
      ['shop', 1],
      ['shop', 2],
      ['shop', 3],
    ]);
    expect(refs.every((r) => routes.slice(r.name.start, r.name.end) === 'edge')).toBe(true);
    expect(index.parentRefsTo(gw, 'https').map((r) => r.ref.index)).toEqual([0]);
    expect(index.parentRefsTo({ group: '', kind: 'Service', namespace: 'shop', name: 'reviews' }).map((r) => r.ref.index)).toEqual([6]);
  });

  it('gives every backendRef and mirror naming a backend, with its name span', () => {
    const index = indexOf(files);
    const refs = index.backendRefsTo({ group: '', kind: 'Service', namespace: 'shop', name: 'reviews' });
    expect(refs.map((r) => [r.entry.name, r.ref.role, r.ref.port])).toEqual([
      ['shop', 'backend', 9080],
      ['shop', 'backend', 9999],
      ['shop', 'mirror', 9080],
    ]);
    expect(refs.every((r) => routes.slice(r.name.start, r.name.end) === 'reviews')).toBe(true);
    expect(index.backendRefsTo({ group: '', kind: 'Service', namespace: 'other', name: 'cart' })).toHaveLength(1);
    expect(index.backendRefsTo({ group: 'networking.istio.io', kind: 'Hostname', namespace: 'shop', name: 'api.external.com' })).toHaveLength(1);
  });

  it('keeps a route’s creationTimestamp (the precedence among conflicting routes)', () => {
    const stamped = routes.replace('metadata: {name: shop, namespace: shop}', 'metadata: {name: shop, namespace: shop, creationTimestamp: "2024-05-01T10:00:00Z"}');
    expect(routeNamed(indexOf({ 'r.yaml': stamped }), 'shop').info.gatewayApiRoute.creationTimestamp).toBe('2024-05-01T10:00:00Z');
  });

  it('survives half-typed routes', () => {
    const broken =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: half}\nspec:\n  parentRefs:\n  - \n  - name:\n  rules:\n  - backendRefs:\n    - \n    - port: http\n  - \n';
    const route = routeNamed(indexOf({ 'half.yaml': broken }), 'half');
    expect(route.info.gatewayApiRoute.parentRefs.map((p) => p.name)).toEqual([undefined]);
    expect(route.info.gatewayApiRoute.rules[0].backendRefs.map((b) => [b.name, b.port, b.portRef?.value])).toEqual([
      [undefined, undefined, undefined],
      [undefined, undefined, 'http'],
    ]);
    expect(route.info.gatewayApiRoute.rules).toHaveLength(2);
  });
});

describe('resolveParentRef', () => {
  const index = indexOf(files);
  const route = routeNamed(index, 'shop');
  const resolve = (i: number) => resolveParentRef(index, route, route.info.gatewayApiRoute.parentRefs[i]);

  it('finds the Gateway and the listener its sectionName selects', () => {
    const r = resolve(0);
    expect([r.target, r.status, r.gateway?.name, r.listeners.length, r.selected.map((l) => l.listener.name?.value)]).toEqual(['gateway', 'found', 'edge', 4, ['https']]);
  });

  it('selects listeners by port; says which of sectionName and port selects none', () => {
    expect(resolve(1).selected.map((l) => l.listener.name?.value)).toEqual(['http']);
    expect([resolve(2).sectionMissing, resolve(2).portMissing, resolve(2).selected]).toEqual([true, false, []]);
    expect([resolve(3).sectionMissing, resolve(3).portMissing, resolve(3).selected]).toEqual([false, true, []]);
  });

  it('says missing where the namespace holds Gateways, outside-workspace where it does not', () => {
    expect([resolve(4).status, resolve(4).namespace, resolve(4).name]).toEqual(['missing', 'ingress', 'gone']);
    expect(resolve(5).status).toBe('outside-workspace');
  });

  it('resolves mesh parentRefs to a Service or ServiceEntry of the route namespace; other kinds are not Istio’s', () => {
    expect([resolve(6).target, resolve(6).status, resolve(6).service?.name]).toEqual(['service', 'found', 'reviews']);
    expect([resolve(7).target, resolve(7).status, resolve(7).serviceEntry?.name]).toEqual(['serviceEntry', 'found', 'external']);
    expect(resolve(8).status).toBe('unsupported');
    const lonely = indexOf({ 'routes.yaml': routes });
    const r = routeNamed(lonely, 'shop');
    expect(resolveParentRef(lonely, r, r.info.gatewayApiRoute.parentRefs[6]).status).toBe('outside-workspace');
    const withOthers = indexOf({ 'routes.yaml': routes, 's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: shop}\n' });
    const r2 = routeNamed(withOthers, 'shop');
    expect(resolveParentRef(withOthers, r2, r2.info.gatewayApiRoute.parentRefs[6]).status).toBe('missing');
  });

  it('resolves a ListenerSet parent to its own listeners', () => {
    const set = yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: ListenerSet
      metadata: {name: extra, namespace: ingress}
      spec:
        parentRef: {name: edge}
        listeners:
        - {name: extra-http, port: 8081, protocol: HTTP}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: via-set, namespace: ingress}
      spec:
        parentRefs:
        - {kind: ListenerSet, name: extra, sectionName: extra-http}
        - {kind: ListenerSet, name: absent}
      `;
    const i2 = indexOf({ 'gw.yaml': gateway, 'set.yaml': set });
    const r = routeNamed(i2, 'via-set');
    const [found, absent] = r.info.gatewayApiRoute.parentRefs.map((p) => resolveParentRef(i2, r, p));
    expect([found.target, found.status, found.listenerSet?.name, found.selected.map((l) => [l.listener.name?.value, l.owner.name])]).toEqual([
      'listenerSet',
      'found',
      'extra',
      [['extra-http', 'extra']],
    ]);
    expect(absent.status).toBe('missing');
  });
});

describe('listenerAllows', () => {
  const index = indexOf(files);
  const route = routeNamed(index, 'shop');
  const [g] = index.ofKind(KUBERNETES_GATEWAY);
  const [http, https, tcp, grpcOnly] = g.info.kubernetesGateway.listeners;

  it('admits by namespace: All, Same, Selector against the Namespace labels (matchLabels and matchExpressions)', () => {
    expect(listenerAllows(index, http, 'ingress', route).namespace).toBe(true);
    expect(listenerAllows(index, tcp, 'ingress', route).namespace).toBe(false);
    expect(listenerAllows(index, tcp, 'shop', route).namespace).toBe(true);
    expect(listenerAllows(index, https, 'ingress', route).namespace).toBe(true);
    const devShop = files['shop.yaml'].replace('env: prod', 'env: dev');
    const devIndex = indexOf({ ...files, 'shop.yaml': devShop });
    expect(listenerAllows(devIndex, https, 'ingress', routeNamed(devIndex, 'shop')).namespace).toBe(false);
  });

  it('cannot tell a Selector without the route’s Namespace, unless it selects by kubernetes.io/metadata.name', () => {
    const noNs = indexOf({ 'gw.yaml': gateway, 'routes.yaml': routes });
    expect(listenerAllows(noNs, https, 'ingress', routeNamed(noNs, 'shop')).namespace).toBeUndefined();
    const byName = { ...https, allowedNamespaces: { from: 'Selector', selector: { 'kubernetes.io/metadata.name': 'shop' } } };
    expect(listenerAllows(noNs, byName, 'ingress', routeNamed(noNs, 'shop')).namespace).toBe(true);
  });

  it('admits by kind: the protocol’s kinds, narrowed by allowedRoutes.kinds', () => {
    expect(listenerAllows(index, http, 'ingress', route).kind).toBe(true);
    expect(listenerAllows(index, tcp, 'ingress', route).kind).toBe(false);
    expect(listenerAllows(index, grpcOnly, 'ingress', route).kind).toBe(false);
    expect(admittedKinds(grpcOnly)).toEqual(['GRPCRoute']);
    expect(admittedKinds({ ...tcp, protocol: 'HBONE' })).toBeUndefined();
    expect(admittedKinds({ ...tcp, protocol: 'TLS', tlsMode: 'Terminate' })).toEqual(['TLSRoute', 'TCPRoute']);
  });

  it('intersects hostnames with wildcards as the spec defines them', () => {
    expect(listenerAllows(index, http, 'ingress', route)).toMatchObject({ hostnames: true, matchingHostnames: ['shop.example.com'] });
    expect(listenerAllows(index, https, 'ingress', route).matchingHostnames).toEqual(['shop.example.com']);
    const off = { ...https, hostname: { value: 'admin.example.com', start: 0, end: 0 } };
    expect(listenerAllows(index, off, 'ingress', route).hostnames).toBe(false);
    expect(hostnamesIntersect('*.example.com', 'a.b.example.com')).toBe(true);
    expect(hostnamesIntersect('*.example.com', 'example.com')).toBe(false);
    expect(hostnamesIntersect('*.example.com', '*.shop.example.com')).toBe(true);
    expect(hostnamesIntersect('*.shop.example.com', '*.example.com')).toBe(true);
    expect(hostnamesIntersect('foo.example.com', 'bar.example.com')).toBe(false);
  });

  it('matches label selectors as Kubernetes does', () => {
    const labels = { a: '1', b: '2' };
    expect(selectorMatches([{ key: 'a', operator: 'In', values: ['1', '3'] }], labels)).toBe(true);
    expect(selectorMatches([{ key: 'c', operator: 'NotIn', values: ['1'] }], labels)).toBe(true);
    expect(selectorMatches([{ key: 'c', operator: 'Exists', values: [] }], labels)).toBe(false);
    expect(selectorMatches([{ key: 'c', operator: 'DoesNotExist', values: [] }], labels)).toBe(true);
    expect(selectorMatches([{ key: 'a', operator: 'Gt', values: ['0'] }], labels)).toBeUndefined();
    expect(selectorMatches([], labels)).toBe(true);
  });
});

describe('resolveBackendRef', () => {
  const index = indexOf(files);
  const route = routeNamed(index, 'shop');
  const [rule] = route.info.gatewayApiRoute.rules;
  const resolve = (i: number) => resolveBackendRef(index, route, rule.backendRefs[i]);

  it('finds the Service and checks the port among its ports', () => {
    expect([resolve(0).target, resolve(0).status, resolve(0).service?.name, resolve(0).ports, resolve(0).port]).toEqual(['service', 'found', 'reviews', [9080], 'found']);
    expect(resolve(1).port).toBe('missing');
    expect([resolve(2).status, resolve(2).port]).toEqual(['missing', 'absent']);
  });

  it('says outside-workspace for a namespace whose Services the workspace does not hold; marks cross-namespace refs', () => {
    expect([resolve(3).status, resolve(3).namespace, resolve(3).crossNamespace]).toEqual(['outside-workspace', 'other', true]);
    expect(resolve(0).crossNamespace).toBe(false);
  });

  it('resolves a Hostname ref (networking.istio.io) to the ServiceEntry of that host, with its ports', () => {
    const r = resolve(4);
    expect([r.target, r.status, r.host?.serviceEntries.map((s) => s.name), r.ports, r.port]).toEqual(['hostname', 'found', ['external'], [443], 'found']);
  });

  it('calls kinds Istio cannot route to unsupported; resolves mirror refs too', () => {
    expect(resolve(5).status).toBe('unsupported');
    expect(rule.mirrors.map((m) => resolveBackendRef(index, route, m).status)).toEqual(['found', 'found']);
  });
});

describe('referenceGrantAllows', () => {
  const grants = yaml`
    apiVersion: gateway.networking.k8s.io/v1beta1
    kind: ReferenceGrant
    metadata: {name: allow-shop, namespace: other}
    spec:
      from:
      - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}
      to:
      - {group: "", kind: Service, name: cart}
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: ReferenceGrant
    metadata: {name: allow-gateways, namespace: certs}
    spec:
      from:
      - {group: gateway.networking.k8s.io, kind: Gateway, namespace: ingress}
      to:
      - {group: "", kind: Secret}
    `;
  const index = indexOf({ 'grants.yaml': grants });
  const route = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' };

  it('allows what a grant of the target namespace names: from group, kind, namespace; to group, kind and name', () => {
    const allowed = referenceGrantAllows(index, route, { group: '', kind: 'Service', namespace: 'other', name: 'cart' });
    expect([allowed.allowed, allowed.status, allowed.grants.map((g) => g.name)]).toEqual([true, 'found', ['allow-shop']]);
    expect(referenceGrantAllows(index, route, { group: '', kind: 'Service', namespace: 'other', name: 'orders' })).toMatchObject({ allowed: false, status: 'missing' });
    expect(referenceGrantAllows(index, { ...route, kind: 'GRPCRoute' }, { group: '', kind: 'Service', namespace: 'other', name: 'cart' }).allowed).toBe(false);
    expect(referenceGrantAllows(index, { ...route, namespace: 'web' }, { group: '', kind: 'Service', namespace: 'other', name: 'cart' }).allowed).toBe(false);
  });

  it('a grant without a to name allows every name of the kind; the same namespace needs none; no grant in the namespace cannot be told', () => {
    const gw = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'ingress' };
    expect(referenceGrantAllows(index, gw, { group: '', kind: 'Secret', namespace: 'certs', name: 'anything' }).allowed).toBe(true);
    expect(referenceGrantAllows(index, route, { group: '', kind: 'Service', namespace: 'shop', name: 'x' })).toMatchObject({ allowed: true, status: 'found' });
    expect(referenceGrantAllows(index, route, { group: '', kind: 'Service', namespace: 'nowhere', name: 'x' })).toMatchObject({ allowed: false, status: 'outside-workspace' });
  });
});
