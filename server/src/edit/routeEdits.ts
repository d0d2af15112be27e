// Edits of a VirtualService route under the cursor that refactorings and the traffic preview
// share: setting a destination's weight, and rebalancing the others to keep the total at 100; the
// same rebalancing of an HTTPRoute's or GRPCRoute's backendRefs (whose weight defaults to 1).
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { RouteRuleInfo } from '../workspace/gatewayApiFacts';
import type { EditTarget, RouteTarget } from './target';
import type { Edit } from './textEdits';
import { hasUnreadableWeight, rebalanced } from './weights';
import { isBlockMap, mergeEdits, setKey } from './yamlEdit';

/** The route's edits, then the DestinationRule's; undefined entries mean "cannot do it cleanly". */
export function done(edits: (Edit | undefined)[], more: Edit[] | undefined = []): Edit[] | string {
  if (edits.some((e) => e === undefined) || more === undefined) return 'The route is written in a form this refactoring cannot edit (flow style or unusual layout)';
  return [...(edits as Edit[]), ...more];
}

/** The route under the cursor, when it is a block mapping the writer can edit. */
export function routeOf(t: EditTarget): RouteTarget | undefined {
  const route = t.route;
  return route && isBlockMap(route.node) ? route : undefined;
}

/** Sets one destination's weight (an empty edit when it already has it). */
export function setWeight(t: EditTarget, route: RouteTarget, index: number, weight: number): Edit | undefined {
  const dest = route.info.destinations[index];
  // Unchanged: an edit that changes nothing (dropped before the edits are returned), not a failure.
  if (dest.weight === weight) return { uri: t.uri, start: 0, end: 0, newText: '' };
  return setKey(t.place, route.items[index], 'weight', weight);
}

/**
 * Sets one destination's weight and scales the others (proportionally, integers) so the route's
 * total stays 100: what a weight change in the traffic preview does.
 */
export function rebalanceWeights(t: EditTarget, index: number, weight: number): Edit[] | string {
  const route = routeOf(t);
  if (!route || index < 0 || index >= route.info.destinations.length) return 'No destination of a route here';
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) return `'${weight}' is not a weight from 0 to 100`;
  if (hasUnreadableWeight(route.info.destinations)) return 'A weight of this route is not written as a number (quoted?); fix it first';
  const weights = rebalanced(
    route.info.destinations.map((d) => d.weight ?? 0),
    index,
    weight,
  );
  const result = done(weights.map((w, i) => setWeight(t, route, i, w)));
  return typeof result === 'string' ? result : mergeEdits(result.filter((e) => e.start !== e.end || e.newText !== ''));
}

/** The rule (of an HTTPRoute or GRPCRoute) whose span holds the document offset `local`, its backendRefs items and the one at `local`. */
function backendAt(t: EditTarget, local: number): { rule: RouteRuleInfo; items: unknown[]; index: number } | undefined {
  const rule = t.entry.info.gatewayApiRoute?.rules.find((r) => r.span.start <= local && local <= r.span.end);
  const index = rule?.backendRefs.findIndex((b) => b.span.start <= local && local <= b.span.end) ?? -1;
  const rules = t.spec?.get('rules', true);
  const node = rule && isSeq(rules) ? rules.items[rule.index] : undefined;
  const list = isMap(node) ? node.get('backendRefs', true) : undefined;
  return rule && index !== -1 && isSeq(list) ? { rule, items: list.items, index } : undefined;
}

/**
 * Sets the weight of the backendRef at the document offset `local` and scales the rule's other
 * backendRefs so the rule's total is 100 (weights are relative; 100 keeps the shares readable).
 */
export function rebalanceBackendWeights(t: EditTarget, local: number, weight: number): Edit[] | string {
  const at = backendAt(t, local);
  if (!at) return 'No backendRef of a rule here';
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) return `'${weight}' is not a weight from 0 to 100`;
  if (at.items.some((item) => isMap(item) && isScalar(item.get('weight', true)) && typeof (item.get('weight', true) as Scalar).value !== 'number'))
    return 'A weight of this rule is not written as a number (quoted?); fix it first';
  const weights = rebalanced(
    at.rule.backendRefs.map((b) => b.weight),
    at.index,
    weight,
  );
  const edits = weights.map((w, i) => (w === at.rule.backendRefs[i].weight ? { uri: t.uri, start: 0, end: 0, newText: '' } : setKey(t.place, at.items[i], 'weight', w)));
  const result = done(edits);
  return typeof result === 'string' ? result : mergeEdits(result.filter((e) => e.start !== e.end || e.newText !== ''));
}
