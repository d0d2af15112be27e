// The resolver's Gateway API part: what a route's parentRef and backendRef name, whether a
// listener admits a route, and whether a ReferenceGrant allows a cross-namespace reference, as
// the Gateway API spec defines them and Istio implements them (pilot/pkg/config/kube/gateway:
// conversion.go's referenceAllowed, buildDestination; gatewaycommon's supported kinds).
import { GATEWAY_API_GROUP, type BackendRefInfo, type GroupKind, type ListenerInfo, type ParentRefInfo, type ReferenceGrantInfo, type SelectorRequirement } from './gatewayApiFacts';
import { hostMatches } from './hosts';
import { metadataLabels } from './extract';
import { KUBERNETES_GATEWAY, type IndexedResource, type WithFacts, type WorkspaceIndex } from './index';
import { resolveHost, type HostResolution, type Verdict } from './resolve';

export const ISTIO_NETWORKING_GROUP = 'networking.istio.io';
const CLUSTER_MANAGED_NAMESPACES = new Set(['istio-system', 'kube-system', 'kube-public', 'istio-ingress', 'istio-egress']);

/** What kind of parent a parentRef names, as Istio reads it (others are left to another controller). */
export type ParentTarget = 'gateway' | 'listenerSet' | 'service' | 'serviceEntry' | 'unsupported';

/** A listener of a parent, with the resource that declares it (a Gateway or a ListenerSet). */
export interface ParentListener {
  listener: ListenerInfo;
  owner: IndexedResource;
}

export interface ParentResolution {
  target: ParentTarget;
  /** The namespace and name the ref names (the namespace defaults to the route's). */
  namespace: string;
  name: string;
  /** `unsupported`: a kind Istio does not attach routes to (another controller's, maybe). */
  status: Verdict | 'unsupported';
  gateway?: WithFacts<'kubernetesGateway'>;
  listenerSet?: WithFacts<'listenerSet'>;
  service?: IndexedResource;
  serviceEntry?: WithFacts<'serviceEntry'>;
  /** Every listener of the parent Gateway or ListenerSet (a Gateway's own only: a ListenerSet's listeners take routes that name the ListenerSet). */
  listeners: ParentListener[];
  /** The listeners the ref's sectionName and port select (all of them without either). */
  selected: ParentListener[];
  /** The ref names a sectionName no listener has (the parent found). */
  sectionMissing: boolean;
  /** The ref names a port no listener (of that sectionName) has (the parent found). */
  portMissing: boolean;
}

/** The group/kind a parentRef names, normalized as Istio does (NormalizeReference). */
export function parentTarget(ref: GroupKind): ParentTarget {
  if (ref.group === GATEWAY_API_GROUP && ref.kind === 'Gateway') return 'gateway';
  if ((ref.group === GATEWAY_API_GROUP && ref.kind === 'ListenerSet') || (ref.group === 'gateway.networking.x-k8s.io' && ref.kind === 'XListenerSet')) return 'listenerSet';
  if (ref.group === '' && ref.kind === 'Service') return 'service';
  if (ref.group === ISTIO_NETWORKING_GROUP && ref.kind === 'ServiceEntry') return 'serviceEntry';
  return 'unsupported';
}

/** The namespace a ref (parentRef, backendRef, certificateRef) names: written, or the referring resource's. */
export function refNamespace(ref: { namespace?: { value: string } }, from: IndexedResource): string {
  return ref.namespace?.value || from.namespace;
}

/**
 * What a parentRef of `route` names: the Gateway (or ListenerSet) and the listeners its
 * sectionName and port select, or, for mesh (GAMMA) routing, the Service or ServiceEntry. Only a
 * namespace whose parents of that kind the workspace holds can prove one missing.
 */
