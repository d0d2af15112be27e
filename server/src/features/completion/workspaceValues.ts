// Value completion from the workspace: hosts, a host's subsets, Gateways, namespaces, labels.
import { isMap, isScalar, isSeq } from 'yaml';
import type { ResourceDocument } from '../../model/resource';
import { viewersFor, visibleTo, type IndexedResource, type WorkspaceIndex } from '../../workspace/index';
import { bindableGateways, destinationRulesFor, gatewayReference, subsetsOf } from '../../workspace/resolve';
import type { CompletionEntry } from './entries';
import type { PathSegment } from '../../schema/yamlPath';

const value = (label: string, detail: string, documentation?: string): CompletionEntry => ({ label, kind: 'reference', detail, documentation, insertText: label, snippet: false });

/** Completions for the scalar at `path`, or undefined when the workspace has nothing to say. */
export function workspaceValues(index: WorkspaceIndex, resource: ResourceDocument, path: PathSegment[]): CompletionEntry[] | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const namespace = resource.namespace ?? index.settings.defaultNamespace;
  if (path.length === 2 && path[0] === 'metadata' && last === 'namespace') return index.namespaces().map((ns) => value(ns, 'namespace'));
  const viewers = () => viewersFor(stringList(resource.doc.getIn(['spec', 'exportTo'], true)), namespace);
  if (resource.kind === 'VirtualService' && (parent === 'destination' || parent === 'mirror') && last === 'host') return hosts(index, namespace, viewers());
  if (resource.kind === 'DestinationRule' && path.length === 2 && last === 'host') return hosts(index, namespace, viewers());
  if (resource.kind === 'VirtualService' && parent === 'destination' && last === 'subset') return subsets(index, resource, path, namespace);
  if (resource.kind === 'VirtualService' && typeof last === 'number' && parent === 'gateways') return gateways(index, namespace);
  if (typeof last === 'string' && (parent === 'matchLabels' || parent === 'labels')) return labelValues(index, namespace, last);
  return undefined;
}

/** The hosts of the Services and ServiceEntries exported to `viewers` (see viewersOf): what the resource may name. */
function hosts(index: WorkspaceIndex, namespace: string, viewers: string[]): CompletionEntry[] {
  const visible = <E extends IndexedResource>(entries: E[]) => entries.filter((e) => visibleTo(e, viewers));
  const services = visible(index.ofKind('Service')).map((s) => value(s.namespace === namespace ? s.name : `${s.name}.${s.namespace}.svc.${index.settings.clusterDomain}`, `Service (${s.namespace})`));
  const entries = visible(index.ofKind('ServiceEntry')).flatMap((e) => (e.info.serviceEntry?.hosts ?? []).map((h) => value(h.value, `ServiceEntry ${e.name} (${e.namespace})`)));
  return dedupe([...services, ...entries]);
}

function subsets(index: WorkspaceIndex, resource: ResourceDocument, path: PathSegment[], namespace: string): CompletionEntry[] | undefined {
  const destination = resource.doc.getIn(path.slice(0, -1), true);
  const hostNode = isMap(destination) ? destination.get('host', true) : undefined;
  if (!isScalar(hostNode) || typeof hostNode.value !== 'string') return undefined;
  const rules = destinationRulesFor(index, hostNode.value, namespace);
  return dedupe(
    subsetsOf(rules).map(({ rule, subset }) => {
      const labels = Object.entries(subset.labels ?? {})
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
      return value(subset.name.value, `subset of DestinationRule ${rule.name} (${rule.namespace})`, labels ? `labels: ${labels}` : undefined);
    }),
  );
}

function gateways(index: WorkspaceIndex, namespace: string): CompletionEntry[] {
  const found = bindableGateways(index).map((g) => value(gatewayReference(g, namespace), `${g.info.kubernetesGateway ? 'Gateway API Gateway' : 'Gateway'} (${g.namespace})`));
  return dedupe([value('mesh', 'the sidecars of the mesh'), ...found]);
}

function labelValues(index: WorkspaceIndex, namespace: string, key: string): CompletionEntry[] | undefined {
  const values = index.workloads(namespace).flatMap((w) => (w.info.workloadLabels?.[key] !== undefined ? [w.info.workloadLabels[key]] : []));
  return values.length > 0 ? dedupe(values.map((v) => value(v, `label of workloads in ${namespace}`))) : undefined;
}

/** The strings of a sequence node (undefined when it is not one). */
function stringList(node: unknown): string[] | undefined {
  return isSeq(node) ? node.items.flatMap((item) => (isScalar(item) && typeof item.value === 'string' ? [item.value] : [])) : undefined;
}

function dedupe(entries: CompletionEntry[]): CompletionEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.label) && seen.add(e.label));
}
