// Gateway API Gateways: listeners Istio marks Conflicted (KIA1503), Gateways that claim the same
// host and port (KIA1501) or the same address (KIA1502), and a gatewayClassName Istio does not
// provide (KIA1504). As Kiali's k8sgateways checkers where the condition is the same; the listener
// conflicts as Istio computes them (pilot/pkg/config/kube/gatewaycommon/listener_conflict.go).
import { closest } from '../base/problems';
import { metadataLabels, type Span } from '../workspace/extract';
import { DEFAULT_ISTIO_GATEWAY_CLASSES, ISTIO_GATEWAY_CLASSES, type ListenerInfo } from '../workspace/gatewayApiFacts';
import { refNamespace, selectorMatches } from '../workspace/gatewayApi';
import { map, stringMap, textAt, items } from '../workspace/nodes';
import { groupBy, type IndexedResource, type WithFacts, type WorkspaceIndex } from '../workspace/index';
import { KUBERNETES_GATEWAY } from '../workspace/index';
import type { Check, CheckContext } from './context';

/** The controller names istiod answers for (gatewaycommon.GetClassInfos). */
export const ISTIO_CONTROLLERS = new Set(Object.values(ISTIO_GATEWAY_CLASSES).map((c) => c.controller));

/** Controllers whose Gateways Istio programs into Envoy with the conversion of pilot/pkg/config/kube/gateway. */
export const ENVOY_CONTROLLERS = new Set(['istio.io/gateway-controller', 'istio.io/mesh-controller', 'istio.io/eastwest-controller']);

/** Controllers whose class supports ListenerSets (ClassInfo.SupportsListenerSet): the only ones Istio computes listener conflicts for. */
const LISTENER_SET_CONTROLLERS = new Set(['istio.io/gateway-controller', 'istio.io/agentgateway-controller']);

export interface GatewayClassResolution {
  /** The controller that handles the class: the workspace GatewayClass's, else Istio's built-in one; undefined when unknown. */
  controller?: string;
  /** The workspace's GatewayClass of that name, when there is one. */
  gatewayClass?: WithFacts<'gatewayClass'>;
}

/** Which controller a gatewayClassName belongs to, as the workspace and Istio's built-in classes tell. */
export function resolveGatewayClass(index: WorkspaceIndex, className: string | undefined): GatewayClassResolution {
  if (className === undefined) return {};
  const gatewayClass = index.gatewayClasses(className)[0];
  if (gatewayClass) return { gatewayClass, controller: gatewayClass.info.gatewayClass.controllerName?.value };
  return { controller: Object.hasOwn(ISTIO_GATEWAY_CLASSES, className) ? ISTIO_GATEWAY_CLASSES[className].controller : undefined };
}

/** The controller of a Gateway API Gateway's class (undefined: cannot tell). */
export function gatewayController(index: WorkspaceIndex, gateway: WithFacts<'kubernetesGateway'>): string | undefined {
  return resolveGatewayClass(index, gateway.info.kubernetesGateway.gatewayClassName).controller;
}

/**
 * KIA1504: a gatewayClassName that is not one of Istio's classes. A GatewayClass of the workspace
 * for another controller means Istio ignores the Gateway (a warning naming that controller). A
 * class defined nowhere in the workspace may still be in the cluster: KIA1504 when the workspace
 * holds GatewayClasses (so it shows the cluster's classes) or the name is a typo of an Istio
 * class; otherwise a hint.
 */
