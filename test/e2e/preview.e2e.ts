// The traffic preview as a user meets it in a real VS Code: a picture of the VirtualService under
// the cursor (gateways → routes → destinations → subsets → workloads), that follows edits, shows
// the checker's problems on its nodes, simulates a request, edits a weight, and comes back after
// a window reload. Screenshots in the light, dark and high-contrast themes.
import { beforeEach, describe, expect, it } from 'vitest';
import type { FrameLocator } from 'playwright-core';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

// Written into this file's workspace only, so the other e2e files' Problems counts stay as they are.
const PROBLEMS = `# A VirtualService with what the checker finds wrong in it.
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: storefront
  namespace: preview
spec:
  hosts:
  - storefront
  http:
  - name: beta
    match:
    - uri:
        prefix: /beta
    route:
    - destination:
        host: storefront
        subset: v3
    timeout: 5x
  - name: main
    route:
    - destination:
        host: storefront
        subset: v1
      weight: 100
    - destination:
        host: storefront
        subset: v2
      weight: 0
    mirror:
      host: shadow
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: storefront
  namespace: preview
spec:
  host: storefront
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
---
apiVersion: v1
kind: Service
metadata:
  name: storefront
  namespace: preview
spec:
  selector:
    app: storefront
  ports:
  - name: http
    port: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront-v1
  namespace: preview
spec:
  selector:
    matchLabels: {app: storefront, version: v1}
  template:
    metadata:
      labels: {app: storefront, version: v1}
    spec:
      containers:
      - name: app
        image: storefront:1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront-v2
  namespace: preview
spec:
  selector:
    matchLabels: {app: storefront, version: v2}
  template:
    metadata:
      labels: {app: storefront, version: v2}
    spec:
      containers:
      - name: app
        image: storefront:2
`;

const THEMES = ['Light Modern', 'Dark High Contrast', 'Dark Modern'];

async function screenshotThemes(wb: Workbench, name: string): Promise<void> {
  for (const theme of THEMES) {
    await wb.setColorTheme(theme);
    await wb.screenshot(`${name}-${theme.toLowerCase().replace(/ /g, '-')}`);
  }
}

const node = (view: FrameLocator, id: string) => view.locator(`[data-node="${id}"]`);
const edgeLabel = (view: FrameLocator, from: string, to: string) => view.locator(`[data-edge-label="${from}->${to}"] .percent`);

