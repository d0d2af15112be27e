// Gateway API and ambient authoring as a user meets it in the real editor, checked where the user
// sees it (the saved file, squiggles, Problems), after VS Code has applied what the server sent:
// an HTTPRoute rule converted to a canary from Ctrl+. with its quick inputs in a 4-space file; a
// Namespace whose use-waypoint label names a waypoint its namespace lacks (KIA1313) fixed by
// "Create waypoint"; the workspace's Gateway offered for a parentRef's name, then its listeners by themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

/** The workloads the canary chooses from: a Service and a Deployment (its pods) for each version. */
const APPS = 'ambient-apps.yaml';
const version = (v: string) => `---
apiVersion: v1
kind: Service
metadata:
  name: reviews-${v}
  namespace: ambient-store
spec:
  selector:
    app: reviews
    version: ${v}
  ports:
  - name: http
    port: 9080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-${v}
  namespace: ambient-store
spec:
  selector:
    matchLabels:
      app: reviews
      version: ${v}
  template:
    metadata:
      labels:
        app: reviews
        version: ${v}
    spec:
      containers:
      - name: reviews
        image: docker.io/istio/examples-bookinfo-reviews-${v}:1.20.3
        ports:
        - containerPort: 9080
`;
const APPS_TEXT = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: storefront
  namespace: ambient-store
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    protocol: HTTP
    port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: ratings
  namespace: ambient-store
spec:
  selector:
    app: ratings
  ports:
  - name: http
    port: 9080
${version('v1')}${version('v2')}`;

/** Indented by 4 spaces, as some teams write it: the canary's new lines must follow that. */
const ROUTE = 'ambient-reviews-route.yaml';
const ROUTE_TEXT = `# Reviews traffic from the storefront Gateway.
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
    name: reviews
    namespace: ambient-store
spec:
    parentRefs:
        - name: storefront
    rules:
        - matches:
              - path:
                    type: PathPrefix
                    value: /reviews
          backendRefs:
              - name: reviews-v1 # stable
                port: 9080
# end of the route
`;

/** An ambient namespace that names a waypoint it does not have, while it has another Gateway (so KIA1313 is an error). */
const NAMESPACE = 'ambient-payments.yaml';
const NAMESPACE_TEXT = `# Payments runs in ambient mode; its traffic should go through a waypoint.
apiVersion: v1
kind: Namespace
metadata:
  name: ambient-payments
  labels:
    istio.io/dataplane-mode: ambient
    istio.io/use-waypoint: waypoint
---
# The namespace's ingress, not a waypoint.
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: payments-ingress
  namespace: ambient-payments
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    protocol: HTTP
    port: 80
`;

/** A route without parents yet, to which the user adds its Gateway by completion. */
const TYPED = 'ambient-ratings-route.yaml';
const TYPED_TEXT = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ratings
  namespace: ambient-store
spec:
  rules:
  - backendRefs:
    - name: ratings
      port: 9080
`;

/** The 1-based line of the first line of `text` that contains `fragment`. */
function lineOf(text: string, fragment: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(fragment));
  if (index < 0) throw new Error(`no line with '${fragment}'`);
  return index + 1;
}