export function resolveParentRef(index: WorkspaceIndex, route: IndexedResource, ref: ParentRefInfo): ParentResolution {
  const target = parentTarget(ref);
  const namespace = refNamespace(ref, route);
  const name = ref.name?.value ?? '';
  const base: ParentResolution = { target, namespace, name, status: 'outside-workspace', listeners: [], selected: [], sectionMissing: false, portMissing: false };
  if (target === 'unsupported') return { ...base, status: 'unsupported' };
  if (target === 'service') {
    const service = index.serviceNamed(namespace, name);
    return { ...base, service, status: service ? 'found' : definesServicesOf(index, namespace, 'Service') ? 'missing' : 'outside-workspace' };
  }
  if (target === 'serviceEntry') {
    const serviceEntry = index.named('ServiceEntry', namespace, name);
    return { ...base, serviceEntry, status: serviceEntry ? 'found' : definesServicesOf(index, namespace, 'ServiceEntry') ? 'missing' : 'outside-workspace' };
  }
  const owner =
    target === 'gateway' ? index.gateway(`${namespace}/${name}`, namespace).kubernetesGateways[0] : index.named(ref.kind === 'XListenerSet' ? 'XListenerSet' : 'ListenerSet', namespace, name);
  if (!owner) {
    const kinds = target === 'gateway' ? [KUBERNETES_GATEWAY] : ['ListenerSet', 'XListenerSet'];
    return { ...base, status: index.namespaceHas(namespace, kinds) ? 'missing' : 'outside-workspace' };
  }
  const own = owner.info.kubernetesGateway?.listeners ?? owner.info.listenerSet?.listeners ?? [];
  const listeners = own.map((listener) => ({ listener, owner }));
  const bySection = ref.sectionName ? listeners.filter((l) => l.listener.name?.value === ref.sectionName?.value) : listeners;
  const selected = ref.port === undefined ? bySection : bySection.filter((l) => l.listener.port === ref.port);
  return {
    ...base,
    status: 'found',
    gateway: owner.info.kubernetesGateway ? (owner as WithFacts<'kubernetesGateway'>) : undefined,
    listenerSet: owner.info.listenerSet ? (owner as WithFacts<'listenerSet'>) : undefined,
    listeners,
    selected,
    sectionMissing: bySection.length === 0 && ref.sectionName !== undefined,
    portMissing: bySection.length > 0 && selected.length === 0,
  };
}

/** Does the workspace hold this namespace's Services (or ServiceEntries), so one missing from it is missing? */
function definesServicesOf(index: WorkspaceIndex, namespace: string, kind: 'Service' | 'ServiceEntry'): boolean {
  return !CLUSTER_MANAGED_NAMESPACES.has(namespace) && index.namespaceHas(namespace, [kind]);
}

/** true / false when the workspace can tell, undefined when it cannot. */
export type Admits = boolean | undefined;

export interface ListenerAdmission {
  /** allowedRoutes.namespaces admits the route's namespace. */
  namespace: Admits;
  /** The route's kind is among the listener's (allowedRoutes.kinds and the protocol's kinds). */
  kind: Admits;
  /** Some hostname of the route intersects the listener's (true for a listener or a route without hostnames, and for kinds without hostnames). */
  hostnames: boolean;
  /** The route's hostnames that intersect the listener's (all of them when it has none). */
  matchingHostnames: string[];
}

/** The route kinds a listener's protocol supports, as Istio lists them (gatewaycommon.GenerateGatewaySupportedKinds; UDP as the spec); undefined for another protocol (HBONE, a custom one). */
export function protocolKinds(listener: ListenerInfo): string[] | undefined {
  switch (listener.protocol) {
    case 'HTTP':
    case 'HTTPS':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'TCP':
      return ['TCPRoute'];
    case 'TLS':
      return listener.tlsMode === 'Terminate' ? ['TLSRoute', 'TCPRoute'] : ['TLSRoute'];
    case 'UDP':
      return ['UDPRoute'];
  }
  return undefined;
}

/** The route kinds (of the Gateway API group) a listener admits; undefined when the workspace cannot tell. */
export function admittedKinds(listener: ListenerInfo): string[] | undefined {
  const supported = protocolKinds(listener);
  const written = listener.allowedKinds?.filter((k) => k.group === GATEWAY_API_GROUP).map((k) => k.kind);
  if (!written) return supported;
  return supported ? written.filter((k) => supported.includes(k)) : written;
}

/**
 * Does a listener (of a Gateway or ListenerSet in `ownerNamespace`) admit `route`: its namespace
 * (allowedRoutes.namespaces: Same, All, Selector against the labels of the route's Namespace),
 * its kind, its hostnames (intersecting the listener's hostname, wildcards as the spec's)?
 */
export function listenerAllows(index: WorkspaceIndex, listener: ListenerInfo, ownerNamespace: string, route: WithFacts<'gatewayApiRoute'>): ListenerAdmission {
  const kinds = admittedKinds(listener);
  const hostnames = route.info.gatewayApiRoute.hostnames.map((h) => h.value.toLowerCase());
  const matchingHostnames = hostnamesWithin(listener, hostnames, route.info.gatewayApiRoute.routeKind);
  return {
    namespace: namespaceAdmitted(index, listener, ownerNamespace, route.namespace),
    kind: kinds === undefined ? undefined : kinds.includes(route.info.gatewayApiRoute.routeKind),
    hostnames: hostnames.length === 0 || matchingHostnames.length > 0,
    matchingHostnames,
  };
}

