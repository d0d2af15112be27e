// The language service: owns the schema registry and the parse and diagnostics caches, and
// exposes each feature as a function of (document, offset, settings). The LSP server and the
// CLI both call it; neither touches a feature module directly.
import { fileProblems, DiagnosticsCache } from './features/diagnostics';
import { complete, type CompletionResult } from './features/completion';
import { hover, type HoverResult } from './features/hover';
import { documentSymbols, type SymbolModel } from './features/symbols';
import { ModelCache, type FileModel } from './model/fileModel';
import type { Problem } from './problems';
import { SchemaRegistry, type SchemaSource } from './schema/registry';

export interface ServiceSettings {
  istioVersion: string;
  validate: boolean;
}

export class LanguageService {
  readonly registry: SchemaRegistry;
  private readonly models = new ModelCache();
  private readonly diagnostics = new DiagnosticsCache();

  constructor(schemas: SchemaSource) {
    this.registry = new SchemaRegistry(schemas);
  }

  model(uri: string, version: number, text: string): FileModel {
    return this.models.get(uri, version, text);
  }

  close(uri: string): void {
    this.models.evict(uri);
  }

  diagnose(uri: string, version: number, text: string, settings: ServiceSettings): Problem[] {
    if (!settings.validate) return [];
    return fileProblems(this.model(uri, version, text), this.registry, settings, this.diagnostics);
  }

  complete(model: FileModel, offset: number, settings: ServiceSettings): CompletionResult | undefined {
    return complete(model, offset, { registry: this.registry, istioVersion: settings.istioVersion });
  }

  hover(model: FileModel, offset: number, settings: ServiceSettings): HoverResult | undefined {
    return hover(model, offset, { registry: this.registry, istioVersion: settings.istioVersion });
  }

  symbols(model: FileModel): SymbolModel[] {
    return documentSymbols(model);
  }

  istioResourceCount(model: FileModel): number {
    return model.resources.filter((r) => r.isIstio).length;
  }
}
