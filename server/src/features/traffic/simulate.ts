// "Where does this request land?": the HTTP route Istio picks for a request, as Envoy matches
// it. Routes are tried in order and the first whose match blocks accept the request wins (a
// route without `match` accepts everything). Within a block every condition must hold; blocks
// are alternatives. Regexes are RE2, matched against the whole value.
import { RE2JS } from 're2js';
import type { SimulatedRequest, SimulateResult } from '../../../../shared/protocol';
import { hostMatches } from '../../workspace/hosts';

export type { SimulatedRequest, SimulateResult as SimulationResult, RouteVerdict };
type RouteVerdict = SimulateResult['verdicts'][number];

type StringMatch = { exact?: unknown; prefix?: unknown; regex?: unknown };

export function regexMatches(pattern: string, value: string, ignoreCase = false): boolean {
  try {
    return RE2JS.compile(ignoreCase ? `(?i)${pattern}` : pattern).matches(value);
  } catch {
    return false;
  }
}

/** Does `value` satisfy the StringMatch? An empty matcher asks only for presence. */
export function stringMatches(matcher: unknown, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const m = (matcher ?? {}) as StringMatch;
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if (m.exact !== undefined) return fold(value) === fold(String(m.exact));
  if (m.prefix !== undefined) return fold(value).startsWith(fold(String(m.prefix)));
  if (m.regex !== undefined) return regexMatches(String(m.regex), value);
  return true;
}

