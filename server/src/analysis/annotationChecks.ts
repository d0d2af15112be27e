// istioctl's annotations analyzer (IST0107, IST0108, IST0125, IST0135) and the injection
// analyzer's NamespaceMultipleInjectionLabels (IST0123), on the Kubernetes resources Istio
// analyzes: Namespaces, Services, Pods and Deployments, each with its own metadata (istioctl does
// not look into a Deployment's pod template).
import { isMap, isScalar, type Node } from 'yaml';
import { annotationValueProblem } from '../schema/annotationValues';
import { appliesTo } from '../schema/istioMetadata';
import type { Span } from '../workspace/extract';
import type { Check, CheckContext } from './context';

/** The kinds (with the apiVersion) istioctl's annotation analyzer reads. */
const ANALYZED_KINDS: Record<string, string> = { Namespace: 'v1', Service: 'v1', Pod: 'v1', Deployment: 'apps/v1' };

/** maturity.AlwaysIgnoredAnnotations: set by istiod, the injector or a controller, never by hand. */
const ALWAYS_IGNORED = new Set(['sidecar.istio.io/status', 'gateway.istio.io/controller-version', 'istio.io/rev']);

/** The one Kubernetes annotation Istio documents, so analyzes. */
const INGRESS_CLASS = 'kubernetes.io/ingress.class';

/** The analyzer's deprecationExtraMessages. */
const DEPRECATION_EXTRA: Record<string, string> = { 'sidecar.istio.io/inject': ' in favor of the "sidecar.istio.io/inject" label' };

interface MetadataPair {
  key: string;
  keySpan: Span;
  /** The value as written (a scalar's text); undefined when it is not a scalar. */
  value?: string;
  valueSpan?: Span;
}

/** The key/value pairs of `metadata.<which>` with their ranges (document-relative). */
export function metadataPairs(ctx: CheckContext, which: 'annotations' | 'labels'): { map?: Span; pairs: MetadataPair[] } {
  const root = ctx.entry.resource.doc.contents;
  const metadata = isMap(root) ? root.get('metadata', true) : undefined;
  const mapPair = isMap(metadata) ? metadata.items.find((p) => isScalar(p.key) && p.key.value === which) : undefined;
  const node = mapPair?.value;
  if (!isMap(node)) return { pairs: [] };
  const pairs: MetadataPair[] = [];
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || !key.range) continue;
    const value = pair.value as Node | null;
    const scalar = isScalar(value) && value.range ? value : undefined;
    pairs.push({
      key: String(key.value),
      keySpan: { start: key.range[0], end: key.range[1] },
      value: scalar ? (typeof scalar.value === 'string' ? scalar.value : (scalar.source ?? String(scalar.value))) : undefined,
      valueSpan: scalar?.range ? { start: scalar.range[0], end: scalar.range[1] } : undefined,
    });
  }
  const keyRange = (mapPair?.key as Node | null)?.range;
  return { map: keyRange ? { start: keyRange[0], end: keyRange[1] } : undefined, pairs };
}

/** The resource type istioctl checks it as, if it does. */
function analyzedKind(ctx: CheckContext): string | undefined {
  const { kind, apiVersion } = ctx.entry.info;
  return kind !== undefined && ANALYZED_KINDS[kind] === apiVersion ? kind : undefined;
}

/** annotations.istioAnnotation: the prefix before the first '/' ends with istio.io, or it is kubernetes.io/ingress.class. */
function isIstioAnnotation(name: string): boolean {
  return name === INGRESS_CLASS || name.split('/')[0].endsWith('istio.io');
}

/** IST0107, IST0108, IST0125, IST0135: as the analyzer, per annotation: unknown; else deprecated, then misplaced, else an invalid value. */
export const checkAnnotations: Check = (ctx) => {
  const kind = analyzedKind(ctx);
  const registry = ctx.metadata;
  if (!kind || !registry) return;
  const labels = ctx.entry.resource.doc.getIn(['metadata', 'labels']);
  const hasInjectLabel = isMap(labels) && labels.has('sidecar.istio.io/inject');
  for (const { key, keySpan, value, valueSpan } of metadataPairs(ctx, 'annotations').pairs) {
    if (!isIstioAnnotation(key) || ALWAYS_IGNORED.has(key)) continue;
    const entry = registry.get('annotations', key);
    if (!entry) {
      ctx.report('unknownAnnotation', keySpan, `Unknown annotation: ${key} is not an Istio annotation of Istio ${registry.istioVersion}.`);
      continue;
    }
    // Both the deprecated annotation and its label: the user keeps both on purpose (as istioctl).
    if (entry.deprecated && !(key === 'sidecar.istio.io/inject' && hasInjectLabel)) {
      const extra = DEPRECATION_EXTRA[key] ?? (entry.replacement ? ` in favor of "${entry.replacement.name}"` : '');
      ctx.report('deprecatedAnnotation', keySpan, `Annotation "${key}" has been deprecated${extra} and may not work in future Istio versions.`);
    }
    if (entry.resources.includes('Any')) continue;
    if (!appliesTo(entry, kind)) {
      const where = kind === 'Deployment' && entry.resources.includes('Pod') ? ' (on a Deployment, put it in spec.template.metadata.annotations)' : '';
      ctx.report('misplacedAnnotation', keySpan, `Misplaced annotation: ${key} can only be applied to ${entry.resources.join(', ')}, not a ${kind}${where}.`);
      continue;
    }
    const problem = value !== undefined ? annotationValueProblem(key, value, registry.istioVersion) : undefined;
    if (problem) ctx.report('invalidAnnotation', valueSpan ?? keySpan, `Invalid annotation ${key}: ${problem}.`);
  }
};

const INJECTION_LABEL = 'istio-injection';
const EXCLUSIVE_LABELS = ['istio.io/rev', 'istio.io/dataplane-mode'];

/**
 * IST0123, as the injection analyzer: a Namespace (not istio-system) with istio-injection and
 * istio.io/rev or istio.io/dataplane-mode, or both of those; istio-injection with a value other
 * than `enabled` turns injection off, so the others do not conflict with it.
 */
export const checkInjectionLabels: Check = (ctx) => {
  if (analyzedKind(ctx) !== 'Namespace' || ctx.entry.name === 'istio-system') return;
  const { map, pairs } = metadataPairs(ctx, 'labels');
  const labels = new Map(pairs.map((p) => [p.key, p]));
  const injection = labels.get(INJECTION_LABEL);
  const found = injection ? [injection] : [];
  if (!injection || injection.value === 'enabled') for (const name of EXCLUSIVE_LABELS) if (labels.has(name)) found.push(labels.get(name) as MetadataPair);
  if (found.length < 2 || !map) return;
  const written = found.map((p) => `${p.key}=${p.value ?? ''}`).join(', ');
  ctx.report('multipleInjectionLabels', map, `The namespace has more than one type of injection labels (${written}), which may lead to undefined behavior. Keep only one.`);
};
