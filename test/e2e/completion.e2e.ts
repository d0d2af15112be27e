// Completion and snippets as a user meets them in the real editor: a VirtualService typed from an
// empty file by completion only (VS Code re-indents what it inserts; the lists of closed sets open
// by themselves), a whole-document snippet below an existing document, a fragment snippet where
// it fits. Each scenario waits on the screen and leaves screenshots (test-results/e2e/completion-*).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

const TYPED = 'completion-typed.yaml';
const AFTER = 'completion-after-document.yaml';
const ROUTE = 'completion-route.yaml';

/** A Service of its own for each file, so the resources written here conflict with nothing of samples/. */
const service = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: shop
spec:
  selector:
    app: ${name}
  ports:
  - name: http
    port: 9080
`;

describe('completion and snippets in VS Code', () => {
  const session = useWorkbench({
    files: {
      [TYPED]: '',
      [AFTER]: service('catalog'),
      [ROUTE]: `${service('inventory')}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: inventory
  namespace: shop
spec:
  hosts:
  - inventory
  http:
  - route:
    - destination:
        host: inventory
`,
    },
    // No list opens while typing (quick suggestions off): a list that opens shows the server asked for it
    // (the item's triggerSuggest command), and the keys pressed here are all the user pressed.
    settings: { 'files.insertFinalNewline': true, 'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' } },
  });
  let wb: Workbench;
  beforeEach(() => {
    wb = session.wb;
  });

  /** The suggest widget's row whose label is exactly `label`. */
  const row = (label: string): Locator =>
    wb.page
      .locator('.suggest-widget .monaco-list-row')
      .filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) })
      .first();

  /** Accepts `label` from the list that is open (clicked: Enter would accept whichever row has the focus). */
  const pick = async (label: string) => {
    await row(label).waitFor();
    await row(label).click();
  };

  /** Opens the list with Ctrl+Space and accepts `label`, narrowing a long list by its first letters as a user would. */
  const ask = async (label: string) => {
    await wb.page.keyboard.press('Control+Space');
    await wb.page.locator('.suggest-widget .monaco-list-row').first().waitFor();
    if (!(await row(label).isVisible())) await wb.page.keyboard.type(label.slice(0, 3));
    await pick(label);
  };

  const problemRows = (file: string) => wb.page.locator('.markers-panel .monaco-list-row', { hasText: file });

  it('types a VirtualService from an empty file by completion only', async () => {
    await wb.filterProblems(TYPED);
    await wb.openFile(TYPED);
    await ask('apiVersion');
    // The values of apiVersion open by themselves.
    await row('networking.istio.io/v1').waitFor();
    await wb.screenshot('completion-1-apiversion-values');
    await pick('networking.istio.io/v1');
    await wb.page.keyboard.press('Enter');
    await ask('kind');
    await row('VirtualService').waitFor();
    await wb.screenshot('completion-1-kind-values');
    await pick('VirtualService');
    await wb.page.keyboard.press('Enter');
    await ask('metadata');
    await wb.page.keyboard.type('frontend');
    await wb.page.keyboard.press('Enter');
    await ask('namespace');
    await pick('shop');
    await wb.page.keyboard.press('Enter');
    // Back to column 0 for spec (Enter kept the indentation of metadata's keys).
    await wb.page.keyboard.press('Shift+Home');
    await wb.page.keyboard.press('Backspace');
    await ask('spec');
    await ask('hosts');
    // Hosts come from the workspace: the Services of the namespace by their short names.
    await row('frontend').waitFor();
    await expect.poll(() => wb.page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts()).toEqual(expect.arrayContaining(['frontend', 'reviews', 'ratings', 'payments']));
    await wb.screenshot('completion-1-hosts-from-workspace');
    await pick('frontend');
    await wb.page.keyboard.press('Enter');
    await ask('http');
    // On the `  - ` line: route, with its destination and host, indented by the key after the dash.
    await ask('route');
    await row('frontend').waitFor();
    await wb.screenshot('completion-1-route-host-values');
    // The empty host is an error until it is picked (the Problems panel shows this file's entries).
    await problemRows(TYPED).first().waitFor();
    await pick('frontend');
    await problemRows(TYPED).first().waitFor({ state: 'detached' });
    await wb.page.keyboard.press('Enter');
    await ask('subset');
    await row('v1').waitFor();
    await wb.screenshot('completion-1-subset-values');
    await pick('v1');
    await wb.save();
    expect(readFileSync(join(session.workspace, TYPED), 'utf8')).toBe(
      [
        'apiVersion: networking.istio.io/v1',
        'kind: VirtualService',
        'metadata:',
        '  name: frontend',
        '  namespace: shop',
        'spec:',
        '  hosts:',
        '  - frontend',
        '  http:',
        '  - route:',
        '    - destination:',
        '        host: frontend',
        '        subset: v1',
        '',
      ].join('\n'),
    );
    await expect.poll(() => wb.editor.locator('.squiggly-error, .squiggly-warning, .squiggly-info').count()).toBe(0);
    await expect.poll(() => problemRows(TYPED).count()).toBe(0);
    await wb.screenshot('completion-1-typed-and-saved');
  });

  it('inserts the --- separator itself for a whole-document snippet typed below a document', async () => {
    await wb.filterProblems(AFTER);
    await wb.openFile(AFTER);
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type('istio-vs');
    await wb.page.keyboard.press('Control+Space');
    await row('istio-vs').waitFor();
    await wb.screenshot('completion-2-document-snippet-offered');
    await pick('istio-vs');
    // The placeholders: the name (mirrored into the hosts), then the namespace; the port stays 9080.
    await wb.page.keyboard.type('catalog');
    await wb.page.keyboard.press('Tab');
    await wb.page.keyboard.type('shop');
    await wb.page.keyboard.press('Escape');
    await wb.save();
    const text = readFileSync(join(session.workspace, AFTER), 'utf8');
    expect(text.startsWith(service('catalog') + '---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: catalog\n  namespace: shop\n')).toBe(true);
    const documents = parseAllDocuments(text);
    expect(documents.map((d) => d.errors)).toEqual([[], []]);
    expect(documents.map((d) => (d.toJS() as { kind: string }).kind)).toEqual(['Service', 'VirtualService']);
    await expect.poll(() => wb.editor.locator('.squiggly-error, .squiggly-warning, .squiggly-info').count()).toBe(0);
    await expect.poll(() => problemRows(AFTER).count()).toBe(0);
    await wb.screenshot('completion-2-document-snippet-inserted');
  });

  it('offers a fragment snippet inside an HTTP route, not at the start of an empty document', async () => {
    await wb.openFile('scratch.yaml');
    await wb.page.keyboard.type('istio-');
    await wb.page.keyboard.press('Control+Space');
    // The whole-document snippets, from the server, at the start of the empty document...
    await row('istio-authz').waitFor();
    await wb.screenshot('completion-3-document-snippets-at-start');
    // ...and no fault fragment among them: the list for `istio-fault` is empty.
    await wb.page.keyboard.type('fault');
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+Space');
    await wb.page.locator('.suggest-widget .message', { hasText: 'No suggestions' }).waitFor();
    expect(await row('istio-fault-delay').count()).toBe(0);
    await wb.screenshot('completion-3-no-fragment-at-document-start');
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Shift+Home');
    await wb.page.keyboard.press('Backspace');

    await wb.filterProblems(ROUTE);
    await wb.openFile(ROUTE);
    // A new key of the route, below its destination (line 24 is `        host: inventory`).
    await wb.goTo(24, 24);
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('Shift+Home');
    await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.type('    istio-fault');
    await wb.page.keyboard.press('Control+Space');
    await row('istio-fault-delay').waitFor();
    await wb.screenshot('completion-3-fragment-in-route');
    await pick('istio-fault-delay');
    await wb.page.keyboard.press('Escape');
    await wb.save();
    expect(readFileSync(join(session.workspace, ROUTE), 'utf8')).toContain(
      '  - route:\n    - destination:\n        host: inventory\n    fault:\n      delay:\n        percentage:\n          value: 10.0\n        fixedDelay: 5s\n',
    );
    await expect.poll(() => wb.editor.locator('.squiggly-error, .squiggly-warning').count()).toBe(0);
    await expect.poll(() => problemRows(ROUTE).count()).toBe(0);
    await wb.screenshot('completion-3-fragment-inserted');
  });
});
