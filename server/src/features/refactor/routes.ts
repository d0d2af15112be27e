// Refactorings of a VirtualService route: canary, header canary, split, promote, normalize,
// mirror, retries, timeout and fault injection. Each edits only the route (and the
// DestinationRule's subsets when the route needs new ones).
import { isMap, type YAMLMap } from 'yaml';
import { allDestinations, type DestinationRef } from '../../workspace/extract';
import { destinationRuleFor, sameHost, subsetNames } from '../../workspace/resolve';
import type { Edit } from '../../edit/textEdits';
import { ensureSubsets } from '../../edit/subsets';
import { hasUnreadableWeight, normalizedWeights } from '../../edit/weights';
import { done, routeOf, setWeight } from '../../edit/routeEdits';
import { defaultStableSubset, defaultSubset, hasNoService, whyNoSubset } from './subsetChoice';
import { NO_LONGER_APPLIES, type RefactoringProvider, type RouteTarget, type Target } from './target';
import { addToMap, insertItemsAfter, insertItemsBefore, isBlockMap, removeItem, setKey, type YamlValue } from '../../edit/yamlEdit';

function oneHost(route: RouteTarget): string | undefined {
  const hosts = new Set(route.info.destinations.map((d) => d.host?.value));
  const [host] = hosts;
  return hosts.size === 1 ? host : undefined;
}

function subsetsOfHost(t: Target, host: string): string[] {
  return subsetNames(destinationRuleFor(t.ctx.workspace, host, t.entry.namespace));
}

function usedSubsets(route: RouteTarget): string[] {
  return route.info.destinations.flatMap((d) => (d.subset ? [d.subset.value] : []));
}

function subsetsFor(t: Target, host: string, names: string[]): Edit[] | undefined {
  const vs = t.entry.info.virtualService;
  if (!vs) return undefined;
  const namespace = t.entry.namespace;
  const alreadyUsed = allDestinations(vs).flatMap((d) => (d.subset && d.host && sameHost(t.ctx.workspace, d.host.value, namespace, host, namespace) ? [d.subset.value] : []));
  return ensureSubsets(t.ctx.workspace, (u) => t.ctx.text(u), { uri: t.uri, text: t.text, host, namespace: t.entry.namespace, writtenNamespace: t.entry.info.namespace, alreadyUsed }, names);
}

/** A destination of `host` (the host of `like`) with `like`'s port. */
function destinationValue(host: string, like: DestinationRef, subset: string | undefined): YamlValue {
  return { host, ...(subset ? { subset } : {}), ...(like.port !== undefined ? { port: { number: like.port } } : {}) };
}

/** The weight edit of one destination: the written weight replaced (also an empty `weight:`), or one added. */
const percentOf = (value: string) => Math.round(Number(value));
const label = (d: DestinationRef) => d.subset?.value ?? d.host?.value ?? 'destination';

const canary: RefactoringProvider = {
  id: 'canary',
  offer(t) {
    const route = routeOf(t);
    const dest = route?.info.destinations[0];
    if (!route || route.info.destinations.length !== 1 || !dest?.host || (dest.weight !== undefined && dest.weight !== 100) || dest.weightUnreadable) return undefined;
    const host = dest.host.value;
    const stable = dest.subset?.value ?? defaultStableSubset(t, host);
    const next = defaultSubset(t, host, [...usedSubsets(route), stable]);
    const split = stable && next ? `: 90% ${stable} / 10% ${next}` : '';
    const note = hasNoService(t, host) || !next ? ` (${whyNoSubset(t, host)})` : '';
    return {
      title: `Convert to canary${split}${note}`,
      inputs: [
        ...(dest.subset ? [] : [{ name: 'stable', prompt: `Subset that keeps most traffic (the destination has none yet)`, default: stable ?? '', kind: 'name' as const }]),
        { name: 'canary', prompt: next ? 'Canary subset' : `Canary subset (${whyNoSubset(t, host)}: name the version you will deploy)`, default: next ?? '', kind: 'name' },
        { name: 'percent', prompt: 'Percentage of traffic sent to the canary', default: '10', kind: 'percent' },
      ],
    };
  },
  apply(t, values) {
    const route = routeOf(t);
    const dest = route?.info.destinations[0];
    if (!route || !dest?.host) return NO_LONGER_APPLIES;
    const host = dest.host.value;
    const stable = dest.subset?.value ?? values.stable;
    if (values.canary === stable) return `The canary subset must differ from '${stable}'`;
    const percent = percentOf(values.percent);
    const item = route.items[0] as YAMLMap;
    return done(
      [
        ...(dest.subset ? [] : [setKey(t.place, item.get('destination', true), 'subset', stable)]),
        setWeight(t, route, 0, 100 - percent),
        insertItemsAfter(t.place, item, [{ destination: destinationValue(host, dest, values.canary), weight: percent }]),
      ],
      subsetsFor(t, host, [stable, values.canary]),
    );
  },
};

