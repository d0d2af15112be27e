// IST0130 and IST0131: routes and matches a VirtualService never uses, as Istio's validation finds
// them (pkg/config/validation: analyzeUnreachableHTTPRules and its TCP/TLS twins, which istioctl
// analyze reports through its schema analyzer). Matches are compared by a canonical key, and the
// HTTP prefix overlaps are found with a trie per group of the other conditions: no pairwise scan.
import type { RouteInfo, RouteKind, Span } from '../workspace/extract';
import type { Check, CheckContext } from './context';

/** IST0130, IST0131 */
export const checkRouteOrder: Check = (ctx) => {
  const routes = ctx.entry.info.virtualService?.routes ?? [];
  for (const kind of ['http', 'tcp', 'tls'] as const)
    checkRoutesOfKind(
      ctx,
      kind,
      routes.filter((r) => r.routeKind === kind),
    );
};

function checkRoutesOfKind(ctx: CheckContext, kind: RouteKind, routes: RouteInfo[]): void {
  const labels = routes.map((route) => routeLabel(ctx, kind, route));
  const overlaps = kind === 'http' ? new PrefixOverlaps(ctx) : undefined;
  const firstWith = new Map<string, { route: number; match: number }>();
  let catchAll = -1;
  routes.forEach((route, i) => {
    const self = labels[i];
    if (route.matches.length === 0) {
      if (catchAll !== -1) report130(ctx, route, `${self} is never used: ${labels[catchAll]} has no match either and takes every request first; only the last route may have none.`);
      catchAll = i;
      return;
    }
    if (catchAll !== -1) return report130(ctx, route, `${self} is never used: ${labels[catchAll]} before it has no match and takes every request.`);
    const repeated = new Set<number>();
    let duplicates = 0;
    route.matches.forEach((match, k) => {
      const key = canonicalKey(routingValue(match.value));
      const earlier = firstWith.get(key);
      if (earlier === undefined) {
        firstWith.set(key, { route: i, match: k });
        overlaps?.add(match.value, { route: i, match: k, span: match.span, label: labels[i] });
        return;
      }
      repeated.add(earlier.route);
      duplicates++;
      const message =
        earlier.route === i ? `Match ${earlier.match + 1} of this route is the same, so this one never matches.` : `${labels[earlier.route]} has the same match, so this one never matches.`;
      ctx.report('ineffectiveMatch', match.span, message, { type: 'duplicate', what: 'match' });
    });
    // As Istio: unused when every match repeats an earlier one (one repeated within the route counts).
    if (duplicates === route.matches.length) report130(ctx, route, `${self} is never used: each of its matches repeats one of ${[...repeated].map((r) => labels[r]).join(', ')}.`);
  });
}

function report130(ctx: CheckContext, route: RouteInfo, message: string): void {
  ctx.report('unreachableRule', { start: route.span.start, end: route.span.start + 1 }, message);
}

/** `HTTP route 2`, or `HTTP route 'name'` when it is named (as istioctl names it; TCP and TLS routes have no names). */
function routeLabel(ctx: CheckContext, kind: RouteKind, route: RouteInfo): string {
  const name = kind === 'http' ? ctx.entry.resource.doc.getIn(['spec', kind, route.index, 'name']) : undefined;
  return `${kind.toUpperCase()} route ${typeof name === 'string' && name !== '' ? `'${name}'` : route.index + 1}`;
}

/** A value as text that is equal for deeply equal values (object keys sorted). */
export function canonicalKey(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v)) ??
    'undefined'
  );
}

/** Fields of a match whose value is a map (keys are data): their entries are kept even when empty. */
const MAP_FIELDS = new Set(['headers', 'withoutHeaders', 'queryParams', 'sourceLabels']);

/**
 * A match as Istio compares it (asJSON): without its `name`, and without the fields that hold
 * their zero value (`false`, `0`, `""`, empty lists and maps), which the proto's JSON omits.
 */
function routingValue(match: unknown): unknown {
  if (!isObject(match)) return match;
  const rest = { ...match };
  delete rest.name;
  return withoutZeroes(rest, false);
}

