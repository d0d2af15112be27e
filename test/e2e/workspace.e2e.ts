// Workspace diagnostics as a user meets them: the Problems panel lists the errors of files never
// opened, the language status shows the background check and its result, and fixing a closed
// file on disk clears its entry. The workspace has a bulk of generated clean files, so the check
// takes long enough to be seen while it runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

const BULK_FILES = 2000;
/** A clean file of three resources that refer to each other, so each check has cross-file work. */
const bulkApp = (namespace: string) =>
  [
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n  namespace: ${namespace}\nspec:\n  selector:\n    app: app\n  ports:\n  - name: http\n    port: 80\n`,
    `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: app\n  namespace: ${namespace}\nspec:\n  host: app\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n`,
    `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: app\n  namespace: ${namespace}\nspec:\n  hosts:\n  - app\n  http:\n  - route:\n    - destination:\n        host: app\n        subset: v1\n`,
  ].join('---\n');
const peerAuthentication = (namespace: string, mode: string) =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: ${namespace}\nspec:\n  mtls:\n    mode: ${mode}\n`;

describe('workspace diagnostics in VS Code', () => {
  const session = useWorkbench();
  const workspace = session.workspace;
  let wb: Workbench;

  beforeAll(() => {
    // Written before any YAML file is opened, so before the extension starts and scans.
    writeFileSync(join(workspace, 'closed-broken.yaml'), peerAuthentication('closed-check', 'STRICTEST'));
    mkdirSync(join(workspace, 'bulk'));
    for (let i = 0; i < BULK_FILES; i++) writeFileSync(join(workspace, 'bulk', `app-${i}.yaml`), bulkApp(`bulk-${i}`));
  });
  beforeEach(() => {
    wb = session.wb;
  });

  /** Records, in the page, the texts the workspace item shows in the `{}` hover as they change (page script: the tests have no DOM types). */
  async function watchWorkspaceStatus(): Promise<() => Promise<string[]>> {
    await wb.page.evaluate(`(() => {
      const seen = (window.istioWorkspaceTexts = []);
      const record = () => {
        const shown = [...document.querySelectorAll('.hover-language-status'), document.getElementById('workbench.parts.statusbar')];
        for (const element of shown) {
          const text = element && /(Checking workspace \\d+\\/\\d+|Workspace: [^\\n]*|Checking Istio files[^\\n]*)/.exec(element.innerText)?.[1];
          if (text && seen.at(-1) !== text) seen.push(text);
        }
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    return () => wb.page.evaluate<string[]>('window.istioWorkspaceTexts');
  }

  it('shows the workspace check in the language status: the problems found, and its progress when a file changes', async () => {
    const texts = await watchWorkspaceStatus();
    await wb.openFile('scratch.yaml');
    const entry = wb.page.locator('[id="status.languageStatus"]');
    await entry.waitFor();
    await entry.hover();
    const hover = wb.page.locator('.hover-language-status');
    await hover
      .filter({ hasText: /Workspace: \d+ problems in \d+ files/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await wb.screenshot('workspace-1-done');
    // A file changed on disk: every closed file is checked again (its dependents may change), the hover showing the progress.
    const before = (await texts()).length;
    writeFileSync(join(workspace, 'bulk', 'app-0.yaml'), bulkApp('bulk-0'));
    // The pass shows as work-done progress in the status bar, and in the item. The page-side
    // recorder sees it even when the pass is over before a locator could look (an idle machine).
    await expect.poll(async () => (await texts()).slice(before).some((t) => t.startsWith('Checking')), { timeout: 60_000, interval: 200 }).toBe(true);
    await wb.screenshot('workspace-2-checking');
    await expect
      .poll(
        async () => {
          await wb.page.mouse.move(0, 0);
          await entry.hover();
          return (await texts()).slice(before).at(-1);
        },
        { timeout: 60_000, interval: 300 },
      )
      .toMatch(/^Workspace: \d+ problems in \d+ files$/);
    const totals = (await texts())
      .slice(before)
      .filter((t) => t.startsWith('Checking'))
      .map((t) => Number(/\/(\d+)/.exec(t)?.[1]));
    for (const total of totals) expect(total).toBeGreaterThan(BULK_FILES);
    expect(totals.length).toBeGreaterThan(0);
    const shown = await texts();
    console.log(`[workspace e2e] ${shown.length} texts shown, the last: ${shown.slice(-4).join(' | ')}`);
    await wb.page.mouse.move(0, 0);
  });

  it('lists the errors of files never opened in Problems', async () => {
    await wb.filterProblems('');
    const rows = wb.page.locator('.markers-panel .monaco-list-row');
    // samples/mistakes/payments-destination-rule.yaml is never opened in this workbench.
    await rows.filter({ hasText: 'payments-destination-rule.yaml' }).first().waitFor();
    await wb.filterProblems('closed-broken.yaml');
    await rows
      .filter({ hasText: /'STRICTEST' is not an allowed value/ })
      .first()
      .waitFor();
    expect(await wb.page.locator('.editor-group-container .tab', { hasText: 'closed-broken.yaml' }).count()).toBe(0);
    await wb.screenshot('workspace-3-closed-file-problem');
  });

  it('clears the entry when the closed file is fixed on disk', async () => {
    const rows = wb.page.locator('.markers-panel .monaco-list-row');
    writeFileSync(join(workspace, 'closed-broken.yaml'), peerAuthentication('closed-check', 'STRICT'));
    await rows.filter({ hasText: 'STRICTEST' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    await wb.filterProblems('');
    await rows.filter({ hasText: 'payments-destination-rule.yaml' }).first().waitFor();
    await wb.screenshot('workspace-4-fixed-on-disk');
  });
});
