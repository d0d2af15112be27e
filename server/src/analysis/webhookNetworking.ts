// Rules of Istio's validating webhook for the networking kinds that neither the CRD schemas nor
// webhook.ts check: Gateway servers, DestinationRule subsets and exportTo, ServiceEntry
// resolutions, WorkloadEntry addresses, WorkloadGroup probes, ProxyConfig, EnvoyFilter patches
// and the annotations the webhook rejects on any kind (pkg/config/validation/validation.go,
// envoyfilter/envoyfilter.go). Errors are IST0106, the webhook's warnings IST0133.
import { isMap, type Node } from 'yaml';
import { RE2JS } from 're2js';
import { checkServerTls } from './webhookSidecar';
import { checkTrafficPolicy } from './webhookTraffic';
import {
  bool,
  entries,
  field,
  fqdnProblem,
  ipSubnetProblem,
  isDns1123Label,
  isHttpProtocol,
  isIpAddress,
  isSet,
  isTcpProtocol,
  isTlsProtocol,
  keyOf,
  listOf,
  num,
  portProblem,
  protocolOf,
  reportExportTo,
  reportLabels,
  reportProtocol,
  reporter,
  reportWorkloadSelector,
  specOf,
  str,
  UNIX_PREFIX,
  unixAddressProblem,
  wildcardDomainProblem,
  type Reporter,
  type Y,
} from './webhookKit';
import type { Check, CheckContext } from './context';

const isNetworking = (ctx: CheckContext, kind: string) => ctx.entry.info.kind === kind && ctx.entry.info.apiVersion?.split('/')[0] === 'networking.istio.io';
const specKey = (ctx: CheckContext) => keyOf(ctx.entry.resource.doc.contents, 'spec') ?? keyOf(ctx.entry.resource.doc.contents, 'kind');

const REJECTED_ANNOTATIONS: Record<string, string> = {
  'internal.istio.io/webhook-always-reject': 'Istio always rejects a resource with this annotation.',
  'internal.istio.io/parent-namespace': 'This internal annotation may not be set by users.',
  'internal.istio.io/parents': 'This internal annotation may not be set by users.',
};

/** validateMetadata: annotations the webhook rejects on every Istio kind (istio.io/dry-run: all but AuthorizationPolicy). */
export const checkWebhookAnnotations: Check = (ctx) => {
  const group = ctx.entry.info.apiVersion?.split('/')[0] ?? '';
  if (!/\.istio\.io$/.test(group)) return;
  const r = reporter(ctx);
  for (const [name, keyNode] of entries(field(field(ctx.entry.resource.doc.contents, 'metadata'), 'annotations'))) {
    if (REJECTED_ANNOTATIONS[name]) r.error(keyNode, `'${name}': ${REJECTED_ANNOTATIONS[name]}`);
    if (name === 'istio.io/dry-run' && ctx.entry.info.kind !== 'AuthorizationPolicy') r.error(keyNode, `The annotation istio.io/dry-run is only supported on AuthorizationPolicy: remove it.`);
  }
};

export const checkGatewayWebhook: Check = (ctx) => {
  if (!isNetworking(ctx, 'Gateway')) return;
  const r = reporter(ctx);
  const name = ctx.entry.info.name?.value;
  if (name && !isDns1123Label(name)) r.error(field(field(ctx.entry.resource.doc.contents, 'metadata'), 'name'), `Invalid Gateway name '${name}': it must be a DNS label (no dots).`);
  const spec = specOf(ctx);
  const servers = listOf(spec, 'servers');
  if (servers.length === 0) r.error(keyOf(spec, 'servers') ?? specKey(ctx), 'A Gateway needs at least one server.');
  const portNames = new Set<string>();
  for (const server of servers) {
    checkServer(r, server);
    const port = field(server, 'port');
    if (!port) continue;
    const portName = str(port, 'name') ?? '';
    if (portNames.has(portName)) r.error(field(port, 'name') ?? keyOf(server, 'port'), `Port names of a Gateway's servers must be unique: '${portName}' is used twice.`);
    portNames.add(portName);
    if (!isHttpProtocol(protocolOf(str(port, 'protocol'))) && bool(field(server, 'tls'), 'httpsRedirect'))
      r.warning(keyOf(field(server, 'tls'), 'httpsRedirect'), 'tls.httpsRedirect should only be used with HTTP servers.');
  }
};

