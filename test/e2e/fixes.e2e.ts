// Diagnostics messages, quick fixes and hover on values, as a user meets them in VS Code: a
// subset's hover names its DestinationRule and workloads, "Remove the quotes" clears a quoted
// number's error, "Create a ServiceEntry" defines a host nothing defined, and a mis-indented
// `mirror` says where it belongs and is moved there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

const FILE = 'e2e/fixes/shop.yaml';
/** Written into this workbench only (an error at rest would change other e2e files' Problems). */
const MISPLACED = 'misplaced-mirror.yaml';
const MISPLACED_TEXT = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: misplaced
spec:
  selector: {app: web}
  ports:
  - port: 80
    name: http
---
# The mirror below is indented as if it were a field of the destination.
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: misplaced
spec:
  hosts: [web]
  http:
  - route:
    - destination:
        host: web
        mirror:
          host: web
`;

describe('messages, quick fixes and hover on values', () => {
  const session = useWorkbench({ files: { [MISPLACED]: MISPLACED_TEXT } });
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

  it('says where a misplaced field belongs and moves it there', async () => {
    await wb.filterProblems(MISPLACED);
    const problem = wb.page.locator('.markers-panel .monaco-list-row', { hasText: '`mirror` is a field of the HTTP route (spec.http[0]), two levels up' }).first();
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/Unknown field 'mirror'[\s\S]*\[Ln 24, Col 9\]/);
    await wb.openFile(MISPLACED);
    await wb.goTo(24, 10);
    const fix = await wb.codeActionRow("Move 'mirror' to the HTTP route (spec.http[0])");
    await wb.screenshot('fixes-4-move-field-menu');
    await fix.click();
    await wb.editor.locator('.squiggly-error').first().waitFor({ state: 'detached' });
    await problem.waitFor({ state: 'detached' });
    await wb.save();
    const text = readFileSync(join(session.workspace, MISPLACED), 'utf8');
    const [head] = MISPLACED_TEXT.split('  - route:\n');
    // Everything before the route stays byte-identical (the comment too); the mirror is the route's now.
    expect(text.startsWith(`${head}  - route:\n`)).toBe(true);
    const docs = text.split('---\n');
    const vs = parseDocument(docs[1]);
    expect(vs.errors).toEqual([]);
    expect(vs.toJS().spec.http).toEqual([{ route: [{ destination: { host: 'web' } }], mirror: { host: 'web' } }]);
    await wb.screenshot('fixes-4-moved');
  });
});
