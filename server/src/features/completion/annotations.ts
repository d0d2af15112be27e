// Completion of Istio's annotation and label keys under `metadata.annotations` / `metadata.labels`
// (a resource's or a pod template's), and of their values where Istio knows them, from the
// registries of the selected Istio version. Any resource kind: Kubernetes ones (Pods,
// Deployments, Services, Namespaces...) as well as Istio's.
import { quoteStyle, writeScalar } from '../../edit/textEdits';
import type { ResourceDocument } from '../../model/resource';
import { offeredValues } from '../../schema/annotationValues';
import { appliesTo, metadataKeyAt, metadataMarkdown, metadataStatus, type MetadataEntry, type MetadataKind } from '../../schema/istioMetadata';
import type { PathSegment } from '../../schema/yamlPath';
import type { FeatureContext } from '../context';
import { SORT, type CompletionEntry } from './entries';

/**
 * Items for a key or value being typed at `path` (a key's path ends with the placeholder),
 * undefined when the path is not in a metadata map. `quoted`: the value being typed follows a quote;
 * `present`: the keys the map has.
 */
export function metadataItems(
  ctx: FeatureContext,
  resource: ResourceDocument,
  path: PathSegment[],
  cursor: { mode: 'key' | 'value'; quoted: boolean; present: () => Set<string> },
): CompletionEntry[] | undefined {
  const at = metadataKeyAt(path, resource.kind);
  const registry = at && ctx.schemas.metadata(ctx.settings.istioVersion);
  if (!at || !registry) return undefined;
  if (cursor.mode === 'value') {
    const entry = registry.get(at.kind, at.key);
    const values = entry && offeredValues(entry.name, entry.values);
    if (!values) return undefined;
    const quote = quoteStyle(resource.text);
    return values.map((v) => ({
      label: v,
      kind: 'enum',
      insertText: cursor.quoted ? v : writeScalar(v, quote),
      snippet: false,
      documentation: metadataMarkdown(at.kind, entry, at.resourceType, values),
    }));
  }
  const present = cursor.present();
  return registry
    .all(at.kind)
    .filter((entry) => !entry.hidden && !present.has(entry.name) && (!at.resourceType || appliesTo(entry, at.resourceType)))
    .map((entry) => keyItem(at.kind, entry, at.resourceType, resource.text));
}

function keyItem(kind: MetadataKind, entry: MetadataEntry, resourceType: string | undefined, text: string): CompletionEntry {
  const values = offeredValues(entry.name, entry.values);
  const quote = quoteStyle(text);
  // Annotation and label values are strings: `true` or `8080` written plain would not be.
  const choice = values ? `\${1|${values.map((v) => writeScalar(v, quote).replace(/[,|\\]/g, '\\$&')).join(',')}|}` : `${quote}$1${quote}`;
  const status = metadataStatus(entry);
  return {
    label: entry.name,
    kind: 'property',
    detail: `Istio ${kind === 'annotations' ? 'annotation' : 'label'}${status ? ` (${status})` : ''}`,
    documentation: metadataMarkdown(kind, entry, resourceType, values),
    insertText: `${entry.name}: ${choice}`,
    snippet: true,
    // Deprecated ones last.
    sortText: `${entry.deprecated ? SORT.deprecated : SORT.field}${entry.name}`,
    deprecated: entry.deprecated,
  };
}
