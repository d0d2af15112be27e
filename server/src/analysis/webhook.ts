// Rules of Istio's validating webhook (pkg/config/validation) that the CRD schemas do not
// carry: weights, RE2 regexes, wildcard placement, port ranges, Gateway references,
// AuthorizationPolicy condition keys. Reported as IST0106, like schema errors, since the API
// server rejects the resource.
import { RE2JS } from 're2js';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Check, CheckContext } from './context';
import type { Span, TextRef } from '../workspace/extract';
import { checkGatewayBinding } from './webhookHttpRoute';
import { namespaceSlashHostProblem, virtualServiceHostProblem } from './webhookHosts';
import { field, fqdnProblem, isDns1123Label, isSet, listOf, partialWildcardProblem, reporter, specOf, str, wildcardDomainProblem, type Reporter } from './webhookKit';

/** Called for every node; `path` is one array mutated during the walk: copy it to keep it. */
export type Visitor = (path: (string | number)[], value: Node) => void;

export function walk(node: unknown, path: (string | number)[], visit: Visitor): void {
  if (!node || typeof node !== 'object') return;
  visit(path, node as Node);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      path.push(String(pair.key.value));
      walk(pair.value, path, visit);
      path.pop();
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      path.push(i);
      walk(node.items[i], path, visit);
      path.pop();
    }
  }
}

export function spanOf(node: Node): Span {
  return node.range ? { start: node.range[0], end: node.range[1] } : { start: 0, end: 1 };
}

export function scalarString(node: Node): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export const checkWeights: Check = (ctx) => {
  for (const route of ctx.entry.info.virtualService?.routes ?? []) {
    const weights = route.destinations.map((d) => d.weight ?? 0);
    for (const d of route.destinations) {
      if (d.weight !== undefined && d.weight < 0 && d.weightRef) ctx.report('schema', d.weightRef, `Weight ${d.weight} is negative; weights must be 0 or more.`);
    }
    if (route.destinations.length > 1 && weights.every((w) => w === 0) && !route.destinations.some((d) => d.weightUnreadable) && route.routeKey) {
      ctx.report(
        'schema',
        route.routeKey,
        `The weights of this route's ${route.destinations.length} destinations add up to 0; Istio rejects it. Give at least one a weight (they need not sum to 100).`,
        {
          type: 'weights',
          routeKind: route.routeKind,
          routeIndex: route.index,
        },
      );
    }
  }
};

const REGEX_PARENTS = new Set(['uri', 'scheme', 'method', 'authority', 'allowOrigins', 'headers', 'queryParams', 'withoutHeaders', 'sourceLabels']);

export const checkRegexes: Check = (ctx) => {
  if (ctx.entry.info.kind !== 'VirtualService') return;
  walk(ctx.entry.resource.doc.contents, [], (path, value) => {
    if (path[path.length - 1] !== 'regex') return;
    const regex = scalarString(value);
    if (regex === undefined || !path.some((p) => typeof p === 'string' && REGEX_PARENTS.has(p))) return;
    // `withoutHeaders: {name: {regex: "*"}}` is the webhook's own spelling of "header absent".
    if (regex === '*' && path.includes('withoutHeaders')) return;
    try {
      RE2JS.compile(regex);
    } catch (e) {
      ctx.report('schema', spanOf(value), `Not a valid RE2 regex (Envoy's dialect): ${(e as Error).message}.`);
    }
  });
};

