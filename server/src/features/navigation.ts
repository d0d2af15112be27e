// Navigation over the workspace index: go to definition, find references and rename for
// DestinationRule subsets, Gateways (of both APIs: a Gateway API one with its parentRefs), service
// hosts (with the backendRefs and mesh parentRefs naming their Services), Gateway API listeners,
// GatewayClasses, ReferenceGrants and what Gateway API references name; and workspace symbols. Every function is pure over (ctx, uri, offset) and answers with
// file offsets; LSP ranges are made at the edge.
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import { hostMatches } from '../workspace/hosts';
import { writeScalar } from '../edit/textEdits';
import { viewersOf, type IndexedResource, type WorkspaceIndex } from '../workspace/index';
import { destinationRulesFor, resolveGateway, resolveHost, subsetsOf } from '../workspace/resolve';
import { allDestinations, type TextRef, type VirtualServiceInfo } from '../workspace/extract';
import { gatewayRefs, policyUses, targetAt, type Occurrence, type SubsetScope, type Target } from '../workspace/targets';
import { gatewayApiDeclarations, gatewayApiUses, gatewayParentRefs, hostGatewayApiUses } from '../workspace/gatewayApiTargets';
import type { FeatureContext } from './context';

export interface Location {
  uri: string;
  start: number;
  end: number;
}

export interface TextEdit extends Location {
  newText: string;
}

export interface RenameRange extends Location {
  placeholder: string;
}

export interface WorkspaceSymbol extends Location {
  /** `Kind name`, e.g. `VirtualService reviews`. */
  name: string;
  /** The resource's namespace. */
  containerName: string;
  kind: string;
}

const SYMBOL_LIMIT = 1000;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A listener's name (the Gateway API's SectionName): a DNS subdomain. */
const SECTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Subset, Gateway or host definitions of the value under the cursor. */
export function definition(ctx: FeatureContext, uri: string, offset: number): Location[] {
  const index = ctx.workspace;
  const target = targetAt(index, uri, offset);
  if (!target) return [];
  if (target.type !== 'host') return unique(declarations(index, target).map(valueLocation));
  // A DestinationRule host is not its own definition: leave out the value under the cursor.
  return unique(
    hostTargetDefinitions(index, target)
      .filter((o) => !sameOccurrence(o, target.at))
      .map(valueLocation),
  );
}

/** A backendRef or mesh parentRef leads to its Service (or, `kind: Hostname`, the Services and ServiceEntries of the host); a host written in Istio resources also to its DestinationRules. */
function hostTargetDefinitions(index: WorkspaceIndex, target: Extract<Target, { type: 'host' }>): Occurrence[] {
  const service = target.backend?.service ?? target.parent?.service;
  if (service) return nameOf(service);
  const found = hostDefinitions(index, target.host, target.at.entry);
  return target.backend || target.parent ? found.filter((o) => !o.entry.info.destinationRule) : found;
}

/** Every use of the subset, Gateway or host under the cursor (and its declarations when asked). */
export function references(ctx: FeatureContext, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const index = ctx.workspace;
  const target = targetAt(index, uri, offset);
  if (!target) return [];
  const found = [...(includeDeclaration ? declarations(index, target) : []), ...uses(index, target)];
  return unique(found.map(valueLocation));
}

type Renamable = Extract<Target, { type: 'subset' | 'gateway' | 'listener' }>;

function renamable(target: Target | undefined): target is Renamable {
  return target?.type === 'subset' || target?.type === 'gateway' || target?.type === 'listener';
}

/** The name to rename under the cursor: subsets, Gateways and Gateway API listeners only. */
export function prepareRename(ctx: FeatureContext, uri: string, offset: number): RenameRange | undefined {
  const target = targetAt(ctx.workspace, uri, offset);
  if (!renamable(target)) return undefined;
  return { ...nameLocation(target.at), placeholder: target.name };
}

