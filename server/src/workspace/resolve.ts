// The one resolver: what a reference written in a resource resolves to in the workspace, with
// Istio's scoping rules (short names in the referring resource's namespace, FQDNs as written,
// wildcards by suffix, exportTo, the DestinationRule lookup order). Analysis, navigation,
// completion, refactorings and the preview ask it instead of working it out.
// Hosts may be passed as written or already resolved: resolving an FQDN gives it back. Turning a
// name into its FQDN alone (for keys and comparisons) is `index.resolve` (workspace/hosts.ts).
import type { SubsetInfo, TextRef } from './extract';
import { clusterNamespace } from './hosts';
import { KUBERNETES_GATEWAY, viewersOf, visibleTo, type IndexedResource, type WithFacts, type WorkspaceIndex } from './index';

/**
 * How far the workspace can answer: `found` it; `missing`: the workspace holds what would
 * define it and it is not there; `outside-workspace`: it may be defined in the cluster.
 */
export type Verdict = 'found' | 'missing' | 'outside-workspace';

interface HostFacts {
  /** The host as Istio reads it in the referring namespace. */
  fqdn: string;
  /** The namespace of a cluster-local FQDN (`name.ns.svc.<domain>`), if it is one. */
  namespace: string | undefined;
  /** Kubernetes Services with this FQDN, exported to the referring resource. */
  services: IndexedResource[];
  /** ServiceEntries exported to the referring resource with a host matching this one (either side may be a wildcard). */
  serviceEntries: WithFacts<'serviceEntry'>[];
  /** Services and ServiceEntries that define the host but are not exported to the referring resource. */
  hidden: IndexedResource[];
}

/**
 * Only a namespace whose Services the workspace defines can prove a (non-wildcard) host missing,
 * or definitions of the host that are not exported to the referrer (`hidden`).
 */
export type HostResolution = HostFacts & { status: Verdict };

/** A DestinationRule subset that has a name. */
export interface NamedSubset {
  rule: IndexedResource;
  subset: SubsetInfo & { name: TextRef };
}

export type SubsetResolution =
  | { status: 'found'; host: string; rules: IndexedResource[]; rule: IndexedResource; subset: SubsetInfo & { name: TextRef } }
  /** `rules` apply and define none of that name (`defined`: the names they do define), or none applies where the workspace holds the DestinationRules. */
  | { status: 'missing'; host: string; rules: IndexedResource[]; defined: string[] }
  /** No DestinationRule applies and the workspace holds none of the namespaces that could supply one. */
  | { status: 'outside-workspace'; host: string; rules: []; defined: [] };

export interface GatewayResolution {
  namespace: string;
  name: string;
  /** The Istio Gateways of that name. */
  gateways: WithFacts<'gateway'>[];
  /** The Gateway API Gateways of that name, when no Istio Gateway has it (istioctl looks them up only then). */
  kubernetesGateways: WithFacts<'kubernetesGateway'>[];
  /** `missing` when the workspace holds Gateways (of either API) of that namespace but not this one. */
  status: Verdict;
}

/** Do two hosts, each written in its resource's namespace, name the same host? */
export function sameHost(index: WorkspaceIndex, a: string, aNamespace: string, b: string, bNamespace: string): boolean {
  return index.resolve(a, aNamespace) === index.resolve(b, bNamespace);
}

/** The namespace of the Service a host names, when it is a cluster-local FQDN (none for external or mesh-wide hosts). */
export function serviceNamespaceOf(index: WorkspaceIndex, host: string, fromNamespace: string): string | undefined {
  return clusterNamespace(index.resolve(host, fromNamespace), index.settings);
}

/**
 * What a destination host written in `fromNamespace` names: its Services and ServiceEntries
 * exported to `viewers` (the namespaces that must see it: `viewersOf` the referring resource;
 * its own namespace by default), as istioctl's util.GetDestinationHost looks them up.
 */
export function resolveHost(index: WorkspaceIndex, host: string, fromNamespace: string, viewers: string[] = [fromNamespace]): HostResolution {
  const fqdn = index.resolve(host, fromNamespace);
  const namespace = clusterNamespace(fqdn, index.settings);
  const defining = index.services(fqdn);
  const services = defining.filter((s) => visibleTo(s, viewers));
  // The ServiceEntries are looked up when read, or when no Service answers: every destination of
  // every VirtualService asks, and most hosts are Services.
  let entries: WithFacts<'serviceEntry'>[] | undefined;
  let visible: WithFacts<'serviceEntry'>[] | undefined;
  const serviceEntriesOf = () => (entries ??= index.serviceEntriesMatching(fqdn));
  const visibleEntries = () => (visible ??= serviceEntriesOf().filter((e) => visibleTo(e, viewers)));
  // index.hostDefined, reusing the lookups above; only a wildcard needs its scan of the Services.
  const found = services.length > 0 || visibleEntries().length > 0 || (fqdn.startsWith('*') && index.hostDefined(fqdn, viewers));
  const hidden = found ? [] : [...defining, ...serviceEntriesOf()].filter((e) => !visibleTo(e, viewers));
  const provable = hidden.length > 0 || (!fqdn.includes('*') && namespace !== undefined && index.definesServicesOf(namespace));
  return {
    fqdn,
    namespace,
    services,
    get serviceEntries() {
      return visibleEntries();
    },
    hidden,
    status: found ? 'found' : provable ? 'missing' : 'outside-workspace',
  };
}

