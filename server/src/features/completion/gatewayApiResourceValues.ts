// Value completion from the workspace in Gateway API documents other than routes: a Gateway's
// gatewayClassName (the workspace's GatewayClasses and Istio's own) and certificate Secrets, a
// ReferenceGrant's namespaces and `to` names, a ListenerSet's parent Gateway, a BackendTLSPolicy's
// target Services. Whether another namespace's Secret needs a ReferenceGrant is the resolver's answer.
import type { ResourceDocument } from '../../model/resource';
import type { PathSegment } from '../../schema/yamlPath';
import { GATEWAY_API_GROUP, isGatewayApiKind, isRouteKind } from '../../workspace/gatewayApiFacts';
import { referenceGrantAllows } from '../../workspace/gatewayApi';
import { DEFAULT_ISTIO_GATEWAY_CLASSES, ISTIO_GATEWAY_CLASSES } from '../../workspace/gatewayApiFacts';
import { KUBERNETES_GATEWAY, type WorkspaceIndex } from '../../workspace/index';
import { textAt } from '../../workspace/nodes';
import type { CompletionEntry } from './entries';
import { dedupe, groupKindOf, LIKELY, mapAt, namespacesHolding, nonEmpty, portsDoc, UNLIKELY, value, type Identity, type Position } from './values';

const isKind = (r: Identity, ...kinds: string[]) => isGatewayApiKind(r.apiVersion, r.kind) && kinds.includes(r.kind ?? '');
// Not a kind the index holds facts of: any apiVersion of the group serves it.
const isBackendTlsPolicy = (r: Identity) => r.kind === 'BackendTLSPolicy' && !!r.apiVersion?.startsWith(`${GATEWAY_API_GROUP}/`);

/** A listener's `tls.certificateRefs[j].<field>` (a Gateway's or a ListenerSet's). */
const atCertificateRef = (path: PathSegment[], field: string) =>
  path.length === 7 && path[0] === 'spec' && path[1] === 'listeners' && path[3] === 'tls' && path[4] === 'certificateRefs' && typeof path[5] === 'number' && path[6] === field;

/** `spec.<list>[i].<field>`: a ReferenceGrant's from and to, a BackendTLSPolicy's targetRefs. */
const atListItem = (path: PathSegment[], list: string, field: string) => path.length === 4 && path[0] === 'spec' && path[1] === list && typeof path[2] === 'number' && path[3] === field;

export const GATEWAY_API_RESOURCE_POSITIONS: Position[] = [
  { at: (r, path) => isKind(r, 'Gateway') && path.length === 2 && path[0] === 'spec' && path[1] === 'gatewayClassName', values: (index) => gatewayClassNames(index) },
  {
    at: (r, path) => isKind(r, 'Gateway', 'ListenerSet', 'XListenerSet') && atCertificateRef(path, 'name'),
    values: (index, resource, path, namespace) => certificateSecrets(index, resource, path, namespace),
  },
  { at: (r, path) => isKind(r, 'Gateway', 'ListenerSet', 'XListenerSet') && atCertificateRef(path, 'namespace'), values: (index) => namespacesHolding(index, ['Secret']) },
  { at: (r, path) => isKind(r, 'ReferenceGrant') && atListItem(path, 'from', 'namespace'), values: (index, resource, path) => namespacesHolding(index, grantFromKinds(resource, path)) },
  { at: (r, path) => isKind(r, 'ReferenceGrant') && atListItem(path, 'to', 'name'), values: (index, resource, path, namespace) => grantTargets(index, resource, path, namespace) },
  {
    at: (r, path) => isKind(r, 'ListenerSet', 'XListenerSet') && path.length === 3 && path[0] === 'spec' && path[1] === 'parentRef' && path[2] === 'name',
    values: (index, resource, path, namespace) => listenerSetParents(index, resource, path, namespace),
  },
  { at: (r, path) => isBackendTlsPolicy(r) && atListItem(path, 'targetRefs', 'name'), values: (index, resource, path, namespace) => policyTargets(index, resource, path, namespace) },
  { at: (r, path) => isBackendTlsPolicy(r) && atListItem(path, 'targetRefs', 'sectionName'), values: (index, resource, path, namespace) => policyTargetPorts(index, resource, path, namespace) },
];

/** The workspace's GatewayClasses, then the classes Istio creates itself. */
function gatewayClassNames(index: WorkspaceIndex): CompletionEntry[] | undefined {
  const own = index.ofKind('GatewayClass').map((c) => value(c.name, `GatewayClass: ${c.info.gatewayClass.controllerName?.value ?? 'no controllerName'}`, undefined, `${LIKELY}${c.name}`));
  const builtIn = DEFAULT_ISTIO_GATEWAY_CLASSES.map((name) =>
    value(name, "Istio's built-in GatewayClass", `${ISTIO_GATEWAY_CLASSES[name].controller}: ${ISTIO_GATEWAY_CLASSES[name].about}`, `${UNLIKELY}${name}`),
  );
  return dedupe([...own, ...builtIn]);
}

