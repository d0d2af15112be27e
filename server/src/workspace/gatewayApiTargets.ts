// What a value of a Gateway API resource names (a parentRef's Gateway, Service or listener, a
// backendRef's Service and port, a gatewayClassName, a ReferenceGrant's sides, a certificate
// Secret) and, for navigation, where each is declared and used. targets.ts folds these into the
// one Target union; the resolver (gatewayApi.ts) answers what each reference resolves to.
import { GATEWAY_API_GROUP, type BackendRefInfo, type ParentRefInfo } from './gatewayApiFacts';
import { grantMatches, groupOf, refNamespace, resolveBackendRef, resolveParentRef, type BackendResolution, type ParentResolution } from './gatewayApi';
import { crossNamespaceReferences } from './gatewayApiReferences';
import { serviceFqdn } from './hosts';
import { KUBERNETES_GATEWAY, type IndexedResource, type WithFacts, type WorkspaceIndex } from './index';
import type { TextRef } from './nodes';
import type { Verdict } from './resolve';

/** A value written in a resource (the same shape as targets.ts's Occurrence). */
interface At {
  entry: IndexedResource;
  ref: TextRef;
}

/** A parent or backend as parentRefsTo / backendRefsTo key it. */
export interface RefKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export type GatewayApiTarget =
  /** A Gateway API Gateway: its metadata.name, or a parentRef naming one (`parent`). */
  | { type: 'gateway'; namespace: string; name: string; at: At; gatewayApi: true; parent?: ParentResolution }
  /** A Service (or ServiceEntry host) a backendRef or a mesh parentRef names. */
  | { type: 'host'; host: string; at: At; backend?: BackendResolution; parent?: ParentResolution }
  /** A listener of a Gateway or ListenerSet: its `name`, or a parentRef's `sectionName` (`parent`). */
  | { type: 'listener'; owner: RefKey; name: string; at: At; parent?: ParentResolution }
  /** A backendRef's `port`. */
  | { type: 'servicePort'; port: number; at: At; backend: BackendResolution }
  /** A Gateway's gatewayClassName, or a GatewayClass's metadata.name. */
  | { type: 'gatewayClass'; name: string; at: At }
  /** A ReferenceGrant's metadata.name. */
  | { type: 'referenceGrant'; grant: WithFacts<'referenceGrant'>; at: At }
  /** Another resource named by reference (a ListenerSet, a parent ServiceEntry, a Secret, a Namespace, a ReferenceGrant's `to`). */
  | { type: 'resource'; key: RefKey; entries: IndexedResource[]; status: Verdict; at: At };

export function gatewayApiTargetAt(index: WorkspaceIndex, entry: IndexedResource, rel: number): GatewayApiTarget | undefined {
  const { gatewayApiRoute, kubernetesGateway, gatewayClass, referenceGrant, listenerSet, name } = entry.info;
  if (gatewayApiRoute) return routeTarget(index, entry, rel, gatewayApiRoute.parentRefs, [...gatewayApiRoute.rules.flatMap((r) => [...r.backendRefs, ...r.mirrors])]);
  if (kubernetesGateway) {
    if (within(name, rel)) return { type: 'gateway', namespace: entry.namespace, name: entry.name, at: { entry, ref: name }, gatewayApi: true };
    if (within(kubernetesGateway.gatewayClassRef, rel)) return { type: 'gatewayClass', name: kubernetesGateway.gatewayClassRef.value, at: { entry, ref: kubernetesGateway.gatewayClassRef } };
    return listenerTarget(index, entry, rel, kubernetesGateway.listeners);
  }
  if (gatewayClass && within(name, rel)) return { type: 'gatewayClass', name: name.value, at: { entry, ref: name } };
  if (referenceGrant) return referenceGrantTarget(index, entry as WithFacts<'referenceGrant'>, rel);
  if (listenerSet) {
    if (within(name, rel)) return resourceTarget(index, { group: groupOf(entry), kind: entry.info.kind ?? '', namespace: entry.namespace, name: entry.name }, { entry, ref: name });
    return routeTarget(index, entry, rel, listenerSet.parentRef ? [listenerSet.parentRef] : [], []) ?? listenerTarget(index, entry, rel, listenerSet.listeners);
  }
  return undefined;
}

