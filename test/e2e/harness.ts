// Drives a real VS Code workbench (code-server) in Debian's Chromium with playwright-core.
// Every step waits for what the screen shows; there are no fixed sleeps.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export class Workbench {
  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
  ) {}

  /** Playwright gives the browser a fresh, temporary profile. */
  static async open(url: string, chromiumPath: string): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return new Workbench(browser, page);
  }

  /** Reloads the window (as Developer: Reload Window does) and waits for the workbench again. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(artifacts, { recursive: true });
    await this.page.screenshot({ path: join(artifacts, `${name}.png`) });
  }

  private get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Runs a command by its palette title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await row.click();
  }

  /** Switches the colour theme and waits until the workbench carries it. */
  async setColorTheme(label: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(label);
    await this.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
    await input.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
    const kind = /high contrast/i.test(label) ? (/light/i.test(label) ? 'hc-light' : 'hc-black') : /light/i.test(label) ? 'vs' : 'vs-dark';
    await this.page.locator(`.monaco-workbench.${kind}`).waitFor();
  }

  /**
   * Opens a workspace file by quick open and waits for its editor tab. The row is clicked once it
   * shows (Enter takes the focused row, which a list still updating can make another one), and the
   * whole step is repeated when a loaded workbench dropped it (each wait bounded, no sleep).
   */
  async openFile(relativePath: string, attempts = 3): Promise<void> {
    const name = relativePath.split('/').pop()!;
    const tab = this.page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name });
    for (let i = 0; i < attempts; i++) {
      if (await this.quickInput.isVisible()) await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+P');
      const input = this.quickInput.locator('input');
      await input.waitFor();
      await input.fill(relativePath);
      const row = this.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
      await row.waitFor();
      await row.click();
      // Off the tabs the row was above, or their tooltip would cover the editor's next click.
      await this.page.mouse.move(0, 0);
      const opened = await tab
        .waitFor({ timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      if (opened) break;
    }
    await tab.waitFor();
    await this.editor.locator('.view-lines').waitFor();
  }

  /** The text editor of the active editor group (the preview may sit in another group). */
  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /**
   * The visible text of the active editor, or of the editor showing `file` (Monaco renders spaces
   * as nbsp). Monaco appends the DOM node of a line newly scrolled into view after the others, so
   * the lines are put in order by their place on screen, not read in DOM order.
   */
  async editorText(file?: string): Promise<string> {
    const editor = file
      ? this.page
          .locator('.editor-group-container', { has: this.page.locator('.tab.active', { hasText: file }) })
          .locator('.editor-instance .monaco-editor')
          .first()
      : this.editor;
    // One snapshot of the DOM (each line is placed by its style's top), so a re-render cannot mix two.
    const lines = await editor
      .locator('.view-lines .view-line')
      .evaluateAll((nodes) => nodes.map((node) => ({ top: parseFloat((node as unknown as { style: { top: string } }).style.top), text: node.textContent ?? '' })));
    return lines
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text)
      .join('\n')
      .replace(/\u00a0/g, ' ');
  }

  /**
   * Opens the code-action menu at the cursor (Ctrl+.) and returns its row with `text`, once visible.
   * A workbench under load can drop the key press while the editor regains focus after Go to Line,
   * so the press is repeated until the menu shows (each wait bounded), not slept on.
   */
  async codeActionRow(text: string, attempts = 4): Promise<Locator> {
    const row = this.page.locator('.action-widget .monaco-list-row', { hasText: text }).first();
    for (let i = 0; i < attempts; i++) {
      await this.editor.locator('.view-lines').waitFor();
      await this.page.keyboard.press('Control+.');
      const shown = await row
        .waitFor({ timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      if (shown) return row;
      if (await this.page.locator('.action-widget:not(.action-list-submenu-panel)').first().isVisible()) await this.page.keyboard.press('Escape');
    }
    await row.waitFor();
    return row;
  }

  /** Puts the cursor at a 1-based line and column with Go to Line. */
  async goTo(line: number, column = 1): Promise<void> {
    await this.editor.click({ position: { x: 200, y: 10 } });
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await input.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /**
   * The 1-based lines of the squiggles of one severity in the active editor (those on screen),
   * found by matching each squiggle's top with the line numbers in the gutter.
   */
  async squiggleLines(severity: 'error' | 'warning' | 'info'): Promise<number[]> {
    const gutter = await Promise.all((await this.editor.locator('.margin-view-overlays .line-numbers').all()).map(async (n) => ({ line: Number(await n.innerText()), box: await n.boundingBox() })));
    const lines = new Set<number>();
    for (const squiggle of await this.editor.locator(`.view-overlays .squiggly-${severity}`).all()) {
      const box = await squiggle.boundingBox();
      const at = box && gutter.find((g) => g.box && Math.abs(g.box.y - box.y) < g.box.height / 2);
      lines.add(at ? at.line : -1);
    }
    return [...lines].sort((a, b) => a - b);
  }

  /** Shows the Problems panel filtered by `text` (a file's name shows all its problems); '' clears the filter. */
  async filterProblems(text: string): Promise<void> {
    const markers = this.page.locator('.markers-panel');
    if (!(await markers.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await markers.waitFor();
    const filter = this.page.locator('.part.panel .viewpane-filter input').first();
    await filter.fill(text);
    await expect.poll(() => filter.inputValue()).toBe(text);
  }

  /**
   * The documentation pane of the suggest widget once it shows `text` (for the focused item).
   * Ctrl+Space toggles the pane while the widget is open; it is pressed until the pane shows.
   */
  async suggestDetails(text: string, attempts = 3): Promise<Locator> {
    const details = this.page.locator('.suggest-widget .suggest-details, .suggest-details-container .suggest-details', { hasText: text }).first();
    for (let i = 0; i < attempts && !(await details.isVisible()); i++) {
      await this.page.keyboard.press('Control+Space');
      await details.waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    await details.waitFor();
    return details;
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.editor-group-container.active .tabs-container .tab.active:not(.dirty)').waitFor();
  }

  /** Opens the language status hover (the `{}` item of the status bar) and waits for an item whose text matches. */
  async languageStatus(text: RegExp): Promise<Locator> {
    const entry = this.page.locator('[id="status.languageStatus"]');
    await entry.waitFor();
    await entry.hover();
    const item = this.page.locator('.hover-language-status', { hasText: text }).first();
    await item.waitFor();
    return item;
  }

  /** The content frame of the (single) webview panel. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }
}
