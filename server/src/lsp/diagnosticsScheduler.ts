// The diagnostics queue: which open documents are analysed next, and how. The changed document
// goes first, then the other open documents (cross-file results depend on it); a document's first
// pass has no cross-file checks, the second follows at once; a slow document lets the requests
// typing sends go first. Publishes the diagnostics and the document status.
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentStatusNotification, type DocumentStatusParams } from '../../../shared/protocol';
import { guarded, type Problem } from '../base/problems';
import type { LanguageService } from '../service/service';
import type { Boundary, Log } from './boundary';
import { toDiagnostic } from './convert';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import { notify } from './messages';
import type { SettingsLifecycle } from './settingsLifecycle';

export interface SchedulerHost {
  /** Runs work soon (after `delayMs`, or after pending messages): lets a burst of edits collapse into one analysis. */
  schedule(work: () => void, delayMs?: number): void;
  /** A monotonic clock in milliseconds. */
  now(): number;
}

export interface SchedulerDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  publisher: DiagnosticsPublisher;
  service: LanguageService;
  settings: SettingsLifecycle;
  host: SchedulerHost;
  boundary: Boundary;
  logError: Log;
}

/** An analysis this slow makes typing wait for it; such documents give requests TYPING_GRACE_MS first. */
const SLOW_PASS_MS = 15;
const TYPING_GRACE_MS = 30;

export class DiagnosticsScheduler {
  private readonly pending: string[] = [];
  /** Open documents past their first analysis (the one without cross-file checks). */
  private readonly analysed = new Set<string>();
  /** How long each document's last analysis took: big documents wait for the requests typing sends. */
  private readonly passMs = new Map<string, number>();
  private readonly validate: (uri: string) => void;
  private disposed = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.validate = deps.boundary.run('diagnostics', (uri: string) => this.publish(uri));
  }

  /**
   * Validates `first` (the document that changed) before every other open document. When its
   * analysis is slow (a big file), it starts a moment after the keystroke, so the completion
   * request the editor sends with the keystroke is answered first instead of waiting for it.
   */
  requestRefresh(first?: string): void {
    if (this.disposed) return;
    const pending = this.pending;
    const idle = pending.length === 0;
    if (first) {
      const at = pending.indexOf(first);
      if (at !== -1) pending.splice(at, 1);
      pending.unshift(first);
    }
    pending.push(...this.deps.documents.keys().filter((u) => !pending.includes(u)));
    const slow = first !== undefined && (this.passMs.get(first) ?? 0) >= SLOW_PASS_MS;
    if (idle && pending.length > 0) this.deps.host.schedule(this.drain, slow ? TYPING_GRACE_MS : undefined);
  }

  /** Open documents wait for analysis (the workspace pass gives way to them). */
  get busy(): boolean {
    return this.pending.length > 0;
  }

  /** A closed document: its next open starts with the first pass again (what it shows now is the workspace pass's to decide). */
  forget(uri: string): void {
    this.analysed.delete(uri);
    this.passMs.delete(uri);
    const at = this.pending.indexOf(uri);
    if (at !== -1) this.pending.splice(at, 1);
  }

  /** Stops: queued analyses are dropped and later refresh requests ignored. */
  dispose(): void {
    this.disposed = true;
    this.pending.length = 0;
    this.analysed.clear();
    this.passMs.clear();
  }

  private readonly drain = (): void => {
    const uri = this.pending.shift();
    if (uri === undefined) return;
    const started = this.deps.host.now();
    this.validate(uri);
    this.passMs.set(uri, this.deps.host.now() - started);
    if (this.pending.length > 0) this.deps.host.schedule(this.drain);
  };

  private publish(uri: string): void {
    const { connection, documents, service, settings } = this.deps;
    const doc = documents.get(uri);
    if (!doc) return;
    // On open, the document's own problems go out at once and the cross-file pass follows, like
    // a compiler's syntactic then semantic diagnostics; later edits publish everything at once
    // so squiggles never flicker.
    const crossFile = this.analysed.has(uri);
    const problems = this.problemsOf(uri, doc.version, doc.getText(), crossFile);
    if (!crossFile) {
      this.analysed.add(uri);
      // The cross-file pass runs next, before any other queued document.
      if (!this.pending.includes(uri)) this.pending.unshift(uri);
    }
    this.deps.publisher.publish(
      uri,
      problems.map((p) => toDiagnostic(doc, p)),
      doc.version,
    );
    const model = service.open(uri, doc.version, doc.getText());
    const status: DocumentStatusParams = { uri, istioVersion: settings.current.version, resourceCount: service.istioResourceCount(model) };
    notify(connection, DocumentStatusNotification, status);
  }

  /** The document's problems; a failure of the whole pass is itself a problem, shown on the document. */
  private problemsOf(uri: string, version: number, text: string, crossFile: boolean): Problem[] {
    const { service, settings, logError } = this.deps;
    const problems = guarded(
      'diagnostics',
      () => ({ start: 0, end: 1 }),
      () => service.diagnose(uri, version, text, settings.serviceSettings(), crossFile),
    );
    for (const p of problems) if (p.data?.type === 'internal') logError(`${p.data.where} failed on ${uri}: ${p.data.detail ?? p.message}`);
    return problems;
  }
}