function routeTarget(index: WorkspaceIndex, entry: IndexedResource, rel: number, parents: ParentRefInfo[], backends: BackendRefInfo[]): GatewayApiTarget | undefined {
  for (const ref of parents) {
    if (!within(ref.name, rel) && !within(ref.sectionName, rel)) continue;
    const parent = resolveParentRef(index, entry, ref);
    const key = { group: ref.group, kind: ref.kind, namespace: parent.namespace, name: parent.name };
    if (within(ref.sectionName, rel)) return { type: 'listener', owner: key, name: ref.sectionName.value, at: { entry, ref: ref.sectionName }, parent };
    const at = { entry, ref: ref.name as TextRef };
    if (parent.target === 'gateway') return { type: 'gateway', namespace: parent.namespace, name: parent.name, at, gatewayApi: true, parent };
    if (parent.target === 'service') return { type: 'host', host: serviceFqdn(parent.name, parent.namespace, index.settings), at, parent };
    return resourceTarget(index, key, at);
  }
  for (const ref of backends) {
    if (!within(ref.name, rel) && !within(ref.portRef, rel)) continue;
    const backend = resolveBackendRef(index, entry, ref);
    if (within(ref.portRef, rel)) return ref.port === undefined ? undefined : { type: 'servicePort', port: ref.port, at: { entry, ref: ref.portRef }, backend };
    const at = { entry, ref: ref.name as TextRef };
    if (backend.target === 'service' || backend.target === 'serviceImport') return { type: 'host', host: serviceFqdn(backend.name, backend.namespace, index.settings), at, backend };
    if (backend.target === 'hostname') return { type: 'host', host: index.resolve(backend.name, entry.namespace), at, backend };
    return resourceTarget(index, { group: ref.group, kind: ref.kind, namespace: backend.namespace, name: backend.name }, at);
  }
  return undefined;
}

function listenerTarget(
  index: WorkspaceIndex,
  entry: IndexedResource,
  rel: number,
  listeners: { name?: TextRef; certificateRefs: { group: string; kind: string; name?: TextRef; namespace?: TextRef }[] }[],
): GatewayApiTarget | undefined {
  const owner = { group: groupOf(entry), kind: entry.info.kind ?? '', namespace: entry.namespace, name: entry.name };
  for (const listener of listeners) {
    if (within(listener.name, rel)) return { type: 'listener', owner, name: listener.name.value, at: { entry, ref: listener.name } };
    const cert = listener.certificateRefs.find((c) => within(c.name, rel));
    if (cert?.name) return resourceTarget(index, { group: cert.group, kind: cert.kind, namespace: refNamespace(cert, entry), name: cert.name.value }, { entry, ref: cert.name });
  }
  return undefined;
}

function referenceGrantTarget(index: WorkspaceIndex, entry: WithFacts<'referenceGrant'>, rel: number): GatewayApiTarget | undefined {
  const { name, referenceGrant } = entry.info;
  if (within(name, rel)) return { type: 'referenceGrant', grant: entry, at: { entry, ref: name } };
  const to = referenceGrant.to.find((t) => within(t.name, rel));
  if (to?.name) return resourceTarget(index, { group: to.group, kind: to.kind, namespace: entry.namespace, name: to.name.value }, { entry, ref: to.name });
  const from = referenceGrant.from.find((f) => within(f.namespace, rel));
  if (from?.namespace) return resourceTarget(index, { group: '', kind: 'Namespace', namespace: from.namespace.value, name: from.namespace.value }, { entry, ref: from.namespace });
  return undefined;
}

function resourceTarget(index: WorkspaceIndex, key: RefKey, at: At): GatewayApiTarget {
  const entries = resourcesNamed(index, key);
  const status: Verdict = entries.length > 0 ? 'found' : index.namespaceHas(key.namespace, [indexKind(key)]) ? 'missing' : 'outside-workspace';
  return { type: 'resource', key, entries, status, at };
}

/** The kind's key in ofKindIn (the Gateway API Gateway has its own, see KUBERNETES_GATEWAY). */
function indexKind(key: { group: string; kind: string }): string {
  return key.group === GATEWAY_API_GROUP && key.kind === 'Gateway' ? KUBERNETES_GATEWAY : key.kind;
}

/** The indexed resources of this group, kind, namespace and name. */
export function resourcesNamed(index: WorkspaceIndex, key: RefKey): IndexedResource[] {
  return index.ofKindIn(indexKind(key), key.namespace).filter((e) => e.name === key.name && groupOf(e) === key.group);
}

/** Where a Gateway API target is declared: the names of what it names. Undefined for `host` (navigation's own). */
export function gatewayApiDeclarations(index: WorkspaceIndex, target: GatewayApiTarget): At[] {
  const namesOf = (entries: IndexedResource[]) => entries.flatMap((e) => (e.info.name ? [{ entry: e, ref: e.info.name }] : []));
  switch (target.type) {
    case 'gateway':
      return namesOf(index.gateway(`${target.namespace}/${target.name}`, target.namespace).kubernetesGateways);
    case 'listener':
      return resourcesNamed(index, target.owner).flatMap((owner) =>
        (owner.info.kubernetesGateway?.listeners ?? owner.info.listenerSet?.listeners ?? []).flatMap((l) => (l.name?.value === target.name ? [{ entry: owner, ref: l.name }] : [])),
      );
    case 'gatewayClass':
      return namesOf(index.gatewayClasses(target.name));
    case 'referenceGrant':
      return namesOf([target.grant]);
    case 'resource':
      return namesOf(target.entries);
    case 'servicePort':
      return servicePortDeclarations(target);
    case 'host':
      return [];
  }
}

