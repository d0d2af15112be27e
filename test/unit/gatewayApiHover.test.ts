// Value hovers on Gateway API references: a parentRef's Gateway listeners and admission, a backendRef's Service or why it is unknown.
import { describe, expect, it } from 'vitest';
import { caret, serviceWith, settings130, wsUri } from '../support';

const gw =
  'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: ingress}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}\n';
const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  ports: [{name: http, port: 80}]\n';
const route = (body: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: shop}\nspec:\n${body}`;

function hoverAt(textWithCaret: string): string {
  const service = serviceWith({ 'gw.yaml': gw, 'svc.yaml': svc });
  const { text, offset } = caret(textWithCaret);
  service.open(wsUri('r.yaml'), 1, text);
  return service.hover(wsUri('r.yaml'), offset, settings130)?.markdown ?? '';
}

describe('Gateway API value hovers', () => {
  it("shows a parentRef's listeners and whether they admit the route (Same namespace: not)", () => {
    const md = hoverAt(route('  parentRefs:\n  - {name: ed|ge, namespace: ingress}\n'));
    expect(md).toContain('**http**: port 80 HTTP · hostname *.example.com');
    expect(md).toContain('does not admit this route: allowedRoutes.namespaces (Same) does not admit namespace shop');
  });

  it("shows a backendRef's Service ports, or that the Service is missing", () => {
    expect(hoverAt(route('  rules:\n  - backendRefs:\n    - {name: w|eb, port: 80}\n'))).toContain('Ports: 80 (http)');
    expect(hoverAt(route('  rules:\n  - backendRefs:\n    - {name: no|pe, port: 80}\n'))).toContain("No Service 'nope' in namespace shop in the workspace; Istio will not find it.");
    expect(hoverAt(route('  rules:\n  - backendRefs:\n    - {name: no|pe, namespace: far, port: 80}\n'))).toContain('it may live in the cluster');
  });
});
