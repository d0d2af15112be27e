// The traffic model of an HTTPRoute or GRPCRoute, in the shape the preview already draws for a
// VirtualService: its parents (each Gateway with the listeners the parentRef binds, or the mesh
// Service) in place of gateways, its rules in order with their matches in words, each rule's
// backendRefs as shares of the rule's total weight (a weight defaults to 1) resolved to Services
// and workloads, its RequestMirror backends, and its filters in words.
import type { DestinationView as ProtocolDestinationView, ParentView } from '../../../../shared/protocol';
import { normalizedWeights } from '../../edit/weights';
import { plainValue } from '../../model/plain';
import { listenerAllows, resolveBackendRef, resolveParentRef, type ParentListener, type ParentResolution } from '../../workspace/gatewayApi';
import type { BackendRefInfo, ParentRefInfo, RouteRuleInfo } from '../../workspace/gatewayApiFacts';
import type { WithFacts, WorkspaceIndex } from '../../workspace/index';
import type { Span } from '../../workspace/nodes';
import { describeGrpcRouteMatch, describeHttpRouteMatch, mirrorPercent, ruleDetails } from './gatewayApiWords';
import type { DestinationView, RouteView, TrafficModel } from './model';

type Route = WithFacts<'gatewayApiRoute'>;
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** How the preview names a parent: `Gateway infra/web · http`, `Service shop/reviews`. */
export function parentName(ref: ParentRefInfo, parent: ParentResolution): string {
  const section = ref.sectionName ? ` · ${ref.sectionName.value}` : '';
  const port = ref.port !== undefined ? ` :${ref.port}` : '';
  return `${ref.kind} ${parent.namespace}/${parent.name}${section}${port}`;
}

function listenerLine(index: WorkspaceIndex, route: Route, { listener, owner }: ParentListener): string {
  const admits = listenerAllows(index, listener, owner.namespace, route);
  const what = `listener ${listener.name?.value ?? '?'} · ${listener.protocol ?? '?'}${listener.port !== undefined ? ` :${listener.port}` : ''}${listener.hostname ? ` · ${listener.hostname.value}` : ''}`;
  if (admits.namespace === false) return `${what}: does not admit routes from namespace ${route.namespace}`;
  if (admits.kind === false) return `${what}: does not take ${route.info.gatewayApiRoute.routeKind}s`;
  if (!admits.hostnames) return `${what}: no hostname in common with the route`;
  return what;
}

function parentLines(index: WorkspaceIndex, route: Route, ref: ParentRefInfo, parent: ParentResolution): string[] {
  if (parent.status === 'unsupported') return [`${ref.group || 'core'}/${ref.kind}: not a parent Istio attaches routes to`];
  if (parent.status === 'missing') return ['not defined'];
  if (parent.status === 'outside-workspace') return ['not defined in the workspace'];
  if (parent.target === 'service' || parent.target === 'serviceEntry') return [`mesh: requests to ${parent.name}.${parent.namespace}`];
  if (parent.sectionMissing) return [`no listener ${ref.sectionName?.value ?? ''}`];
  if (parent.portMissing) return [`no listener on port ${ref.port}`];
  return parent.selected.map((l) => listenerLine(index, route, l));
}

function parentView(index: WorkspaceIndex, route: Route, ref: ParentRefInfo): ParentView {
  const parent = resolveParentRef(index, route, ref);
  const mesh = parent.target === 'service' || parent.target === 'serviceEntry';
  return {
    name: parentName(ref, parent),
    gateway: mesh ? 'mesh' : `${parent.namespace}/${parent.name}`,
    lines: parentLines(index, route, ref, parent),
    ...(parent.target === 'service' ? { authority: `${parent.name}.${parent.namespace}` } : {}),
  };
}