/** Edits renaming a subset, a Gateway or a listener everywhere, or why it cannot be renamed. */
export function rename(ctx: FeatureContext, uri: string, offset: number, newName: string): TextEdit[] | string {
  const index = ctx.workspace;
  const target = targetAt(index, uri, offset);
  if (!renamable(target)) return 'Only DestinationRule subsets, Gateways and Gateway API listeners can be renamed.';
  if (newName === target.name) return [];
  const problem = invalidName(newName, target) ?? nameTaken(index, target, newName);
  if (problem) return problem;
  const occurrences = [...declarations(index, target), ...uses(index, target)];
  const incomplete = unwritable(occurrences) ?? unreadableParentRefs(index, target);
  if (incomplete) return incomplete;
  return unique(occurrences.map((o) => ({ ...nameLocation(o), newText: renamedText(o, newName) })));
}

/** The new name as written at an occurrence: a plain value that would read back as another type (`1`, `true`) is quoted. */
function renamedText(occurrence: Occurrence, newName: string): string {
  const first = occurrence.entry.resource.text[occurrence.ref.start];
  if (first === '"' || first === "'" || occurrence.ref.value.includes('/')) return newName;
  return writeScalar(newName);
}

/** Istio and Gateway API resources whose `Kind name` contains the query, ignoring case. */
export function workspaceSymbols(ctx: FeatureContext, query: string): WorkspaceSymbol[] {
  const q = query.toLowerCase();
  const symbols: WorkspaceSymbol[] = [];
  for (const entry of ctx.workspace.resources()) {
    if (symbols.length >= SYMBOL_LIMIT) break;
    const kind = entry.info.kind;
    const name = `${kind} ${entry.name}`;
    if (!entry.resource.isOurs || !entry.info.name || kind === undefined || !name.toLowerCase().includes(q)) continue;
    symbols.push({ ...valueLocation({ entry, ref: entry.info.name }), name, containerName: entry.namespace, kind });
  }
  return symbols;
}

/** Where the target is declared: subset names, Gateway names, Services and ServiceEntry hosts. */
function declarations(index: WorkspaceIndex, target: Target): Occurrence[] {
  if (target.type === 'subset') return subsetsOf(target.scope.rules).flatMap(({ rule, subset }) => (subset.name.value === target.name ? [{ entry: rule, ref: subset.name }] : []));
  if (target.type === 'gateway' && target.gatewayApi) return gatewayApiDeclarations(index, { ...target, gatewayApi: true });
  if (target.type === 'gateway') {
    const { gateways, kubernetesGateways } = resolveGateway(index, target.name, target.namespace);
    return [...gateways, ...kubernetesGateways].flatMap(nameOf);
  }
  if (target.type !== 'host') return gatewayApiDeclarations(index, target);
  const entries = index
    .serviceEntriesWithHost(target.host)
    .flatMap((se) => se.info.serviceEntry.hosts.filter((h) => index.resolve(h.value, se.namespace) === target.host).map((ref) => ({ entry: se, ref })));
  return [...index.services(target.host).flatMap(nameOf), ...entries];
}

/**
 * What a host written in `referrer` leads to: the Services and matching ServiceEntry hosts exported
 * to it (those that are not when none is: what to fix), and the DestinationRules that apply.
 */
function hostDefinitions(index: WorkspaceIndex, host: string, referrer: IndexedResource): Occurrence[] {
  const clientNamespace = referrer.namespace;
  const resolved = resolveHost(index, host, clientNamespace, viewersOf(referrer));
  const definers = resolved.services.length + resolved.serviceEntries.length > 0 ? [...resolved.services, ...resolved.serviceEntries] : resolved.hidden;
  const occurrences = definers.flatMap((e) => {
    const se = e.info.serviceEntry;
    return se ? se.hosts.filter((h) => matchesEitherWay(index.resolve(h.value, e.namespace), host)).map((ref) => ({ entry: e, ref })) : nameOf(e);
  });
  const rules = destinationRulesFor(index, host, clientNamespace).flatMap((r) => (r.info.destinationRule?.host ? [{ entry: r, ref: r.info.destinationRule.host }] : []));
  return [...occurrences, ...rules];
}

