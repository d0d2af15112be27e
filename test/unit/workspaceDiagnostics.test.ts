// The workspace pass's scheduling on a fake clock: slices, giving way to open documents,
// restarts that cancel the pass under way, the publisher's de-duplication and the status.
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import type { WorkspaceStatusParams } from '../../shared/protocol';
import { DiagnosticsPublisher } from '../../server/src/lsp/diagnosticsPublisher';
import { BUSY_RETRY_MS, EDIT_PAUSE_MS, SLICE_MS, STATUS_MS, WorkspaceDiagnostics } from '../../server/src/lsp/workspaceDiagnostics';

const problem = (message: string, severity: 1 | 2 = 1): Diagnostic => ({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message, severity });

/** A clock that moves only when told, and a queue of scheduled work run in time order. */
class FakeHost {
  time = 0;
  private tasks: { at: number; seq: number; work: () => void }[] = [];
  private seq = 0;
  schedule = (work: () => void, delayMs = 0) => void this.tasks.push({ at: this.time + delayMs, seq: this.seq++, work });
  now = () => this.time;
  /** Runs the next task (the clock jumps to its time); false when none is left. */
  step(): boolean {
    this.tasks.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const task = this.tasks.shift();
    if (!task) return false;
    this.time = Math.max(this.time, task.at);
    task.work();
    return true;
  }
  runAll(limit = 10_000): void {
    for (let i = 0; i < limit && this.step(); i++);
  }
}

function setup(fileCount: number, checkMs = 1) {
  const host = new FakeHost();
  const sent: PublishDiagnosticsParams[] = [];
  const statuses: WorkspaceStatusParams[] = [];
  const files = Array.from({ length: fileCount }, (_, i) => `file:///ws/f${i}.yaml`);
  const state = { open: new Set<string>(), busy: false, enabled: true, files: new Set(files), bad: new Set(files.filter((_, i) => i % 2 === 0)), checks: [] as string[] };
  const publisher = new DiagnosticsPublisher(
    (p) => sent.push(p),
    () => workspace.problemsChanged(),
  );
  const workspace: WorkspaceDiagnostics = new WorkspaceDiagnostics({
    host,
    publisher,
    files: () => [...state.files],
    isWorkspaceFile: (uri) => state.files.has(uri),
    isOpen: (uri) => state.open.has(uri),
    enabled: () => state.enabled,
    busy: () => state.busy,
    check: (uri) => {
      host.time += checkMs;
      state.checks.push(uri);
      return state.bad.has(uri) ? [problem(`bad ${uri}`)] : [];
    },
    status: (s) => statuses.push(s),
  });
  return { host, sent, statuses, files, state, publisher, workspace };
}

