// The getting-started walkthrough (package.json contributes.walkthroughs): every step checks itself
// off with an event VS Code knows, on what the step asks the user to do, and its page exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support';

interface Step {
  id: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; steps: Step[] }[] };
};
const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
// The kinds of completion event VS Code's walkthrough service understands.
const EVENT = /^(onView|onCommand|onSettingChanged|onContext|extensionInstalled|onLink):.+$|^onStepSelected$/;
const clientSources = readdirSync(join(repoRoot, 'client', 'src'))
  .map((name) => readFileSync(join(repoRoot, 'client', 'src', name), 'utf8'))
  .join('\n');
// Built-in commands the steps name: Ctrl+., the refactor menu, accepting a suggestion, the snippet picker.
const BUILT_IN = ['editor.action.quickFix', 'editor.action.refactor', 'acceptSelectedSuggestion', 'editor.action.insertSnippet', 'workbench.action.files.openFile'];

describe('the walkthrough', () => {
  it('has steps, each with a page that exists', () => {
    expect(steps.map((s) => s.id)).toEqual(['diagnostics', 'fixes', 'preview', 'snippets']);
    for (const step of steps) expect(existsSync(join(repoRoot, step.media.markdown ?? 'none')), step.id).toBe(true);
  });

  it('checks every step off with a valid completion event', () => {
    for (const step of steps) {
      expect(step.completionEvents?.length, step.id).toBeGreaterThan(0);
      for (const event of step.completionEvents ?? []) expect(event, step.id).toMatch(EVENT);
    }
  });

  it('names only commands that exist and context keys the client sets', () => {
    const ours = manifest.contributes.commands.map((c) => c.command);
    for (const step of steps) {
      const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      for (const event of step.completionEvents ?? []) {
        const [kind, value] = event.split(/:(.*)/s);
        if (kind === 'onCommand') expect([...ours, ...BUILT_IN], event).toContain(value);
        // The client sets the key with setContext under a constant holding this name.
        if (kind === 'onContext') expect(clientSources, event).toContain(`'${value}'`);
      }
      for (const link of links) expect([...ours, ...BUILT_IN], link).toContain(link);
    }
  });

  it('checks the first step off when an Istio file is active, as it asks', () => {
    expect(steps[0].description).toMatch(/^Open an Istio YAML file/);
    expect(steps[0].completionEvents).toEqual(['onContext:istio.activeFileHasIstioResources']);
    expect(clientSources).toMatch(/executeCommand\('setContext', ISTIO_FILE_CONTEXT/);
  });
});
