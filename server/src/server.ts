// Wiring: declares capabilities and maps LSP requests to the language service. No feature logic
// here: settings, scheduling, workspace sync and the error boundary every handler runs in.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CommandId } from '../../shared/commands';
import {
  DocumentStatusNotification,
  RefactorRequest,
  SetWeightRequest,
  SimulateRequest,
  TrafficModelRequest,
  type SetWeightParams,
  type SimulateParams,
  type SimulateResult,
  type TrafficModelParams,
  type TrafficModelResult,
  type DocumentStatusParams,
  type IstioSettings,
  type RefactorCommandArgs,
  type RefactorParams,
  type RefactorResult,
} from '../../shared/protocol';
import { SOURCE } from './base/catalog';
import { Boundary } from './lsp/boundary';
import { notify, onRequest } from './lsp/messages';
import { codeActionParams, codeActionResolveParams, documentParams, positionParams, referenceParams, refactorParams, renameParams, setWeightParams, simulateParams, trafficModelParams, watchedFilesParams, workspaceSymbolParams } from './lsp/params';
import { guarded, type Problem } from './base/problems';
import { FileConverter, fromDiagnostic, toCompletionList, toDiagnostic, toDocumentSymbol, toHover, toRange, toTrafficView } from './lsp/convert';
import type { SchemaSource } from './schema/registry';
import { LanguageService, type ServiceSettings } from './service/service';
import { readSettings, type RawSettings } from './lsp/settings';
import { WorkspaceSync, type FileEvent, type WorkspaceFileHost } from './lsp/workspaceSync';

export interface ServerHost extends WorkspaceFileHost {
  /** Runs work soon (after `delayMs`, or after pending messages): lets a burst of edits collapse into one analysis. */
  schedule(work: () => void, delayMs?: number): void;
  /** A monotonic clock in milliseconds. */
  now(): number;
}

/** An analysis this slow makes typing wait for it; such documents give requests TYPING_GRACE_MS first. */
const SLOW_PASS_MS = 15;
const TYPING_GRACE_MS = 30;

const FILE_EVENT: Record<number, FileEvent['type']> = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' };

