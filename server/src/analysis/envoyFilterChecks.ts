// EnvoyFilter patch operations that Istio ignores or may apply out of order (IST0151–IST0155).
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Check } from './context';

const RELATIVE = new Set(['INSERT_BEFORE', 'INSERT_AFTER', 'REPLACE']);
const ROUTE_LEVEL = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
const REPLACEABLE = new Set(['HTTP_FILTER', 'NETWORK_FILTER']);

function scalar(map: YAMLMap | undefined, key: string): Node | undefined {
  const node = map?.get(key, true) as Node | undefined;
  return isScalar(node) ? node : undefined;
}

export const checkEnvoyFilterPatches: Check = (ctx) => {
  if (ctx.entry.info.kind !== 'EnvoyFilter') return;
  const spec = ctx.entry.resource.doc.get('spec', true);
  if (!isMap(spec)) return;
  const priority = spec.get('priority');
  const hasPriority = typeof priority === 'number' && priority !== 0;
  const patches = spec.get('configPatches', true);
  for (const item of isSeq(patches) ? patches.items : []) {
    if (!isMap(item)) continue;
    const applyTo = scalar(item, 'applyTo');
    const patch = item.get('patch', true);
    const operationNode = scalar(isMap(patch) ? patch : undefined, 'operation');
    const range = operationNode?.range;
    if (!operationNode || !range) continue;
    const at = { start: range[0], end: range[1] };
    const operation = String((operationNode as { value: unknown }).value);
    const target = applyTo ? String((applyTo as { value: unknown }).value) : '';
    if (operation === 'REPLACE' && target && !REPLACEABLE.has(target)) {
      ctx.report('envoyFilterReplace', at, `REPLACE only works on HTTP_FILTER and NETWORK_FILTER, not ${target}; Istio ignores this patch.`);
    } else if (operation === 'ADD' && ROUTE_LEVEL.has(target)) {
      ctx.report('envoyFilterAdd', at, `ADD is ignored when applyTo is ${target}; use MERGE.`);
    } else if (operation === 'REMOVE' && ROUTE_LEVEL.has(target)) {
      ctx.report('envoyFilterRemove', at, `REMOVE is ignored when applyTo is ${target}.`);
    } else if (RELATIVE.has(operation) && !hasPriority) {
      const match = item.get('match', true);
      const proxy = isMap(match) ? match.get('proxy', true) : undefined;
      const pinned = isMap(proxy) && proxy.has('proxyVersion');
      const key = pinned ? 'envoyFilterRelativeVersion' : 'envoyFilterRelative';
      const risk = pinned ? 'and a proxyVersion match, so it may stop applying during an Istio upgrade' : 'so it may not be applied if what it is relative to is missing or patched later';
      ctx.report(key, at, `${operation} is relative to another filter and this EnvoyFilter sets no priority, ${risk}. Use INSERT_FIRST or ADD, or set a priority.`);
    }
  }
};
