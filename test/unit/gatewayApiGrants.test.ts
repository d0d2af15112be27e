// Cross-namespace references and ReferenceGrants: istio-reference-not-permitted (a backendRef to a
// Service, a Gateway's certificateRef to a Secret, of another namespace that no ReferenceGrant
// there allows), a hint where the workspace has nothing of that namespace,
// istio-reference-grant-unused, KIA1601; the quick fix that writes the missing ReferenceGrant.
import { describe, expect, it } from 'vitest';
import { quickFixes } from '../../server/src/features/quickFixes';
import { applyEdits } from '../refactorSupport';
import { serviceWith, settings130, wsUri, yaml } from '../support';

type Files = Record<string, string>;

const CODES = ['istio-reference-not-permitted', 'istio-reference-grant-unused', 'KIA1601', 'istio-reference-outside-workspace', 'KIA1402', 'istio-backend-port-not-found'];

const billing = yaml`
  # The billing team's Service.
  apiVersion: v1
  kind: Service
  metadata:
    name: billing
    namespace: payments
  spec:
    ports:
    - name: http
      port: 8080
  `;

const route = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata: {name: checkout, namespace: shop}
  spec:
    rules:
    - backendRefs:
      - name: billing
        namespace: payments # cross-namespace
        port: 8080
  `;

/** A ReferenceGrant of namespace payments with these from and to entries. */
function grant(name: string, from: string, to: string, apiVersion = 'gateway.networking.k8s.io/v1beta1'): string {
  return `apiVersion: ${apiVersion}\nkind: ReferenceGrant\nmetadata: {name: ${name}, namespace: payments}\nspec:\n  from:\n  - ${from}\n  to:\n  - ${to}\n`;
}

const HTTPROUTES_OF_SHOP = '{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}';

function check(files: Files, target: string): string[] {
  const text = files[target];
  return serviceWith(files)
    .diagnoseDiskFile(wsUri(target), settings130)
    .filter((p) => CODES.includes(p.code))
    .map((p) => `${text.slice(0, p.start).split('\n').length} ${p.code} ${text.slice(p.start, p.end)} ${p.message}`);
}

describe('backendRefs into another namespace', () => {
  it('istio-reference-not-permitted when the workspace holds the namespace but no grant allows the route', () => {
    expect(check({ 'billing.yaml': billing, 'route.yaml': route }, 'route.yaml')).toEqual([
      '8 istio-reference-not-permitted payments This backendRef to Service payments/billing needs a ReferenceGrant in namespace payments from HTTPRoute of namespace shop to Service; there is none: Istio does not resolve it (RefNotPermitted) and the traffic routed to it fails.',
    ]);
  });

  it('names the grants of the namespace that do not allow it (another namespace, kind or name)', () => {
    const grants = [
      grant('from-web', '{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}', '{group: "", kind: Service}'),
      grant('grpc-only', '{group: gateway.networking.k8s.io, kind: GRPCRoute, namespace: shop}', '{group: "", kind: Service}'),
      grant('other-service', HTTPROUTES_OF_SHOP, '{group: "", kind: Service, name: ledger}'),
    ].join('---\n');
    expect(check({ 'billing.yaml': billing, 'grants.yaml': grants, 'route.yaml': route }, 'route.yaml')).toEqual([
      '8 istio-reference-not-permitted payments This backendRef to Service payments/billing needs a ReferenceGrant in namespace payments from HTTPRoute of namespace shop to Service; the ReferenceGrants there (from-web, grpc-only, other-service) do not allow it: Istio does not resolve it (RefNotPermitted) and the traffic routed to it fails.',
    ]);
  });

  it('nothing when a grant allows it (by kind, or by name)', () => {
    for (const to of ['{group: "", kind: Service}', '{group: "", kind: Service, name: billing}']) {
      const files = { 'billing.yaml': billing, 'grant.yaml': grant('shop', HTTPROUTES_OF_SHOP, to), 'route.yaml': route };
      expect(check(files, 'route.yaml')).toEqual([]);
      expect(check(files, 'grant.yaml')).toEqual([]);
    }
  });

  it('a hint where the workspace has nothing of the target namespace', () => {
    expect(check({ 'route.yaml': route }, 'route.yaml')).toEqual([
      '7 istio-reference-outside-workspace billing Service payments/billing is not in the workspace (no Services in namespace payments); it may be defined in the cluster.',
      '8 istio-reference-outside-workspace payments Service payments/billing is in another namespace, which needs a ReferenceGrant in namespace payments from HTTPRoute of namespace shop to Service; the workspace has nothing of namespace payments, so it cannot tell (one may be in the cluster).',
    ]);
  });

  it('checks RequestMirror backendRefs too', () => {
    const mirrored = yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: checkout, namespace: shop}
      spec:
        rules:
        - backendRefs:
          - {name: billing, namespace: payments, port: 8080}
          filters:
          - type: RequestMirror
            requestMirror:
              backendRef: {name: billing, namespace: payments, port: 8080}
      `;
    const lines = check({ 'billing.yaml': billing, 'route.yaml': mirrored }, 'route.yaml');
    expect(lines.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual(['7 istio-reference-not-permitted payments', '11 istio-reference-not-permitted payments']);
  });
});

