// Wiring: declares capabilities and maps LSP requests to the language service. No logic here
// beyond settings, scheduling and the error boundary every handler runs in.
import {
  CompletionItemKind,
  DidChangeConfigurationNotification,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type CompletionItem,
  type CompletionList,
  type Connection,
  type DocumentSymbol,
  type Hover,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_ISTIO_VERSION, ISTIO_VERSIONS, documentStatusNotification, type DocumentStatusParams, type IstioVersion } from '../../shared/protocol';
import type { CompletionEntry } from './features/completion';
import type { SymbolModel } from './features/symbols';
import { toDiagnostic, toRange } from './lsp/convert';
import type { SchemaSource } from './schema/registry';
import { LanguageService, type ServiceSettings } from './service';

export interface ServerHost {
  /** Runs work soon, after pending messages: lets a burst of edits collapse into one analysis. */
  schedule(work: () => void): void;
}

const COMPLETION_KINDS: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  module: CompletionItemKind.Module,
  class: CompletionItemKind.Class,
};

const SYMBOL_KINDS: Record<SymbolModel['kind'], SymbolKind> = {
  class: SymbolKind.Class,
  object: SymbolKind.Object,
  array: SymbolKind.Array,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Null,
};

export function startServer(connection: Connection, schemas: SchemaSource, host: ServerHost): void {
  const service = new LanguageService(schemas);
  const documents = new TextDocuments(TextDocument);
  let settings: ServiceSettings = { istioVersion: DEFAULT_ISTIO_VERSION, validate: true };
  let canPullConfiguration = false;
  const pending = new Set<string>();

  const guard = <P, R>(name: string, neutral: R, handler: (params: P) => R) =>
    (params: P, token?: CancellationToken): R => {
      if (token?.isCancellationRequested) return neutral;
      try {
        return handler(params);
      } catch (e) {
        connection.console.error(`${name} failed: ${(e as Error).stack ?? String(e)}`);
        return neutral;
      }
    };

  const validate = guard('diagnostics', undefined, (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return;
    const model = service.model(uri, doc.version, doc.getText());
    const problems = service.diagnose(uri, doc.version, doc.getText(), settings);
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: problems.map((p) => toDiagnostic(doc, p)) });
    const status: DocumentStatusParams = { uri, istioVersion: settings.istioVersion as IstioVersion, resourceCount: service.istioResourceCount(model) };
    void connection.sendNotification(documentStatusNotification, status);
  });

  const requestValidation = (uri: string) => {
    if (pending.has(uri)) return;
    pending.add(uri);
    host.schedule(() => {
      pending.delete(uri);
      validate(uri);
    });
  };

  const refreshSettings = async () => {
    if (!canPullConfiguration) return;
    try {
      const raw = (await connection.workspace.getConfiguration({ section: 'istio' })) as Partial<{ version: string; validate: { enable?: boolean } }> | null;
      settings = readSettings(raw);
    } catch (e) {
      connection.console.error(`reading settings failed: ${(e as Error).message}`);
    }
    for (const doc of documents.all()) requestValidation(doc.uri);
  };

  connection.onInitialize((params) => {
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [':'] },
        hoverProvider: true,
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'istio-authoring' },
    };
  });
  connection.onInitialized(() => {
    if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    void refreshSettings();
  });
  connection.onDidChangeConfiguration((change) => {
    if (!canPullConfiguration) settings = readSettings((change.settings as { istio?: Parameters<typeof readSettings>[0] })?.istio ?? null);
    void refreshSettings();
    if (!canPullConfiguration) for (const doc of documents.all()) requestValidation(doc.uri);
  });

  documents.onDidChangeContent((e) => requestValidation(e.document.uri));
  documents.onDidClose((e) => {
    service.close(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion(
    guard('completion', null, (params: { textDocument: { uri: string }; position: { line: number; character: number } }): CompletionList | null => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return null;
      const model = service.model(doc.uri, doc.version, doc.getText());
      const result = service.complete(model, doc.offsetAt(params.position), settings);
      if (!result) return null;
      const range = toRange(doc, result.replaceStart, result.replaceEnd);
      const items = result.items.map((entry): CompletionItem => ({
        label: entry.label,
        kind: COMPLETION_KINDS[entry.kind],
        detail: entry.detail,
        documentation: entry.documentation ? { kind: MarkupKind.Markdown, value: entry.documentation } : undefined,
        textEdit: { range, newText: entry.insertText },
        insertTextFormat: entry.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: entry.sortText,
      }));
      return { isIncomplete: false, items };
    }),
  );

  connection.onHover(
    guard('hover', null, (params: { textDocument: { uri: string }; position: { line: number; character: number } }): Hover | null => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return null;
      const model = service.model(doc.uri, doc.version, doc.getText());
      const result = service.hover(model, doc.offsetAt(params.position), settings);
      return result ? { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(doc, result.start, result.end) } : null;
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [], (params: { textDocument: { uri: string } }): DocumentSymbol[] => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      const toSymbol = (s: SymbolModel): DocumentSymbol => ({
        name: s.name,
        detail: s.detail,
        kind: SYMBOL_KINDS[s.kind],
        range: toRange(doc, s.start, s.end),
        selectionRange: toRange(doc, s.selectionStart, s.selectionEnd),
        children: s.children.map(toSymbol),
      });
      return service.symbols(service.model(doc.uri, doc.version, doc.getText())).map(toSymbol);
    }),
  );

  documents.listen(connection);
  connection.listen();
}

function readSettings(raw: Partial<{ version: string; validate: { enable?: boolean } }> | null): ServiceSettings {
  const version = (ISTIO_VERSIONS as readonly string[]).includes(raw?.version ?? '') ? (raw!.version as string) : DEFAULT_ISTIO_VERSION;
  return { istioVersion: version, validate: raw?.validate?.enable !== false };
}
