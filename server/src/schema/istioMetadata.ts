// Istio's annotation and label registries of one Istio version (schemas/<v>/annotations.json and
// labels.json, generated from istio/api's annotations.yaml and labels.yaml): what completion,
// hover and the annotation checks know about `metadata.annotations` and `metadata.labels` keys.
import { offeredValues } from './annotationValues';
import type { PathSegment } from './yamlPath';

export type MetadataKind = 'annotations' | 'labels';

export interface MetadataEntry {
  name: string;
  description: string;
  featureStatus: 'Alpha' | 'Beta' | 'Stable' | null;
  /** Not documented for users (set by Istio itself): known, but never offered. */
  hidden: boolean;
  deprecated: boolean;
  /** The resource types it applies to (`Pod`, `Service`, ...; `Any`). */
  resources: string[];
  /** What replaces a deprecated entry, when the registry says (kind: the replacement is a label or an annotation). */
  replacement?: { name: string; kind?: string };
  /** Values the registry's description enumerates. */
  values?: string[];
}

interface MetadataFile {
  istioVersion: string;
  annotations?: MetadataEntry[];
  labels?: MetadataEntry[];
}

const REFERENCE = { annotations: 'https://istio.io/latest/docs/reference/config/annotations/', labels: 'https://istio.io/latest/docs/reference/config/labels/' };

/** The annotations and labels of one Istio version, by name. */
export class IstioMetadata {
  private readonly byKind: Record<MetadataKind, Map<string, MetadataEntry>>;

  constructor(
    readonly istioVersion: string,
    annotations: MetadataEntry[],
    labels: MetadataEntry[],
  ) {
    this.byKind = { annotations: new Map(annotations.map((a) => [a.name, a])), labels: new Map(labels.map((l) => [l.name, l])) };
  }

  /** Parses the generated files (undefined when the annotations file is missing). */
  static fromFiles(istioVersion: string, annotationsText: string | undefined, labelsText: string | undefined): IstioMetadata | undefined {
    if (!annotationsText) return undefined;
    const annotations = (JSON.parse(annotationsText) as MetadataFile).annotations ?? [];
    const labels = labelsText ? ((JSON.parse(labelsText) as MetadataFile).labels ?? []) : [];
    return new IstioMetadata(istioVersion, annotations, labels);
  }

  get(kind: MetadataKind, name: string): MetadataEntry | undefined {
    return this.byKind[kind].get(name);
  }

  all(kind: MetadataKind): MetadataEntry[] {
    return [...this.byKind[kind].values()];
  }
}

/** Does the entry apply to a resource type (`Any` applies to all)? */
export function appliesTo(entry: MetadataEntry, resourceType: string): boolean {
  return entry.resources.includes('Any') || entry.resources.includes(resourceType);
}

/**
 * Where a YAML path is a key of `metadata.annotations` / `metadata.labels`, of the resource or
 * of a workload's pod template (`spec.template.metadata`, also a CronJob's
 * `spec.jobTemplate.spec.template.metadata`): which map, the key, and the resource type it is
 * on (the template's is a Pod).
 */
export function metadataKeyAt(path: PathSegment[], resourceKind: string | undefined): { kind: MetadataKind; key: string; resourceType: string | undefined } | undefined {
  const n = path.length;
  if (n < 3 || typeof path[n - 1] !== 'string' || path[n - 3] !== 'metadata') return undefined;
  const kind = path[n - 2];
  if (kind !== 'annotations' && kind !== 'labels') return undefined;
  const owner = path.slice(0, n - 3).join('.');
  const resourceType = owner === '' ? resourceKind : /^(spec\.jobTemplate\.)?spec\.template$/.test(owner) ? 'Pod' : undefined;
  if (!resourceType && owner !== '') return undefined;
  return { kind, key: path[n - 1] as string, resourceType };
}

/** The one line of status a completion item's detail and a hover's header show. */
export function metadataStatus(entry: MetadataEntry): string {
  return [entry.featureStatus, entry.deprecated ? 'deprecated' : undefined].filter((s) => s).join(', ');
}

/** Markdown about an annotation or label: its description, status, where it applies, its values, its reference. */
export function metadataMarkdown(kind: MetadataKind, entry: MetadataEntry, resourceType: string | undefined, values: string[] | undefined): string {
  const what = kind === 'annotations' ? 'annotation' : 'label';
  const status = metadataStatus(entry);
  const parts = [`**${entry.name}** Istio ${what}${status ? ` · ${status}` : ''}`, absoluteLinks(entry.description)];
  if (entry.deprecated) {
    const instead = entry.replacement ? ` Use the \`${entry.replacement.name}\` ${entry.replacement.kind ?? what} instead.` : '';
    parts.push(`Deprecated.${instead}`);
  }
  const where = entry.resources.includes('Any') ? 'any resource' : entry.resources.join(', ');
  const misplaced = resourceType && !appliesTo(entry, resourceType) ? ` (not ${resourceType})` : '';
  parts.push(`Applies to: ${where}${misplaced}`);
  if (values && values.length > 0) parts.push(`Values: ${values.map((v) => `\`${v}\``).join(', ')}`);
  parts.push(`[Istio reference: ${what}](${REFERENCE[kind]})`);
  return parts.filter((p) => p !== '').join('\n\n');
}

/** Hover markdown for the annotation or label whose key (or value) is at `path`; undefined when it is none Istio knows. */
export function describeMetadataAt(metadata: IstioMetadata | undefined, path: PathSegment[], resourceKind: string | undefined): string | undefined {
  const at = metadataKeyAt(path, resourceKind);
  const entry = at && metadata?.get(at.kind, at.key);
  return at && entry ? metadataMarkdown(at.kind, entry, at.resourceType, offeredValues(entry.name, entry.values)) : undefined;
}

/** The registry's links are relative to istio.io. */
function absoluteLinks(markdown: string): string {
  return markdown.replace(/\]\((\/docs\/[^)]*)\)/g, '](https://istio.io/latest$1)');
}
