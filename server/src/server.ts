// Wiring: declares capabilities and maps LSP requests to the language service, every handler
// inside the one error boundary with its params checked (lsp/params.ts). The logic lives in lsp/:
// the diagnostics scheduler, the settings lifecycle, document events, code actions and requests.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  InsertTextMode,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RefactorRequest, SetWeightRequest, SimulateRequest, TrafficModelRequest, type RefactorResult, type SimulateResult, type TrafficModelResult } from '../../shared/protocol';
import { Boundary } from './lsp/boundary';
import { CodeActions } from './lsp/codeActions';
import { DiagnosticsPublisher } from './lsp/diagnosticsPublisher';
import { DiagnosticsScheduler, type SchedulerHost } from './lsp/diagnosticsScheduler';
import { DocumentEvents } from './lsp/documentEvents';
import { onRequest } from './lsp/messages';
import { OpenDocuments } from './lsp/openDocuments';
import {
  codeActionParams,
  codeActionResolveParams,
  documentParams,
  positionParams,
  referenceParams,
  refactorParams,
  renameParams,
  setWeightParams,
  simulateParams,
  trafficModelParams,
  watchedFilesParams,
  workspaceSymbolParams,
} from './lsp/params';
import { Requests, type ClientSupport } from './lsp/requests';
import { SettingsLifecycle } from './lsp/settingsLifecycle';
import { WorkspaceDiagnostics, workspaceCheckDeps } from './lsp/workspaceDiagnostics';
import { WorkspaceSync, type WorkspaceFileHost } from './lsp/workspaceSync';
import type { SchemaSource } from './schema/registry';
import { LanguageService } from './service/service';

/** What the entry point provides: file access for the workspace index, timers and a clock for the diagnostics scheduler. */
export interface ServerHost extends WorkspaceFileHost, SchedulerHost {}

const capabilities = (): ServerCapabilities => ({
  textDocumentSync: TextDocumentSyncKind.Incremental,
  completionProvider: { triggerCharacters: [':'] },
  hoverProvider: true,
  documentSymbolProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  workspaceSymbolProvider: true,
  codeLensProvider: { resolveProvider: false },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite], resolveProvider: true },
});

export function startServer(connection: Connection, schemas: SchemaSource, host: ServerHost): void {
  const service = new LanguageService(schemas);
  const sync = new WorkspaceSync(service, host);
  const documents = new TextDocuments(TextDocument);
  const logError = (message: string) => connection.console.error(message);
  const boundary = new Boundary(logError);
  const refresh = () => {
    diagnostics.requestRefresh();
    workspace.restart([], 0);
  };
  const settings = new SettingsLifecycle(connection, service, sync, boundary, refresh);
  const publisher = new DiagnosticsPublisher(
    (params) => void connection.sendDiagnostics(params),
    () => workspace.problemsChanged(),
  );
  const diagnostics = new DiagnosticsScheduler({ connection, documents, publisher, service, settings, host, boundary, logError });
  const workspace = new WorkspaceDiagnostics(workspaceCheckDeps({ documents, publisher, service, settings, sync, host, logError, diagnostics, connection }));
  const open = new OpenDocuments(documents, service);
  let canWatchFiles = false;
  const client: ClientSupport = { completionAsIs: false };

  connection.onInitialize((params) => {
    settings.initialize(params);
    canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    client.completionAsIs = !!params.capabilities.textDocument?.completion?.completionItem?.insertTextModeSupport?.valueSet.includes(InsertTextMode.asIs);
    return { capabilities: capabilities(), serverInfo: { name: 'istio-authoring' } };
  });

  connection.onInitialized(() => {
    if (settings.pullsConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    if (canWatchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] }).catch(() => undefined);
    settings.start();
  });

  connection.onDidChangeConfiguration((change) => settings.changed(change));
  connection.onShutdown(() => {
    diagnostics.dispose();
    workspace.dispose();
  });
  registerDocumentEvents(connection, documents, boundary, new DocumentEvents(documents, service, sync, diagnostics, workspace));
  registerRequests(connection, boundary, new Requests(open, service, settings, client), new CodeActions(connection, open, service, settings, boundary));

  documents.listen(connection);
  connection.listen();
}

function registerDocumentEvents(connection: Connection, documents: TextDocuments<TextDocument>, boundary: Boundary, events: DocumentEvents): void {
  connection.onDidChangeWatchedFiles(boundary.run('watched files', events.watchedFiles, watchedFilesParams));
  documents.onDidChangeContent(boundary.run('document change', events.changed));
  documents.onDidClose(boundary.run('document close', events.closed));
}

function registerRequests(connection: Connection, boundary: Boundary, requests: Requests, codeActions: CodeActions): void {
  connection.onCompletion(boundary.request('completion', positionParams, requests.completion));
  connection.onHover(boundary.request('hover', positionParams, requests.hover));
  connection.onDocumentSymbol(boundary.request('documentSymbol', documentParams, requests.documentSymbol));
  connection.onDefinition(boundary.request('definition', positionParams, requests.definition));
  connection.onReferences(boundary.request('references', referenceParams, requests.references));
  connection.onPrepareRename(boundary.request('prepareRename', positionParams, requests.prepareRename));
  connection.onRenameRequest(boundary.request('rename', renameParams, requests.rename));
  connection.onCodeAction(boundary.request('codeAction', codeActionParams, codeActions.codeActions));
  connection.onCodeActionResolve(boundary.request('codeActionResolve', codeActionResolveParams, codeActions.resolve));
  onRequest(
    connection,
    RefactorRequest,
    boundary.request('refactor', refactorParams, codeActions.refactor, (error): RefactorResult => ({ error })),
  );
  onRequest(
    connection,
    TrafficModelRequest,
    boundary.request('trafficModel', trafficModelParams, requests.trafficModel, (error): TrafficModelResult => ({ problems: [error] })),
  );
  onRequest(
    connection,
    SimulateRequest,
    boundary.request('simulate', simulateParams, requests.simulate, (summary): SimulateResult => ({ summary, verdicts: [] })),
  );
  onRequest(
    connection,
    SetWeightRequest,
    boundary.request('setWeight', setWeightParams, requests.setWeight, (error): RefactorResult => ({ error })),
  );
  connection.onCodeLens(boundary.request('codeLens', documentParams, requests.codeLens));
  connection.onWorkspaceSymbol(boundary.request('workspaceSymbol', workspaceSymbolParams, requests.workspaceSymbol));
}