function checkServer(r: Reporter, server: Node): void {
  if (!isSet(server, 'hosts')) r.error(keyOf(server, 'hosts') ?? server, 'A server needs at least one host.');
  const port = field(server, 'port');
  const bind = str(server, 'bind') ?? '';
  if (!port) return r.error(server, 'A server needs a port.');
  const protocol = protocolOf(str(port, 'protocol'));
  if (!protocol)
    r.error(field(port, 'protocol') ?? keyOf(server, 'port'), `Invalid protocol '${str(port, 'protocol') ?? ''}': use HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TLS, TCP, MONGO, MYSQL or REDIS.`);
  if ((num(port, 'targetPort') ?? 0) > 0) r.error(keyOf(port, 'targetPort'), 'targetPort has no effect on Gateways.');
  if (str(port, 'name') === '') r.error(field(port, 'name'), 'A server port needs a name.'); // a missing one is the CRD's
  const number = num(port, 'number') ?? 0;
  if (bind.startsWith(UNIX_PREFIX)) {
    const problem = unixAddressProblem(bind.slice(UNIX_PREFIX.length));
    if (problem) r.error(field(server, 'bind'), problem);
    if (number !== 0) r.error(field(port, 'number'), 'The port number must be 0 for a unix domain socket bind.');
  } else if (bind !== '' && !isIpAddress(bind)) r.error(field(server, 'bind'), `'${bind}' is not a valid IP address.`);
  const tls = field(server, 'tls');
  checkServerTls(r, tls);
  const portValid = protocol && str(port, 'name') && (number > 0 || !bind.startsWith(UNIX_PREFIX) ? !portProblem(number) : true) && !((num(port, 'targetPort') ?? 0) > 0);
  if (!portValid) return;
  if (isTlsProtocol(protocol) && !tls) r.error(keyOf(server, 'port'), `A ${protocol} server needs TLS settings (tls).`);
  else if (!isTlsProtocol(protocol) && tls) {
    const redirectOnly = isHttpProtocol(protocol) && (str(tls, 'mode') ?? 'PASSTHROUGH') === 'PASSTHROUGH' && !['caCertificates', 'privateKey', 'serverCertificate'].some((k) => str(tls, k));
    if (!redirectOnly)
      r.error(keyOf(server, 'tls'), isHttpProtocol(protocol) ? 'A plain-text HTTP server can only set tls.httpsRedirect.' : `A ${protocol} server cannot have TLS settings: use HTTPS or TLS.`);
  }
}

export const checkDestinationRuleWebhook: Check = (ctx) => {
  if (!isNetworking(ctx, 'DestinationRule')) return;
  const spec = specOf(ctx);
  if (!isMap(spec)) return;
  const r = reporter(ctx);
  checkTrafficPolicy(r, spec, ctx.entry.namespace);
  const names = new Set<string>();
  for (const subset of listOf(spec, 'subsets')) {
    const name = str(subset, 'name') ?? '';
    if (names.has(name)) r.error(field(subset, 'name'), `Duplicate subset name '${name}'.`);
    names.add(name);
    if (name === '' || !isDns1123Label(name)) r.error(field(subset, 'name') ?? subset, name === '' ? 'A subset needs a name.' : `Subset name '${name}' is not a valid DNS label.`);
    reportLabels(r, field(subset, 'labels'));
    checkTrafficPolicy(r, subset, ctx.entry.namespace);
  }
  reportExportTo(r, spec, ctx.entry.namespace, { selector: !!field(spec, 'workloadSelector') });
  reportWorkloadSelector(r, spec, 'workloadSelector', 'matchLabels', 'DestinationRule');
};

