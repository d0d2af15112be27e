// What the workspace-value positions share: where a value comes from the workspace, and its entries.
import type { ResourceDocument } from '../../model/resource';
import type { PathSegment } from '../../schema/yamlPath';
import type { WorkspaceIndex } from '../../workspace/index';
import type { CompletionEntry } from './entries';

/** What a position looks at to know the resource: a Gateway API `Gateway` is not Istio's. */
export type Identity = Pick<ResourceDocument, 'apiVersion' | 'kind'>;

export interface Position {
  /** The scalar at `path` of this resource takes its values from the workspace. */
  at(resource: Identity, path: PathSegment[]): boolean;
  values(index: WorkspaceIndex, resource: ResourceDocument, path: PathSegment[], namespace: string): CompletionEntry[] | undefined;
}

/** A value naming something of the workspace; `sortText` orders the likelier ones first. */
export function value(label: string, detail: string, documentation?: string, sortText?: string): CompletionEntry {
  return { label, kind: 'reference', detail, documentation, insertText: label, snippet: false, sortText };
}

/** The first entry of each label. */
export function dedupe(entries: CompletionEntry[]): CompletionEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.label) && seen.add(e.label));
}

/** The entries, or undefined when there are none (the workspace has nothing to say there). */
export function nonEmpty(entries: CompletionEntry[]): CompletionEntry[] | undefined {
  return entries.length > 0 ? entries : undefined;
}
