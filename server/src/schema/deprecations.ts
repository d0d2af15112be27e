// Deprecations istioctl's deprecation analyzer reports (IST0002) that the CRDs do not document:
// the field's description says nothing of it, so the schema alone would not mark it.
import type { SchemaNode } from './compile';
import { schemaAtPath, type PathSegment } from './yamlPath';

const ANALYZER_DEPRECATIONS: { kind: string; path: PathSegment[]; deprecation: string }[] = [
  { kind: 'VirtualService', path: ['spec', 'http', 0, 'fault', 'delay', 'percent'], deprecation: 'use `percentage` instead (`percentage: {value: 10}`).' },
  { kind: 'Sidecar', path: ['spec', 'outboundTrafficPolicy', 'egressProxy'], deprecation: 'Istio ignores it.' },
];

/** Marks the fields of a kind's compiled schema that istioctl reports as deprecated. */
export function markAnalyzerDeprecations(kind: string, root: SchemaNode): SchemaNode {
  for (const entry of ANALYZER_DEPRECATIONS) {
    if (entry.kind !== kind) continue;
    const node = schemaAtPath(root, entry.path);
    if (node && !node.deprecation) node.deprecation = entry.deprecation;
  }
  return root;
}