/** validateWorkloadEntry: address (IP, FQDN when allowed, unix socket), ports, labels. */
function checkWorkloadEntry(r: Reporter, entry: Node, ports: Set<string> | undefined, allowFqdn: boolean): void {
  const address = str(entry, 'address') ?? '';
  if (address === '') {
    // An absent address (and network) is the CRD's rule; an empty one is the webhook's.
    if (!str(entry, 'network')) return field(entry, 'address') ? r.error(field(entry, 'address'), 'A workload entry needs an address.') : undefined;
    r.warning(keyOf(entry, 'network'), `The address is unset, with network '${str(entry, 'network')}'.`);
  }
  if (address.startsWith(UNIX_PREFIX)) {
    const problem = unixAddressProblem(address.slice(UNIX_PREFIX.length));
    if (problem) r.error(field(entry, 'address'), problem);
    if (ports && ports.size !== 1) r.error(field(entry, 'address'), 'A unix endpoint needs exactly one service port.');
  } else if (address !== '' && !isIpAddress(address)) {
    if (!allowFqdn) r.error(field(entry, 'address'), `The endpoint address '${address}' is not a valid IP address.`);
    else if (fqdnProblem(address)) r.error(field(entry, 'address'), `The endpoint address '${address}' is neither a valid FQDN nor an IP address.`);
  }
  checkEndpointPorts(r, entry, ports);
  reportLabels(r, field(entry, 'labels'));
}

function checkEndpointPorts(r: Reporter, entry: Node, ports: Set<string> | undefined): void {
  for (const [name, keyNode, value] of entries(field(entry, 'ports'))) {
    if (ports && !ports.has(name)) r.error(keyNode, `The endpoint port '${name}' is not a port of the ServiceEntry.`);
    if (!isDns1123Label(name)) r.error(keyNode, `'${name}' is not a valid port name (a DNS label).`);
    const problem = portProblem(num(value) ?? 0);
    if (problem) r.error(value ?? keyNode, problem);
  }
}

export const checkWorkloadEntryWebhook: Check = (ctx) => {
  if (!isNetworking(ctx, 'WorkloadEntry')) return;
  const spec = specOf(ctx);
  if (spec) checkWorkloadEntry(reporter(ctx), spec, undefined, true);
};

export const checkWorkloadGroupWebhook: Check = (ctx) => {
  if (!isNetworking(ctx, 'WorkloadGroup')) return;
  const spec = specOf(ctx);
  const r = reporter(ctx);
  if (!field(spec, 'template')) return; // the CRD requires it
  reportLabels(r, field(field(spec, 'metadata'), 'labels'));
  const probe = field(spec, 'probe');
  if (!probe) return;
  for (const key of ['periodSeconds', 'initialDelaySeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold']) {
    if ((num(probe, key) ?? 0) < 0) r.error(field(probe, key), `${key} must not be negative.`);
  }
  const method = ['httpGet', 'tcpSocket', 'exec'].find((m) => field(probe, m));
  if (!method) return r.error(keyOf(spec, 'probe'), 'A probe needs a health check method: httpGet, tcpSocket or exec.');
  const check = field(probe, method)!;
  if (method === 'exec' && !isSet(check, 'command')) r.error(keyOf(probe, 'exec'), 'exec.command is required.');
  if (method !== 'exec' && portProblem(num(check, 'port') ?? 0)) r.error(field(check, 'port') ?? keyOf(probe, method), portProblem(num(check, 'port') ?? 0)!);
  for (const header of method === 'httpGet' ? listOf(check, 'httpHeaders') : []) {
    const name = str(header, 'name') ?? '';
    if (!/^[-A-Za-z0-9]+$/.test(name)) r.error(field(header, 'name') ?? header, name === '' ? 'A header name cannot be empty.' : `'${name}' is not a valid header name.`);
  }
};

