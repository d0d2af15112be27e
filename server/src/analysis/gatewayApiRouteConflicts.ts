// Gateway API route rules that never get traffic because another rule has the same match for the
// same parent and hostname. The spec's precedence (HTTPRoute and GRPCRoute rules): more specific
// hostname, then match specificity; among identical matches, the oldest route (creationTimestamp),
// then the first by `{namespace}/{name}`, then the first rule of the route. Only identical
// matches (normalized) on an identical effective hostname are compared: anything else can still
// take some of the traffic.
import type { Span } from '../workspace/extract';
import type { RouteRuleInfo } from '../workspace/gatewayApiFacts';
import { listenerAllows, resolveParentRef } from '../workspace/gatewayApi';
import { hostMatches } from '../workspace/hosts';
import type { WithFacts, WorkspaceIndex } from '../workspace/index';
import type { Check } from './context';
import { byCreation, creationTime } from './gatewayApiGateways';

type Route = WithFacts<'gatewayApiRoute'>;

/** Where a route attaches: a parent's listener (or a mesh parent), with the hostnames it serves there. */
interface Attachment {
  key: string;
  label: string;
  hostnames: string[];
}

/** One normalized match of a rule (a rule without matches has one that takes every request). */
export interface RuleMatch {
  rule: RouteRuleInfo;
  key: string;
  label: string;
  /** Where to report: the match; for a rule without matches, its name, else its `backendRefs` key, else its first character. */
  at: Span;
}

interface Claim {
  route: Route;
  match: RuleMatch;
  hostname: string;
  parent: string;
}

/** The matches of a route's rules, normalized (defaults applied, headers sorted); unreadable matches left out. */
export function ruleMatches(route: Route): RuleMatch[] {
  const grpc = route.info.gatewayApiRoute.routeKind === 'GRPCRoute';
  return route.info.gatewayApiRoute.rules.flatMap((rule) => {
    if (rule.matches.length === 0) {
      const key = grpc ? grpcMatchKey({}) : httpMatchKey({});
      const at = rule.name ?? rule.backendRefsKey ?? { start: rule.span.start, end: rule.span.start + 1 };
      return key ? [{ rule, ...key, at }] : [];
    }
    return rule.matches.flatMap((m) => {
      const key = grpc ? grpcMatchKey(m.value) : httpMatchKey(m.value);
      return key ? [{ rule, ...key, at: m.span }] : [];
    });
  });
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function pairs(value: unknown, lowerNames: boolean): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    const r = record(item);
    const name = scalar(r?.name);
    if (!r || name === undefined) return undefined;
    out.push(`${scalar(r.type) ?? 'Exact'}:${lowerNames ? name.toLowerCase() : name}=${scalar(r.value) ?? ''}`);
  }
  return out.sort();
}

/** An HTTPRouteMatch: path (PathPrefix `/` by default; a prefix's trailing `/` is ignored), method, headers (names case-insensitive), query params. */
function httpMatchKey(value: unknown): { key: string; label: string } | undefined {
  const m = record(value);
  const path = m?.path === undefined ? {} : record(m.path);
  const headers = pairs(m?.headers, true);
  const query = pairs(m?.queryParams, false);
  if (!m || !path || !headers || !query) return undefined;
  const type = scalar(path.type) ?? 'PathPrefix';
  let pathValue = scalar(path.value) ?? '/';
  if (type === 'PathPrefix' && pathValue.length > 1) pathValue = pathValue.replace(/\/+$/, '') || '/';
  const method = scalar(m.method) ?? '';
  const label = [`${type} ${pathValue}`, method && `method ${method}`, headers.length > 0 && `headers ${headers.join(', ')}`, query.length > 0 && `query ${query.join(', ')}`]
    .filter(Boolean)
    .join(', ');
  return { key: JSON.stringify(['http', type, pathValue, method, headers, query]), label };
}

