// TLS settings that break traffic or skip verification, and Gateways that fight over a port.
import { hostMatches } from '../workspace/hosts';
import { groupBy, selectsWorkload, type IndexedResource, type WorkspaceIndex } from '../workspace/index';
import { serviceNamespaceOf } from '../workspace/resolve';
import type { Check } from './context';
import { selectorText } from './workloadChecks';

const ROOT_NAMESPACE = 'istio-system';

/**
 * IST0128 (whole host) / IST0129 (one port): TLS origination that does not verify the server. As
 * istioctl, a credentialName counts only in a DestinationRule with a workloadSelector (a gateway's):
 * sidecars cannot read the secret, and Istio drops it for them.
 */
export const checkServerVerification: Check = (ctx) => {
  const dr = ctx.entry.info.destinationRule;
  const gatewayRule = ctx.entry.info.hasSelector;
  for (const tls of dr?.tls ?? []) {
    const mode = tls.mode?.value;
    if (!tls.mode || (mode !== 'SIMPLE' && mode !== 'MUTUAL') || tls.hasCaCertificates || (tls.hasCredentialName && gatewayRule) || tls.insecureSkipVerify || tls.level === 'subset') continue;
    const key = tls.level === 'port' ? 'noServerVerificationPort' : 'noServerVerification';
    const where = `${dr?.host?.value ?? 'the host'}${tls.level === 'port' ? ' on this port' : ''}`;
    const message = tls.hasCredentialName
      ? `TLS mode ${mode} with only a credentialName does not verify the identity of ${where}: without a workloadSelector this DestinationRule applies to sidecars, which ignore credentialName. Set caCertificates, or a workloadSelector for the gateway that reads the secret.`
      : `TLS mode ${mode} without caCertificates (or a credentialName) does not verify the identity of ${where}; set caCertificates, or insecureSkipVerify: true to say so.`;
    ctx.report(key, tls.mode, message);
  }
};

/** The mTLS mode a namespace-wide PeerAuthentication sets for `namespace` (or the mesh-wide one). */
function peerAuthenticationMode(index: WorkspaceIndex, namespace: string): { mode: string; entry: IndexedResource } | undefined {
  const wide = (ns: string) =>
    index.ofKindIn('PeerAuthentication', ns).flatMap((p) => {
      const { mode, hasSelector } = p.info.peerAuthentication;
      return !hasSelector && mode && mode !== 'UNSET' ? [{ mode, entry: p }] : [];
    })[0];
  return wide(namespace) ?? wide(ROOT_NAMESPACE);
}

/**
 * KIA0207 / KIA0208, as Kiali's Disabled{Namespace,Mesh}WideMTLSChecker: a DestinationRule sends
 * plain text (tls mode DISABLE, reported on the mode as Kiali's `spec/trafficPolicy/tls/mode`) to
 * workloads that a STRICT PeerAuthentication makes require mTLS: the namespace-wide one of the
 * host's namespace (KIA0207) or, when that namespace has none, the mesh-wide one (KIA0208). Kiali
 * looks only at the mTLS-default rules (`*.<namespace>.svc.<domain>`, `*.local`); we look at every
 * DestinationRule of an in-mesh host, and at port- and subset-level tls too.
 */
export const checkMtlsConsistency: Check = (ctx) => {
  const dr = ctx.entry.info.destinationRule;
  if (!dr?.host) return;
  // A wildcard host of one namespace (`*.shop.svc.cluster.local`) has that namespace too.
  const namespace = serviceNamespaceOf(ctx.index, dr.host.value, ctx.entry.namespace);
  const host = ctx.index.resolve(dr.host.value, ctx.entry.namespace);
  // A wildcard over every namespace (`*.local`, `*`) reaches the workloads the mesh-wide policy governs.
  const meshWide = !namespace && host.startsWith('*') && hostMatches(host, `any.any.svc.${ctx.index.settings.clusterDomain}`);
  if (!namespace && !meshWide) return;
  const policy = peerAuthenticationMode(ctx.index, namespace ?? ROOT_NAMESPACE);
  if (policy?.mode !== 'STRICT') return;
  const mesh = policy.entry.namespace === ROOT_NAMESPACE;
  const where = namespace ? `namespace ${namespace}` : 'every namespace';
  for (const tls of dr.tls) {
    if (tls.mode?.value !== 'DISABLE') continue;
    ctx.report(
      mesh ? 'mtlsMeshStrictDisabled' : 'mtlsStrictDisabled',
      tls.mode,
      `${mesh ? 'The mesh-wide ' : ''}PeerAuthentication ${policy.entry.name} (${policy.entry.namespace}) requires mTLS (STRICT) in ${where}, but this DestinationRule disables TLS: requests will be rejected. Use ISTIO_MUTUAL, or make the PeerAuthentication PERMISSIVE.`,
    );
  }
};