/** The path without its query string, and the query's parameters (decoded). */
export function splitPath(path: string): { path: string; query: Map<string, string> } {
  const q = path.indexOf('?');
  const query = new Map<string, string>();
  if (q !== -1) {
    for (const pair of path.slice(q + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const decode = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      query.set(decode(eq === -1 ? pair : pair.slice(0, eq)), decode(eq === -1 ? '' : pair.slice(eq + 1)));
    }
  }
  return { path: q === -1 ? path : path.slice(0, q), query };
}

function gatewayListed(list: unknown, gateway: string): boolean {
  if (!Array.isArray(list)) return gateway === 'mesh';
  const name = (g: string) => g.slice(g.indexOf('/') + 1);
  return list.some((g) => typeof g === 'string' && (g === gateway || (g !== 'mesh' && gateway !== 'mesh' && name(g) === name(gateway) && (!g.includes('/') || !gateway.includes('/')))));
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A map from a half-typed document: anything but a map reads as empty, and a key with no value
 * yet (`uri:`) as absent, which is what Istio makes of an unset field.
 */
function fields(value: unknown): Record<string, unknown> {
  if (!isMap(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

/** Why one match block rejects the request, or undefined when it accepts it. */
function rejects(written: unknown, req: SimulatedRequest, vsGateways: unknown): string | undefined {
  const block = fields(written);
  const { path, query } = splitPath(req.path);
  const headers = new Map(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const ignoreCase = block.ignoreUriCase === true;
  if (block.uri !== undefined) {
    const uri = block.uri as StringMatch;
    // Envoy: exact and regex paths are matched without the query string, a prefix against all of it.
    const subject = uri.prefix !== undefined ? req.path : path;
    const ok = uri.regex !== undefined ? regexMatches(String(uri.regex), subject, ignoreCase) : stringMatches(uri, subject, ignoreCase);
    if (!ok) return `uri ${path} does not match`;
  }
  if (block.scheme !== undefined && !stringMatches(block.scheme, req.scheme ?? 'http')) return 'scheme does not match';
  if (block.method !== undefined && !stringMatches(block.method, (req.method ?? 'GET').toUpperCase())) return `method ${req.method ?? 'GET'} does not match`;
  if (block.authority !== undefined && !stringMatches(block.authority, req.authority)) return `authority ${req.authority} does not match`;
  for (const [name, matcher] of Object.entries((block.headers as Record<string, unknown>) ?? {})) {
    if (!stringMatches(matcher, headers.get(name.toLowerCase()))) return headers.has(name.toLowerCase()) ? `header ${name} does not match` : `header ${name} is missing`;
  }
  for (const [name, matcher] of Object.entries((block.withoutHeaders as Record<string, unknown>) ?? {})) {
    if (stringMatches(matcher, headers.get(name.toLowerCase()))) return `header ${name} is present`;
  }
  for (const [name, matcher] of Object.entries((block.queryParams as Record<string, unknown>) ?? {})) {
    const m = (matcher ?? {}) as StringMatch;
    const ok = m.exact === '' ? query.has(name) : stringMatches(matcher, query.get(name));
    if (!ok) return query.has(name) ? `query ${name} does not match` : `query ${name} is missing`;
  }
  if (block.port !== undefined && Number(block.port) !== req.port) return `port ${req.port ?? '(default)'} is not ${String(block.port)}`;
  for (const [k, v] of Object.entries((block.sourceLabels as Record<string, unknown>) ?? {})) {
    if (req.sourceLabels?.[k] !== String(v)) return `source is not labelled ${k}=${String(v)}`;
  }
  if (block.sourceNamespace !== undefined && req.sourceNamespace !== block.sourceNamespace) return `source namespace is not ${String(block.sourceNamespace)}`;
  const gateways = block.gateways ?? vsGateways;
  if (!gatewayListed(gateways, req.gateway ?? 'mesh')) return `gateway ${req.gateway ?? 'mesh'} is not among ${(Array.isArray(gateways) ? gateways : ['mesh']).join(', ')}`;
  return undefined;
}

/** How one route judges the request: an item being typed (`-` alone) is no route yet and takes nothing, as the preview shows none. */
function verdictOf(item: unknown, index: number, req: SimulatedRequest, vsGateways: unknown): RouteVerdict {
  if (!isMap(item)) return { index, matched: false, why: 'not a route yet' };
  const route = fields(item);
  const blocks: unknown[] = Array.isArray(route.match) ? route.match : [];
  if (blocks.length === 0) {
    const why = rejects({}, req, vsGateways);
    return { index, matched: !why, why: why ?? 'no match conditions: takes every request' };
  }
  const reasons = blocks.map((b) => rejects(b, req, vsGateways));
  const hit = reasons.findIndex((r) => r === undefined);
  if (hit === -1) return { index, matched: false, why: reasons.join('; ') };
  return { index, matched: true, why: blocks.length > 1 ? `match block ${hit + 1} holds` : 'every condition holds' };
}

/** Simulates an HTTP request against a VirtualService's spec (as plain data). */
export function simulate(spec: Record<string, unknown>, req: SimulatedRequest): SimulateResult {
  const hosts = Array.isArray(spec.hosts) ? spec.hosts.map(String) : [];
  const authority = req.authority.replace(/:\d+$/, '').toLowerCase();
  const routes: unknown[] = Array.isArray(spec.http) ? spec.http : [];
  if (!hosts.some((h) => h === '*' || hostMatches(h.toLowerCase(), authority) || authority.split('.')[0] === h.toLowerCase())) {
    return { summary: `${req.authority} is not among the hosts (${hosts.join(', ')}): this VirtualService does not see the request`, verdicts: [] };
  }
  const anyMatchGateways = routes.some((r) => {
    const match = fields(r).match;
    return Array.isArray(match) && match.some((m) => fields(m).gateways);
  });
  if (!anyMatchGateways && !gatewayListed(spec.gateways, req.gateway ?? 'mesh')) {
    return { summary: `The VirtualService is not bound to gateway ${req.gateway ?? 'mesh'}`, verdicts: [] };
  }
  const verdicts: RouteVerdict[] = [];
  for (const [index, item] of routes.entries()) {
    const verdict = verdictOf(item, index, req, spec.gateways);
    verdicts.push(verdict);
    const name = fields(item).name;
    if (verdict.matched) return { route: index, summary: `Route ${index + 1}${name ? ` (${String(name)})` : ''} takes the request`, verdicts };
  }
  return { summary: 'No route matches: the proxy answers 404', verdicts };
}
