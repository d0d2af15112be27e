// The Gateway API's precedence among HTTPRoute (and GRPCRoute) matches, as Istio applies it: it
// splits every rule into one route per match and sorts them (pilot/pkg/config/kube/gateway/
// conversion.go: sortHTTPRoutes): exact path, then prefix, then regex, a path with no match last;
// the longer path; a method match; more header matches; more query parameter matches. A GRPCRoute
// match is turned into a path match first (createGRPCURIMatch: service and method exact → exact
// `/service/method`, service alone → prefix `/service/`, the rest → regex). Ties keep the rules'
// order. The refactoring that converts a VirtualService and the request simulator both use it.

export type PathType = 'Exact' | 'PathPrefix' | 'RegularExpression';

export interface ValueMatch {
  name: string;
  type: 'Exact' | 'RegularExpression';
  value: string;
}

/** A match as the API server stores it (an HTTPRoute's path defaulted to PathPrefix `/`). */
export interface GatewayMatch {
  path: { type: PathType; value: string };
  method?: string;
  headers: ValueMatch[];
  queryParams: ValueMatch[];
}

/** A match as precedence reads it: a GRPCRoute match without a method has no path at all. */
export type PrecedenceMatch = Omit<GatewayMatch, 'path'> & { path?: GatewayMatch['path'] };

export const CATCH_ALL: GatewayMatch = { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [] };

const RANK = { Exact: 3, PathPrefix: 2, RegularExpression: 1 } as const;
const rank = (m: PrecedenceMatch) => (m.path ? RANK[m.path.type] : 0);

/** The length Istio compares: a PathPrefix's without its trailing `/` (createURIMatch trims it). */
function pathLength(m: PrecedenceMatch): number {
  const v = m.path?.value ?? '';
  return m.path?.type === 'PathPrefix' && v !== '/' && v.endsWith('/') ? v.length - 1 : v.length;
}

/** Istio's order of two split routes: negative when `a` goes first, 0 when neither is more specific. */
export function compareMatches(a: PrecedenceMatch, b: PrecedenceMatch): number {
  const byRank = rank(b) - rank(a);
  if (byRank !== 0) return byRank;
  const length = pathLength(b) - pathLength(a);
  if (length !== 0) return length;
  if (!a.method !== !b.method) return a.method ? -1 : 1;
  if (a.headers.length !== b.headers.length) return b.headers.length - a.headers.length;
  return b.queryParams.length - a.queryParams.length;
}

const PATH_WORDS: Record<PathType, string> = { Exact: 'exact path', PathPrefix: 'prefix', RegularExpression: 'regex path' };

function pathWords(m: PrecedenceMatch): string {
  return m.path ? `${PATH_WORDS[m.path.type]} ${m.path.value}` : 'no path match';
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 'es'}`;

/**
 * Why `loser` ranks after `winner` (compareMatches(winner, loser) < 0), in words: the first
 * criterion on which they differ; undefined when they tie.
 */
export function lessSpecificBecause(loser: PrecedenceMatch, winner: PrecedenceMatch): string | undefined {
  if (rank(loser) !== rank(winner)) return `${pathWords(loser)} ranks below ${pathWords(winner)}`;
  if (pathLength(loser) !== pathLength(winner)) return `${pathWords(loser)} is shorter than ${winner.path?.value ?? ''}`;
  if (!loser.method !== !winner.method) return `no method match, the winner matches ${winner.method}`;
  if (loser.headers.length !== winner.headers.length) return `${count(loser.headers.length, 'header match')}, the winner has ${winner.headers.length}`;
  if (loser.queryParams.length !== winner.queryParams.length) return `${count(loser.queryParams.length, 'query param match')}, the winner has ${winner.queryParams.length}`;
  return undefined;
}
