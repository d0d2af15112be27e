// Ambient waypoints as Istio resolves them (pilot/pkg/serviceregistry/ambient/waypoints.go): the
// `istio.io/use-waypoint` label (with `istio.io/use-waypoint-namespace`) of a workload, Service or
// ServiceEntry, else of its Namespace; `none` opts out. The waypoint is a Gateway API Gateway; the
// traffic it takes (`istio.io/waypoint-for`: service, workload, all, none) comes from its label,
// else its GatewayClass's, else `service`; its HBONE listener's allowedRoutes say which
// namespaces may use it. Also the targetRefs of the policies that attach to Services and Gateways.
import { isMap, type Node } from 'yaml';
import { metadataLabels } from './extract';
import { namespaceAdmitted } from './gatewayApi';
import { DEFAULT_ISTIO_GATEWAY_CLASSES } from './gatewayApiFacts';
import { serviceFqdn } from './hosts';
import { KUBERNETES_GATEWAY, type IndexedResource, type WithFacts, type WorkspaceIndex } from './index';
import { items, map, text, textAt, type TextRef } from './nodes';
import type { Verdict } from './resolve';

export const USE_WAYPOINT = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
export const WAYPOINT_FOR = 'istio.io/waypoint-for';
export const WAYPOINT_CLASS = 'istio-waypoint';
/** The port and protocol of a waypoint's listener (Istio's HBONE tunnel). */
export const HBONE_PORT = 15008;

const CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);

/** Where a resource's waypoint labels are: a controller's pod template (Istio reads the pods), else metadata. */
function labelsPath(entry: IndexedResource): string[] {
  return CONTROLLERS.has(entry.info.kind ?? '') ? ['spec', 'template', 'metadata', 'labels'] : ['metadata', 'labels'];
}

/** The value of a label as written (with its span in the resource's document). */
export function labelRef(entry: IndexedResource, key: string): TextRef | undefined {
  const labels = map(entry.resource.doc.getIn(labelsPath(entry), true));
  return textAt(labels, key);
}

/** The labels map of the resource (where a use-waypoint label is added), when it is written. */
export function labelsNode(entry: IndexedResource): Node | undefined {
  const node = entry.resource.doc.getIn(labelsPath(entry), true) as Node | undefined;
  return isMap(node) ? node : undefined;
}

/** Can the resource carry a use-waypoint label: a Namespace, Service, ServiceEntry or workload? */
export function takesWaypoint(entry: IndexedResource): boolean {
  return entry.info.kind === 'Namespace' || !!entry.info.service || !!entry.info.serviceEntry || !!entry.info.workloadLabels;
}

/** A use-waypoint label: on `holder` (the resource itself, or its Namespace when `inherited`). */
export interface WaypointUse {
  holder: IndexedResource;
  inherited: boolean;
  /** The label's value, in the holder's document. */
  label: TextRef;
  namespace: string;
  name: string;
}

export type WaypointBinding =
  /** No use-waypoint label on the resource nor its Namespace; `namespaceKnown`: the workspace holds the Namespace. */
  | { status: 'unset'; namespaceKnown: boolean }
  /** `istio.io/use-waypoint: none` on the resource (or its Namespace). */
  | { status: 'none'; use: WaypointUse }
  | { status: 'found'; use: WaypointUse; gateway: WithFacts<'kubernetesGateway'>; trafficType: string; admitted: boolean | undefined }
  | { status: 'missing' | 'outside-workspace'; use: WaypointUse };

/** GetUseWaypoint: the label of one resource, the namespace override read from the same resource. */
function ownUse(holder: IndexedResource, fallbackNamespace: string, inherited: boolean): WaypointUse | undefined {
  const label = labelRef(holder, USE_WAYPOINT);
  if (!label) return undefined;
  const namespace = labelRef(holder, USE_WAYPOINT_NAMESPACE)?.value ?? fallbackNamespace;
  return { holder, inherited, label, namespace, name: label.value };
}

