// The language service: owns the schema registry, the document store (which keeps the workspace
// index) and the diagnostics cache, and answers each request by building one feature context and
// calling the feature with it. The LSP server and the CLI both call it; neither touches a
// feature module directly.
import { fileProblems, DiagnosticsCache } from '../features/diagnostics';
import { complete } from '../features/completion/complete';
import type { CompletionResult } from '../features/completion/entries';
import type { FeatureContext, FeatureSettings } from '../features/context';
import { hover, type HoverResult } from '../features/hover';
import { documentSymbols, type SymbolModel } from '../features/symbols';
import { quickFixes, type Fix } from '../features/quickFixes';
import { applyRefactoring, offerRefactorings, type Refactoring } from '../features/refactor';
import type { Edit } from '../edit/textEdits';
import { setWeightAt, simulateAt, trafficAt, withProblems, type TrafficModel } from '../features/traffic';
import type { SimulatedRequest, SimulateResult } from '../../../shared/protocol';
import { definition, prepareRename, references, rename, workspaceSymbols, type Location, type TextEdit, type WorkspaceSymbol } from '../features/navigation';
import type { FileModel } from '../model/fileModel';
import type { Problem } from '../base/problems';
import { SchemaRegistry, type SchemaSource } from '../schema/registry';
import { DEFAULT_HOST_SETTINGS, type HostSettings } from '../workspace/hosts';
import type { WorkspaceIndex } from '../workspace/index';
import { DocumentStore } from './documents';

/** The settings every request passes: the features' settings. */
export type ServiceSettings = FeatureSettings;

export class LanguageService {
  readonly registry: SchemaRegistry;
  private readonly documents: DocumentStore;
  private readonly diagnostics = new DiagnosticsCache();

  constructor(schemas: SchemaSource, hostSettings: HostSettings = DEFAULT_HOST_SETTINGS) {
    this.registry = new SchemaRegistry(schemas);
    this.documents = new DocumentStore(hostSettings);
  }

  get index(): WorkspaceIndex {
    return this.documents.workspace;
  }

  /** The feature context of one request: the store's current workspace, the schemas and these settings. */
  context(settings: FeatureSettings): FeatureContext {
    const documents = this.documents;
    return { workspace: documents.workspace, schemas: this.registry, settings, model: (uri) => documents.model(uri), text: (uri) => documents.text(uri) };
  }

  /** Re-creates the index for new host settings (cluster domain, default namespace). */
  setHostSettings(settings: HostSettings): void {
    this.documents.setHostSettings(settings);
  }

  /** An editor's document now has this text; its model overlays the file on disk in the index. */
  open(uri: string, version: number, text: string): FileModel {
    return this.documents.open(uri, version, text);
  }

  /** A workspace file (or its new content on disk). While it is open, its editor's text wins. */
  setDiskFile(uri: string, text: string): void {
    this.documents.setDiskFile(uri, text);
  }

  removeDiskFile(uri: string): void {
    this.documents.removeDiskFile(uri);
  }

  /** An editor closed the document: the file on disk (if any) takes its place again. */
  close(uri: string): void {
    this.documents.close(uri);
  }

  /**
   * Problems of an editor's document: it is opened with this text first (as `open` does), then
   * checked. `crossFile: false` gives only the document's own problems (syntax, schema,
   * identity), which need nothing else parsed: the first answer on open.
   */
  diagnose(uri: string, version: number, text: string, settings: FeatureSettings, crossFile = true): Problem[] {
    this.documents.open(uri, version, text);
    if (!settings.validate) return [];
    return fileProblems(this.context(settings), uri, this.diagnostics, crossFile);
  }

  /** Diagnostics of a workspace file as the store holds it (the CLI: its text on disk). */
  diagnoseDiskFile(uri: string, settings: FeatureSettings): Problem[] {
    if (!settings.validate) return [];
    return fileProblems(this.context(settings), uri, this.diagnostics, true);
  }

