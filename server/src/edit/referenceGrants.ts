// The ReferenceGrant that allows one cross-namespace reference (a route's backendRef, a Gateway's
// certificateRef), written as a new document: where it goes and what it says.
import type { YamlValue } from './yamlEdit';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';

export interface GrantRequest {
  from: { group: string; kind: string; namespace: string };
  to: { group: string; kind: string; namespace: string; name: string };
}

/** The apiVersion new grants get when the workspace has none to follow (the stable API of the bundle the default Istio version uses). */
const DEFAULT_API_VERSION = 'gateway.networking.k8s.io/v1';

/**
 * The grant, named after what it allows (`allow-shop-httproutes`, made unique in its namespace),
 * in the apiVersion the workspace's other ReferenceGrants use; its `to` names the one target.
 */
export function referenceGrantDocument(index: WorkspaceIndex, request: GrantRequest): { name: string; document: { [key: string]: YamlValue } } {
  const { from, to } = request;
  const existing = index.ofKind('ReferenceGrant');
  const taken = new Set(index.referenceGrantsIn(to.namespace).map((g) => g.name));
  const base = `allow-${from.namespace}-${from.kind.toLowerCase()}s`.slice(0, 253);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  const document = {
    apiVersion: existing.find((g) => g.info.apiVersion)?.info.apiVersion ?? DEFAULT_API_VERSION,
    kind: 'ReferenceGrant',
    metadata: { name, namespace: to.namespace },
    spec: {
      from: [{ group: from.group, kind: from.kind, namespace: from.namespace }],
      to: [{ group: to.group, kind: to.kind, name: to.name }],
    },
  };
  return { name, document };
}

/** The resource whose file the grant joins: the target itself when the workspace defines it (a Service), else none (the referrer's file). */
export function referenceGrantHome(index: WorkspaceIndex, request: GrantRequest): IndexedResource | undefined {
  const { to } = request;
  const kind = to.group === '' ? to.kind : to.kind === 'ServiceImport' ? 'Service' : undefined;
  return kind ? index.ofKindIn(kind, to.namespace).find((e) => e.name === to.name) : undefined;
}