export function namespaceEntry(index: WorkspaceIndex, namespace: string): IndexedResource | undefined {
  return index.ofKindIn('Namespace', namespace).find((n) => n.name === namespace);
}

/** The waypoint a Namespace, Service, ServiceEntry or workload uses (fetchWaypointForTarget). */
export function waypointBinding(index: WorkspaceIndex, entry: IndexedResource): WaypointBinding {
  const namespace = entry.info.kind === 'Namespace' ? entry.name : entry.namespace;
  const ns = entry.info.kind === 'Namespace' ? undefined : namespaceEntry(index, namespace);
  const use = ownUse(entry, namespace, false) ?? (ns ? ownUse(ns, namespace, true) : undefined);
  if (!use) return { status: 'unset', namespaceKnown: entry.info.kind === 'Namespace' || !!ns };
  if (use.name === 'none') return { status: 'none', use };
  const gateway = index.gateway(`${use.namespace}/${use.name}`, use.namespace).kubernetesGateways[0];
  if (!gateway) return { status: index.namespaceHas(use.namespace, [KUBERNETES_GATEWAY]) ? 'missing' : 'outside-workspace', use };
  return { status: 'found', use, gateway, trafficType: trafficType(index, gateway), admitted: admitsNamespace(index, gateway, namespace) };
}

/** The traffic a waypoint takes: its istio.io/waypoint-for label, else its GatewayClass's, else `service`. */
export function trafficType(index: WorkspaceIndex, gateway: WithFacts<'kubernetesGateway'>): string {
  const own = metadataLabels(gateway.resource)[WAYPOINT_FOR];
  if (own !== undefined) return own;
  const className = gateway.info.kubernetesGateway.gatewayClassName;
  const cls = className ? index.gatewayClasses(className)[0] : undefined;
  return (cls && metadataLabels(cls.resource)[WAYPOINT_FOR]) ?? 'service';
}

/** Does the waypoint's HBONE listener (port 15008; none: Same) admit resources of this namespace? Undefined when the workspace cannot tell. */
function admitsNamespace(index: WorkspaceIndex, gateway: WithFacts<'kubernetesGateway'>, namespace: string): boolean | undefined {
  const listener = gateway.info.kubernetesGateway.listeners.find((l) => l.protocol === 'HBONE' && l.port === HBONE_PORT);
  if (!listener) return gateway.namespace === namespace;
  return namespaceAdmitted(index, listener, gateway.namespace, namespace);
}

/** Does a waypoint of this traffic type serve Services (`forServices`) or workloads? */
export function servesTraffic(type: string, forServices: boolean): boolean {
  return type === 'all' || type === (forServices ? 'service' : 'workload');
}

/** A policy's targetRef (or targetRefs item), as written. */
export interface PolicyTargetRef {
  group: string;
  kind: string;
  name?: TextRef;
  namespace?: TextRef;
}

const POLICY_GROUPS: Record<string, string> = {
  AuthorizationPolicy: 'security.istio.io',
  RequestAuthentication: 'security.istio.io',
  Telemetry: 'telemetry.istio.io',
  WasmPlugin: 'extensions.istio.io',
};

/** Is the resource a policy that attaches by targetRefs (AuthorizationPolicy, RequestAuthentication, Telemetry, WasmPlugin)? */
export function isTargetingPolicy(entry: IndexedResource): boolean {
  const { kind, apiVersion } = entry.info;
  return !!kind && POLICY_GROUPS[kind] !== undefined && POLICY_GROUPS[kind] === apiVersion?.split('/')[0];
}

/** The policy's `targetRefs` items and legacy `targetRef`; none for another kind. */
export function policyTargetRefs(entry: IndexedResource): PolicyTargetRef[] {
  if (!isTargetingPolicy(entry)) return [];
  const spec = map(map(entry.resource.doc.contents)?.get('spec', true));
  const refs = [spec?.get('targetRef', true), ...items(spec?.get('targetRefs', true))];
  return refs.flatMap((node) => {
    const ref = map(node);
    const kind = textAt(ref, 'kind')?.value;
    if (!ref || kind === undefined) return [];
    return [{ group: textAt(ref, 'group')?.value ?? '', kind, name: text(ref.get('name', true) as Node), namespace: textAt(ref, 'namespace') }];
  });
}

