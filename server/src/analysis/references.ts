// IST0101 and friends on a VirtualService: subsets, Gateways and hosts it refers to.
import { closest } from '../base/problems';
import { allDestinations, type DestinationRef } from '../workspace/extract';
import { gatewayReference, resolveGateway, resolveHost, resolveSubset, servicesOf } from '../workspace/resolve';
import { exportToOf, groupBy, viewersOf, type IndexedResource } from '../workspace/index';
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
    const others = ctx.index.ofKind('Gateway').map((g) => gatewayReference(g, ctx.entry.namespace));
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
    if (host.status !== 'missing') continue;
    const why = host.hidden.length > 0 ? notExported(host.hidden, viewers) : `matches no Service or ServiceEntry of namespace ${host.namespace}`;
    ctx.report('referenceNotFound', dest.host, `Host '${dest.host.value}' (${host.fqdn}) ${why}.`, { type: 'reference', target: 'host', name: host.fqdn });
  }
};

/** Why a host defined only by resources not exported to the referrer is not found (see viewersOf). */
export function notExported(hidden: IndexedResource[], viewers: string[]): string {
  const by = hidden.map((e) => `${e.info.kind} ${e.name} (${e.namespace}, exportTo: ${exportToOf(e)?.join(', ') ?? '*'})`).join(', ');
  const to = viewers.includes('*') ? 'every namespace (this resource is exported to all)' : `namespace ${viewers.join(', ')}`;
  return `is defined by ${by}, which is not exported to ${to}`;
}

/** IST0112: a Service with several ports needs the route to choose one. */
export const checkDestinationPorts: Check = (ctx) => {
  const vs = ctx.entry.info.virtualService;
  if (!vs) return;
  for (const dest of allDestinations(vs)) {
    if (!dest.host || dest.port !== undefined) continue;
    const service = servicesOf(ctx.index, dest.host.value, ctx.entry.namespace, viewersOf(ctx.entry))[0];
    const ports = service?.info.service?.ports ?? [];
    if (ports.length > 1) {
      ctx.report(
        'destinationPortRequired',
        dest.host,
        `Service ${service.name} (${service.namespace}) has ${ports.length} ports (${ports.map((p) => p.port).join(', ')}); set the destination's port.number.`,
      );
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