/** A GRPCRouteMatch: method (Exact by default; no method: every method), headers. */
function grpcMatchKey(value: unknown): { key: string; label: string } | undefined {
  const m = record(value);
  const method = m?.method === undefined ? {} : record(m.method);
  const headers = pairs(m?.headers, true);
  if (!m || !method || !headers) return undefined;
  const type = scalar(method.type) ?? 'Exact';
  const service = scalar(method.service) ?? '';
  const name = scalar(method.method) ?? '';
  const what = service || name ? `${type} ${service || '*'}/${name || '*'}` : 'every method';
  const label = [what, headers.length > 0 && `headers ${headers.join(', ')}`].filter(Boolean).join(', ');
  return { key: JSON.stringify(['grpc', type, service, name, headers]), label };
}

/** The hostnames a route serves on a listener: its own, narrowed to the listener's (a wildcard of the route takes the listener's), or the listener's. */
function effectiveHostnames(listenerHostname: string | undefined, routeHostnames: string[]): string[] {
  if (routeHostnames.length === 0) return [listenerHostname || '*'];
  if (!listenerHostname) return routeHostnames;
  return [...new Set(routeHostnames.flatMap((h) => (hostMatches(listenerHostname, h) ? [h] : hostMatches(h, listenerHostname) ? [listenerHostname] : [])))];
}

/**
 * Where a route attaches. A parent the workspace holds: each listener its sectionName and port
 * select that admits the route. A parent it does not hold, or a mesh parent: the parentRef as
 * written (routes naming it the same way meet there). Mesh routes ignore hostnames.
 */
function attachments(index: WorkspaceIndex, route: Route): Attachment[] {
  const hostnames = route.info.gatewayApiRoute.hostnames.map((h) => h.value.toLowerCase());
  return route.info.gatewayApiRoute.parentRefs.flatMap((ref): Attachment[] => {
    const parent = resolveParentRef(index, route, ref);
    if (parent.status === 'unsupported' || !ref.name) return [];
    if ((parent.target === 'gateway' || parent.target === 'listenerSet') && parent.status === 'found') {
      return parent.selected.flatMap(({ listener, owner }, i) => {
        const admission = listenerAllows(index, listener, owner.namespace, route);
        if (admission.namespace === false || admission.kind === false || !admission.hostnames) return [];
        const section = listener.name?.value ?? `#${i}`;
        return [
          {
            key: `${owner.info.kind}/${owner.namespace}/${owner.name}/${section}`,
            label: `${owner.info.kind} ${owner.namespace}/${owner.name} listener '${section}'`,
            hostnames: effectiveHostnames(listener.hostname?.value.toLowerCase(), hostnames),
          },
        ];
      });
    }
    const mesh = parent.target === 'service' || parent.target === 'serviceEntry';
    const where = `${ref.sectionName ? ` section '${ref.sectionName.value}'` : ''}${ref.port !== undefined ? ` port ${ref.port}` : ''}`;
    return [
      {
        key: `${ref.group}/${ref.kind}/${parent.namespace}/${parent.name}/${ref.sectionName?.value ?? ''}/${ref.port ?? ''}`,
        label: `${ref.kind} ${parent.namespace}/${parent.name}${where}`,
        hostnames: mesh ? ['*'] : effectiveHostnames(undefined, hostnames),
      },
    ];
  });
}

/** Every HTTPRoute and GRPCRoute match of the workspace by parent, hostname and match: the rules that compete for the same requests. */
function claimsByKey(index: WorkspaceIndex): Map<string, Claim[]> {
  return index.derived('gatewayApiRouteClaims', () => {
    const buckets = new Map<string, Claim[]>();
    for (const route of index.gatewayApiRoutes()) {
      const kind = route.info.gatewayApiRoute.routeKind;
      if (kind !== 'HTTPRoute' && kind !== 'GRPCRoute') continue;
      const matches = ruleMatches(route);
      if (matches.length === 0) continue;
      for (const attachment of attachments(index, route)) {
        for (const hostname of attachment.hostnames) {
          for (const match of matches) {
            const key = `${kind}|${attachment.key}|${hostname}|${match.key}`;
            const list = buckets.get(key);
            const claim = { route, match, hostname, parent: attachment.label };
            if (list) list.push(claim);
            else buckets.set(key, [claim]);
          }
        }
      }
    }
    return buckets;
  });
}

