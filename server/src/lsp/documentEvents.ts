// Documents opening, changing and closing in the editor, and files changing on disk: the file
// models and the workspace index follow, and diagnostics are refreshed (the changed document first).
import { FileChangeType, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service/service';
import type { DiagnosticsScheduler } from './diagnosticsScheduler';
import { FILE_EVENT_PAUSE_MS, type WorkspaceDiagnostics } from './workspaceDiagnostics';
import type { FileEvent, WorkspaceSync } from './workspaceSync';

const FILE_EVENT: Record<number, FileEvent['type']> = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' };

export class DocumentEvents {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly service: LanguageService,
    private readonly sync: WorkspaceSync,
    private readonly diagnostics: DiagnosticsScheduler,
    private readonly workspace: WorkspaceDiagnostics,
  ) {}

  /** An edit (or an open): the document first, then the other open ones, then, after a pause, the closed files. */
  readonly changed = (e: { document: TextDocument }) => {
    this.service.open(e.document.uri, e.document.version, e.document.getText());
    this.diagnostics.requestRefresh(e.document.uri);
    this.workspace.restart();
  };

  /** The closed document's disk text (if it is a workspace file) replaces the editor's, in the index and in Problems. */
  readonly closed = (e: { document: TextDocument }) => {
    const uri = e.document.uri;
    this.diagnostics.forget(uri);
    this.service.close(uri);
    this.sync.reload(uri);
    this.workspace.closed(uri);
    this.diagnostics.requestRefresh();
    this.workspace.restart();
  };

  /** File-watcher events; open documents follow the editor, not the disk. */
  readonly watchedFiles = (params: { changes: { uri: string; type: number }[] }) => {
    const events = params.changes.filter((c) => !this.documents.get(c.uri)).map((c) => ({ uri: c.uri, type: FILE_EVENT[c.type] ?? 'changed' }));
    if (events.length === 0) return;
    for (const uri of this.sync.apply(events)) this.workspace.removed(uri);
    this.diagnostics.requestRefresh();
    this.workspace.restart(
      events.map((e) => e.uri),
      FILE_EVENT_PAUSE_MS,
    );
  };
}
