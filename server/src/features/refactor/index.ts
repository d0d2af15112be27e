// Authoring refactorings offered on the node under the cursor, and the edits that carry them out.
// Offering is cheap (no edits computed); applying recomputes the target from the current text,
// checks the answers to the questions, and returns one set of edits, possibly across files.
import type { Edit } from '../../edit/textEdits';
import { POLICY_REFACTORINGS } from './policies';
import { ROUTE_REFACTORINGS } from './routes';
import { convertToHttpRoute } from './convertToHttpRoute';
import { HTTP_ROUTE_FILTER_REFACTORINGS } from './httpRouteFilters';
import { HTTP_ROUTE_WEIGHT_REFACTORINGS } from './httpRouteWeights';
import { addWaypoint } from './waypoint';
import { invalidInput, NO_LONGER_APPLIES, resolveTarget, type Refactoring } from './target';
import { mergeEdits } from '../../edit/yamlEdit';
import type { FeatureContext } from '../context';

export type { Refactoring, RefactorInput } from './target';

const PROVIDERS = [...ROUTE_REFACTORINGS, ...POLICY_REFACTORINGS, convertToHttpRoute, ...HTTP_ROUTE_WEIGHT_REFACTORINGS, ...HTTP_ROUTE_FILTER_REFACTORINGS, addWaypoint];

/** Every refactoring's id. */
export const REFACTORING_IDS = PROVIDERS.map((p) => p.id);

export const REFACTOR_KIND = 'refactor.rewrite.istio';

/** The refactorings offered at `offset` of a workspace file. */
export function offerRefactorings(ctx: FeatureContext, uri: string, offset: number): Refactoring[] {
  const target = resolveTarget(ctx, uri, offset);
  if (!target) return [];
  return PROVIDERS.flatMap((p): Refactoring[] => {
    const kind = `${REFACTOR_KIND}.${p.id}`;
    try {
      const offer = p.offer(target);
      return offer ? [{ id: p.id, title: offer.title, kind, inputs: offer.inputs ?? [], ...(offer.unavailable ? { unavailable: offer.unavailable } : {}) }] : [];
    } catch (failure) {
      // One broken provider must not take the others (or the quick fixes) with it.
      return [{ id: p.id, title: p.id, kind, inputs: [], failure }];
    }
  });
}

/**
 * The edits of refactoring `id` at `offset` of a workspace file. Answers missing from `values`
 * take the offered defaults. A string explains why nothing can be done.
 */
export function applyRefactoring(ctx: FeatureContext, uri: string, offset: number, id: string, values: Record<string, string> = {}): Edit[] | string {
  if (ctx.text(uri) === undefined) return 'The document is not open';
  const target = resolveTarget(ctx, uri, offset);
  const provider = PROVIDERS.find((p) => p.id === id);
  const offer = target && provider?.offer(target);
  if (!target || !provider || !offer) return NO_LONGER_APPLIES;
  if (offer.unavailable) return offer.unavailable;
  const answers: Record<string, string> = {};
  for (const input of offer.inputs ?? []) {
    const value = (values[input.name] ?? input.default).trim();
    const invalid = invalidInput(input, value);
    if (invalid) return invalid;
    answers[input.name] = value;
  }
  const edits = provider.apply(target, answers);
  return typeof edits === 'string' ? edits : mergeEdits(edits.filter((e) => e.start !== e.end || e.newText !== ''));
}
