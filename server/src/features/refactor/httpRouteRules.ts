// One VirtualService HTTP route as an HTTPRoute rule, for "Convert to HTTPRoute": match
// conditions, header changes, mirrors, redirect, rewrite and timeout where the Gateway API has a
// form Istio implements the same way (pilot/pkg/config/kube/gateway/conversion.go is how Istio
// turns the rule back into routing). What has no such form is a problem, never written.
import type { YamlValue } from '../../edit/yamlEdit';
import { convertMatches, type GatewayMatch } from './httpRouteMatches';

type Obj = { [key: string]: unknown };
export type YamlObject = { [key: string]: YamlValue };

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Records a problem; nothing converts from it. */
function none(problems: string[], problem: string): never[] {
  problems.push(problem);
  return [];
}

/** A VirtualService destination (`host`, `subset`, `port.number`) as a backendRef, or why not. */
export type BackendFor = (destination: unknown, role: 'backend' | 'mirror') => YamlObject | string;

export interface ConvertedRule {
  rule: YamlObject;
  /** The rule's matches as Istio orders them (API-server defaults applied). */
  matches: GatewayMatch[];
}

const ROUTE_KEYS = new Set(['name', 'match', 'route', 'redirect', 'rewrite', 'timeout', 'mirror', 'mirrorPercentage', 'mirrors', 'headers']);

/** Why each key of the route has no equivalent (fault, corsPolicy, retries, delegate...). */
const NO_EQUIVALENT: Record<string, string> = {
  fault: 'fault injection (fault)',
  corsPolicy: "corsPolicy (HTTPRoute's CORS filter answers unmatched preflight requests differently)",
  retries: "retries (HTTPRoute's retry is only in the Gateway API's experimental channel; the standard CRDs drop it silently)",
  delegate: 'delegate',
  directResponse: 'directResponse',
  mirrorPercent: 'mirrorPercent (deprecated; use mirrorPercentage)',
  mirror_percent: 'mirror_percent (deprecated; use mirrorPercentage)',
};

/** The rule for one HTTP route, or the problems that keep it from converting. */
export function convertHttpRoute(route: unknown, backendFor: BackendFor): ConvertedRule | { problems: string[] } {
  if (!isObj(route)) return { problems: ['it is not a map'] };
  const problems = Object.keys(route)
    .filter((k) => !ROUTE_KEYS.has(k))
    .map((k) => NO_EQUIVALENT[k] ?? `${k} has no HTTPRoute equivalent`);
  const matched = convertMatches(route.match);
  problems.push(...matched.problems);
  const filters = [...headerFilters(route.headers, problems), ...mirrorFilters(route, backendFor, problems), ...pathFilters(route, matched.uriKinds, problems)];
  const backendRefs = backends(route.route, backendFor, problems);
  if (route.redirect !== undefined && backendRefs.length > 0) problems.push('a redirect with route destinations');
  if (route.redirect === undefined && backendRefs.length === 0 && problems.length === 0) problems.push('no destination');
  const timeouts = route.timeout === undefined ? undefined : requestTimeout(route.timeout, problems);
  if (problems.length > 0) return { problems };
  const rule: YamlObject = {
    ...(typeof route.name === 'string' && route.name !== '' ? { name: route.name } : {}),
    ...(matched.written.length > 0 ? { matches: matched.written } : {}),
    ...(filters.length > 0 ? { filters } : {}),
    ...(backendRefs.length > 0 ? { backendRefs } : {}),
    ...(timeouts ? { timeouts } : {}),
  };
  return { rule, matches: matched.matches };
}

function backends(list: unknown, backendFor: BackendFor, problems: string[]): YamlValue[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return none(problems, 'route is not a list');
  const refs = list.flatMap((item): YamlObject[] => {
    if (!isObj(item)) return none(problems, 'a route destination is not a map');
    const extra = Object.keys(item).filter((k) => k !== 'destination' && k !== 'weight');
    if (extra.length > 0) problems.push(`route destination ${extra.join(', ')} (per-destination ${extra.includes('headers') ? 'header changes' : 'settings'})`);
    const ref = backendFor(item.destination, 'backend');
    if (typeof ref === 'string') return none(problems, ref);
    if (list.length < 2) return [ref];
    // Several destinations: Istio's weights are relative and default to 0; the Gateway API's default to 1.
    const weight = item.weight ?? 0;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0) return none(problems, `weight ${String(weight)} is not a whole number`);
    return [{ ...ref, weight }];
  });
  if (refs.length > 1 && refs.every((r) => r.weight === 0)) problems.push('every destination has weight 0');
  return refs;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

