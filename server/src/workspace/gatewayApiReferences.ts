// The Gateway API's references into another namespace, which need a ReferenceGrant there as Istio
// enforces them (conversion.go: buildDestination's BackendAllowed, buildTLS's SecretAllowed): a
// route's backendRefs and mirrors to a Service of another namespace, a Gateway listener's
// certificateRefs to a Secret of another namespace. The checks (is it allowed, is a grant used)
// and navigation (what a grant allows) read the same list.
import { GATEWAY_API_GROUP } from './gatewayApiFacts';
import { backendTarget, groupOf, refNamespace, type GrantFrom, type GrantTo } from './gatewayApi';
import { KUBERNETES_GATEWAY, type IndexedResource, type WithFacts, type WorkspaceIndex } from './index';
import type { TextRef } from './nodes';

/** A reference into another namespace: who makes it, what it names, where it is written. */
export interface CrossNamespaceReference {
  from: GrantFrom;
  to: GrantTo & { name: string };
  /** The resource that makes it (a route or a Gateway). */
  entry: IndexedResource;
  /** The ref's `name` scalar. */
  name: TextRef;
  /** The ref's `namespace` scalar. */
  at: TextRef;
  what: 'backendRef' | 'certificateRef';
}

/** Every cross-namespace backendRef and certificateRef of the workspace (computed once per index state). */
export function crossNamespaceReferences(index: WorkspaceIndex): CrossNamespaceReference[] {
  return index.derived('crossNamespaceReferences', () => [
    ...index.gatewayApiRoutes().flatMap(routeReferences),
    ...index.ofKind(KUBERNETES_GATEWAY).flatMap((g) => (g.info.kubernetesGateway ? certificateReferences(g as WithFacts<'kubernetesGateway'>) : [])),
  ]);
}

export function routeReferences(route: WithFacts<'gatewayApiRoute'>): CrossNamespaceReference[] {
  const from = { group: groupOf(route), kind: route.info.gatewayApiRoute.routeKind, namespace: route.namespace };
  return route.info.gatewayApiRoute.rules.flatMap((rule) =>
    [...rule.backendRefs, ...rule.mirrors].flatMap((ref): CrossNamespaceReference[] => {
      const namespace = refNamespace(ref, route);
      // A Hostname takes no namespace, and Istio does not route to the kinds it does not know.
      const target = backendTarget(ref);
      if (!ref.namespace || !ref.name || namespace === route.namespace || target === 'unsupported' || target === 'hostname') return [];
      return [{ from, to: { group: ref.group, kind: ref.kind, namespace, name: ref.name.value }, entry: route, name: ref.name, at: ref.namespace, what: 'backendRef' }];
    }),
  );
}

export function certificateReferences(gateway: WithFacts<'kubernetesGateway'>): CrossNamespaceReference[] {
  const from = { group: GATEWAY_API_GROUP, kind: 'Gateway', namespace: gateway.namespace };
  return gateway.info.kubernetesGateway.listeners.flatMap((listener) =>
    listener.certificateRefs.flatMap((ref): CrossNamespaceReference[] => {
      const namespace = refNamespace(ref, gateway);
      if (!ref.namespace || !ref.name || namespace === gateway.namespace) return [];
      return [{ from, to: { group: ref.group, kind: ref.kind, namespace, name: ref.name.value }, entry: gateway, name: ref.name, at: ref.namespace, what: 'certificateRef' }];
    }),
  );
}
