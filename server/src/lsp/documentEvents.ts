// Documents opening, changing and closing in the editor, and files changing on disk: the file
// models and the workspace index follow, and diagnostics are refreshed (the changed document first).
import { FileChangeType, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service/service';
import type { DiagnosticsScheduler } from './diagnosticsScheduler';
import type { FileEvent, WorkspaceSync } from './workspaceSync';

const FILE_EVENT: Record<number, FileEvent['type']> = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' };

export class DocumentEvents {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly service: LanguageService,
    private readonly sync: WorkspaceSync,
    private readonly diagnostics: DiagnosticsScheduler,
  ) {}

  readonly changed = (e: { document: TextDocument }) => {
    this.service.open(e.document.uri, e.document.version, e.document.getText());
    this.diagnostics.requestRefresh(e.document.uri);
  };

  /** The closed document's disk text (if it is a workspace file) replaces the editor's. */
  readonly closed = (e: { document: TextDocument }) => {
    this.diagnostics.forget(e.document.uri);
    this.service.close(e.document.uri);
    this.sync.reload(e.document.uri);
    this.diagnostics.requestRefresh();
  };

  /** File-watcher events; open documents follow the editor, not the disk. */
  readonly watchedFiles = (params: { changes: { uri: string; type: number }[] }) => {
    const events = params.changes.filter((c) => !this.documents.get(c.uri)).map((c) => ({ uri: c.uri, type: FILE_EVENT[c.type] ?? 'changed' }));
    if (events.length === 0) return;
    this.sync.apply(events);
    this.diagnostics.requestRefresh();
  };
}
