// Host rules of Istio's webhook that depend on where the host is written: a Gateway server's or
// a Sidecar egress listener's `namespace/dnsName`, a VirtualService bound to gateways (with the
// auto-generated `outbound_` SNI names), ServiceEntry hosts (agent.ValidateNamespaceSlashWildcardHostname,
// agent.ValidateWildcardDomainForVirtualServiceBoundToGateway).
import { isDns1123Label, isIpAddress, partialWildcardProblem, wildcardDomainProblem } from './webhookKit';

/** validateSidecarOrGatewayHostnamePart. */
function hostnamePartProblem(hostname: string, gateway: boolean): string | undefined {
  if (hostname !== '*' && !hostname.includes('.')) return `'${hostname}': short names (not FQDNs) are not allowed.`;
  const problem = wildcardDomainProblem(hostname);
  if (problem && !(gateway && isIpAddress(hostname))) return problem;
  return partialWildcardProblem(hostname);
}

/** agent.ValidateNamespaceSlashWildcardHostname for Gateway servers (`gateway`) and Sidecar egress hosts. */
export function namespaceSlashHostProblem(hostname: string, gateway: boolean): string | undefined {
  const slash = hostname.indexOf('/');
  if (slash === -1) return gateway ? hostnamePartProblem(hostname, true) : `'${hostname}': a host must be written namespace/dnsName.`;
  const ns = hostname.slice(0, slash);
  const name = hostname.slice(slash + 1);
  if (ns === '' || name === '') return `'${hostname}': neither the namespace nor the dnsName may be empty.`;
  if (!gateway) {
    const bare = ns.replace(/^~/, '');
    if (bare !== '' && bare !== '*' && bare !== '.' && !isDns1123Label(bare)) return `'${ns}' is not a valid namespace in a Sidecar host: use '*', '.', '~' or a namespace name.`;
  } else if (ns !== '*' && ns !== '.' && !isDns1123Label(ns)) return `'${ns}' is not a valid namespace in a Gateway host: use '*', '.' or a namespace name.`;
  return hostnamePartProblem(name, gateway);
}

/** The host rules of ValidateVirtualService for one of spec.hosts. */
export function virtualServiceHostProblem(host: string, binding: { gateway: boolean; mesh: boolean }, sni: boolean): string | undefined {
  const problem = binding.gateway ? gatewayBoundDomainProblem(host, sni) : wildcardDomainProblem(host);
  if (problem) return isIpAddress(host) ? undefined : problem;
  return binding.mesh && host === '*' ? "The wildcard host '*' is not allowed for a VirtualService bound to the mesh." : undefined;
}

/** agent.ValidateWildcardDomainForVirtualServiceBoundToGateway: also Istio's auto-generated `outbound_.<port>_._.<hostname>` SNI names. */
export function gatewayBoundDomainProblem(host: string, sni: boolean): string | undefined {
  if (!sni || !host.startsWith('outbound_') || host.length > 255) return wildcardDomainProblem(host);
  const parts = host.split('_');
  const format = 'outbound_.<port>_._.<hostname>';
  if (parts.length < 4) return `'${host}' should be written ${format}.`;
  const trim = (s: string) => s.replace(/^\.+|\.+$/g, '');
  if (parts[0] !== 'outbound') return `'${host}': '${parts[0]}' should be 'outbound'.`;
  if (!/[0-9]/.test(trim(parts[1]))) return `'${host}': '${trim(parts[1])}' should be a port (${format}).`;
  if (!/[a-zA-Z]/.test(trim(parts[3]))) return `'${host}': '${trim(parts[3])}' should be a host name (${format}).`;
  return undefined;
}