/** The resource whose ports a destination's port is checked against, and those ports. */
export interface HostPorts {
  owner: IndexedResource;
  ports: number[];
}

/**
 * The ports of the host a resolution found, as istioctl's DestinationHostAnalyzer reads them: a
 * Kubernetes Service's `port`s (util.InitServiceEntryHostMap turns it into a ServiceEntry of those
 * ports, and it wins over a ServiceEntry of the same host), else those of a ServiceEntry with the
 * exact host, else of one whose wildcard host matches.
 */
export function hostPorts(index: WorkspaceIndex, host: HostResolution): HostPorts | undefined {
  // A port whose number does not read (`port: http`, being typed) leaves the ports unknown, not missing.
  const known = (owner: IndexedResource, numbers: (number | undefined)[]): HostPorts | undefined => (numbers.every((n) => n !== undefined) ? { owner, ports: numbers as number[] } : undefined);
  const service = host.services[0];
  if (service)
    return known(
      service,
      (service.info.service?.ports ?? []).map((p) => p.port),
    );
  const entries = host.serviceEntries;
  const exact = entries.find((e) => e.info.serviceEntry.hosts.some((h) => index.resolve(h.value, e.namespace) === host.fqdn));
  const entry = exact ?? entries[0];
  return (
    entry &&
    known(
      entry,
      entry.info.serviceEntry.ports.map((p) => p.number),
    )
  );
}

/** The Kubernetes Services a host written in `fromNamespace` names, exported to `viewers` (its own namespace by default). */
export function servicesOf(index: WorkspaceIndex, host: string, fromNamespace: string, viewers: string[] = [fromNamespace]): IndexedResource[] {
  return index.services(index.resolve(host, fromNamespace)).filter((s) => visibleTo(s, viewers));
}

/** The DestinationRules that apply to `host` for a client in `fromNamespace` (several when they tie). */
export function destinationRulesFor(index: WorkspaceIndex, host: string, fromNamespace: string): IndexedResource[] {
  return index.destinationRulesFor(index.resolve(host, fromNamespace), fromNamespace);
}

/** The DestinationRule that governs `host` for a client in `fromNamespace`, if the workspace has one. */
export function destinationRuleFor(index: WorkspaceIndex, host: string, fromNamespace: string): IndexedResource | undefined {
  return destinationRulesFor(index, host, fromNamespace)[0];
}

/** The named subsets of these rules, in order. */
export function subsetsOf(rules: IndexedResource[]): NamedSubset[] {
  return rules.flatMap((rule) => (rule.info.destinationRule?.subsets ?? []).filter(hasName).map((subset) => ({ rule, subset })));
}

/** The subset names of one rule, in order (as written, repeats included). */
export function subsetNames(rule: IndexedResource | undefined): string[] {
  return (rule?.info.destinationRule?.subsets ?? []).flatMap((s) => (s.name ? [s.name.value] : []));
}

function hasName(subset: SubsetInfo): subset is SubsetInfo & { name: TextRef } {
  return subset.name !== undefined;
}

/** A `host` + `subset` destination written in `fromNamespace`: the rule and subset it selects, or what is defined instead. */
export function resolveSubset(index: WorkspaceIndex, host: string, subset: string, fromNamespace: string): SubsetResolution {
  const fqdn = index.resolve(host, fromNamespace);
  const rules = index.destinationRulesFor(fqdn, fromNamespace);
  const named = subsetsOf(rules);
  const found = named.find((s) => s.subset.name.value === subset);
  if (found) return { status: 'found', host: fqdn, rules, rule: found.rule, subset: found.subset };
  if (rules.length > 0) return { status: 'missing', host: fqdn, rules, defined: [...new Set(named.map((s) => s.subset.name.value))] };
  // The rule would live in the client's namespace or the service's: if the workspace holds either's rules, it is missing.
  const serviceNamespace = clusterNamespace(fqdn, index.settings);
  const known = index.namespaceHas(serviceNamespace ?? fromNamespace, ['DestinationRule']) || index.namespaceHas(fromNamespace, ['DestinationRule']);
  return known ? { status: 'missing', host: fqdn, rules, defined: [] } : { status: 'outside-workspace', host: fqdn, rules: [], defined: [] };
}