describe('the workspace pass', () => {
  it('checks every closed file, publishes only those with problems, and ends with the count', () => {
    const { host, sent, statuses, files, state, workspace } = setup(6);
    state.open.add(files[2]);
    workspace.restart([], 0);
    host.runAll();
    expect(state.checks).toEqual(files.filter((f) => f !== files[2]));
    expect(sent.map((p) => p.uri)).toEqual([files[0], files[4]]);
    expect(statuses[0]).toMatchObject({ state: 'checking', checked: 0, total: 5 });
    expect(statuses.at(-1)).toEqual({ state: 'done', checked: 5, total: 5, problems: 2, errors: 2, files: 2 });
  });

  it('yields after a slice of SLICE_MS and gives way while open documents wait', () => {
    const { host, state, workspace } = setup(100, 3);
    workspace.restart([], 0);
    state.busy = true;
    host.step();
    expect(state.checks).toEqual([]);
    state.busy = false;
    const before = host.time;
    host.step();
    const sliceChecks = Math.ceil(SLICE_MS / 3);
    // The retry came BUSY_RETRY_MS later, then checked until the slice's time was up.
    expect(state.checks.length).toBe(sliceChecks);
    expect(host.time - before).toBe(BUSY_RETRY_MS + 3 * sliceChecks);
    host.runAll();
    expect(state.checks.length).toBe(100);
  });

  it('collapses a burst of restarts into one pass, after the pause', () => {
    const { host, state, workspace } = setup(4);
    for (let i = 0; i < 5; i++) {
      workspace.restart();
      host.time += 10;
    }
    host.step();
    expect(state.checks).toEqual([]);
    host.runAll();
    expect(state.checks.length).toBe(4);
    expect(host.time).toBeGreaterThanOrEqual(40 + EDIT_PAUSE_MS);
  });

  it('restarts a pass under way with the changed file first; the old pass stops', () => {
    const { host, files, state, workspace } = setup(30, 4);
    workspace.restart([], 0);
    host.step();
    const firstSlice = state.checks.length;
    expect(firstSlice).toBeLessThan(30);
    workspace.restart([files[29]], 0);
    host.runAll();
    expect(state.checks[firstSlice]).toBe(files[29]);
    expect(state.checks.length).toBe(firstSlice + 30);
  });

  it('does not re-send a closed file whose result is unchanged; sends what changed', () => {
    const { host, sent, files, state, workspace } = setup(4);
    workspace.restart([], 0);
    host.runAll();
    expect(sent.length).toBe(2);
    state.bad.delete(files[0]);
    state.bad.add(files[1]);
    workspace.restart([], 0);
    host.runAll();
    expect(sent.slice(2)).toEqual([
      { uri: files[0], diagnostics: [] },
      { uri: files[1], diagnostics: [problem(`bad ${files[1]}`)] },
    ]);
  });

  it('on close, a workspace file shows its disk diagnostics at once; another file is cleared', () => {
    const { sent, files, state, publisher, workspace } = setup(2);
    publisher.publish(files[0], [problem('editor')], 3);
    workspace.closed(files[0]);
    expect(sent.at(-1)).toEqual({ uri: files[0], diagnostics: [problem(`bad ${files[0]}`)] });
    publisher.publish('untitled:x', [problem('editor')], 1);
    workspace.closed('untitled:x');
    expect(sent.at(-1)).toEqual({ uri: 'untitled:x', diagnostics: [] });
    state.enabled = false;
    workspace.closed(files[0]);
    expect(sent.at(-1)).toEqual({ uri: files[0], diagnostics: [] });
  });

  it('stopping (scope openFiles) clears closed files only; files that left the workspace are cleared on restart', () => {
    const { host, sent, statuses, files, state, publisher, workspace } = setup(4);
    workspace.restart([], 0);
    host.runAll();
    publisher.publish('file:///ws/open.yaml', [problem('open')], 1);
    state.open.add('file:///ws/open.yaml');
    state.enabled = false;
    workspace.restart();
    expect(sent.slice(-2)).toEqual([
      { uri: files[0], diagnostics: [] },
      { uri: files[2], diagnostics: [] },
    ]);
    expect(statuses.at(-1)).toMatchObject({ state: 'off', problems: 1, files: 1 });
    state.enabled = true;
    workspace.restart([], 0);
    host.runAll();
    state.files.delete(files[0]);
    workspace.restart([], 0);
    expect(sent.at(-1)).toEqual({ uri: files[0], diagnostics: [] });
  });

  it('sends at most one status per STATUS_MS during a pass, and the last one', () => {
    const { host, statuses, workspace } = setup(200, 2);
    workspace.restart([], 0);
    host.runAll();
    const checking = statuses.filter((s) => s.state === 'checking');
    expect(checking.length).toBeLessThanOrEqual(Math.ceil((200 * 2) / STATUS_MS) + 2);
    expect(checking.length).toBeGreaterThan(1);
    expect(statuses.at(-1)).toMatchObject({ state: 'done', checked: 200, total: 200, files: 100 });
  });
});

describe('the diagnostics publisher', () => {
  it("always sends an open document's versioned diagnostics, and counts what files show", () => {
    const sent: PublishDiagnosticsParams[] = [];
    const publisher = new DiagnosticsPublisher((p) => sent.push(p));
    publisher.publish('a', [problem('x'), problem('y', 2)], 1);
    publisher.publish('a', [problem('x'), problem('y', 2)], 2);
    publisher.publish('b', []);
    publisher.clear('c');
    expect(sent.map((p) => p.version)).toEqual([1, 2]);
    expect(publisher.summary()).toEqual({ problems: 2, errors: 1, files: 1 });
    publisher.clear('a');
    expect(sent.at(-1)).toEqual({ uri: 'a', diagnostics: [] });
    expect(publisher.summary()).toEqual({ problems: 0, errors: 0, files: 0 });
  });
});
