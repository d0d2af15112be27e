// The language service: owns the schema registry, the parse and diagnostics caches and the
// workspace index, and exposes each feature as a function of (document, offset, settings).
// The LSP server and the CLI both call it; neither touches a feature module directly.
import { fileProblems, DiagnosticsCache } from '../features/diagnostics';
import { complete } from '../features/completion/complete';
import type { CompletionResult } from '../features/completion/entries';
import { hover, type HoverResult } from '../features/hover';
import { documentSymbols, type SymbolModel } from '../features/symbols';
import { quickFixes, type Fix } from '../features/quickFixes';
import { applyRefactoring, offerRefactorings, type RefactorContext, type Refactoring } from '../features/refactor';
import type { Edit } from '../edit/textEdits';
import { setWeightAt, simulateAt, trafficAt, type TrafficModel } from '../features/traffic';
import type { SimulatedRequest, SimulateResult } from '../../../shared/protocol';
import { definition, prepareRename, references, rename, workspaceSymbols, type Location, type TextEdit, type WorkspaceSymbol } from '../features/navigation';
import { buildFileModel, ModelCache, type FileModel } from '../model/fileModel';
import type { Problem } from '../base/problems';
import { SchemaRegistry, type SchemaSource } from '../schema/registry';
import { DEFAULT_HOST_SETTINGS, type HostSettings } from '../workspace/hosts';
import { WorkspaceIndex } from '../workspace/index';

export interface ServiceSettings {
  istioVersion: string;
  validate: boolean;
}

export class LanguageService {
  readonly registry: SchemaRegistry;
  private readonly models = new ModelCache();
  private readonly diskTexts = new Map<string, string>();
  private readonly diskModels = new Map<string, FileModel>();
  private readonly diagnostics = new DiagnosticsCache();
  private workspace: WorkspaceIndex;

  constructor(schemas: SchemaSource, hostSettings: HostSettings = DEFAULT_HOST_SETTINGS) {
    this.registry = new SchemaRegistry(schemas);
    this.workspace = new WorkspaceIndex(hostSettings);
  }

  get index(): WorkspaceIndex {
    return this.workspace;
  }

  /** Re-creates the index for new host settings (cluster domain, default namespace). */
  setHostSettings(settings: HostSettings): void {
    const current = this.workspace.settings;
    if (current.clusterDomain === settings.clusterDomain && current.defaultNamespace === settings.defaultNamespace) return;
    const uris = new Set([...this.diskTexts.keys(), ...this.models.uris()]);
    this.workspace = new WorkspaceIndex(settings);
    for (const uri of uris) {
      const model = this.models.peek(uri) ?? this.diskModel(uri);
      if (model) this.workspace.setFile(model);
    }
  }

  /** The model of an open document; it overlays the file on disk in the index. */
  model(uri: string, version: number, text: string): FileModel {
    const before = this.models.peek(uri);
    const model = this.models.get(uri, version, text);
    if (model !== before || !this.workspace.hasFile(uri)) this.workspace.setFile(model);
    return model;
  }

  /** A workspace file (or its new content on disk). While it is open, its editor's text wins. */
  setDiskFile(uri: string, text: string): void {
    this.diskTexts.set(uri, text);
    this.diskModels.delete(uri);
    if (!this.models.peek(uri)) this.workspace.setFile(this.diskModel(uri)!);
  }

  removeDiskFile(uri: string): void {
    this.diskTexts.delete(uri);
    this.diskModels.delete(uri);
    if (!this.models.peek(uri)) this.workspace.removeFile(uri);
  }

  /** An editor closed the document: the file on disk (if any) takes its place again. */
  close(uri: string): void {
    this.models.evict(uri);
    const disk = this.diskModel(uri);
    if (disk) this.workspace.setFile(disk);
    else this.workspace.removeFile(uri);
  }

  /** The model of a file's text on disk, built when first needed (not while it is open). */
  private diskModel(uri: string): FileModel | undefined {
    const text = this.diskTexts.get(uri);
    if (text === undefined) return undefined;
    let model = this.diskModels.get(uri);
    if (!model) {
      model = buildFileModel(uri, 0, text);
      this.diskModels.set(uri, model);
    }
    return model;
  }

  /**
   * Problems of an open document. `crossFile: false` gives only the document's own problems
   * (syntax, schema, identity), which need nothing else parsed: the first answer on open.
   */
  diagnose(uri: string, version: number, text: string, settings: ServiceSettings, crossFile = true): Problem[] {
    if (!settings.validate) return [];
    return fileProblems(this.model(uri, version, text), this.registry, settings, this.diagnostics, crossFile ? this.workspace : undefined);
  }

