// Edits of a VirtualService route under the cursor that refactorings and the traffic preview
// share: setting a destination's weight, and rebalancing the others to keep the total at 100.
import type { EditTarget, RouteTarget } from './target';
import type { Edit } from './textEdits';
import { hasUnreadableWeight, normalizedWeights, spreadTotal } from './weights';
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
  const others = route.info.destinations.map((d, i) => (i === index ? 0 : Math.max(0, d.weight ?? 0)));
  const rest = route.info.destinations.length === 1 ? [] : normalizedWeights(others.filter((_, i) => i !== index).map((w) => (others.every((o) => o === 0) ? 1 : w)));
  const scaled = rest.length === 0 ? [] : spreadTotal(rest, 100 - weight);
  const weights = route.info.destinations.map((_, i) => (i === index ? (route.info.destinations.length === 1 ? 100 : weight) : scaled[i < index ? i : i - 1]));
  const result = done(weights.map((w, i) => setWeight(t, route, i, w)));
  return typeof result === 'string' ? result : mergeEdits(result.filter((e) => e.start !== e.end || e.newText !== ''));
}