export const checkProxyConfigWebhook: Check = (ctx) => {
  if (!isNetworking(ctx, 'ProxyConfig')) return;
  const spec = specOf(ctx);
  const r = reporter(ctx);
  reportWorkloadSelector(r, spec, 'selector', 'matchLabels', 'ProxyConfig');
  // concurrency >= 0 is the CRD's minimum.
};

export const checkServiceEntryWebhook: Check = (ctx) => {
  if (!isNetworking(ctx, 'ServiceEntry')) return;
  const spec = specOf(ctx);
  if (!isMap(spec)) return;
  const r = reporter(ctx);
  reportWorkloadSelector(r, spec, 'workloadSelector', 'labels', 'ServiceEntry');
  for (const address of listOf(spec, 'addresses')) {
    const problem = ipSubnetProblem(str(address) ?? '');
    if (problem) r.error(address, problem);
  }
  const ports = checkServicePorts(r, spec, ctx);
  checkResolution(r, spec, ports, ctx);
  const resolution = str(spec, 'resolution') ?? 'NONE';
  if (resolution !== 'NONE' && listOf(spec, 'hosts').length > 1) {
    const port = listOf(spec, 'ports').find((p) => !isHttpProtocol(protocolOf(str(p, 'protocol'))) && !isTlsProtocol(protocolOf(str(p, 'protocol'))));
    if (port) r.error(keyOf(spec, 'hosts'), 'Several hosts with a port that is neither HTTP nor TLS: use one host per ServiceEntry, or resolution NONE.');
  }
  reportExportTo(r, spec, ctx.entry.namespace, { serviceEntry: true });
};

function checkServicePorts(r: Reporter, spec: Node, ctx: CheckContext): Set<string> {
  const names = new Set<string>();
  // pilot's ShouldV2AutoAllocateIPFromConfig, with PILOT_ENABLE_IP_AUTOALLOCATE at its default (on).
  const optOut = str(field(field(ctx.entry.resource.doc.contents, 'metadata'), 'labels'), 'networking.istio.io/enable-autoallocate-ip')?.toLowerCase() === 'false';
  const autoAllocate = (str(spec, 'resolution') ?? 'NONE') !== 'NONE' && !optOut;
  for (const port of listOf(spec, 'ports')) {
    const name = str(port, 'name') ?? '';
    if (names.has(name)) r.error(field(port, 'name'), `The port name '${name}' is already defined.`);
    names.add(name);
    const protocol = str(port, 'protocol') ?? '';
    if (!isSet(spec, 'addresses') && !autoAllocate && (protocol === '' || protocol === 'TCP')) {
      r.warning(
        field(port, 'protocol') ?? port,
        'Without addresses, a TCP (or protocol-less) port needs IP auto-allocation, which resolution NONE or the label networking.istio.io/enable-autoallocate-ip: "false" turns off.',
      );
    }
    if (!isDns1123Label(name)) r.error(field(port, 'name') ?? port, `'${name}' is not a valid port name (a DNS label).`);
    reportProtocol(r, field(port, 'protocol'));
  }
  return names;
}