/** The port item of the Service (or ServiceEntry) a backendRef's port names. */
function servicePortDeclarations(target: Extract<GatewayApiTarget, { type: 'servicePort' }>): At[] {
  const { service, host } = target.backend;
  const asRef = (span: { start: number; end: number }) => ({ ...span, value: String(target.port) });
  if (service) return service.info.service.ports.flatMap((p) => (p.port === target.port ? [{ entry: service, ref: asRef(p.span) }] : []));
  const entry = host?.serviceEntries[0];
  return entry ? entry.info.serviceEntry.ports.flatMap((p) => (p.number === target.port ? [{ entry, ref: asRef(p.span) }] : [])) : [];
}

/** The Gateway API references to a Gateway API Gateway: its routes' and ListenerSets' parentRefs. */
export function gatewayParentRefs(index: WorkspaceIndex, namespace: string, name: string): At[] {
  return index.parentRefsTo({ group: GATEWAY_API_GROUP, kind: 'Gateway', namespace, name }).map((r) => ({ entry: r.entry, ref: r.name }));
}

/** The Gateway API references to a Service host: backendRefs and mirrors (by name or `kind: Hostname`) and mesh parentRefs. */
export function hostGatewayApiUses(index: WorkspaceIndex, host: string): At[] {
  const byName = index.services(host).flatMap((s) => {
    const key = { group: '', kind: 'Service', namespace: s.namespace, name: s.name };
    return [...index.backendRefsTo(key), ...index.parentRefsTo(key)].map((r) => ({ entry: r.entry, ref: r.name }));
  });
  const byHostname = index
    .gatewayApiRoutes()
    .flatMap((route) =>
      route.info.gatewayApiRoute.rules
        .flatMap((r) => [...r.backendRefs, ...r.mirrors])
        .flatMap((ref) =>
          ref.name && ref.kind === 'Hostname' && ref.group === 'networking.istio.io' && index.resolve(ref.name.value, route.namespace) === host ? [{ entry: route, ref: ref.name }] : [],
        ),
    );
  return [...byName, ...byHostname];
}

/** Every use of a Gateway API target other than a Gateway or a host (navigation adds those). */
export function gatewayApiUses(index: WorkspaceIndex, target: GatewayApiTarget): At[] {
  switch (target.type) {
    case 'listener':
      return index.parentRefsTo(target.owner, target.name).flatMap((r) => (r.ref.sectionName ? [{ entry: r.entry, ref: r.ref.sectionName }] : []));
    case 'gatewayClass':
      return index.ofKind(KUBERNETES_GATEWAY).flatMap((g) => (g.info.kubernetesGateway.gatewayClassRef?.value === target.name ? [{ entry: g, ref: g.info.kubernetesGateway.gatewayClassRef }] : []));
    case 'referenceGrant':
      return grantedReferences(index, target.grant);
    case 'resource':
      return resourceUses(index, target.key);
    default:
      return [];
  }
}

function resourceUses(index: WorkspaceIndex, key: RefKey): At[] {
  const refs = [...index.parentRefsTo(key), ...index.backendRefsTo(key)].map((r) => ({ entry: r.entry, ref: r.name }));
  if (key.kind !== 'Secret' || key.group !== '') return refs;
  const certs = index
    .ofKind(KUBERNETES_GATEWAY)
    .flatMap((g) =>
      g.info.kubernetesGateway.listeners.flatMap((l) =>
        l.certificateRefs.filter((c) => c.kind === 'Secret' && c.group === '' && c.name?.value === key.name && refNamespace(c, g) === key.namespace).map((c) => ({ entry: g, ref: c.name as TextRef })),
      ),
    );
  return [...refs, ...certs];
}

/** The cross-namespace references (routes' backendRefs and mirrors, Gateways' certificateRefs) this ReferenceGrant allows. */
export function grantedReferences(index: WorkspaceIndex, grant: WithFacts<'referenceGrant'>): At[] {
  return crossNamespaceReferences(index)
    .filter((r) => r.to.namespace === grant.namespace && grantMatches(grant.info.referenceGrant, r.from, r.to))
    .map((r) => ({ entry: r.entry, ref: r.name }));
}

function within(ref: TextRef | undefined, rel: number): ref is TextRef {
  return !!ref && rel >= ref.start && rel <= ref.end;
}
