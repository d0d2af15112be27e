// A Gateway API route's parentRefs (gateway.networking.k8s.io): the Gateway or ListenerSet must
// exist, its sectionName and port must name a listener, and the listeners they select must admit
// the route (namespace, kind, hostnames), as Istio accepts a route for a parent
// (conversion.go's referenceAllowed); a mesh (GAMMA) parentRef's Service or ServiceEntry must
// exist. Only a namespace whose parents the workspace holds can prove one missing; otherwise a hint.
import { closest, listNames, MAX_LISTED_NAMES } from '../base/problems';
import type { ParentRefInfo } from '../workspace/gatewayApiFacts';
import { admittedKinds, listenerAllows, resolveParentRef, type ParentListener, type ParentResolution } from '../workspace/gatewayApi';
import type { TextRef } from '../workspace/extract';
import { KUBERNETES_GATEWAY, type WithFacts } from '../workspace/index';
import type { Check, CheckContext } from './context';

type Route = WithFacts<'gatewayApiRoute'>;
/** A parentRef with a name (the others name nothing to check). */
type NamedRef = ParentRefInfo & { name: TextRef };

export const checkParentRefs: Check = (ctx) => {
  if (!ctx.entry.info.gatewayApiRoute) return;
  const route = ctx.entry as Route;
  for (const ref of route.info.gatewayApiRoute.parentRefs) {
    if (!ref.name) continue;
    const named = { ...ref, name: ref.name };
    const parent = resolveParentRef(ctx.index, route, ref);
    if (parent.target === 'gateway' || parent.target === 'listenerSet') checkGatewayParent(ctx, route, named, parent);
    else if (parent.target === 'service' || parent.target === 'serviceEntry') checkMeshParent(ctx, named, parent);
  }
};

function kindsLabel(parent: ParentResolution): string {
  return parent.target === 'serviceEntry' ? 'ServiceEntries' : `${kindLabel(parent)}s`;
}

function kindLabel(parent: ParentResolution): string {
  return parent.target === 'gateway' ? 'Gateway' : parent.target === 'listenerSet' ? 'ListenerSet' : parent.target === 'service' ? 'Service' : 'ServiceEntry';
}

/** The names of the parents of that kind in the namespace, for the message and the quick fix. */
function candidatesOf(ctx: CheckContext, parent: ParentResolution): string[] {
  const kinds: Record<string, string[]> = {
    gateway: [KUBERNETES_GATEWAY],
    listenerSet: ['ListenerSet', 'XListenerSet'],
    service: ['Service'],
    serviceEntry: ['ServiceEntry'],
  };
  const names = (kinds[parent.target] ?? []).flatMap((k) => ctx.index.ofKindIn(k, parent.namespace).map((e) => e.name));
  return [...new Set(names)].sort();
}

function reportMissingParent(ctx: CheckContext, ref: NamedRef, parent: ParentResolution): void {
  const what = `${kindLabel(parent)} ${parent.namespace}/${parent.name}`;
  if (parent.status === 'outside-workspace') {
    const why =
      candidatesOf(ctx, parent).length > 0
        ? `namespace ${parent.namespace} is installed with the cluster, its ${kindsLabel(parent)} are not all here`
        : `no ${kindsLabel(parent)} in namespace ${parent.namespace}`;
    const message = `${what} is not in the workspace (${why}); it may be defined in the cluster.`;
    ctx.report('referenceUnverifiable', ref.name, message);
    return;
  }
  const candidates = candidatesOf(ctx, parent);
  const suggestion = closest(parent.name, candidates, 3);
  const others = candidates.length > 0 ? `; ${kindsLabel(parent)} of namespace ${parent.namespace}: ${listNames(candidates)}` : '';
  const key = parent.target === 'service' ? 'gatewayApiServiceNotFound' : parent.target === 'serviceEntry' ? 'gatewayApiServiceEntryNotFound' : 'gatewayApiParentNotFound';
  const target = parent.target === 'service' || parent.target === 'serviceEntry' ? parent.target : 'gateway';
  ctx.report(key, ref.name, `${what} not found${others}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`, {
    type: 'gateway-api-ref',
    target,
    name: parent.name,
    suggestion,
    candidates: candidates.slice(0, MAX_LISTED_NAMES),
  });
}

function checkMeshParent(ctx: CheckContext, ref: NamedRef, parent: ParentResolution): void {
  if (parent.status !== 'found') reportMissingParent(ctx, ref, parent);
}

