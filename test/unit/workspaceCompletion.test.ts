import { describe, expect, it } from 'vitest';
import { caret, serviceWith, settings130 } from '../support';

const files: Record<string, string> = {
  'dr.yaml':
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v2\n    labels: {version: v2}\n',
  'svc.yaml':
    'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  ports: [{name: http, port: 80}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: billing, namespace: pay}\nspec:\n  ports: [{name: http, port: 80}]\n',
  'gw.yaml': 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: public, namespace: edge}\nspec:\n  servers: []\n',
  'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-v1, namespace: shop}\nspec:\n  template:\n    metadata:\n      labels: {app: reviews, version: v1}\n',
};

function labels(textWithCaret: string): string[] {
  const service = serviceWith(files);
  const { text, offset } = caret(textWithCaret);
  service.open('file:///ws/vs.yaml', 1, text);
  return service.complete('file:///ws/vs.yaml', offset, settings130)?.items.map((i) => i.label) ?? [];
}

const VS = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [reviews]\n';

describe('completion of values from the workspace', () => {
  it('offers the subsets of the destination host', () => {
    expect(labels(VS + '  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: |\n')).toEqual(['v1', 'v2']);
  });

  it('offers hosts: short in the same namespace, FQDN elsewhere', () => {
    expect(labels(VS + '  http:\n  - route:\n    - destination:\n        host: |\n')).toEqual(['reviews', 'billing.pay.svc.cluster.local']);
  });

  it('offers only the hosts exported to the namespaces the resource is exported to', () => {
    const hidden: Record<string, string> = {
      ...files,
      'ext.yaml': 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: pay}\nspec:\n  hosts: [api.pay.example]\n  exportTo: [.]\n',
    };
    hidden['svc.yaml'] = files['svc.yaml'].replace('{name: billing, namespace: pay}', '{name: billing, namespace: pay, annotations: {networking.istio.io/exportTo: "pay"}}');
    const offered = (text: string) => {
      const service = serviceWith(hidden);
      const { text: t, offset } = caret(text);
      service.open('file:///ws/vs.yaml', 1, t);
      return service.complete('file:///ws/vs.yaml', offset, settings130)?.items.map((i) => i.label) ?? [];
    };
    expect(offered(VS + '  http:\n  - route:\n    - destination:\n        host: |\n')).toEqual(['reviews']);
    const inPay = VS.replace('namespace: shop', 'namespace: pay') + '  exportTo: [.]\n  http:\n  - route:\n    - destination:\n        host: |\n';
    expect(offered(inPay)).toEqual(['reviews.shop.svc.cluster.local', 'billing', 'api.pay.example']);
  });

  it('offers Gateways and mesh in a gateways list', () => {
    expect(labels(VS + '  gateways:\n  - |\n')).toEqual(['mesh', 'edge/public']);
  });

  it('offers namespaces and workload label values', () => {
    expect(labels('apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: p\n  namespace: |\n')).toEqual(['default', 'edge', 'pay', 'shop']);
    expect(labels('apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: shop}\nspec:\n  selector:\n    matchLabels:\n      version: |\n')).toEqual(['v1']);
  });
});
