// "Where does this request land?" for an HTTPRoute or GRPCRoute. Unlike a VirtualService, the
// first rule that matches does not win: every match of every rule of the routes attached to the
// same parent competes, the most specific hostname first, then the Gateway API's precedence among
// matches (workspace/gatewayApiPrecedence.ts), then the oldest route, then the first by
// namespace/name, then the rules' order. Each other rule of the route says why it did not win.
import type { SimulatedRequest, SimulateResult } from '../../../../shared/protocol';
import { resolveParentRef, type ParentResolution } from '../../workspace/gatewayApi';
import type { ParentRefInfo } from '../../workspace/gatewayApiFacts';
import { compareMatches, lessSpecificBecause } from '../../workspace/gatewayApiPrecedence';
import { hostMatches, hostSpecificity } from '../../workspace/hosts';
import type { WithFacts, WorkspaceIndex } from '../../workspace/index';
import { GRPC_CATCH_ALL, grpcRouteMatch, HTTP_CATCH_ALL, httpRouteMatch, type RequestMatch } from './gatewayApiMatch';
import { parentName } from './gatewayApiModel';

type Route = WithFacts<'gatewayApiRoute'>;
type Verdict = SimulateResult['verdicts'][number];

interface Candidate {
  route: Route;
  rule: number;
  match: number;
  request: RequestMatch;
  /** How specific the route's hostname that matches the request's host is (0: the route has none). */
  hostRank: number;
}

const routeLabel = (r: Route) => `${r.info.gatewayApiRoute.routeKind} ${r.namespace}/${r.name}`;
const sameRoute = (a: Route, b: Route) => a === b || (a.uri === b.uri && a.namespace === b.namespace && a.name === b.name && a.info.gatewayApiRoute.routeKind === b.info.gatewayApiRoute.routeKind);

/** The parentRefs the request goes through: the mesh's Services for `mesh`, else the Gateway it names (`name` or `namespace/name`). */
function chosenParents(index: WorkspaceIndex, route: Route, gateway: string): { ref: ParentRefInfo; parent: ParentResolution }[] {
  const all = route.info.gatewayApiRoute.parentRefs.map((ref) => ({ ref, parent: resolveParentRef(index, route, ref) }));
  return all.filter(({ parent }) => {
    const mesh = parent.target === 'service' || parent.target === 'serviceEntry';
    if (gateway === 'mesh') return mesh;
    return !mesh && (gateway === `${parent.namespace}/${parent.name}` || gateway === parent.name);
  });
}

/** Why the parent does not take a request for `host` (its listeners' hostnames, the mesh Service's names), or undefined. */
function parentRefuses({ parent }: { parent: ParentResolution }, host: string): string | undefined {
  if (parent.target === 'service') {
    const [name, namespace] = host.split('.');
    return name === parent.name && (namespace === undefined || namespace === parent.namespace) ? undefined : `host ${host} does not name Service ${parent.namespace}/${parent.name}`;
  }
  if (parent.status !== 'found' || parent.selected.length === 0) return undefined;
  const hostnames = parent.selected.map((l) => l.listener.hostname?.value.toLowerCase());
  if (hostnames.some((h) => h === undefined || hostMatches(h, host))) return undefined;
  return `no listener the route binds accepts host ${host} (listener hostnames: ${hostnames.join(', ')})`;
}

/** The specificity of the route's best hostname for `host`: undefined when the route has hostnames and none matches. */
function hostRank(route: Route, host: string, mesh: boolean): number | undefined {
  const hostnames = route.info.gatewayApiRoute.hostnames.map((h) => h.value.toLowerCase());
  if (mesh || hostnames.length === 0) return 0;
  const matching = hostnames.filter((h) => hostMatches(h, host));
  return matching.length === 0 ? undefined : Math.max(...matching.map(hostSpecificity));
}

/** The other routes of the same kind attached to the same parent (their rules compete with this route's). */
function rivals(index: WorkspaceIndex, route: Route, { ref, parent }: { ref: ParentRefInfo; parent: ParentResolution }): Route[] {
  const out: Route[] = [];
  for (const { entry } of index.parentRefsTo({ group: ref.group, kind: ref.kind, namespace: parent.namespace, name: parent.name })) {
    const other = entry as Route;
    if (other.info.gatewayApiRoute?.routeKind !== route.info.gatewayApiRoute.routeKind || sameRoute(other, route) || out.some((o) => sameRoute(o, other))) continue;
    out.push(other);
  }
  return out;
}

function candidatesOf(route: Route, rank: number): Candidate[] {
  const grpc = route.info.gatewayApiRoute.routeKind === 'GRPCRoute';
  return route.info.gatewayApiRoute.rules.flatMap((rule) => {
    const matches = rule.matches.length > 0 ? rule.matches.map((m) => (grpc ? grpcRouteMatch(m.value) : httpRouteMatch(m.value))) : [grpc ? GRPC_CATCH_ALL() : HTTP_CATCH_ALL()];
    return matches.map((request, match) => ({ route, rule: rule.index, match, request, hostRank: rank }));
  });
}

