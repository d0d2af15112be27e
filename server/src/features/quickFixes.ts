// Quick fixes, dispatched on a diagnostic's code and data payload (never its message). Each
// fix edits only what it must; other lines, comments and documents stay byte-identical.
import { isMap, isScalar, isSeq, visit, type Pair } from 'yaml';
import { closest, type Problem } from '../base/problems';
import { CATALOG } from '../base/catalog';
import { clusterNamespace, serviceFqdn } from '../workspace/hosts';
import { resolveHost } from '../workspace/resolve';
import { allDestinations } from '../workspace/extract';
import { viewersOf, type IndexedResource, type WorkspaceIndex } from '../workspace/index';
import { hasUnreadableWeight, normalizedWeights } from '../edit/weights';
import { addSubsetsEdit, ruleName } from '../edit/subsets';
import { moveKey } from '../edit/moveKey';
import { appendDocuments, setKey, writerFor, type DocumentPlace } from '../edit/yamlEdit';
import { deleteListItem, replaceScalar, type Edit } from '../edit/textEdits';
import { bindToWaypointFixes, createWaypointFix } from '../edit/ambientFixes';
import { referenceGrantDocument, referenceGrantHome, type GrantRequest } from '../edit/referenceGrants';
import type { FeatureContext } from './context';

export interface Fix {
  title: string;
  isPreferred?: boolean;
  problem: Problem;
  edits: Edit[];
  /** What computing the fixes of this problem threw: shown as a disabled fix, with the reason. */
  failure?: unknown;
}

/** The file the problems belong to, with its current text. */
interface FixTarget {
  ctx: FeatureContext;
  uri: string;
  text: string;
}

/** Quick fixes for problems (file offsets) of a workspace file; none when the file is unknown. */
export function quickFixes(ctx: FeatureContext, uri: string, problems: Problem[]): Fix[] {
  const text = ctx.text(uri);
  if (text === undefined) return [];
  const t: FixTarget = { ctx, uri, text };
  return problems.flatMap((problem) => {
    try {
      return fixesFor(t, problem);
    } catch (failure) {
      return [{ title: `Fix ${problem.code}`, problem, edits: [], failure }];
    }
  });
}

function fixesFor(t: FixTarget, p: Problem): Fix[] {
  const data = p.data;
  const change = (title: string, value: string, isPreferred = false): Fix => ({ title, isPreferred, problem: p, edits: [replaceScalar(t.uri, t.text, p.start, p.end, value)] });
  switch (data?.type) {
    case 'unknown-field': {
      // Renaming to a key the map already has would write it twice.
      const rename = data.suggestion && !siblingKeys(t, p.start).includes(data.suggestion) ? [change(`Change to '${data.suggestion}'`, data.suggestion, !data.home)] : [];
      return [...moveToHome(t, p, data.field, data.home), ...rename];
    }
    case 'enum': {
      const others = data.allowed.length <= 8 ? data.allowed.filter((v) => v !== data.suggestion).map((v) => change(`Change to '${v}'`, v)) : [];
      return [...(data.suggestion ? [change(`Change to '${data.suggestion}'`, data.suggestion, true)] : []), ...others];
    }
    case 'type':
      return removeQuotes(t, p, data.unquoted);
    case 'kind':
      return data.suggestion ? [change(`Change to '${data.suggestion}'`, data.suggestion, true)] : [];
    case 'api-version':
      return data.preferred ? [change(`Change apiVersion to ${data.preferred}`, data.preferred, true)] : [];
    case 'subset-not-found':
      return subsetFixes(t, p, data, change);
    case 'reference':
      return data.target === 'host' ? hostFixes(t, p, data.name, change) : [];
    case 'gateway-api-ref':
      return nameFixes(t, p, data.name, data.suggestion, data.candidates, change);
    case 'weights':
      return spreadWeights(t, p, data.routeKind, data.routeIndex);
    case 'duplicate':
      return removeDuplicate(t, p, data.what, data.names);
    case 'backend-port':
      return portFixes(t, p, data.port, data.ports);
    case 'reference-grant':
      return createReferenceGrant(t, p, data);
    case 'waypoint':
      return createWaypointFix(fileOf(t), p, data).map((f) => ({ ...f, problem: p }));
    case 'policy-targets':
      return bindToWaypointFixes(fileOf(t), p, data).map((f) => ({ ...f, problem: p }));
    default:
      return [];
  }
}