export const checkGatewayClass: Check = (ctx) => {
  const gateway = ctx.entry.info.kubernetesGateway;
  const ref = gateway?.gatewayClassRef;
  if (!ref || ref.value === '') return;
  const { gatewayClass, controller } = resolveGatewayClass(ctx.index, ref.value);
  if (gatewayClass) {
    if (controller === undefined || ISTIO_CONTROLLERS.has(controller)) return;
    const where = `GatewayClass ${ref.value} (${gatewayClass.uri.split('/').pop()})`;
    ctx.report(
      'gatewayClassForeign',
      ref,
      `${where} is handled by controller '${controller}', not by Istio: istiod ignores this Gateway and the routes attached to it. Istio's classes: ${istioClassList()}.`,
    );
    return;
  }
  if (controller !== undefined) return;
  const suggestion = closest(ref.value, Object.keys(ISTIO_GATEWAY_CLASSES), 2);
  const defined = ctx.index.derived('gatewayClassNames', () => [...new Set(ctx.index.ofKind('GatewayClass').map((c) => c.name))].sort());
  // The enum payload gives the "Change to 'istio'" quick fixes.
  const data = { type: 'enum' as const, value: ref.value, allowed: MAIN_CLASSES, suggestion };
  if (suggestion !== undefined || defined.length > 0) {
    const hint = suggestion !== undefined ? ` Did you mean '${suggestion}'?` : '';
    const list = defined.length > 0 ? `; the workspace defines ${defined.join(', ')}` : '';
    ctx.report(
      'gatewayClassNotFound',
      ref,
      `GatewayClass '${ref.value}' is not one of Istio's (${istioClassList()})${list}, and no GatewayClass of the workspace defines it: Istio ignores this Gateway.${hint}`,
      data,
    );
    return;
  }
  ctx.report(
    'referenceUnverifiable',
    ref,
    `GatewayClass '${ref.value}' is not one of Istio's (${istioClassList()}) and the workspace defines no GatewayClass: it may be another controller's, defined in the cluster; Istio ignores this Gateway unless the class names an Istio controller.`,
    data,
  );
};

const MAIN_CLASSES = DEFAULT_ISTIO_GATEWAY_CLASSES;

function istioClassList(): string {
  return MAIN_CLASSES.join(', ');
}

/** A listener of a Gateway or ListenerSet, in Istio's merge order, with the port Istio gives it. */
interface MergedListener {
  listener: ListenerInfo;
  owner: IndexedResource;
  port?: number;
  /** Position in its owner's `listeners`. */
  index: number;
}

/** The port of a listener: written, or (ListenerSets) the protocol's default (ListenerEntryPortNumber). */
function listenerPort(listener: ListenerInfo, ofListenerSet: boolean): number | undefined {
  if (listener.port !== undefined || !ofListenerSet) return listener.port;
  return listener.protocol === 'HTTP' ? 80 : listener.protocol === 'HTTPS' ? 443 : undefined;
}

const L4 = new Set(['TCP', 'UDP']);
const HTTP_LIKE = new Set(['HTTP', 'HTTPS', 'TLS']);

/** Can two listeners share a Gateway (listenersDistinct)? Unset hostname is `*`. */
function listenersDistinct(a: MergedListener, b: MergedListener): boolean {
  if (a.port !== b.port) return true;
  const pa = a.listener.protocol ?? '';
  const pb = b.listener.protocol ?? '';
  if ((L4.has(pa) && HTTP_LIKE.has(pb)) || (HTTP_LIKE.has(pa) && L4.has(pb))) return false;
  if (L4.has(pa) && L4.has(pb)) return false;
  if (HTTP_LIKE.has(pa) && HTTP_LIKE.has(pb)) return hostnameOf(a.listener) !== hostnameOf(b.listener);
  return pa !== pb;
}

function hostnameOf(listener: ListenerInfo): string {
  return listener.hostname?.value || '*';
}

/** Would the CRD's own CEL rule reject this pair (the same list, the same port, protocol and hostname as written)? */
function celRejects(a: MergedListener, b: MergedListener): boolean {
  return a.owner === b.owner && a.listener.port === b.listener.port && a.listener.protocol === b.listener.protocol && (a.listener.hostname?.value ?? '') === (b.listener.hostname?.value ?? '');
}

export interface ListenerConflict {
  loser: MergedListener;
  winner: MergedListener;
  reason: 'ProtocolConflict' | 'HostnameConflict';
}

/**
 * The listener conflicts of a Gateway and the ListenerSets it allows, as Istio computes them
 * (ComputeGatewayListenerConflicts): the Gateway's listeners first, then the ListenerSets'
 * by creationTimestamp and namespace/name; a listener conflicting with an earlier accepted one
 * is Conflicted and does not block later ones. Only for classes that support ListenerSets.
 */