function headerFilters(headers: unknown, problems: string[]): YamlValue[] {
  if (headers === undefined) return [];
  if (!isObj(headers)) return none(problems, 'headers is not a map');
  const out: YamlValue[] = [];
  for (const [side, type, key] of [
    ['request', 'RequestHeaderModifier', 'requestHeaderModifier'],
    ['response', 'ResponseHeaderModifier', 'responseHeaderModifier'],
  ] as const) {
    const ops = headers[side];
    if (ops === undefined) continue;
    const modifier = headerModifier(ops, `headers.${side}`, problems);
    if (modifier && Object.keys(modifier).length > 0) out.push({ type, [key]: modifier });
  }
  for (const k of Object.keys(headers)) if (k !== 'request' && k !== 'response') problems.push(`headers.${k}`);
  return out;
}

function headerModifier(ops: unknown, where: string, problems: string[]): YamlObject | undefined {
  if (!isObj(ops)) return void problems.push(`${where} is not a map`);
  const out: YamlObject = {};
  for (const op of ['set', 'add'] as const) {
    const values = ops[op];
    if (values === undefined) continue;
    if (!isObj(values)) return void problems.push(`${where}.${op} is not a map`);
    const entries = Object.entries(values);
    const bad = entries.find(([name, value]) => !HEADER_NAME.test(name) || typeof value !== 'string');
    if (bad) return void problems.push(`${where}.${op} '${bad[0]}' (not a header name with a string value)`);
    if (entries.length > 0) out[op] = entries.map(([name, value]) => ({ name, value: value as string }));
  }
  const remove = ops.remove;
  if (remove !== undefined) {
    if (!Array.isArray(remove) || !remove.every((r) => typeof r === 'string' && HEADER_NAME.test(r))) return void problems.push(`${where}.remove is not a list of header names`);
    if (remove.length > 0) out.remove = remove as string[];
  }
  for (const k of Object.keys(ops)) if (!['set', 'add', 'remove'].includes(k)) problems.push(`${where}.${k}`);
  return out;
}

function mirrorFilters(route: Obj, backendFor: BackendFor, problems: string[]): YamlValue[] {
  const mirrors: { destination: unknown; percentage: unknown }[] = [];
  if (route.mirror !== undefined) mirrors.push({ destination: route.mirror, percentage: route.mirrorPercentage });
  else if (route.mirrorPercentage !== undefined) problems.push('mirrorPercentage without mirror');
  if (route.mirrors !== undefined) {
    if (!Array.isArray(route.mirrors)) problems.push('mirrors is not a list');
    else for (const m of route.mirrors) mirrors.push(isObj(m) ? { destination: m.destination, percentage: m.percentage } : { destination: undefined, percentage: undefined });
  }
  return mirrors.flatMap((m): YamlValue[] => {
    const backendRef = backendFor(m.destination, 'mirror');
    if (typeof backendRef === 'string') return none(problems, `mirror: ${backendRef}`);
    const share = mirrorShare(m.percentage, problems);
    return share === undefined ? [] : [{ type: 'RequestMirror', requestMirror: { backendRef, ...share } }];
  });
}

/** `percentage.value` (a double, 0-100) as the filter's `percent`, or an exact `fraction` for a value with decimals. */
function mirrorShare(percentage: unknown, problems: string[]): YamlObject | undefined {
  if (percentage === undefined) return {};
  const value = isObj(percentage) ? percentage.value : undefined;
  if (typeof value !== 'number' || value < 0 || value > 100) return void problems.push('mirror percentage is not a number from 0 to 100');
  if (Number.isInteger(value)) return { percent: value };
  for (let digits = 1; digits <= 6; digits++) {
    const scale = 10 ** digits;
    const numerator = Math.round(value * scale);
    if (Math.abs(numerator / scale - value) < 1e-9) return { fraction: { numerator, denominator: 100 * scale } };
  }
  return void problems.push(`mirror percentage ${value} has too many decimals for a fraction`);
}

/** Redirect and rewrite filters; `uriKinds` are the route's uri match kinds (a rewrite of the path depends on them). */
function pathFilters(route: Obj, uriKinds: string[], problems: string[]): YamlValue[] {
  const out: YamlValue[] = [];
  if (route.redirect !== undefined) {
    const redirect = requestRedirect(route.redirect, problems);
    if (redirect) out.push({ type: 'RequestRedirect', requestRedirect: redirect });
  }
  if (route.rewrite !== undefined) {
    if (route.redirect !== undefined) problems.push('rewrite together with redirect');
    const rewrite = urlRewrite(route.rewrite, uriKinds, problems);
    if (rewrite && Object.keys(rewrite).length > 0) out.push({ type: 'URLRewrite', urlRewrite: rewrite });
  }
  return out;
}

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/**
 * Istio's redirect without `port` keeps the protocol's default port; HTTPRoute's without `port`
 * keeps the request's port unless it sets `scheme` (conversion.go: createRedirectFilter).
 */
