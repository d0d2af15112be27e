// Checks that compare a resource with its neighbours: conflicting hosts, selector-less
// singletons, Service port names, Gateway hosts, DestinationRule subsets.
import { hostMatches } from '../workspace/hosts';
import { boundToMesh, exportScopes, scopesMeet, viewersOf, type IndexedResource } from '../workspace/index';
import { resolveGateway, resolveHost, subsetSelects, subsetTarget, type SubsetTarget } from '../workspace/resolve';
import type { Check, CheckContext } from './context';
import { whyMissing } from './references';
import { isInternalGatewayReference, namespaceInAmbientMode } from './meshChecks';
import { declaredProtocol, type ServicePortInfo, type VirtualServiceInfo } from '../workspace/extract';

/**
 * IST0109, as istioctl's ConflictingMeshGatewayHostsAnalyzer: two mesh VirtualServices with the
 * same host whose exportTo scopes meet; a wildcard covering the other's host conflicts only between
 * one exported everywhere and one exported to namespaces (istioctl compares those by host.Matches).
 */
export const checkConflictingMeshHosts: Check = (ctx) => {
  const vs = ctx.entry.info.virtualService;
  if (!vs || !boundToMesh(ctx.entry)) return;
  const scopes = exportScopes(ctx.entry);
  const everywhere = scopes.includes('*');
  for (const host of vs.hosts) {
    const resolved = ctx.index.resolve(host.value, ctx.entry.namespace);
    const clash = ctx.index.meshVirtualServicesOverlapping(resolved).find(({ entry, host: other }) => {
      if (entry.resource === ctx.entry.resource) return false;
      const theirs = exportScopes(entry);
      return other === resolved ? scopesMeet(scopes, theirs) : everywhere !== theirs.includes('*');
    });
    if (!clash) continue;
    const what = clash.host === resolved ? resolved : `${clash.host}, which overlaps ${resolved},`;
    ctx.report('conflictingMeshHosts', host, `VirtualService ${clash.entry.name} (${clash.entry.namespace}) also routes ${what} for the mesh; merge them into one VirtualService.`);
  }
};

function singletonCheck(kind: string, key: 'multipleSidecars' | 'multipleTelemetries'): Check {
  return (ctx) => {
    if (ctx.entry.info.kind !== kind || ctx.entry.info.hasSelector || !ctx.entry.info.name) return;
    // istioctl reports a Sidecar of an ambient namespace as IST0167 instead.
    if (kind === 'Sidecar' && namespaceInAmbientMode(ctx.index, ctx.entry.namespace)) return;
    const peers = ctx.index.ofKindIn(kind, ctx.entry.namespace).filter((o) => !o.info.hasSelector && o.resource !== ctx.entry.resource);
    if (peers.length > 0) {
      // An empty workloadSelector is namespace-wide too (see extract.ts selectsWorkloads).
      const selector = kind === 'Sidecar' ? 'workloadSelector labels' : 'a selector';
      ctx.report(
        key,
        ctx.entry.info.name,
        `Namespace ${ctx.entry.namespace} has another ${kind} without ${selector}: ${peers.map((p) => p.name).join(', ')}. Only one may apply to the whole namespace.`,
      );
    }
  };
}

/** IST0111, IST0160 */
export const checkMultipleSidecars = singletonCheck('Sidecar', 'multipleSidecars');
export const checkMultipleTelemetries = singletonCheck('Telemetry', 'multipleTelemetries');

const PROTOCOLS = ['http', 'http2', 'https', 'http_proxy', 'grpc', 'grpc-web', 'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp'];
/** Ports Istio treats as TCP whatever their name. */
const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'istio-system']);