function checkResolution(r: Reporter, spec: Node, ports: Set<string>, ctx: CheckContext): void {
  const resolution = str(spec, 'resolution') ?? 'NONE';
  const endpoints = listOf(spec, 'endpoints');
  const hosts = listOf(spec, 'hosts');
  const at = field(spec, 'resolution') ?? specKey(ctx);
  if (resolution === 'NONE' && field(spec, 'workloadSelector')) r.warning(keyOf(spec, 'workloadSelector'), 'workloadSelector should not be set with resolution NONE.');
  if (resolution === 'STATIC') for (const endpoint of endpoints) checkWorkloadEntry(r, endpoint, ports, false);
  if (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') {
    // A host that is not even a valid (wildcard) domain is reported once, by checkHostSyntax.
    const notFqdn = endpoints.length === 0 ? hosts.find((h) => fqdnProblem(str(h) ?? '') && !wildcardDomainProblem(str(h) ?? '')) : undefined;
    if (notFqdn) r.error(notFqdn, `Without endpoints, resolution ${resolution} needs FQDN hosts (or a prefix wildcard): ${fqdnProblem(str(notFqdn) ?? '')}`);
    for (const endpoint of endpoints) {
      const address = str(endpoint, 'address') ?? '';
      if (!isIpAddress(address) && fqdnProblem(address)) r.error(field(endpoint, 'address') ?? endpoint, `The endpoint address '${address}' is neither a valid FQDN nor an IP address.`);
      reportLabels(r, field(endpoint, 'labels'));
      checkEndpointPorts(r, endpoint, ports);
    }
    const tcp = listOf(spec, 'ports').some((p) => isTcpProtocol(protocolOf(str(p, 'protocol'))));
    if (isSet(spec, 'addresses') && tcp && hosts.length > 1) r.warning(keyOf(spec, 'hosts'), 'A ServiceEntry with addresses and a TCP port should have only one host.');
  }
  if (resolution === 'DYNAMIC_DNS') {
    for (const host of hosts) if (!(str(host) ?? '').startsWith('*')) r.error(host, 'Resolution DYNAMIC_DNS needs wildcard hosts.');
    if (isSet(spec, 'addresses')) r.error(keyOf(spec, 'addresses'), 'Resolution DYNAMIC_DNS cannot have addresses: route domains come from the hosts.');
    if (isSet(spec, 'endpoints')) r.error(keyOf(spec, 'endpoints'), 'Resolution DYNAMIC_DNS cannot have endpoints: the destination IP comes from the hosts.');
    // Istio 1.29 accepts only HTTP and TLS ports and MESH_EXTERNAL; 1.30 added GRPC, HTTP2 and MESH_INTERNAL.
    const before130 = r.istioVersion === '1.29';
    const protocols = before130 ? ['HTTP', 'TLS'] : ['HTTP', 'TLS', 'GRPC', 'HTTP2'];
    for (const port of listOf(spec, 'ports')) {
      if (!protocols.includes(protocolOf(str(port, 'protocol')) ?? ''))
        r.error(
          field(port, 'protocol') ?? port,
          `Resolution DYNAMIC_DNS supports only ${protocols.slice(0, -1).join(', ')} and ${protocols[protocols.length - 1]} ports${before130 ? ' in Istio 1.29' : ''}.`,
        );
    }
    const location = str(spec, 'location') ?? 'MESH_EXTERNAL';
    if (before130 && location !== 'MESH_EXTERNAL') r.error(field(spec, 'location') ?? at, 'Resolution DYNAMIC_DNS needs location MESH_EXTERNAL in Istio 1.29.');
    const waypoint = str(field(field(ctx.entry.resource.doc.contents, 'metadata'), 'labels'), 'istio.io/use-waypoint');
    if (location === 'MESH_INTERNAL' && waypoint && waypoint.toLowerCase() !== 'none')
      r.error(at, 'Resolution DYNAMIC_DNS with location MESH_INTERNAL is not supported with a waypoint (istio.io/use-waypoint).');
  }
}

const LISTENER_CLASS = new Set(['LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER']);
const OPERATIONS = new Set(['MERGE', 'ADD', 'REMOVE', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'REPLACE', 'MERGE_AND_REPLACE_LIST']);
const APPLY_TO = new Set([...LISTENER_CLASS, 'ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE', 'CLUSTER', 'EXTENSION_CONFIG', 'BOOTSTRAP', 'LISTENER_FILTER']);
const ROUTE_CLASS = new Set(['ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE']);
const HCM = new Set(['envoy.filters.network.http_connection_manager', 'envoy.http_connection_manager']);

