// Weight refactorings of an HTTPRoute or GRPCRoute rule: convert to canary, split traffic,
// promote, normalize. A version is a Service of its own (serviceChoice.ts); a backendRef without
// `weight` weighs 1, as the Gateway API defaults it. Each edits only the rule's backendRefs.
import { invalidAnswer } from '../../../../shared/answers';
import { done } from '../../edit/routeEdits';
import { normalizedWeights } from '../../edit/weights';
import { insertItemsAfter, removeItem } from '../../edit/yamlEdit';
import { refNamespace } from '../../workspace/gatewayApi';
import type { BackendRefInfo } from '../../workspace/gatewayApiFacts';
import { isServiceRef, type GatewayRuleTarget, type ServiceRef } from './gatewayApiTarget';
import { backendRefLike, baseRef, editableRule, setWeight, usedServices } from './gatewayRuleEdits';
import { headerCanaryRule } from './httpRouteHeaderCanary';
import { otherVersions } from './serviceChoice';
import { NO_LONGER_APPLIES, type RefactoringProvider, type Target } from './target';

const percentOf = (value: string) => Math.round(Number(value));

const canary: RefactoringProvider = {
  id: 'gateway-canary',
  offer(t) {
    const rule = editableRule(t);
    const ref = rule?.info.backendRefs[0];
    if (!rule || rule.info.backendRefs.length !== 1 || !isServiceRef(ref) || ref.weight === 0) return undefined;
    const stable = ref.name.value;
    const choice = otherVersions(t, rule, ref, [stable]);
    const next = choice.candidates[0];
    return {
      title: next ? `Convert to canary: 90% ${stable} / 10% ${next}` : `Convert to canary (${choice.why})`,
      inputs: [
        { name: 'canary', prompt: next ? 'Service of the canary version' : `Service of the canary version (${choice.why}: name the Service you will deploy)`, default: next ?? '', kind: 'name' },
        { name: 'percent', prompt: 'Percentage of traffic sent to the canary', default: '10', kind: 'percent' },
      ],
    };
  },
  apply(t, values) {
    const rule = editableRule(t);
    const ref = rule?.info.backendRefs[0];
    if (!rule || !isServiceRef(ref)) return NO_LONGER_APPLIES;
    if (values.canary === ref.name.value) return `The canary Service must differ from '${ref.name.value}'`;
    const percent = percentOf(values.percent);
    return done([setWeight(t, rule, 0, 100 - percent), insertItemsAfter(t.place, rule.items[0], [backendRefLike(t, rule, ref, values.canary, percent)])]);
  },
};

/** The Services a split goes to by default: the rule's, then the other versions of its first. */
function splitDefaults(t: Target, rule: GatewayRuleTarget, base: ServiceRef): string[] {
  const namespace = refNamespace(base, rule.route);
  const used = usedServices(rule, namespace);
  return [...used, ...otherVersions(t, rule, base, used).candidates];
}

/** Which backendRefs stay (the first to each listed Service), which go, and which Services get a new one. */
function splitPlan(rule: GatewayRuleTarget, namespace: string, services: string[]): { kept: Map<string, number>; removed: number[]; added: string[] } {
  const kept = new Map<string, number>();
  rule.info.backendRefs.forEach((r, i) => {
    if (isServiceRef(r) && refNamespace(r, rule.route) === namespace && services.includes(r.name.value) && !kept.has(r.name.value)) kept.set(r.name.value, i);
  });
  const removed = rule.info.backendRefs.map((_, i) => i).filter((i) => ![...kept.values()].includes(i));
  return { kept, removed, added: services.filter((s) => !kept.has(s)) };
}

/** The Service names of a comma- or space-separated answer, or why it is not one. */
function serviceList(answer: string): string[] | string {
  const names = [...new Set(answer.split(/[\s,]+/).filter((n) => n !== ''))];
  const bad = names.map((n) => invalidAnswer('name', n)).find((why) => why !== undefined);
  if (bad) return bad;
  return names.length < 2 ? 'Name at least two Services to split the traffic across' : names;
}

