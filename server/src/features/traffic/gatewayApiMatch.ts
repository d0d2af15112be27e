// One HTTPRoute or GRPCRoute match against a simulated request: the match as precedence reads it
// (defaults applied: a path is PathPrefix `/`, a header or query match Exact, a gRPC method match
// Exact) and why it rejects the request. PathPrefix matches whole path segments (`/api` takes
// `/api` and `/api/v1`, not `/apis`); header names ignore case, query parameter names do not;
// regular expressions are RE2, matched against the whole value.
import type { SimulatedRequest } from '../../../../shared/protocol';
import { CATCH_ALL, type GatewayMatch, type PathType, type PrecedenceMatch, type ValueMatch } from '../../workspace/gatewayApiPrecedence';
import { regexMatches, splitPath } from './simulate';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** A match that can say why it rejects a request (undefined: it accepts it). */
export interface RequestMatch {
  precedence: PrecedenceMatch;
  rejects(req: SimulatedRequest): string | undefined;
}

function valueMatches(items: unknown): ValueMatch[] {
  return list(items).flatMap((item) => {
    const m = obj(item);
    const name = str(m.name);
    if (name === undefined) return [];
    return [{ name, type: m.type === 'RegularExpression' ? 'RegularExpression' : 'Exact', value: str(m.value) ?? '' } satisfies ValueMatch];
  });
}

function valueHolds(m: ValueMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  return m.type === 'Exact' ? value === m.value : regexMatches(m.value, value);
}

function headersReject(matches: ValueMatch[], req: SimulatedRequest): string | undefined {
  const headers = new Map(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const m of matches) {
    const value = headers.get(m.name.toLowerCase());
    if (!valueHolds(m, value)) return value === undefined ? `header ${m.name} is missing` : `header ${m.name}: ${value} does not match ${m.type === 'Exact' ? m.value : `regex ${m.value}`}`;
  }
  return undefined;
}

function pathRejects(path: GatewayMatch['path'], value: string): string | undefined {
  if (path.type === 'Exact') return value === path.value ? undefined : `path ${value} is not ${path.value}`;
  if (path.type === 'RegularExpression') return regexMatches(path.value, value) ? undefined : `path ${value} does not match regex ${path.value}`;
  const prefix = path.value.replace(/\/+$/, '');
  return prefix === '' || value === prefix || value.startsWith(`${prefix}/`) ? undefined : `path ${value} is not under prefix ${path.value}`;
}

const PATH_TYPES: ReadonlySet<string> = new Set<PathType>(['Exact', 'PathPrefix', 'RegularExpression']);

export function httpRouteMatch(value: unknown): RequestMatch {
  const m = obj(value);
  const written = obj(m.path);
  const type = str(written.type) ?? 'PathPrefix';
  const path = { type: (PATH_TYPES.has(type) ? type : 'PathPrefix') as PathType, value: str(written.value) ?? '/' };
  const method = str(m.method);
  const precedence: GatewayMatch = { path, ...(method ? { method } : {}), headers: valueMatches(m.headers), queryParams: valueMatches(m.queryParams) };
  return {
    precedence,
    rejects(req) {
      const { path: requestPath, query } = splitPath(req.path);
      const requestMethod = (req.method ?? 'GET').toUpperCase();
      const bad = pathRejects(path, requestPath);
      if (bad) return bad;
      if (method && method !== requestMethod) return `method ${requestMethod} does not match ${method}`;
      const header = headersReject(precedence.headers, req);
      if (header) return header;
      for (const q of precedence.queryParams) if (!valueHolds(q, query.get(q.name))) return query.has(q.name) ? `query ${q.name} does not match` : `query ${q.name} is missing`;
      return undefined;
    },
  };
}

/** A rule without matches takes every request: an HTTPRoute's is PathPrefix `/` (the API server's default). */
export const HTTP_CATCH_ALL = (): RequestMatch => httpRouteMatch({ path: CATCH_ALL.path });

/** The path match Istio makes of a gRPC method match (createGRPCURIMatch); none without a method match. */
function grpcPath(method: Obj): GatewayMatch['path'] | undefined {
  const service = str(method.service);
  const name = str(method.method);
  if (service === undefined && name === undefined) return undefined;
  if (method.type === 'RegularExpression') return { type: 'RegularExpression', value: name === undefined ? `/${service}/.+` : `/${service ?? '[^/]+'}/${name}` };
  if (name === undefined) return { type: 'PathPrefix', value: `/${service}/` };
  return service === undefined ? { type: 'RegularExpression', value: `/[^/]+/${name}` } : { type: 'Exact', value: `/${service}/${name}` };
}

function grpcMethodWords(method: Obj): string {
  const service = str(method.service);
  const name = str(method.method);
  const regex = method.type === 'RegularExpression' ? 'regex ' : '';
  if (service !== undefined && name !== undefined) return `${regex}${service}/${name}`;
  return service !== undefined ? `${regex}service ${service}` : `${regex}method ${name}`;
}

export function grpcRouteMatch(value: unknown): RequestMatch {
  const m = obj(value);
  const method = obj(m.method);
  const path = grpcPath(method);
  const precedence: PrecedenceMatch = { ...(path ? { path } : {}), headers: valueMatches(m.headers), queryParams: [] };
  return {
    precedence,
    rejects(req) {
      const requestPath = splitPath(req.path).path;
      const holds = !path || (path.type === 'Exact' ? requestPath === path.value : path.type === 'PathPrefix' ? requestPath.startsWith(path.value) : regexMatches(path.value, requestPath));
      if (!holds) return `gRPC method ${requestPath.replace(/^\//, '')} does not match ${grpcMethodWords(method)}`;
      return headersReject(precedence.headers, req);
    },
  };
}

/** A GRPCRoute rule without matches takes every request. */
export const GRPC_CATCH_ALL = (): RequestMatch => grpcRouteMatch({});
