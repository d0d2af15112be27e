// IST0101 and friends on a VirtualService: subsets, Gateways and hosts it refers to.
import { closest } from '../base/problems';
import { allDestinations, type DestinationRef, type TextRef } from '../workspace/extract';
import { bindableGateways, gatewayReference, hostPorts, resolveGateway, resolveHost, resolveSubset, type HostResolution } from '../workspace/resolve';
import { exportToOf, groupBy, viewersOf, type WorkspaceIndex } from '../workspace/index';
import type { Check, CheckContext } from './context';
import { isInternalGatewayReference } from './meshChecks';

export const checkSubsets: Check = (ctx) => {
  const vs = ctx.entry.info.virtualService;
  if (!vs) return;
  for (const dest of allDestinations(vs)) checkSubset(ctx, dest);
};

function checkSubset(ctx: CheckContext, dest: DestinationRef): void {
  if (!dest.host || !dest.subset) return;
  const subset = dest.subset.value;
  const resolved = resolveSubset(ctx.index, dest.host.value, subset, ctx.entry.namespace);
  if (resolved.status === 'found') return;
  const { host } = resolved;
  if (resolved.rules.length === 0) {
    const known = resolved.status === 'missing';
    const message = `Subset '${subset}' is not defined: no DestinationRule for host ${dest.host.value}${known ? '' : ' in the workspace'}.`;
    ctx.report(known ? 'referenceNotFound' : 'referenceUnverifiable', dest.subset, message, { type: 'subset-not-found', host, subset, defined: [] });
    return;
  }
  const { defined } = resolved;
  const rule = resolved.rules[0];
  const suggestion = closest(subset, defined, 2);
  const list = defined.length > 0 ? `defined: ${defined.join(', ')}` : 'it defines no subsets';
  ctx.report('referenceNotFound', dest.subset, `Subset '${subset}' is not defined in DestinationRule ${rule.name} (${rule.namespace}); ${list}.`, {
    type: 'subset-not-found',
    host,
    subset,
    defined,
    suggestion,
    ruleUri: rule.uri,
    ruleName: rule.name,
    ruleNamespace: rule.namespace,
  });
}

export const checkGateways: Check = (ctx) => {
  const vs = ctx.entry.info.virtualService;
  if (!vs) return;
  for (const ref of [...vs.gateways, ...vs.matchGateways]) {
    // A generated internal Gateway is IST0165 instead, as in istioctl.
    if (ref.value === 'mesh' || isInternalGatewayReference(ref.value)) continue;
    const found = resolveGateway(ctx.index, ref.value, ctx.entry.namespace);
    if (found.status === 'found') continue;
    const known = found.status === 'missing';
    const others = bindableGateways(ctx.index).map((g) => gatewayReference(g, ctx.entry.namespace));
    const suggestion = closest(ref.value, others, 3);
    const message = known
      ? `Gateway ${found.namespace}/${found.name} not found.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`
      : `Gateway ${found.namespace}/${found.name} is not in the workspace (no Gateways in namespace ${found.namespace}); it may be defined in the cluster.`;
    ctx.report(known ? 'referenceNotFound' : 'referenceUnverifiable', ref, message, { type: 'reference', target: 'gateway', name: ref.value });
  }
};

export const checkHosts: Check = (ctx) => {
  const vs = ctx.entry.info.virtualService;
  if (!vs) return;
  const { index, entry } = ctx;
  const viewers = viewersOf(entry);
  for (const dest of allDestinations(vs)) {
    if (!dest.host) continue;
    const host = resolveHost(index, dest.host.value, entry.namespace, viewers);
    if (host.status === 'outside-workspace') reportUnverifiedHost(ctx, dest.host, host);
    if (host.status !== 'missing') continue;
    const why = whyMissing(host, viewers);
    ctx.report('referenceNotFound', dest.host, `Host '${dest.host.value}' (${host.fqdn}) ${why}.`, { type: 'reference', target: 'host', name: host.fqdn });
  }
};

/**
 * A destination host written `name.namespace` (or `name.namespace.svc`) where the workspace knows
 * that namespace: Istio takes it as written, an FQDN no Service has (istioctl's IST0101), though
 * Kubernetes DNS would resolve it. Other hosts the workspace cannot prove missing get no hint: a
 * workspace without its Services would get one on every destination.
 */
