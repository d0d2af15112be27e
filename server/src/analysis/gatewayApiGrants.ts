// Cross-namespace references of the Gateway API and the ReferenceGrants that allow them, as Istio
// enforces them (conversion.go: buildDestination's BackendAllowed, buildTLS's SecretAllowed): a
// route's backendRef to a Service of another namespace, a Gateway listener's certificateRef to a
// Secret of another namespace. A ReferenceGrant that allows none of the workspace's references
// gets a hint; one `from` a namespace the workspace does not have, Kiali's KIA1601.
import { grantMatches, referenceGrantAllows } from '../workspace/gatewayApi';
import { certificateReferences, crossNamespaceReferences, routeReferences, type CrossNamespaceReference } from '../workspace/gatewayApiReferences';
import type { WithFacts } from '../workspace/index';
import type { Check, CheckContext } from './context';

/** A route's backendRefs and a Gateway's certificateRefs into another namespace need a ReferenceGrant there. */
export const checkReferenceGrantsNeeded: Check = (ctx) => {
  const { entry, index } = ctx;
  let refs: CrossNamespaceReference[] = [];
  if (entry.info.gatewayApiRoute) refs = routeReferences(entry as WithFacts<'gatewayApiRoute'>);
  else if (entry.info.kubernetesGateway) refs = certificateReferences(entry as WithFacts<'kubernetesGateway'>);
  for (const ref of refs) {
    const grant = referenceGrantAllows(index, ref.from, ref.to);
    if (grant.allowed) continue;
    reportNotPermitted(ctx, ref, grant.status === 'missing' || index.namespaces().includes(ref.to.namespace));
  }
};

function reportNotPermitted(ctx: CheckContext, ref: CrossNamespaceReference, known: boolean): void {
  const { from, to } = ref;
  const target = `${to.kind} ${to.namespace}/${to.name}`;
  const effect =
    ref.what === 'backendRef' ? 'Istio does not resolve it (RefNotPermitted) and the traffic routed to it fails' : 'Istio does not resolve it (RefNotPermitted) and does not program the listener';
  const needs = `a ReferenceGrant in namespace ${to.namespace} from ${from.kind} of namespace ${from.namespace} to ${to.kind}`;
  const data = { type: 'reference-grant' as const, from, to };
  if (!known) {
    const message = `${target} is in another namespace, which needs ${needs}; the workspace has nothing of namespace ${to.namespace}, so it cannot tell (one may be in the cluster).`;
    ctx.report('referenceUnverifiable', ref.at, message, data);
    return;
  }
  const grants = ctx.index.referenceGrantsIn(to.namespace).map((g) => g.name);
  const existing = grants.length > 0 ? `the ReferenceGrants there (${grants.join(', ')}) do not allow it` : 'there is none';
  ctx.report('referenceNotPermitted', ref.at, `This ${ref.what} to ${target} needs ${needs}; ${existing}: ${effect}.`, data);
}

/** A ReferenceGrant that allows none of the workspace's cross-namespace references: a hint on its name. */
export const checkUnusedReferenceGrant: Check = (ctx) => {
  const grant = ctx.entry.info.referenceGrant;
  const name = ctx.entry.info.name;
  if (!grant || !name || grant.from.length === 0 || grant.to.length === 0) return;
  const namespace = ctx.entry.namespace;
  const used = crossNamespaceReferences(ctx.index).some((ref) => ref.to.namespace === namespace && grantMatches(grant, ref.from, ref.to));
  if (used) return;
  const froms = grant.from.map((f) => `${f.kind || '(no kind)'} of ${f.namespace?.value ?? '(no namespace)'}`).join(', ');
  const tos = grant.to.map((t) => `${t.kind || '(no kind)'}${t.name?.value ? ` ${t.name.value}` : 's'}`).join(', ');
  ctx.report('referenceGrantUnused', name, `No reference in the workspace uses this ReferenceGrant: nothing from ${froms} refers to ${tos} of namespace ${namespace}.`);
};

/** KIA1601: a `from` namespace the workspace does not have, when it defines Namespaces (so absence means something). */
export const checkReferenceGrantNamespaces: Check = (ctx) => {
  const grant = ctx.entry.info.referenceGrant;
  if (!grant || ctx.index.ofKind('Namespace').length === 0) return;
  const known = new Set(ctx.index.namespaces());
  for (const from of grant.from) {
    const namespace = from.namespace;
    if (!namespace || namespace.value === '' || known.has(namespace.value)) continue;
    const defined = [...new Set(ctx.index.ofKind('Namespace').map((n) => n.name))].sort().join(', ');
    ctx.report(
      'referenceGrantNamespaceNotFound',
      namespace,
      `Namespace '${namespace.value}' is not in the workspace (its Namespaces: ${defined}): this grant allows references from a namespace that may not exist.`,
    );
  }
};
