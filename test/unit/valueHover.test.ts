// Hover on values that name something: a subset shows its DestinationRule, labels and the
// workloads carrying them; a host its FQDN and what defines it; a Gateway its servers.
import { describe, expect, it } from 'vitest';
import { caret, serviceWith, settings130, wsUri } from '../support';

const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
`;
const workloads = `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector: {app: reviews}
  ports:
  - port: 9080
    name: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: shop
spec:
  selector:
    matchLabels: {app: reviews, version: v1}
  template:
    metadata:
      labels: {app: reviews, version: v1}
    spec:
      containers:
      - name: reviews
        image: reviews:v1
`;
const gateway = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: front
  namespace: shop
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [shop.example.com]
    tls: {mode: SIMPLE, credentialName: shop-cert}
`;
const vs = (destination: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
  gateways: [fro|nt]
  http:
  - route:
    - destination:
${destination}`;

function hoverAt(files: Record<string, string>, target: string) {
  const { text, offset } = caret(files[target]);
  const service = serviceWith({ ...files, [target]: text });
  return service.hover(wsUri(target), offset, settings130)?.markdown ?? '';
}

const files = (destination: string) => ({ 'dr.yaml': dr, 'workloads.yaml': workloads, 'gw.yaml': gateway, 'vs.yaml': vs(destination).replace('fro|nt', 'front') });

describe('hover on a value', () => {
  it('on a subset: its DestinationRule, labels and the workloads carrying them', () => {
    const md = hoverAt({ ...files(''), 'vs.yaml': vs('        host: reviews\n        subset: v|1\n').replace('fro|nt', 'front') }, 'vs.yaml');
    expect(md).toContain('Subset **v1** of DestinationRule **reviews** (namespace shop) · `dr.yaml`');
    expect(md).toContain('Labels: `version=v1`');
    expect(md).toContain('- Deployment **reviews-v1** (namespace shop) · `workloads.yaml`');
    // The field's documentation follows.
    expect(md).toContain('**subset** `string`');
  });

  it('says when no workload carries the labels', () => {
    const md = hoverAt({ ...files(''), 'vs.yaml': vs('        host: reviews\n        subset: v|2\n').replace('fro|nt', 'front') }, 'vs.yaml');
    expect(md).toContain('No workload in the workspace (namespace shop) carries these labels.');
  });

  it('on a host: its FQDN and what defines it, or that nothing does', () => {
    const md = hoverAt({ ...files(''), 'vs.yaml': vs('        host: revi|ews\n').replace('fro|nt', 'front') }, 'vs.yaml');
    expect(md).toContain('Host **reviews** → `reviews.shop.svc.cluster.local`');
    expect(md).toContain('- Service **reviews** (namespace shop) · `workloads.yaml`');
    const none = hoverAt({ ...files(''), 'vs.yaml': vs('        host: pay|ments\n').replace('fro|nt', 'front') }, 'vs.yaml');
    expect(none).toContain('No Service or ServiceEntry in the workspace defines it; Istio will not find it.');
  });

  it("on a gateways entry: the Gateway's servers", () => {
    const md = hoverAt({ ...files(''), 'vs.yaml': vs('        host: reviews\n') }, 'vs.yaml');
    expect(md).toContain('Gateway **front** (namespace shop) · `gw.yaml`');
    expect(md).toContain('- port 443 HTTPS · hosts shop.example.com · TLS SIMPLE');
  });

  it('keeps the field documentation alone on keys', () => {
    const md = hoverAt({ ...files(''), 'vs.yaml': vs('        host: reviews\n        sub|set: v1\n').replace('fro|nt', 'front') }, 'vs.yaml');
    expect(md).not.toContain('DestinationRule **reviews**');
    expect(md).toContain('**subset** `string`');
  });
});