export function listenerConflicts(index: WorkspaceIndex, gateway: WithFacts<'kubernetesGateway'>): ListenerConflict[] {
  return index.derived(`listenerConflicts:${gateway.namespace}/${gateway.name}:${gateway.uri}`, () => {
    const controller = gatewayController(index, gateway);
    if (controller === undefined || !LISTENER_SET_CONTROLLERS.has(controller)) return [];
    const ordered = mergedListeners(index, gateway);
    const accepted: MergedListener[] = [];
    const conflicts: ListenerConflict[] = [];
    for (const entry of ordered) {
      const prior = accepted.find((a) => !listenersDistinct(entry, a));
      if (!prior) accepted.push(entry);
      else
        conflicts.push({
          loser: entry,
          winner: prior,
          reason:
            L4.has(entry.listener.protocol ?? '') && L4.has(prior.listener.protocol ?? '')
              ? 'ProtocolConflict'
              : entry.listener.protocol !== prior.listener.protocol
                ? 'ProtocolConflict'
                : 'HostnameConflict',
        });
    }
    return conflicts;
  });
}

function mergedListeners(index: WorkspaceIndex, gateway: WithFacts<'kubernetesGateway'>): MergedListener[] {
  const own = gateway.info.kubernetesGateway.listeners.map((listener, i) => ({ listener, owner: gateway as IndexedResource, port: listener.port, index: i }));
  const sets = index
    .listenerSetsOf(gateway.namespace, gateway.name)
    .filter((set) => listenerSetAllowed(index, gateway, set.namespace) === true)
    .sort(byCreation);
  return [...own, ...sets.flatMap((set) => set.info.listenerSet.listeners.map((listener, i) => ({ listener, owner: set as IndexedResource, port: listenerPort(listener, true), index: i })))];
}