describe('Gateway API and ambient authoring in VS Code', () => {
  const session = useWorkbench({
    files: { [APPS]: APPS_TEXT, [ROUTE]: ROUTE_TEXT, [NAMESPACE]: NAMESPACE_TEXT, [TYPED]: TYPED_TEXT },
    // No list opens while typing: a list that shows is the one Ctrl+Space, or the accepted item's triggerSuggest, asked for.
    settings: { 'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' } },
  });
  let wb: Workbench;
  beforeEach(() => {
    wb = session.wb;
  });

  const saved = (file: string) => readFileSync(join(session.workspace, file), 'utf8');
  const squiggles = () => wb.editor.locator('.squiggly-error, .squiggly-warning, .squiggly-info');
  /** The Problems rows of a file (its own row and its problems' rows), once the panel is filtered by its name. */
  const problemRows = (file: string) => wb.page.locator('.markers-panel .monaco-list-row', { hasText: file });

  it('converts an HTTPRoute rule to a canary from Ctrl+. with the defaults of its quick inputs', async () => {
    await wb.filterProblems(ROUTE);
    await wb.openFile(ROUTE);
    // The server has read the file: the language status counts its resource.
    await wb.languageStatus(/· 1 resource/);
    // The workspace check is done, so no late diagnostics re-render the menu while it is clicked.
    await wb.languageStatus(/Workspace: \d+ problems? in/);
    await wb.page.mouse.move(0, 0);
    expect(await squiggles().count()).toBe(0);
    await wb.goTo(lineOf(ROUTE_TEXT, '- matches:'), 13);
    // Two questions, each with its default filled in: the other version's Service, then the percentage.
    const input = wb.page.locator('.quick-input-widget input');
    const question = wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Convert to canary (1/2)' });
    // A loaded workbench can drop the click when the menu re-renders under it (late symbols or an
    // automatic code-action answer): the menu closes and nothing runs. Then the user asks again.
    for (let attempt = 0; attempt < 3 && !(await question.isVisible()); attempt++) {
      const canary = await wb.codeActionRow('Convert to canary');
      expect(await canary.innerText()).toContain('Convert to canary: 90% reviews-v1 / 10% reviews-v2');
      if (attempt === 0) await wb.screenshot('ambient-1-canary-menu');
      await canary.click();
      await question.waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await question.waitFor();
    // Nothing is written before the questions are answered.
    expect(await wb.editorText()).not.toContain('weight');
    await expect.poll(() => input.inputValue()).toBe('reviews-v2');
    await wb.screenshot('ambient-1-canary-question');
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('10');
    await input.press('Enter');
    await expect.poll(() => wb.editorText()).toContain('weight: 10');
    await wb.save();
    expect(saved(ROUTE)).toBe(
      ROUTE_TEXT.replace(
        '                port: 9080\n',
        ['                port: 9080', '                weight: 90', '              - name: reviews-v2', '                port: 9080', '                weight: 10', ''].join('\n'),
      ),
    );
    await expect.poll(() => squiggles().count()).toBe(0);
    await expect.poll(() => problemRows(ROUTE).count()).toBe(0);
    await wb.screenshot('ambient-1-canary-applied');
  });

  it('reports KIA1313 on a use-waypoint label naming a missing waypoint and creates it with the quick fix', async () => {
    await wb.filterProblems(NAMESPACE);
    await wb.openFile(NAMESPACE);
    const labelLine = lineOf(NAMESPACE_TEXT, 'istio.io/use-waypoint');
    const valueColumn = NAMESPACE_TEXT.split('\n')[labelLine - 1].indexOf(': waypoint') + 3;
    await wb.editor.locator('.squiggly-error').first().waitFor();
    expect(await wb.squiggleLines('error')).toEqual([labelLine]);
    const problem = wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'KIA1313' }).first();
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(new RegExp(`Waypoint ambient-payments/waypoint is not in the workspace[\\s\\S]*KIA1313[\\s\\S]*\\[Ln ${labelLine}, Col ${valueColumn}\\]`));
    await wb.screenshot('ambient-2-kia1313-problems');
    await wb.goTo(labelLine, valueColumn + 1);
    const fix = await wb.codeActionRow('Create waypoint waypoint in namespace ambient-payments');
    await wb.screenshot('ambient-2-create-waypoint-menu');
    await fix.click();
    await problem.waitFor({ state: 'detached' });
    await wb.editor.locator('.squiggly-error').first().waitFor({ state: 'detached' });
    await wb.save();
    const waypoint = [
      '---',
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: Gateway',
      'metadata:',
      '  name: waypoint',
      '  namespace: ambient-payments',
      '  labels:',
      '    istio.io/waypoint-for: service',
      'spec:',
      '  gatewayClassName: istio-waypoint',
      '  listeners:',
      '  - name: mesh',
      '    port: 15008',
      '    protocol: HBONE',
      '',
    ].join('\n');
    // The waypoint is a document of its own right after the Namespace; every other byte is as it was.
    const [namespaceDoc, rest] = NAMESPACE_TEXT.split(/(?<=\n)(?=---\n)/);
    const text = saved(NAMESPACE);
    expect(text).toBe(namespaceDoc + waypoint + rest);
    const documents = parseAllDocuments(text);
    expect(documents.map((d) => d.errors)).toEqual([[], [], []]);
    expect(documents.map((d) => (d.toJS() as { kind: string }).kind)).toEqual(['Namespace', 'Gateway', 'Gateway']);
    await expect.poll(() => squiggles().count()).toBe(0);
    await expect.poll(() => problemRows(NAMESPACE).count()).toBe(0);
    await wb.screenshot('ambient-2-waypoint-created');
  });

  /** The suggest widget's row whose label is exactly `label`. */
  const suggestion = (label: string): Locator =>
    wb.page
      .locator('.suggest-widget .monaco-list-row')
      .filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) })
      .first();

  /** Where the status bar says the cursor is. */
  const cursor = () => wb.page.locator('[id="status.editor.selection"]').innerText();

  it("offers the workspace's Gateway for a parentRef's name, then its listeners by themselves, and writes the ones picked", async () => {
    await wb.filterProblems(TYPED);
    await wb.openFile(TYPED);
    const specLine = lineOf(TYPED_TEXT, 'spec:');
    await wb.goTo(specLine, 'spec:'.length + 1);
    // Enter keeps the line's indentation (this YAML has no indent-on-colon rule here): the user types the rest.
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('  parentRefs:');
    await wb.page.keyboard.press('Enter');
    await expect.poll(() => cursor()).toBe(`Ln ${specLine + 2}, Col 3`);
    await wb.page.keyboard.type('- name: ');
    await expect.poll(async () => (await wb.editorText()).split('\n').slice(specLine - 1, specLine + 2)).toEqual(['spec:', '  parentRefs:', '  - name: ']);
    await wb.page.keyboard.press('Control+Space');
    await suggestion('storefront').waitFor();
    // The Gateways of the route's namespace only (payments-ingress and the waypoint are elsewhere).
    expect(await wb.page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts()).toEqual(['storefront']);
    expect(await suggestion('storefront').innerText()).toContain('Gateway (ambient-store): http');
    await wb.screenshot('ambient-3-parent-gateway-suggested');
    await suggestion('storefront').click();
    await expect.poll(() => wb.editorText()).toContain('  - name: storefront\n');
    // A next key of the parentRef, at the column of `name` (Enter keeps the line's indentation, without the dash).
    await wb.page.keyboard.press('Enter');
    await expect.poll(() => cursor()).toMatch(new RegExp(`^Ln ${specLine + 3}, Col [1-5]$`));
    const column = Number(/Col (\d+)/.exec(await cursor())?.[1]);
    await wb.page.keyboard.type(' '.repeat(5 - column));
    await expect.poll(() => cursor()).toBe(`Ln ${specLine + 3}, Col 5`);
    await wb.page.keyboard.press('Control+Space');
    await suggestion('sectionName').waitFor();
    await suggestion('sectionName').click();
    // The list of the Gateway's listeners opens by itself (quick suggestions are off: the server's item asked for it).
    await suggestion('http').waitFor();
    expect(await suggestion('http').innerText()).toContain('listener of Gateway storefront');
    await wb.screenshot('ambient-3-listener-suggested');
    await suggestion('http').click();
    await wb.save();
    expect(saved(TYPED)).toBe(TYPED_TEXT.replace('spec:\n', 'spec:\n  parentRefs:\n  - name: storefront\n    sectionName: http\n'));
    await expect.poll(() => squiggles().count()).toBe(0);
    await expect.poll(() => problemRows(TYPED).count()).toBe(0);
    await wb.screenshot('ambient-3-parent-gateway-written');
  });
});