/** Host syntax as the webhook checks it, which depends on the kind and, for a VirtualService, on where it is bound. */
export const checkHostSyntax: Check = (ctx) => {
  if (ctx.entry.info.apiVersion?.split('/')[0] !== 'networking.istio.io') return;
  const spec = specOf(ctx);
  if (!isMap(spec)) return;
  const r = reporter(ctx);
  const report = (node: Node, problem: string | undefined) => problem && r.error(node, problem);
  switch (ctx.entry.info.kind) {
    case 'VirtualService': {
      const binding = checkGatewayBinding(spec);
      const sni = listOf(spec, 'tls').some((tls) => listOf(tls, 'match').some((m) => isSet(m, 'sniHosts')));
      for (const host of listOf(spec, 'hosts')) report(host, virtualServiceHostProblem(str(host) ?? '', binding, sni));
      return;
    }
    case 'DestinationRule':
      if (field(spec, 'host')) report(field(spec, 'host')!, wildcardDomainProblem(str(spec, 'host') ?? ''));
      return;
    case 'ServiceEntry':
      for (const host of listOf(spec, 'hosts')) {
        const name = str(host) ?? '';
        if (name === '*') continue; // the CRD's own rule: hostname cannot be wildcard
        report(host, wildcardDomainProblem(name));
        const partial = str(spec, 'resolution') === 'DYNAMIC_DNS' ? undefined : partialWildcardProblem(name);
        if (partial) r.warning(host, partial);
      }
      return;
    case 'Gateway':
      for (const server of listOf(spec, 'servers')) for (const host of listOf(server, 'hosts')) report(host, namespaceSlashHostProblem(str(host) ?? '', true));
  }
};

const PORT_PATHS: Record<string, (path: (string | number)[]) => boolean> = {
  VirtualService: (p) => p[p.length - 1] === 'number' && p[p.length - 2] === 'port',
  Gateway: (p) => p[1] === 'servers' && p[3] === 'port' && p[4] === 'number',
  ServiceEntry: (p) => p[1] === 'ports' && (p[3] === 'number' || p[3] === 'targetPort'),
  Sidecar: (p) => p[p.length - 2] === 'port' && p[p.length - 1] === 'number',
};

/** A Gateway server or Sidecar egress listener bound to a unix socket has port number 0. */
function boundToUnixSocket(ctx: CheckContext, path: (string | number)[]): boolean {
  const listener = ctx.entry.info.kind === 'Gateway' ? ['spec', 'servers', path[2]] : ['spec', 'egress', path[2]];
  if (!(ctx.entry.info.kind === 'Gateway' || (ctx.entry.info.kind === 'Sidecar' && path[1] === 'egress' && path.length === 5))) return false;
  const bind = ctx.entry.resource.doc.getIn([...listener, 'bind']);
  return typeof bind === 'string' && bind.startsWith('unix://');
}

export const checkPorts: Check = (ctx) => {
  // Kinds of Istio's groups only: a Gateway API `Gateway` is not networking.istio.io's.
  const isPortPath = ctx.entry.resource.isIstio ? PORT_PATHS[ctx.entry.info.kind ?? ''] : undefined;
  if (!isPortPath) return;
  walk(ctx.entry.resource.doc.contents, [], (path, value) => {
    if (path[0] !== 'spec' || !isPortPath(path) || !isScalar(value) || typeof value.value !== 'number') return;
    if (value.value === 0 && boundToUnixSocket(ctx, path)) return;
    if (value.value < 1 || value.value > 65535) ctx.report('schema', spanOf(value), `Port ${value.value} is out of range: use 1-65535.`);
  });
};

/** validateGatewayNames, which (as Istio does) stops at the first name without a namespace. */
function reportGatewayNames(r: Reporter, refs: TextRef[]): void {
  for (const ref of refs) {
    const slash = ref.value.indexOf('/');
    if (slash === -1) {
      if (ref.value.includes('.')) {
        const [name, ns] = ref.value.split('.');
        r.warning(ref, `'${ref.value}' is the legacy Gateway reference format: prefer namespace/name ('${ns}/${name}').`);
      }
      const problem = fqdnProblem(ref.value);
      if (problem) r.error(ref, `'${ref.value}' is not a Gateway reference (use 'name', 'namespace/name' or 'mesh'): ${problem}`);
      return;
    }
    const ns = ref.value.slice(0, slash);
    const name = ref.value.slice(slash + 1);
    if (ns === '' || name === '') r.error(ref, `'${ref.value}': neither the namespace nor the Gateway name may be empty.`);
    if (!isDns1123Label(ns)) r.error(ref, `'${ns}' is not a valid namespace in the Gateway reference '${ref.value}'.`);
    if (!isDns1123Label(name)) r.error(ref, `'${name}' is not a valid Gateway name in the reference '${ref.value}'.`);
  }
}