/** Every place in the workspace that refers to the target. */
function uses(index: WorkspaceIndex, target: Target): Occurrence[] {
  if (target.type !== 'subset' && target.type !== 'gateway' && target.type !== 'host') return [...gatewayApiUses(index, target), ...policyUses(index, target)];
  const found: Occurrence[] = [...policyUses(index, target)];
  for (const entry of index.ofKind('VirtualService')) {
    const vs = entry.info.virtualService;
    if (vs) found.push(...usesIn(index, target, entry, vs).map((ref) => ({ entry, ref })));
  }
  if (target.type === 'gateway' && isKubernetesGateway(index, target)) found.push(...gatewayParentRefs(index, target.namespace, target.name));
  if (target.type !== 'host') return found;
  for (const entry of index.destinationRulesWithHost(target.host)) {
    const host = entry.info.destinationRule?.host;
    if (host) found.push({ entry, ref: host });
  }
  return [...found, ...hostGatewayApiUses(index, target.host)];
}

/** Does a Gateway target name a Gateway API Gateway (a parentRef's, or a VirtualService's that no Istio Gateway shadows)? */
function isKubernetesGateway(index: WorkspaceIndex, target: Extract<Target, { type: 'gateway' }>): boolean {
  return !!target.gatewayApi || resolveGateway(index, target.name, target.namespace).kubernetesGateways.length > 0;
}

function usesIn(index: WorkspaceIndex, target: Extract<Target, { type: 'subset' | 'gateway' | 'host' }>, entry: IndexedResource, vs: VirtualServiceInfo): TextRef[] {
  const resolve = (ref: TextRef) => index.resolve(ref.value, entry.namespace);
  if (target.type === 'gateway') {
    return gatewayRefs(vs).filter((g) => {
      const gateway = resolveGateway(index, g.value, entry.namespace);
      // A VirtualService entry an Istio Gateway of that name answers does not name the Gateway API one.
      return gateway.namespace === target.namespace && gateway.name === target.name && (!target.gatewayApi || gateway.kubernetesGateways.length > 0);
    });
  }
  if (target.type === 'host') return [...vs.hosts, ...allDestinations(vs).flatMap((d) => d.host ?? [])].filter((h) => resolve(h) === target.host);
  return allDestinations(vs).flatMap((d) => (d.host && d.subset?.value === target.name && inScope(index, target.scope, resolve(d.host), entry.namespace) ? [d.subset] : []));
}

function inScope(index: WorkspaceIndex, scope: SubsetScope, host: string, clientNamespace: string): boolean {
  if (scope.rules.length === 0) return host === scope.host && destinationRulesFor(index, host, clientNamespace).length === 0;
  return destinationRulesFor(index, host, clientNamespace).some((r) => scope.rules.includes(r));
}

function invalidName(name: string, target: Renamable): string | undefined {
  if (target.type === 'listener') {
    if (name.length <= 253 && SECTION_NAME.test(name)) return undefined;
    return `'${name}' is not a valid listener name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.`;
  }
  if (name.length <= 63 && DNS_LABEL.test(name)) return undefined;
  return `'${name}' is not a valid name: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit.`;
}

/** Renaming onto an existing name would merge two things: refuse. */
function nameTaken(index: WorkspaceIndex, target: Renamable, newName: string): string | undefined {
  if (target.type === 'gateway') {
    return resolveGateway(index, newName, target.namespace).status === 'found' ? `Gateway '${newName}' already exists in namespace ${target.namespace}.` : undefined;
  }
  if (target.type === 'listener') {
    const owner = `${target.owner.kind} ${target.owner.namespace}/${target.owner.name}`;
    return gatewayApiDeclarations(index, { ...target, name: newName }).length > 0 ? `${owner} already has a listener '${newName}'.` : undefined;
  }
  const clash = subsetsOf(target.scope.rules).find(({ subset }) => subset.name.value === newName);
  return clash ? `DestinationRule ${clash.rule.name} (${clash.rule.namespace}) already has a subset '${newName}'.` : undefined;
}

