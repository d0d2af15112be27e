// The Gateway API route rule under the cursor (HTTPRoute, GRPCRoute), for the refactorings of a
// rule (weights and canaries, filters): the rule's node, its backendRefs' list items and the
// backendRef under the cursor, what edit/target.ts is for a VirtualService route. Also the rule's
// matches as Istio ranks them (httpRouteMatches' GatewayMatch, the API server's defaults applied).
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { EditTarget } from '../../edit/target';
import { dashColumn, isBlockMap, type DocumentPlace } from '../../edit/yamlEdit';
import type { BackendRefInfo, RouteRuleInfo } from '../../workspace/gatewayApiFacts';
import type { WithFacts } from '../../workspace/index';
import { CATCH_ALL, type GatewayMatch, type ValueMatch } from '../../workspace/gatewayApiPrecedence';

/** The route kinds whose rules route requests (the rule refactorings' kinds). */
export type RuleRouteKind = 'HTTPRoute' | 'GRPCRoute';

export interface GatewayRuleTarget {
  route: WithFacts<'gatewayApiRoute'>;
  routeKind: RuleRouteKind;
  info: RouteRuleInfo;
  /** The rule's map and the `rules` list items (the rule is `rules[info.index]`). */
  node: YAMLMap;
  rules: unknown[];
  /** The `backendRefs` list items, by index of `info.backendRefs`. */
  items: unknown[];
  /** The backendRef the cursor is in, if any. */
  focused?: BackendRefInfo;
}

/** The rule of an HTTPRoute or GRPCRoute at file offset `offset` (or the route's only rule), with the backendRef under it. */
export function gatewayRuleAt(target: EditTarget, offset: number): GatewayRuleTarget | undefined {
  const facts = target.entry.info.gatewayApiRoute;
  const routeKind = facts?.routeKind;
  if (!facts || !target.spec || (routeKind !== 'HTTPRoute' && routeKind !== 'GRPCRoute')) return undefined;
  const local = target.entry.resource.docOffset(offset);
  const info = facts.rules.find((r) => r.span.start <= local && local <= r.span.end) ?? (facts.rules.length === 1 ? facts.rules[0] : undefined);
  const list = target.spec.get('rules', true);
  const node = info && isSeq(list) ? list.items[info.index] : undefined;
  if (!info || !isSeq(list) || !isMap(node)) return undefined;
  const refs = node.get('backendRefs', true);
  const focused = info.backendRefs.find((b) => b.span.start <= local && local <= b.span.end && b.span.end > b.span.start);
  return { route: target.entry as WithFacts<'gatewayApiRoute'>, routeKind, info, node, rules: list.items, items: isSeq(refs) ? refs.items : [], focused };
}

/**
 * Can the writer edit the rule: a block map, in a block `rules` list, whose backendRefs (if any)
 * are items of a block list written `- ` on their own line, each a map (block or flow)?
 */
export function isEditableRule(place: DocumentPlace, rule: GatewayRuleTarget): boolean {
  if (!isBlockMap(rule.node) || dashColumn(place, rule.node) === undefined) return false;
  const refs = rule.node.get('backendRefs', true);
  if (refs === undefined) return true;
  if (!isSeq(refs) || refs.flow) return false;
  return rule.items.every((item) => isMap(item) && (item.flow || isBlockMap(item)) && dashColumn(place, item) !== undefined);
}

/** Is a backendRef's `weight` written as something else than a number (`weight: "50"`)? The type error comes first. */
export function hasUnreadableWeight(rule: GatewayRuleTarget): boolean {
  return rule.items.some((item) => {
    const weight = isMap(item) ? item.get('weight', true) : undefined;
    return weight !== undefined && !(isScalar(weight) && (typeof weight.value === 'number' || weight.value === null));
  });
}

/** A Service backendRef with a name: what the weight refactorings work on. */
export type ServiceRef = BackendRefInfo & { name: { value: string } };

export function isServiceRef(ref: BackendRefInfo | undefined): ref is ServiceRef {
  return !!ref && ref.group === '' && ref.kind === 'Service' && !!ref.name?.value;
}

type Obj = { [key: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Header or query parameter matches as written (type defaults to Exact); undefined when one does not read. */
function valueMatches(list: unknown): ValueMatch[] | undefined {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return undefined;
  const out: ValueMatch[] = [];
  for (const m of list) {
    const type = isObj(m) ? (m.type ?? 'Exact') : undefined;
    if (!isObj(m) || typeof m.name !== 'string' || typeof m.value !== 'string' || (type !== 'Exact' && type !== 'RegularExpression')) return undefined;
    out.push({ name: m.name, type, value: m.value });
  }
  return out;
}

/** An HTTPRoute match with the API server's defaults (path PathPrefix `/`); undefined when it does not read. */
function httpMatch(value: unknown): GatewayMatch | undefined {
  if (!isObj(value)) return undefined;
  const path = value.path === undefined ? {} : value.path;
  if (!isObj(path)) return undefined;
  const type = path.type ?? 'PathPrefix';
  const pathValue = path.value ?? '/';
  if ((type !== 'Exact' && type !== 'PathPrefix' && type !== 'RegularExpression') || typeof pathValue !== 'string') return undefined;
  const headers = valueMatches(value.headers);
  const queryParams = valueMatches(value.queryParams);
  if (!headers || !queryParams || (value.method !== undefined && typeof value.method !== 'string')) return undefined;
  return { path: { type, value: pathValue }, ...(value.method ? { method: value.method } : {}), headers, queryParams };
}

/**
 * A GRPCRoute match as Istio ranks it (createGRPCURIMatch): service and method are the exact
 * path `/service/method`, a service alone the prefix `/service/`, no method every path. Undefined
 * for what Istio turns into a regular expression (a method alone, type RegularExpression): it
 * ranks below a rule without a method there, which the HTTP ranking cannot say.
 */
function grpcMatch(value: unknown): GatewayMatch | undefined {
  if (!isObj(value)) return undefined;
  const headers = valueMatches(value.headers);
  const method = value.method;
  if (!headers) return undefined;
  if (method === undefined) return { ...CATCH_ALL, headers };
  if (!isObj(method) || (method.type ?? 'Exact') !== 'Exact' || typeof method.service !== 'string') return undefined;
  if (method.method === undefined) return { path: { type: 'PathPrefix', value: `/${method.service}` }, headers, queryParams: [] };
  return typeof method.method === 'string' ? { path: { type: 'Exact', value: `/${method.service}/${method.method}` }, headers, queryParams: [] } : undefined;
}

/** A rule's matches as Istio ranks them (a rule without matches has one that takes every request); undefined when one does not read. */
export function ruleGatewayMatches(routeKind: RuleRouteKind, values: unknown[]): GatewayMatch[] | undefined {
  if (values.length === 0) return [CATCH_ALL];
  const read = values.map(routeKind === 'HTTPRoute' ? httpMatch : grpcMatch);
  return read.every((m) => m !== undefined) ? (read as GatewayMatch[]) : undefined;
}
