// What a semantic check sees: the workspace index and the resource under analysis; what it
// gives back: problems with ranges relative to the resource's document.
import { isMap, type Node } from 'yaml';
import type { CatalogKey } from '../base/catalog';
import type { ResourceDocument } from '../model/resource';
import type { IstioMetadata } from '../schema/istioMetadata';
import { internalProblem, problem, type Problem, type ProblemData } from '../base/problems';
import type { Span } from '../workspace/extract';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';

export interface CheckContext {
  index: WorkspaceIndex;
  entry: IndexedResource;
  /** Istio's annotation and label registries of the selected Istio version, when known. */
  metadata?: IstioMetadata;
  report(key: CatalogKey, at: Span, message: string, data?: ProblemData): void;
}

export type Check = (ctx: CheckContext) => void;

export function runChecks(checks: Check[], index: WorkspaceIndex, entry: IndexedResource, metadata?: IstioMetadata): Problem[] {
  const problems: Problem[] = [];
  const ctx: CheckContext = {
    index,
    entry,
    metadata,
    report: (key, at, message, data) => problems.push(problem(key, at.start, Math.max(at.end, at.start + 1), message, data ?? { type: 'semantic' })),
  };
  // One failing check loses only its own findings; the failure itself is reported.
  for (const check of checks) {
    try {
      check(ctx);
    } catch (e) {
      const anchor = resourceAnchor(entry.resource);
      problems.push(internalProblem(check.name || 'semantic check', anchor.start, anchor.end, e));
    }
  }
  return problems;
}

/** Where a resource-wide report goes: its `kind` value, else the document's first character. */
export function resourceAnchor(resource: ResourceDocument): Span {
  const root = resource.doc.contents;
  const range = isMap(root) ? (root.get('kind', true) as Node | undefined)?.range : undefined;
  return range ? { start: range[0], end: range[1] } : { start: 0, end: 1 };
}