/**
 * IST0145, as istioctl's ConflictingGatewayAnalyzer: two Gateways for the same workloads declare
 * the same port, bind and host (hosts compared as written: `*.example.com` and `shop.example.com`
 * may share a port). The same workloads: the same selector, or one selector's text containing the
 * other's (`istio=ingressgateway` in `app=gw,istio=ingressgateway`) and a workload that both select.
 */
export const checkConflictingGateways: Check = (ctx) => {
  const gateway = ctx.entry.info.gateway;
  if (!gateway) return;
  const mine = selectorText(gateway.selector);
  const bySelector = ctx.index.derived('gatewaysBySelector', () => groupBy(ctx.index.ofKind('Gateway'), (g) => selectorText(g.info.gateway.selector)));
  const others = [...bySelector]
    .filter(([theirs, [first]]) => theirs === mine || ((theirs.includes(mine) || mine.includes(theirs)) && sameWorkload(ctx.index, gateway.selector, first.info.gateway.selector)))
    .flatMap(([, gateways]) => gateways)
    .filter((g) => g.resource !== ctx.entry.resource);
  for (const server of gateway.servers) {
    if (server.port === undefined || !server.portSpan) continue;
    const hosts = server.hosts.map((h) => h.value);
    const clashes = others.filter((g) => g.info.gateway.servers.some((s) => s.port === server.port && s.bind === server.bind && s.hosts.some((h) => hosts.includes(h.value))));
    if (clashes.length > 0) {
      ctx.report(
        'conflictingGateways',
        server.portSpan,
        `Gateway${clashes.length > 1 ? 's' : ''} ${clashes
          .map((g) => `${g.namespace}/${g.name}`)
          .sort()
          .join(', ')} use${clashes.length > 1 ? '' : 's'} the same workloads (${mine || 'no selector'}) and port ${server.port} for the same hosts (${hosts.join(', ')}).`,
      );
    }
  }
};

/** Does a workload of the workspace carry the labels of both selectors? */
function sameWorkload(index: WorkspaceIndex, a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  return index.allWorkloads().some((w) => selectsWorkload(a ?? {}, w) && selectsWorkload(b ?? {}, w));
}

/** Does every label of `inner` appear, with the same value, in `outer`? (istioctl's selectorSubset) */
function selectorWithin(inner: Record<string, string>, outer: Record<string, string> | undefined): boolean {
  return Object.entries(inner).every(([k, v]) => outer?.[k] === v);
}

/**
 * IST0138: the same certificate served by two Gateways that the same gateway workloads may run
 * (HTTP/2 connection reuse gives 404s). As istioctl's CertificateAnalyzer: Gateways of every
 * namespace (Istio does not scope Gateways to their namespace by default), and the other Gateway
 * counts when this one's selector is empty or contained in its selector.
 */
export const checkDuplicateCertificates: Check = (ctx) => {
  const gateway = ctx.entry.info.gateway;
  const selector = gateway?.selector ?? {};
  for (const server of gateway?.servers ?? []) {
    const credential = server.credentialName;
    if (!credential) continue;
    const byCredential = ctx.index.derived('gatewaysByCredential', () =>
      groupBy(
        ctx.index.ofKind('Gateway').flatMap((g) => [...new Set(g.info.gateway.servers.flatMap((s) => (s.credentialName ? [s.credentialName.value] : [])))].map((c) => ({ key: c, g }))),
        (x) => x.key,
      ),
    );
    const others = (byCredential.get(credential.value) ?? []).map((x) => x.g).filter((g) => g.resource !== ctx.entry.resource && selectorWithin(selector, g.info.gateway.selector));
    if (others.length > 0) {
      ctx.report(
        'duplicateCertificate',
        credential,
        `Certificate '${credential.value}' is also served by ${others.map((g) => `${g.namespace}/${g.name}`).join(', ')}; clients reusing an HTTP/2 connection across these Gateways may get 404s. Serve all of its hosts from one Gateway.`,
      );
    }
  }
};
