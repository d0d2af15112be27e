// HTTPRoutes in the traffic preview and the "Convert to HTTPRoute" refactoring, as a user meets
// them in a real VS Code: the preview of an HTTPRoute draws its Gateway parent with the listener it
// binds, its rules and its backends by weight; the simulator picks the rule the Gateway API's
// precedence picks (the longest prefix, not the first match) and says why the other lost. Then a
// VirtualService is converted to an HTTPRoute and the saved file holds it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FrameLocator } from 'playwright-core';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

/** Written into this workbench only, so the other e2e files' Problems stay as they are. */
const ROUTE_FILE = 'gateway-api-preview.yaml';
const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: gwinfra
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    hostname: "*.example.com"
    allowedRoutes:
      namespaces:
        from: All
---
apiVersion: v1
kind: Service
metadata:
  name: catalog
  namespace: gwshop
spec:
  selector: {app: catalog}
  ports:
  - name: http
    port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: catalog-v2
  namespace: gwshop
spec:
  selector: {app: catalog, version: v2}
  ports:
  - name: http
    port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: catalog
  namespace: gwshop
spec:
  parentRefs:
  - name: web
    namespace: gwinfra
    sectionName: http
  hostnames:
  - shop.example.com
  rules:
  - name: api
    matches:
    - path:
        type: PathPrefix
        value: /api
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: x-env
          value: prod
    backendRefs:
    - name: catalog
      port: 8080
      weight: 3
    - name: catalog-v2
      port: 8080
  - name: api-v1
    matches:
    - path:
        type: PathPrefix
        value: /api/v1
    backendRefs:
    - name: catalog-v2
      port: 8080
`;

const VS_FILE = 'gateway-api-convert.yaml';
const VS = `apiVersion: v1
kind: Service
metadata:
  name: orders
  namespace: gwshop
spec:
  selector: {app: orders}
  ports:
  - name: http
    port: 9090
---
# orders routing
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: orders
  namespace: gwshop
spec:
  hosts:
  - orders
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    route:
    - destination:
        host: orders
    timeout: 2s
  - route:
    - destination:
        host: orders
`;

/** The 1-based line of the first line of `text` that holds `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const node = (view: FrameLocator, id: string) => view.locator(`[data-node="${id}"]`);

describe('Gateway API routes in the preview and the conversion', () => {
  const session = useWorkbench({ files: { [ROUTE_FILE]: ROUTE, [VS_FILE]: VS } });
  let wb: Workbench;
  beforeEach(async () => {
    wb = session.wb;
    await wb.page.setViewportSize({ width: 1920, height: 1000 });
  });

  it('previews an HTTPRoute and simulates a request with the Gateway API precedence', { timeout: 300_000 }, async () => {
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.openFile(ROUTE_FILE);
    // The CodeLens stands above the HTTPRoute too.
    await wb.editor.locator('.codelens-decoration', { hasText: 'Preview traffic' }).first().waitFor();
    await wb.goTo(lineOf(ROUTE, 'name: api-v1'), 5);
    await wb.runCommand('Istio: Preview Traffic');
    const view = wb.webview();
    await view.locator('header h2', { hasText: 'HTTPRoute catalog' }).waitFor();
    await node(view, 'gateway:Gateway gwinfra/web · http').filter({ hasText: 'listener http · HTTP :80 · *.example.com' }).waitFor();
    await node(view, 'route:rule-0').filter({ hasText: 'when path prefix /api' }).waitFor();
    await node(view, 'route:rule-0').filter({ hasText: 'request headers: set x-env: prod' }).waitFor();
    await node(view, 'route:rule-1').filter({ hasText: 'when path prefix /api/v1' }).waitFor();
    // Weight 3 and the default 1: three quarters and one quarter of the rule.
    await node(view, 'route:rule-0/dest-0').filter({ hasText: '75% of the route · weight 3' }).waitFor();
    await node(view, 'route:rule-0/dest-1').filter({ hasText: '25% of the route · weight 1' }).waitFor();
    // The simulator starts on the route's host, through its Gateway.
    expect(await view.locator('input[name="authority"]').inputValue()).toBe('shop.example.com');
    expect(await view.locator('input[name="gateway"]').inputValue()).toBe('gwinfra/web');

    // /api/v1/items: both rules match; the longer prefix wins though it is written second.
    await view.locator('input[name="path"]').fill('/api/v1/items');
    await view.locator('#simulator button[type="submit"]').click();
    await view.locator('[data-node="route:rule-1"].hit').waitFor();
    await view.locator('#simulation-summary', { hasText: 'Rule 2 (api-v1) takes the request' }).waitFor();
    await node(view, 'route:rule-0').filter({ hasText: 'less specific: prefix /api is shorter than /api/v1' }).waitFor();
    expect(await view.locator('[data-node="route:rule-0"].hit').count()).toBe(0);
    await wb.screenshot('gatewayapi-preview-1-simulated');

    // A host no hostname of the route matches lands nowhere, and the preview says so.
    await view.locator('input[name="authority"]').fill('admin.example.com');
    await view.locator('#simulator button[type="submit"]').click();
    await view.locator('#simulation-summary', { hasText: 'Host admin.example.com matches none of the hostnames (shop.example.com)' }).waitFor();
    expect(await view.locator('[data-node^="route:"].hit').count()).toBe(0);
    await wb.screenshot('gatewayapi-preview-2-no-host');
  });

  it('converts a VirtualService to an HTTPRoute, and the saved file holds it', { timeout: 300_000 }, async () => {
    await wb.runCommand('View: Focus First Editor Group');
    await wb.openFile(VS_FILE);
    await wb.goTo(lineOf(VS, 'kind: VirtualService'), 3);
    const convert = await wb.codeActionRow('Convert to HTTPRoute');
    expect(await convert.innerText()).toContain('Convert to HTTPRoute (parent Service orders; replaces the VirtualService)');
    await wb.screenshot('gatewayapi-convert-1-menu');
    await convert.click();
    await expect.poll(() => wb.editorText(VS_FILE)).toMatch(/kind: HTTPRoute/);
    await wb.save();
    const saved = readFileSync(join(session.workspace, VS_FILE), 'utf8');
    expect(saved).toContain('kind: HTTPRoute');
    expect(saved).not.toContain('kind: VirtualService');
    expect(saved).toMatch(/parentRefs:\n {2}- group: ""\n {4}kind: Service\n {4}name: orders/);
    expect(saved).toMatch(/headers:\n\s+- name: end-user\n\s+value: jason/);
    expect(saved).toContain('# orders routing');
    // The Service before it is byte-identical.
    expect(saved.startsWith(VS.slice(0, VS.indexOf('---\n') + 4))).toBe(true);
    await wb.screenshot('gatewayapi-convert-2-saved');
  });
});
