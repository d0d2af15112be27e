// Add header-based canary rule, on an HTTPRoute or GRPCRoute rule: a new rule before it, in the
// same route (so the same parentRefs), with the rule's matches plus a header match (so only the
// rule's requests that carry the header), sending them to another version's Service. Istio ranks
// the matches of a route by the Gateway API's precedence, not by rule order
// (httpRoutePrecedence.ts): not offered where a match of another rule ranks first and takes every
// request a new match would, which would leave the new rule unused.
import { isMap, isScalar, isSeq } from 'yaml';
import { done } from '../../edit/routeEdits';
import { Flow, insertItemsBefore, type YamlValue } from '../../edit/yamlEdit';
import { hostnamesIntersect, refNamespace } from '../../workspace/gatewayApi';
import type { ParentRefInfo } from '../../workspace/gatewayApiFacts';
import type { IndexedResource, WithFacts } from '../../workspace/index';
import { toValue } from '../../workspace/nodes';
import { ruleGatewayMatches, type GatewayRuleTarget } from './gatewayApiTarget';
import type { GatewayMatch, ValueMatch } from './httpRouteMatches';
import { compareMatches } from '../../workspace/gatewayApiPrecedence';
import { backendRefLike, baseRef, editableRule, usedServices } from './gatewayRuleEdits';
import { otherVersions } from './serviceChoice';
import { NO_LONGER_APPLIES, type RefactoringProvider, type Target } from './target';

type YamlObject = { [key: string]: YamlValue };

/** A value as YAML we can write back (undefined when it holds nulls: half-typed). */
function plain(value: unknown): YamlValue | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items = value.map(plain);
    return items.some((i) => i === undefined) ? undefined : (items as YamlValue[]);
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, plain(v)] as const);
    return entries.some(([, v]) => v === undefined) ? undefined : Object.fromEntries(entries as [string, YamlValue][]);
  }
  return undefined;
}

/** A node as a value to write back with its flow collections kept flow; undefined for aliases, merge keys and nulls. */
function styled(node: unknown): YamlValue | undefined {
  if (isScalar(node)) return plain(node.value);
  if (isSeq(node)) {
    const items = node.items.map(styled);
    if (items.some((i) => i === undefined)) return undefined;
    return node.flow ? new Flow(items as YamlValue[]) : (items as YamlValue[]);
  }
  if (!isMap(node)) return undefined;
  const entries = node.items.map((p) => [isScalar(p.key) && typeof p.key.value === 'string' && p.key.value !== '<<' ? p.key.value : undefined, styled(p.value)] as const);
  if (entries.some(([k, v]) => k === undefined || v === undefined)) return undefined;
  const obj = Object.fromEntries(entries as [string, YamlValue][]);
  return node.flow ? new Flow(obj) : obj;
}

/** A node as a value to write back: in its own style, else (aliases, merge keys) resolved; undefined when half-typed. */
function copied(t: Target, node: unknown): YamlValue | undefined {
  return styled(node) ?? plain(toValue(node, t.entry.resource.doc));
}

/** The value without its styles, as the checker reads it. */
function unstyled(value: YamlValue): unknown {
  const inner = value instanceof Flow ? value.value : value;
  if (Array.isArray(inner)) return inner.map(unstyled);
  if (typeof inner === 'object') return Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, unstyled(v)]));
  return inner;
}

const isObject = (v: unknown): v is YamlObject => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Flow);
const inFlow = (v: YamlValue | undefined) => (v instanceof Flow ? v.value : v);

/** The rule's matches, each with the header match added (one of that name replaced), in their own style; undefined when they cannot be copied. */
function canaryMatches(t: Target, rule: GatewayRuleTarget, header: string, value: string): YamlValue[] | undefined {
  const added = { name: header, value };
  const list = rule.node.get('matches', true);
  const matches = isSeq(list) ? list.items.map((m) => copied(t, m)) : [];
  if (matches.length === 0) return list === undefined || (isSeq(list) && list.items.length === 0) ? [{ headers: [added] }] : undefined;
  const other = (h: YamlValue) => {
    const item = inFlow(h);
    return !(isObject(item) && typeof item.name === 'string' && item.name.toLowerCase() === header.toLowerCase());
  };
  const out: YamlValue[] = [];
  for (const m of matches) {
    const match = inFlow(m);
    const headers = isObject(match) ? inFlow(match.headers) : undefined;
    if (!isObject(match) || (match.headers !== undefined && !Array.isArray(headers))) return undefined;
    const list = [...((headers as YamlValue[] | undefined) ?? []).filter(other), added];
    const next = { ...match, headers: match.headers instanceof Flow ? new Flow(list) : list };
    out.push(m instanceof Flow ? new Flow(next) : next);
  }
  return out;
}