export const checkGatewayNames: Check = (ctx) => {
  const vs = ctx.entry.info.virtualService;
  const r = reporter(ctx);
  reportGatewayNames(r, vs?.gateways ?? []);
  // Each match's gateways are checked on their own.
  const spec = specOf(ctx);
  for (const route of [...listOf(spec, 'http'), ...listOf(spec, 'tls'), ...listOf(spec, 'tcp')]) {
    for (const match of listOf(route, 'match'))
      reportGatewayNames(
        r,
        (vs?.matchGateways ?? []).filter((g) => listOf(match, 'gateways').some((n) => n.range?.[0] === g.start)),
      );
  }
};

const CONDITION_KEYS = [
  'source.ip',
  'remote.ip',
  'source.namespace',
  'source.principal',
  'source.serviceAccount',
  'source.trustDomain',
  'request.auth.principal',
  'request.auth.audiences',
  'request.auth.presenter',
  'destination.ip',
  'destination.port',
  'connection.sni',
];
/** Keys of the form `prefix[name]` (security.validateMapKey: a non-empty name in brackets). */
const MAP_KEY_PREFIXES = ['request.headers', 'request.auth.claims', 'experimental.envoy.filters.'];
/** Keys Istio once had and now rejects with a reason. */
const RETIRED_KEYS: [RegExp, string][] = [
  [/^destination\.namespace$/, "is replaced by the policy's metadata.namespace"],
  [/^destination\.labels/, 'is replaced by the workload selector'],
  [/^destination\.(name|user)$/, 'was only supported in v1alpha1'],
];

/** security.ValidateAttribute's key rules: what is wrong with a condition key, if anything. */
export function conditionKeyProblem(key: string): string | undefined {
  if (CONDITION_KEYS.includes(key)) return undefined;
  const prefix = MAP_KEY_PREFIXES.find((p) => key.startsWith(p));
  if (prefix) {
    const open = key.indexOf('[');
    return key.endsWith(']') && open > 0 && open < key.length - 2 ? undefined : `'${key}' is not a valid key: write ${prefix}[<name>].`;
  }
  const retired = RETIRED_KEYS.find(([pattern]) => pattern.test(key));
  if (retired) return `The condition key '${key}' ${retired[1]}.`;
  return `'${key}' is not an AuthorizationPolicy condition key. Keys: ${[...CONDITION_KEYS, 'request.headers[<name>]', 'request.auth.claims[<name>]', 'experimental.envoy.filters.*[<name>]'].join(', ')}.`;
}

export const checkConditionKeys: Check = (ctx: CheckContext) => {
  if (ctx.entry.info.kind !== 'AuthorizationPolicy') return;
  walk(ctx.entry.resource.doc.contents, [], (path, value) => {
    if (path[0] !== 'spec' || path[1] !== 'rules' || path[3] !== 'when' || path[5] !== 'key') return;
    const key = scalarString(value);
    const problem = key === undefined ? undefined : key === '' ? 'A condition key must not be empty.' : conditionKeyProblem(key);
    if (problem) ctx.report('schema', spanOf(value), problem);
  });
};

const EXCLUSIVE_ROUTE_FIELDS: [string, string, string][] = [
  ['route', 'redirect', 'An HTTP route cannot both route and redirect'],
  ['route', 'directResponse', 'An HTTP route cannot both route and give a direct response'],
  ['redirect', 'directResponse', 'An HTTP route cannot both redirect and give a direct response'],
  ['rewrite', 'redirect', 'rewrite cannot be used with redirect'],
  ['mirror', 'mirrors', 'Set mirror or mirrors, not both'],
];

/** Fields of an HTTP route that Istio's webhook rejects together. */
export const checkRouteFieldConflicts: Check = (ctx) => {
  if (ctx.entry.info.kind !== 'VirtualService') return;
  const http = (ctx.entry.resource.doc.getIn(['spec', 'http'], true) as Node | undefined) ?? null;
  for (const route of isSeq(http) ? http.items : []) {
    if (!isMap(route)) continue;
    for (const [a, b, message] of EXCLUSIVE_ROUTE_FIELDS) {
      // Reported on whichever of the two comes second.
      const keys = route.items.map((p) => p.key as Node).filter((k) => isScalar(k) && (k.value === a || k.value === b));
      if (keys.length === 2) ctx.report('schema', spanOf(keys[1]), `${message} (found ${a} and ${b}).`, { type: 'exclusive', fields: [a, b] });
    }
  }
};

