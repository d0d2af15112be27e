// The workspace index: every Istio resource plus the Kubernetes Services, workloads, Namespaces
// and Gateway API resources (gateway.networking.k8s.io) of the workspace's files, with the
// lookups cross-file checks and navigation need.
// Files are added, replaced and removed explicitly; the lookup tables are rebuilt on the next
// query after a change.
import type { FileModel } from '../model/fileModel';
import type { ResourceDocument } from '../model/resource';
import { resourceInfo, type CommonInfo, type FactsOf, type ResourceInfo, type TextRef } from './extract';
import { GATEWAY_API_GROUP, isGatewayApiKind, type BackendRefInfo, type ParentRefInfo } from './gatewayApiFacts';
import { clusterNamespace, hostMatches, hostSpecificity, isExportedTo, resolveHost, serviceFqdn, type HostSettings } from './hosts';

export interface IndexedResource {
  uri: string;
  resource: ResourceDocument;
  info: ResourceInfo;
  /** metadata.namespace, or the default namespace. */
  namespace: string;
  name: string;
}

/** Endpoint labels Istio takes from the pod's node and cluster, not from the pod (pilot's label.AugmentLabels). */
const NODE_DERIVED_LABELS = new Set([
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.istio.io/subzone',
  'topology.istio.io/cluster',
  'topology.istio.io/network',
  'kubernetes.io/hostname',
]);

/**
 * The kind key of a Gateway API Gateway in `ofKind`, `ofKindIn` and `namespaceHas`: `Gateway` is
 * Istio's (networking.istio.io), which every caller of `ofKind('Gateway')` means.
 */
export const KUBERNETES_GATEWAY = 'gateway.networking.k8s.io/Gateway';

/** The per-kind facts of the kinds that have them (a resource of the kind has them, even half-typed). */
const FACTS_OF_KIND = {
  VirtualService: 'virtualService',
  DestinationRule: 'destinationRule',
  Gateway: 'gateway',
  [KUBERNETES_GATEWAY]: 'kubernetesGateway',
  ServiceEntry: 'serviceEntry',
  PeerAuthentication: 'peerAuthentication',
  Service: 'service',
  HTTPRoute: 'gatewayApiRoute',
  GRPCRoute: 'gatewayApiRoute',
  TCPRoute: 'gatewayApiRoute',
  TLSRoute: 'gatewayApiRoute',
  UDPRoute: 'gatewayApiRoute',
  GatewayClass: 'gatewayClass',
  ReferenceGrant: 'referenceGrant',
  ListenerSet: 'listenerSet',
  XListenerSet: 'listenerSet',
} as const;
type FactKinds = typeof FACTS_OF_KIND;
type FactKey = FactKinds[keyof FactKinds];

/** An indexed resource known to carry the facts of its kind: checks narrow to it instead of asserting. */
export type WithFacts<K extends FactKey> = IndexedResource & { info: CommonInfo & FactsOf<K> };

interface HostEntry<E extends IndexedResource = IndexedResource> {
  entry: E;
  /** The host as Istio resolves it in the entry's namespace. */
  host: string;
  /** Position in workspace order, so indexed lookups answer in the order a scan would. */
  order: number;
}

interface Tables {
  all: IndexedResource[];
  workloads: Map<string, IndexedResource[]>;
  /** VirtualServices bound to the mesh, by resolved host. */
  meshHosts: Map<string, IndexedResource[]>;
  byKind: Map<string, IndexedResource[]>;
  /** DestinationRules by resolved host pattern: lookups enumerate the patterns matching a host. */
  destinationRulesByHost: Map<string, HostEntry[]>;
  services: Map<string, IndexedResource[]>;
  serviceEntries: HostEntry<WithFacts<'serviceEntry'>>[];
  /** ServiceEntries and VirtualServices by resolved host (exact), for lookups and checks between pairs. */
  serviceEntriesByHost: Map<string, HostEntry<WithFacts<'serviceEntry'>>[]>;
  virtualServiceHosts: Map<string, WithFacts<'virtualService'>[]>;
  gateways: Map<string, WithFacts<'gateway'>[]>;
  /** Gateway API Gateways by `namespace/name`. */
  kubernetesGateways: Map<string, WithFacts<'kubernetesGateway'>[]>;
  /** Every parentRef of every Gateway API route (and every ListenerSet's parentRef), by `parentKey` of what it names. */
  parentRefs: Map<string, ParentRefOf[]>;
  /** Every backendRef (and RequestMirror backendRef) of every route, by `parentKey` of what it names. */
  backendRefs: Map<string, BackendRefOf[]>;
  gatewayClasses: Map<string, WithFacts<'gatewayClass'>[]>;
  /** Kinds present per namespace. */
  namespaces: Map<string, Set<string>>;
  /** Lookups checks derive from the tables (see `derived`), dropped with them. */
  derived: Map<string, unknown>;
}