function checkGatewayParent(ctx: CheckContext, route: Route, ref: NamedRef, parent: ParentResolution): void {
  const owner = parent.gateway ?? parent.listenerSet;
  if (parent.status !== 'found' || !owner) {
    reportMissingParent(ctx, ref, parent);
    return;
  }
  const what = `${kindLabel(parent)} ${owner.namespace}/${owner.name}`;
  const names = parent.listeners.flatMap((l) => (l.listener.name ? [l.listener.name.value] : []));
  if (parent.sectionMissing && ref.sectionName) {
    const section = ref.sectionName.value;
    const suggestion = closest(section, names, 3);
    const message = `${what} has no listener '${section}'; ${names.length > 0 ? `its listeners: ${listNames(names)}` : 'it has no listeners'}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`;
    ctx.report('listenerNotFound', ref.sectionName, message, { type: 'gateway-api-ref', target: 'listener', name: section, suggestion, candidates: names.slice(0, MAX_LISTED_NAMES) });
    return;
  }
  if (parent.portMissing && ref.portRef) {
    const among = ref.sectionName ? parent.listeners.filter((l) => l.listener.name?.value === ref.sectionName?.value) : parent.listeners;
    const ports = [...new Set(among.flatMap((l) => (l.listener.port === undefined ? [] : [l.listener.port])))];
    const whose = ref.sectionName ? `Listener '${ref.sectionName.value}' of ${what} does not listen on port ${ref.port}` : `No listener of ${what} listens on port ${ref.port}`;
    ctx.report('listenerNotFound', ref.portRef, `${whose}; ${ports.length > 0 ? `port${ports.length > 1 ? 's' : ''}: ${ports.join(', ')}` : 'it declares no port'}.`);
    return;
  }
  checkAdmission(ctx, route, ref, what, parent.selected);
}

/**
 * Do the selected listeners admit the route? Reported only when every one of them refuses it for
 * sure: by namespace first, then among those admitting the namespace by kind, then by hostnames.
 */
function checkAdmission(ctx: CheckContext, route: Route, ref: NamedRef, what: string, selected: ParentListener[]): void {
  if (selected.length === 0) return;
  const admissions = selected.map((l) => ({ l, a: listenerAllows(ctx.index, l.listener, l.owner.namespace, route) }));
  const byNamespace = admissions.filter(({ a }) => a.namespace !== false);
  const at = ref.sectionName ?? ref.name;
  const routeKind = route.info.gatewayApiRoute.routeKind;
  if (byNamespace.length === 0) {
    const why = selected.map((l) => `${listenerName(l)} admits ${namespacesAdmitted(l)}`).join('; ');
    ctx.report('gatewayApiParentNotFound', ref.name, `${what} does not admit routes from namespace ${route.namespace}: ${why}.`);
    return;
  }
  const byKind = byNamespace.filter(({ a }) => a.kind !== false);
  if (byKind.length === 0) {
    const why = byNamespace.map(({ l }) => `${listenerName(l)} (${l.listener.protocol ?? 'no protocol'}) admits ${admittedKinds(l.listener)?.join(', ') || 'no route kind'}`).join('; ');
    ctx.report('routeKindNotAllowed', at, `${what} does not admit ${routeKind}s here: ${why}.`);
    return;
  }
  if (byKind.some(({ a }) => a.hostnames)) return;
  const hostnames = route.info.gatewayApiRoute.hostnames.map((h) => h.value).join(', ');
  const listeners = byKind.map(({ l }) => `${listenerName(l)} ${l.listener.hostname?.value ?? '(any host)'}`).join(', ');
  ctx.report('routeHostnameNotAllowed', at, `No hostname of this ${routeKind} (${hostnames}) matches a listener hostname of ${what}: ${listeners}.`);
}

function listenerName(l: ParentListener): string {
  return `listener ${l.listener.name?.value ?? '(unnamed)'}`;
}

function namespacesAdmitted(l: ParentListener): string {
  const { from, selector, matchExpressions } = l.listener.allowedNamespaces;
  if (from === 'Same') return `only its own namespace (${l.owner.namespace})`;
  if (from !== 'Selector') return `namespaces from ${from}`;
  const labels = Object.entries(selector ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values.length > 0 ? ` (${e.values.join(', ')})` : ''}`);
  return `namespaces whose labels match ${[...labels, ...expressions].join(', ') || 'anything'}`;
}