describe("a Gateway's certificateRefs into another namespace", () => {
  const gateway = (certificateRef: string) => yaml`
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: edge, namespace: ingress}
    spec:
      gatewayClassName: istio
      listeners:
      - name: https
        port: 443
        protocol: HTTPS
        tls:
          certificateRefs:
          - ${certificateRef}
    `;
  const certs = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: certs}\n';

  it('istio-reference-not-permitted without a grant in the Secret namespace, nothing with one', () => {
    const files = { 'ns.yaml': certs, 'gw.yaml': gateway('{name: edge-cert, namespace: certs}') };
    expect(check(files, 'gw.yaml')).toEqual([
      '12 istio-reference-not-permitted certs This certificateRef to Secret certs/edge-cert needs a ReferenceGrant in namespace certs from Gateway of namespace ingress to Secret; there is none: Istio does not resolve it (RefNotPermitted) and does not program the listener.',
    ]);
    const allow =
      'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: edge, namespace: certs}\nspec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: Gateway, namespace: ingress}\n  to:\n  - {group: "", kind: Secret}\n';
    expect(check({ ...files, 'grant.yaml': allow }, 'gw.yaml')).toEqual([]);
    expect(check({ ...files, 'grant.yaml': allow }, 'grant.yaml')).toEqual([]);
    expect(check({ 'ns.yaml': certs, 'gw.yaml': gateway('{name: edge-cert}') }, 'gw.yaml')).toEqual([]);
  });
});

describe('ReferenceGrants', () => {
  it('istio-reference-grant-unused on a grant no reference of the workspace uses', () => {
    const unused = grant('from-web', '{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}', '{group: "", kind: Service}');
    expect(check({ 'billing.yaml': billing, 'grant.yaml': unused, 'route.yaml': route }, 'grant.yaml')).toEqual([
      '3 istio-reference-grant-unused from-web No reference in the workspace uses this ReferenceGrant: nothing from HTTPRoute of web refers to Services of namespace payments.',
    ]);
  });

  it('KIA1601 on a from namespace the workspace does not have, when it defines Namespaces', () => {
    const namespaces = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: payments}\n';
    const typo = grant('shop', '{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: sohp}', '{group: "", kind: Service}');
    expect(check({ 'ns.yaml': namespaces, 'billing.yaml': billing, 'grant.yaml': typo, 'route.yaml': route }, 'grant.yaml').filter((l) => l.includes('KIA1601'))).toEqual([
      "6 KIA1601 sohp Namespace 'sohp' is not in the workspace (its Namespaces: payments, shop): this grant allows references from a namespace that may not exist.",
    ]);
    // Without Namespace resources the workspace cannot tell.
    expect(check({ 'billing.yaml': billing, 'grant.yaml': typo }, 'grant.yaml').filter((l) => l.includes('KIA1601'))).toEqual([]);
  });

  it('raises nothing on half-typed grants', () => {
    for (const spec of ['spec: {}', 'spec:\n  from:\n  - {}\n  to:\n  - {}', 'spec:\n  from: []\n  to: [{kind: Service}]', 'spec:\n  from:\n  -\n  to:\n  -']) {
      const text = `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: g, namespace: payments}\n${spec}\n`;
      expect(() => check({ 'grant.yaml': text, 'billing.yaml': billing }, 'grant.yaml')).not.toThrow();
    }
  });
});

