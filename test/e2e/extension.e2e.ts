// The extension as a user meets it: a real VS Code workbench (code-server) with the packaged
// .vsix installed, on a copy of samples/ (and test/e2e/fixtures/ as e2e/), driven in Chromium. Each scenario waits on what the
// screen shows and saves a screenshot to test-results/e2e/. Other *.e2e.ts files hold other topics, each with its own workbench.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

describe('Istio Authoring in VS Code', () => {
  const session = useWorkbench();
  const workspace = session.workspace;
  let wb: Workbench;
  beforeEach(() => {
    wb = session.wb;
  });

  it('shows a broken subset as a squiggle and a Problems entry', async () => {
    await wb.openFile('mistakes/reviews-undefined-subset.yaml');
    await wb.editor.locator('.squiggly-error').first().waitFor();
    await wb.languageStatus(/Istio 1\.30 · 2 resources/);
    await wb.screenshot('1-language-status');
    await wb.page.keyboard.press('Control+Shift+M');
    await wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'IST0101' }).first().waitFor();
    await wb.screenshot('1-diagnostics');
  });

  it('completes the subsets of the host', async () => {
    await wb.goTo(37, 17);
    await wb.page.keyboard.press('Shift+End');
    await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.press('Control+Space');
    const suggestions = wb.page.locator('.suggest-widget .monaco-list-row');
    await suggestions.filter({ hasText: 'v2' }).first().waitFor();
    await expect.poll(() => suggestions.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/^v1/), expect.stringMatching(/^v2/)]));
    await wb.screenshot('2-completion');
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.type('v3');
    await wb.editor.locator('.squiggly-error').first().waitFor();
  });

  it('shows documentation on hover', async () => {
    await wb.goTo(11, 4);
    await wb.runCommand('Show or Focus Hover');
    const hover = wb.page.locator('.monaco-hover', { hasText: 'service registry' });
    await hover.first().waitFor();
    await wb.screenshot('3-hover');
    await wb.page.keyboard.press('Escape');
  });

  it('quick-fixes the missing subset and the error clears', async () => {
    await wb.goTo(37, 17);
    const fix = await wb.codeActionRow("Add subset 'v3'");
    await wb.screenshot('4-quick-fix-menu');
    await fix.click();
    await wb.editor.locator('.squiggly-error').first().waitFor({ state: 'detached' });
    // Problems lists the whole workspace (other files have IST0101 too): this file's entry is the one that goes.
    await wb.filterProblems('reviews-undefined-subset.yaml');
    await wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'IST0101' }).first().waitFor({ state: 'detached' });
    await wb.filterProblems('');
    // The DestinationRule above got the subset (only the lines on screen are in the DOM).
    await wb.goTo(19, 1);
    await expect.poll(() => wb.editorText()).toMatch(/- name: v3\s+labels:\s+version: v3/);
    await wb.screenshot('4-quick-fix-applied');
  });

  it('converts a route to a canary, asking the subset and the percentage', async () => {
    await wb.openFile('ratings-virtualservice.yaml');
    await wb.goTo(36, 9);
    const action = await wb.codeActionRow('Convert to canary');
    await action.click();
    const input = wb.page.locator('.quick-input-widget input');
    await expect.poll(() => input.inputValue()).toBe('v2');
    await wb.screenshot('7-canary-question');
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('10');
    await input.fill('25');
    await input.press('Enter');
    await expect.poll(() => wb.editorText()).toMatch(/subset: v1\s+weight: 75\s+- destination:\s+host: ratings\s+subset: v2\s+weight: 25/);
    // The new subset went into the DestinationRule in its own file, in the same undoable edit.
    await wb.openFile('destination-rules.yaml');
    await wb.goTo(72, 1);
    await expect.poll(() => wb.editorText()).toMatch(/- name: v2\s+labels:\s+version: v2/);
    await wb.screenshot('7-canary-applied');
  });

  /**
   * Scrolls `line` into view and waits for a squiggle of `severity` on it; of those on screen,
   * none may be on a line not in `all` (the lines that have one).
   */
  async function squiggleOn(line: number, severity: 'error' | 'warning', all: number[]): Promise<void> {
    await wb.goTo(line, 1);
    await expect.poll(async () => (await wb.squiggleLines(severity)).filter((l) => l === line || !all.includes(l))).toEqual([line]);
  }

  // Istio's annotations, on Kubernetes resources.

  it("hovers an Istio annotation with the registry's description and feature status", async () => {
    await wb.openFile('e2e/annotated-workloads.yaml');
    await wb.goTo(28, 10);
    await wb.runCommand('Show or Focus Hover');
    const service = wb.page.locator('.monaco-hover', { hasText: 'Specifies the namespaces to which this service should be exported' }).first();
    await service.waitFor();
    expect(await service.innerText()).toMatch(/networking\.istio\.io\/exportTo\s+Istio annotation · Alpha[\s\S]*Applies to: Service/);
    await wb.screenshot('8-annotation-hover');
    await wb.page.keyboard.press('Escape');
    // A deprecated one says so and names its replacement.
    await wb.goTo(42, 10);
    await wb.runCommand('Show or Focus Hover');
    const pod = wb.page.locator('.monaco-hover', { hasText: 'Specifies whether or not an Envoy sidecar should be automatically injected' }).first();
    await pod.waitFor();
    expect(await pod.innerText()).toMatch(/Istio annotation · Beta, deprecated[\s\S]*Use the sidecar\.istio\.io\/inject label instead/);
    await wb.screenshot('8-annotation-hover-deprecated');
    await wb.page.keyboard.press('Escape');
  });

  it('completes Istio annotation names with their description and writes the chosen key indented', async () => {
    const file = join(workspace, 'e2e', 'annotated-workloads.yaml');
    const before = readFileSync(file, 'utf8');
    // A new key under the pod template's annotations, on the line VS Code indents after Enter.
    await wb.goTo(16, 1);
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('sidecar.istio.io/');
    await wb.page.keyboard.press('Control+Space');
    const rows = wb.page.locator('.suggest-widget .monaco-list-row');
    const names = rows.locator('.label-name');
    await rows.filter({ hasText: 'sidecar.istio.io/agentLogLevel' }).first().waitFor();
    expect(await names.allInnerTexts()).toEqual(expect.arrayContaining(['sidecar.istio.io/agentLogLevel', 'sidecar.istio.io/componentLogLevel']));
    expect((await names.allInnerTexts()).filter((name) => !name.includes('sidecar.istio.io/'))).toEqual([]);
    await wb.screenshot('9-annotation-completion-list');
    await wb.page.keyboard.type('proxyCPU');
    await expect.poll(() => names.allInnerTexts()).toEqual(['sidecar.istio.io/proxyCPU', 'sidecar.istio.io/proxyCPULimit']);
    const focused = wb.page.locator('.suggest-widget .monaco-list-row.focused');
    await expect.poll(() => focused.locator('.label-name').innerText()).toBe('sidecar.istio.io/proxyCPU');
    const details = await wb.suggestDetails('Specifies the requested CPU setting for the Envoy sidecar.');
    expect(await details.innerText()).toMatch(/Istio annotation · Alpha[\s\S]*Applies to: Pod/);
    await wb.screenshot('9-annotation-completion');
    await wb.page.keyboard.press('Enter');
    // The snippet leaves the cursor between the quotes of the value.
    await wb.page.keyboard.type('500m');
    await wb.page.keyboard.press('Escape');
    // One whose values Istio knows: the snippet offers them as a choice.
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('sidecar.istio.io/interceptionMode');
    await wb.page.keyboard.press('Control+Space');
    await expect.poll(() => focused.locator('.label-name').innerText()).toBe('sidecar.istio.io/interceptionMode');
    await wb.page.keyboard.press('Enter');
    const choice = rows.filter({ hasText: 'TPROXY' }).first();
    await choice.waitFor();
    expect(await names.allInnerTexts()).toEqual(['REDIRECT', 'TPROXY', 'NONE']);
    await choice.click();
    await choice.waitFor({ state: 'hidden' });
    await wb.page.keyboard.press('Escape');
    await wb.save();
    const expected = before.replace(
      '        sidecar.istio.io/proxyMemory: 128Mi\n',
      '        sidecar.istio.io/proxyMemory: 128Mi\n        sidecar.istio.io/proxyCPU: "500m"\n        sidecar.istio.io/interceptionMode: TPROXY\n',
    );
    await expect.poll(() => readFileSync(file, 'utf8')).toBe(expected);
    await wb.screenshot('9-annotation-completion-applied');
  });

  it('marks a misplaced and an unknown annotation on their lines', async () => {
    await wb.openFile('e2e/annotation-mistakes.yaml');
    await squiggleOn(8, 'warning', [8, 28]);
    await squiggleOn(28, 'warning', [8, 28]);
    await wb.filterProblems('annotation-mistakes.yaml');
    const problems = wb.page.locator('.markers-panel .monaco-list-row');
    await problems
      .filter({ hasText: /IST0107[\s\S]*\[Ln 8, Col 5\]/ })
      .first()
      .waitFor();
    await problems
      .filter({ hasText: /IST0108[\s\S]*\[Ln 28, Col 5\]/ })
      .first()
      .waitFor();
    expect(await problems.filter({ hasText: 'IST0107' }).first().innerText()).toContain('sidecar.istio.io/proxyCPU can only be applied to Pod, not a Deployment');
    await wb.screenshot('10-annotation-diagnostics');
    await wb.filterProblems('');
  });

  it('checks the items of a kind: List and quick-fixes a missing subset inside one', async () => {
    const file = join(workspace, 'e2e', 'kubectl-get-list.yaml');
    const before = readFileSync(file, 'utf8');
    await wb.openFile('e2e/kubectl-get-list.yaml');
    await squiggleOn(30, 'error', [30]);
    await wb.filterProblems('kubectl-get-list.yaml');
    await wb.page
      .locator('.markers-panel .monaco-list-row', { hasText: /IST0101[\s\S]*\[Ln 30, Col 19\]/ })
      .first()
      .waitFor();
    await wb.screenshot('11-list-diagnostic');
    await wb.goTo(30, 19);
    const fix = await wb.codeActionRow("Add subset 'v2' to DestinationRule catalog");
    await wb.screenshot('11-list-quick-fix-menu');
    await fix.click();
    await wb.editor.locator('.squiggly-error').first().waitFor({ state: 'detached' });
    await wb.save();
    // The subset went into the DestinationRule item, at its subsets' indentation.
    const expected = before.replace('        version: v1\n      name: v1\n', '        version: v1\n      name: v1\n    - name: v2\n      labels:\n        version: v2\n');
    await expect.poll(() => readFileSync(file, 'utf8')).toBe(expected);
    const [doc] = parseAllDocuments(expected);
    expect(doc.errors).toEqual([]);
    expect(doc.toJS().items[0].spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ]);
    await wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'IST0101' }).first().waitFor({ state: 'detached' });
    await wb.goTo(9, 1);
    await wb.screenshot('11-list-quick-fix-applied');
    await wb.filterProblems('');
  });
});