  /** Diagnostics of a file known only from disk (the CLI). */
  diagnoseDiskFile(uri: string, settings: ServiceSettings): Problem[] {
    const model = this.diskModel(uri);
    if (!model || !settings.validate) return [];
    return fileProblems(model, this.registry, settings, this.diagnostics, this.workspace);
  }

  complete(model: FileModel, offset: number, settings: ServiceSettings): CompletionResult | undefined {
    return complete(model, offset, { registry: this.registry, istioVersion: settings.istioVersion, index: this.workspace });
  }

  hover(model: FileModel, offset: number, settings: ServiceSettings): HoverResult | undefined {
    return hover(model, offset, { registry: this.registry, istioVersion: settings.istioVersion });
  }

  symbols(model: FileModel): SymbolModel[] {
    return documentSymbols(model);
  }

  /** The current text of a workspace file: its editor's, or the one on disk. */
  fileText(uri: string): string | undefined {
    return this.models.peek(uri)?.text ?? this.diskTexts.get(uri);
  }

  definition(uri: string, offset: number): Location[] {
    return definition(this.workspace, uri, offset);
  }

  references(uri: string, offset: number, includeDeclaration: boolean): Location[] {
    return references(this.workspace, uri, offset, includeDeclaration);
  }

  prepareRename(uri: string, offset: number): (Location & { placeholder: string }) | undefined {
    return prepareRename(this.workspace, uri, offset);
  }

  rename(uri: string, offset: number, newName: string): TextEdit[] | string {
    return rename(this.workspace, uri, offset, newName);
  }

  /** Quick fixes for problems (file offsets) of a workspace file. */
  quickFixes(uri: string, problems: Problem[]): Fix[] {
    const text = this.fileText(uri);
    return text === undefined ? [] : quickFixes({ index: this.workspace, uri, text, fileText: (u) => this.fileText(u) }, problems);
  }

  private refactorContext(uri: string, offset: number, settings: ServiceSettings): RefactorContext | undefined {
    const text = this.fileText(uri);
    return text === undefined ? undefined : { index: this.workspace, registry: this.registry, istioVersion: settings.istioVersion, uri, text, offset, fileText: (u) => this.fileText(u) };
  }

  /** Authoring refactorings offered at an offset of a workspace file. */
  refactorings(uri: string, offset: number, settings: ServiceSettings): Refactoring[] {
    const ctx = this.refactorContext(uri, offset, settings);
    return ctx ? offerRefactorings(ctx) : [];
  }

  /** The edits of a refactoring with these answers (defaults for the others), or why not. */
  applyRefactoring(uri: string, offset: number, id: string, answers: Record<string, string>, settings: ServiceSettings): Edit[] | string {
    const ctx = this.refactorContext(uri, offset, settings);
    return ctx ? applyRefactoring(ctx, id, answers) : 'The document is not open';
  }

  /** The traffic model of the VirtualService at an offset of an open document. */
  traffic(uri: string, offset: number): { model?: TrafficModel; problems: string[] } {
    return trafficAt(this.workspace, uri, offset);
  }

  simulate(uri: string, offset: number, request: SimulatedRequest): SimulateResult {
    return simulateAt(this.workspace, uri, offset, request);
  }

  /** The edit that sets the weight of the destination at `offset`, rebalancing the others. */
  setWeight(uri: string, offset: number, weight: number, settings: ServiceSettings): Edit[] | string {
    const ctx = this.refactorContext(uri, offset, settings);
    return ctx ? setWeightAt(ctx, weight) : 'The document is not open';
  }

  /** Where each VirtualService of a file starts (its `kind` value): CodeLens positions. */
  virtualServiceStarts(uri: string): { offset: number; name: string }[] {
    return this.workspace.entries(uri).flatMap((e) => {
      if (!e.info.virtualService) return [];
      const kind = e.resource.doc.get('kind', true) as { range?: [number, number, number] } | undefined;
      return [{ offset: e.resource.fileOffset(kind?.range?.[0] ?? 0), name: e.name }];
    });
  }

  workspaceSymbols(query: string): WorkspaceSymbol[] {
    return workspaceSymbols(this.workspace, query);
  }

  istioResourceCount(model: FileModel): number {
    return model.resources.filter((r) => r.isIstio).length;
  }
}
