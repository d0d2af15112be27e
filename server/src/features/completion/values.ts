// What the workspace-value positions share: where a value comes from the workspace, its entries,
// and the readings of a half-typed reference they all make.
import type { YAMLMap } from 'yaml';
import type { ResourceDocument } from '../../model/resource';
import type { PathSegment } from '../../schema/yamlPath';
import type { GroupKind } from '../../workspace/gatewayApiFacts';
import type { IndexedResource, WorkspaceIndex } from '../../workspace/index';
import { map, textAt } from '../../workspace/nodes';
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

/** sortText prefixes: what the reference would resolve to as the user means, then the rest. */
export const LIKELY = '0';
export const UNLIKELY = '1';

/** The map at `path` in the document (a half-typed item may be none). */
export const mapAt = (resource: ResourceDocument, path: PathSegment[]): YAMLMap | undefined => map(resource.doc.getIn(path, true));

/** The group and kind a reference's map writes, else the defaults. */
export function groupKindOf(node: YAMLMap | undefined, defaults: { group: string; kind: string }): GroupKind {
  return { group: textAt(node, 'group')?.value ?? defaults.group, kind: textAt(node, 'kind')?.value ?? defaults.kind };
}

/** The workspace's namespaces, those holding something of these kinds first (with their names). */
export function namespacesHolding(index: WorkspaceIndex, kinds: string[]): CompletionEntry[] | undefined {
  const entries = index.namespaces().map((ns) => {
    const names = [...new Set(kinds.flatMap((k) => index.ofKindIn(k, ns).map((e) => e.name)))];
    const detail = names.length > 0 ? `namespace: ${names.slice(0, 6).join(', ')}${names.length > 6 ? '…' : ''}` : 'namespace';
    return value(ns, detail, undefined, `${names.length > 0 || kinds.length === 0 ? LIKELY : UNLIKELY}${ns}`);
  });
  return nonEmpty(entries);
}

/** A Service's or ServiceEntry's ports, as documentation. */
export function portsDoc(entry: IndexedResource): string | undefined {
  const { service, serviceEntry } = entry.info;
  const ports = service?.ports.map((p) => `${p.name?.value ?? '(unnamed)'} ${p.port ?? '?'}`) ?? serviceEntry?.ports.map((p) => `${p.number ?? '?'} ${p.protocol?.value ?? ''}`.trim());
  return ports && ports.length > 0 ? `ports: ${ports.join(', ')}` : undefined;
}