  complete(uri: string, offset: number, settings: FeatureSettings): CompletionResult | undefined {
    return complete(this.context(settings), uri, offset);
  }

  hover(uri: string, offset: number, settings: FeatureSettings): HoverResult | undefined {
    return hover(this.context(settings), uri, offset);
  }

  symbols(uri: string, settings: FeatureSettings): SymbolModel[] {
    return documentSymbols(this.context(settings), uri);
  }

  /** The current text of a workspace file: its editor's, or the one on disk. */
  fileText(uri: string): string | undefined {
    return this.documents.text(uri);
  }

  definition(uri: string, offset: number, settings: FeatureSettings): Location[] {
    return definition(this.context(settings), uri, offset);
  }

  references(uri: string, offset: number, includeDeclaration: boolean, settings: FeatureSettings): Location[] {
    return references(this.context(settings), uri, offset, includeDeclaration);
  }

  prepareRename(uri: string, offset: number, settings: FeatureSettings): (Location & { placeholder: string }) | undefined {
    return prepareRename(this.context(settings), uri, offset);
  }

  rename(uri: string, offset: number, newName: string, settings: FeatureSettings): TextEdit[] | string {
    return rename(this.context(settings), uri, offset, newName);
  }

  /** Quick fixes for problems (file offsets) of a workspace file. */
  quickFixes(uri: string, problems: Problem[], settings: FeatureSettings): Fix[] {
    return quickFixes(this.context(settings), uri, problems);
  }

  /** Authoring refactorings offered at an offset of a workspace file. */
  refactorings(uri: string, offset: number, settings: FeatureSettings): Refactoring[] {
    return offerRefactorings(this.context(settings), uri, offset);
  }

  /** The edits of a refactoring with these answers (defaults for the others), or why not. */
  applyRefactoring(uri: string, offset: number, id: string, answers: Record<string, string>, settings: FeatureSettings): Edit[] | string {
    return applyRefactoring(this.context(settings), uri, offset, id, answers);
  }

  /**
   * The traffic model of the VirtualService at an offset of an open document, with the
   * diagnostics of the same engine (its file's, and its subsets' DestinationRules') on its elements.
   */
  traffic(uri: string, offset: number, settings: FeatureSettings): { model?: TrafficModel; problems: string[] } {
    const ctx = this.context(settings);
    const result = trafficAt(ctx, uri, offset);
    if (!result.model || !settings.validate) return result;
    return { ...result, model: withProblems(result.model, uri, (u) => fileProblems(ctx, u, this.diagnostics, true)) };
  }

  simulate(uri: string, offset: number, request: SimulatedRequest, settings: FeatureSettings): SimulateResult {
    return simulateAt(this.context(settings), uri, offset, request);
  }

  /** The edit that sets the weight of the destination at `offset`, rebalancing the others. */
  setWeight(uri: string, offset: number, weight: number, settings: FeatureSettings): Edit[] | string {
    return setWeightAt(this.context(settings), uri, offset, weight);
  }

  /** Where each resource the traffic preview draws (VirtualService, HTTPRoute, GRPCRoute) starts in a file (its `kind` value): CodeLens positions. */
  trafficPreviewStarts(uri: string): { offset: number; name: string }[] {
    return this.documents.workspace.entries(uri).flatMap((e) => {
      const routeKind = e.info.gatewayApiRoute?.routeKind;
      if (!e.info.virtualService && routeKind !== 'HTTPRoute' && routeKind !== 'GRPCRoute') return [];
      const kind = e.resource.doc.get('kind', true) as { range?: [number, number, number] } | undefined;
      return [{ offset: e.resource.fileOffset(kind?.range?.[0] ?? 0), name: e.name }];
    });
  }

  workspaceSymbols(query: string, settings: FeatureSettings): WorkspaceSymbol[] {
    return workspaceSymbols(this.context(settings), query);
  }

  istioResourceCount(model: FileModel): number {
    // The resources we check: Istio's and the Gateway API's.
    return model.resources.filter((r) => r.isOurs).length;
  }
}