/** The kinds a VirtualService's `gateways` may name: Istio's Gateway and the Gateway API's. */
const GATEWAY_KINDS = ['Gateway', KUBERNETES_GATEWAY];

/**
 * A VirtualService `gateways` entry (other than `mesh`): `name` in `fromNamespace`, or
 * `namespace/name`. As istioctl's GatewayAnalyzer, an Istio Gateway of that name, else a Gateway
 * API Gateway (gateway.networking.k8s.io) of that name.
 */
export function resolveGateway(index: WorkspaceIndex, reference: string, fromNamespace: string): GatewayResolution {
  const { namespace, name, entries, kubernetesGateways } = index.gateway(reference, fromNamespace);
  const kubernetes = entries.length > 0 ? [] : kubernetesGateways;
  const found = entries.length + kubernetes.length > 0;
  const status = found ? 'found' : index.namespaceHas(namespace, GATEWAY_KINDS) ? 'missing' : 'outside-workspace';
  return { namespace, name, gateways: entries, kubernetesGateways: kubernetes, status };
}

/** Every Gateway a VirtualService may bind to (both APIs), in workspace order of each. */
export function bindableGateways(index: WorkspaceIndex): (WithFacts<'gateway'> | WithFacts<'kubernetesGateway'>)[] {
  return [...index.ofKind('Gateway'), ...index.ofKind(KUBERNETES_GATEWAY)];
}

/** How a VirtualService in `fromNamespace` refers to a Gateway: the inverse of resolveGateway. */
export function gatewayReference(gateway: IndexedResource, fromNamespace: string): string {
  return gateway.namespace === fromNamespace ? gateway.name : `${gateway.namespace}/${gateway.name}`;
}

/** What a DestinationRule subset's labels must select: the host's Service's pods, else its ServiceEntries' endpoints. */
export interface SubsetTarget {
  namespace: string;
  service?: IndexedResource;
  serviceEntries: WithFacts<'serviceEntry'>[];
}

/** The SubsetTarget of a host a DestinationRule of `ruleNamespace` names. */
export function subsetTarget(resolved: HostResolution, ruleNamespace: string): SubsetTarget {
  const service = resolved.services[0];
  return { namespace: resolved.namespace ?? ruleNamespace, service, serviceEntries: service ? [] : resolved.serviceEntries };
}

/**
 * Does something the host names carry the subset's labels? As Kiali: the Service's pods (its
 * selector and the labels); without a Service, a ServiceEntry endpoint's labels (or, ours, the
 * workloads its workloadSelector picks). Undefined when the workspace cannot tell (no workloads).
 */
export function subsetSelects(index: WorkspaceIndex, target: SubsetTarget, labels: Record<string, string>): boolean | undefined {
  const within = (have: Record<string, string>) => Object.entries(labels).every(([k, v]) => have[k] === v);
  if (target.serviceEntries.some((se) => se.info.serviceEntry.endpointLabels.some(within))) return true;
  const selectors = target.serviceEntries.flatMap((se) => (se.info.serviceEntry.workloadSelector ? [{ ns: se.namespace, selector: se.info.serviceEntry.workloadSelector }] : []));
  if (target.serviceEntries.length > 0 && selectors.length === 0) return false;
  const pods = selectors.length > 0 ? selectors : [{ ns: target.namespace, selector: target.service?.info.service?.selector ?? {} }];
  if (!pods.some(({ ns }) => index.workloads(ns).length > 0)) return undefined;
  return pods.some(({ ns, selector }) => index.workloadsMatching(ns, { ...selector, ...labels }).length > 0);
}

/**
 * Would a subset with these labels of `host` (written in `fromNamespace`), in `rule` (its
 * DestinationRule; a new one in `fromNamespace` when undefined), select something (what KIA0203
 * checks)? Undefined when the workspace cannot tell: the host is a wildcard or not defined here,
 * or no workloads are known.
 */
export function subsetWouldSelect(index: WorkspaceIndex, host: string, fromNamespace: string, rule: IndexedResource | undefined, labels: Record<string, string>): boolean | undefined {
  const ruleNamespace = rule?.namespace ?? fromNamespace;
  const resolved = resolveHost(index, index.resolve(host, fromNamespace), ruleNamespace, rule ? viewersOf(rule) : [ruleNamespace]);
  if (resolved.status === 'missing' || resolved.fqdn.startsWith('*')) return undefined;
  return subsetSelects(index, subsetTarget(resolved, ruleNamespace), labels);
}
