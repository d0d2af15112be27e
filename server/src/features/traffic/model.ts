// The traffic model of a VirtualService, as the preview shows it: hosts and gateways, then each
// route in order with its match conditions in words, its destinations as normalized shares
// resolved to DestinationRule subsets and workloads, and what else the route does (mirror,
// fault, retries, timeout, rewrite, redirect). Plain data: the webview only renders it.
import { plainValue } from '../../model/plain';
import { isMap, isSeq, YAMLMap } from 'yaml';
import type { DestinationView as ProtocolDestinationView, ParentView, ProblemMark, RouteView as ProtocolRouteView, TrafficKind } from '../../../../shared/protocol';
import type { DestinationRef, RouteInfo, Span } from '../../workspace/extract';
import type { IndexedResource, WorkspaceIndex } from '../../workspace/index';
import { resolveHost, resolveSubset } from '../../workspace/resolve';
import { normalizedWeights } from '../../edit/weights';
import { describeMatch } from './words';

/** The protocol's destination view, with offsets in the file instead of a range. */
export interface DestinationView extends Omit<ProtocolDestinationView, 'range'> {
  span: Span;
  /** Where the weight is written. */
  weightSpan?: Span;
  /** The subset's definition in its DestinationRule (file and file span), when it resolves. */
  subsetAt?: { uri: string; span: Span };
}

export interface RouteView extends Omit<ProtocolRouteView, 'range' | 'destinations' | 'mirrors'> {
  span: Span;
  destinations: DestinationView[];
  mirrors: DestinationView[];
}

export interface TrafficModel {
  kind: TrafficKind;
  name: string;
  namespace: string;
  /** The VirtualService's span in its file. */
  span: Span;
  hosts: string[];
  gateways: string[];
  /** An HTTPRoute's or GRPCRoute's parents (`gateways` holds their names). */
  parents?: ParentView[];
  /** Where each written gateway reference is (file spans, by name); `mesh` by default has none. */
  gatewaySpans: { name: string; span: Span }[];
  routes: RouteView[];
  gatewayProblems: Record<string, ProblemMark[]>;
  problems: ProblemMark[];
}

export function trafficModel(index: WorkspaceIndex, entry: IndexedResource): TrafficModel | undefined {
  const vs = entry.info.virtualService;
  const written = entry.resource.doc.get('spec', true);
  if (!vs) return undefined;
  // A VirtualService being typed (`spec:` empty) is shown with no hosts and no routes yet.
  const spec = isMap(written) ? written : new YAMLMap();
  const shift = (s: Span): Span => entry.resource.fileSpan(s);
  const contents = entry.resource.doc.contents as { range?: [number, number, number] } | null;
  return {
    kind: 'VirtualService',
    name: entry.name,
    namespace: entry.namespace,
    // From the document's first node: offset 0 is also the end of the document before it, which a position there would name.
    span: entry.resource.fileSpan({ start: contents?.range?.[0] ?? 0, end: contents?.range?.[2] ?? entry.resource.text.length }),
    hosts: vs.hosts.map((h) => h.value),
    gateways: vs.gateways.length > 0 ? vs.gateways.map((g) => g.value) : ['mesh'],
    gatewaySpans: vs.gateways.map((g) => ({ name: g.value, span: shift(g) })),
    routes: vs.routes.map((route) => routeView(index, entry, spec, route, shift)),
    gatewayProblems: {},
    problems: [],
  };
}

function routeNode(spec: YAMLMap, route: RouteInfo): YAMLMap | undefined {
  const list = spec.get(route.routeKind, true);
  const node = isSeq(list) ? list.items[route.index] : undefined;
  return isMap(node) ? node : undefined;
}

function routeView(index: WorkspaceIndex, entry: IndexedResource, spec: YAMLMap, route: RouteInfo, shift: (s: Span) => Span): RouteView {
  const node = routeNode(spec, route);
  const plain = plainValue(node);
  const value = ('value' in plain && plain.value && typeof plain.value === 'object' ? plain.value : {}) as Record<string, unknown>;
  const percents = normalizedWeights(route.destinations.map((d) => (route.destinations.length === 1 && d.weight === undefined ? 100 : Math.max(0, d.weight ?? 0))));
  return {
    kind: route.routeKind,
    index: route.index,
    name: typeof value.name === 'string' ? value.name : undefined,
    span: shift(route.span),
    matches: route.matches.map((m) => describeMatch(route.routeKind, m.value)),
    destinations: route.destinations.map((d, i) => destinationView(index, entry, d, percents[i], shift)),
    details: routeDetails(value),
    mirrors: (entry.info.virtualService?.mirrors ?? [])
      .filter((m) => m.routeKind === route.routeKind && m.routeIndex === route.index)
      .map((m) => destinationView(index, entry, m, mirrorPercent(value, m.index), shift)),
    problems: [],
  };
}

