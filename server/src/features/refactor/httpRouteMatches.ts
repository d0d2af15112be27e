// A VirtualService route's `match` list as HTTPRoute `matches`. Istio's `prefix` matches any
// path that starts with it; the Gateway API's PathPrefix matches whole path segments (`/api`
// matches `/api` and `/api/x`, not `/apix`). So only `/` converts alone; `prefix: /api/` with
// `exact: /api` (the same other conditions) is exactly PathPrefix `/api`. Header and query
// prefixes become regular expressions, which Envoy matches against the whole value.
import type { YamlValue } from '../../edit/yamlEdit';
import { CATCH_ALL, type GatewayMatch, type ValueMatch } from '../../workspace/gatewayApiPrecedence';

type Obj = { [key: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export type { GatewayMatch, PathType, ValueMatch } from '../../workspace/gatewayApiPrecedence';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const PATH = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;
const MATCH_KEYS = new Set(['uri', 'headers', 'queryParams', 'method', 'name']);

/** Why an Exact or PathPrefix value would be rejected (the CRD's rules), or undefined. */
function badPath(value: string): string | undefined {
  if (!value.startsWith('/')) return 'does not start with /';
  if (!PATH.test(value) || /\/\/|\/\.\.?\/|%2f|#/i.test(value) || /\/\.\.?$/.test(value)) return 'is not a path the Gateway API accepts';
  return undefined;
}

/** RE2 text for a literal (the characters RE2 treats as special, escaped). */
export function re2Literal(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

export interface ConvertedMatches {
  /** The `matches` to write (none for a route without `match`). */
  written: YamlValue[];
  /** Every match with the API server's defaults (a route without `match` has the catch-all). */
  matches: GatewayMatch[];
  /** The kind of each uri match (`exact`, `prefix`, `regex`), for the rewrite. */
  uriKinds: string[];
  problems: string[];
}

export function convertMatches(list: unknown): ConvertedMatches {
  const out: ConvertedMatches = { written: [], matches: [], uriKinds: [], problems: [] };
  if (list === undefined || (Array.isArray(list) && list.length === 0)) return { ...out, matches: [CATCH_ALL] };
  if (!Array.isArray(list)) return { ...out, problems: ['match is not a list'] };
  const merged = mergedExacts(list);
  list.forEach((m, i) => {
    if (merged.has(i)) return;
    const converted = convertMatch(m, merged.partnerOf.has(i), out.problems);
    if (!converted) return;
    out.matches.push(converted.match);
    out.written.push(written(converted.match, isObj(m) && m.uri !== undefined));
    out.uriKinds.push(converted.uriKind);
  });
  return out;
}

/** `exact: /api` items that a `prefix: /api/` item with the same other conditions takes in (PathPrefix `/api` is both). */
function mergedExacts(list: unknown[]): Set<number> & { partnerOf: Set<number> } {
  const merged = Object.assign(new Set<number>(), { partnerOf: new Set<number>() });
  const rest = (m: Obj) =>
    JSON.stringify(
      Object.entries(m)
        .filter(([k]) => k !== 'uri' && k !== 'name')
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  list.forEach((m, i) => {
    const prefix = isObj(m) && isObj(m.uri) && Object.keys(m.uri).length === 1 ? m.uri.prefix : undefined;
    if (typeof prefix !== 'string' || prefix === '/' || !prefix.endsWith('/') || !isObj(m)) return;
    const exact = prefix.slice(0, -1);
    const j = list.findIndex((o, k) => k !== i && !merged.has(k) && isObj(o) && isObj(o.uri) && Object.keys(o.uri).length === 1 && o.uri.exact === exact && rest(o) === rest(m));
    if (j === -1) return;
    merged.add(j);
    merged.partnerOf.add(i);
  });
  return merged;
}

function convertMatch(m: unknown, mergedPrefix: boolean, problems: string[]): { match: GatewayMatch; uriKind: string } | undefined {
  if (!isObj(m)) return void problems.push('a match is not a map');
  const extra = Object.keys(m).filter((k) => !MATCH_KEYS.has(k));
  if (extra.length > 0) return void problems.push(`match ${extra.join(', ')}`);
  const path = pathMatch(m.uri, mergedPrefix, problems);
  const headers = valueMatches(m.headers, 'headers', problems);
  const queryParams = valueMatches(m.queryParams, 'queryParams', problems);
  const method = methodMatch(m.method, problems);
  if (!path || !headers || !queryParams || method === null) return undefined;
  const uriKind = isObj(m.uri) ? Object.keys(m.uri)[0] : 'none';
  return { match: { path, ...(method ? { method } : {}), headers, queryParams }, uriKind };
}

function pathMatch(uri: unknown, mergedPrefix: boolean, problems: string[]): GatewayMatch['path'] | undefined {
  if (uri === undefined) return CATCH_ALL.path;
  const [kind, value] = isObj(uri) && Object.keys(uri).length === 1 ? Object.entries(uri)[0] : [];
  if (typeof value !== 'string') return void problems.push('uri is not one exact, prefix or regex string');
  if (kind === 'regex') return { type: 'RegularExpression', value };
  const bad = kind === 'exact' || kind === 'prefix' ? badPath(value) : `is a ${kind} match`;
  if (bad) return void problems.push(`uri ${kind} '${value}' ${bad}`);
  if (kind === 'exact') return { type: 'Exact', value };
  if (value === '/') return { type: 'PathPrefix', value };
  if (mergedPrefix) return { type: 'PathPrefix', value: value.slice(0, -1) };
  const segment = value.endsWith('/') ? value.slice(0, -1) : value;
  return void problems.push(
    value.endsWith('/')
      ? `uri prefix '${value}' (PathPrefix '${segment}' would also match '${segment}'; a match of exact '${segment}' with the same conditions makes them one)`
      : `uri prefix '${value}' (PathPrefix matches whole path segments: '${value}x' would no longer match; match prefix '${value}/' and exact '${value}' if that is meant)`,
  );
}

function valueMatches(map: unknown, where: string, problems: string[]): ValueMatch[] | undefined {
  if (map === undefined) return [];
  if (!isObj(map)) return void problems.push(`${where} is not a map`);
  const out: ValueMatch[] = [];
  for (const [name, match] of Object.entries(map)) {
    const [kind, value] = isObj(match) && Object.keys(match).length === 1 ? Object.entries(match)[0] : [];
    if (!NAME.test(name) || typeof value !== 'string' || !['exact', 'prefix', 'regex'].includes(kind ?? ''))
      return void problems.push(`${where} '${name}' (only one exact, prefix or regex string of a plain name converts)`);
    if (kind === 'exact') out.push({ name, type: 'Exact', value });
    else out.push({ name, type: 'RegularExpression', value: kind === 'regex' ? value : `${re2Literal(value)}.*` });
  }
  return out;
}

/** The method, undefined when none is matched, null (after a problem) when it cannot convert. */
function methodMatch(method: unknown, problems: string[]): string | undefined | null {
  if (method === undefined) return undefined;
  const exact = isObj(method) && Object.keys(method).length === 1 ? method.exact : undefined;
  if (typeof exact === 'string' && METHODS.has(exact)) return exact;
  problems.push('method (only an exact standard method converts)');
  return null;
}

/** A match as written; without `uri` the path is left to its default (PathPrefix `/`), as the VirtualService leaves it. */
function written(m: GatewayMatch, withPath: boolean): YamlValue {
  const values = (list: ValueMatch[]): YamlValue[] => list.map((v): YamlValue => (v.type === 'Exact' ? { name: v.name, value: v.value } : { type: v.type, name: v.name, value: v.value }));
  return {
    ...(withPath ? { path: { type: m.path.type, value: m.path.value } } : {}),
    ...(m.headers.length > 0 ? { headers: values(m.headers) } : {}),
    ...(m.queryParams.length > 0 ? { queryParams: values(m.queryParams) } : {}),
    ...(m.method ? { method: m.method } : {}),
  };
}