export function startServer(connection: Connection, schemas: SchemaSource, host: ServerHost): void {
  const service = new LanguageService(schemas);
  const sync = new WorkspaceSync(service, host);
  const documents = new TextDocuments(TextDocument);
  let settings: IstioSettings = readSettings(null);
  let folders: string[] = [];
  let canPullConfiguration = false;
  let canWatchFiles = false;
  let scanned = false;
  const pending: string[] = [];
  const serviceSettings = (): ServiceSettings => ({ istioVersion: settings.version, validate: settings.validate.enable });

  const logError = (message: string) => connection.console.error(message);
  const boundary = new Boundary(logError);

  /** Open documents past their first analysis (the one without cross-file checks). */
  const analysed = new Set<string>();

  /** The document's problems; a failure of the whole pass is itself a problem, shown on the document. */
  const problemsOf = (uri: string, version: number, text: string, crossFile: boolean): Problem[] => {
    const problems = guarded('diagnostics', () => ({ start: 0, end: 1 }), () => service.diagnose(uri, version, text, serviceSettings(), crossFile));
    for (const p of problems) if (p.data?.type === 'internal') logError(`${p.data.where} failed on ${uri}: ${p.data.detail ?? p.message}`);
    return problems;
  };

  const validate = boundary.run('diagnostics', (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return;
    // On open, the document's own problems go out at once and the cross-file pass follows, like
    // a compiler's syntactic then semantic diagnostics; later edits publish everything at once
    // so squiggles never flicker.
    const crossFile = analysed.has(uri);
    const problems = problemsOf(uri, doc.version, doc.getText(), crossFile);
    if (!crossFile) {
      analysed.add(uri);
      // The cross-file pass runs next, before any other queued document.
      if (!pending.includes(uri)) pending.unshift(uri);
    }
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: problems.map((p) => toDiagnostic(doc, p)) });
    const model = service.open(uri, doc.version, doc.getText());
    const status: DocumentStatusParams = { uri, istioVersion: settings.version, resourceCount: service.istioResourceCount(model) };
    notify(connection, DocumentStatusNotification, status);
  });

  /** How long each document's last analysis took: big documents wait for the requests typing sends. */
  const passMs = new Map<string, number>();
  const drain = () => {
    const uri = pending.shift();
    if (uri === undefined) return;
    const started = host.now();
    validate(uri);
    passMs.set(uri, host.now() - started);
    if (pending.length > 0) host.schedule(drain);
  };

  /**
   * Validates `first` (the document that changed) before every other open document. When its
   * analysis is slow (a big file), it starts a moment after the keystroke, so the completion
   * request the editor sends with the keystroke is answered first instead of waiting for it.
   */
  const revalidate = (first?: string) => {
    const idle = pending.length === 0;
    if (first) {
      const at = pending.indexOf(first);
      if (at !== -1) pending.splice(at, 1);
      pending.unshift(first);
    }
    pending.push(...documents.keys().filter((u) => !pending.includes(u)));
    const slow = first !== undefined && (passMs.get(first) ?? 0) >= SLOW_PASS_MS;
    if (idle && pending.length > 0) host.schedule(drain, slow ? TYPING_GRACE_MS : undefined);
  };

  const scanWorkspace = boundary.run('workspace scan', (_: void) => {
    scanned = true;
    const count = sync.scan(folders, settings.exclude);
    connection.console.info(`Indexed ${count} YAML files of ${folders.length} workspace folder(s).`);
  });

  const applySettings = (next: IstioSettings) => {
    const rescan = scanned && next.exclude.join('\n') !== settings.exclude.join('\n');
    settings = next;
    service.setHostSettings({ clusterDomain: next.clusterDomain, defaultNamespace: next.defaultNamespace });
    if (rescan) scanWorkspace();
    revalidate();
  };

  const refreshSettings = async () => {
    if (!canPullConfiguration) return;
    try {
      applySettings(readSettings((await connection.workspace.getConfiguration({ section: 'istio' })) as RawSettings));
    } catch (e) {
      connection.console.error(`reading settings failed: ${(e as Error).message}`);
    }
  };

  connection.onInitialize((params) => {
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    return {
      capabilities: {
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
      },
      serverInfo: { name: 'istio-authoring' },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    if (canWatchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] }).catch(() => undefined);
    void refreshSettings().then(() => {
      scanWorkspace();
      revalidate();
    });
  });

  connection.onDidChangeConfiguration((change) => {
    if (canPullConfiguration) void refreshSettings();
    else applySettings(readSettings((change.settings as { istio?: RawSettings } | null)?.istio));
  });

  connection.onDidChangeWatchedFiles(
    boundary.run(
      'watched files',
      (params: { changes: { uri: string; type: number }[] }) => {
        const events = params.changes.filter((c) => !documents.get(c.uri)).map((c) => ({ uri: c.uri, type: FILE_EVENT[c.type] ?? 'changed' }));
        if (events.length === 0) return;
        sync.apply(events);
        revalidate();
      },
      watchedFilesParams,
    ),
  );

  documents.onDidChangeContent(
    boundary.run('document change', (e: { document: TextDocument }) => {
      service.open(e.document.uri, e.document.version, e.document.getText());
      revalidate(e.document.uri);
    }),
  );
  documents.onDidClose(
    boundary.run('document close', (e: { document: TextDocument }) => {
      analysed.delete(e.document.uri);
      passMs.delete(e.document.uri);
      service.close(e.document.uri);
      sync.reload(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      revalidate();
    }),
  );

  const modelOf = (uri: string) => {
    const doc = documents.get(uri);
    return doc ? { doc, model: service.open(uri, doc.version, doc.getText()) } : undefined;
  };

  connection.onCompletion(
    boundary.request('completion', positionParams, (params: { textDocument: { uri: string }; position: { line: number; character: number } }) => {
      const open = modelOf(params.textDocument.uri);
      const result = open && service.complete(open.model.uri, open.doc.offsetAt(params.position), serviceSettings());
      return open && result ? toCompletionList(open.doc, result) : null;
    }),
  );

  connection.onHover(
    boundary.request('hover', positionParams, (params: { textDocument: { uri: string }; position: { line: number; character: number } }) => {
      const open = modelOf(params.textDocument.uri);
      const result = open && service.hover(open.model.uri, open.doc.offsetAt(params.position), serviceSettings());
      return open && result ? toHover(open.doc, result) : null;
    }),
  );

  connection.onDocumentSymbol(
    boundary.request('documentSymbol', documentParams, (params: { textDocument: { uri: string } }) => {
      const open = modelOf(params.textDocument.uri);
      return open ? service.symbols(open.model.uri, serviceSettings()).map((s) => toDocumentSymbol(open.doc, s)) : [];
    }),
  );

  type PositionParams = { textDocument: { uri: string }; position: { line: number; character: number } };
  const offsetOf = (params: PositionParams) => documents.get(params.textDocument.uri)?.offsetAt(params.position);
  const files = () => new FileConverter((uri) => documents.get(uri)?.getText() ?? service.fileText(uri));

  connection.onDefinition(
    boundary.request('definition', positionParams, (params: PositionParams) => {
      const offset = offsetOf(params);
      return offset === undefined ? [] : files().locations(service.definition(params.textDocument.uri, offset, serviceSettings()));
    }),
  );

  connection.onReferences(
    boundary.request('references', referenceParams, (params: PositionParams & { context?: { includeDeclaration?: boolean } }) => {
      const offset = offsetOf(params);
      return offset === undefined ? [] : files().locations(service.references(params.textDocument.uri, offset, params.context?.includeDeclaration ?? true, serviceSettings()));
    }),
  );

  connection.onPrepareRename(
    boundary.request('prepareRename', positionParams, (params: PositionParams) => {
      const offset = offsetOf(params);
      const found = offset === undefined ? undefined : service.prepareRename(params.textDocument.uri, offset, serviceSettings());
      const location = found && files().location(found);
      return location && found ? { range: location.range, placeholder: found.placeholder } : null;
    }),
  );

  connection.onRenameRequest(
    boundary.request('rename', renameParams, (params: PositionParams & { newName: string }) => {
      const offset = offsetOf(params);
      if (offset === undefined) return null;
      const result = service.rename(params.textDocument.uri, offset, params.newName, serviceSettings());
      // A refused rename (invalid name) is an answer the editor shows to the user.
      return typeof result === 'string' ? new ResponseError(ErrorCodes.InvalidParams, result) : files().workspaceEdit(result);
    }),
  );

  type CodeActionParams = { textDocument: { uri: string }; range: { start: { line: number; character: number } }; context: { diagnostics: Diagnostic[]; only?: string[] } };
  const wants = (only: string[] | undefined, kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));

  connection.onCodeAction(
    boundary.request('codeAction', codeActionParams, (params: CodeActionParams) => {
      const open = modelOf(params.textDocument.uri);
      if (!open) return [];
      const doc = open.doc;
      const only = params.context.only;
      const ours = params.context.diagnostics.filter((d) => d.source === SOURCE);
      const problems = ours.map((d) => fromDiagnostic(doc, d));
      const convert = files();
      const fixes = !wants(only, CodeActionKind.QuickFix)
        ? []
        : service.quickFixes(doc.uri, problems, serviceSettings()).map((fix) => {
            const diagnostics = [ours[problems.indexOf(fix.problem)]];
            if (fix.failure !== undefined) return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics, disabled: { reason: boundary.failed(`quick fix for ${fix.problem.code}`, fix.failure) } };
            return { title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: fix.isPreferred, diagnostics, edit: convert.workspaceEdit(fix.edits) };
          });
      const position = params.range.start;
      const refactorings = service.refactorings(doc.uri, doc.offsetAt(position), serviceSettings()).filter((r) => wants(only, r.kind));
      // Refactorings with questions run through the client, which asks them; the others are
      // resolved lazily: their edits are computed only for the one the user picks.
      return [
        ...fixes,
        ...refactorings.map((r) => {
          if (r.failure !== undefined) return { title: `Istio refactoring '${r.id}'`, kind: r.kind, disabled: { reason: boundary.failed(`refactoring ${r.id}`, r.failure) } };
          if (r.inputs.length === 0) return { title: r.title, kind: r.kind, data: { uri: doc.uri, position, id: r.id } };
          const args: RefactorCommandArgs = { uri: doc.uri, position, id: r.id, title: r.title, questions: r.inputs };
          return { title: r.title, kind: r.kind, command: { title: r.title, command: CommandId.refactor, arguments: [args] } };
        }),
      ];
    }),
  );

  const refactorEdit = (params: RefactorParams): RefactorResult => {
    const doc = modelOf(params.uri)?.doc;
    if (!doc) return { error: 'The document is not open' };
    const result = service.applyRefactoring(doc.uri, doc.offsetAt(params.position), params.id, params.answers, serviceSettings());
    return typeof result === 'string' ? { error: result } : { edit: files().workspaceEdit(result) };
  };

  connection.onCodeActionResolve(
    boundary.request('codeActionResolve', codeActionResolveParams, (action: { title: string; data?: { uri: string; position: { line: number; character: number }; id: string } }) => {
      if (!action.data) return action;
      const result = refactorEdit({ ...action.data, answers: {} });
      if ('error' in result) {
        void connection.window.showWarningMessage(`${action.title}: ${result.error}`);
        return action;
      }
      return { ...action, edit: result.edit };
    }),
  );

  onRequest(
    connection,
    RefactorRequest,
    boundary.request('refactor', refactorParams, (params: RefactorParams) => refactorEdit(params), (error): RefactorResult => ({ error })),
  );

  onRequest(
    connection,
    TrafficModelRequest,
    boundary.request(
      'trafficModel',
      trafficModelParams,
      (params: TrafficModelParams): TrafficModelResult => {
      const open = modelOf(params.uri);
      if (!open) return { problems: [] };
      const { model, problems } = service.traffic(params.uri, open.doc.offsetAt(params.position), serviceSettings());
      return { view: model && toTrafficView(open.doc, model), problems };
      },
      (error): TrafficModelResult => ({ problems: [error] }),
    ),
  );

  onRequest(
    connection,
    SimulateRequest,
    boundary.request(
      'simulate',
      simulateParams,
      (params: SimulateParams): SimulateResult => {
        const open = modelOf(params.uri);
        return open ? service.simulate(params.uri, open.doc.offsetAt(params.position), params.request, serviceSettings()) : { summary: 'The document is not open', verdicts: [] };
      },
      (summary): SimulateResult => ({ summary, verdicts: [] }),
    ),
  );

  onRequest(
    connection,
    SetWeightRequest,
    boundary.request(
      'setWeight',
      setWeightParams,
      (params: SetWeightParams): RefactorResult => {
        const open = modelOf(params.uri);
        if (!open) return { error: 'The document is not open' };
        const result = service.setWeight(params.uri, open.doc.offsetAt(params.position), params.weight, serviceSettings());
        return typeof result === 'string' ? { error: result } : { edit: files().workspaceEdit(result) };
      },
      (error): RefactorResult => ({ error }),
    ),
  );

  connection.onCodeLens(
    boundary.request('codeLens', documentParams, (params: { textDocument: { uri: string } }) => {
      const open = modelOf(params.textDocument.uri);
      if (!open) return [];
      return service.virtualServiceStarts(open.doc.uri).map(({ offset }) => {
        const range = toRange(open.doc, offset, offset);
        return { range, command: { title: 'Preview traffic', command: CommandId.previewTraffic, arguments: [open.doc.uri, range.start] } };
      });
    }),
  );

  connection.onWorkspaceSymbol(
    boundary.request('workspaceSymbol', workspaceSymbolParams, (params: { query: string }) => {
      const convert = files();
      return service.workspaceSymbols(params.query, serviceSettings()).flatMap((s) => convert.symbol(s) ?? []);
    }),
  );

  documents.listen(connection);
  connection.listen();
}