export type TargetResolution = { status: Verdict; entries: IndexedResource[]; builtIn?: boolean };

const isCore = (group: string) => group === '' || group === 'core';

/** What a policy's targetRef names, in the policy's namespace (cross-namespace targetRefs are rejected by the webhook). */
export function resolvePolicyTarget(index: WorkspaceIndex, policy: IndexedResource, ref: PolicyTargetRef): TargetResolution | undefined {
  const name = ref.name?.value;
  if (!name || ref.namespace) return undefined;
  const ns = policy.namespace;
  const verdict = (entries: IndexedResource[], kinds: string[]): TargetResolution => ({
    entries,
    status: entries.length > 0 ? 'found' : index.namespaceHas(ns, kinds) ? 'missing' : 'outside-workspace',
  });
  if (isCore(ref.group) && ref.kind === 'Service') return verdict(index.services(serviceFqdn(name, ns, index.settings)), ['Service']);
  if (ref.group === 'networking.istio.io' && ref.kind === 'ServiceEntry')
    return verdict(
      index.ofKindIn('ServiceEntry', ns).filter((e) => e.name === name),
      ['ServiceEntry'],
    );
  if (ref.group === 'gateway.networking.k8s.io' && ref.kind === 'Gateway') return verdict(index.gateway(`${ns}/${name}`, ns).kubernetesGateways, [KUBERNETES_GATEWAY]);
  if (ref.group === 'gateway.networking.k8s.io' && ref.kind === 'GatewayClass') {
    const entries = index.gatewayClasses(name);
    if (entries.length === 0 && DEFAULT_ISTIO_GATEWAY_CLASSES.includes(name)) return { status: 'found', entries, builtIn: true };
    return { entries, status: entries.length > 0 ? 'found' : index.ofKind('GatewayClass').length > 0 ? 'missing' : 'outside-workspace' };
  }
  return undefined;
}

/** The targetRefs (of every policy in the workspace) that name this resource: a Service, ServiceEntry, Gateway or GatewayClass. */
export function policyRefsTo(index: WorkspaceIndex, target: IndexedResource): { entry: IndexedResource; ref: TextRef }[] {
  const byTarget = index.derived('waypoints:policyRefs', () => {
    const found = new Map<IndexedResource, { entry: IndexedResource; ref: TextRef }[]>();
    for (const policy of index.resources().filter(isTargetingPolicy)) {
      for (const ref of policyTargetRefs(policy)) {
        for (const entry of resolvePolicyTarget(index, policy, ref)?.entries ?? []) found.set(entry, [...(found.get(entry) ?? []), { entry: policy, ref: ref.name as TextRef }]);
      }
    }
    return found;
  });
  return byTarget.get(target) ?? [];
}

/** The use-waypoint labels (on the resources carrying them, not inherited ones) that name waypoint `namespace/name`. */
export function waypointLabelsTo(index: WorkspaceIndex, namespace: string, name: string): { entry: IndexedResource; ref: TextRef }[] {
  const byWaypoint = index.derived('waypoints:labels', () => {
    const found = new Map<string, { entry: IndexedResource; ref: TextRef }[]>();
    for (const entry of index.resources()) {
      const use = takesWaypoint(entry) ? ownUse(entry, entry.info.kind === 'Namespace' ? entry.name : entry.namespace, false) : undefined;
      if (!use || use.name === 'none') continue;
      const key = `${use.namespace}/${use.name}`;
      found.set(key, [...(found.get(key) ?? []), { entry, ref: use.label }]);
    }
    return found;
  });
  return byWaypoint.get(`${namespace}/${name}`) ?? [];
}
