// EnvoyFilter patch operations that Istio ignores or may apply out of order (IST0151–IST0155).
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Check } from './context';

const RELATIVE = new Set(['INSERT_BEFORE', 'INSERT_AFTER', 'REPLACE', 'REMOVE']);
const ROUTE_LEVEL = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
const REPLACEABLE = new Set(['HTTP_FILTER', 'NETWORK_FILTER', 'VIRTUAL_HOST']);

function scalar(map: YAMLMap | undefined, key: string): Node | undefined {
  const node = map?.get(key, true) as Node | undefined;
  return isScalar(node) ? node : undefined;
}

const asMap = (node: unknown): YAMLMap | undefined => (isMap(node) ? node : undefined);

/** The name istioctl keys a patch by: its value's `name`, else the listener filter chain filter it matches. */
function patchName(item: YAMLMap, patch: YAMLMap | undefined): string {
  const value = asMap(patch?.get('value', true));
  if (!value || value.items.length === 0) return '';
  const name = value.get('name');
  if (name !== undefined) return String(name);
  const filter = asMap(asMap(asMap(asMap(item.get('match', true))?.get('listener', true))?.get('filterChain', true))?.get('filter', true));
  return String(filter?.get('name') ?? '');
}

/**
 * IST0151–IST0155 as istioctl's EnvoyPatchAnalyzer: REPLACE works on HTTP_FILTER, NETWORK_FILTER
 * and VIRTUAL_HOST; ADD and REMOVE are ignored on route configuration; INSERT_BEFORE/AFTER,
 * REPLACE and REMOVE are relative, and need a priority. A relative patch is IST0155 rather than
 * IST0151 when an earlier patch of the filter with a proxyVersion match has the same name.
 */
export const checkEnvoyFilterPatches: Check = (ctx) => {
  if (ctx.entry.info.kind !== 'EnvoyFilter') return;
  const spec = ctx.entry.resource.doc.get('spec', true);
  if (!isMap(spec)) return;
  const priority = spec.get('priority');
  const hasPriority = typeof priority === 'number' && priority !== 0;
  const patches = spec.get('configPatches', true);
  const pinnedNames = new Set<string>();
  for (const item of isSeq(patches) ? patches.items : []) {
    if (!isMap(item)) continue;
    const applyTo = scalar(item, 'applyTo');
    const patch = asMap(item.get('patch', true));
    const operationNode = scalar(patch, 'operation');
    const range = operationNode?.range;
    if (!operationNode || !range) continue;
    const at = { start: range[0], end: range[1] };
    const operation = String((operationNode as { value: unknown }).value);
    const target = applyTo ? String((applyTo as { value: unknown }).value) : '';
    const name = patchName(item, patch);
    if (operation === 'REPLACE' && target && !REPLACEABLE.has(target)) {
      ctx.report('envoyFilterReplace', at, `REPLACE only works on HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST, not ${target}; Istio ignores this patch.`);
    } else if (operation === 'ADD' && ROUTE_LEVEL.has(target)) {
      ctx.report('envoyFilterAdd', at, `ADD is ignored when applyTo is ${target}; use MERGE.`);
    } else if (operation === 'REMOVE' && ROUTE_LEVEL.has(target)) {
      ctx.report('envoyFilterRemove', at, `REMOVE is ignored when applyTo is ${target}.`);
    } else if (RELATIVE.has(operation) && !hasPriority) {
      const pinned = pinnedNames.has(name);
      const key = pinned ? 'envoyFilterRelativeVersion' : 'envoyFilterRelative';
      const risk = pinned
        ? `and an earlier patch of '${name}' matches a proxyVersion, so it may stop applying during an Istio upgrade`
        : 'so it may not be applied if what it is relative to is missing or patched later';
      ctx.report(key, at, `${operation} is relative to another filter and this EnvoyFilter sets no priority, ${risk}. Use INSERT_FIRST or ADD, or set a priority.`);
    }
    const proxy = asMap(asMap(item.get('match', true))?.get('proxy', true));
    const version = proxy?.get('proxyVersion');
    if (typeof version === 'string' && version.length > 0) pinnedNames.add(name);
  }
};
