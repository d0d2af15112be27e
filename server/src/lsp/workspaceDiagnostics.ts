// The background pass over the workspace's closed files (istio.diagnostics.scope: workspace): each
// is checked from its text on disk and its diagnostics published, so the Problems panel lists the
// whole workspace, like a compiler's project diagnostics. The pass gives way to the editors: it
// runs in short slices, only while no open document waits for analysis, and a change restarts it
// (after a pause, so a burst of keystrokes or file events collapses into one pass). A change can
// alter any file's cross-file results, so every closed file is re-checked, the changed ones first;
// unchanged results are not re-sent (the publisher compares).
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceStatusParams } from '../../../shared/protocol';
import type { LanguageService } from '../service/service';
import { guarded } from '../base/problems';
import type { Log } from './boundary';
import { toDiagnostic } from './convert';
import type { DiagnosticsScheduler, SchedulerHost } from './diagnosticsScheduler';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import type { SettingsLifecycle } from './settingsLifecycle';
import { WorkspaceProgress } from './workspaceProgress';
import type { WorkspaceSync } from './workspaceSync';

export interface WorkspaceCheckDeps {
  host: SchedulerHost;
  publisher: DiagnosticsPublisher;
  /** The workspace files the index holds from disk. */
  files(): string[];
  isWorkspaceFile(uri: string): boolean;
  isOpen(uri: string): boolean;
  /** Closed files are checked (scope `workspace`, validation on). */
  enabled(): boolean;
  /** Open documents wait for analysis: they go first. */
  busy(): boolean;
  /** A closed file's diagnostics, from its text on disk. */
  check(uri: string): Diagnostic[];
  /** The pass's progress and the problems shown, throttled. */
  status(status: WorkspaceStatusParams): void;
}

/** A pause after an edit before the pass restarts; file-watcher events wait less. */
export const EDIT_PAUSE_MS = 300;
export const FILE_EVENT_PAUSE_MS = 50;
/** Longest run of checks before the pass yields to pending messages. */
export const SLICE_MS = 5;
/** How soon the pass looks again while open documents are being analysed. */
export const BUSY_RETRY_MS = 20;
/** At most one status notification this often (the first and the last of a pass always go). */
export const STATUS_MS = 150;

export class WorkspaceDiagnostics {
  private queue: string[] = [];
  private checked = 0;
  private total = 0;
  /** Bumped by every restart and stop: a scheduled slice of an older pass does nothing. */
  private generation = 0;
  private lastStatus = -Infinity;
  private lastSent = '';
  private statusPending = false;
  private disposed = false;

  constructor(private readonly deps: WorkspaceCheckDeps) {}

  /** Re-checks every closed workspace file, `first` before the rest, after `pauseMs`. */
  restart(first: string[] = [], pauseMs = EDIT_PAUSE_MS): void {
    if (this.disposed) return;
    if (!this.deps.enabled()) return this.stop();
    const { deps } = this;
    const closed = deps.files().filter((uri) => !deps.isOpen(uri));
    // Files that left the workspace (deleted, newly excluded) while closed show nothing any more.
    for (const uri of deps.publisher.uris()) if (!deps.isOpen(uri) && !deps.isWorkspaceFile(uri)) deps.publisher.clear(uri);
    this.queue = [...new Set([...first.filter((uri) => deps.isWorkspaceFile(uri) && !deps.isOpen(uri)), ...closed])];
    this.checked = 0;
    this.total = this.queue.length;
    const generation = ++this.generation;
    this.deps.host.schedule(() => this.slice(generation), pauseMs);
    this.report(true);
  }

  /**
   * An editor closed `uri`: a workspace file shows its disk text's diagnostics at once (they do
   * not blink out and back); any other file shows nothing. The rest follows with `restart`.
   */
  closed(uri: string): void {
    const { deps } = this;
    if (!this.disposed && deps.enabled() && deps.isWorkspaceFile(uri)) deps.publisher.publish(uri, deps.check(uri));
    else deps.publisher.clear(uri);
  }

