// Navigation across the workspace: go to definition, find references and rename for subsets,
// Gateways and hosts, and workspace symbols. Locations are file offsets.
import { clusterNamespace, serviceFqdn } from '../workspace/hosts';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';
import type { Span, TextRef } from '../workspace/extract';

export interface Location {
  uri: string;
  start: number;
  end: number;
}

export interface TextEdit extends Location {
  newText: string;
}

/** What the cursor is on. */
type Target =
  | { type: 'subset'; rules: IndexedResource[]; name: string; ref: TextRef; entry: IndexedResource; isDefinition: boolean }
  | { type: 'gateway'; namespace: string; name: string; ref: TextRef; entry: IndexedResource; isDefinition: boolean }
  | { type: 'host'; host: string; ref: TextRef; entry: IndexedResource };

const within = (span: Span | undefined, offset: number) => !!span && offset >= span.start && offset <= span.end;
const locate = (entry: IndexedResource, span: Span): Location => ({ uri: entry.uri, start: entry.resource.base + span.start, end: entry.resource.base + span.end });

function entryAt(index: WorkspaceIndex, uri: string, offset: number): IndexedResource | undefined {
  return index.entries(uri).find((e) => offset >= e.resource.base && offset <= e.resource.base + e.resource.text.length);
}

function rulesFor(index: WorkspaceIndex, host: string, namespace: string): IndexedResource[] {
  return index.destinationRulesFor(host, namespace, clusterNamespace(host, index.settings));
}

function targetAt(index: WorkspaceIndex, uri: string, offset: number): Target | undefined {
  const entry = entryAt(index, uri, offset);
  if (!entry) return undefined;
  const rel = offset - entry.resource.base;
  const { virtualService: vs, destinationRule: dr, gateway, service } = entry.info;
  if (vs) {
    for (const dest of [...vs.routes.flatMap((r) => r.destinations), ...vs.mirrors]) {
      if (!dest.host) continue;
      const host = index.resolve(dest.host.value, entry.namespace);
      if (dest.subset && within(dest.subset, rel)) return { type: 'subset', rules: rulesFor(index, host, entry.namespace), name: dest.subset.value, ref: dest.subset, entry, isDefinition: false };
      if (within(dest.host, rel)) return { type: 'host', host, ref: dest.host, entry };
    }
    const gw = [...vs.gateways, ...vs.matchGateways].find((g) => g.value !== 'mesh' && within(g, rel));
    if (gw) {
      const found = index.gateway(gw.value, entry.namespace);
      return { type: 'gateway', namespace: found.namespace, name: found.name, ref: gw, entry, isDefinition: false };
    }
  }
  if (dr) {
    const subset = dr.subsets.find((s) => within(s.name, rel));
    if (subset?.name) return { type: 'subset', rules: [entry], name: subset.name.value, ref: subset.name, entry, isDefinition: true };
    if (dr.host && within(dr.host, rel)) return { type: 'host', host: index.resolve(dr.host.value, entry.namespace), ref: dr.host, entry };
  }
  if (gateway && entry.info.name && within(entry.info.name, rel)) return { type: 'gateway', namespace: entry.namespace, name: entry.name, ref: entry.info.name, entry, isDefinition: true };
  if (service && entry.info.name && within(entry.info.name, rel)) return { type: 'host', host: serviceFqdn(entry.name, entry.namespace, index.settings), ref: entry.info.name, entry };
  return undefined;
}

function subsetDefinitions(index: WorkspaceIndex, rules: IndexedResource[], name: string): Location[] {
  return index.subsetsOf(rules).flatMap(({ rule, subset }) => (subset.name?.value === name ? [locate(rule, subset.name)] : []));
}

export function definition(index: WorkspaceIndex, uri: string, offset: number): Location[] {
  const target = targetAt(index, uri, offset);
  if (!target) return [];
  if (target.type === 'subset') return subsetDefinitions(index, target.rules, target.name);
  if (target.type === 'gateway') return index.gateway(`${target.namespace}/${target.name}`, target.namespace).entries.flatMap((g) => (g.info.name ? [locate(g, g.info.name)] : []));
  const services = index.services(target.host).flatMap((s) => (s.info.name ? [locate(s, s.info.name)] : []));
  const entries = index.serviceEntries(target.host, target.entry.namespace).flatMap((se) => se.info.serviceEntry!.hosts.filter((h) => index.resolve(h.value, se.namespace) === target.host).map((h) => locate(se, h)));
  const rules = rulesFor(index, target.host, target.entry.namespace).flatMap((r) => (r.info.destinationRule?.host && r !== target.entry ? [locate(r, r.info.destinationRule.host)] : []));
  return [...services, ...entries, ...rules];
}

