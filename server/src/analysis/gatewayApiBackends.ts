// A Gateway API route's backendRefs and RequestMirror backendRefs, as Istio's buildDestination
// reads them (pilot/pkg/config/kube/gateway/conversion.go): the Service must exist and have the
// port; a `Hostname` (networking.istio.io) must be a host a Service or ServiceEntry defines; the
// kind must be one Istio routes to; Hostname and ServiceImport need a port (a Service's is the
// CRD's CEL rule); a rule whose backends all weigh 0 answers 500. Only a namespace whose Services
// the workspace holds can prove one missing; otherwise a hint.
import { closest, listNames, MAX_LISTED_NAMES } from '../base/problems';
import type { TextRef } from '../workspace/extract';
import { declaredProtocol } from '../workspace/extract';
import type { BackendRefInfo, RouteKindName, RouteRuleInfo } from '../workspace/gatewayApiFacts';
import { resolveBackendRef, type BackendResolution } from '../workspace/gatewayApi';
import { visibleTo, type WithFacts } from '../workspace/index';
import { serviceFqdn } from '../workspace/hosts';
import type { Check, CheckContext } from './context';
import { whyMissing } from './references';

type Route = WithFacts<'gatewayApiRoute'>;
type NamedRef = BackendRefInfo & { name: TextRef };

export const checkBackendRefs: Check = (ctx) => {
  if (!ctx.entry.info.gatewayApiRoute) return;
  const route = ctx.entry as Route;
  for (const rule of route.info.gatewayApiRoute.rules) {
    for (const ref of [...rule.backendRefs, ...rule.mirrors]) if (ref.name) checkBackendRef(ctx, route, { ...ref, name: ref.name });
    checkZeroWeights(ctx, route, rule);
  }
};

function checkBackendRef(ctx: CheckContext, route: Route, ref: NamedRef): void {
  const backend = resolveBackendRef(ctx.index, route, ref);
  if (backend.target === 'unsupported') {
    const kind = `group "${ref.group}" kind ${ref.kind}`;
    const message = `Istio does not route to a backendRef of ${kind}: it marks the backend invalid and the traffic routed to it fails. Istio's backends: Service, Hostname (networking.istio.io), ServiceImport, InferencePool, XBackend.`;
    ctx.report('backendKindUnsupported', ref.kindRef ?? ref.groupRef ?? ref.name, message);
    return;
  }
  if (backend.target === 'service' || backend.target === 'serviceImport') {
    if (!checkService(ctx, ref, backend)) return;
  } else if (backend.target === 'hostname') {
    if (!checkHostname(ctx, ref, backend)) return;
  } else return;
  checkPort(ctx, route, ref, backend);
}

/** The Services of a namespace, sorted by name (the message's list, the quick fix's candidates). */
function serviceNames(ctx: CheckContext, namespace: string): string[] {
  return [...new Set(ctx.index.ofKindIn('Service', namespace).map((s) => s.name))].sort();
}

/** Reports the Service the ref names when it is not there; true when it is (its port is checked next). */
function checkService(ctx: CheckContext, ref: NamedRef, backend: BackendResolution): boolean {
  const { name, namespace } = backend;
  if (name.includes('.')) {
    reportHostAsName(ctx, ref, backend);
    return false;
  }
  if (backend.status === 'found') return true;
  const what = `Service ${namespace}/${name}`;
  if (backend.status === 'outside-workspace') {
    ctx.report('referenceUnverifiable', ref.name, `${what} is not in the workspace (no Services in namespace ${namespace}); it may be defined in the cluster.`);
    return false;
  }
  const candidates = serviceNames(ctx, namespace);
  const suggestion = closest(name, candidates, 3);
  const listed = candidates.length > 0 ? `; Services of namespace ${namespace}: ${listNames(candidates)}` : '';
  const message = `${what} not found${listed}: Istio drops this backend and the traffic routed to it fails.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`;
  ctx.report('gatewayApiServiceNotFound', ref.name, message, { type: 'gateway-api-ref', target: 'service', name, suggestion, candidates: candidates.slice(0, MAX_LISTED_NAMES) });
  return false;
}

