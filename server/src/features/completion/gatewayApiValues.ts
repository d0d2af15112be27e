// Value completion from the workspace in Gateway API routes (gateway.networking.k8s.io): their
// parentRefs (the parents, their listeners and ports, those admitting the route first), hostnames
// (what the parents' listeners allow), backendRefs (Services and their ports, ServiceEntry hosts).
// What a reference names and whether a listener admits the route are the resolver's answers
// (workspace/gatewayApi.ts), the same the checks give.
import type { ResourceDocument } from '../../model/resource';
import type { PathSegment } from '../../schema/yamlPath';
import { resourceInfo } from '../../workspace/extract';
import { GATEWAY_API_GROUP, isGatewayApiKind, isRouteKind, type BackendRefInfo, type GroupKind, type ParentRefInfo } from '../../workspace/gatewayApiFacts';
import { backendTarget, listenerAllows, parentTarget, refNamespace, referenceGrantAllows, resolveBackendRef, resolveParentRef, type ParentListener } from '../../workspace/gatewayApi';
import { serviceFqdn } from '../../workspace/hosts';
import { KUBERNETES_GATEWAY, visibleTo, type WithFacts, type WorkspaceIndex } from '../../workspace/index';
import { numberAt, span, textAt, type TextRef } from '../../workspace/nodes';
import type { CompletionEntry } from './entries';
import { dedupe, groupKindOf, LIKELY, mapAt, namespacesHolding, nonEmpty, portsDoc, UNLIKELY, value, type Identity, type Position } from './values';

type Route = WithFacts<'gatewayApiRoute'>;

const isRoute = (r: Identity) => isGatewayApiKind(r.apiVersion, r.kind) && isRouteKind(r.kind);

/** `spec.parentRefs[i].<field>` of a route. */
const atParentRef = (path: PathSegment[], field: string) => path.length === 4 && path[0] === 'spec' && path[1] === 'parentRefs' && typeof path[2] === 'number' && path[3] === field;

/** A rule's `backendRefs[i].<field>`, or a RequestMirror filter's `backendRef.<field>` (of a rule or of a backendRef). */
function atBackendRef(path: PathSegment[], field: string): boolean {
  if (path[0] !== 'spec' || path[1] !== 'rules' || path[path.length - 1] !== field) return false;
  const [a, b] = [path[path.length - 3], path[path.length - 2]];
  return (a === 'backendRefs' && typeof b === 'number') || (a === 'requestMirror' && b === 'backendRef');
}

export const GATEWAY_API_POSITIONS: Position[] = [
  { at: (r, path) => isRoute(r) && atParentRef(path, 'name'), values: (index, resource, path) => withRoute(index, resource, (route) => parentNames(index, route, parentRefAt(resource, path))) },
  {
    at: (r, path) => isRoute(r) && atParentRef(path, 'sectionName'),
    values: (index, resource, path) => withRoute(index, resource, (route) => sectionNames(index, route, parentRefAt(resource, path))),
  },
  { at: (r, path) => isRoute(r) && atParentRef(path, 'port'), values: (index, resource, path) => withRoute(index, resource, (route) => parentPorts(index, route, parentRefAt(resource, path))) },
  { at: (r, path) => isRoute(r) && atParentRef(path, 'namespace'), values: (index, resource, path) => namespacesHolding(index, parentCandidateKinds(parentRefAt(resource, path))) },
  {
    at: (r, path) => isRoute(r) && path.length === 3 && path[0] === 'spec' && path[1] === 'hostnames' && typeof path[2] === 'number',
    values: (index, resource) => withRoute(index, resource, (route) => hostnames(index, route)),
  },
  { at: (r, path) => isRoute(r) && atBackendRef(path, 'name'), values: (index, resource, path) => withRoute(index, resource, (route) => backendNames(index, route, backendRefAt(resource, path))) },
  { at: (r, path) => isRoute(r) && atBackendRef(path, 'port'), values: (index, resource, path) => withRoute(index, resource, (route) => backendPorts(index, route, backendRefAt(resource, path))) },
  {
    at: (r, path) => isRoute(r) && atBackendRef(path, 'namespace'),
    // Istio refuses a namespace on a Hostname backendRef: its host is looked up from the route's namespace.
    values: (index, resource, path) => (backendTarget(backendRefAt(resource, path)) === 'service' ? namespacesHolding(index, ['Service']) : undefined),
  },
];

