// Refactorings as a user meets them (issue 12): the light bulb (VS Code's automatic code-action
// request) means "something to fix" and lists quick fixes only; Ctrl+. lists the refactorings too;
// a refactoring applied with its defaults adds no squiggle.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

describe('refactorings only when asked for', () => {
  const session = useWorkbench();
  let wb: Workbench;
  beforeEach(() => {
    wb = session.wb;
  });

  const bulb = () => wb.page.locator('.lightBulbWidget');
  const rows = () => wb.page.locator('.action-widget .monaco-list-row');
  const REFACTORINGS = /Convert to canary|Add retries|Add mirror|Add timeout|Inject fault/;

  /** Opens a file from the Explorer (Quick Open's file search can lag far behind on a loaded machine). */
  async function openFromExplorer(folder: string, name: string): Promise<void> {
    const explorer = wb.page.locator('.explorer-folders-view .monaco-list-row');
    if (!(await explorer.filter({ hasText: name }).isVisible())) await explorer.filter({ hasText: new RegExp(`^${folder}$`) }).click();
    await explorer.filter({ hasText: name }).click();
    await wb.page.locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor();
    await wb.editor.locator('.view-lines').waitFor();
  }

  async function rowTexts(): Promise<string[]> {
    await rows().first().waitFor();
    return rows().allInnerTexts();
  }

  it('on a problem, the light bulb shows the quick fix but no refactoring; Ctrl+. shows both', async () => {
    await openFromExplorer('mistakes', 'reviews-undefined-subset.yaml');
    await wb.editor.locator('.squiggly-error').first().waitFor();
    await wb.goTo(37, 17);
    // The automatic request's answer: a preferred quick fix, so the auto-fix bulb.
    await wb.page.locator('.lightBulbWidget.codicon-lightbulb-autofix').waitFor();
    await wb.screenshot('refactor-1-bulb');
    // Out of the way of the editor's hover, which would cover the bulb.
    await wb.page.mouse.move(1, 1);
    await bulb().hover();
    await bulb().click({ force: true });
    const fromBulb = await rowTexts();
    expect(fromBulb).toContain("Add subset 'v3' to DestinationRule reviews");
    expect(fromBulb.filter((t) => REFACTORINGS.test(t))).toEqual([]);
    await wb.screenshot('refactor-1-bulb-menu');
    await wb.page.keyboard.press('Escape');
    await rows().first().waitFor({ state: 'hidden' });
    await wb.codeActionRow('Add retries');
    const invoked = await rowTexts();
    expect(invoked).toContain("Add subset 'v3' to DestinationRule reviews");
    expect(invoked).toEqual(expect.arrayContaining([expect.stringMatching(/^Add retries/), expect.stringMatching(/^Add mirror to v2/)]));
    await wb.screenshot('refactor-1-ctrl-dot');
    await wb.page.keyboard.press('Escape');
  });

  it('on a clean route, no light bulb, while Ctrl+. lists the refactorings', async () => {
    await wb.goTo(31, 10);
    await wb.codeActionRow('Add retries');
    expect((await rowTexts()).filter((t) => t.startsWith('Add subset'))).toEqual([]);
    // The answer to Ctrl+. (Invoked) shows a bulb too; VS Code replaces it with the answer to its
    // next automatic request. Moving the cursor within the editor (no focus change) makes one: an
    // empty answer hides the bulb, one with actions would show it at the new line. So the bulb
    // going away is the automatic request's (empty) answer arriving.
    // The automatic request Go to Line's cursor move made may be answered after Ctrl+. (its timer
    // runs on): then its empty answer hides the bulb already. Ctrl+. again, with no cursor move
    // pending, leaves the bulb of its answer showing.
    await wb.page.keyboard.press('Escape');
    await rows().first().waitFor({ state: 'hidden' });
    for (let i = 0; i < 3 && !(await bulb().isVisible()); i++) {
      await wb.codeActionRow('Add retries');
      await wb.page.keyboard.press('Escape');
      await rows().first().waitFor({ state: 'hidden' });
    }
    await bulb().waitFor();
    await wb.page.keyboard.press('ArrowDown');
    await bulb().waitFor({ state: 'hidden' });
    await wb.screenshot('refactor-2-no-bulb');
    // At that same place, Ctrl+. lists them.
    await wb.codeActionRow('Add retries');
    expect(await rowTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/^Convert to canary|^Promote canary/), expect.stringMatching(/^Add timeout/)]));
    await wb.screenshot('refactor-2-ctrl-dot');
    await wb.page.keyboard.press('Escape');
  });

  /** The Problems panel's rows for the file. */
  async function problems(): Promise<string[]> {
    await wb.filterProblems('reviews-undefined-subset.yaml');
    const list = wb.page.locator('.markers-panel .monaco-list-row');
    // Read once the filter applies: the badge says how many problems show, plus the file's own row
    // (Problems lists the whole workspace, so before the filter it holds other files' rows).
    const badge = wb.page.locator('.part.panel .viewpane-filter-badge', { hasText: /Showing \d+ of/ }).first();
    await expect
      .poll(async () => {
        const shown = Number(/Showing (\d+) of/.exec((await badge.innerText().catch(() => '')) || '')?.[1] ?? -1);
        return shown > 0 && (await list.count()) === shown + 1;
      })
      .toBe(true);
    return (await list.allInnerTexts()).sort();
  }

  it('applies a refactoring with its defaults (Add mirror) without a new problem', async () => {
    const before = await problems();
    expect(before.some((t) => /IST0101/.test(t))).toBe(true);
    await wb.goTo(31, 10);
    const mirror = await wb.codeActionRow('Add mirror to v2');
    await mirror.click();
    const input = wb.page.locator('.quick-input-widget input');
    await expect.poll(() => input.inputValue()).toBe('v2');
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('100');
    await input.press('Enter');
    await expect.poll(() => wb.editorText()).toMatch(/weight: 20\n {4}mirror:\n {6}host: reviews\n {6}subset: v2\n {4}mirrorPercentage:\n {6}value: 100/);
    await wb.save();
    await expect.poll(() => problems()).toEqual(before);
    await wb.goTo(37, 1);
    expect(await wb.squiggleLines('warning')).toEqual([]);
    expect(await wb.squiggleLines('error')).toEqual([37]);
    await wb.screenshot('refactor-3-mirror-applied');
  });
});