const KINDS_WITH_HOSTNAMES = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);

/** The route hostnames that intersect the listener's hostname (all of them when the listener has none or the kind has no hostnames). */
function hostnamesWithin(listener: ListenerInfo, hostnames: string[], routeKind: string): string[] {
  const own = listener.hostname?.value.toLowerCase();
  if (!own || !KINDS_WITH_HOSTNAMES.has(routeKind)) return hostnames;
  return hostnames.filter((h) => hostnamesIntersect(own, h));
}

/** Do two Gateway API hostnames (each maybe `*.suffix`) match a common host? `*.example.com` covers `a.b.example.com`, not `example.com`. */
export function hostnamesIntersect(a: string, b: string): boolean {
  return hostMatches(a, b) || hostMatches(b, a);
}

export function namespaceAdmitted(index: WorkspaceIndex, listener: ListenerInfo, ownerNamespace: string, routeNamespace: string): Admits {
  const { from, selector, matchExpressions } = listener.allowedNamespaces;
  if (from === 'All') return true;
  if (from === 'Same') return ownerNamespace === routeNamespace;
  if (from !== 'Selector') return undefined;
  const requirements = selectorRequirements(selector, matchExpressions);
  const namespace = index.ofKindIn('Namespace', routeNamespace)[0];
  // Kubernetes labels every Namespace with its name: a selector on that label alone needs no Namespace resource.
  const known = namespace ? metadataLabels(namespace.resource) : {};
  const labels = { ...known, 'kubernetes.io/metadata.name': routeNamespace };
  if (!namespace && requirements.some((r) => r.key !== 'kubernetes.io/metadata.name')) return undefined;
  return selectorMatches(requirements, labels);
}

function selectorRequirements(matchLabels: Record<string, string> | undefined, expressions: SelectorRequirement[] | undefined): SelectorRequirement[] {
  const fromLabels = Object.entries(matchLabels ?? {}).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
  return [...fromLabels, ...(expressions ?? [])];
}

/** Does a label selector (matchLabels as `In` requirements, matchExpressions) match these labels? Undefined for an operator it does not know. */
export function selectorMatches(requirements: SelectorRequirement[], labels: Record<string, string>): Admits {
  let result: Admits = true;
  for (const { key, operator, values } of requirements) {
    const has = Object.hasOwn(labels, key);
    if (operator === 'In') result = result && has && values.includes(labels[key]);
    else if (operator === 'NotIn') result = result && !(has && values.includes(labels[key]));
    else if (operator === 'Exists') result = result && has;
    else if (operator === 'DoesNotExist') result = result && !has;
    else return undefined;
    if (result === false) return false;
  }
  return result;
}

/** What kind of backend a backendRef names, as Istio's buildDestination reads it. */
export type BackendTarget = 'service' | 'hostname' | 'serviceImport' | 'inferencePool' | 'backend' | 'unsupported';

export interface BackendResolution {
  target: BackendTarget;
  /** The namespace the ref names (written, or the route's). */
  namespace: string;
  name: string;
  /** `unsupported`: a kind Istio cannot route to. Kinds the workspace does not index (InferencePool, XBackend) are `outside-workspace`. */
  status: Verdict | 'unsupported';
  /** The Service (for Service and ServiceImport refs). */
  service?: WithFacts<'service'>;
  /** The host, for a `Hostname` ref (networking.istio.io): its Services and ServiceEntries. */
  host?: HostResolution;
  /** The ports the backend has, when the workspace knows them (numbers as written; a port whose number does not read leaves them unknown). */
  ports?: number[];
  /** `found`/`missing`: the ref's port among `ports`; `absent`: no port written where the kind needs one; `unknown`: cannot tell or not needed. */
  port: 'found' | 'missing' | 'absent' | 'unknown';
  /** The ref names another namespace than the route's: a ReferenceGrant must allow it. */
  crossNamespace: boolean;
}

/** The backend group/kind, normalized as Istio does. */
export function backendTarget(ref: GroupKind): BackendTarget {
  if (ref.group === '' && ref.kind === 'Service') return 'service';
  if (ref.group === ISTIO_NETWORKING_GROUP && ref.kind === 'Hostname') return 'hostname';
  if (ref.group === 'multicluster.x-k8s.io' && ref.kind === 'ServiceImport') return 'serviceImport';
  if (ref.group === 'inference.networking.k8s.io' && ref.kind === 'InferencePool') return 'inferencePool';
  if (ref.group === 'gateway.networking.x-k8s.io' && ref.kind === 'XBackend') return 'backend';
  return 'unsupported';
}

