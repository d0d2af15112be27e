// What Istio does with Gateway API resources beyond their CRD schema, where the YAML decides it
// (pilot/pkg/config/kube/gateway/conversion.go): listener protocols it does not program
// (listenerProtocolToIstio, the waypoint and east-west listener rules) and route filters it does
// not implement (convertHTTPRoute, convertGRPCRoute, buildHTTPDestination's backendRef filters).
// Only for Gateways of Istio's Envoy-based controllers and routes attached to one of them or to
// the mesh: another controller's Gateway is its business.
import type { YAMLMap } from 'yaml';
import { items, map, textAt, type TextRef } from '../workspace/nodes';
import { resolveParentRef } from '../workspace/gatewayApi';
import type { WithFacts } from '../workspace/index';
import type { Check, CheckContext } from './context';
import { ENVOY_CONTROLLERS, gatewayController } from './gatewayApiGateways';

const PROGRAMMED_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TLS', 'TCP']);
const HBONE_CONTROLLERS = new Set(['istio.io/mesh-controller', 'istio.io/eastwest-controller']);

function specOf(ctx: CheckContext): YAMLMap | undefined {
  return map(map(ctx.entry.resource.doc.contents)?.get('spec', true));
}

/** The Istio controller of the Gateway (or of a ListenerSet's parent Gateway), when it is an Envoy-based one. */
function envoyController(ctx: CheckContext): string | undefined {
  const { kubernetesGateway, listenerSet } = ctx.entry.info;
  let gateway: WithFacts<'kubernetesGateway'> | undefined;
  if (kubernetesGateway) gateway = ctx.entry as WithFacts<'kubernetesGateway'>;
  else if (listenerSet?.parentRef?.name && listenerSet.parentRef.kind === 'Gateway') {
    const namespace = listenerSet.parentRef.namespace?.value || ctx.entry.namespace;
    gateway = ctx.index.gateway(`${namespace}/${listenerSet.parentRef.name.value}`, namespace).kubernetesGateways[0];
  }
  const controller = gateway && gatewayController(ctx.index, gateway);
  return controller !== undefined && ENVOY_CONTROLLERS.has(controller) ? controller : undefined;
}

/** Why Istio does not accept a listener (its Accepted condition, UnsupportedProtocol), or undefined. */
function listenerRejection(controller: string, protocol: string, port: number | undefined, tlsMode: string | undefined, ofListenerSet: boolean): string | undefined {
  if (protocol === 'HBONE' && !HBONE_CONTROLLERS.has(controller)) return `protocol HBONE is only supported for waypoint and east-west gateways (class istio-waypoint, istio-east-west)`;
  if (protocol !== 'HBONE' && !PROGRAMMED_PROTOCOLS.has(protocol)) {
    const upper = protocol.toUpperCase();
    return PROGRAMMED_PROTOCOLS.has(upper) || upper === 'HBONE'
      ? `protocol '${protocol}' is unsupported; '${upper}' (upper case) is`
      : `protocol '${protocol}' is unsupported (Istio programs HTTP, HTTPS, TLS and TCP listeners${HBONE_CONTROLLERS.has(controller) ? ', and HBONE' : ''})`;
  }
  if (controller === 'istio.io/mesh-controller' && (port !== 15008 || protocol !== 'HBONE')) return 'a waypoint expects a single listener on port 15008 with protocol HBONE';
  if (controller === 'istio.io/eastwest-controller') {
    const ok = port === 15008 ? protocol === 'HBONE' && tlsMode === 'Terminate' : protocol === 'TLS' && tlsMode === 'Passthrough';
    if (!ok) return 'east-west gateway listeners must be port 15008 with protocol HBONE and tls mode Terminate, or TLS with mode Passthrough';
  }
  if (ofListenerSet && (protocol === 'HTTPS' || protocol === 'TLS') && tlsMode === undefined) return `protocol is ${protocol} but no tls section is defined`;
  return undefined;
}