function reportUnverifiedHost(ctx: CheckContext, ref: TextRef, host: HostResolution): void {
  const asService = nameDotNamespace(ctx.index, host.fqdn);
  if (!asService) return;
  const message = `Host '${ref.value}' is taken as written (the FQDN ${host.fqdn}), not as Service ${asService.name} of namespace ${asService.namespace}; for that Service write ${asService.fqdn}. No Service or ServiceEntry in the workspace defines ${host.fqdn}; it may be defined in the cluster.`;
  ctx.report('referenceUnverifiable', ref, message, { type: 'reference', target: 'host', name: host.fqdn });
}

/** `name.ns` or `name.ns.svc` where the workspace knows namespace `ns`: a Service written the Kubernetes DNS way. */
function nameDotNamespace(index: WorkspaceIndex, fqdn: string): { name: string; namespace: string; fqdn: string } | undefined {
  const labels = fqdn.split('.');
  if (labels.length !== 2 && !(labels.length === 3 && labels[2] === 'svc')) return undefined;
  const [name, namespace] = labels;
  const service = `${name}.${namespace}.svc.${index.settings.clusterDomain}`;
  return index.services(service).length > 0 || index.definesServicesOf(namespace) ? { name, namespace, fqdn: service } : undefined;
}

/**
 * Why a host resolved as `missing` is: defined only by resources not exported to the referrer's
 * viewers (see viewersOf), or by nothing in its namespace.
 */
export function whyMissing(host: HostResolution, viewers: string[]): string {
  if (host.hidden.length === 0) return `matches no Service or ServiceEntry of namespace ${host.namespace}`;
  const by = host.hidden.map((e) => `${e.info.kind} ${e.name} (${e.namespace}, exportTo: ${exportToOf(e)?.join(', ') ?? '*'})`).join(', ');
  const to = viewers.includes('*') ? 'every namespace (this resource is exported to all)' : `namespace ${viewers.join(', ')}`;
  return `is defined by ${by}, which is not exported to ${to}`;
}

/**
 * IST0112 and IST0101 (`host:port`), as istioctl's checkServiceEntryPorts: a destination without a
 * port whose Service or ServiceEntry has several, or a port that is not one of them.
 */
export const checkDestinationPorts: Check = (ctx) => {
  const vs = ctx.entry.info.virtualService;
  if (!vs) return;
  const viewers = viewersOf(ctx.entry);
  for (const dest of allDestinations(vs)) {
    if (!dest.host) continue;
    const resolution = resolveHost(ctx.index, dest.host.value, ctx.entry.namespace, viewers);
    const found = resolution.status === 'found' ? hostPorts(ctx.index, resolution) : undefined;
    if (!found) continue;
    const { owner, ports } = found;
    const what = `${owner.info.kind} ${owner.name} (${owner.namespace})`;
    if (dest.port === undefined && ports.length > 1) {
      ctx.report('destinationPortRequired', dest.host, `${what} has ${ports.length} ports (${ports.join(', ')}); set the destination's port.number.`);
    } else if (dest.port !== undefined && !ports.includes(dest.port)) {
      const has = ports.length === 0 ? 'has no ports' : `has port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}`;
      ctx.report('referenceNotFound', dest.portSpan ?? dest.host, `Port ${dest.port} of host '${dest.host.value}' not found: ${what} ${has}.`, {
        type: 'reference',
        target: 'port',
        name: `${resolution.fqdn}:${dest.port}`,
      });
    }
  }
};

/**
 * KIA1105, as Kiali's RouteChecker: the same host and subset more than once among a route's
 * destinations, reported on each of them (at its host, as Kiali's `route[i]/host`). Unlike Kiali, a
 * different port makes a different destination. The quick fix removes the later ones.
 */
export const checkDuplicateDestinations: Check = (ctx) => {
  for (const route of ctx.entry.info.virtualService?.routes ?? []) {
    const byKey = groupBy(
      route.destinations.filter((d) => d.host),
      (d) => `${ctx.index.resolve(d.host?.value ?? '', ctx.entry.namespace)}|${d.subset?.value ?? ''}|${d.port ?? ''}`,
    );
    for (const same of byKey.values()) {
      if (same.length < 2) continue;
      for (const [i, dest] of same.entries()) {
        if (!dest.host) continue;
        const what = `${dest.host.value}${dest.subset ? ` subset ${dest.subset.value}` : ''}${dest.port === undefined ? '' : ` port ${dest.port}`}`;
        ctx.report(
          'duplicateDestination',
          dest.host,
          `This route lists ${what} ${same.length} times; list it once, with the sum of the weights.`,
          i > 0 ? { type: 'duplicate', what: 'destination' } : undefined,
        );
      }
    }
  }
};
