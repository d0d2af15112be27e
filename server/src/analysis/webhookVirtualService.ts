// The webhook's VirtualService rules that webhook.ts does not carry: delegates, routes that need
// a destination, redirect or direct response, header operations, string matches, CORS, faults,
// retries, rewrites, redirects, mirrors, TLS and TCP routes (ValidateVirtualService and
// validateHTTPRoute in pkg/config/validation).
import { isMap, isScalar, type Node } from 'yaml';
import { JWT_CLAIM } from './webhookHeaders';
import { checkDestinationHost, checkGatewayBinding, checkHttpRoute } from './webhookHttpRoute';
import {
  entries,
  field,
  hostsOverlap,
  ipSubnetProblem,
  isIpAddress,
  isSet,
  keyOf,
  listOf,
  num,
  portProblem,
  reportExportTo,
  reportLabels,
  reporter,
  specOf,
  str,
  wildcardDomainProblem,
  type Reporter,
} from './webhookKit';
import { gatewayBoundDomainProblem } from './webhookHosts';
import type { Check } from './context';

export const checkVirtualServiceWebhook: Check = (ctx) => {
  if (ctx.entry.info.kind !== 'VirtualService' || ctx.entry.info.apiVersion?.split('/')[0] !== 'networking.istio.io') return;
  const spec = specOf(ctx);
  if (!isMap(spec)) return;
  const r = reporter(ctx);
  const hosts = listOf(spec, 'hosts');
  const delegate = hosts.length === 0;
  if (delegate) {
    for (const key of ['gateways', 'tls', 'tcp']) if (isSet(spec, key)) r.error(keyOf(spec, key), `A delegate VirtualService (one without hosts) must not set ${key}.`);
  }
  const binding = checkGatewayBinding(spec);
  if (!binding.gateway) checkJwtClaimRoutes(r, spec);
  checkHostOverlaps(r, hosts, binding.mesh);
  if (!isSet(spec, 'http') && !isSet(spec, 'tcp') && !isSet(spec, 'tls')) r.error(keyOf(ctx.entry.resource.doc.contents, 'spec'), 'A VirtualService needs http, tcp or tls routes.');
  for (const http of listOf(spec, 'http')) checkHttpRoute(r, http, delegate);
  for (const tls of listOf(spec, 'tls')) checkTlsRoute(r, tls, spec, binding.gateway);
  for (const tcp of listOf(spec, 'tcp')) checkTcpRoute(r, tcp);
  reportExportTo(r, spec, ctx.entry.namespace);
};

function checkJwtClaimRoutes(r: Reporter, spec: Node): void {
  for (const http of listOf(spec, 'http')) {
    for (const match of listOf(http, 'match')) {
      for (const key of ['headers', 'withoutHeaders']) {
        for (const [name, keyNode] of entries(field(match, key))) {
          if (JWT_CLAIM.test(name)) r.error(keyNode, `JWT claim based routing ('${name}') works only for gateways; this VirtualService is not bound to a gateway.`);
        }
      }
    }
  }
}

/** Duplicate hosts (`*.foo.bar` and `*.bar` overlap), checked as Istio does when every host is valid. */
function checkHostOverlaps(r: Reporter, hosts: Node[], mesh: boolean): void {
  const names = hosts.map((h) => str(h) ?? '');
  const valid = names.every((h) => (!wildcardDomainProblem(h) && !(mesh && h === '*')) || isIpAddress(h));
  if (!valid) return;
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      if (hostsOverlap(names[i], names[j])) r.error(hosts[j], `Duplicate hosts in the VirtualService: '${names[i]}' and '${names[j]}' overlap.`);
    }
  }
}

function checkL4Match(r: Reporter, match: Node): void {
  for (const subnet of listOf(match, 'destinationSubnets')) {
    const problem = ipSubnetProblem(str(subnet) ?? '');
    if (problem) r.error(subnet, problem);
  }
  const port = num(match, 'port');
  if (port !== undefined && port !== 0 && portProblem(port)) r.error(field(match, 'port'), portProblem(port)!);
  reportLabels(r, field(match, 'sourceLabels'));
}

function checkTlsRoute(r: Reporter, tls: Node, spec: Node, gateway: boolean): void {
  // A missing match is the CRD's (required); an empty list the webhook's.
  if (field(tls, 'match') && !isSet(tls, 'match')) r.error(field(tls, 'match'), 'A TLS route needs at least one match.');
  for (const match of listOf(tls, 'match')) {
    const sniHosts = listOf(match, 'sniHosts');
    if (sniHosts.length === 0) r.error(isScalar(match) ? match : (keyOf(match, 'sniHosts') ?? match), 'A TLS match needs at least one SNI host.');
    for (const sni of sniHosts) checkSniHost(r, sni, spec, gateway);
    checkL4Match(r, match);
  }
  checkRouteList(r, tls, 'A TLS route needs a route.');
}

function checkTcpRoute(r: Reporter, tcp: Node): void {
  for (const match of listOf(tcp, 'match')) checkL4Match(r, match);
  checkRouteList(r, tcp, 'A TCP route needs a route.');
}

function checkRouteList(r: Reporter, owner: Node, missing: string): void {
  if (!isSet(owner, 'route')) r.error(keyOf(owner, 'match') ?? owner, missing);
  for (const destination of listOf(owner, 'route')) {
    if (!field(destination, 'destination')) r.error(destination, 'A route needs a destination.');
    else checkDestinationHost(r, field(destination, 'destination'));
  }
}

function checkSniHost(r: Reporter, node: Node, spec: Node, gateway: boolean): void {
  const sni = str(node) ?? '';
  const problem = gateway ? gatewayBoundDomainProblem(sni, true) : wildcardDomainProblem(sni);
  if (problem) {
    if (isIpAddress(sni)) r.warning(node, `Using an IP address ('${sni}') as an SNI host goes against the SNI spec; most clients do not support it.`);
    else r.error(node, problem);
    return;
  }
  const hosts = listOf(spec, 'hosts').map((h) => str(h) ?? '');
  if (!hosts.some((h) => subsetOf(sni, h))) r.error(node, `SNI host '${sni}' is not within any of the VirtualService's hosts: ${hosts.join(', ')}.`);
}

/** host.Name.SubsetOf. */
function subsetOf(a: string, b: string): boolean {
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw) return bw && a.length >= b.length && a.slice(1).endsWith(b.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}