describe('Traffic preview', () => {
  const session = useWorkbench({ files: { 'preview-problems.yaml': PROBLEMS } });
  let wb: Workbench;
  beforeEach(async () => {
    wb = session.wb;
    // Room for the picture beside the editor: a wide window without the side bar, as a user would make it.
    await wb.page.setViewportSize({ width: 1920, height: 1000 });
  });

  // Long scenarios (three theme switches each): minutes on a loaded machine.
  it('draws the traffic split, follows edits, simulates a request and edits a weight', { timeout: 300_000 }, async () => {
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.openFile('reviews-virtualservice.yaml');
    // The editor-title button shows on files with Istio resources; the CodeLens opens the preview.
    await wb.page.locator('.editor-actions .action-item a[aria-label*="Preview Traffic"]').first().waitFor();
    await wb.editor.locator('.codelens-decoration', { hasText: 'Preview traffic' }).first().waitFor();
    await wb.goTo(7, 1);
    await wb.runCommand('Show CodeLens Commands for Current Line');
    const lens = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Preview traffic' }).first();
    await lens.waitFor();
    await lens.click();
    const view = wb.webview();
    // The picture: mesh → the two routes in order → destinations (90/10) → subsets → workloads.
    await node(view, 'route:http-1').filter({ hasText: 'canary-split' }).waitFor();
    await node(view, 'route:http-0').filter({ hasText: 'when header x-shop-canary = true' }).waitFor();
    await node(view, 'gateway:mesh').waitFor();
    await edgeLabel(view, 'route:http-1', 'route:http-1/dest-0').filter({ hasText: '90%' }).waitFor();
    await edgeLabel(view, 'route:http-1', 'route:http-1/dest-1').filter({ hasText: '10%' }).waitFor();
    await node(view, 'subset:reviews|v1').filter({ hasText: 'version=v1' }).waitFor();
    await node(view, 'workload:reviews-v2').waitFor();
    await node(view, 'route:http-1').filter({ hasText: 'timeout 5s' }).waitFor();
    // The 90% edge is drawn wider than the 10% one.
    const width = (to: string) => view.locator(`[data-edge="route:http-1->${to}"] path`).getAttribute('stroke-width');
    expect(Number(await width('route:http-1/dest-0'))).toBeGreaterThan(Number(await width('route:http-1/dest-1')));
    await wb.screenshot('preview-1-picture');
    await screenshotThemes(wb, 'preview-1-picture');

    // An edit in the editor shows in the preview.
    await wb.goTo(29, 15);
    await wb.page.keyboard.press('Shift+End');
    await wb.page.keyboard.type('70');
    await node(view, 'route:http-1/dest-0').filter({ hasText: 'weight 70' }).waitFor();
    await edgeLabel(view, 'route:http-1', 'route:http-1/dest-0').filter({ hasText: '88%' }).waitFor();

    // The simulator highlights the path the request takes: route, edges, destination, subset, workloads.
    await view.locator('textarea[name="headers"]').fill('x-shop-canary: true');
    await view.locator('#simulator button[type="submit"]').click();
    await view.locator('[data-node="route:http-0"].hit').waitFor();
    await view.locator('[data-node="route:http-0/dest-0"].hit').waitFor();
    await view.locator('[data-node="subset:reviews|v2"].hit').waitFor();
    await view.locator('[data-node="workload:reviews-v2"].hit').waitFor();
    // (Attached, not visible: a level edge's box has no height, which Playwright calls hidden.)
    await view.locator('[data-edge="route:http-0->route:http-0/dest-0"].hit').waitFor({ state: 'attached' });
    expect(await view.locator('[data-node="route:http-1"].hit').count()).toBe(0);
    expect(await view.locator('[data-node="workload:reviews-v1"].hit').count()).toBe(0);
    await wb.screenshot('preview-2-simulator');
    await view.locator('textarea[name="headers"]').fill('');
    await view.locator('#simulator button[type="submit"]').click();
    await view.locator('[data-node="route:http-1"].hit').waitFor();

    // A weight field cleared (or holding no number) is marked invalid and changes nothing: the
    // simulator's round trip after it shows that no edit was sent before it.
    const unchanged = /subset: v1\s+weight: 70\s[\s\S]*subset: v2\s+weight: 10\s/;
    expect(await wb.editorText('reviews-virtualservice.yaml')).toMatch(unchanged);
    const second = node(view, 'route:http-1/dest-1').locator('input[data-set-weight]');
    await second.fill('');
    await second.press('Tab');
    await node(view, 'route:http-1/dest-1').locator('input[data-set-weight][aria-invalid="true"]').waitFor();
    await wb.screenshot('preview-3-weight-invalid');
    await view.locator('#simulator button[type="submit"]').click();
    await view.locator('[data-node="route:http-1"].hit').waitFor();
    // (The weights as they were; the visible lines may scroll, so the weights are compared, not the screen.)
    expect(await wb.editorText('reviews-virtualservice.yaml')).toMatch(unchanged);

    // Changing a weight in the preview rewrites the YAML, keeping the total at 100.
    const weight = node(view, 'route:http-1/dest-0').locator('input[data-set-weight]');
    await weight.fill('50');
    await weight.press('Tab');
    await expect.poll(() => wb.editorText('reviews-virtualservice.yaml')).toMatch(/subset: v1\s+weight: 50[\s\S]*subset: v2\s+weight: 50/);
    await edgeLabel(view, 'route:http-1', 'route:http-1/dest-1').filter({ hasText: '50%' }).waitFor();
    await wb.screenshot('preview-3-weight-edit');
  });

  it("marks the checker's problems on the picture", { timeout: 300_000 }, async () => {
    // Opened in the editor's group, beside the preview (not over it).
    await wb.runCommand('View: Focus First Editor Group');
    await wb.openFile('preview-problems.yaml');
    await wb.goTo(11, 5);
    const view = wb.webview();
    await node(view, 'route:http-0').filter({ hasText: 'beta' }).waitFor();
    // A subset no workload carries: the DestinationRule's KIA0203, on the subset node.
    const v3 = view.locator('[data-node="subset:storefront|v3"].problem-warning');
    await v3.filter({ hasText: 'KIA0203' }).waitFor();
    expect(await v3.locator('title').textContent()).toMatch(/KIA0203: No workload in namespace preview has the labels of subset 'v3'/);
    // A mirror to nothing, an invalid timeout: the VirtualService's IST0101 and IST0106.
    await view.locator('[data-node="route:http-1/mirror-0"].problem-error', { hasText: 'IST0101' }).waitFor();
    await view.locator('[data-node="route:http-0"].problem-error', { hasText: 'IST0106' }).waitFor();
    // A weight of 0: the edge is drawn as carrying nothing.
    await view.locator('[data-edge="route:http-1->route:http-1/dest-1"].zero').waitFor({ state: 'attached' });
    await edgeLabel(view, 'route:http-1', 'route:http-1/dest-1').filter({ hasText: '0%' }).waitFor();
    // The list under the picture names each problem.
    await view.locator('ul.problems li', { hasText: 'IST0106' }).waitFor();
    await wb.screenshot('preview-4-problems');
    await screenshotThemes(wb, 'preview-4-problems');
    // Clicking a node shows its line in the editor: the mirror is written at line 31.
    await node(view, 'route:http-1/mirror-0').click();
    await wb.page
      .locator('.statusbar-item', { hasText: /Ln 31, Col/ })
      .first()
      .waitFor();
  });

  // A reloaded window starts its extension host again, which takes long on a loaded machine.
  it('comes back after a window reload, showing the same VirtualService', { timeout: 300_000 }, async () => {
    await wb.reload();
    const view = wb.webview();
    await view.locator('header h2', { hasText: 'VirtualService storefront' }).waitFor({ timeout: 180_000 });
    await node(view, 'route:http-1').filter({ hasText: 'main' }).waitFor();
    // Live, not only the saved picture: the server answers the simulator for the restored VirtualService.
    await view.locator('input[name="path"]').fill('/beta/cart');
    await view.locator('#simulator button[type="submit"]').click();
    await view.locator('[data-node="route:http-0"].hit').waitFor();
    await view.locator('[data-node="subset:storefront|v3"].problem-warning').waitFor();
    await wb.screenshot('preview-5-after-reload');
  });
});