/** `name: reviews.shop.svc.cluster.local` on a Service ref: Istio takes only a Service's name there. */
function reportHostAsName(ctx: CheckContext, ref: NamedRef, backend: BackendResolution): void {
  const [first, second] = backend.name.split('.');
  // The first label is the Service only when the host names the ref's namespace (or none).
  const service = second === undefined || second === backend.namespace ? ctx.index.ofKindIn('Service', backend.namespace).find((s) => s.name === first) : undefined;
  const hint = service ? ` Did you mean '${first}'?` : ' For a host, use group networking.istio.io, kind Hostname.';
  const message = `A Service backendRef takes the Service's name, not a host name ('${backend.name}'): Istio rejects it.${hint}`;
  const suggestion = service ? first : undefined;
  ctx.report('gatewayApiServiceNotFound', ref.name, message, { type: 'gateway-api-ref', target: 'service', name: backend.name, suggestion, candidates: suggestion ? [suggestion] : [] });
}

/** A `Hostname` backend must be a host a Service or ServiceEntry defines, visible from the route's namespace. */
function checkHostname(ctx: CheckContext, ref: NamedRef, backend: BackendResolution): boolean {
  if (ref.namespace) {
    // buildDestination: "namespace may not be set with Hostname type" (the rule is rejected).
    ctx.report(
      'gatewayApiUnsupported',
      ref.namespace,
      'Istio rejects a Hostname backendRef with a namespace ("namespace may not be set with Hostname type"): the host names its Service or ServiceEntry on its own. Remove the namespace.',
    );
    return false;
  }
  if (!backend.name.includes('.') && backend.name !== '*' && backend.name !== '') return checkShortHostname(ctx, ref, backend.name);
  const host = backend.host;
  if (!host || backend.status === 'found') return true;
  if (backend.status === 'outside-workspace') {
    const message = `No Service or ServiceEntry in the workspace defines host '${backend.name}'; Istio routes a Hostname backendRef only to a host one of them defines (it may be defined in the cluster).`;
    ctx.report('referenceUnverifiable', ref.name, message, { type: 'reference', target: 'host', name: host.fqdn });
    return false;
  }
  const message = `Host '${backend.name}' (${host.fqdn}) ${whyMissing(host, [ctx.entry.namespace])}: Istio drops this backend and the traffic routed to it fails.`;
  ctx.report('referenceNotFound', ref.name, message, { type: 'reference', target: 'host', name: host.fqdn });
  return false;
}

/**
 * Istio looks a Hostname backendRef up as written (LookupHostname), not with the short-name
 * expansion of VirtualService hosts: a dot-less name is no Kubernetes Service's host (theirs are
 * FQDNs), only a ServiceEntry host written exactly so. True when such a ServiceEntry is visible.
 */
function checkShortHostname(ctx: CheckContext, ref: NamedRef, name: string): boolean {
  const namespace = ctx.entry.namespace;
  const literal = ctx.index.ofKind('ServiceEntry').some((e) => visibleTo(e, [namespace]) && (e.info.serviceEntry?.hosts ?? []).some((h) => h.value === name));
  if (literal) return true;
  const fqdn = serviceFqdn(name, namespace, ctx.index.settings);
  if (ctx.index.serviceNamed(namespace, name)) {
    ctx.report(
      'referenceNotFound',
      ref.name,
      `Istio looks a Hostname backendRef up as written, and no Service's host is '${name}': Service ${namespace}/${name} is ${fqdn}. Write that FQDN, or use kind Service (group "") with name ${name}.`,
      { type: 'gateway-api-ref', target: 'serviceEntry', name, suggestion: fqdn, candidates: [fqdn] },
    );
    return false;
  }
  ctx.report(
    'referenceUnverifiable',
    ref.name,
    `Istio looks a Hostname backendRef up as written: '${name}' is the host only of a ServiceEntry that lists it exactly so, and none in the workspace does (a Kubernetes Service's host is its FQDN, e.g. ${fqdn}).`,
  );
  return false;
}