/** Every reference to the thing under the cursor (plus its definitions when asked). */
export function references(index: WorkspaceIndex, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const target = targetAt(index, uri, offset);
  if (!target) return [];
  const refs = referenceRefs(index, target).map(([entry, ref]) => locate(entry, ref));
  const declarations = includeDeclaration && target.type !== 'host' ? definition(index, uri, offset) : [];
  if (target.type === 'subset' && target.isDefinition && includeDeclaration) declarations.push(locate(target.entry, target.ref));
  if (target.type === 'gateway' && target.isDefinition && includeDeclaration) declarations.push(locate(target.entry, target.ref));
  return dedupe([...declarations, ...refs]);
}

function referenceRefs(index: WorkspaceIndex, target: Target): [IndexedResource, TextRef][] {
  const out: [IndexedResource, TextRef][] = [];
  for (const vs of index.ofKind('VirtualService')) {
    const info = vs.info.virtualService;
    if (!info) continue;
    if (target.type === 'gateway') {
      for (const g of [...info.gateways, ...info.matchGateways]) {
        const found = g.value !== 'mesh' ? index.gateway(g.value, vs.namespace) : undefined;
        if (found && found.namespace === target.namespace && found.name === target.name) out.push([vs, g]);
      }
      continue;
    }
    for (const dest of [...info.routes.flatMap((r) => r.destinations), ...info.mirrors]) {
      if (!dest.host) continue;
      const host = index.resolve(dest.host.value, vs.namespace);
      if (target.type === 'host' && host === target.host) out.push([vs, dest.host]);
      if (target.type === 'subset' && dest.subset?.value === target.name && rulesFor(index, host, vs.namespace).some((r) => target.rules.includes(r))) out.push([vs, dest.subset]);
    }
  }
  if (target.type === 'host') {
    for (const dr of index.ofKind('DestinationRule')) {
      const h = dr.info.destinationRule?.host;
      if (h && index.resolve(h.value, dr.namespace) === target.host) out.push([dr, h]);
    }
  }
  return out;
}

export function prepareRename(index: WorkspaceIndex, uri: string, offset: number): (Location & { placeholder: string }) | undefined {
  const target = targetAt(index, uri, offset);
  if (!target || target.type === 'host') return undefined;
  const range = nameRange(target.entry, target.ref);
  return { ...range, placeholder: target.name };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Renames a subset or a Gateway: its definition and every reference, across files. */
export function rename(index: WorkspaceIndex, uri: string, offset: number, newName: string): TextEdit[] | { error: string } {
  const target = targetAt(index, uri, offset);
  if (!target || target.type === 'host') return { error: 'Only DestinationRule subsets and Gateways can be renamed.' };
  if (!DNS_LABEL.test(newName) || newName.length > 63) return { error: `'${newName}' is not a valid name: lowercase letters, digits and '-', starting and ending with a letter or digit.` };
  const definitions: [IndexedResource, TextRef][] =
    target.type === 'subset'
      ? index.subsetsOf(target.rules).flatMap(({ rule, subset }) => (subset.name?.value === target.name ? [[rule, subset.name] as [IndexedResource, TextRef]] : []))
      : index.gateway(`${target.namespace}/${target.name}`, target.namespace).entries.flatMap((g) => (g.info.name ? [[g, g.info.name] as [IndexedResource, TextRef]] : []));
  const edits = [...definitions, ...referenceRefs(index, target)].map(([entry, ref]) => ({ ...nameRange(entry, ref), newText: newName }));
  return dedupe(edits);
}

/** The name inside a reference: without quotes, and without the `ns/` of a Gateway reference. */
function nameRange(entry: IndexedResource, ref: TextRef): Location {
  const written = entry.resource.text.slice(ref.start, ref.end);
  const quoted = written.length === ref.value.length + 2 && /^["']/.test(written);
  const start = ref.start + (quoted ? 1 : 0) + (ref.value.includes('/') ? ref.value.lastIndexOf('/') + 1 : 0);
  return locate(entry, { start, end: ref.end - (quoted ? 1 : 0) });
}

export interface WorkspaceSymbol extends Location {
  name: string;
  kind: string;
  namespace: string;
}

export function workspaceSymbols(index: WorkspaceIndex, query: string, limit = 1000): WorkspaceSymbol[] {
  const q = query.toLowerCase();
  return index
    .resources()
    .filter((e) => e.resource.isIstio && e.info.name && `${e.info.kind} ${e.name}`.toLowerCase().includes(q))
    .slice(0, limit)
    .map((e) => ({ ...locate(e, e.info.name!), name: `${e.info.kind} ${e.name}`, kind: e.info.kind!, namespace: e.namespace }));
}

function dedupe<T extends Location>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((l) => {
    const key = `${l.uri}:${l.start}:${l.end}`;
    return !seen.has(key) && seen.add(key);
  });
}