describe('quick fix: create the missing ReferenceGrant', () => {
  function fixOf(files: Files) {
    const service = serviceWith(files);
    const problems = service.diagnoseDiskFile(wsUri('route.yaml'), settings130).filter((p) => p.code === 'istio-reference-not-permitted');
    return quickFixes(service.context(settings130), wsUri('route.yaml'), problems);
  }

  it("writes it in the Service's file, in that file's style, and then nothing is raised", () => {
    const files = { 'billing.yaml': billing, 'route.yaml': route };
    const fixes = fixOf(files);
    expect(fixes.map((f) => [f.title, f.isPreferred])).toEqual([['Create ReferenceGrant allow-shop-httproutes in namespace payments (next to Service billing)', true]]);
    expect(fixes[0].edits.map((e) => e.uri)).toEqual([wsUri('billing.yaml')]);
    const after = applyEdits(files, fixes[0].edits);
    expect(after['route.yaml']).toBe(route);
    expect(after['billing.yaml']).toBe(
      billing +
        [
          '---',
          'apiVersion: gateway.networking.k8s.io/v1',
          'kind: ReferenceGrant',
          'metadata:',
          '  name: allow-shop-httproutes',
          '  namespace: payments',
          'spec:',
          '  from:',
          '  - group: gateway.networking.k8s.io',
          '    kind: HTTPRoute',
          '    namespace: shop',
          '  to:',
          '  - group: ""',
          '    kind: Service',
          '    name: billing',
          '',
        ].join('\n'),
    );
    for (const file of Object.keys(after)) expect(check(after, file)).toEqual([]);
  });

  it("follows the workspace's ReferenceGrants' apiVersion and takes a free name", () => {
    const taken = grant('allow-shop-httproutes', '{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}', '{group: "", kind: Service, name: ledger}');
    const files = { 'billing.yaml': billing, 'grants.yaml': taken, 'route.yaml': route };
    const [fix] = fixOf(files);
    expect(fix.title).toBe('Create ReferenceGrant allow-shop-httproutes-2 in namespace payments (next to Service billing)');
    const after = applyEdits(files, fix.edits);
    expect(after['billing.yaml']).toContain('---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: allow-shop-httproutes-2\n');
    expect(check(after, 'route.yaml')).toEqual([]);
  });

  it("writes it at the end of the route's file when the workspace does not define the Service", () => {
    const other = 'apiVersion: v1\nkind: Service\nmetadata: {name: ledger, namespace: payments}\nspec:\n  ports:\n  - {name: http, port: 80}\n';
    const files = { 'other.yaml': other, 'route.yaml': route };
    const [fix] = fixOf(files);
    expect(fix.title).toBe('Create ReferenceGrant allow-shop-httproutes in namespace payments');
    const after = applyEdits(files, fix.edits);
    expect(after['route.yaml'].startsWith(route)).toBe(true);
    expect(after['route.yaml']).toContain('\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: ReferenceGrant\n');
    expect(check(after, 'route.yaml').filter((l) => l.includes('not-permitted'))).toEqual([]);
  });
});