/** A Gateway API name that names nothing (a Gateway, a listener, a Service): the closest name first, then the others when they are few. */
function nameFixes(t: FixTarget, p: Problem, name: string, suggestion: string | undefined, candidates: string[], change: (t: string, v: string, preferred?: boolean) => Fix): Fix[] {
  // A stale diagnostic (the name edited since) gets no fix.
  if (unquote(t.text.slice(p.start, p.end)) !== name) return [];
  const others = candidates.length <= MAX_LISTED_NAMES ? candidates.filter((c) => c !== suggestion && c !== name) : [];
  return [...(suggestion ? [change(`Change to '${suggestion}'`, suggestion, true)] : []), ...others.map((c) => change(`Change to '${c}'`, c))];
}

const MAX_LISTED_NAMES = 6;

/** `attempts: "3"` → `attempts: 3`: only the quotes go, when the field takes the value written plain (the validator says which). */
function removeQuotes(t: FixTarget, p: Problem, unquoted: string | undefined): Fix[] {
  if (unquoted === undefined) return [];
  const written = t.text.slice(p.start, p.end);
  if (written !== `"${unquoted}"` && written !== `'${unquoted}'`) return [];
  return [{ title: 'Remove the quotes', isPreferred: true, problem: p, edits: [{ uri: t.uri, start: p.start, end: p.end, newText: unquoted }] }];
}

/** A known field in the wrong map: moved, with its value, to the map where it belongs (not when that map has it already). */
function moveToHome(t: FixTarget, p: Problem, field: string, home: { path: (string | number)[]; label: string } | undefined): Fix[] {
  const entry = home && entryAt(t, p.start);
  if (!home || !entry) return [];
  const local = entry.resource.docOffset(p.start);
  let pair: Pair | undefined;
  visit(entry.resource.doc, {
    Pair(_, found) {
      if (!isScalar(found.key) || found.key.range?.[0] !== local) return undefined;
      pair = found;
      return visit.BREAK;
    },
  });
  const doc = entry.resource.doc;
  const target = home.path.length === 0 ? doc.contents : doc.getIn(home.path, true);
  const edits = pair && moveKey(placeOf(t, entry), pair, target);
  return edits ? [{ title: `Move '${field}' to ${home.label}`, isPreferred: true, problem: p, edits }] : [];
}

/** A host nothing defines: the closest host that resolves from here, and a ServiceEntry defining it (IST0101, IST0174). */
function hostFixes(t: FixTarget, p: Problem, fqdn: string, change: (t: string, v: string, preferred?: boolean) => Fix): Fix[] {
  const entry = entryAt(t, p.start);
  if (!entry) return [];
  const written = unquote(t.text.slice(p.start, p.end));
  const near = closestHost(t.ctx.workspace, written, fqdn, entry);
  const fixes = near ? [change(`Change to '${near}'`, near, true)] : [];
  if (p.code === CATALOG.referenceNotFound.code || p.code === CATALOG.destinationRuleHostNotFound.code) fixes.push(createServiceEntry(t, p, entry, written, fqdn));
  return fixes;
}

function unquote(text: string): string {
  return text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0]) ? text.slice(1, -1) : text;
}

/**
 * The defined host closest to the one written, written the way the referrer would: a Service of
 * its namespace by name, others by FQDN, ServiceEntry hosts as they are. Only a host that then
 * resolves (exported to the referrer) is suggested.
 */
function closestHost(index: WorkspaceIndex, written: string, fqdn: string, referrer: IndexedResource): string | undefined {
  const forms = new Map<string, string>();
  for (const s of index.ofKind('Service')) {
    const full = serviceFqdn(s.name, s.namespace, index.settings);
    forms.set(full, full);
    if (s.namespace === referrer.namespace) forms.set(s.name, full);
  }
  for (const se of index.ofKind('ServiceEntry')) for (const h of se.info.serviceEntry?.hosts ?? []) if (!h.value.includes('*')) forms.set(h.value, index.resolve(h.value, se.namespace));
  const viewers = viewersOf(referrer);
  const usable = [...forms.keys()].filter((f) => forms.get(f) !== fqdn && resolveHost(index, f, referrer.namespace, viewers).status === 'found');
  // A short name is compared with short names; an FQDN also by its FQDN.
  const short = usable.filter((f) => !f.includes('.'));
  return (
    (written.includes('.') ? undefined : closest(written, short, 3)) ??
    closest(
      fqdn,
      usable.filter((f) => f.includes('.')),
      3,
    )
  );
}

