// The subset a route refactoring (canary, header canary, mirror) offers by default: one whose
// labels select pods, so accepting the defaults never writes a subset the checker flags (KIA0203,
// a subset no workload carries). When nothing would, there is no default and the user is asked.
import { invalidAnswer } from '../../../../shared/answers';
import { labelsFor, nextSubset } from '../../edit/subsets';
import { destinationRuleFor, servicesOf, subsetWouldSelect } from '../../workspace/resolve';
import type { Target } from './target';

/** A subset name a refactoring may offer as a default: one its answer check accepts (Istio's DNS label). */
const isOfferableName = (name: string) => invalidAnswer('name', name) === undefined;

/**
 * The subsets of `host` traffic may go to, best first: the DestinationRule's subsets whose labels
 * select something (or the workspace cannot tell), then, for each version label value the host's
 * workloads carry that no subset selects, a new subset of that name.
 */
export function subsetCandidates(t: Target, host: string): string[] {
  const index = t.ctx.workspace;
  const namespace = t.entry.namespace;
  const rule = destinationRuleFor(index, host, namespace);
  const subsets = rule?.info.destinationRule?.subsets ?? [];
  const selects = (labels: Record<string, string>) => subsetWouldSelect(index, host, namespace, rule, labels) !== false;
  const defined = subsets.flatMap((s) => (s.name && isOfferableName(s.name.value) && s.labels && Object.keys(s.labels).length > 0 && selects(s.labels) ? [s.name.value] : []));
  const [[key]] = labelsFor(subsets, 'x');
  const service = servicesOf(index, host, namespace)[0];
  const selector = service?.info.service?.selector;
  const workloads = service && selector && Object.keys(selector).length > 0 ? index.workloadsMatching(service.namespace, selector) : [];
  const versions = [...new Set(workloads.flatMap((w) => w.info.workloadLabels?.[key] ?? []))].sort();
  const names = subsets.flatMap((s) => s.name?.value ?? []);
  const deployed = versions.filter((v) => isOfferableName(v) && !names.includes(v) && !subsets.some((s) => s.labels?.[key] === v) && selects(Object.fromEntries(labelsFor(subsets, v))));
  return [...defined, ...deployed];
}

/**
 * The default subset for traffic that must not go to `exclude` (the route's current subsets): a
 * candidate, else a fresh name when the workspace cannot tell what it would select; undefined
 * when no subset would select anything (no other version is deployed).
 */
export function defaultSubset(t: Target, host: string, exclude: (string | undefined)[]): string | undefined {
  const candidate = subsetCandidates(t, host).find((s) => !exclude.includes(s));
  if (candidate) return candidate;
  const rule = destinationRuleFor(t.ctx.workspace, host, t.entry.namespace);
  const taken = [...(rule?.info.destinationRule?.subsets ?? []).flatMap((s) => s.name?.value ?? []), ...exclude.flatMap((e) => e ?? [])];
  const fresh = nextSubset(exclude[exclude.length - 1], taken);
  return subsetWouldSelect(t.ctx.workspace, host, t.entry.namespace, rule, Object.fromEntries(labelsFor(rule?.info.destinationRule?.subsets ?? [], fresh))) === undefined ? fresh : undefined;
}

/** The subset that keeps most traffic when a destination has none yet: a candidate, else `v1` when the workspace cannot tell what it would select. */
export function defaultStableSubset(t: Target, host: string): string | undefined {
  const candidate = subsetCandidates(t, host)[0];
  if (candidate) return candidate;
  const rule = destinationRuleFor(t.ctx.workspace, host, t.entry.namespace);
  const subsets = rule?.info.destinationRule?.subsets ?? [];
  const fresh = subsets.some((s) => s.name?.value === 'v1') ? undefined : 'v1';
  return fresh && subsetWouldSelect(t.ctx.workspace, host, t.entry.namespace, rule, Object.fromEntries(labelsFor(subsets, fresh))) === undefined ? fresh : undefined;
}

/** Whether the workspace has no Kubernetes Service for `host` (what a canary's title then says). */
export function hasNoService(t: Target, host: string): boolean {
  return servicesOf(t.ctx.workspace, host, t.entry.namespace).length === 0;
}

/** Why a route refactoring has no default subset, for its title. */
export function whyNoSubset(t: Target, host: string): string {
  return hasNoService(t, host) ? `no Service '${host}' in the workspace` : `no other version of ${host} is deployed`;
}