/**
 * Two routes of the same kind attached to the same listener (or mesh parent) with the same
 * hostname and an identical match: only the one that takes precedence gets those requests.
 * Reported on the losing route's match, naming the winner and why it wins.
 */
export const checkRouteMatchConflicts: Check = (ctx) => {
  const route = ctx.entry.info.gatewayApiRoute;
  if (!route || (route.routeKind !== 'HTTPRoute' && route.routeKind !== 'GRPCRoute')) return;
  const me = ctx.entry as Route;
  const lost = new Map<RuleMatch, { winner: Route; hosts: Set<string>; parents: Set<string> }>();
  // The same route written in two files (alternatives of one resource: the later apply replaces it) does not compete with itself.
  const self = identity(me);
  for (const claims of claimsByKey(ctx.index).values()) {
    const mine = claims.filter((c) => c.route === me);
    const others = claims.filter((c) => identity(c.route) !== self);
    if (mine.length === 0 || others.length === 0) continue;
    const winner = [me, ...others.map((c) => c.route)].reduce((best, r) => (byCreation(r, best) < 0 ? r : best));
    if (winner === me) continue;
    // Within this route, only its first rule with the match competes (later ones are checkDuplicateRouteMatches').
    const match = mine[0].match;
    const found = lost.get(match) ?? { winner, hosts: new Set(), parents: new Set() };
    found.hosts.add(mine[0].hostname);
    found.parents.add(mine[0].parent);
    lost.set(match, found);
  }
  for (const [match, { winner, hosts, parents }] of lost) {
    ctx.report(
      'routeMatchConflict',
      match.at,
      `This match (${match.label}) never gets traffic for ${[...hosts].sort().join(', ')} on ${[...parents].sort().join(', ')}: ${route.routeKind} ${winner.namespace}/${winner.name} (${fileName(winner.uri)}) has the same match there and takes precedence, ${whyWins(me, winner)}.`,
    );
  }
};

function whyWins(loser: Route, winner: Route): string {
  const tw = creationTime(winner);
  const tl = creationTime(loser);
  if (tw !== undefined && tl !== undefined && tw !== tl)
    return `being older (creationTimestamp ${winner.info.gatewayApiRoute.creationTimestamp} before ${loser.info.gatewayApiRoute.creationTimestamp})`;
  const order = `${winner.namespace}/${winner.name} comes before ${loser.namespace}/${loser.name}`;
  if (tw !== undefined && tl !== undefined) return `as both have the same creationTimestamp and ${order}`;
  return `as ${order} (the files carry no creationTimestamp: in the cluster the older route wins, and this order applies when they were created in the same second)`;
}

function identity(route: Route): string {
  return `${route.info.gatewayApiRoute.routeKind}/${route.namespace}/${route.name}`;
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

/** Within one route: a rule repeats an earlier rule's match; the first matching rule wins, so this one never gets those requests. */
export const checkDuplicateRouteMatches: Check = (ctx) => {
  const route = ctx.entry.info.gatewayApiRoute;
  if (!route || (route.routeKind !== 'HTTPRoute' && route.routeKind !== 'GRPCRoute')) return;
  const first = new Map<string, RuleMatch>();
  for (const match of ruleMatches(ctx.entry as Route)) {
    const earlier = first.get(match.key);
    if (!earlier) first.set(match.key, match);
    else if (earlier.rule !== match.rule) {
      ctx.report(
        'duplicateRouteMatch',
        match.at,
        `This match (${match.label}) repeats one of ${ruleLabel(earlier.rule)}: the first matching rule wins, so ${ruleLabel(match.rule)} never gets these requests.`,
      );
    }
  }
};

function ruleLabel(rule: RouteRuleInfo): string {
  return rule.name ? `rule '${rule.name.value}'` : `rules[${rule.index}]`;
}