/** The route being edited as the index would hold it (its facts read from the document as it is now). */
function withRoute(index: WorkspaceIndex, resource: ResourceDocument, answer: (route: Route) => CompletionEntry[] | undefined): CompletionEntry[] | undefined {
  const info = resourceInfo(resource);
  if (!info.gatewayApiRoute) return undefined;
  const route = { uri: '', resource, info, namespace: info.namespace ?? index.settings.defaultNamespace, name: info.name?.value ?? '' } as Route;
  return answer(route);
}

/** The parentRef holding the field at `path`, as written so far (a parentRef without kind is a Gateway). */
function parentRefAt(resource: ResourceDocument, path: PathSegment[]): ParentRefInfo {
  const node = mapAt(resource, path.slice(0, -1));
  const port = numberAt(node, 'port');
  return {
    ...groupKindOf(node, { group: GATEWAY_API_GROUP, kind: 'Gateway' }),
    span: span(node),
    index: Number(path[2]),
    name: textAt(node, 'name'),
    namespace: textAt(node, 'namespace'),
    sectionName: textAt(node, 'sectionName'),
    port: port.value,
    portRef: port.ref,
  };
}

/** The backendRef holding the field at `path`, as written so far (one without kind is a Service). */
function backendRefAt(resource: ResourceDocument, path: PathSegment[]): BackendRefInfo {
  const node = mapAt(resource, path.slice(0, -1));
  const port = numberAt(node, 'port');
  return {
    ...groupKindOf(node, { group: '', kind: 'Service' }),
    span: span(node),
    role: path.includes('requestMirror') ? 'mirror' : 'backend',
    ruleIndex: Number(path[2]),
    index: 0,
    name: textAt(node, 'name'),
    namespace: textAt(node, 'namespace'),
    port: port.value,
    portRef: port.ref,
    weight: 1,
  };
}

const named = (value: string): TextRef => ({ value, start: 0, end: 0 });

/** The index kinds a parentRef of this group/kind names. */
function parentCandidateKinds(ref: GroupKind): string[] {
  const target = parentTarget(ref);
  if (target === 'gateway') return [KUBERNETES_GATEWAY];
  if (target === 'listenerSet') return [ref.kind === 'XListenerSet' ? 'XListenerSet' : 'ListenerSet'];
  if (target === 'service') return ['Service'];
  return target === 'serviceEntry' ? ['ServiceEntry'] : [];
}

/** Why the listener refuses the route, as the check decides (only when the workspace is sure); undefined when it admits it. */
function refusal(index: WorkspaceIndex, l: ParentListener, route: Route): string | undefined {
  const a = listenerAllows(index, l.listener, l.owner.namespace, route);
  if (a.namespace === false) return `not routes of namespace ${route.namespace}`;
  if (a.kind === false) return `not ${route.info.gatewayApiRoute.routeKind}s`;
  return a.hostnames ? undefined : 'no hostname in common';
}

const admits = (index: WorkspaceIndex, l: ParentListener, route: Route) => refusal(index, l, route) === undefined;

function listenerLabel(l: ParentListener): string {
  const { name, protocol, port, hostname } = l.listener;
  return `${name?.value ?? '(unnamed)'} (${[protocol, port, hostname?.value].filter((p) => p !== undefined).join(' ') || 'no protocol'})`;
}

/** A listener in Markdown: its name and hostname as code (a `*.` hostname is not emphasis). */
function listenerMarkdown(l: ParentListener): string {
  const { name, protocol, port, hostname } = l.listener;
  const facts = [protocol, port, hostname ? `\`${hostname.value}\`` : undefined].filter((p) => p !== undefined).join(' ');
  return `\`${name?.value ?? '(unnamed)'}\`${facts ? ` (${facts})` : ''}`;
}

/** Which of the listeners admit the route, which refuse it and why: the documentation of a parent. */
function admissionDoc(index: WorkspaceIndex, route: Route, listeners: ParentListener[]): string {
  const routeKind = route.info.gatewayApiRoute.routeKind;
  const admitted = listeners.filter((l) => admits(index, l, route));
  const refused = listeners.flatMap((l) => {
    const why = refusal(index, l, route);
    return why ? [`${listenerMarkdown(l)}: ${why}`] : [];
  });
  const lines = [admitted.length > 0 ? `Admits this ${routeKind}: ${admitted.map(listenerMarkdown).join(', ')}.` : `No listener admits this ${routeKind}.`];
  if (refused.length > 0) lines.push(`Refuses it: ${refused.join('; ')}.`);
  return lines.join('\n\n');
}