/** Oldest first (a creationTimestamp when both carry one), then namespace/name: the spec's precedence. */
export function byCreation(a: IndexedResource, b: IndexedResource): number {
  const ta = creationTime(a);
  const tb = creationTime(b);
  if (ta !== undefined && tb !== undefined && ta !== tb) return ta - tb;
  const ka = `${a.namespace}/${a.name}`;
  const kb = `${b.namespace}/${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function creationTime(entry: IndexedResource): number | undefined {
  const written = entry.info.gatewayApiRoute?.creationTimestamp ?? textAt(map(map(entry.resource.doc.contents)?.get('metadata', true)), 'creationTimestamp')?.value;
  const time = written === undefined ? NaN : Date.parse(written);
  return Number.isNaN(time) ? undefined : time;
}

/** Does the Gateway's `allowedListeners` admit ListenerSets of this namespace (NamespaceAcceptedByAllowListeners)? Default: none. Undefined: cannot tell. */
function listenerSetAllowed(index: WorkspaceIndex, gateway: IndexedResource, namespace: string): boolean | undefined {
  const spec = map(map(gateway.resource.doc.contents)?.get('spec', true));
  const namespaces = map(map(spec?.get('allowedListeners', true))?.get('namespaces', true));
  if (!namespaces) return false;
  const from = textAt(namespaces, 'from')?.value ?? 'None';
  if (from === 'All') return true;
  if (from === 'Same') return namespace === gateway.namespace;
  if (from !== 'Selector') return false;
  const selector = map(namespaces.get('selector', true));
  if (!selector) return false;
  const matchLabels = Object.entries(stringMap(selector.get('matchLabels', true)) ?? {}).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
  const expressions = items(selector.get('matchExpressions', true)).map((e) => {
    const node = map(e);
    return {
      key: textAt(node, 'key')?.value ?? '',
      operator: textAt(node, 'operator')?.value ?? '',
      values: items(node?.get('values', true)).map((v) => String((v as { value?: unknown }).value ?? '')),
    };
  });
  const requirements = [...matchLabels, ...expressions];
  const namespaceEntry = index.ofKindIn('Namespace', namespace)[0];
  if (!namespaceEntry && requirements.some((r) => r.key !== 'kubernetes.io/metadata.name')) return undefined;
  return selectorMatches(requirements, { ...(namespaceEntry ? metadataLabels(namespaceEntry.resource) : {}), 'kubernetes.io/metadata.name': namespace });
}

/**
 * A ListenerSet its parent Gateway does not accept (ListenerSetCollection): the Gateway's class
 * does not take ListenerSets (waypoints, east-west and remote Gateways), or its `allowedListeners`
 * does not admit the ListenerSet's namespace (default: none). Istio then programs none of its
 * listeners and routes attached to it get no traffic. Reported on the parentRef's name; nothing
 * when the Gateway, its class or (for a Selector) the Namespace's labels are not in the workspace.
 */
export const checkListenerSetAccepted: Check = (ctx) => {
  const ref = ctx.entry.info.listenerSet?.parentRef;
  const [gateway] = parentGateways(ctx);
  if (!ref?.name || !gateway) return;
  const which = `Gateway ${gateway.namespace}/${gateway.name}`;
  const controller = gatewayController(ctx.index, gateway);
  if (controller === undefined || !ISTIO_CONTROLLERS.has(controller)) return;
  if (!LISTENER_SET_CONTROLLERS.has(controller)) {
    const className = gateway.info.kubernetesGateway.gatewayClassName;
    ctx.report('listenerSetNotAccepted', ref.name, `${which} is of class ${className}, which does not support ListenerSets: Istio programs none of this ListenerSet's listeners.`);
    return;
  }
  const allowed = listenerSetAllowed(ctx.index, gateway, ctx.entry.namespace);
  if (allowed !== false) return;
  const from = allowedListenersFrom(gateway);
  const why =
    from === undefined
      ? 'it has no spec.allowedListeners, which defaults to none'
      : from === 'Same'
        ? `its spec.allowedListeners admits ListenerSets of its own namespace only (from: Same), not ${ctx.entry.namespace}`
        : from === 'Selector'
          ? `the labels of namespace ${ctx.entry.namespace} do not match its spec.allowedListeners.namespaces.selector`
          : `its spec.allowedListeners.namespaces.from is ${from}`;
  ctx.report(
    'listenerSetNotAccepted',
    ref.name,
    `${which} does not accept ListenerSets from namespace ${ctx.entry.namespace}: ${why}. Istio programs none of this ListenerSet's listeners; set allowedListeners.namespaces.from on the Gateway (Same, All or Selector).`,
  );
};

function allowedListenersFrom(gateway: IndexedResource): string | undefined {
  const spec = map(map(gateway.resource.doc.contents)?.get('spec', true));
  const namespaces = map(map(spec?.get('allowedListeners', true))?.get('namespaces', true));
  return namespaces ? (textAt(namespaces, 'from')?.value ?? 'None') : undefined;
}

/** KIA1503 on a Gateway or ListenerSet: its listeners that Istio marks Conflicted, naming the listener that wins. */
export const checkListenerConflicts: Check = (ctx) => {
  const gateways = ctx.entry.info.kubernetesGateway ? [ctx.entry as WithFacts<'kubernetesGateway'>] : parentGateways(ctx);
  for (const gateway of gateways) {
    for (const { loser, winner, reason } of listenerConflicts(ctx.index, gateway)) {
      if (loser.owner.resource !== ctx.entry.resource || celRejects(loser, winner)) continue;
      const what = reason === 'ProtocolConflict' ? `protocol ${winner.listener.protocol} on port ${winner.port}` : `hostname ${hostnameOf(winner.listener)} on port ${winner.port}`;
      const by =
        winner.owner === loser.owner
          ? `listener '${winner.listener.name?.value ?? winner.index}'`
          : `listener '${winner.listener.name?.value ?? winner.index}' of ${winner.owner.info.kind} ${winner.owner.namespace}/${winner.owner.name}`;
      ctx.report(
        'duplicateListener',
        listenerAnchor(loser.listener),
        `Listener '${loser.listener.name?.value ?? loser.index}' conflicts with ${by} (${what}); Istio marks it Conflicted (${reason}) and programs only the first.`,
      );
    }
  }
};