/** validateEnvoyFilter (pkg/config/validation/envoyfilter): the patch, its match and proxyVersion. */
export const checkEnvoyFilterWebhook: Check = (ctx) => {
  if (!isNetworking(ctx, 'EnvoyFilter')) return;
  const spec = specOf(ctx);
  const r = reporter(ctx);
  reportWorkloadSelector(r, spec, 'workloadSelector', 'labels', 'EnvoyFilter');
  for (const patch of listOf(spec, 'configPatches')) checkConfigPatch(r, patch);
};

function checkConfigPatch(r: Reporter, cp: Node): void {
  const match = field(cp, 'match');
  if (str(match, 'context') === 'WAYPOINT') return;
  const applyTo = str(cp, 'applyTo') ?? 'INVALID';
  if (applyTo === 'INVALID') return r.error(keyOf(cp, 'applyTo') ?? cp, 'The patch needs applyTo.');
  // A value the proto has no name for is the schema's error; the webhook never sees the patch.
  if (!APPLY_TO.has(applyTo)) return;
  const patch = field(cp, 'patch');
  if (!patch) return r.error(keyOf(cp, 'applyTo'), 'The patch needs patch (operation and value).');
  const operation = str(patch, 'operation') ?? 'INVALID';
  if (operation === 'INVALID') return r.error(keyOf(cp, 'patch'), 'The patch needs an operation.');
  if (!OPERATIONS.has(operation)) return; // the schema's enum error
  if (operation !== 'REMOVE' && !field(patch, 'value')) return r.error(keyOf(cp, 'patch'), `Operation ${operation} needs a patch value.`);
  const version = field(field(match, 'proxy'), 'proxyVersion');
  const versionText = str(version);
  if (versionText && versionText.length > 1024) r.warning(version, 'A proxyVersion match over 1024 characters is ignored.');
  else if (versionText && !compiles(versionText)) return r.error(version, `proxyVersion is not a valid RE2 regex.`);
  checkPatchMatch(r, applyTo, match);
}

function compiles(regex: string): boolean {
  try {
    RE2JS.compile(regex);
    return true;
  } catch {
    return false;
  }
}

function checkPatchMatch(r: Reporter, applyTo: string, match: Y): void {
  const object = ['listener', 'routeConfiguration', 'cluster'].find((k) => field(match, k));
  if (!object) return;
  const at = keyOf(match, object);
  if (LISTENER_CLASS.has(applyTo)) {
    if (object !== 'listener') return r.error(at, `applyTo ${applyTo} needs a listener match.`);
    const filter = field(field(field(match, 'listener'), 'filterChain'), 'filter');
    if (!filter) return;
    if (applyTo === 'LISTENER' || applyTo === 'FILTER_CHAIN') r.warning(keyOf(field(field(match, 'listener'), 'filterChain'), 'filter'), `A filter match has no effect with applyTo ${applyTo}.`);
    if (!str(filter, 'name')) return r.error(keyOf(field(field(match, 'listener'), 'filterChain'), 'filter'), 'The filter match has no name to match on.');
    const sub = field(filter, 'subFilter');
    if (!sub) return;
    if (applyTo !== 'HTTP_FILTER') return r.error(keyOf(filter, 'subFilter'), 'A subFilter match can be used with applyTo HTTP_FILTER only.');
    if (!HCM.has(str(filter, 'name')!)) return r.error(keyOf(filter, 'subFilter'), 'A subFilter match needs a filter match of envoy.filters.network.http_connection_manager.');
    if (!str(sub, 'name')) r.error(keyOf(filter, 'subFilter'), 'The subFilter match has no name to match on.');
  } else if (ROUTE_CLASS.has(applyTo) && object !== 'routeConfiguration') r.error(at, `applyTo ${applyTo} needs a routeConfiguration match.`);
  else if (applyTo === 'CLUSTER' && object !== 'cluster') r.error(at, 'applyTo CLUSTER needs a cluster match.');
}
