// DestinationRule subsets as refactorings need them: which subsets a host has, the label
// convention of a rule's subsets, and the edit that adds subsets to a rule (in whatever file
// holds it) or creates the rule when the host has none.
import { isMap } from 'yaml';
import { allDestinations, type SubsetInfo } from '../workspace/extract';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';
import { destinationRuleFor, sameHost, subsetNames } from '../workspace/resolve';
import type { Edit } from './textEdits';
import { appendDocuments, Flow, insertItemsAfter, setKey, writerFor, type DocumentPlace, type YamlValue } from './yamlEdit';

/** The label the existing subsets key their name on (usually `version`), set to the new name. */
export function labelsFor(subsets: SubsetInfo[], subset: string): [string, string][] {
  for (const s of subsets) {
    const key = Object.entries(s.labels ?? {}).find(([, v]) => v === s.name?.value)?.[0];
    if (key) return [[key, subset]];
  }
  const first = Object.keys(subsets.find((s) => s.labels && Object.keys(s.labels).length > 0)?.labels ?? {})[0];
  return [[first ?? 'version', subset]];
}

function subsetValue(name: string, labels: [string, string][], flowLabels = false): YamlValue {
  const map = Object.fromEntries(labels);
  return { name, labels: flowLabels ? new Flow(map) : map };
}

/** Adds subsets to a DestinationRule, following its file's style. Undefined if it cannot be done cleanly. */
export function addSubsetsEdit(rule: IndexedResource, fileText: string, names: string[]): Edit | undefined {
  const dr = rule.info.destinationRule;
  if (!dr) return undefined;
  const place: DocumentPlace = { uri: rule.uri, text: fileText, resource: rule.resource, w: writerFor(fileText, rule.resource.text) };
  const spec = rule.resource.doc.get('spec', true);
  const seq = isMap(spec) ? spec.get('subsets', true) : undefined;
  const items = (seq as { items?: unknown[] } | undefined)?.items ?? [];
  const last = items[items.length - 1];
  if (last) {
    const lastInfo = dr.subsets[dr.subsets.length - 1];
    const flowLabels = lastInfo?.labelsSpan !== undefined && fileText[rule.resource.fileOffset(lastInfo.labelsSpan.start)] === '{';
    // Keep `labels: {version: v2}` on one line when the existing subsets do.
    return insertItemsAfter(
      place,
      last,
      names.map((n) => subsetValue(n, labelsFor(dr.subsets, n), flowLabels)),
    );
  }
  // `subsets:` with no value yet is filled in; `subsets: []` is a form we leave alone.
  return setKey(
    place,
    spec,
    'subsets',
    names.map((n) => subsetValue(n, [['version', n]])),
  );
}

/**
 * Makes sure `host` has these subsets: adds the missing ones to its DestinationRule, or appends
 * a DestinationRule with them (and with `alreadyUsed`) to the file `uri` when the host has none.
 */
export function ensureSubsets(
  index: WorkspaceIndex,
  fileText: (uri: string) => string | undefined,
  at: { uri: string; text: string; host: string; namespace: string; writtenNamespace?: string; alreadyUsed: string[] },
  names: string[],
): Edit[] | undefined {
  const wanted = [...new Set(names)];
  const rule = destinationRuleFor(index, at.host, at.namespace);
  if (rule) {
    const defined = subsetNames(rule);
    const missing = wanted.filter((n) => !defined.includes(n));
    if (missing.length === 0) return [];
    const text = fileText(rule.uri);
    const edit = text === undefined ? undefined : addSubsetsEdit(rule, text, missing);
    return edit ? [edit] : undefined;
  }
  if (rulesLiveElsewhere(index, at.host, at.namespace)) return [];
  // A new rule also defines the subsets the routes already use, which no rule defined before.
  const all = [...new Set([...at.alreadyUsed, ...wanted])];
  const w = writerFor(at.text);
  const name = ruleName(at.host);
  return [
    appendDocuments(at.uri, at.text, w, [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name, ...(at.writtenNamespace ? { namespace: at.writtenNamespace } : {}) },
        spec: { host: at.host, subsets: all.map((n) => subsetValue(n, [['version', n]])) },
      },
    ]),
  ];
}

/**
 * The namespace routes to subsets of other hosts yet the workspace holds none of its
 * DestinationRules: they are applied from elsewhere, and a rule created here would be the
 * namespace's only one (every other subset would then look undefined). Leave rules alone.
 */
function rulesLiveElsewhere(index: WorkspaceIndex, host: string, namespace: string): boolean {
  if (index.namespaceHas(namespace, ['DestinationRule'])) return false;
  return index
    .ofKindIn('VirtualService', namespace)
    .some((vs) => allDestinations(vs.info.virtualService).some((d) => d.subset && d.host && !sameHost(index, d.host.value, namespace, host, namespace)));
}

/** A resource name from a host: `reviews.shop.svc.cluster.local` → `reviews`. */
export function ruleName(host: string): string {
  // A DNS label (at most 63 characters) is valid as every resource's name.
  const label = host
    .replace(/^\*\.?/, '')
    .split('.')[0]
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
  return label.replace(/^-+|-+$/g, '') || 'destination';
}

/** A subset name the host does not use yet: the next `vN`, or `canary`. */
export function nextSubset(current: string | undefined, taken: string[]): string {
  const version = current?.match(/^v(\d+)$/);
  const candidates = version ? [`v${Number(version[1]) + 1}`, 'canary'] : ['v2', 'canary'];
  for (const c of candidates) if (!taken.includes(c) && c !== current) return c;
  let n = 2;
  while (taken.includes(`canary-${n}`)) n++;
  return `canary-${n}`;
}
