// Navigation over the workspace index: go to definition, find references and rename for
// DestinationRule subsets, Gateways (of both APIs; Gateway API ones are not renamed) and service
// hosts, and workspace symbols. Every function is pure over (ctx, uri, offset) and answers with
// file offsets; LSP ranges are made at the edge.
import { hostMatches } from '../workspace/hosts';
import { writeScalar } from '../edit/textEdits';
import { viewersOf, type IndexedResource, type WorkspaceIndex } from '../workspace/index';
import { destinationRulesFor, resolveGateway, resolveHost, subsetsOf } from '../workspace/resolve';
import { allDestinations, type TextRef, type VirtualServiceInfo } from '../workspace/extract';
import { gatewayRefs, targetAt, type Occurrence, type SubsetScope, type Target } from '../workspace/targets';
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

/** Subset, Gateway or host definitions of the value under the cursor. */
export function definition(ctx: FeatureContext, uri: string, offset: number): Location[] {
  const index = ctx.workspace;
  const target = targetAt(index, uri, offset);
  if (!target) return [];
  if (target.type !== 'host') return unique(declarations(index, target).map(valueLocation));
  // A DestinationRule host is not its own definition: leave out the value under the cursor.
  return unique(
    hostDefinitions(index, target.host, target.at.entry)
      .filter((o) => !sameOccurrence(o, target.at))
      .map(valueLocation),
  );
}

/** Every use of the subset, Gateway or host under the cursor (and its declarations when asked). */
export function references(ctx: FeatureContext, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const index = ctx.workspace;
  const target = targetAt(index, uri, offset);
  if (!target) return [];
  const found = [...(includeDeclaration ? declarations(index, target) : []), ...uses(index, target)];
  return unique(found.map(valueLocation));
}

/** The name to rename under the cursor: subsets and Gateways only. */
export function prepareRename(ctx: FeatureContext, uri: string, offset: number): RenameRange | undefined {
  const target = targetAt(ctx.workspace, uri, offset);
  if (!target || target.type === 'host') return undefined;
  return { ...nameLocation(target.at), placeholder: target.name };
}

/** Edits renaming a subset or a Gateway everywhere, or why it cannot be renamed. */
export function rename(ctx: FeatureContext, uri: string, offset: number, newName: string): TextEdit[] | string {
  const index = ctx.workspace;
  const target = targetAt(index, uri, offset);
  if (!target || target.type === 'host') return 'Only DestinationRule subsets and Gateways can be renamed.';
  if (newName === target.name) return [];
  const problem = invalidName(newName) ?? gatewayApiTarget(index, target) ?? nameTaken(index, target, newName);
  if (problem) return problem;
  const occurrences = [...declarations(index, target), ...uses(index, target)];
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
  if (target.type === 'gateway') {
    const { gateways, kubernetesGateways } = resolveGateway(index, target.name, target.namespace);
    return [...gateways, ...kubernetesGateways].flatMap(nameOf);
  }
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
  const found: Occurrence[] = [];
  for (const entry of index.ofKind('VirtualService')) {
    const vs = entry.info.virtualService;
    if (vs) found.push(...usesIn(index, target, entry, vs).map((ref) => ({ entry, ref })));
  }
  if (target.type !== 'host') return found;
  for (const entry of index.destinationRulesWithHost(target.host)) {
    const host = entry.info.destinationRule?.host;
    if (host) found.push({ entry, ref: host });
  }
  return found;
}

function usesIn(index: WorkspaceIndex, target: Target, entry: IndexedResource, vs: VirtualServiceInfo): TextRef[] {
  const resolve = (ref: TextRef) => index.resolve(ref.value, entry.namespace);
  if (target.type === 'gateway') {
    return gatewayRefs(vs).filter((g) => {
      const gateway = resolveGateway(index, g.value, entry.namespace);
      return gateway.namespace === target.namespace && gateway.name === target.name;
    });
  }
  if (target.type === 'host') return [...vs.hosts, ...allDestinations(vs).flatMap((d) => d.host ?? [])].filter((h) => resolve(h) === target.host);
  return allDestinations(vs).flatMap((d) => (d.host && d.subset?.value === target.name && inScope(index, target.scope, resolve(d.host), entry.namespace) ? [d.subset] : []));
}

function inScope(index: WorkspaceIndex, scope: SubsetScope, host: string, clientNamespace: string): boolean {
  if (scope.rules.length === 0) return host === scope.host && destinationRulesFor(index, host, clientNamespace).length === 0;
  return destinationRulesFor(index, host, clientNamespace).some((r) => scope.rules.includes(r));
}

function invalidName(name: string): string | undefined {
  if (name.length <= 63 && DNS_LABEL.test(name)) return undefined;
  return `'${name}' is not a valid name: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit.`;
}

/** A Gateway API Gateway is also named by routes' parentRefs, which a rename would not follow: refuse. */
function gatewayApiTarget(index: WorkspaceIndex, target: Target): string | undefined {
  if (target.type !== 'gateway' || resolveGateway(index, target.name, target.namespace).kubernetesGateways.length === 0) return undefined;
  return `${target.namespace}/${target.name} is a Gateway API Gateway: routes name it in their parentRefs, which renaming here would not update. Rename it by hand.`;
}

/** Renaming onto an existing name would merge two things: refuse. */
function nameTaken(index: WorkspaceIndex, target: Target, newName: string): string | undefined {
  if (target.type === 'gateway') {
    return resolveGateway(index, newName, target.namespace).status === 'found' ? `Gateway '${newName}' already exists in namespace ${target.namespace}.` : undefined;
  }
  if (target.type !== 'subset') return undefined;
  const clash = subsetsOf(target.scope.rules).find(({ subset }) => subset.name.value === newName);
  return clash ? `DestinationRule ${clash.rule.name} (${clash.rule.namespace}) already has a subset '${newName}'.` : undefined;
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
