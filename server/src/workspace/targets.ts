// What the value under the cursor names: a DestinationRule subset, a Gateway (of either API), a
// service host, or what a Gateway API reference names (gatewayApiTargets.ts), with the scope the
// resolver gives it. Navigation (definition, references,
// rename) and hover ask this, and then the resolver, instead of working it out each.
import { serviceFqdn } from './hosts';
import type { IndexedResource, WorkspaceIndex } from './index';
import { destinationRulesFor, resolveGateway } from './resolve';
import { allDestinations, type TextRef, type VirtualServiceInfo } from './extract';
import type { BackendResolution, ParentResolution } from './gatewayApi';
import { gatewayApiTargetAt, type GatewayApiTarget } from './gatewayApiTargets';
import { GATEWAY_API_GROUP } from './gatewayApiFacts';
import { labelRef, policyRefsTo, policyTargetRefs, resolvePolicyTarget, takesWaypoint, USE_WAYPOINT, waypointBinding, waypointLabelsTo } from './waypoints';

/** A value written in a resource; the span is relative to the resource's document. */
export interface Occurrence {
  entry: IndexedResource;
  ref: TextRef;
}

/**
 * Which destinations share a subset: those for which one of `rules` applies or, when no
 * DestinationRule applies at all, those naming the same host.
 */
export interface SubsetScope {
  rules: IndexedResource[];
  host?: string;
}

/**
 * What the cursor is on, as the thing it names. A Gateway named by a Gateway API parentRef (or its
 * own metadata.name) is `gatewayApi`: only Gateway API Gateways answer it; `parent` and `backend`
 * carry the resolution of the parentRef or backendRef the cursor is on.
 */
export type Target =
  | { type: 'subset'; name: string; scope: SubsetScope; at: Occurrence }
  | { type: 'gateway'; namespace: string; name: string; at: Occurrence; gatewayApi?: boolean; parent?: ParentResolution }
  | { type: 'host'; host: string; at: Occurrence; backend?: BackendResolution; parent?: ParentResolution }
  | Exclude<GatewayApiTarget, { type: 'gateway' | 'host' }>;

export function targetAt(index: WorkspaceIndex, uri: string, offset: number): Target | undefined {
  const entry = index.entryAt(uri, offset);
  if (!entry) return undefined;
  const rel = entry.resource.docOffset(offset);
  return (
    virtualServiceTarget(index, entry, rel) ??
    destinationRuleTarget(index, entry, rel) ??
    gatewayApiTargetAt(index, entry, rel) ??
    policyTarget(index, entry, rel) ??
    waypointTarget(index, entry, rel) ??
    declarationTarget(index, entry, rel)
  );
}

/** A policy's targetRefs name: the Gateway, GatewayClass, Service or ServiceEntry it attaches to. */
function policyTarget(index: WorkspaceIndex, entry: IndexedResource, rel: number): Target | undefined {
  for (const ref of policyTargetRefs(entry)) {
    if (!covers(ref.name, rel)) continue;
    const at = { entry, ref: ref.name };
    if (ref.group === GATEWAY_API_GROUP && ref.kind === 'Gateway') return { type: 'gateway', namespace: entry.namespace, name: ref.name.value, at, gatewayApi: true };
    if (ref.group === GATEWAY_API_GROUP && ref.kind === 'GatewayClass') return { type: 'gatewayClass', name: ref.name.value, at };
    const resolution = resolvePolicyTarget(index, entry, ref);
    if (!resolution) return undefined;
    const key = { group: ref.group === 'core' ? '' : ref.group, kind: ref.kind, namespace: entry.namespace, name: ref.name.value };
    return { type: 'resource', key, entries: resolution.entries, status: resolution.status, at };
  }
  return undefined;
}

/** An `istio.io/use-waypoint` label's value: the waypoint Gateway it names. */
function waypointTarget(index: WorkspaceIndex, entry: IndexedResource, rel: number): Target | undefined {
  const label = takesWaypoint(entry) ? labelRef(entry, USE_WAYPOINT) : undefined;
  if (!covers(label, rel) || label.value === 'none') return undefined;
  const binding = waypointBinding(index, entry);
  if (binding.status === 'unset' || binding.status === 'none' || binding.use.inherited) return undefined;
  return { type: 'gateway', namespace: binding.use.namespace, name: binding.use.name, at: { entry, ref: label }, gatewayApi: true };
}

