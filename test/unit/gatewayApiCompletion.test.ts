// Completion of workspace values in Gateway API documents: parentRefs (Gateways, ListenerSets,
// mesh Services; their listeners and ports, those admitting the route first), hostnames,
// backendRefs (Services, their ports, ServiceEntry hosts, ReferenceGrants), gatewayClassName,
// certificate Secrets and a ReferenceGrant's sides, on a small multi-file workspace.
import { describe, expect, it } from 'vitest';
import type { CompletionEntry } from '../../server/src/features/completion/entries';
import { accept, lspList } from '../editor';
import { caret, serviceWith, settings130 } from '../support';

const GW = 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n';

const files: Record<string, string> = {
  'gateways.yaml': [
    GW +
      'metadata: {name: public, namespace: edge}\nspec:\n  gatewayClassName: istio\n  listeners:\n' +
      '  - {name: http, protocol: HTTP, port: 80, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}\n' +
      '  - {name: https, protocol: HTTPS, port: 443, hostname: shop.example.com, allowedRoutes: {namespaces: {from: All}}, tls: {certificateRefs: [{name: shop-cert}]}}\n' +
      '  - {name: tcp, protocol: TCP, port: 9000, allowedRoutes: {namespaces: {from: All}}}\n' +
      '  - {name: own, protocol: HTTP, port: 8080, hostname: edge.example.com}\n',
    GW + 'metadata: {name: internal, namespace: edge}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - {name: web, protocol: HTTP, port: 80}\n',
    GW + 'metadata: {name: local, namespace: shop}\nspec:\n  gatewayClassName: custom\n  listeners:\n  - {name: web, protocol: HTTP, port: 80}\n',
    'apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: extra, namespace: edge}\nspec:\n  parentRef: {name: public}\n  listeners:\n  - {name: extra-http, protocol: HTTP, port: 8081, hostname: extra.example.com, allowedRoutes: {namespaces: {from: All}}}\n',
    'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: custom}\nspec:\n  controllerName: example.com/gateway\n',
  ].join('---\n'),
  'services.yaml': [
    'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  ports:\n  - {name: http, port: 9080, targetPort: 8080}\n  - {name: grpc, port: 9090, protocol: TCP}\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: ratings, namespace: shop}\nspec:\n  ports: [{name: http, port: 80}]\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: billing, namespace: pay}\nspec:\n  ports: [{name: http, port: 8000}]\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: ledger, namespace: pay}\nspec:\n  ports: [{name: http, port: 8000}]\n',
    'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: shop}\nspec:\n  hosts: [api.external.com, "*.wild.com"]\n  ports: [{number: 443, name: https, protocol: HTTPS}]\n  resolution: DNS\n',
  ].join('---\n'),
  'grants.yaml':
    'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: shop-to-billing, namespace: pay}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]\n  to: [{group: "", kind: Service, name: billing}]\n',
  'secrets.yaml':
    'apiVersion: v1\nkind: Secret\nmetadata: {name: shop-cert, namespace: edge}\ntype: kubernetes.io/tls\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: pay-cert, namespace: pay}\ntype: kubernetes.io/tls\n',
};

/** The workspace with an HTTPRoute on disk (a grant's `from` side). */
const withRoute = { ...files, 'route.yaml': 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: reviews, namespace: shop}\nspec:\n  parentRefs: [{name: local}]\n' };

const ROUTE = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: shop}\nspec:\n';

function complete(textWithCaret: string, workspace = files): CompletionEntry[] {
  const service = serviceWith(workspace);
  const { text, offset } = caret(textWithCaret);
  service.open('file:///ws/edited.yaml', 1, text);
  return service.complete('file:///ws/edited.yaml', offset, settings130)?.items ?? [];
}