/**
 * What a backendRef (or RequestMirror backendRef) of `route` names: a Service and whether its
 * port is one of the Service's; a ServiceEntry (or Service) host for `kind: Hostname` of
 * networking.istio.io, looked up from the route's namespace; a ServiceImport's Service.
 */
export function resolveBackendRef(index: WorkspaceIndex, route: IndexedResource, ref: BackendRefInfo): BackendResolution {
  const target = backendTarget(ref);
  const namespace = refNamespace(ref, route);
  const name = ref.name?.value ?? '';
  const base: BackendResolution = { target, namespace, name, status: 'outside-workspace', port: 'unknown', crossNamespace: namespace !== route.namespace };
  if (target === 'unsupported') return { ...base, status: 'unsupported' };
  if (target === 'inferencePool' || target === 'backend') return base;
  const absent = ref.port === undefined && ref.portRef === undefined ? ('absent' as const) : undefined;
  if (target === 'hostname') {
    const host = resolveHost(index, name, route.namespace);
    const known = host.services[0]?.info.service?.ports.map((p) => p.port) ?? host.serviceEntries[0]?.info.serviceEntry.ports.map((p) => p.number);
    const ports = known?.every((p) => p !== undefined) ? (known as number[]) : undefined;
    return { ...base, host, status: host.status, ports, port: absent ?? portVerdict(ref, ports) };
  }
  const service = index.serviceNamed(namespace, name);
  const status = service ? 'found' : definesServicesOf(index, namespace, 'Service') ? 'missing' : 'outside-workspace';
  const numbers = service?.info.service.ports.map((p) => p.port);
  const ports = numbers?.every((p) => p !== undefined) ? (numbers as number[]) : undefined;
  return { ...base, service, status, ports, port: absent ?? portVerdict(ref, ports) };
}

function portVerdict(ref: BackendRefInfo, ports: number[] | undefined): BackendResolution['port'] {
  if (ports === undefined || ref.port === undefined) return 'unknown';
  return ports.includes(ref.port) ? 'found' : 'missing';
}

/** The side of a reference a ReferenceGrant's `from` names. */
export interface GrantFrom {
  group: string;
  kind: string;
  namespace: string;
}

/** The side of a reference a ReferenceGrant's `to` names (`name` may be absent when a grant of the kind is asked). */
export interface GrantTo {
  group: string;
  kind: string;
  namespace: string;
  name?: string;
}

export interface GrantResolution {
  /** The reference needs no grant (same namespace) or a grant of the workspace allows it. */
  allowed: boolean;
  /** The ReferenceGrants of the target namespace that allow it. */
  grants: WithFacts<'referenceGrant'>[];
  /** `found`: allowed; `missing`: not allowed and the workspace holds ReferenceGrants of the target namespace; `outside-workspace`: it holds none (one may be in the cluster). */
  status: Verdict;
}

/**
 * Does this grant (of the target's namespace) name the reference? A `from` entry matches group,
 * kind and namespace; a `to` entry matches group and kind, and its name when it has one.
 */
export function grantMatches(grant: ReferenceGrantInfo, from: GrantFrom, to: GrantTo): boolean {
  const fromOk = grant.from.some((f) => f.group === from.group && f.kind === from.kind && f.namespace?.value === from.namespace);
  const toOk = grant.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name.value === '' || t.name.value === to.name));
  return fromOk && toOk;
}

/**
 * Does a ReferenceGrant in the target's namespace allow a reference from `from` (a route's group,
 * kind and namespace; a Gateway's for certificate Secrets) to `to`? As the spec: a grant's `from`
 * entry matches group, kind and namespace; a `to` entry matches group and kind, and its name when
 * it has one. A reference within one namespace needs none.
 */
export function referenceGrantAllows(index: WorkspaceIndex, from: GrantFrom, to: GrantTo): GrantResolution {
  if (from.namespace === to.namespace) return { allowed: true, grants: [], status: 'found' };
  const inNamespace = index.referenceGrantsIn(to.namespace);
  const grants = inNamespace.filter((grant) => grantMatches(grant.info.referenceGrant, from, to));
  const allowed = grants.length > 0;
  return { allowed, grants, status: allowed ? 'found' : inNamespace.length > 0 ? 'missing' : 'outside-workspace' };
}

/** The group of a resource's apiVersion (`""` for the core group's `v1`). */
export function groupOf(entry: IndexedResource): string {
  const apiVersion = entry.info.apiVersion ?? '';
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}