/** The policies' targetRefs and the use-waypoint labels that name the target (navigation adds them to its uses). */
export function policyUses(index: WorkspaceIndex, target: Target): Occurrence[] {
  switch (target.type) {
    case 'gateway': {
      const gateways = index.gateway(`${target.namespace}/${target.name}`, target.namespace).kubernetesGateways;
      return gateways.length === 0 ? [] : [...gateways.flatMap((g) => policyRefsTo(index, g)), ...waypointLabelsTo(index, target.namespace, target.name)];
    }
    case 'host':
      return [...index.services(target.host), ...index.serviceEntriesWithHost(target.host)].flatMap((e) => policyRefsTo(index, e));
    case 'resource':
      return target.entries.flatMap((e) => policyRefsTo(index, e));
    case 'gatewayClass':
      return index.gatewayClasses(target.name).flatMap((e) => policyRefsTo(index, e));
    default:
      return [];
  }
}

function virtualServiceTarget(index: WorkspaceIndex, entry: IndexedResource, rel: number): Target | undefined {
  const vs = entry.info.virtualService;
  if (!vs) return undefined;
  for (const dest of allDestinations(vs)) {
    if (!dest.host) continue;
    const host = index.resolve(dest.host.value, entry.namespace);
    if (dest.subset && covers(dest.subset, rel)) return { type: 'subset', name: dest.subset.value, scope: subsetScope(index, host, entry.namespace), at: { entry, ref: dest.subset } };
    if (covers(dest.host, rel)) return { type: 'host', host, at: { entry, ref: dest.host } };
  }
  const host = vs.hosts.find((h) => covers(h, rel));
  if (host) return { type: 'host', host: index.resolve(host.value, entry.namespace), at: { entry, ref: host } };
  const gateway = gatewayRefs(vs).find((g) => covers(g, rel));
  if (!gateway) return undefined;
  const { namespace, name } = resolveGateway(index, gateway.value, entry.namespace);
  return { type: 'gateway', namespace, name, at: { entry, ref: gateway } };
}

function destinationRuleTarget(index: WorkspaceIndex, entry: IndexedResource, rel: number): Target | undefined {
  const dr = entry.info.destinationRule;
  if (!dr) return undefined;
  const subset = dr.subsets.find((s) => covers(s.name, rel))?.name;
  if (subset) return { type: 'subset', name: subset.value, scope: { rules: [entry] }, at: { entry, ref: subset } };
  if (dr.host && covers(dr.host, rel)) return { type: 'host', host: index.resolve(dr.host.value, entry.namespace), at: { entry, ref: dr.host } };
  return undefined;
}

/** A Gateway's (of either API) or Service's metadata.name, or a ServiceEntry host. */
function declarationTarget(index: WorkspaceIndex, entry: IndexedResource, rel: number): Target | undefined {
  const { name, gateway, kubernetesGateway, service, serviceEntry } = entry.info;
  if (name && covers(name, rel) && (gateway || kubernetesGateway)) return { type: 'gateway', namespace: entry.namespace, name: entry.name, at: { entry, ref: name } };
  if (name && covers(name, rel) && service) return { type: 'host', host: serviceFqdn(entry.name, entry.namespace, index.settings), at: { entry, ref: name } };
  const host = serviceEntry?.hosts.find((h) => covers(h, rel));
  return host ? { type: 'host', host: index.resolve(host.value, entry.namespace), at: { entry, ref: host } } : undefined;
}

/** The rules that apply to a destination (Istio merges them when several tie); the host when none does. */
function subsetScope(index: WorkspaceIndex, host: string, namespace: string): SubsetScope {
  const rules = destinationRulesFor(index, host, namespace);
  return rules.length > 0 ? { rules } : { rules: [], host };
}

/** `spec.gateways` and `match[].gateways` entries, except the reserved `mesh`. */
export function gatewayRefs(vs: VirtualServiceInfo): TextRef[] {
  return [...vs.gateways, ...vs.matchGateways].filter((g) => g.value !== 'mesh');
}

export function covers(ref: TextRef | undefined, rel: number): ref is TextRef {
  return !!ref && rel >= ref.start && rel <= ref.end;
}