/** Listeners of an Istio Gateway (or ListenerSet) that Istio does not accept (reported on the protocol). */
export const checkListenerProtocols: Check = (ctx) => {
  const listeners = ctx.entry.info.kubernetesGateway?.listeners ?? ctx.entry.info.listenerSet?.listeners;
  if (!listeners || listeners.length === 0) return;
  const controller = envoyController(ctx);
  if (!controller) return;
  const nodes = items(specOf(ctx)?.get('listeners', true));
  listeners.forEach((listener, i) => {
    const protocol = textAt(map(nodes[i]), 'protocol');
    if (!protocol || protocol.value === '') return;
    const why = listenerRejection(controller, protocol.value, listener.port, listener.tlsMode, !ctx.entry.info.kubernetesGateway);
    if (why)
      ctx.report(
        'gatewayApiUnsupported',
        protocol,
        `Istio does not accept listener '${listener.name?.value ?? i}': ${why}. Its status says Accepted: False (UnsupportedProtocol) and no route attached to it gets traffic.`,
      );
  });
};

/** Filter types of each kind's schema, and those Istio implements (at rule level and on a backendRef). */
const FILTERS = {
  HTTPRoute: {
    schema: new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'RequestRedirect', 'URLRewrite', 'ExtensionRef', 'CORS', 'ExternalAuth']),
    rule: ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'RequestMirror', 'URLRewrite', 'CORS'],
    backend: ['RequestHeaderModifier', 'ResponseHeaderModifier'],
  },
  GRPCRoute: {
    schema: new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef']),
    rule: ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror'],
    backend: ['RequestHeaderModifier', 'ResponseHeaderModifier'],
  },
} as const;

/** Does Istio program this route: a mesh parent (a Service or ServiceEntry), or a parent Gateway of an Envoy-based Istio class? */
function programmedByIstio(ctx: CheckContext, route: WithFacts<'gatewayApiRoute'>): boolean {
  return route.info.gatewayApiRoute.parentRefs.some((ref) => {
    const parent = resolveParentRef(ctx.index, route, ref);
    if (parent.target === 'service' || parent.target === 'serviceEntry') return true;
    const controller = parent.gateway && gatewayController(ctx.index, parent.gateway);
    return controller !== undefined && ENVOY_CONTROLLERS.has(controller);
  });
}

/**
 * Filters Istio does not implement on an HTTPRoute or GRPCRoute attached to an Istio parent:
 * convertHTTPRoute / convertGRPCRoute fail on them, and the whole route is dropped for that
 * parent (ResolvedRefs: False, reason InvalidFilter). Filter types the schema does not know are
 * the schema's to report.
 */
export const checkRouteFilters: Check = (ctx) => {
  const route = ctx.entry.info.gatewayApiRoute;
  if (!route || (route.routeKind !== 'HTTPRoute' && route.routeKind !== 'GRPCRoute')) return;
  const filters = FILTERS[route.routeKind];
  const unsupported: { type: TextRef; where: 'rule' | 'backend' }[] = [];
  for (const rule of items(specOf(ctx)?.get('rules', true))) {
    for (const f of items(map(rule)?.get('filters', true))) unsupported.push(...notImplemented(map(f), 'rule', filters.schema, filters.rule));
    for (const b of items(map(rule)?.get('backendRefs', true))) {
      for (const f of items(map(b)?.get('filters', true))) unsupported.push(...notImplemented(map(f), 'backend', filters.schema, filters.backend));
    }
  }
  if (unsupported.length === 0 || !programmedByIstio(ctx, ctx.entry as WithFacts<'gatewayApiRoute'>)) return;
  for (const { type, where } of unsupported) {
    const supported = where === 'rule' ? filters.rule : filters.backend;
    const place = where === 'rule' ? `an ${route.routeKind} rule` : `a backendRef of an ${route.routeKind}`;
    ctx.report(
      'gatewayApiUnsupported',
      type,
      `Istio does not implement filter type ${type.value} on ${place} (it implements ${supported.join(', ')} there): it drops the whole route for its Istio parents (status ResolvedRefs: False, reason InvalidFilter), so none of its rules gets traffic.`,
    );
  }
};

function notImplemented(filter: YAMLMap | undefined, where: 'rule' | 'backend', schema: ReadonlySet<string>, implemented: readonly string[]): { type: TextRef; where: 'rule' | 'backend' }[] {
  const type = textAt(filter, 'type');
  return type && schema.has(type.value) && !implemented.includes(type.value) ? [{ type, where }] : [];
}