/** The labels in the order the editor shows them (sortText, else label). */
function labels(textWithCaret: string, workspace = files): string[] {
  return complete(textWithCaret, workspace)
    .map((i) => ({ label: i.label, key: i.sortText ?? i.label }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((i) => i.label);
}

const item = (textWithCaret: string, label: string) => complete(textWithCaret).find((i) => i.label === label);

describe('Gateway API parentRefs', () => {
  it('offers the Gateways of the parentRef namespace, those admitting the route first', () => {
    // internal admits routes of its own namespace only.
    expect(labels(ROUTE + '  parentRefs:\n  - name: |\n    namespace: edge\n')).toEqual(['public', 'internal']);
    const publicGw = item(ROUTE + '  parentRefs:\n  - name: |\n    namespace: edge\n', 'public')!;
    expect(publicGw.detail).toBe('Gateway (edge): http, https, tcp, own');
    expect(publicGw.documentation).toBe(
      'Admits this HTTPRoute: `http` (HTTP 80 `*.example.com`), `https` (HTTPS 443 `shop.example.com`).\n\n' +
        'Refuses it: `tcp` (TCP 9000): not HTTPRoutes; `own` (HTTP 8080 `edge.example.com`): not routes of namespace shop.',
    );
    expect(item(ROUTE + '  parentRefs:\n  - name: |\n    namespace: edge\n', 'internal')!.documentation).toContain('No listener admits this HTTPRoute.');
  });

  it("defaults to the route's namespace and keeps the partial word to replace", () => {
    expect(labels(ROUTE + '  parentRefs:\n  - name: |\n')).toEqual(['local']);
    expect(labels(ROUTE + '  parentRefs:\n  - name: lo|\n')).toEqual(['local']);
    expect(labels(ROUTE + '  parentRefs:\n  - namespace: edge\n    name: pu|\n')).toEqual(['public', 'internal']);
  });

  it('ranks by the listeners the sectionName and port select', () => {
    const tcpOnly = labels(ROUTE + '  parentRefs:\n  - name: |\n    namespace: edge\n    port: 9000\n');
    expect(tcpOnly).toEqual(['internal', 'public']);
  });

  it('offers ListenerSets for kind ListenerSet and Services for a mesh parent', () => {
    expect(labels(ROUTE + '  parentRefs:\n  - kind: ListenerSet\n    namespace: edge\n    name: |\n')).toEqual(['extra']);
    const mesh = complete(ROUTE + '  parentRefs:\n  - group: ""\n    kind: Service\n    name: |\n');
    expect(mesh.map((i) => [i.label, i.detail])).toEqual([
      ['reviews', 'Service (shop): mesh routing'],
      ['ratings', 'Service (shop): mesh routing'],
    ]);
  });

  it("offers the named parent's listeners as sectionName, a Service's port names for a mesh parent", () => {
    const own = item(ROUTE + '  parentRefs:\n  - name: public\n    namespace: edge\n    sectionName: |\n', 'own')!;
    expect([own.detail, own.documentation]).toEqual(['listener of Gateway public: own (HTTP 8080 edge.example.com)', 'Does not admit this HTTPRoute: not routes of namespace shop.']);
    const hostnamed = ROUTE + '  hostnames: [api.example.com]\n  parentRefs:\n  - name: public\n    namespace: edge\n    sectionName: |\n';
    expect(item(hostnamed, 'http')?.documentation).toBe('Admits this HTTPRoute.');
    expect(item(hostnamed, 'https')?.documentation).toBe('Does not admit this HTTPRoute: no hostname in common.');
    expect(item(hostnamed, 'tcp')?.documentation).toBe('Does not admit this HTTPRoute: not HTTPRoutes.');
    expect(labels(ROUTE + '  parentRefs:\n  - name: public\n    namespace: edge\n    sectionName: |\n')).toEqual(['http', 'https', 'own', 'tcp']);
    expect(labels(ROUTE + '  parentRefs:\n  - name: public\n    namespace: edge\n    port: 443\n    sectionName: |\n')).toEqual(['https']);
    // A ListenerSet's listeners take the routes that name the ListenerSet, not its Gateway.
    expect(labels(ROUTE + '  parentRefs:\n  - name: extra\n    kind: ListenerSet\n    namespace: edge\n    sectionName: |\n')).toEqual(['extra-http']);
    expect(labels(ROUTE + '  parentRefs:\n  - group: ""\n    kind: Service\n    name: reviews\n    sectionName: |\n')).toEqual(['grpc', 'http']);
  });

  it('offers listener ports and a mesh parent Service ports', () => {
    expect(labels(ROUTE + '  parentRefs:\n  - name: public\n    namespace: edge\n    port: |\n')).toEqual(['443', '80', '8080', '9000']);
    expect(labels(ROUTE + '  parentRefs:\n  - name: public\n    namespace: edge\n    sectionName: tcp\n    port: |\n')).toEqual(['9000']);
    expect(labels(ROUTE + '  parentRefs:\n  - group: ""\n    kind: Service\n    name: reviews\n    port: |\n')).toEqual(['9080', '9090']);
  });

  it('offers namespaces for a parentRef, those holding Gateways first', () => {
    const offered = complete(ROUTE + '  parentRefs:\n  - name: public\n    namespace: |\n');
    expect(labels(ROUTE + '  parentRefs:\n  - name: public\n    namespace: |\n')).toEqual(['edge', 'shop', 'default', 'pay']);
    expect(offered.find((i) => i.label === 'edge')?.detail).toBe('namespace: public, internal');
  });

  it('offers nothing where the workspace has nothing', () => {
    expect(labels(ROUTE + '  parentRefs:\n  - name: |\n    namespace: nowhere\n')).toEqual([]);
    expect(labels(ROUTE + '  parentRefs:\n  - name: ghost\n    namespace: edge\n    sectionName: |\n')).toEqual([]);
    expect(labels(ROUTE + '  parentRefs:\n  - name: |\n', {})).toEqual([]);
  });

  it('opens the list by itself after the parentRefs and name keys', () => {
    const parentRefs = complete(ROUTE + '  |\n').find((i) => i.label === 'parentRefs');
    expect(parentRefs?.retrigger).toBe(true);
    const name = complete(ROUTE + '  parentRefs:\n  - namespace: edge\n    |\n').find((i) => i.label === 'name');
    expect(name?.retrigger).toBe(true);
    const opens = (text: string, label: string) => complete(text).find((i) => i.label === label)?.retrigger;
    expect(opens(ROUTE + '  |\n', 'hostnames')).toBe(true);
    expect(opens(ROUTE + '  rules:\n  - |\n', 'backendRefs')).toBe(true);
    expect(opens(ROUTE + '  rules:\n  - backendRefs:\n    - name: reviews\n      |\n', 'port')).toBe(true);
    expect(opens(`${GW}metadata: {name: g}\nspec:\n  |\n`, 'gatewayClassName')).toBe(true);
    // A key whose value is not a workspace name does not re-open the list.
    expect(opens(ROUTE + '  rules:\n  - backendRefs:\n    - name: reviews\n      |\n', 'weight')).toBeFalsy();
  });
});

describe('Gateway API route hostnames', () => {
  it("offers the hostnames the parents' admitting listeners allow", () => {
    const route = ROUTE + '  parentRefs:\n  - {name: public, namespace: edge}\n  hostnames:\n  - |\n';
    expect(labels(route)).toEqual(['*.example.com', 'shop.example.com']);
    expect(item(route, 'shop.example.com')?.detail).toBe('listener https of Gateway edge/public');
    expect(labels(ROUTE + '  parentRefs:\n  - {name: public, namespace: edge}\n  hostnames:\n  - sh|\n')).toEqual(['*.example.com', 'shop.example.com']);
  });

  it("offers a mesh parent's host; nothing for a listener without a hostname", () => {
    expect(labels(ROUTE + '  parentRefs:\n  - {group: "", kind: Service, name: reviews}\n  hostnames:\n  - |\n')).toEqual(['reviews.shop.svc.cluster.local']);
    expect(labels(ROUTE + '  parentRefs:\n  - {name: local}\n  hostnames:\n  - |\n')).toEqual([]);
  });
});

describe('Gateway API backendRefs', () => {
  const rules = (ref: string) => `${ROUTE}  rules:\n  - backendRefs:\n    - ${ref}\n`;

  it("offers the Services of the route's namespace, typed or half-typed", () => {
    expect(labels(rules('name: |'))).toEqual(['ratings', 'reviews']);
    expect(labels(rules('name: re|'))).toEqual(['ratings', 'reviews']);
    expect(item(rules('name: |'), 'reviews')?.documentation).toBe('ports: http 9080, grpc 9090');
  });

  it('marks the Services of another namespace no ReferenceGrant allows yet', () => {
    const pay = rules('namespace: pay\n      name: |');
    expect(labels(pay)).toEqual(['billing', 'ledger']);
    expect(item(pay, 'billing')?.detail).toBe('Service (pay)');
    expect(item(pay, 'ledger')?.detail).toBe('Service (pay): needs a ReferenceGrant in namespace pay');
  });

  it('offers ServiceEntry hosts for kind Hostname, and nothing for kinds Istio cannot route to', () => {
    expect(labels(rules('group: networking.istio.io\n      kind: Hostname\n      name: |'))).toEqual(['api.external.com']);
    expect(labels(rules('group: example.com\n      kind: Bucket\n      name: |'))).toEqual([]);
  });

  it("offers the named Service's ports with their name, protocol and targetPort", () => {
    const ports = complete(rules('name: reviews\n      port: |'));
    expect(ports.map((i) => [i.label, i.detail])).toEqual([
      ['9080', 'port of Service reviews: name http, TCP, targetPort 8080'],
      ['9090', 'port of Service reviews: name grpc, TCP'],
    ]);
    expect(labels(rules('name: ghost\n      port: |'))).toEqual([]);
    expect(labels(rules('group: networking.istio.io\n      kind: Hostname\n      name: api.external.com\n      port: |'))).toEqual(['443']);
  });

  it("completes a RequestMirror filter's backendRef, of a rule and of a backendRef", () => {
    const mirror = `${ROUTE}  rules:\n  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef:\n          name: |\n`;
    expect(labels(mirror)).toEqual(['ratings', 'reviews']);
    const nested = `${ROUTE}  rules:\n  - backendRefs:\n    - name: reviews\n      filters:\n      - type: RequestMirror\n        requestMirror:\n          backendRef:\n            name: ratings\n            port: |\n`;
    expect(labels(nested)).toEqual(['80']);
  });

  it('completes backendRefs of the other route kinds, and their namespaces', () => {
    const grpc = 'apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g, namespace: shop}\nspec:\n  rules:\n  - backendRefs:\n    - name: |\n';
    expect(labels(grpc)).toEqual(['ratings', 'reviews']);
    const tcp = 'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: {name: t, namespace: pay}\nspec:\n  rules:\n  - backendRefs:\n    - name: |\n';
    expect(labels(tcp)).toEqual(['billing', 'ledger']);
    expect(labels(rules('namespace: |'))).toEqual(['pay', 'shop', 'default', 'edge']);
    expect(labels(rules('group: networking.istio.io\n      kind: Hostname\n      namespace: |'))).toEqual([]);
  });
});

describe('Gateway API Gateways and ReferenceGrants', () => {
  const gateway = (rest: string) => `${GW}metadata: {name: g, namespace: edge}\nspec:\n${rest}`;

  it("offers the workspace's GatewayClasses, then Istio's built-in ones", () => {
    const classes = complete(gateway('  gatewayClassName: |\n'));
    expect(labels(gateway('  gatewayClassName: |\n'))).toEqual(['custom', 'istio', 'istio-east-west', 'istio-remote', 'istio-waypoint']);
    expect(classes.find((i) => i.label === 'custom')?.detail).toBe('GatewayClass: example.com/gateway');
    expect(classes.find((i) => i.label === 'istio-waypoint')?.documentation).toContain('ambient waypoint');
    expect(labels(gateway('  gatewayClassName: is|\n'), {})).toEqual(['istio', 'istio-east-west', 'istio-remote', 'istio-waypoint']);
  });

  it("does not take an Istio Gateway's fields for a Gateway API one", () => {
    const istio = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: edge}\nspec:\n  gatewayClassName: |\n';
    expect(labels(istio)).toEqual([]);
  });

  it("offers the Secrets of a certificateRef's namespace", () => {
    const listener = (ref: string) => gateway(`  listeners:\n  - name: https\n    protocol: HTTPS\n    port: 443\n    tls:\n      certificateRefs:\n      - ${ref}\n`);
    expect(labels(listener('name: |'))).toEqual(['shop-cert']);
    expect(complete(listener('namespace: pay\n        name: |')).map((i) => [i.label, i.detail])).toEqual([['pay-cert', 'Secret (pay): needs a ReferenceGrant in namespace pay']]);
    expect(labels(listener('kind: ConfigMap\n        name: |'))).toEqual([]);
    expect(labels(listener('name: |'), {})).toEqual([]);
  });

  it("offers namespaces for a grant's from, and the grant namespace's Services or Secrets for its to", () => {
    const grant = (rest: string) => `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: g, namespace: pay}\nspec:\n${rest}`;
    expect(labels(grant('  from:\n  - group: gateway.networking.k8s.io\n    kind: HTTPRoute\n    namespace: |\n'), withRoute)).toEqual(['shop', 'default', 'edge', 'pay']);
    expect(labels(grant('  from:\n  - group: gateway.networking.k8s.io\n    kind: Gateway\n    namespace: |\n'))).toEqual(['edge', 'shop', 'default', 'pay']);
    expect(labels(grant('  to:\n  - group: ""\n    kind: Service\n    name: |\n'))).toEqual(['billing', 'ledger']);
    expect(labels(grant('  to:\n  - group: ""\n    kind: Secret\n    name: |\n'))).toEqual(['pay-cert']);
    expect(labels(grant('  to:\n  - group: ""\n    name: |\n'))).toEqual([]);
  });
});

describe('ListenerSets and BackendTLSPolicies', () => {
  it("offers a ListenerSet's parent Gateways of its parentRef namespace", () => {
    const set = 'apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: s, namespace: shop}\nspec:\n  parentRef:\n';
    expect(complete(set + '    name: |\n').map((i) => [i.label, i.detail])).toEqual([['local', 'Gateway (shop): web']]);
    expect(labels(set + '    namespace: edge\n    name: |\n')).toEqual(['internal', 'public']);
  });

  it("offers a BackendTLSPolicy's target Services and their port names", () => {
    const policy = 'apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  targetRefs:\n  - group: ""\n    kind: Service\n';
    expect(labels(policy + '    name: |\n')).toEqual(['ratings', 'reviews']);
    expect(labels(policy + '    name: reviews\n    sectionName: |\n')).toEqual(['grpc', 'http']);
    expect(labels(policy.replace('kind: Service', 'kind: ServiceImport') + '    name: |\n')).toEqual([]);
  });
});

describe('half-typed Gateway API documents', () => {
  it('answers without throwing at every offset of routes, Gateways and grants being written', () => {
    const service = serviceWith(files);
    const texts = [
      ROUTE +
        '  parentRefs:\n  - name: \n    namespace:\n    sectionName: [\n  - kind:\n  hostnames:\n  - \n  rules:\n  - backendRefs:\n    - name: re\n      port: x\n      filters:\n      - type: RequestMirror\n        requestMirror: {backendRef: }\n',
      ROUTE + '  parentRefs: public\n  hostnames: shop\n  rules: [{backendRefs: [name: ]}]\n',
      GW + 'metadata: {name: g}\nspec:\n  gatewayClassName:\n  listeners:\n  - tls:\n      certificateRefs:\n      - name: \n        namespace: \n',
      'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: g}\nspec:\n  from:\n  - namespace: \n  to:\n  - kind: Secret\n    name: \n',
    ];
    let answered = 0;
    for (const text of texts) {
      service.open('file:///ws/edited.yaml', 1, text);
      for (let offset = 0; offset <= text.length; offset++) if (service.complete('file:///ws/edited.yaml', offset, settings130)) answered++;
    }
    expect(answered).toBeGreaterThan(0);
  });
});

describe('typing a Gateway API value', () => {
  it('replaces the partial word and the result is clean', () => {
    const service = serviceWith(files);
    const { text, offset } = caret(ROUTE + '  parentRefs:\n  - name: public\n    namespace: edge\n  rules:\n  - backendRefs:\n    - name: rev|\n      port: 9080\n');
    service.open('file:///ws/edited.yaml', 1, text);
    const result = service.complete('file:///ws/edited.yaml', offset, settings130)!;
    const done = accept(text, lspList(text, result, true), 'reviews');
    expect(done.text).toBe(ROUTE + '  parentRefs:\n  - name: public\n    namespace: edge\n  rules:\n  - backendRefs:\n    - name: reviews\n      port: 9080\n');
    service.open('file:///ws/edited.yaml', 2, done.text);
    expect(service.diagnose('file:///ws/edited.yaml', 2, done.text, settings130).map((p) => p.code)).toEqual([]);
  });

  it('types a parentRef in a 4-space file, each list opening by itself', () => {
    const service = serviceWith(files);
    const head = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n    name: r\n    namespace: shop\nspec:\n    ';
    let text = head;
    let offset = text.length;
    const take = (label: string) => {
      service.open('file:///ws/edited.yaml', 1, text);
      const result = service.complete('file:///ws/edited.yaml', offset, settings130)!;
      const done = accept(text, lspList(text, result, true), label);
      [text, offset] = [done.text, done.offset];
      return done.item.command?.command;
    };
    expect(take('parentRefs')).toBe('editor.action.triggerSuggest');
    take('local');
    expect(text).toBe(head + 'parentRefs:\n    - name: local');
  });

  it('types an HTTPRoute from an empty file by completion only, every name picked from a list that opened by itself, and the result is clean', () => {
    const service = serviceWith(files);
    let [text, offset, opened] = ['', 0, false];
    const accepted = (label: string) => {
      service.open('file:///ws/typed.yaml', 1, text);
      const done = accept(text, lspList(text, service.complete('file:///ws/typed.yaml', offset, settings130)!, true), label);
      [text, offset, opened] = [done.text, done.offset, done.item.command?.command === 'editor.action.triggerSuggest'];
    };
    const pick = (label: string) => {
      expect(opened, `the list for ${label} opens by itself`).toBe(true);
      accepted(label);
    };
    const type = (typed: string) => {
      [text, offset, opened] = [text.slice(0, offset) + typed + text.slice(offset), offset + typed.length, false];
    };
    accepted('apiVersion');
    pick('gateway.networking.k8s.io/v1');
    type('\n');
    accepted('kind');
    pick('HTTPRoute');
    type('\n');
    accepted('metadata');
    type('r\n  ');
    accepted('namespace');
    pick('shop');
    type('\n');
    accepted('spec');
    accepted('parentRefs');
    pick('local');
    type('\n    ');
    accepted('sectionName');
    pick('web');
    type('\n  ');
    accepted('rules');
    accepted('backendRefs');
    pick('reviews');
    type('\n      ');
    accepted('port');
    pick('9080');
    expect(text).toBe(
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  parentRefs:\n  - name: local\n    sectionName: web\n  rules:\n  - backendRefs:\n    - name: reviews\n      port: 9080',
    );
    service.open('file:///ws/typed.yaml', 2, text);
    expect(service.diagnose('file:///ws/typed.yaml', 2, text, settings130).map((p) => `${p.code}: ${p.message}`)).toEqual([]);
  });
});
