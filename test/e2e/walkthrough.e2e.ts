// The getting-started walkthrough in a real VS Code: its steps check themselves off when the user
// does what they ask (open an Istio file, Ctrl+. in it, preview its traffic, accept a snippet).
import { beforeEach, describe, it } from 'vitest';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

const WALKTHROUGH = 'Get started with Istio Authoring';

/** The walkthrough step's button on the Welcome page, by the step's id. */
function step(wb: Workbench, id: string) {
  return wb.page.locator(`.getting-started-step[data-step-id$="#${id}"]`);
}

/** Shows the walkthrough page (opened by Welcome: Open Walkthrough..., or brought back to the front). */
async function showWalkthrough(wb: Workbench): Promise<void> {
  const tab = wb.page.locator('.tabs-container .tab', { hasText: 'Welcome' });
  if ((await tab.count()) > 0) await tab.first().click();
  else {
    await wb.runCommand('Welcome: Open Walkthrough...');
    const input = wb.page.locator('.quick-input-widget input');
    await input.fill(WALKTHROUGH);
    await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: WALKTHROUGH }).first().waitFor();
    await input.press('Enter');
  }
  await wb.page.locator('.gettingStartedSlideDetails', { hasText: WALKTHROUGH }).waitFor();
}

describe('the getting-started walkthrough', () => {
  const session = useWorkbench();
  let wb: Workbench;
  beforeEach(() => {
    wb = session.wb;
  });

  it('starts with no step done', async () => {
    await showWalkthrough(wb);
    for (const id of ['diagnostics', 'fixes', 'preview', 'snippets']) await step(wb, id).locator('.codicon:not(.complete)').first().waitFor();
    await wb.screenshot('walkthrough-1-unchecked');
  });

  it('checks off "Mistakes show as you type" once an Istio file is open', async () => {
    await wb.openFile('mistakes/reviews-undefined-subset.yaml');
    await wb.editor.locator('.squiggly-error').first().waitFor();
    await showWalkthrough(wb);
    await step(wb, 'diagnostics').locator('.codicon.complete').waitFor();
    await step(wb, 'fixes').locator('.codicon:not(.complete)').first().waitFor();
    await wb.screenshot('walkthrough-2-diagnostics-done');
  });

  it('checks off the fixes step after Ctrl+. and the preview step after a preview', async () => {
    await wb.openFile('mistakes/reviews-undefined-subset.yaml');
    await wb.editor.locator('.squiggly-error').first().waitFor();
    // On the undefined subset (line 37: `subset: v3`), as the step asks: Ctrl+. on a problem.
    await wb.goTo(37, 17);
    // Ctrl+. (editor.action.quickFix), pressed again when a loaded workbench dropped it.
    await wb.codeActionRow("Add subset 'v3'");
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('Istio: Preview Traffic');
    await wb.page
      .locator('.tabs-container .tab', { hasText: /Traffic/ })
      .first()
      .waitFor();
    await showWalkthrough(wb);
    await step(wb, 'fixes').locator('.codicon.complete').waitFor();
    await step(wb, 'preview').locator('.codicon.complete').waitFor();
    await wb.screenshot('walkthrough-3-fixes-preview-done');
  });

  it('checks off the snippets step once a suggestion is accepted', async () => {
    await wb.openFile('scratch.yaml');
    await wb.editor.click({ position: { x: 200, y: 10 } });
    await wb.page.keyboard.type('istio-vs');
    await wb.page.keyboard.press('Control+Space');
    // Enter, as a user accepts a suggestion (acceptSelectedSuggestion), once the snippet's row is the focused one.
    await wb.page.locator('.suggest-widget .monaco-list-row.focused', { hasText: 'istio-vs' }).waitFor();
    await wb.page.keyboard.press('Enter');
    await wb.editor.locator('.view-line', { hasText: 'kind: VirtualService' }).waitFor();
    await showWalkthrough(wb);
    await step(wb, 'snippets').locator('.codicon.complete').waitFor();
    await wb.screenshot('walkthrough-4-all-done');
  });
});