function checkPort(ctx: CheckContext, route: Route, ref: NamedRef, backend: BackendResolution): void {
  const owner = backend.service ?? backend.host?.services[0] ?? backend.host?.serviceEntries[0];
  const what = owner ? `${owner.info.kind} ${owner.namespace}/${owner.name}` : `host ${backend.name}`;
  if (backend.port === 'absent' && backend.target !== 'service') {
    const has = backend.ports && backend.ports.length > 0 ? `; ${what} has port${backend.ports.length > 1 ? 's' : ''} ${backend.ports.join(', ')}` : '';
    ctx.report('backendPortRequired', ref.name, `This ${ref.kind} backendRef has no port: Istio needs one ("port is required in backendRef") and rejects the rule${has}.`);
    return;
  }
  if (backend.port !== 'missing' || ref.port === undefined || !backend.ports) return;
  const { ports } = backend;
  const has = ports.length === 0 ? 'has no ports' : `has port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}`;
  const message = `Port ${ref.port} is not a port of ${what}, which ${has}: the traffic routed here fails.`;
  ctx.report('backendPortNotFound', ref.portRef ?? ref.name, message, { type: 'backend-port', port: ref.port, ports: preferredPorts(backend, route.info.gatewayApiRoute.routeKind) });
}

/** The protocols (as a Service port declares them) that suit each route kind. */
const ROUTE_PROTOCOLS: Record<RouteKindName, string[]> = {
  HTTPRoute: ['http', 'http2', 'https', 'grpc', 'grpc-web'],
  GRPCRoute: ['grpc', 'http2', 'grpc-web'],
  TCPRoute: ['tcp', 'mongo', 'mysql', 'redis'],
  TLSRoute: ['tls', 'https'],
  UDPRoute: ['udp'],
};

/** The backend's ports, those whose declared protocol suits the route's kind first (the quick fix's preferred one). */
function preferredPorts(backend: BackendResolution, routeKind: RouteKindName): number[] {
  const ports = backend.ports ?? [];
  const declared = backend.service?.info.service.ports;
  if (!declared) return ports;
  const suits = new Set(declared.filter((p) => p.port !== undefined && ROUTE_PROTOCOLS[routeKind].includes(declaredProtocol(p))).map((p) => p.port));
  return [...ports.filter((p) => suits.has(p)), ...ports.filter((p) => !suits.has(p))];
}

/**
 * Every backendRef of the rule weighs 0: the Gateway API sends nothing to any of them, and Istio
 * answers the rule's requests with 500 (rejects TCP and TLS connections), unless the rule redirects.
 */
function checkZeroWeights(ctx: CheckContext, route: Route, rule: RouteRuleInfo): void {
  const refs = rule.backendRefs;
  if (refs.length === 0 || refs.some((r) => r.weight !== 0 || !r.weightRef)) return;
  if (rule.filters.some((f) => f.type?.value === 'RequestRedirect')) return;
  const stream = route.info.gatewayApiRoute.routeKind === 'HTTPRoute' || route.info.gatewayApiRoute.routeKind === 'GRPCRoute';
  const effect = stream ? 'Istio answers every request of this rule with 500' : 'Istio rejects every connection of this rule';
  const which = refs.length > 1 ? `All ${refs.length} backendRefs of this rule have weight 0: no traffic goes to any of them` : 'The only backendRef of this rule has weight 0: no traffic goes to it';
  const at = rule.backendRefsKey ?? refs[0].span;
  ctx.report('backendWeightsZero', at, `${which}, and ${effect}. Give ${refs.length > 1 ? 'one of them' : 'it'} a weight.`);
}