/**
 * The parents of the parentRef's kind in its namespace (written, or the route's): Gateways and
 * ListenerSets with their listeners, those whose listeners (of the ref's sectionName and port)
 * admit the route first; for mesh (GAMMA) parents, the Services or ServiceEntries.
 */
function parentNames(index: WorkspaceIndex, route: Route, ref: ParentRefInfo): CompletionEntry[] | undefined {
  const namespace = refNamespace(ref, route);
  const candidates = parentCandidateKinds(ref).flatMap((kind) => index.ofKindIn(kind, namespace));
  const target = parentTarget(ref);
  if (target === 'service' || target === 'serviceEntry') {
    const what = target === 'service' ? 'Service' : 'ServiceEntry';
    return nonEmpty(dedupe(candidates.map((c) => value(c.name, `${what} (${namespace}): mesh routing`, portsDoc(c)))));
  }
  const entries = candidates.map((candidate) => {
    const parent = resolveParentRef(index, route, { ...ref, name: named(candidate.name) });
    const admitted = parent.selected.some((l) => admits(index, l, route));
    const listeners = parent.listeners.map((l) => l.listener.name?.value ?? '(unnamed)').join(', ');
    const kind = parent.target === 'gateway' ? 'Gateway' : (candidate.info.kind ?? 'ListenerSet');
    const detail = `${kind} (${namespace})${listeners ? `: ${listeners}` : ''}`;
    return value(candidate.name, detail, admissionDoc(index, route, parent.selected), `${admitted ? LIKELY : UNLIKELY}${candidate.name}`);
  });
  return nonEmpty(dedupe(entries));
}

/** The named parent's listeners (of the ref's port, when written), those admitting the route first; a mesh parent's port names. */
function sectionNames(index: WorkspaceIndex, route: Route, ref: ParentRefInfo): CompletionEntry[] | undefined {
  const parent = resolveParentRef(index, route, { ...ref, sectionName: undefined });
  if (parent.service) {
    const ports = parent.service.info.service?.ports ?? [];
    return nonEmpty(dedupe(ports.flatMap((p) => (p.name ? [value(p.name.value, `port ${p.port ?? '?'} of Service ${parent.name} (${parent.namespace})`)] : []))));
  }
  const routeKind = route.info.gatewayApiRoute.routeKind;
  const entries = parent.selected.flatMap((l) => {
    if (!l.listener.name) return [];
    const why = refusal(index, l, route);
    const detail = `listener of ${l.owner.info.kind ?? 'Gateway'} ${l.owner.name}: ${listenerLabel(l)}`;
    const doc = why ? `Does not admit this ${routeKind}: ${why}.` : `Admits this ${routeKind}.`;
    return [value(l.listener.name.value, detail, doc, `${why ? UNLIKELY : LIKELY}${l.listener.name.value}`)];
  });
  return nonEmpty(dedupe(entries));
}

/** The ports of the named parent's listeners (of the ref's sectionName, when written); a mesh parent's ports. */
function parentPorts(index: WorkspaceIndex, route: Route, ref: ParentRefInfo): CompletionEntry[] | undefined {
  const parent = resolveParentRef(index, route, { ...ref, port: undefined, portRef: undefined });
  const meshPorts = parent.service?.info.service?.ports.map((p) => ({ port: p.port, detail: `port ${p.name?.value ?? '(unnamed)'} of Service ${parent.name}` }));
  const sePorts = parent.serviceEntry?.info.serviceEntry.ports.map((p) => ({ port: p.number, detail: `port ${p.protocol?.value ?? ''} of ServiceEntry ${parent.name}` }));
  const listenerPorts = parent.selected.map((l) => ({ port: l.listener.port, detail: `listener ${listenerLabel(l)}`, ok: admits(index, l, route) }));
  const ports: { port?: number; detail: string; ok?: boolean }[] = meshPorts ?? sePorts ?? listenerPorts;
  const entries = ports.flatMap(({ port, detail, ok }) => (port === undefined ? [] : [value(String(port), detail, undefined, `${ok === false ? UNLIKELY : LIKELY}${port}`)]));
  return nonEmpty(dedupe(entries));
}