const split: RefactoringProvider = {
  id: 'gateway-split',
  offer(t) {
    const rule = editableRule(t);
    const base = rule && baseRef(rule);
    if (!rule || !base) return undefined;
    const services = splitDefaults(t, rule, base);
    if (services.length < 2) return undefined;
    const plan = splitPlan(rule, refNamespace(base, rule.route), services);
    const even = normalizedWeights(services.map(() => 1));
    const written = (s: string) => {
      const ref = rule.info.backendRefs[plan.kept.get(s) ?? -1];
      return ref?.weightRef ? ref.weight : undefined;
    };
    if (plan.removed.length === 0 && plan.added.length === 0 && services.every((s, i) => written(s) === even[i])) return undefined;
    return {
      title: `Split traffic evenly across ${services.join(', ')}`,
      inputs: [{ name: 'services', prompt: 'Services that share the traffic (comma-separated)', default: services.join(', '), kind: 'text' }],
    };
  },
  apply(t, values) {
    const rule = editableRule(t);
    const base = rule && baseRef(rule);
    if (!rule || !base) return NO_LONGER_APPLIES;
    const services = serviceList(values.services);
    if (typeof services === 'string') return services;
    const plan = splitPlan(rule, refNamespace(base, rule.route), services);
    const weights = normalizedWeights(services.map(() => 1));
    const weightOf = (name: string) => weights[services.indexOf(name)];
    const last = rule.items[rule.items.length - 1];
    return done([
      ...plan.removed.map((i) => removeItem(t.place, rule.items[i])),
      ...[...plan.kept].map(([name, i]) => setWeight(t, rule, i, weightOf(name))),
      ...(plan.added.length > 0
        ? [
            insertItemsAfter(
              t.place,
              last,
              plan.added.map((s) => backendRefLike(t, rule, base, s, weightOf(s))),
            ),
          ]
        : []),
    ]);
  },
};

/** The backendRef a promotion keeps: the one under the cursor, else the lightest (the last of equals). */
function promoted(rule: GatewayRuleTarget): BackendRefInfo {
  if (rule.focused) return rule.focused;
  const refs = rule.info.backendRefs;
  return refs.reduce((low, r) => (r.weight <= low.weight ? r : low), refs[refs.length - 1]);
}

const refLabel = (r: BackendRefInfo) => r.name?.value ?? `backendRef ${r.index + 1}`;

const promote: RefactoringProvider = {
  id: 'gateway-promote',
  offer(t) {
    const rule = editableRule(t);
    if (!rule || rule.info.backendRefs.length < 2) return undefined;
    return { title: `Promote canary: send 100% to ${refLabel(promoted(rule))}` };
  },
  apply(t) {
    const rule = editableRule(t);
    if (!rule || rule.info.backendRefs.length < 2) return NO_LONGER_APPLIES;
    const keep = promoted(rule);
    // The only backendRef left takes every request whatever its weight; a written one (possibly 0) becomes 100.
    return done(rule.info.backendRefs.map((r, i) => (r !== keep ? removeItem(t.place, rule.items[i]) : r.weightRef ? setWeight(t, rule, i, 100) : { uri: t.uri, start: 0, end: 0, newText: '' })));
  },
};

/** The rule's weights summing to 100 (a backendRef without `weight` weighs 1), or undefined when they need no change. */
function normalizedRule(rule: GatewayRuleTarget): number[] | undefined {
  const refs = rule.info.backendRefs;
  if (refs.length === 0 || (refs.length === 1 && !refs[0].weightRef)) return undefined;
  const target = normalizedWeights(refs.map((r) => r.weight));
  return target.every((w, i) => refs[i].weightRef && refs[i].weight === w) ? undefined : target;
}

const normalize: RefactoringProvider = {
  id: 'gateway-normalize',
  offer(t) {
    const rule = editableRule(t);
    const target = rule && normalizedRule(rule);
    return target ? { title: `Normalize weights to sum to 100 (${target.join(' / ')})` } : undefined;
  },
  apply(t) {
    const rule = editableRule(t);
    const target = rule && normalizedRule(rule);
    if (!rule || !target) return NO_LONGER_APPLIES;
    return done(target.map((w, i) => setWeight(t, rule, i, w)));
  },
};

/** The weight refactorings of HTTPRoute and GRPCRoute rules, with the header-based canary rule. */
export const HTTP_ROUTE_WEIGHT_REFACTORINGS: RefactoringProvider[] = [canary, headerCanaryRule, split, promote, normalize];