/** A ServiceEntry for the host, appended to the file: the destination's port (else 80) with the route's protocol, DNS resolution. */
function createServiceEntry(t: FixTarget, p: Problem, entry: IndexedResource, written: string, fqdn: string): Fix {
  const local = entry.resource.docOffset(p.start);
  const dest = entry.info.virtualService ? allDestinations(entry.info.virtualService).find((d) => d.host?.start === local) : undefined;
  const protocol = dest?.routeKind === 'tcp' ? 'TCP' : dest?.routeKind === 'tls' ? 'TLS' : 'HTTP';
  const port = dest?.port ?? (protocol === 'TLS' ? 443 : 80);
  const internal = !written.includes('.') || clusterNamespace(fqdn, t.ctx.workspace.settings) !== undefined;
  const taken = new Set(t.ctx.workspace.ofKindIn('ServiceEntry', entry.namespace).map((e) => e.name));
  const base = ruleName(written);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  const serviceEntry = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, ...(entry.info.namespace ? { namespace: entry.info.namespace } : {}) },
    spec: {
      hosts: [fqdn],
      ports: [{ number: port, name: `${protocol.toLowerCase()}-${port}`, protocol }],
      resolution: 'DNS',
      location: internal ? 'MESH_INTERNAL' : 'MESH_EXTERNAL',
    },
  };
  return { title: `Create a ServiceEntry for ${fqdn}`, problem: p, edits: [appendDocuments(t.uri, t.text, placeOf(t, entry).w, [serviceEntry])] };
}

type SubsetData = Extract<Problem['data'], { type: 'subset-not-found' }>;

function subsetFixes(t: FixTarget, p: Problem, data: SubsetData, change: (t: string, v: string, preferred?: boolean) => Fix): Fix[] {
  const fixes: Fix[] = [];
  const rule = data.ruleUri ? t.ctx.workspace.entries(data.ruleUri).find((e) => e.info.kind === 'DestinationRule' && e.name === data.ruleName && e.namespace === data.ruleNamespace) : undefined;
  const ruleText = data.ruleUri ? t.ctx.text(data.ruleUri) : undefined;
  if (rule && ruleText !== undefined) {
    const edit = addSubsetsEdit(rule, ruleText, [data.subset]);
    if (edit) fixes.push({ title: `Add subset '${data.subset}' to DestinationRule ${rule.name}`, isPreferred: true, problem: p, edits: [edit] });
  }
  const ordered = data.suggestion ? [data.suggestion, ...data.defined.filter((d) => d !== data.suggestion)] : data.defined;
  fixes.push(...ordered.map((name) => change(`Change to '${name}'`, name)));
  if (!rule && data.defined.length === 0) {
    const created = createDestinationRule(t, p, data);
    if (created) fixes.push(created);
  }
  return fixes;
}

const fileOf = (t: FixTarget) => ({ index: t.ctx.workspace, uri: t.uri, text: t.text });

function entryAt(t: FixTarget, offset: number): IndexedResource | undefined {
  return t.ctx.workspace.entryAt(t.uri, offset);
}

/** The keys of the map in which a key is written at `offset`. */
function siblingKeys(t: FixTarget, offset: number): string[] {
  const entry = entryAt(t, offset);
  if (!entry) return [];
  const local = entry.resource.docOffset(offset);
  let keys: string[] = [];
  visit(entry.resource.doc, {
    Map(_, map) {
      if (!map.items.some((p) => isScalar(p.key) && p.key.range?.[0] === local)) return undefined;
      keys = map.items.flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : []));
      return visit.BREAK;
    },
  });
  return keys;
}

function placeOf(t: FixTarget, entry: IndexedResource): DocumentPlace {
  return { uri: t.uri, text: t.text, resource: entry.resource, w: writerFor(t.text, entry.resource.text) };
}

/** Appends a DestinationRule defining every subset the VirtualService routes to for the host. */
function createDestinationRule(t: FixTarget, p: Problem, data: SubsetData): Fix | undefined {
  const vs = entryAt(t, p.start);
  const info = vs?.info.virtualService;
  if (!vs || !info) return undefined;
  const dests = allDestinations(info).filter((d) => d.host && t.ctx.workspace.resolve(d.host.value, vs.namespace) === data.host);
  const written = dests[0]?.host?.value ?? data.host;
  const subsets = [...new Set(dests.flatMap((d) => (d.subset ? [d.subset.value] : [])))];
  const name = ruleName(written);
  const rule = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, ...(vs.info.namespace ? { namespace: vs.info.namespace } : {}) },
    spec: { host: written, subsets: subsets.map((s) => ({ name: s, labels: { version: s } })) },
  };
  return { title: `Create DestinationRule ${name} with subsets ${subsets.join(', ')}`, problem: p, edits: [appendDocuments(t.uri, t.text, placeOf(t, vs).w, [rule])] };
}

/** The `route` list items of a VirtualService's route. */
function routeItems(vs: IndexedResource, routeKind: string, routeIndex: number): unknown[] {
  const spec = vs.resource.doc.get('spec', true);
  const routes = isMap(spec) ? spec.get(routeKind, true) : undefined;
  const route = isSeq(routes) ? routes.items[routeIndex] : undefined;
  const list = isMap(route) ? route.get('route', true) : undefined;
  return isSeq(list) ? list.items : [];
}