/**
 * The hostnames the route's parents allow: each admitting listener's hostname (a concrete one,
 * or the wildcard itself; a listener without one allows any), and a mesh parent's host names.
 */
function hostnames(index: WorkspaceIndex, route: Route): CompletionEntry[] | undefined {
  const entries = route.info.gatewayApiRoute.parentRefs.flatMap((ref) => {
    if (!ref.name) return [];
    const parent = resolveParentRef(index, route, ref);
    if (parent.service) return [value(serviceFqdn(parent.name, parent.namespace, index.settings), `host of Service ${parent.name} (${parent.namespace})`)];
    if (parent.serviceEntry) return parent.serviceEntry.info.serviceEntry.hosts.map((h) => value(h.value, `host of ServiceEntry ${parent.name} (${parent.namespace})`));
    // Without hostnames the route is admitted by hostname everywhere: ask about namespace and kind only.
    const open = { ...route, info: { ...route.info, gatewayApiRoute: { ...route.info.gatewayApiRoute, hostnames: [] } } } as Route;
    return parent.selected.flatMap((l) => {
      const hostname = l.listener.hostname?.value;
      if (!hostname || !admits(index, l, open)) return [];
      return [value(hostname, `listener ${l.listener.name?.value ?? '(unnamed)'} of ${l.owner.info.kind ?? 'Gateway'} ${l.owner.namespace}/${l.owner.name}`)];
    });
  });
  return nonEmpty(dedupe(entries));
}

/**
 * A backendRef's Services, of its namespace (written, or the route's), or for `kind: Hostname`
 * (networking.istio.io) the ServiceEntry hosts visible from the route's namespace. A Service of
 * another namespace is offered (the namespace was written on purpose) but marked when no
 * ReferenceGrant of that namespace allows it yet, and ranked after those allowed: Istio does not
 * route to it until the grant exists (RefNotPermitted), and the checks say so.
 */
function backendNames(index: WorkspaceIndex, route: Route, ref: BackendRefInfo): CompletionEntry[] | undefined {
  const target = backendTarget(ref);
  if (target === 'hostname') {
    const entries = index
      .ofKind('ServiceEntry')
      .filter((e) => visibleTo(e, [route.namespace]))
      .flatMap((e) => e.info.serviceEntry.hosts.filter((h) => !h.value.startsWith('*')).map((h) => value(h.value, `host of ServiceEntry ${e.name} (${e.namespace})`, portsDoc(e))));
    return nonEmpty(dedupe(entries));
  }
  if (target !== 'service') return undefined;
  const namespace = refNamespace(ref, route);
  const from = { group: GATEWAY_API_GROUP, kind: route.info.gatewayApiRoute.routeKind, namespace: route.namespace };
  const entries = index.ofKindIn('Service', namespace).map((s) => {
    const allowed = referenceGrantAllows(index, from, { group: '', kind: 'Service', namespace, name: s.name }).allowed;
    const detail = `Service (${namespace})${allowed ? '' : `: needs a ReferenceGrant in namespace ${namespace}`}`;
    return value(s.name, detail, portsDoc(s), `${allowed ? LIKELY : UNLIKELY}${s.name}`);
  });
  return nonEmpty(dedupe(entries));
}

/** The ports of the backendRef's Service (or of the ServiceEntry defining its Hostname). */
function backendPorts(index: WorkspaceIndex, route: Route, ref: BackendRefInfo): CompletionEntry[] | undefined {
  const backend = resolveBackendRef(index, route, { ...ref, port: undefined, portRef: undefined });
  const servicePorts = backend.service?.info.service.ports.flatMap((p) => {
    if (p.port === undefined) return [];
    const facts = [p.name ? `name ${p.name.value}` : undefined, p.protocol ?? 'TCP', p.targetPort ? `targetPort ${p.targetPort}` : undefined].filter(Boolean).join(', ');
    return [value(String(p.port), `port of Service ${backend.name}: ${facts}`)];
  });
  const entry = backend.host?.serviceEntries[0];
  const entryPorts = entry?.info.serviceEntry.ports.flatMap((p) => (p.number === undefined ? [] : [value(String(p.number), `port of ServiceEntry ${entry.name}: ${p.protocol?.value ?? ''}`.trim())]));
  return nonEmpty(dedupe(servicePorts ?? entryPorts ?? []));
}