const INDEXED_NON_ISTIO = new Set(['Service', 'Secret', 'Namespace', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController', 'Pod']);
const ROOT_NAMESPACE = 'istio-system';
const CLUSTER_MANAGED_NAMESPACES = new Set(['istio-system', 'kube-system', 'kube-public', 'istio-ingress', 'istio-egress']);

export class WorkspaceIndex {
  /** Per file: its model, and its entries once something asked (reading them parses documents). */
  private readonly files = new Map<string, { model: FileModel; entries?: IndexedResource[] }>();
  private tables?: Tables;

  constructor(readonly settings: HostSettings) {}

  setFile(model: FileModel): void {
    this.files.set(model.uri, { model });
    this.tables = undefined;
  }

  removeFile(uri: string): void {
    if (this.files.delete(uri)) this.tables = undefined;
  }

  /** The indexed resources of one file, in document order. */
  entries(uri: string): IndexedResource[] {
    const file = this.files.get(uri);
    if (!file) return [];
    file.entries ??= this.index(file.model);
    return file.entries;
  }

  private index(model: FileModel): IndexedResource[] {
    const entries: IndexedResource[] = [];
    for (const resource of model.resources) {
      if (!resource.isIstio && !isIndexedKubernetes(resource)) continue;
      const info = resourceInfo(resource);
      if (!info.kind || !info.name) continue;
      const namespace = info.kind === 'Namespace' ? info.name.value : (info.namespace ?? this.settings.defaultNamespace);
      entries.push({ uri: model.uri, resource, info, namespace, name: info.name.value });
    }
    return entries;
  }

  /** The indexed resource whose document holds a file offset. */
  entryAt(uri: string, offset: number): IndexedResource | undefined {
    return this.entries(uri).find((e) => e.resource.contains(offset));
  }

  hasFile(uri: string): boolean {
    return this.files.has(uri);
  }

  resources(): IndexedResource[] {
    return this.build().all;
  }

  /**
   * The resources of a kind. For a kind with facts, only those that carry them: an Istio kind
   * under another API group (`security.istio.io` VirtualService) is not that kind.
   */
  ofKind<K extends keyof FactKinds>(kind: K): WithFacts<FactKinds[K]>[];
  ofKind(kind: string): IndexedResource[];
  ofKind(kind: string): IndexedResource[] {
    return this.build().byKind.get(kind) ?? [];
  }

  resolve(host: string, namespace: string): string {
    return resolveHost(host, namespace, this.settings);
  }

  /** Does the workspace hold resources of these kinds in the namespace (so absence means something)? */
  namespaceHas(namespace: string, kinds: string[]): boolean {
    const present = this.build().namespaces.get(namespace);
    return !!present && kinds.some((k) => present.has(k));
  }

  /**
   * Does the workspace define this namespace's services, so that a host missing from it is
   * really missing? Istio's and Kubernetes' own namespaces are installed, not written by hand:
   * their services are never all in a workspace.
   */
  definesServicesOf(namespace: string): boolean {
    return !CLUSTER_MANAGED_NAMESPACES.has(namespace) && this.namespaceHas(namespace, ['Service', 'ServiceEntry']);
  }

  /**
   * The DestinationRules that apply to `host` for a client in `clientNamespace`, as Istio picks
   * them: the client's namespace first, then the service's, then the root namespace; within
   * one, the most specific host. Visibility follows exportTo.
   */
  destinationRulesFor(host: string, clientNamespace: string): IndexedResource[] {
    const serviceNamespace = clusterNamespace(host, this.settings);
    const tables = this.build();
    const candidates = matchingPatterns(host)
      .flatMap((pattern) => tables.destinationRulesByHost.get(pattern) ?? [])
      .filter((d) => isExportedTo(d.entry.info.destinationRule?.exportTo, d.entry.namespace, clientNamespace))
      .sort((a, b) => a.order - b.order);
    for (const namespace of [clientNamespace, serviceNamespace, ROOT_NAMESPACE]) {
      const here = candidates.filter((d) => d.entry.namespace === namespace);
      if (here.length === 0) continue;
      const best = Math.max(...here.map((d) => hostSpecificity(d.host)));
      return here.filter((d) => hostSpecificity(d.host) === best).map((d) => d.entry);
    }
    const best = Math.max(...candidates.map((d) => hostSpecificity(d.host)));
    return candidates.filter((d) => hostSpecificity(d.host) === best).map((d) => d.entry);
  }

  /** Every DestinationRule whose host is exactly this host, whoever can see it. */
  destinationRulesWithHost(host: string): IndexedResource[] {
    return (this.build().destinationRulesByHost.get(host) ?? []).map((d) => d.entry);
  }

  /** DestinationRules whose (resolved) host overlaps this one: equal, or either a wildcard covering the other. */
  destinationRulesOverlapping(host: string): IndexedResource[] {
    const byHost = this.build().destinationRulesByHost;
    const hosts = new Set(matchingPatterns(host));
    // Hosts a wildcard covers: a scan, as wildcard DestinationRule hosts are rare.
    if (host.startsWith('*')) for (const h of byHost.keys()) if (hostMatches(host, h)) hosts.add(h);
    return [...hosts]
      .flatMap((h) => byHost.get(h) ?? [])
      .sort((a, b) => a.order - b.order)
      .map((d) => d.entry);
  }

  /** Kubernetes Services with this FQDN. */
  services(fqdn: string): IndexedResource[] {
    return this.build().services.get(fqdn) ?? [];
  }

  /** ServiceEntries with a host matching this one (either side may be a wildcard), whoever can see them. */
  serviceEntriesMatching(host: string): WithFacts<'serviceEntry'>[] {
    const tables = this.build();
    // A wildcard query also matches the hosts it covers: rare (wildcard DestinationRules), so a scan.
    const found = host.startsWith('*')
      ? tables.serviceEntries.filter((s) => hostMatches(s.host, host) || hostMatches(host, s.host))
      : matchingPatterns(host)
          .flatMap((pattern) => tables.serviceEntriesByHost.get(pattern) ?? [])
          .sort((a, b) => a.order - b.order);
    return [...new Set(found.map((s) => s.entry))];
  }

  /** ServiceEntries with a host matching this one that are exported to one of `viewers` (see viewersOf). */
  serviceEntries(host: string, viewers: string[]): WithFacts<'serviceEntry'>[] {
    return this.serviceEntriesMatching(host).filter((e) => visibleTo(e, viewers));
  }

  /** Does anything in the workspace define this host (a Service or a ServiceEntry) for one of `viewers`? */
  hostDefined(host: string, viewers: string[]): boolean {
    if (this.services(host).some((s) => visibleTo(s, viewers)) || this.serviceEntries(host, viewers).length > 0) return true;
    if (host.startsWith('*')) return [...this.build().services.keys()].some((fqdn) => hostMatches(host, fqdn));
    return false;
  }

  /**
   * A Gateway referenced as `name` (in `namespace`) or `ns/name`: the Istio Gateways of that name
   * (`entries`) and the Gateway API Gateways (`kubernetesGateways`).
   */
  gateway(reference: string, namespace: string): { namespace: string; name: string; entries: WithFacts<'gateway'>[]; kubernetesGateways: WithFacts<'kubernetesGateway'>[] } {
    const slash = reference.indexOf('/');
    const ns = slash === -1 ? namespace : reference.slice(0, slash);
    const name = slash === -1 ? reference : reference.slice(slash + 1);
    const tables = this.build();
    return { namespace: ns, name, entries: tables.gateways.get(`${ns}/${name}`) ?? [], kubernetesGateways: tables.kubernetesGateways.get(`${ns}/${name}`) ?? [] };
  }

  /** ServiceEntries with this exact (resolved) host among theirs. */
  serviceEntriesWithHost(host: string): WithFacts<'serviceEntry'>[] {
    return (this.build().serviceEntriesByHost.get(host) ?? []).map((s) => s.entry);
  }

  /** VirtualServices (bound to anything) with this exact (resolved) host among theirs. */
  virtualServicesWithHost(host: string): WithFacts<'virtualService'>[] {
    return this.build().virtualServiceHosts.get(host) ?? [];
  }

  /**
   * Workloads in the namespace whose pod labels include all of `labels`. Istio adds the labels of
   * the pod's node and cluster to its endpoint labels (topology region, zone, subzone, cluster,
   * network, hostname: pilot's AugmentLabels), which no manifest shows, so those are not compared.
   */
  workloadsMatching(namespace: string, labels: Record<string, string>): IndexedResource[] {
    return this.workloads(namespace).filter((w) => selectsWorkload(labels, w));
  }

  workloads(namespace: string): IndexedResource[] {
    return this.build().workloads.get(namespace) ?? [];
  }

  /** The workloads of every namespace. */
  allWorkloads(): IndexedResource[] {
    return this.derived('allWorkloads', () => [...this.build().workloads.values()].flat());
  }

  /** VirtualServices bound to the mesh gateway that route this (resolved) host. */
  meshVirtualServices(host: string): IndexedResource[] {
    return this.build().meshHosts.get(host) ?? [];
  }

  /** VirtualServices bound to the mesh gateway with a host overlapping this one (either may be a wildcard covering the other), with that host. */
  meshVirtualServicesOverlapping(host: string): { entry: IndexedResource; host: string }[] {
    const meshHosts = this.build().meshHosts;
    const hosts = new Set(matchingPatterns(host));
    // Hosts a wildcard covers: a scan, as wildcard mesh hosts are rare.
    if (host.startsWith('*')) for (const h of meshHosts.keys()) if (hostMatches(host, h)) hosts.add(h);
    return [...hosts].flatMap((h) => (meshHosts.get(h) ?? []).map((entry) => ({ entry, host: h })));
  }

  /**
   * A lookup computed once per state of the workspace (rebuilt after any file changes), so a
   * check that compares a resource with its peers indexes them once instead of scanning per
   * resource. `key` names the lookup; the same key must always compute the same kind of value.
   */
  derived<T>(key: string, compute: () => T): T {
    const tables = this.build();
    if (!tables.derived.has(key)) tables.derived.set(key, compute());
    return tables.derived.get(key) as T;
  }

  /** Resources of a kind by namespace. */
  ofKindIn<K extends keyof FactKinds>(kind: K, namespace: string): WithFacts<FactKinds[K]>[];
  ofKindIn(kind: string, namespace: string): IndexedResource[];
  ofKindIn(kind: string, namespace: string): IndexedResource[] {
    return this.derived(`ofKindIn:${kind}`, () => groupBy(this.ofKind(kind), (e) => e.namespace)).get(namespace) ?? [];
  }

  namespaces(): string[] {
    return [...this.build().namespaces.keys()].sort();
  }

  private build(): Tables {
    if (this.tables) return this.tables;
    const all = [...this.files.keys()].flatMap((uri) => this.entries(uri));
    const tables: Tables = {
      all,
      workloads: new Map(),
      meshHosts: new Map(),
      byKind: new Map(),
      destinationRulesByHost: new Map(),
      services: new Map(),
      serviceEntries: [],
      serviceEntriesByHost: new Map(),
      virtualServiceHosts: new Map(),
      gateways: new Map(),
      kubernetesGateways: new Map(),
      parentRefs: new Map(),
      backendRefs: new Map(),
      gatewayClasses: new Map(),
      namespaces: new Map(),
      derived: new Map(),
    };
    for (const [order, entry] of all.entries()) {
      const kind = kindOf(entry);
      if (kind === undefined) continue;
      push(tables.byKind, kind, entry);
      let kinds = tables.namespaces.get(entry.namespace);
      if (!kinds) tables.namespaces.set(entry.namespace, (kinds = new Set()));
      kinds.add(kind);
      this.addFacts(tables, entry, order);
    }
    this.tables = tables;
    return tables;
  }

  /** `order`: the entry's position in workspace order, kept so indexed lookups answer in that order. */
  private addFacts(tables: Tables, entry: IndexedResource, order: number): void {
    const { destinationRule, service, workloadLabels } = entry.info;
    const hostsOf = (refs: { value: string }[]) => new Set(refs.map((h) => this.resolve(h.value, entry.namespace)));
    if (workloadLabels) push(tables.workloads, entry.namespace, entry);
    if (hasFacts(entry, 'virtualService')) {
      const hosts = hostsOf(entry.info.virtualService.hosts);
      for (const h of hosts) push(tables.virtualServiceHosts, h, entry);
      if (boundToMesh(entry)) for (const h of hosts) push(tables.meshHosts, h, entry);
    }
    if (destinationRule?.host) {
      const host = this.resolve(destinationRule.host.value, entry.namespace);
      push(tables.destinationRulesByHost, host, { entry, host, order });
    }
    if (hasFacts(entry, 'serviceEntry')) {
      for (const host of hostsOf(entry.info.serviceEntry.hosts)) {
        const hostEntry = { entry, host, order };
        tables.serviceEntries.push(hostEntry);
        push(tables.serviceEntriesByHost, host, hostEntry);
      }
    }
    if (service) push(tables.services, serviceFqdn(entry.name, entry.namespace, this.settings), entry);
    if (hasFacts(entry, 'gateway')) push(tables.gateways, `${entry.namespace}/${entry.name}`, entry);
    if (hasFacts(entry, 'kubernetesGateway')) push(tables.kubernetesGateways, `${entry.namespace}/${entry.name}`, entry);
    this.addGatewayApiFacts(tables, entry);
  }

  private addGatewayApiFacts(tables: Tables, entry: IndexedResource): void {
    const { gatewayApiRoute, listenerSet } = entry.info;
    if (!gatewayApiRoute && !listenerSet && !entry.info.gatewayClass) return;
    const refs = gatewayApiRoute?.parentRefs ?? (listenerSet?.parentRef ? [listenerSet.parentRef] : []);
    for (const ref of refs) {
      if (!ref.name) continue;
      push(tables.parentRefs, parentKey(ref.group, ref.kind, ref.namespace?.value || entry.namespace, ref.name.value), { entry, ref, name: ref.name });
    }
    if (hasFacts(entry, 'gatewayApiRoute')) {
      for (const ref of entry.info.gatewayApiRoute.rules.flatMap((rule) => [...rule.backendRefs, ...rule.mirrors])) {
        const key = parentKey(ref.group, ref.kind, ref.namespace?.value || entry.namespace, ref.name?.value ?? '');
        if (ref.name) push<string, BackendRefOf>(tables.backendRefs, key, { entry, ref, name: ref.name });
      }
    }
    if (hasFacts(entry, 'gatewayClass')) push(tables.gatewayClasses, entry.name, entry);
  }

  /**
   * The backendRefs (and RequestMirror backendRefs) naming this backend (a Service: group "",
   * kind Service; a `Hostname` of networking.istio.io: its host as the name, the route's
   * namespace), in workspace order.
   */
  backendRefsTo(backend: { group: string; kind: string; namespace: string; name: string }): BackendRefOf[] {
    return this.build().backendRefs.get(parentKey(backend.group, backend.kind, backend.namespace, backend.name)) ?? [];
  }

  /**
   * The parentRefs naming this parent (a Gateway: group gateway.networking.k8s.io, kind Gateway;
   * a Service: group "", kind Service...), in workspace order: the routes' and, for a Gateway, the
   * ListenerSets'. With `sectionName`, those whose sectionName is it (navigation renames them).
   */
  parentRefsTo(parent: { group: string; kind: string; namespace: string; name: string }, sectionName?: string): ParentRefOf[] {
    const refs = this.build().parentRefs.get(parentKey(parent.group, parent.kind, parent.namespace, parent.name)) ?? [];
    return sectionName === undefined ? refs : refs.filter((r) => r.ref.sectionName?.value === sectionName);
  }

  /** The Kubernetes Service of this namespace and name, if the workspace has it. */
  serviceNamed(namespace: string, name: string): WithFacts<'service'> | undefined {
    return this.services(serviceFqdn(name, namespace, this.settings)).find((s): s is WithFacts<'service'> => hasFacts(s, 'service') && s.namespace === namespace);
  }

  /** A resource of a kind by namespace and name (the first in workspace order), from one lookup per kind. */
  named<K extends keyof FactKinds>(kind: K, namespace: string, name: string): WithFacts<FactKinds[K]> | undefined;
  named(kind: string, namespace: string, name: string): IndexedResource | undefined;
  named(kind: string, namespace: string, name: string): IndexedResource | undefined {
    const byName = this.derived(`named:${kind}`, () => {
      const out = new Map<string, IndexedResource>();
      for (const e of this.ofKind(kind)) if (!out.has(`${e.namespace}/${e.name}`)) out.set(`${e.namespace}/${e.name}`, e);
      return out;
    });
    return byName.get(`${namespace}/${name}`);
  }

  /** The GatewayClasses of this name (cluster-scoped: whatever namespace the file says). */
  gatewayClasses(name: string): WithFacts<'gatewayClass'>[] {
    return this.build().gatewayClasses.get(name) ?? [];
  }

  /** The ReferenceGrants of a namespace (they grant references into it). */
  referenceGrantsIn(namespace: string): WithFacts<'referenceGrant'>[] {
    return this.ofKindIn('ReferenceGrant', namespace);
  }

  /** The ListenerSets (and XListenerSets) attached to a Gateway API Gateway. */
  listenerSetsOf(gatewayNamespace: string, gatewayName: string): WithFacts<'listenerSet'>[] {
    return this.parentRefsTo({ group: GATEWAY_API_GROUP, kind: 'Gateway', namespace: gatewayNamespace, name: gatewayName }).flatMap((r) => (hasFacts(r.entry, 'listenerSet') ? [r.entry] : []));
  }

  /** The Gateway API routes of the workspace (every route kind), in workspace order. */
  gatewayApiRoutes(): WithFacts<'gatewayApiRoute'>[] {
    return this.derived('gatewayApiRoutes', () => this.build().all.filter((e): e is WithFacts<'gatewayApiRoute'> => hasFacts(e, 'gatewayApiRoute')));
  }
}

/** A parentRef and the route (or ListenerSet) that writes it. */
export interface ParentRefOf {
  entry: IndexedResource;
  ref: ParentRefInfo;
  /** The ref's `name` scalar. */
  name: TextRef;
}

/** A backendRef and the route that writes it. */
export interface BackendRefOf {
  entry: WithFacts<'gatewayApiRoute'>;
  ref: BackendRefInfo;
  name: TextRef;
}

/** The key of a parent in `parentRefsTo`: its group, kind, namespace and name. */
function parentKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

/**
 * What a resource is exported to: `spec.exportTo` of a VirtualService, DestinationRule or
 * ServiceEntry, the `networking.istio.io/exportTo` annotation of a Service (comma-separated).
 * Undefined or empty: every namespace (the default mesh config's).
 */
export function exportToOf(entry: IndexedResource): string[] | undefined {
  const { virtualService, destinationRule, serviceEntry, service, annotations } = entry.info;
  if (service) {
    const annotation = annotations[EXPORT_TO_ANNOTATION];
    return annotation === undefined ? undefined : annotation.split(',').map((ns) => ns.trim());
  }
  return (virtualService ?? destinationRule ?? serviceEntry)?.exportTo;
}

const EXPORT_TO_ANNOTATION = 'networking.istio.io/exportTo';

/**
 * The namespaces a VirtualService or DestinationRule must see its hosts from, as istioctl's
 * analyzers ask (util.GetDestinationHost): its own namespace when it has no exportTo, `*` when
 * exported everywhere, else the namespaces it is exported to (`.` is its own).
 */
export function viewersOf(entry: IndexedResource): string[] {
  return viewersFor(exportToOf(entry), entry.namespace);
}

/** viewersOf a resource of `namespace` with this exportTo. */
export function viewersFor(exportTo: string[] | undefined, namespace: string): string[] {
  if (!exportTo || exportTo.length === 0) return [namespace];
  if (exportTo.includes('*')) return ['*'];
  return [...new Set(exportTo.map((ns) => (ns === '.' ? namespace : ns)))];
}

/**
 * The scopes istioctl's analyzers key a resource's hosts by (IsExportToAllNamespaces): `*` when
 * it has no exportTo or `*` among it, else the namespaces it is exported to (`.` is its own).
 */
export function exportScopes(entry: IndexedResource): string[] {
  const exportTo = exportToOf(entry);
  return !exportTo || exportTo.length === 0 || exportTo.includes('*') ? ['*'] : viewersOf(entry);
}

/** Can two resources with these export scopes meet in a namespace (both visible there)? */
export function scopesMeet(a: string[], b: string[]): boolean {
  return a.includes('*') || b.includes('*') || a.some((ns) => b.includes(ns));
}

/** Is the resource exported to one of these namespaces (`*`: to every namespace)? */
export function visibleTo(entry: IndexedResource, viewers: string[]): boolean {
  const exportTo = exportToOf(entry);
  return viewers.some((viewer) => isExportedTo(exportTo, entry.namespace, viewer));
}

/** Do the workload's pod labels include all of `labels` (those of the pod's node and cluster aside, see workloadsMatching)? */
export function selectsWorkload(labels: Record<string, string>, workload: IndexedResource): boolean {
  return Object.entries(labels).every(([k, v]) => NODE_DERIVED_LABELS.has(k) || workload.info.workloadLabels?.[k] === v);
}

function hasFacts<K extends FactKey>(entry: IndexedResource, key: K): entry is WithFacts<K> {
  return entry.info[key] !== undefined;
}

/**
 * Every host pattern that matches `host` (see hostMatches): the host itself, `*`, and `*` + each
 * of its dot-suffixes. Looking these up replaces a scan of every pattern.
 */
export function matchingPatterns(host: string): string[] {
  const patterns = new Set([host, '*']);
  const rest = host.startsWith('*.') ? host.slice(1) : host;
  for (let i = rest.indexOf('.'); i !== -1; i = rest.indexOf('.', i + 1)) patterns.add(`*${rest.slice(i)}`);
  return [...patterns];
}

/** The entry's kind (KUBERNETES_GATEWAY for a Gateway API Gateway), unless it names a kind with facts but lacks them (wrong API group). */
function kindOf(entry: IndexedResource): string | undefined {
  if (entry.info.kubernetesGateway) return KUBERNETES_GATEWAY;
  const kind = entry.info.kind;
  if (kind === undefined) return undefined;
  const facts = (FACTS_OF_KIND as Record<string, FactKey | undefined>)[kind];
  return facts === undefined || entry.info[facts] !== undefined ? kind : undefined;
}

/** Bound to the sidecars: no `gateways`, or `mesh` among them. */
export function boundToMesh(entry: IndexedResource): boolean {
  const gateways = entry.info.virtualService?.gateways ?? [];
  return gateways.length === 0 || gateways.some((g) => g.value === 'mesh');
}

export function groupBy<K, V>(values: Iterable<V>, keyOf: (value: V) => K | undefined): Map<K, V[]> {
  const map = new Map<K, V[]>();
  for (const value of values) {
    const key = keyOf(value);
    if (key !== undefined) push(map, key, value);
  }
  return map;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function isIndexedKubernetes(resource: ResourceDocument): boolean {
  const apiVersion = resource.apiVersion;
  if (isGatewayApiKind(apiVersion, resource.kind)) return true;
  if (!apiVersion || !(apiVersion === 'v1' || apiVersion.startsWith('apps/') || apiVersion.startsWith('batch/'))) return false;
  return resource.kind !== undefined && INDEXED_NON_ISTIO.has(resource.kind);
}