/** The rule's other keys (filters, timeouts...), so the canary's requests are handled as the rule's; undefined when one cannot be copied. */
function copiedKeys(t: Target, rule: GatewayRuleTarget): YamlObject | undefined {
  const out: YamlObject = {};
  for (const pair of rule.node.items) {
    const key = (pair.key as { value?: unknown } | null)?.value;
    if (key === 'name' || key === 'matches' || key === 'backendRefs') continue;
    const value = copied(t, pair.value);
    if (typeof key !== 'string' || value === undefined) return undefined;
    out[key] = value;
  }
  return out;
}

function pathCovers(o: GatewayMatch['path'], m: GatewayMatch['path']): boolean {
  const under = (path: string, prefix: string) => prefix === '/' || path === prefix.replace(/\/$/, '') || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
  if (o.type === 'PathPrefix') return m.type !== 'RegularExpression' ? under(m.value, o.value) : o.value === '/';
  return o.type === m.type && o.value === m.value;
}

/** Does every value `m` accepts satisfy `o` (same header or parameter)? Provably only: a regex covers only the same regex. */
function valueCovers(o: ValueMatch, m: ValueMatch): boolean {
  return o.type === m.type && o.value === m.value;
}

function listCovers(o: ValueMatch[], m: ValueMatch[], caseless: boolean): boolean {
  const key = (name: string) => (caseless ? name.toLowerCase() : name);
  return o.every((x) => m.some((y) => key(x.name) === key(y.name) && valueCovers(x, y)));
}

/** Does every request `m` matches also match `o`? */
function covers(o: GatewayMatch, m: GatewayMatch): boolean {
  if (o.method && o.method !== m.method) return false;
  return pathCovers(o.path, m.path) && listCovers(o.headers, m.headers, true) && listCovers(o.queryParams, m.queryParams, false);
}

/** The matches of the other routes of the kind that share a parent (and, at a Gateway, a hostname) with the rule's route: Istio ranks them with the route's. */
function competingMatches(t: Target, rule: GatewayRuleTarget): GatewayMatch[] {
  const own = rule.route;
  const parentKey = (route: IndexedResource, ref: ParentRefInfo) => `${ref.group}/${ref.kind}/${refNamespace(ref, route)}/${ref.name?.value ?? ''}`;
  const hostnames = (route: WithFacts<'gatewayApiRoute'>) => route.info.gatewayApiRoute.hostnames.map((h) => h.value.toLowerCase());
  const parents = new Map(own.info.gatewayApiRoute.parentRefs.map((p) => [parentKey(own, p), p.kind] as const));
  const mine = hostnames(own);
  const competes = (route: WithFacts<'gatewayApiRoute'>) => {
    const shared = route.info.gatewayApiRoute.parentRefs.map((p) => parents.get(parentKey(route, p))).filter((kind) => kind !== undefined);
    const theirs = hostnames(route);
    // Mesh (Service) parents ignore hostnames; a route without hostnames takes every one.
    return shared.includes('Service') || (shared.length > 0 && (mine.length === 0 || theirs.length === 0 || mine.some((a) => theirs.some((b) => hostnamesIntersect(a, b)))));
  };
  // The routes attached to one of the route's parents, from the index's parentRef lookup.
  const attached = new Set(
    own.info.gatewayApiRoute.parentRefs.flatMap((p) =>
      t.ctx.workspace
        .parentRefsTo({ group: p.group, kind: p.kind, namespace: refNamespace(p, own), name: p.name?.value ?? '' })
        .flatMap(({ entry }) => (entry.info.gatewayApiRoute ? [entry as WithFacts<'gatewayApiRoute'>] : [])),
    ),
  );
  return [...attached]
    .filter((r) => r.resource !== own.resource && r.info.gatewayApiRoute.routeKind === rule.routeKind && competes(r))
    .flatMap((r) =>
      r.info.gatewayApiRoute.rules.flatMap(
        (x) =>
          ruleGatewayMatches(
            rule.routeKind,
            x.matches.map((m) => m.value),
          ) ?? [],
      ),
    );
}