  /** A file left the workspace: its diagnostics go, unless an editor still shows it. */
  removed(uri: string): void {
    if (!this.deps.isOpen(uri)) this.deps.publisher.clear(uri);
  }

  /** The problems shown changed (an open document's analysis): the status follows. */
  problemsChanged(): void {
    this.report(false);
  }

  /** Ends the pass and clears what closed files show (scope `openFiles`, validation off). */
  stop(): void {
    this.generation++;
    this.queue = [];
    this.checked = this.total = 0;
    for (const uri of this.deps.publisher.uris()) if (!this.deps.isOpen(uri)) this.deps.publisher.clear(uri);
    this.report(true);
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.queue = [];
  }

  get state(): WorkspaceStatusParams['state'] {
    if (!this.deps.enabled()) return 'off';
    return this.queue.length > 0 ? 'checking' : 'done';
  }

  private slice(generation: number): void {
    if (generation !== this.generation || this.disposed) return;
    const { deps } = this;
    if (deps.busy()) {
      deps.host.schedule(() => this.slice(generation), BUSY_RETRY_MS);
      return;
    }
    const started = deps.host.now();
    while (this.queue.length > 0 && deps.host.now() - started < SLICE_MS) {
      const uri = this.queue.shift() as string;
      this.checked++;
      // Opened since the pass started: the editor's text decides now.
      if (!deps.isOpen(uri) && deps.isWorkspaceFile(uri)) deps.publisher.publish(uri, deps.check(uri));
    }
    this.report(this.queue.length === 0);
    if (this.queue.length > 0) deps.host.schedule(() => this.slice(generation));
  }

  /** Sends the status now when `force` or none went out lately; else once, a moment later. */
  private report(force: boolean): void {
    if (this.disposed) return;
    const now = this.deps.host.now();
    if (force || now - this.lastStatus >= STATUS_MS) {
      const status = this.currentStatus();
      const key = JSON.stringify(status);
      if (key === this.lastSent) return;
      this.lastStatus = now;
      this.lastSent = key;
      this.deps.status(status);
      return;
    }
    if (this.statusPending) return;
    this.statusPending = true;
    this.deps.host.schedule(() => {
      this.statusPending = false;
      this.report(true);
    }, STATUS_MS);
  }

  private currentStatus(): WorkspaceStatusParams {
    return { state: this.state, checked: this.checked, total: this.total, ...this.deps.publisher.summary() };
  }
}

export interface ServerParts {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  publisher: DiagnosticsPublisher;
  service: LanguageService;
  settings: SettingsLifecycle;
  sync: WorkspaceSync;
  host: SchedulerHost;
  logError: Log;
  diagnostics: DiagnosticsScheduler;
}

/** The pass's dependencies in the server: the index's files, the open documents' scheduler, the service's checks. */
export function workspaceCheckDeps(parts: ServerParts): WorkspaceCheckDeps {
  const { documents, service, settings, sync, logError } = parts;
  // Like an open document's pass: a failure is a diagnostic on the file, and logged.
  const check = (uri: string): Diagnostic[] => {
    const text = service.fileText(uri);
    if (text === undefined) return [];
    const doc = TextDocument.create(uri, 'yaml', 0, text);
    const problems = guarded(
      'diagnostics',
      () => ({ start: 0, end: 1 }),
      () => service.diagnoseDiskFile(uri, settings.serviceSettings()),
    );
    for (const p of problems) if (p.data?.type === 'internal') logError(`${p.data.where} failed on ${uri}: ${p.data.detail ?? p.message}`);
    return problems.map((p) => toDiagnostic(doc, p));
  };
  return {
    host: parts.host,
    publisher: parts.publisher,
    files: () => sync.files(),
    isWorkspaceFile: (uri) => sync.has(uri),
    isOpen: (uri) => documents.get(uri) !== undefined,
    enabled: () => settings.current.validate.enable && settings.current.diagnostics.scope === 'workspace',
    busy: () => parts.diagnostics.busy,
    check,
    status: new WorkspaceProgress(parts.connection).status,
  };
}