/** Gives a route's destinations integer weights that sum to 100, replacing the written ones (also an empty `weight:`). */
function spreadWeights(t: FixTarget, p: Problem, routeKind: string, routeIndex: number): Fix[] {
  const vs = entryAt(t, p.start);
  const route = vs?.info.virtualService?.routes.find((r) => r.routeKind === routeKind && r.index === routeIndex);
  if (!vs || !route || route.destinations.length === 0 || hasUnreadableWeight(route.destinations)) return [];
  const items = routeItems(vs, routeKind, routeIndex);
  const place = placeOf(t, vs);
  const edits = normalizedWeights(route.destinations.map(() => 1)).map((weight, i) => setKey(place, items[i], 'weight', weight));
  if (edits.some((e) => e === undefined)) return [];
  return [{ title: 'Spread the weights evenly (total 100)', isPreferred: true, problem: p, edits: edits as Edit[] }];
}

function removeDuplicate(t: FixTarget, p: Problem, what: string, names: string[] = []): Fix[] {
  if (what === 'subset') {
    // KIA0201 sits on the DestinationRule's host; `names` are the subsets another rule also defines.
    const dr = entryAt(t, p.start);
    const subsets = dr?.info.destinationRule?.subsets ?? [];
    return names.flatMap((name) => {
      const subset = subsets.find((s) => s.name?.value === name);
      const edit = dr && subset ? deleteListItem(t.uri, t.text, dr.resource.fileSpan(subset.span).start, dr.resource.fileSpan(subset.span).end) : undefined;
      return edit ? [{ title: `Remove the duplicate subset '${name}'`, problem: p, edits: [edit] }] : [];
    });
  }
  if (what === 'destination') {
    // KIA1105 sits on the destination's host: remove its whole `- destination:` item.
    const vs = entryAt(t, p.start);
    const local = vs?.resource.docOffset(p.start);
    const dest = vs?.info.virtualService ? allDestinations(vs.info.virtualService).find((d) => d.host?.start === local) : undefined;
    const item = dest?.itemSpan && vs ? vs.resource.fileSpan(dest.itemSpan) : undefined;
    const edit = item ? deleteListItem(t.uri, t.text, item.start, item.end) : undefined;
    return edit ? [{ title: 'Remove the duplicate destination', isPreferred: true, problem: p, edits: [edit] }] : [];
  }
  if (what === 'match') {
    // Removing a route's only match would turn it into a catch-all.
    const vs = entryAt(t, p.start);
    const local = vs?.resource.docOffset(p.start);
    const route = vs?.info.virtualService?.routes.find((r) => r.matches.some((m) => m.span.start === local));
    if (!route || route.matches.length < 2) return [];
  }
  const edit = deleteListItem(t.uri, t.text, p.start, p.end);
  return edit ? [{ title: `Remove the duplicate ${what}`, isPreferred: true, problem: p, edits: [edit] }] : [];
}

/** A backendRef port the Service does not have: one fix per port it has, the one that suits the route's kind first. */
function portFixes(t: FixTarget, p: Problem, port: number, ports: number[]): Fix[] {
  // A stale diagnostic (the port edited since) gets no fix.
  if (unquote(t.text.slice(p.start, p.end)) !== String(port)) return [];
  return ports.map((n, i) => ({ title: `Use port ${n}`, isPreferred: i === 0, problem: p, edits: [replaceScalar(t.uri, t.text, p.start, p.end, n)] }));
}

/** The ReferenceGrant a cross-namespace reference lacks: appended to the file defining the target (a Service) when the workspace has it, else to this one. */
function createReferenceGrant(t: FixTarget, p: Problem, request: GrantRequest): Fix[] {
  const entry = entryAt(t, p.start);
  if (!entry) return [];
  const index = t.ctx.workspace;
  const { name, document } = referenceGrantDocument(index, request);
  const home = referenceGrantHome(index, request);
  const homeText = home ? t.ctx.text(home.uri) : undefined;
  const edit =
    home && homeText !== undefined ? appendDocuments(home.uri, homeText, writerFor(homeText, home.resource.text), [document]) : appendDocuments(t.uri, t.text, placeOf(t, entry).w, [document]);
  const where = home && homeText !== undefined && home.uri !== t.uri ? ` (next to ${home.info.kind} ${home.name})` : '';
  return [{ title: `Create ReferenceGrant ${name} in namespace ${request.to.namespace}${where}`, isPreferred: true, problem: p, edits: [edit] }];
}