function backendNote(index: WorkspaceIndex, route: Route, ref: BackendRefInfo): Pick<ProtocolDestinationView, 'status' | 'note' | 'labels' | 'workloads'> {
  const backend = resolveBackendRef(index, route, ref);
  const what = `${ref.kind} ${backend.namespace}/${backend.name}`;
  if (backend.status === 'unsupported') return { status: 'unresolved-host', note: `${ref.group || 'core'}/${ref.kind} is not a backend Istio routes to`, workloads: [] };
  if (backend.status === 'missing') return { status: 'unresolved-host', note: `No ${what} in the workspace`, workloads: [] };
  if (backend.status === 'outside-workspace') return { status: 'outside-workspace', note: `${what} is not defined in the workspace`, workloads: [] };
  const service = backend.service ?? backend.host?.services[0];
  const selector = service?.info.service?.selector;
  const workloads = service && selector ? index.workloadsMatching(service.namespace, selector).map((w) => w.name) : [];
  const note =
    backend.port === 'missing' ? `${what} has no port ${ref.port}; it has ${backend.ports?.join(', ') || 'none'}` : backend.port === 'absent' ? `No port: a ${ref.kind} backend needs one` : undefined;
  return { status: 'ok', note, labels: selector, workloads };
}

function backendView(index: WorkspaceIndex, route: Route, ref: BackendRefInfo, percent: number, shift: (s: Span) => Span): DestinationView {
  const name = ref.name?.value ?? '(no name)';
  return {
    host: ref.namespace && ref.namespace.value !== route.namespace ? `${ref.namespace.value}/${name}` : name,
    port: ref.port,
    weight: ref.role === 'backend' ? ref.weight : undefined,
    percent,
    span: shift(ref.span),
    weightSpan: ref.weightRef ? shift(ref.weightRef) : undefined,
    problems: [],
    subsetProblems: [],
    ...backendNote(index, route, ref),
  };
}

/** Shares of the rule's traffic: weights relative to their total (all 0: nothing is sent anywhere, unlike a VirtualService's). */
export function backendPercents(weights: number[]): number[] {
  return weights.some((w) => Number.isFinite(w) && w > 0) ? normalizedWeights(weights) : weights.map(() => 0);
}

function mirrorFilter(rule: Obj, ref: BackendRefInfo): unknown {
  const filters = ref.ownerIndex === undefined ? list(rule.filters) : list(obj(list(rule.backendRefs)[ref.ownerIndex]).filters);
  return obj(filters[ref.index]).requestMirror;
}

function ruleView(index: WorkspaceIndex, route: Route, rule: RouteRuleInfo, plain: unknown, shift: (s: Span) => Span): RouteView {
  const value = obj(plain);
  const percents = backendPercents(rule.backendRefs.map((b) => b.weight));
  const describe = route.info.gatewayApiRoute.routeKind === 'GRPCRoute' ? describeGrpcRouteMatch : describeHttpRouteMatch;
  const allZero = rule.backendRefs.length > 0 && percents.every((p) => p === 0);
  return {
    kind: 'rule',
    index: rule.index,
    name: rule.name?.value,
    span: shift(rule.span),
    matches: rule.matches.map((m) => describe(m.value)),
    destinations: rule.backendRefs.map((b, i) => backendView(index, route, b, percents[i], shift)),
    details: [...ruleDetails(value), ...(allZero ? ['every weight is 0: requests get HTTP 500'] : [])],
    mirrors: rule.mirrors.map((m) => backendView(index, route, m, mirrorPercent(mirrorFilter(value, m)), shift)),
    problems: [],
  };
}

export function gatewayApiTrafficModel(index: WorkspaceIndex, route: Route): TrafficModel {
  const facts = route.info.gatewayApiRoute;
  const shift = (s: Span): Span => route.resource.fileSpan(s);
  const contents = route.resource.doc.contents as { range?: [number, number, number] } | null;
  const plain = plainValue(route.resource.doc);
  const rules = list(obj(obj('value' in plain ? plain.value : undefined).spec).rules);
  const parents = facts.parentRefs.map((ref) => parentView(index, route, ref));
  return {
    kind: facts.routeKind === 'GRPCRoute' ? 'GRPCRoute' : 'HTTPRoute',
    name: route.name,
    namespace: route.namespace,
    // From the document's first node: offset 0 is also the end of the document before it, which a position there would name.
    span: route.resource.fileSpan({ start: contents?.range?.[0] ?? 0, end: contents?.range?.[2] ?? route.resource.text.length }),
    hosts: facts.hostnames.map((h) => h.value),
    gateways: parents.map((p) => p.name),
    parents,
    gatewaySpans: facts.parentRefs.map((ref, i) => ({ name: parents[i].name, span: shift(ref.span) })),
    routes: facts.rules.map((rule) => ruleView(index, route, rule, rules[rule.index], shift)),
    gatewayProblems: {},
    problems: [],
  };
}