function parentGateways(ctx: CheckContext): WithFacts<'kubernetesGateway'>[] {
  const ref = ctx.entry.info.listenerSet?.parentRef;
  if (!ref?.name || ref.kind !== 'Gateway') return [];
  return ctx.index.gateway(`${refNamespace(ref, ctx.entry)}/${ref.name.value}`, ctx.entry.namespace).kubernetesGateways;
}

function listenerAnchor(listener: ListenerInfo): Span {
  return listener.name ?? listener.hostname ?? { start: listener.span.start, end: listener.span.start + 1 };
}

interface ListenerOf {
  gateway: WithFacts<'kubernetesGateway'>;
  listener: ListenerInfo;
}

/**
 * KIA1501, as Kiali's MultiMatchChecker: another Gateway (any namespace) has a listener with the
 * same hostname, port and protocol (listeners without a hostname are not compared). Kiali skips
 * Gateways of the same name in other namespaces; we compare them.
 */
export const checkGatewayHostPorts: Check = (ctx) => {
  const gateway = ctx.entry.info.kubernetesGateway;
  if (!gateway) return;
  const byKey = ctx.index.derived('gatewayListenersByHostPort', () =>
    groupBy(
      ctx.index.ofKind(KUBERNETES_GATEWAY).flatMap((g) => g.info.kubernetesGateway.listeners.map((listener): ListenerOf => ({ gateway: g as WithFacts<'kubernetesGateway'>, listener }))),
      ({ listener }) => hostPortKey(listener),
    ),
  );
  for (const listener of gateway.listeners) {
    const key = hostPortKey(listener);
    if (key === undefined || !listener.hostname) continue;
    const others = [...new Set((byKey.get(key) ?? []).filter((o) => !sameGateway(o.gateway, ctx.entry)).map((o) => `${o.gateway.namespace}/${o.gateway.name}`))].sort();
    if (others.length === 0) continue;
    ctx.report(
      'gatewayHostPortConflict',
      listener.hostname,
      `${others.length > 1 ? 'Gateways' : 'Gateway'} ${others.join(', ')} also ${others.length > 1 ? 'listen' : 'listens'} for ${listener.hostname.value} on port ${listener.port} (${listener.protocol}): clients of that host reach only the Gateway its DNS name points to.`,
    );
  }
};

/** The same Gateway (also when written in two files: alternatives of one resource, the later apply replaces it). */
function sameGateway(a: IndexedResource, b: IndexedResource): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}

function hostPortKey(listener: ListenerInfo): string | undefined {
  if (!listener.hostname?.value || listener.port === undefined || !listener.protocol) return undefined;
  return `${listener.hostname.value}|${listener.port}|${listener.protocol}`;
}

/** KIA1502, as Kiali: another Gateway (any namespace) asks for the same address (type and value). */
export const checkGatewayAddresses: Check = (ctx) => {
  const gateway = ctx.entry.info.kubernetesGateway;
  if (!gateway) return;
  const byAddress = ctx.index.derived('gatewaysByAddress', () =>
    groupBy(
      ctx.index
        .ofKind(KUBERNETES_GATEWAY)
        .flatMap((g) => [...new Set(g.info.kubernetesGateway.addresses.flatMap((a) => (a.value?.value ? [`${a.type}|${a.value.value}`] : [])))].map((key) => ({ key, g }))),
      (x) => x.key,
    ),
  );
  for (const address of gateway.addresses) {
    if (!address.value?.value) continue;
    const others = (byAddress.get(`${address.type}|${address.value.value}`) ?? []).filter((x) => !sameGateway(x.g, ctx.entry)).map((x) => `${x.g.namespace}/${x.g.name}`);
    if (others.length === 0) continue;
    const consequence = address.type === 'Hostname' ? 'their listeners are served by the same proxies, where conflicting ones fight' : 'only one of them can be given it';
    ctx.report(
      'gatewayAddressConflict',
      address.value,
      `${others.length > 1 ? 'Gateways' : 'Gateway'} ${[...new Set(others)].sort().join(', ')} also ${others.length > 1 ? 'ask' : 'asks'} for address ${address.value.value} (${address.type}): ${consequence}.`,
    );
  }
};