/** The Secrets of the certificateRef's namespace (written, or the Gateway's), for a ref of kind Secret. */
function certificateSecrets(index: WorkspaceIndex, resource: ResourceDocument, path: PathSegment[], namespace: string): CompletionEntry[] | undefined {
  const node = mapAt(resource, path.slice(0, -1));
  const ref = groupKindOf(node, { group: '', kind: 'Secret' });
  if (ref.group !== '' || ref.kind !== 'Secret') return undefined;
  const secretsNamespace = textAt(node, 'namespace')?.value || namespace;
  const from = { group: GATEWAY_API_GROUP, kind: resource.kind ?? 'Gateway', namespace };
  const entries = index.ofKindIn('Secret', secretsNamespace).map((s) => {
    const allowed = referenceGrantAllows(index, from, { group: '', kind: 'Secret', namespace: secretsNamespace, name: s.name }).allowed;
    return value(s.name, `Secret (${secretsNamespace})${allowed ? '' : `: needs a ReferenceGrant in namespace ${secretsNamespace}`}`, undefined, `${allowed ? LIKELY : UNLIKELY}${s.name}`);
  });
  return nonEmpty(entries);
}

/** The index kinds of a ReferenceGrant `from` item's group and kind: its namespaces holding them come first. */
function grantFromKinds(resource: ResourceDocument, path: PathSegment[]): string[] {
  const { group, kind } = groupKindOf(mapAt(resource, path.slice(0, -1)), { group: '', kind: '' });
  if (group !== GATEWAY_API_GROUP) return [];
  return kind === 'Gateway' ? [KUBERNETES_GATEWAY] : isRouteKind(kind) ? [kind] : [];
}

/** A ReferenceGrant's `to[].name`: the Services or Secrets of the grant's own namespace, by the item's kind. */
function grantTargets(index: WorkspaceIndex, resource: ResourceDocument, path: PathSegment[], namespace: string): CompletionEntry[] | undefined {
  const node = mapAt(resource, path.slice(0, -1));
  const group = textAt(node, 'group')?.value ?? '';
  const kind = textAt(node, 'kind')?.value;
  if (group !== '' || (kind !== 'Service' && kind !== 'Secret')) return undefined;
  return nonEmpty(index.ofKindIn(kind, namespace).map((e) => value(e.name, `${kind} (${namespace})`)));
}

/** A ListenerSet's parent: the Gateways of its parentRef's namespace (written, or the ListenerSet's), with their listeners. */
function listenerSetParents(index: WorkspaceIndex, resource: ResourceDocument, path: PathSegment[], namespace: string): CompletionEntry[] | undefined {
  const gatewaysNamespace = textAt(mapAt(resource, path.slice(0, -1)), 'namespace')?.value || namespace;
  const entries = index.ofKindIn(KUBERNETES_GATEWAY, gatewaysNamespace).map((g) => {
    const listeners = g.info.kubernetesGateway.listeners.map((l) => l.name?.value ?? '(unnamed)').join(', ');
    return value(g.name, `Gateway (${gatewaysNamespace})${listeners ? `: ${listeners}` : ''}`);
  });
  return nonEmpty(dedupe(entries));
}

/** Does the BackendTLSPolicy targetRef name a Service (group "", kind Service)? Other targets are not in the workspace index. */
function targetsServices(resource: ResourceDocument, path: PathSegment[]): boolean {
  const ref = groupKindOf(mapAt(resource, path.slice(0, -1)), { group: '', kind: '' });
  return ref.group === '' && ref.kind === 'Service';
}

/** A BackendTLSPolicy's targetRefs name Services of its own namespace. */
function policyTargets(index: WorkspaceIndex, resource: ResourceDocument, path: PathSegment[], namespace: string): CompletionEntry[] | undefined {
  if (!targetsServices(resource, path)) return undefined;
  return nonEmpty(index.ofKindIn('Service', namespace).map((s) => value(s.name, `Service (${namespace})`, portsDoc(s))));
}

/** A BackendTLSPolicy targetRef's sectionName: the port names of the Service it names. */
function policyTargetPorts(index: WorkspaceIndex, resource: ResourceDocument, path: PathSegment[], namespace: string): CompletionEntry[] | undefined {
  const name = textAt(mapAt(resource, path.slice(0, -1)), 'name')?.value;
  const service = name !== undefined && targetsServices(resource, path) ? index.serviceNamed(namespace, name) : undefined;
  const ports = service?.info.service.ports ?? [];
  return nonEmpty(dedupe(ports.flatMap((p) => (p.name ? [value(p.name.value, `port ${p.port ?? '?'} of Service ${service?.name}`)] : []))));
}
