// Does an HTTPRoute pick the same rule as the VirtualService it came from, for every request?
// A VirtualService takes its first matching route; Istio routes an HTTPRoute by splitting each
// rule into one route per match and sorting them by the Gateway API's precedence
// (workspace/gatewayApiPrecedence.ts), keeping the order otherwise. Both agree exactly
// when no two matches of different rules that one request can satisfy are put in opposite
// orders. Overlap is decided conservatively: only provably disjoint matches may swap.
import { compareMatches, type GatewayMatch, type ValueMatch } from '../../workspace/gatewayApiPrecedence';

interface Entry {
  rule: number;
  match: GatewayMatch;
}

/** A regular expression JavaScript reads as RE2 would (whole-value match), or undefined when it may differ. */
function wholeMatch(regex: string): RegExp | undefined {
  if (/\(\?|\\[pPQEzAC]|\[\[:/.test(regex)) return undefined;
  try {
    return new RegExp(`^(?:${regex})$`, 'u');
  } catch {
    return undefined;
  }
}

function pathsOverlap(a: GatewayMatch['path'], b: GatewayMatch['path']): boolean {
  const under = (path: string, prefix: string) => prefix === '/' || path === prefix.replace(/\/$/, '') || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
  if (a.type === 'Exact' && b.type === 'Exact') return a.value === b.value;
  if (a.type === 'Exact' && b.type === 'PathPrefix') return under(a.value, b.value);
  if (a.type === 'PathPrefix' && b.type === 'Exact') return under(b.value, a.value);
  if (a.type === 'PathPrefix' && b.type === 'PathPrefix') return under(a.value, b.value) || under(b.value, a.value);
  const [regex, other] = a.type === 'RegularExpression' ? [a, b] : [b, a];
  const re = other.type === 'Exact' ? wholeMatch(regex.value) : undefined;
  return re ? re.test(other.value) : true;
}

/** Can one value satisfy both conditions on the same header (or query parameter)? */
function valuesOverlap(a: ValueMatch, b: ValueMatch): boolean {
  if (a.type === 'Exact' && b.type === 'Exact') return a.value === b.value;
  if (a.type === 'RegularExpression' && b.type === 'RegularExpression') return true;
  const [regex, exact] = a.type === 'RegularExpression' ? [a, b] : [b, a];
  const re = wholeMatch(regex.value);
  return re ? re.test(exact.value) : true;
}

function listsOverlap(a: ValueMatch[], b: ValueMatch[], caseless: boolean): boolean {
  const key = (name: string) => (caseless ? name.toLowerCase() : name);
  return a.every((x) => b.every((y) => key(x.name) !== key(y.name) || valuesOverlap(x, y)));
}

/** Can one request satisfy both matches? */
export function matchesOverlap(a: GatewayMatch, b: GatewayMatch): boolean {
  if (a.method && b.method && a.method !== b.method) return false;
  return pathsOverlap(a.path, b.path) && listsOverlap(a.headers, b.headers, true) && listsOverlap(a.queryParams, b.queryParams, false);
}

/** A request some route would win that another wins after the conversion, said in words; undefined when they always agree. */
export function precedenceConflict(rules: GatewayMatch[][]): string | undefined {
  const entries: Entry[] = rules.flatMap((matches, rule) => matches.map((match) => ({ rule, match })));
  // Stable: ties keep the rules' order, as Istio's sort.SliceStable does.
  const sorted = entries.map((e, i) => ({ e, i })).sort((x, y) => compareMatches(x.e.match, y.e.match) || x.i - y.i);
  const position = new Map(sorted.map(({ e }, at) => [e, at]));
  for (const a of entries) {
    for (const b of entries) {
      if (a.rule >= b.rule || position.get(a)! < position.get(b)! || !matchesOverlap(a.match, b.match)) continue;
      return `HTTP route ${b.rule + 1} (${describe(b.match)}) would take requests that HTTP route ${a.rule + 1} (${describe(a.match)}) takes first: the Gateway API ranks the more specific match first, a VirtualService the earlier route`;
    }
  }
  return undefined;
}

function describe(m: GatewayMatch): string {
  const path = m.path.type === 'PathPrefix' && m.path.value === '/' ? 'any path' : `${m.path.type} ${m.path.value}`;
  const parts = [path, ...(m.method ? [m.method] : []), ...m.headers.map((h) => `header ${h.name}`), ...m.queryParams.map((q) => `query ${q.name}`)];
  return parts.join(', ');
}
