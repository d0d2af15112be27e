// The position-based requests and the preview's custom requests: each finds the open document,
// asks the language service and converts the answer (lsp/convert.ts). The wiring runs every one
// inside the Boundary, which checks the params first (lsp/params.ts).
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { CommandId } from '../../../shared/commands';
import type { RefactorResult, SetWeightParams, SimulateParams, SimulateResult, TrafficModelParams, TrafficModelResult } from '../../../shared/protocol';
import type { LanguageService } from '../service/service';
import { toCompletionList, toDocumentSymbol, toHover, toRange, toTrafficView } from './convert';
import type { DocumentParams, OpenDocuments, PositionParams } from './openDocuments';
import type { SettingsLifecycle } from './settingsLifecycle';

/** What the client said in `initialize` it can do. */
export interface ClientSupport {
  /** Completion text inserted as is (InsertTextMode.asIs), not re-indented by the editor. */
  completionAsIs: boolean;
}

export class Requests {
  constructor(
    private readonly open: OpenDocuments,
    private readonly service: LanguageService,
    private readonly settings: SettingsLifecycle,
    private readonly client: ClientSupport = { completionAsIs: false },
  ) {}

  readonly completion = (params: PositionParams) => {
    const open = this.open.modelOf(params.textDocument.uri);
    const result = open && this.service.complete(open.doc.uri, open.doc.offsetAt(params.position), this.settings.serviceSettings());
    return open && result ? toCompletionList(open.doc, result, this.client.completionAsIs) : null;
  };

  readonly hover = (params: PositionParams) => {
    const open = this.open.modelOf(params.textDocument.uri);
    const result = open && this.service.hover(open.doc.uri, open.doc.offsetAt(params.position), this.settings.serviceSettings());
    return open && result ? toHover(open.doc, result) : null;
  };

  readonly documentSymbol = (params: DocumentParams) => {
    const open = this.open.modelOf(params.textDocument.uri);
    return open ? this.service.symbols(open.doc.uri, this.settings.serviceSettings()).map((s) => toDocumentSymbol(open.doc, s)) : [];
  };

  readonly definition = (params: PositionParams) => {
    const offset = this.open.offsetOf(params);
    return offset === undefined ? [] : this.open.files().locations(this.service.definition(params.textDocument.uri, offset, this.settings.serviceSettings()));
  };

  readonly references = (params: PositionParams & { context?: { includeDeclaration?: boolean } }) => {
    const offset = this.open.offsetOf(params);
    return offset === undefined
      ? []
      : this.open.files().locations(this.service.references(params.textDocument.uri, offset, params.context?.includeDeclaration ?? true, this.settings.serviceSettings()));
  };

  readonly prepareRename = (params: PositionParams) => {
    const offset = this.open.offsetOf(params);
    const found = offset === undefined ? undefined : this.service.prepareRename(params.textDocument.uri, offset, this.settings.serviceSettings());
    const location = found && this.open.files().location(found);
    return location && found ? { range: location.range, placeholder: found.placeholder } : null;
  };

  readonly rename = (params: PositionParams & { newName: string }) => {
    const offset = this.open.offsetOf(params);
    if (offset === undefined) return null;
    const result = this.service.rename(params.textDocument.uri, offset, params.newName, this.settings.serviceSettings());
    // A refused rename (invalid name) is an answer the editor shows to the user.
    return typeof result === 'string' ? new ResponseError(ErrorCodes.InvalidParams, result) : this.open.files().workspaceEdit(result);
  };

  readonly trafficModel = (params: TrafficModelParams): TrafficModelResult => {
    const open = this.open.modelOf(params.uri);
    if (!open) return { problems: [] };
    const { model, problems } = this.service.traffic(params.uri, open.doc.offsetAt(params.position), this.settings.serviceSettings());
    return { view: model && toTrafficView(open.doc, model), problems };
  };

  readonly simulate = (params: SimulateParams): SimulateResult => {
    const open = this.open.modelOf(params.uri);
    return open ? this.service.simulate(params.uri, open.doc.offsetAt(params.position), params.request, this.settings.serviceSettings()) : { summary: 'The document is not open', verdicts: [] };
  };

  readonly setWeight = (params: SetWeightParams): RefactorResult => {
    const open = this.open.modelOf(params.uri);
    if (!open) return { error: 'The document is not open' };
    const result = this.service.setWeight(params.uri, open.doc.offsetAt(params.position), params.weight, this.settings.serviceSettings());
    return typeof result === 'string' ? { error: result } : { edit: this.open.files().workspaceEdit(result) };
  };

  readonly codeLens = (params: DocumentParams) => {
    const open = this.open.modelOf(params.textDocument.uri);
    if (!open) return [];
    return this.service.trafficPreviewStarts(open.doc.uri).map(({ offset }) => {
      const range = toRange(open.doc, offset, offset);
      return { range, command: { title: 'Preview traffic', command: CommandId.previewTraffic, arguments: [open.doc.uri, range.start] } };
    });
  };

  readonly workspaceSymbol = (params: { query: string }) => {
    const convert = this.open.files();
    return this.service.workspaceSymbols(params.query, this.settings.serviceSettings()).flatMap((s) => convert.symbol(s) ?? []);
  };
}