/** A match condition as a plain value we can write back (undefined if it holds nulls or odd keys). */
function plainValue(value: unknown): YamlValue | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items = value.map(plainValue);
    return items.some((i) => i === undefined) ? undefined : (items as YamlValue[]);
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, plainValue(v)] as const);
    return entries.some(([, v]) => v === undefined) ? undefined : Object.fromEntries(entries as [string, YamlValue][]);
  }
  return undefined;
}

/** An earlier HTTP route without match conditions takes every request: a route inserted before this one would never be used (IST0130). */
function afterCatchAll(t: Target, route: RouteTarget): boolean {
  return (t.entry.info.virtualService?.routes ?? []).some((r) => r.routeKind === 'http' && r.index < route.info.index && r.matches.length === 0);
}

const headerCanary: RefactoringProvider = {
  id: 'header-canary',
  offer(t) {
    const route = routeOf(t);
    const dest = route?.info.destinations.find((d) => d.host);
    if (!route || route.info.routeKind !== 'http' || !dest?.host || afterCatchAll(t, route)) return undefined;
    const host = dest.host.value;
    const next = defaultSubset(t, host, [...usedSubsets(route), dest.subset?.value]);
    return {
      title: `Add header-based canary route (x-canary: "true" → ${next ?? `a subset you name; ${whyNoSubset(t, host)}`})`,
      inputs: [
        { name: 'header', prompt: 'Request header that selects the canary', default: 'x-canary', kind: 'header' },
        { name: 'value', prompt: 'Header value (exact match)', default: 'true', kind: 'text' },
        { name: 'canary', prompt: next ? 'Canary subset' : `Canary subset (${whyNoSubset(t, host)}: name the version you will deploy)`, default: next ?? '', kind: 'name' },
      ],
    };
  },
  apply(t, values) {
    const route = routeOf(t);
    const dest = route?.info.destinations.find((d) => d.host);
    if (!route || !dest?.host) return NO_LONGER_APPLIES;
    const host = dest.host.value;
    const header = { [values.header]: { exact: values.value } };
    const matches = route.info.matches.map((m) => plainValue(m.value));
    if (matches.some((m) => m === undefined || typeof m !== 'object' || Array.isArray(m))) return 'The route has match conditions this refactoring cannot copy';
    const match =
      matches.length === 0 ? [{ headers: header }] : (matches as { [k: string]: YamlValue }[]).map((m) => ({ ...m, headers: { ...((m.headers as { [k: string]: YamlValue }) ?? {}), ...header } }));
    const newRoute = { match, route: [{ destination: destinationValue(host, dest, values.canary) }] };
    return done([insertItemsBefore(t.place, route.node, [newRoute])], subsetsFor(t, host, [values.canary]));
  },
};