/** A block scalar (`|`, `>`) cannot be rewritten as one name: refuse rather than leave it behind. */
function unwritable(occurrences: Occurrence[]): string | undefined {
  const block = occurrences.find((o) => '|>'.includes(o.entry.resource.text[o.ref.start] ?? ''));
  return block ? `${block.entry.info.kind} ${block.entry.name} writes the name as a block scalar, which a rename cannot edit. Write it on one line first.` : undefined;
}

/**
 * A parentRef whose name or sectionName comes from an alias or a merge key (`<<`) is not read, so
 * a rename would leave it naming the old one: refuse when one may name the target.
 */
function unreadableParentRefs(index: WorkspaceIndex, target: Renamable): string | undefined {
  if (target.type === 'subset' || (target.type === 'gateway' && !isKubernetesGateway(index, target))) return undefined;
  const namespace = target.type === 'gateway' ? target.namespace : target.owner.namespace;
  const holders = [...index.gatewayApiRoutes(), ...index.ofKind('ListenerSet'), ...index.ofKind('XListenerSet')];
  const found = holders.find((entry) => parentRefNodes(entry).some((node) => mayNameUnread(node, entry.namespace, namespace)));
  return found ? `${found.info.kind} ${found.name} (${found.namespace}) writes a parentRef through an alias or merge key, which a rename cannot edit. Write it out first.` : undefined;
}

/** The parentRef nodes of a route (or a ListenerSet's parentRef); an alias for the whole list counts as one unreadable node. */
function parentRefNodes(entry: IndexedResource): unknown[] {
  const spec = entry.resource.doc.get('spec', true);
  if (!isMap(spec)) return [];
  const refs = entry.info.listenerSet ? spec.get('parentRef', true) : spec.get('parentRefs', true);
  return isSeq(refs) ? refs.items : refs ? [refs] : [];
}

/** Could this parentRef node name something in `namespace` through a part the index cannot read? */
function mayNameUnread(node: unknown, routeNamespace: string, namespace: string): boolean {
  if (isAlias(node)) return true;
  if (!isMap(node)) return false;
  // The parser gives a merge key as the symbol `<<` where it resolves merges, else as the text.
  const merged = node.items.some((p) => isScalar(p.key) && (p.key.value === '<<' || (typeof p.key.value === 'symbol' && p.key.value.description === '<<')));
  const hidden = ['name', 'sectionName'].some((k) => node.has(k) && !isScalar(node.get(k, true)));
  if (!merged && !hidden) return false;
  const written = node.get('namespace', true);
  if (merged && !isScalar(written)) return true;
  const ns = isScalar(written) && written.value ? String(written.value) : routeNamespace;
  return ns === namespace;
}

function nameOf(entry: IndexedResource): Occurrence[] {
  return entry.info.name ? [{ entry, ref: entry.info.name }] : [];
}

function matchesEitherWay(a: string, b: string): boolean {
  return hostMatches(a, b) || hostMatches(b, a);
}

function sameOccurrence(a: Occurrence, b: Occurrence): boolean {
  return a.entry === b.entry && a.ref.start === b.ref.start;
}

/** The value as written, without its quotes. */
function valueLocation({ entry, ref }: Occurrence): Location {
  const written = entry.resource.text.slice(ref.start, ref.end);
  const quoted = written.length >= 2 && (written[0] === '"' || written[0] === "'") && written.endsWith(written[0]);
  return { uri: entry.uri, ...entry.resource.fileSpan({ start: ref.start + (quoted ? 1 : 0), end: ref.end - (quoted ? 1 : 0) }) };
}

/** The name inside a value: for an `ns/name` Gateway reference, the part after the slash. */
function nameLocation(occurrence: Occurrence): Location {
  const location = valueLocation(occurrence);
  const slash = occurrence.ref.value.indexOf('/');
  return slash === -1 ? location : { ...location, start: location.start + slash + 1 };
}

function unique<T extends Location>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((l) => {
    const key = `${l.uri}:${l.start}:${l.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