/** The spec's order of two candidates: negative when `a` wins. */
function precedence(a: Candidate, b: Candidate): number {
  if (a.hostRank !== b.hostRank) return b.hostRank - a.hostRank;
  const byMatch = compareMatches(a.request.precedence, b.request.precedence);
  if (byMatch !== 0) return byMatch;
  if (!sameRoute(a.route, b.route)) {
    const [ta, tb] = [a.route.info.gatewayApiRoute.creationTimestamp, b.route.info.gatewayApiRoute.creationTimestamp];
    if (ta && tb && ta !== tb) return ta < tb ? -1 : 1;
    return `${a.route.namespace}/${a.route.name}`.localeCompare(`${b.route.namespace}/${b.route.name}`);
  }
  return a.rule - b.rule || a.match - b.match;
}

/** Why the rule's best accepted match lost to the winner. */
function whyNot(best: Candidate, winner: Candidate): string {
  if (best.hostRank !== winner.hostRank) return `less specific: ${routeLabel(winner.route)} has a more specific hostname for the host`;
  const less = lessSpecificBecause(best.request.precedence, winner.request.precedence);
  if (less) return `less specific: ${less}`;
  if (sameRoute(best.route, winner.route)) return `equally specific: rule ${winner.rule + 1} comes first`;
  const older = winner.route.info.gatewayApiRoute.creationTimestamp && best.route.info.gatewayApiRoute.creationTimestamp;
  return `equally specific: ${routeLabel(winner.route)} ${older ? 'is older' : 'comes first by namespace/name'}`;
}

function verdictsOf(route: Route, accepted: Candidate[], rejected: Map<number, string[]>, winner: Candidate | undefined): Verdict[] {
  return route.info.gatewayApiRoute.rules.map((rule) => {
    const best = accepted.find((c) => sameRoute(c.route, route) && c.rule === rule.index);
    if (!best) return { index: rule.index, matched: false, why: [...new Set(rejected.get(rule.index) ?? ['no match'])].join('; ') };
    if (best === winner) {
      const why =
        rule.matches.length === 0 ? 'no matches: takes every request' : rule.matches.length > 1 ? `match ${best.match + 1} holds and ranks first` : 'every condition holds and no match ranks higher';
      return { index: rule.index, matched: true, why };
    }
    return { index: rule.index, matched: false, why: whyNot(best, winner!) };
  });
}

function ruleLabel(c: Candidate): string {
  const name = c.route.info.gatewayApiRoute.rules[c.rule]?.name?.value;
  return `rule ${c.rule + 1}${name ? ` (${name})` : ''}`;
}

/** Simulates a request against the HTTPRoute or GRPCRoute `route` and the routes it shares its parent with. */
export function simulateGatewayApiRoute(index: WorkspaceIndex, route: Route, req: SimulatedRequest): SimulateResult {
  const gateway = req.gateway?.trim() || 'mesh';
  const host = req.authority.replace(/:\d+$/, '').toLowerCase();
  const parents = chosenParents(index, route, gateway);
  if (parents.length === 0) {
    const names = route.info.gatewayApiRoute.parentRefs.map((ref) => parentName(ref, resolveParentRef(index, route, ref)));
    const where = gateway === 'mesh' ? 'the mesh (no Service parent)' : `gateway ${gateway}`;
    return { summary: `${routeLabel(route)} is not attached to ${where}; its parents: ${names.join(', ') || 'none'}`, verdicts: [] };
  }
  const parent = parents.find((p) => !parentRefuses(p, host));
  if (!parent) return { summary: `The request lands nowhere: ${parentRefuses(parents[0], host)}`, verdicts: [] };
  const mesh = gateway === 'mesh';
  const ownRank = hostRank(route, host, mesh);
  const others = rivals(index, route, parent).flatMap((r) => {
    const rank = hostRank(r, host, mesh);
    return rank === undefined ? [] : candidatesOf(r, rank);
  });
  const own = ownRank === undefined ? [] : candidatesOf(route, ownRank);
  const rejected = new Map<number, string[]>();
  const accepted = [...own, ...others]
    .filter((c) => {
      const why = c.request.rejects(req);
      if (why && sameRoute(c.route, route)) rejected.set(c.rule, [...(rejected.get(c.rule) ?? []), why]);
      return !why;
    })
    .sort(precedence);
  const winner = accepted[0];
  if (ownRank === undefined) {
    const hostnames = route.info.gatewayApiRoute.hostnames.map((h) => h.value).join(', ');
    for (const rule of route.info.gatewayApiRoute.rules) rejected.set(rule.index, [`host ${host} is not among the hostnames`]);
    const elsewhere = winner ? `; ${routeLabel(winner.route)} ${ruleLabel(winner)} takes it` : ': the request lands nowhere (404)';
    return { summary: `Host ${host} matches none of the hostnames (${hostnames})${elsewhere}`, verdicts: verdictsOf(route, [], rejected, undefined) };
  }
  const verdicts = verdictsOf(route, accepted, rejected, winner);
  if (!winner) return { summary: 'No rule matches: the proxy answers 404', verdicts };
  if (!sameRoute(winner.route, route)) return { summary: `${routeLabel(winner.route)} ${ruleLabel(winner)} takes the request: it ranks above every match of this route`, verdicts };
  const label = ruleLabel(winner);
  return { route: winner.rule, summary: `${label[0].toUpperCase()}${label.slice(1)} takes the request`, verdicts };
}