const split: RefactoringProvider = {
  id: 'split',
  offer(t) {
    const route = routeOf(t);
    const host = route && oneHost(route);
    if (!route || !host || hasUnreadableWeight(route.info.destinations)) return undefined;
    const subsets = subsetsOfHost(t, host);
    if (subsets.length < 2) return undefined;
    const plan = splitPlan(route, subsets);
    const even = normalizedWeights(subsets.map(() => 1));
    const unchanged = plan.removed.length === 0 && plan.added.length === 0 && plan.kept.every((k, i) => route.info.destinations[k].weight === even[i]);
    return unchanged ? undefined : { title: `Split traffic evenly across ${subsets.join(', ')}` };
  },
  apply(t) {
    const route = routeOf(t);
    const host = route && oneHost(route);
    if (!route || !host) return NO_LONGER_APPLIES;
    const plan = splitPlan(route, subsetsOfHost(t, host));
    const weights = normalizedWeights([...plan.kept, ...plan.added].map(() => 1));
    const like = route.info.destinations[0];
    const last = route.items[route.items.length - 1];
    return done([
      ...plan.removed.map((i) => removeItem(t.place, route.items[i])),
      ...plan.kept.map((i, k) => setWeight(t, route, i, weights[k])),
      ...(plan.added.length > 0
        ? [
            insertItemsAfter(
              t.place,
              last,
              plan.added.map((s, k) => ({ destination: destinationValue(host, like, s), weight: weights[plan.kept.length + k] })),
            ),
          ]
        : []),
    ]);
  },
};

/** Which route items stay (one per subset), which go, and which subsets get a new item. */
function splitPlan(route: RouteTarget, subsets: string[]): { kept: number[]; removed: number[]; added: string[] } {
  const kept: number[] = [];
  const seen = new Set<string>();
  route.info.destinations.forEach((d, i) => {
    const s = d.subset?.value;
    if (s && subsets.includes(s) && !seen.has(s)) {
      seen.add(s);
      kept.push(i);
    }
  });
  const removed = route.info.destinations.map((_, i) => i).filter((i) => !kept.includes(i));
  return { kept, removed, added: subsets.filter((s) => !seen.has(s)) };
}

function promoted(route: RouteTarget): DestinationRef {
  if (route.focused) return route.focused;
  const dests = route.info.destinations;
  return dests.reduce((low, d) => ((d.weight ?? 0) <= (low.weight ?? 0) ? d : low), dests[dests.length - 1]);
}

const promote: RefactoringProvider = {
  id: 'promote',
  offer(t) {
    const route = routeOf(t);
    if (!route || route.info.destinations.length < 2 || (!route.focused && hasUnreadableWeight(route.info.destinations))) return undefined;
    return { title: `Promote canary: send 100% to ${label(promoted(route))}` };
  },
  apply(t) {
    const route = routeOf(t);
    if (!route) return NO_LONGER_APPLIES;
    const keep = promoted(route);
    return done([...route.info.destinations.map((d, i) => (d === keep ? setWeight(t, route, i, 100) : removeItem(t.place, route.items[i])))]);
  },
};

const normalize: RefactoringProvider = {
  id: 'normalize',
  offer(t) {
    const route = routeOf(t);
    const dests = route?.info.destinations ?? [];
    if (!route || dests.length === 0 || dests.every((d) => d.weight === undefined) || hasUnreadableWeight(dests)) return undefined;
    const target = normalizedWeights(dests.map((d) => Math.max(0, d.weight ?? 0)));
    return target.every((w, i) => dests[i].weight === w) ? undefined : { title: `Normalize weights to sum to 100 (${target.join(' / ')})` };
  },
  apply(t) {
    const route = routeOf(t);
    if (!route) return NO_LONGER_APPLIES;
    const target = normalizedWeights(route.info.destinations.map((d) => Math.max(0, d.weight ?? 0)));
    return done(target.map((w, i) => setWeight(t, route, i, w)));
  },
};

function hasKey(route: RouteTarget, ...keys: string[]): boolean {
  return keys.some((k) => route.node.has(k));
}

