// What a refactoring works on: the edit target under the cursor (edit/target.ts) with the
// feature context for lookups, the refactoring's questions and the provider interface.
import { invalidAnswer } from '../../../../shared/answers';
import type { RefactorQuestion } from '../../../../shared/protocol';
import type { IndexedResource } from '../../workspace/index';
import type { Edit } from '../../edit/textEdits';
import { editTargetAt, type EditTarget } from '../../edit/target';
import type { FeatureContext } from '../context';
import { gatewayRuleAt, type GatewayRuleTarget } from './gatewayApiTarget';

export type { RouteTarget } from '../../edit/target';

/** What a refactoring works on: the edit target, and the feature context for lookups and other files. */
export interface Target extends EditTarget {
  ctx: FeatureContext;
  /** In an HTTPRoute or GRPCRoute, the rule under the cursor (gatewayApiTarget.ts). */
  gatewayRule?: GatewayRuleTarget;
}

/** One question asked before a refactoring runs; `default` is used when nobody is asked. */
export type RefactorInput = RefactorQuestion;

export interface Refactoring {
  id: string;
  title: string;
  kind: string;
  inputs: RefactorInput[];
  /** What the provider threw while deciding whether it applies: offered disabled, with the reason, rather than hidden. */
  failure?: unknown;
  /** Why it cannot be done here: offered disabled with this reason (the Refactor menu shows it), so the user learns why. */
  unavailable?: string;
}

/** What `apply` answers for a target its `offer` would refuse (it runs only after an offer, on the same target). */
export const NO_LONGER_APPLIES = 'This refactoring no longer applies here (the document changed)';

export interface RefactoringProvider {
  id: string;
  /** The refactoring's title and questions when it applies to the target. */
  offer(target: Target): { title: string; inputs?: RefactorInput[]; unavailable?: string } | undefined;
  /** The edits, or a message saying why not. Runs after `offer` accepted the target, and checks what it reads again rather than assert it. */
  apply(target: Target, values: Record<string, string>): Edit[] | string;
}

/** What the refactorings work on at `offset` of a workspace file; undefined when the file is unknown or nothing is there. */
export function resolveTarget(ctx: FeatureContext, uri: string, offset: number): Target | undefined {
  const text = ctx.text(uri);
  const target = text === undefined ? undefined : editTargetAt(ctx.workspace, uri, text, offset);
  return target && { ...target, ctx, gatewayRule: gatewayRuleAt(target, offset) };
}

/** The namespace a resource's metadata names (undefined: none written). */
export function writtenNamespace(entry: IndexedResource): string | undefined {
  return entry.info.namespace;
}

/** Why an answer is not acceptable, or undefined. */
export function invalidInput(input: RefactorInput, value: string): string | undefined {
  return invalidAnswer(input.kind, value);
}
