// Diagnostics messages, quick fixes and hover on values, as a user meets them in VS Code: a
// subset's hover names its DestinationRule and workloads, "Remove the quotes" clears a quoted
// number's error, and "Create a ServiceEntry" defines a host nothing defined.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

const FILE = 'e2e/fixes/shop.yaml';

describe('messages, quick fixes and hover on values', () => {
  const session = useWorkbench();
  let wb: Workbench;
  beforeEach(() => {
    wb = session.wb;
  });

  /** Replaces the rest of a line, from a 1-based column, with `text`. */
  async function retype(line: number, column: number, text: string): Promise<void> {
    await wb.goTo(line, column);
    await wb.page.keyboard.press('Shift+End');
    await wb.page.keyboard.type(text);
  }

  it('hovers a subset value: its DestinationRule and the workloads carrying its labels', async () => {
    await wb.openFile(FILE);
    await wb.goTo(53, 18);
    await wb.runCommand('Show or Focus Hover');
    const hover = wb.page.locator('.monaco-hover', { hasText: 'Subset v1 of DestinationRule cart' });
    await hover.first().waitFor();
    await expect.poll(() => hover.first().innerText()).toMatch(/Deployment cart-v1 \(namespace fixes\)/);
    await wb.screenshot('fixes-1-subset-hover');
    await wb.page.keyboard.press('Escape');
  });

  it('"Remove the quotes" on a quoted number clears the error', async () => {
    // VS Code closes the quote itself.
    await retype(49, 17, '"3');
    await expect.poll(() => wb.editorText()).toContain('attempts: "3"\n');
    await wb.editor.locator('.squiggly-error').first().waitFor();
    await wb.filterProblems('shop.yaml');
    await wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'Remove the quotes to write the number 3' }).first().waitFor();
    await wb.screenshot('fixes-2-problems');
    await wb.goTo(49, 18);
    const fix = await wb.codeActionRow('Remove the quotes');
    await wb.screenshot('fixes-2-remove-quotes-menu');
    await fix.click();
    await wb.editor.locator('.squiggly-error').first().waitFor({ state: 'detached' });
    await wb.save();
    expect(readFileSync(join(session.workspace, FILE), 'utf8')).toContain('      attempts: 3\n');
  });

  it('"Create a ServiceEntry" for an unknown host defines it', async () => {
    await retype(52, 15, 'payments');
    const hostError = wb.page.locator('.markers-panel .monaco-list-row', { hasText: "Host 'payments'" }).first();
    await hostError.waitFor();
    await wb.goTo(52, 16);
    const fix = await wb.codeActionRow('Create a ServiceEntry for payments.fixes.svc.cluster.local');
    await wb.screenshot('fixes-3-create-service-entry-menu');
    await fix.click();
    // The host is defined now; the subset v1 it has no DestinationRule for stays reported.
    await hostError.waitFor({ state: 'detached' });
    await wb.save();
    const text = readFileSync(join(session.workspace, FILE), 'utf8');
    expect(text).toContain('kind: ServiceEntry\nmetadata:\n  name: payments\n  namespace: fixes\nspec:\n  hosts:\n  - payments.fixes.svc.cluster.local\n  ports:\n  - number: 8080\n');
    await wb.screenshot('fixes-3-after');
  });
});