const mirror: RefactoringProvider = {
  id: 'mirror',
  offer(t) {
    const route = routeOf(t);
    const dest = route?.info.destinations.find((d) => d.host);
    if (!route || route.info.routeKind !== 'http' || !dest?.host || hasKey(route, 'mirror', 'mirrors')) return undefined;
    const host = dest.host.value;
    const next = defaultSubset(t, host, [...usedSubsets(route), dest.subset?.value]);
    return {
      title: next ? `Add mirror to ${next} (100% of requests)` : `Add mirror (${whyNoSubset(t, host)}: asks for the subset)`,
      inputs: [
        { name: 'subset', prompt: next ? 'Subset that receives the mirrored requests' : `Subset that receives the mirrored requests (${whyNoSubset(t, host)})`, default: next ?? '', kind: 'name' },
        { name: 'percent', prompt: 'Percentage of requests mirrored', default: '100', kind: 'percent' },
      ],
    };
  },
  apply(t, values) {
    const route = routeOf(t);
    const dest = route?.info.destinations.find((d) => d.host);
    if (!route || !dest?.host) return NO_LONGER_APPLIES;
    const host = dest.host.value;
    return done([addToMap(t.place, route.node, { mirror: destinationValue(host, dest, values.subset), mirrorPercentage: { value: Number(values.percent) } })], subsetsFor(t, host, [values.subset]));
  },
};

function httpRouteWithout(t: Target, key: string): RouteTarget | undefined {
  const route = routeOf(t);
  return route && route.info.routeKind === 'http' && route.info.destinations.length > 0 && !hasKey(route, key) ? route : undefined;
}

const retries: RefactoringProvider = {
  id: 'retries',
  offer: (t) => (httpRouteWithout(t, 'retries') ? { title: 'Add retries (3 attempts, 2s per try)' } : undefined),
  apply: (t) => (t.route ? done([addToMap(t.place, t.route.node, { retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset,connect-failure,refused-stream' } })]) : NO_LONGER_APPLIES),
};

const timeout: RefactoringProvider = {
  id: 'timeout',
  offer: (t) => (httpRouteWithout(t, 'timeout') ? { title: 'Add timeout (10s)', inputs: [{ name: 'timeout', prompt: 'Request timeout', default: '10s', kind: 'duration' }] } : undefined),
  apply: (t, values) => (t.route ? done([addToMap(t.place, t.route.node, { timeout: values.timeout })]) : NO_LONGER_APPLIES),
};

function faultProvider(kind: 'delay' | 'abort'): RefactoringProvider {
  return {
    id: `fault-${kind}`,
    offer(t) {
      const route = routeOf(t);
      if (!route || route.info.routeKind !== 'http' || route.info.destinations.length === 0) return undefined;
      const fault = route.node.get('fault', true);
      if (fault !== undefined && !(isBlockMap(fault) && !fault.has(kind))) return undefined;
      const inputs =
        kind === 'delay'
          ? [{ name: 'delay', prompt: 'Delay added to each affected request', default: '5s', kind: 'duration' as const }]
          : [{ name: 'status', prompt: 'HTTP status returned to affected requests', default: '503', kind: 'status' as const }];
      return {
        title: kind === 'delay' ? 'Inject fault: delay 5s for 10% of requests' : 'Inject fault: abort with 503 for 10% of requests',
        inputs: [...inputs, { name: 'percent', prompt: 'Percentage of requests affected', default: '10', kind: 'percent' }],
      };
    },
    apply(t, values) {
      const route = routeOf(t);
      if (!route) return NO_LONGER_APPLIES;
      const percentage = { value: Number(values.percent) };
      const value: YamlValue = kind === 'delay' ? { percentage, fixedDelay: values.delay } : { percentage, httpStatus: Number(values.status) };
      const fault = route.node.get('fault', true);
      return done([isMap(fault) ? addToMap(t.place, fault, { [kind]: value }) : addToMap(t.place, route.node, { fault: { [kind]: value } })]);
    },
  };
}

export const ROUTE_REFACTORINGS: RefactoringProvider[] = [canary, headerCanary, split, promote, normalize, mirror, retries, timeout, faultProvider('delay'), faultProvider('abort')];