/** Kubernetes' standard appProtocol names Istio reads (h2c, WebSocket, WebSocket over TLS). */
const KUBERNETES_APP_PROTOCOLS = new Set(['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
/** Services Istio's gateway controllers create (label gateway.istio.io/managed): not the user's to name. */
const MANAGED_GATEWAY_CONTROLLERS = new Set(['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller']);

/**
 * Does Istio know the port's protocol? As kube.ConvertProtocol: UDP; else `appProtocol` when set
 * (instead of the name), else the name; up to its first '-' (`grpc-web` whole); ports 25, 53, 3306
 * and 27017 are TCP whatever their name. An unnamed port without appProtocol is not known.
 */
function protocolKnown(port: ServicePortInfo): boolean {
  if (port.protocol?.toUpperCase() === 'UDP') return true;
  const name = (port.appProtocol ?? port.name?.value ?? '').toLowerCase();
  if (port.appProtocol !== undefined && KUBERNETES_APP_PROTOCOLS.has(name)) return true;
  if (PROTOCOLS.includes(declaredProtocol(port))) return true;
  return port.port !== undefined && WELL_KNOWN_PORTS.has(port.port);
}

/** IST0118, as istioctl's PortNameAnalyzer: every port of a user's Service says its protocol, by name or appProtocol. */
export const checkPortNames: Check = (ctx) => {
  const service = ctx.entry.info.service;
  if (!service || SYSTEM_NAMESPACES.has(ctx.entry.namespace)) return;
  // The control plane's and the gateway controllers' own Services.
  if ('istio' in service.labels || service.labels.release === 'istio' || MANAGED_GATEWAY_CONTROLLERS.has(service.labels['gateway.istio.io/managed'] ?? '')) return;
  const externalName = service.type === 'ExternalName';
  for (const port of service.ports) {
    const plainTcp = externalName && port.name?.value === 'tcp';
    if (protocolKnown(port) && !plainTcp) continue;
    const at = port.name ?? { start: port.span.start, end: port.span.start + 1 };
    if (externalName) {
      // IST0150 replaces IST0118 for an ExternalName Service, as in istioctl.
      const which = port.name
        ? `Port name '${port.name.value}' of this ExternalName Service ${plainTcp ? "is plain 'tcp'" : 'does not say its protocol'}`
        : `Port ${port.port ?? ''} of this ExternalName Service has no name or appProtocol`;
      ctx.report('externalNamePortName', at, `${which}: the proxy may not forward its TCP traffic correctly. Name it after its protocol (e.g. https or tls-443) or set appProtocol.`);
      continue;
    }
    const which = port.port === undefined ? 'this port' : `port ${port.port}`;
    const how = `Name it '<protocol>[-suffix]' (${PROTOCOLS.join(', ')}) or set appProtocol to one of them.`;
    const message =
      port.appProtocol !== undefined
        ? `appProtocol '${port.appProtocol}' of ${which} is not a protocol Istio knows, so it treats the traffic as TCP. ${how}`
        : port.name
          ? `Port name '${port.name.value}' does not say its protocol; Istio will detect it or treat the traffic as TCP. ${how}`
          : `${which.charAt(0).toUpperCase()}${which.slice(1)} has no name and no appProtocol, so Istio cannot tell its protocol and treats the traffic as TCP. ${how}`;
    ctx.report('portName', at, message);
  }
};

/**
 * IST0132, as istioctl: a bound Gateway that accepts none of the VirtualService's hosts. A Gateway
 * API Gateway accepts its listeners' hostnames (`*.example.com`: any name under example.com), and
 * every host when a listener has none; allowedRoutes does not count (istioctl ignores it).
 */
export const checkHostsInGateways: Check = (ctx) => {
  const vs = ctx.entry.info.virtualService;
  if (!vs || vs.hosts.length === 0) return;
  const hosts = vs.hosts.map((h) => h.value).join(', ');
  for (const ref of vs.gateways) {
    if (ref.value === 'mesh' || isInternalGatewayReference(ref.value)) continue;
    const resolved = resolveGateway(ctx.index, ref.value, ctx.entry.namespace);
    const bound = [
      ...resolved.gateways.map((g) => ({ g, what: 'Gateway', of: 'servers', accepted: g.info.gateway.servers.flatMap((s) => s.hosts.map((h) => h.value)) })),
      // A listener without a hostname accepts every host.
      ...resolved.kubernetesGateways.flatMap((g) => {
        const listeners = g.info.kubernetesGateway.listeners;
        return listeners.some((l) => !l.hostname?.value) ? [] : [{ g, what: 'Gateway API Gateway', of: 'listeners', accepted: listeners.flatMap((l) => l.hostname?.value ?? []) }];
      }),
    ];
    for (const { g, what, of, accepted } of bound) {
      if (vs.hosts.some((host) => accepted.some((pattern) => gatewayAccepts(pattern, g.namespace, host.value, ctx.entry.namespace)))) continue;
      ctx.report('hostNotInGateway', ref, `${what} ${g.namespace}/${g.name} accepts none of this VirtualService's hosts (${hosts}); its ${of} accept ${accepted.join(', ') || 'no hosts'}.`);
    }
  }
};

/** A Gateway server host (`[ns/]host`, `*` and `.` namespaces), or a listener hostname, accepting a VirtualService host. */
function gatewayAccepts(pattern: string, gatewayNamespace: string, host: string, vsNamespace: string): boolean {
  const slash = pattern.indexOf('/');
  const ns = slash === -1 ? '*' : pattern.slice(0, slash);
  const h = (slash === -1 ? pattern : pattern.slice(slash + 1)).toLowerCase();
  const nsOk = ns === '*' || ns === vsNamespace || (ns === '.' && gatewayNamespace === vsNamespace);
  return nsOk && (hostMatches(h, host.toLowerCase()) || hostMatches(host.toLowerCase(), h));
}

/** IST0174, KIA0201, KIA0209, KIA0203 */
export const checkDestinationRule: Check = (ctx) => {
  const dr = ctx.entry.info.destinationRule;
  if (!dr?.host) return;
  const viewers = viewersOf(ctx.entry);
  const resolved = resolveHost(ctx.index, dr.host.value, ctx.entry.namespace, viewers);
  const { fqdn: host } = resolved;
  if (resolved.status === 'missing') {
    const why = whyMissing(resolved, viewers);
    ctx.report('destinationRuleHostNotFound', dr.host, `Host '${dr.host.value}' (${host}) ${why}; this DestinationRule applies to nothing.`, {
      type: 'reference',
      target: 'host',
      name: host,
    });
  }
  reportOverlappingRules(ctx, host);
  // As Kiali's NoDestinationChecker, subsets are looked at only when the host is known (KIA0202 otherwise).
  if (resolved.status !== 'missing') reportSubsetLabels(ctx, host.startsWith('*') ? undefined : subsetTarget(resolved, ctx.entry.namespace));
};

/**
 * KIA0209 and KIA0203, as Kiali's NoDestinationChecker (which points at `spec/subsets[i]`): a
 * subset without labels, at its name (the subset's first line); a subset whose labels (with the
 * Service's selector) no workload of the host's namespace carries, when the workspace has
 * workloads there, at its labels (what to change). A wildcard host (`target`
 * undefined) selects no one Service, so its subsets' labels are not compared.
 */
function reportSubsetLabels(ctx: CheckContext, target: SubsetTarget | undefined): void {
  const dr = ctx.entry.info.destinationRule;
  for (const subset of dr?.subsets ?? []) {
    if (!subset.name) continue;
    if (!subset.labels || Object.keys(subset.labels).length === 0) {
      ctx.report(
        'subsetNoLabels',
        subset.name,
        `Subset '${subset.name.value}' has no labels, so it selects every endpoint of ${dr?.host?.value ?? 'the host'}; give it the labels of its pods (e.g. version: ${subset.name.value}).`,
      );
      continue;
    }
    if (!target || subsetSelects(ctx.index, target, subset.labels) !== false) continue;
    const labels = Object.entries(subset.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    const where =
      target.serviceEntries.length > 0 ? `No endpoint of ServiceEntry ${target.serviceEntries[0].name} (${target.serviceEntries[0].namespace})` : `No workload in namespace ${target.namespace}`;
    ctx.report(
      'subsetNoWorkload',
      subset.labelsSpan ?? subset.name,
      `${where} has the labels of subset '${subset.name.value}' (${labels}); traffic to it fails. Give the subset the labels of the pods it should select.`,
    );
  }
}

/**
 * Kiali's mesh-wide (`*.local`) or namespace-wide (`*.<its namespace>.svc.<domain>`) ISTIO_MUTUAL
 * DestinationRule: the documented way to turn mTLS on, meant to coexist with the specific ones.
 */
function mtlsDefaultRule(entry: IndexedResource, clusterDomain: string): boolean {
  const dr = entry.info.destinationRule;
  const host = dr?.host?.value;
  const mode = dr?.tls.find((t) => t.level === 'destination')?.mode?.value;
  return mode === 'ISTIO_MUTUAL' && (host === '*.local' || host === `*.${entry.namespace}.svc.${clusterDomain}`);
}

/**
 * KIA0201, as Kiali's destinationrules.MultiMatchChecker: another DestinationRule (of any namespace
 * where both are visible) whose host overlaps this one (the same, or a wildcard covering it) and
 * that defines one of the same subsets, or where either has no subsets (it covers them all).
 * Kiali's mTLS-default rules take no part. Reported once per DestinationRule, on its host.
 */
function reportOverlappingRules(ctx: CheckContext, host: string): void {
  const dr = ctx.entry.info.destinationRule;
  const domain = ctx.index.settings.clusterDomain;
  if (!dr?.host || mtlsDefaultRule(ctx.entry, domain)) return;
  const scopes = exportScopes(ctx.entry);
  const mine = dr.subsets.flatMap((s) => (s.name ? [s.name.value] : []));
  const clashes = ctx.index.destinationRulesOverlapping(host).flatMap((other) => {
    if (other.resource === ctx.entry.resource || mtlsDefaultRule(other, domain) || !scopesMeet(scopes, exportScopes(other))) return [];
    const theirs = other.info.destinationRule?.subsets.flatMap((s) => (s.name ? [s.name.value] : [])) ?? [];
    const whole = dr.subsets.length === 0 || (other.info.destinationRule?.subsets.length ?? 0) === 0;
    const shared = mine.filter((name) => theirs.includes(name));
    return whole || shared.length > 0 ? [{ other, shared, whole }] : [];
  });
  if (clashes.length === 0) return;
  const listed = clashes.map(({ other, shared, whole }) => `${other.name} (${other.namespace}) ${whole ? 'for the whole host' : `for subset${shared.length > 1 ? 's' : ''} ${shared.join(', ')}`}`);
  const names = [...new Set(clashes.flatMap((c) => c.shared))];
  ctx.report(
    'duplicateSubset',
    dr.host,
    `More than one DestinationRule for ${host} and the same subsets: ${listed.join('; ')}. Which one applies is undefined; define each subset of a host in one DestinationRule.`,
    { type: 'duplicate', what: 'subset', names },
  );
}

const httpDestinations = (vs: VirtualServiceInfo) => vs.routes.filter((r) => r.routeKind === 'http').flatMap((r) => r.destinations);

/**
 * IST0140, as istioctl's DestinationHostAnalyzer.analyzeSubset: an HTTP route of a VirtualService
 * with gateways, without subset, to a host that another VirtualService of that host routes by
 * subset in its HTTP routes. Unlike istioctl, hosts are compared resolved, and the VirtualService's
 * own subset routes do not count (they apply to its Gateway's requests too).
 */
export const checkIngressSubsets: Check = (ctx) => {
  const vs = ctx.entry.info.virtualService;
  if (!vs || vs.gateways.length === 0) return;
  for (const dest of httpDestinations(vs)) {
    if (!dest.host || dest.subset) continue;
    const host = ctx.index.resolve(dest.host.value, ctx.entry.namespace);
    const splitter = ctx.index
      .virtualServicesWithHost(host)
      .find((o) => o.resource !== ctx.entry.resource && httpDestinations(o.info.virtualService).some((d) => d.subset && d.host && ctx.index.resolve(d.host.value, o.namespace) === host));
    if (splitter)
      ctx.report(
        'ingressIgnoresSubsets',
        dest.host,
        `VirtualService ${splitter.name} (${splitter.namespace}) routes ${host} by subset, but requests from the Gateway follow this VirtualService, which has no subset: the split does not apply to them.`,
      );
  }
};

/** IST0177: the same host and port with different protocols in two ServiceEntries. */
/**
 * IST0177, as istioctl's ConflictingServiceEntryProtocolAnalyzer: another ServiceEntry whose
 * exportTo scope meets this one's defines the host's port with another protocol (an unset protocol
 * counts as one of its own).
 */
export const checkServiceEntryProtocols: Check = (ctx) => {
  const se = ctx.entry.info.serviceEntry;
  if (!se) return;
  const scopes = exportScopes(ctx.entry);
  const protocolOf = (p: { protocol?: { value: string } }) => p.protocol?.value.toUpperCase() ?? '';
  for (const host of se.hosts) {
    const resolved = ctx.index.resolve(host.value, ctx.entry.namespace);
    const others = ctx.index.serviceEntriesWithHost(resolved).filter((o) => o.resource !== ctx.entry.resource && scopesMeet(scopes, exportScopes(o)));
    for (const port of se.ports) {
      if (port.number === undefined) continue;
      const protocol = protocolOf(port);
      const clash = others.find((o) => o.info.serviceEntry.ports.some((p) => p.number === port.number && protocolOf(p) !== protocol));
      if (!clash) continue;
      const theirs = clash.info.serviceEntry.ports.find((p) => p.number === port.number && protocolOf(p) !== protocol);
      const named = (p: string) => p || 'no protocol';
      ctx.report(
        'conflictingServiceEntryProtocols',
        port.protocol ?? port.span,
        `ServiceEntry ${clash.name} (${clash.namespace}) defines ${resolved} port ${port.number} with ${named(theirs ? protocolOf(theirs) : '')}, this one with ${named(protocol)}.`,
      );
    }
  }
};