function requestRedirect(redirect: unknown, problems: string[]): YamlObject | undefined {
  if (!isObj(redirect)) return void problems.push('redirect is not a map');
  const extra = Object.keys(redirect).filter((k) => !['uri', 'authority', 'port', 'derivePort', 'scheme', 'redirectCode'].includes(k));
  if (extra.length > 0) return void problems.push(`redirect ${extra.join(', ')}`);
  const code = redirect.redirectCode ?? 301;
  if (typeof code !== 'number' || !REDIRECT_CODES.has(code)) return void problems.push(`redirect code ${String(code)}`);
  const { derivePort } = redirect;
  const [uri, authority, scheme, port] = [redirect.uri, redirect.authority, redirect.scheme, redirect.port] as [string?, string?, string?, number?];
  if ([uri, authority, scheme].some((v) => v !== undefined && typeof v !== 'string') || (port !== undefined && typeof port !== 'number'))
    return void problems.push('redirect values that are not strings');
  const fromRequest = derivePort === 'FROM_REQUEST_PORT';
  if (port === undefined && !fromRequest && scheme === undefined) return void problems.push("redirect without port or scheme (Istio keeps the protocol's default port, an HTTPRoute the request's)");
  if (fromRequest && scheme !== undefined) return void problems.push('redirect with derivePort FROM_REQUEST_PORT and a scheme');
  return {
    ...(scheme !== undefined ? { scheme } : {}),
    ...(authority !== undefined ? { hostname: authority } : {}),
    ...(uri !== undefined ? { path: { type: 'ReplaceFullPath', replaceFullPath: uri } } : {}),
    ...(port !== undefined ? { port } : {}),
    statusCode: code,
  };
}

/** `rewrite.uri` replaces the whole path only after exact and regex matches; after a prefix Istio replaces the prefix, which ReplacePrefixMatch does per path segment. */
function urlRewrite(rewrite: unknown, uriKinds: string[], problems: string[]): YamlObject | undefined {
  if (!isObj(rewrite)) return void problems.push('rewrite is not a map');
  const extra = Object.keys(rewrite).filter((k) => k !== 'uri' && k !== 'authority');
  if (extra.length > 0) return void problems.push(`rewrite ${extra.join(', ')}`);
  const uri = rewrite.uri as string | undefined;
  const authority = rewrite.authority as string | undefined;
  if ((uri !== undefined && typeof uri !== 'string') || (authority !== undefined && typeof authority !== 'string')) return void problems.push('rewrite values that are not strings');
  if (uri !== undefined && (uriKinds.length === 0 || uriKinds.some((k) => k !== 'exact' && k !== 'regex')))
    return void problems.push('rewrite.uri after a prefix match, or no uri match (Istio replaces the matched prefix; ReplacePrefixMatch replaces whole path segments)');
  return {
    ...(authority !== undefined ? { hostname: authority } : {}),
    ...(uri !== undefined ? { path: { type: 'ReplaceFullPath', replaceFullPath: uri } } : {}),
  };
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** A duration (`1.5s`, `300ms`, `1m30s`) as the Gateway API writes one (`1s500ms`: whole units, at most 5 digits each). */
export function gatewayDuration(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(value)) return undefined;
  let ms = 0;
  for (const [, n, , unit] of value.matchAll(/(\d+(\.\d+)?)(h|ms|m|s)/g)) ms += Number(n) * UNIT_MS[unit];
  if (!Number.isFinite(ms) || Math.abs(ms - Math.round(ms)) > 1e-6) return undefined;
  ms = Math.round(ms);
  if (ms === 0) return '0s';
  const parts: string[] = [];
  for (const unit of ['h', 'm', 's', 'ms']) {
    const count = Math.floor(ms / UNIT_MS[unit]);
    ms -= count * UNIT_MS[unit];
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return parts.every((p) => /^\d{1,5}\D/.test(p)) ? parts.join('') : undefined;
}

function requestTimeout(timeout: unknown, problems: string[]): YamlObject | undefined {
  const request = gatewayDuration(timeout);
  if (request === undefined) return void problems.push(`timeout ${String(timeout)} (not a duration in whole milliseconds)`);
  return { request };
}