function withoutZeroes(value: unknown, entries: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutZeroes(v, false));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const kept = withoutZeroes(v, MAP_FIELDS.has(key));
    if (entries || !isZero(kept)) out[key] = kept;
  }
  return out;
}

function isZero(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

interface MatchPlace {
  route: number;
  match: number;
  span: Span;
  label: string;
}

/** What Istio compares of an HTTP match with a URI prefix (OverlappingMatchValidationForHTTPRoute). */
interface PrefixMatch extends MatchPlace {
  prefix: string;
  port: number;
  method: string;
  authority: string;
  /** headers, queryParams, withoutHeaders: `exact:v`, `prefix:v`, or '' (a regex, or no value). */
  conditions: Map<string, string>[];
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Matches whose prefix ends here, in route order. */
  here: PrefixMatch[];
}

/**
 * IST0131 for an HTTP match whose URI prefix extends the prefix of an earlier match, with the
 * same port and the same header, query and withoutHeaders names, as Istio's coveredValidation
 * compares them: a method, authority or condition value is taken as covered when it is equal to
 * the earlier one or a prefix of it (so an absent authority is covered by any; a missing method is
 * GET). Only `prefix` URIs take part; duplicates were reported already.
 */
class PrefixOverlaps {
  private readonly tries = new Map<string, TrieNode>();

  constructor(private readonly ctx: CheckContext) {}

  add(value: unknown, place: MatchPlace): void {
    const match = prefixMatch(value, place);
    if (!match) return;
    const group = canonicalKey([match.port, ...match.conditions.map((c) => [...c.keys()].sort())]);
    let node = this.tries.get(group);
    if (!node) this.tries.set(group, (node = { children: new Map(), here: [] }));
    let covering: PrefixMatch | undefined;
    // Walk the prefix; the matches ending at a proper prefix of it are the candidates.
    for (const char of match.prefix) {
      covering ??= node.here.find((earlier) => covers(earlier, match));
      let next = node.children.get(char);
      if (!next) node.children.set(char, (next = { children: new Map(), here: [] }));
      node = next;
    }
    node.here.push(match);
    if (!covering) return;
    const where = covering.route === match.route ? `Match ${covering.match + 1} of this route` : `Match ${covering.match + 1} of ${covering.label}`;
    this.ctx.report(
      'ineffectiveMatch',
      match.span,
      `${where} comes first with prefix '${covering.prefix}', which covers this prefix '${match.prefix}', and the same other conditions (as Istio compares port, method, authority, headers and query parameters), so this match is never used.`,
    );
  }
}

function prefixMatch(value: unknown, place: MatchPlace): PrefixMatch | undefined {
  if (!isObject(value) || !isObject(value.uri)) return undefined;
  const prefix = value.uri.prefix;
  if (typeof prefix !== 'string' || prefix === '') return undefined;
  const conditions = ['headers', 'queryParams', 'withoutHeaders'].map((field) => {
    const map = new Map<string, string>();
    if (isObject(value[field])) for (const [key, v] of Object.entries(value[field])) map.set(key, exactOrPrefix(v));
    return map;
  });
  return { ...place, prefix, port: typeof value.port === 'number' ? value.port : 0, method: exactOrPrefix(value.method) || 'exact:GET', authority: exactOrPrefix(value.authority), conditions };
}

/** Istio's assignExactOrPrefix: `exact:v`, else `prefix:v`, else '' (regex, or nothing). */
function exactOrPrefix(match: unknown): string {
  if (!isObject(match)) return '';
  if (typeof match.exact === 'string' && match.exact !== '') return `exact:${match.exact}`;
  if (typeof match.prefix === 'string' && match.prefix !== '') return `prefix:${match.prefix}`;
  return '';
}

/** Istio's coveredValidation for two matches of one group (same port and condition names), `a` first. */
function covers(a: PrefixMatch, b: PrefixMatch): boolean {
  const covered = (x: string, y: string | undefined) => y !== undefined && x.startsWith(y);
  if (!covered(a.method, b.method) || !covered(a.authority, b.authority)) return false;
  return a.conditions.every((map, i) => [...map].every(([key, v]) => covered(v, b.conditions[i].get(key))));
}
