// What a semantic check sees: the workspace index and the resource under analysis; what it
// gives back: problems with ranges relative to the resource's document.
import type { CatalogKey } from '../catalog';
import { problem, type Problem, type ProblemData } from '../problems';
import type { Span } from '../workspace/extract';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';

export interface CheckContext {
  index: WorkspaceIndex;
  entry: IndexedResource;
  report(key: CatalogKey, at: Span, message: string, data?: ProblemData): void;
}

export type Check = (ctx: CheckContext) => void;

export function runChecks(checks: Check[], index: WorkspaceIndex, entry: IndexedResource): Problem[] {
  const problems: Problem[] = [];
  const ctx: CheckContext = {
    index,
    entry,
    report: (key, at, message, data) => problems.push(problem(key, at.start, Math.max(at.end, at.start + 1), message, data ?? { type: 'semantic' })),
  };
  for (const check of checks) check(ctx);
  return problems;
}