/**
 * Would a match of the new rule (inserted before `rule`) never be used: a match of another rule
 * (of this route, or of another on the same parent) that Istio ranks first takes every request it
 * matches? True too when a match of the route does not read (nothing can be said).
 */
function hasUnreachable(t: Target, rule: GatewayRuleTarget, added: YamlValue[]): boolean {
  const kind = rule.routeKind;
  const existing = rule.route.info.gatewayApiRoute.rules.map((r) =>
    ruleGatewayMatches(
      kind,
      r.matches.map((m) => m.value),
    ),
  );
  const fresh = ruleGatewayMatches(kind, added.map(unstyled));
  if (!fresh || existing.some((m) => m === undefined)) return true;
  // Other routes' creation times are not known: their matches win the ties.
  const before = [...competingMatches(t, rule), ...(existing as GatewayMatch[][]).slice(0, rule.info.index).flat()];
  const after = (existing as GatewayMatch[][]).slice(rule.info.index).flat();
  // Rule order settles ties (a stable sort): in order, the earlier rules, the new one, the rest.
  const entries = [...before.map((m) => ({ m, fresh: false })), ...fresh.map((m) => ({ m, fresh: true })), ...after.map((m) => ({ m, fresh: false }))];
  const sorted = entries.map((e, i) => ({ ...e, i })).sort((a, b) => compareMatches(a.m, b.m) || a.i - b.i);
  return sorted.some((e, k) => e.fresh && sorted.slice(0, k).some((o) => !o.fresh && covers(o.m, e.m)));
}

/** What the rule's canary rule would be: its base backendRef, the Services to leave out, and the matches with the default header. */
function canaryPlan(t: Target) {
  const rule = editableRule(t);
  const base = rule && baseRef(rule);
  if (!rule || !base || !isMap(rule.node)) return undefined;
  return { rule, base, choice: otherVersions(t, rule, base, usedServices(rule, refNamespace(base, rule.route))) };
}

const DEFAULT_HEADER = 'x-canary';
const DEFAULT_VALUE = 'true';

export const headerCanaryRule: RefactoringProvider = {
  id: 'gateway-header-canary',
  offer(t) {
    const plan = canaryPlan(t);
    const matches = plan && canaryMatches(t, plan.rule, DEFAULT_HEADER, DEFAULT_VALUE);
    if (!plan || !matches || !copiedKeys(t, plan.rule) || hasUnreachable(t, plan.rule, matches)) return undefined;
    const { why, candidates } = plan.choice;
    const next = candidates[0];
    return {
      title: `Add header-based canary rule (${DEFAULT_HEADER}: "${DEFAULT_VALUE}" → ${next ?? `a Service you name; ${why}`})`,
      inputs: [
        { name: 'header', prompt: 'Request header that selects the canary', default: DEFAULT_HEADER, kind: 'header' },
        { name: 'value', prompt: 'Header value (exact match)', default: DEFAULT_VALUE, kind: 'text' },
        { name: 'canary', prompt: next ? 'Service of the canary version' : `Service of the canary version (${why}: name the Service you will deploy)`, default: next ?? '', kind: 'name' },
      ],
    };
  },
  apply(t, values) {
    const plan = canaryPlan(t);
    const matches = plan && canaryMatches(t, plan.rule, values.header, values.value);
    const copied = plan && copiedKeys(t, plan.rule);
    if (!plan || !matches || !copied) return NO_LONGER_APPLIES;
    if (hasUnreachable(t, plan.rule, matches)) return `A rule that ranks first already takes every request with header ${values.header}: the canary rule would never be used`;
    const newRule = { matches, ...copied, backendRefs: [backendRefLike(t, plan.rule, plan.base, values.canary)] };
    return done([insertItemsBefore(t.place, plan.rule.node, [newRule])]);
  },
};