function destinationView(index: WorkspaceIndex, entry: IndexedResource, d: DestinationRef, percent: number, shift: (s: Span) => Span): DestinationView {
  const view: DestinationView = {
    host: d.host?.value ?? '(no host)',
    subset: d.subset?.value,
    port: d.port,
    weight: d.weight,
    percent,
    span: shift(d.itemSpan ?? d.span),
    weightSpan: d.weightRef ? shift(d.weightRef) : undefined,
    status: 'ok',
    workloads: [],
    problems: [],
    subsetProblems: [],
  };
  if (!d.host) return { ...view, status: 'unresolved-host', note: 'The destination names no host' };
  const host = resolveHost(index, d.host.value, entry.namespace);
  const { fqdn, services } = host;
  if (host.status === 'missing') return { ...view, status: 'unresolved-host', note: `No Service or ServiceEntry defines ${fqdn}` };
  const known = host.status === 'found';
  const selector = services[0]?.info.service?.selector;
  if (!d.subset) {
    const workloads = selector ? index.workloadsMatching(services[0].namespace, selector).map((w) => w.name) : [];
    return { ...view, labels: selector, workloads, status: known ? 'ok' : 'outside-workspace', note: known ? undefined : `${fqdn} is not defined in the workspace` };
  }
  const subset = resolveSubset(index, d.host.value, d.subset.value, entry.namespace);
  if (subset.status === 'outside-workspace') return { ...view, status: 'outside-workspace', note: `No DestinationRule for ${d.host.value} in the workspace` };
  if (subset.status === 'missing') {
    const note =
      subset.rules.length === 0
        ? `No DestinationRule defines subsets for ${d.host.value}`
        : `Subset ${d.subset.value} is not defined in DestinationRule ${subset.rules[0].name}; defined: ${subset.defined.join(', ') || 'none'}`;
    return { ...view, status: 'unresolved-subset', note };
  }
  const labels = { ...(selector ?? {}), ...(subset.subset.labels ?? {}) };
  const workloads = services[0] ? index.workloadsMatching(services[0].namespace, labels).map((w) => w.name) : [];
  const subsetAt = { uri: subset.rule.uri, span: subset.rule.resource.fileSpan(subset.subset.span) };
  return { ...view, labels: subset.subset.labels, workloads, note: `DestinationRule ${subset.rule.name}`, subsetAt };
}

/** The mirrored share: `mirrorPercentage` of a `mirror`, `percentage` of a `mirrors` item; 100 when not written. */
function mirrorPercent(route: Record<string, unknown>, i: number): number {
  const value = (p: unknown) => (p as { value?: unknown } | undefined)?.value;
  const written = route.mirror ? value(route.mirrorPercentage) : value((Array.isArray(route.mirrors) ? (route.mirrors[i] as { percentage?: unknown } | null) : undefined)?.percentage);
  return typeof written === 'number' && written >= 0 ? Math.min(100, written) : 100;
}

function percentText(p: unknown): string {
  const value = (p as { value?: unknown } | undefined)?.value;
  return typeof value === 'number' ? `${value}%` : '100%';
}

function destinationText(d: unknown): string {
  const dest = (d ?? {}) as { host?: string; subset?: string; port?: { number?: number } };
  return `${dest.host ?? '?'}${dest.subset ? ` (${dest.subset})` : ''}${dest.port?.number ? `:${dest.port.number}` : ''}`;
}

/** Mirror, fault, retries, timeout, rewrite, redirect, direct response, delegate, CORS, header edits, in words. */
export function routeDetails(route: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (route.mirror) out.push(`mirror ${percentText(route.mirrorPercentage)} to ${destinationText(route.mirror)}`);
  // A half-typed document can hold anything here: only a list of maps is a list of mirrors.
  const mirrors = Array.isArray(route.mirrors) ? (route.mirrors as unknown[]) : [];
  for (const m of mirrors as ({ destination?: unknown; percentage?: unknown } | null)[]) out.push(`mirror ${percentText(m?.percentage)} to ${destinationText(m?.destination)}`);
  const fault = route.fault as { delay?: { fixedDelay?: string; percentage?: unknown }; abort?: { httpStatus?: number; grpcStatus?: string; percentage?: unknown } } | undefined;
  if (fault?.delay) out.push(`fault: delay ${fault.delay.fixedDelay ?? '?'} for ${percentText(fault.delay.percentage)} of requests`);
  if (fault?.abort) out.push(`fault: abort with ${fault.abort.httpStatus ?? fault.abort.grpcStatus ?? '?'} for ${percentText(fault.abort.percentage)} of requests`);
  const retries = route.retries as { attempts?: number; perTryTimeout?: string; retryOn?: string } | undefined;
  if (retries) out.push(`retries: ${retries.attempts ?? 2} attempts${retries.perTryTimeout ? `, ${retries.perTryTimeout} per try` : ''}${retries.retryOn ? ` on ${retries.retryOn}` : ''}`);
  if (typeof route.timeout === 'string') out.push(`timeout ${route.timeout}`);
  const rewrite = route.rewrite as { uri?: string; authority?: string; uriRegexRewrite?: { match?: string; rewrite?: string } } | undefined;
  if (rewrite?.uri !== undefined) out.push(`rewrite path to ${rewrite.uri}`);
  if (rewrite?.uriRegexRewrite) out.push(`rewrite path ${rewrite.uriRegexRewrite.match ?? ''} → ${rewrite.uriRegexRewrite.rewrite ?? ''}`);
  if (rewrite?.authority) out.push(`rewrite authority to ${rewrite.authority}`);
  const redirect = route.redirect as { uri?: string; authority?: string; scheme?: string; redirectCode?: number; port?: number } | undefined;
  if (redirect)
    out.push(
      `redirect (${redirect.redirectCode ?? 301}) to ${redirect.scheme ? `${redirect.scheme}://` : ''}${redirect.authority ?? ''}${redirect.port ? `:${redirect.port}` : ''}${redirect.uri ?? ''}`.replace(
        /to $/,
        'to the same URL',
      ),
    );
  const direct = route.directResponse as { status?: number } | undefined;
  if (direct) out.push(`respond directly with ${direct.status ?? '?'}`);
  const delegate = route.delegate as { name?: string; namespace?: string } | undefined;
  if (delegate) out.push(`delegate to VirtualService ${delegate.namespace ? `${delegate.namespace}/` : ''}${delegate.name ?? '?'}`);
  if (route.corsPolicy) out.push('CORS policy');
  if (route.headers) out.push('header manipulation');
  return out;
}