const hasItems = (node: unknown) => isSeq(node) && node.items.length > 0;

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** AuthorizationPolicy rules the webhook enforces, and Kiali's method check. */
export const checkAuthorizationPolicy: Check = (ctx) => {
  if (ctx.entry.info.kind !== 'AuthorizationPolicy') return;
  const spec = ctx.entry.resource.doc.get('spec', true);
  if (!isMap(spec)) return;
  const action = spec.get('action', true) as Node | undefined;
  const actionValue = isScalar(action) ? action.value : undefined;
  const provider = spec.items.find((p) => isScalar(p.key) && p.key.value === 'provider')?.key as Node | undefined;
  const providerName = (spec.getIn(['provider', 'name'], true) as Node | undefined) ?? null;
  // An empty list reaches the webhook as no list: `rules: []` is no rules.
  const rules = spec.get('rules', true) as Node | undefined;
  const hasRules = isSeq(rules) && rules.items.length > 0;
  if (actionValue === 'CUSTOM' && action && !hasRules)
    ctx.report('schema', spanOf(action), 'A CUSTOM policy without rules never applies; add an empty rule `{}` to send every request to the provider.');
  else if (actionValue === 'CUSTOM' && action && !(isScalar(providerName) && providerName.value))
    ctx.report('schema', spanOf(provider ?? action), 'Action CUSTOM needs a provider (spec.provider.name).');
  if (provider && actionValue !== 'CUSTOM') ctx.report('schema', spanOf(provider), 'provider is only allowed with action CUSTOM.');
  walk(spec, [], (path, value) => {
    if (path[0] === 'rules' && path[2] === 'when' && path.length === 4 && isMap(value) && !hasItems(value.get('values', true)) && !hasItems(value.get('notValues', true))) {
      const key = value.items[0]?.key as Node | undefined;
      if (key) ctx.report('schema', spanOf(key), 'A condition needs values or notValues.');
    }
    const method = path[0] === 'rules' && path[2] === 'to' && path[4] === 'operation' && (path[5] === 'methods' || path[5] === 'notMethods') && path.length === 7 ? scalarString(value) : undefined;
    const wrong = method === undefined ? undefined : wrongMethod(method);
    if (wrong) ctx.report('httpMethod', spanOf(value), wrong);
  });
};

/**
 * KIA0102, as Kiali's NamespaceMethodChecker: a method matches the request's `:method` header, as
 * Istio's string matches do: exactly, `*` (any), `GET*` (prefix) or `*ET` (suffix). Unlike Kiali,
 * case counts (Envoy compares the header as written) and spaces are not trimmed. What is wrong, and
 * what would be right; undefined when the entry can match.
 */
function wrongMethod(method: string): string | undefined {
  const methods = [...HTTP_METHODS];
  const prefix = method.length > 1 && method.endsWith('*') && !method.startsWith('*');
  const suffix = method.length > 1 && method.startsWith('*') && !method.endsWith('*');
  const core = prefix ? method.slice(0, -1) : suffix ? method.slice(1) : method;
  const matches = (m: string) => (prefix ? m.startsWith(core) : suffix ? m.endsWith(core) : m === core);
  if (method === '*' || methods.some(matches)) return undefined;
  if (/^\/[\w.]+\/\w+$/.test(method)) return `'${method}' is a gRPC method, but methods match the HTTP method, which is always POST for gRPC: match '${method}' in paths instead.`;
  const upper = core.toUpperCase();
  if (methods.some((m) => (prefix ? m.startsWith(upper) : suffix ? m.endsWith(upper) : m === upper)))
    return `'${method}' matches no request: HTTP methods are upper case (use '${method.toUpperCase()}').`;
  return `'${method}' is not an HTTP method: use one of ${methods.join(', ')}, '*', a prefix such as 'GET*' or a suffix such as '*ET'.`;
}
