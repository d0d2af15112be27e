// Value completion from the workspace: hosts, a host's subsets, Gateways, namespaces, labels;
// Gateway API documents' references in gatewayApiValues.ts and gatewayApiResourceValues.ts.
import { isMap, isScalar, isSeq } from 'yaml';
import type { ResourceDocument } from '../../model/resource';
import { viewersFor, visibleTo, type IndexedResource, type WorkspaceIndex } from '../../workspace/index';
import { bindableGateways, destinationRulesFor, gatewayReference, subsetsOf } from '../../workspace/resolve';
import type { CompletionEntry } from './entries';
import type { PathSegment } from '../../schema/yamlPath';
import { GATEWAY_API_POSITIONS } from './gatewayApiValues';
import { GATEWAY_API_RESOURCE_POSITIONS } from './gatewayApiResourceValues';
import { dedupe, value, type Identity, type Position } from './values';

const isVirtualService = (resource: Identity) => resource.kind === 'VirtualService';
const lastTwo = (path: PathSegment[]) => [path[path.length - 2], path[path.length - 1]];
const exportedTo = (resource: ResourceDocument, namespace: string) => viewersFor(stringList(resource.doc.getIn(['spec', 'exportTo'], true)), namespace);
const visibleHosts: Position['values'] = (index, resource, _path, namespace) => hosts(index, namespace, exportedTo(resource, namespace));

const POSITIONS: Position[] = [
  { at: (_resource, path) => path.length === 2 && path[0] === 'metadata' && path[1] === 'namespace', values: (index) => index.namespaces().map((ns) => value(ns, 'namespace')) },
  // A VirtualService's own hosts, a destination's, a mirror's and a DestinationRule's host name the Services and ServiceEntries.
  { at: (resource, path) => isVirtualService(resource) && path.length === 3 && path[0] === 'spec' && path[1] === 'hosts' && typeof path[2] === 'number', values: visibleHosts },
  { at: (resource, path) => isVirtualService(resource) && ['destination', 'mirror'].includes(String(lastTwo(path)[0])) && lastTwo(path)[1] === 'host', values: visibleHosts },
  { at: (resource, path) => resource.kind === 'DestinationRule' && path.length === 2 && path[0] === 'spec' && path[1] === 'host', values: visibleHosts },
  {
    at: (resource, path) => isVirtualService(resource) && lastTwo(path)[0] === 'destination' && lastTwo(path)[1] === 'subset',
    values: (index, resource, path, namespace) => subsets(index, resource, path, namespace),
  },
  {
    at: (resource, path) => isVirtualService(resource) && lastTwo(path)[0] === 'gateways' && typeof lastTwo(path)[1] === 'number',
    values: (index, _resource, _path, namespace) => gateways(index, namespace),
  },
  {
    at: (_resource, path) => typeof lastTwo(path)[1] === 'string' && ['matchLabels', 'labels'].includes(String(lastTwo(path)[0])),
    values: (index, _resource, path, namespace) => labelValues(index, namespace, String(path[path.length - 1])),
  },
  ...GATEWAY_API_POSITIONS,
  ...GATEWAY_API_RESOURCE_POSITIONS,
];

/** Completions for the scalar at `path`, or undefined when the workspace has nothing to say. */
export function workspaceValues(index: WorkspaceIndex, resource: ResourceDocument, path: PathSegment[]): CompletionEntry[] | undefined {
  const position = POSITIONS.find((p) => p.at(resource, path));
  return position?.values(index, resource, path, resource.namespace ?? index.settings.defaultNamespace);
}

/** Whether the scalar at `path` names something of the workspace (a host, a subset, a Gateway, a namespace): a closed set of values. */
export function takesWorkspaceValues(resource: Identity, path: PathSegment[]): boolean {
  return POSITIONS.some((p) => p.at(resource, path));
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
