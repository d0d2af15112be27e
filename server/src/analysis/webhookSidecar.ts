// The webhook's rules for listeners: a Sidecar's ingress and egress listeners and outbound
// policy (ValidateSidecar), and the server TLS settings a Gateway server or a Sidecar ingress
// listener terminates with (validateTLSOptions), in pkg/config/validation/validation.go.
import { isMap, type Node } from 'yaml';
import { checkDestinationHost } from './webhookHttpRoute';
import { checkConnectionPool } from './webhookTraffic';
import {
  bool,
  field,
  fqdnProblem,
  isDns1123Label,
  isHttpProtocol,
  isIpAddress,
  isSet,
  isTlsProtocol,
  keyOf,
  listOf,
  num,
  portProblem,
  protocolOf,
  reportProtocol,
  reporter,
  reportWorkloadSelector,
  specOf,
  str,
  UNIX_PREFIX,
  unixAddressProblem,
  type Reporter,
  type Y,
} from './webhookKit';
import { namespaceSlashHostProblem } from './webhookHosts';
import type { Check } from './context';

const CIPHERS = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'AES256-SHA',
  'DES-CBC3-SHA',
]);

/** validateTLSOptions: a server's TLS settings. */
export function checkServerTls(r: Reporter, tls: Y): void {
  if (!isMap(tls)) return;
  const mode = str(tls, 'mode') ?? 'PASSTHROUGH';
  const minVersion = str(tls, 'minProtocolVersion');
  const ciphers = listOf(tls, 'cipherSuites').map((c) => str(c) ?? '');
  if ((minVersion === 'TLSV1_0' || minVersion === 'TLSV1_1') && ciphers.length === 0) {
    r.warning(field(tls, 'minProtocolVersion'), 'TLS versions below TLSV1_2 need compatible cipherSuites: the default ciphers no longer include them.');
  }
  const invalid = ciphers.filter((c) => !CIPHERS.has(c));
  if (invalid.length > 0) r.warning(keyOf(tls, 'cipherSuites'), `Ignoring invalid cipher suites: ${[...new Set(invalid)].sort().join(', ')}.`);
  const duplicates = ciphers.filter((c, i) => CIPHERS.has(c) && ciphers.indexOf(c) !== i);
  if (duplicates.length > 0) r.warning(keyOf(tls, 'cipherSuites'), `Ignoring duplicate cipher suites: ${[...new Set(duplicates)].sort().join(', ')}.`);
  const certFields = ['serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames'];
  if (mode === 'ISTIO_MUTUAL') {
    for (const f of certFields) if (isSet(tls, f) && (str(tls, f) ?? 'x') !== '') r.error(keyOf(tls, f), `ISTIO_MUTUAL TLS cannot have an associated ${f}.`);
    return;
  }
  if ((mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') && ['caCrl', ...certFields].some((f) => isSet(tls, f) && str(tls, f) !== '')) {
    r.warning(field(tls, 'mode') ?? keyOf(tls, certFields.find((f) => isSet(tls, f)) ?? 'caCrl'), `${mode} mode does not use certificates: they are ignored.`);
  }
  const sources = [!!str(tls, 'serverCertificate') && !!str(tls, 'privateKey'), !!str(tls, 'credentialName'), isSet(tls, 'credentialNames'), isSet(tls, 'tlsCertificates')];
  if (sources.filter(Boolean).length > 1) r.error(tls, 'Set only one of credentialName, credentialNames, serverCertificate/privateKey and tlsCertificates.');
  const simpleOrMutual = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  if (simpleOrMutual && (str(tls, 'credentialName') || isSet(tls, 'credentialNames'))) return;
  if (simpleOrMutual) checkServerCertificates(r, tls, mode);
  if (str(tls, 'caCrl')) {
    if (str(tls, 'credentialName')) r.error(keyOf(tls, 'caCrl'), 'caCrl is not supported with credentialName: put the CRL in the credential.');
    if (mode === 'SIMPLE') r.error(keyOf(tls, 'caCrl'), 'caCrl is not supported with SIMPLE TLS.');
  }
}

function checkServerCertificates(r: Reporter, tls: Node, mode: string): void {
  const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
  const at = field(tls, 'mode') ?? tls;
  if (mode !== 'SIMPLE' && !str(tls, 'caCertificates')) r.error(at, `${prefix} needs a client CA bundle (caCertificates), or a credentialName.`);
  const certificates = listOf(tls, 'tlsCertificates');
  if (certificates.length > 2) r.warning(keyOf(tls, 'tlsCertificates'), `${prefix} supports at most 2 server certificates.`);
  for (const cert of certificates.length > 0 ? certificates : [tls]) {
    const missing = [
      ['serverCertificate', 'a server certificate'],
      ['privateKey', 'a private key'],
    ].filter(([key]) => !str(cert, key));
    if (missing.length > 0) r.error(cert === tls ? at : cert, `${prefix} needs ${missing.map(([key, what]) => `${what} (${key})`).join(' and ')}, or a credentialName.`);
  }
}

export const checkSidecarWebhook: Check = (ctx) => {
  if (ctx.entry.info.kind !== 'Sidecar' || ctx.entry.info.apiVersion?.split('/')[0] !== 'networking.istio.io') return;
  const spec = specOf(ctx);
  const r = reporter(ctx);
  reportWorkloadSelector(r, spec, 'workloadSelector', 'labels', 'Sidecar');
  if (!['egress', 'ingress'].some((k) => isSet(spec, k)) && !field(spec, 'outboundTrafficPolicy') && !field(spec, 'inboundConnectionPool')) {
    return r.error(keyOf(ctx.entry.resource.doc.contents, 'spec'), 'A Sidecar needs egress, ingress, outboundTrafficPolicy or inboundConnectionPool.');
  }
  checkIngress(r, listOf(spec, 'ingress'));
  checkConnectionPool(r, spec, 'inboundConnectionPool');
  checkEgress(r, listOf(spec, 'egress'), ctx.entry.namespace);
  checkOutboundPolicy(r, field(spec, 'outboundTrafficPolicy'));
};

function checkPortName(r: Reporter, port: Node): void {
  const name = str(port, 'name');
  if (name && !isDns1123Label(name)) r.error(field(port, 'name'), `'${name}' is not a valid port name (a DNS label).`);
  if ((num(port, 'targetPort') ?? 0) > 0) r.error(keyOf(port, 'targetPort'), 'targetPort has no effect on Sidecars.');
}

function checkIngress(r: Reporter, ingress: Node[]): void {
  const ports = new Set<number>();
  for (const listener of ingress) {
    const port = field(listener, 'port');
    if (!port) continue; // the CRD requires it
    checkPortName(r, port);
    reportProtocol(r, field(port, 'protocol'));
    checkBind(r, listener);
    const number = num(port, 'number') ?? 0;
    if (ports.has(number)) r.error(field(port, 'number') ?? keyOf(listener, 'port'), `Port ${number} is used by another ingress listener: ports on IP-bound listeners must be unique.`);
    ports.add(number);
    checkDefaultEndpoint(r, field(listener, 'defaultEndpoint'));
    checkIngressTls(r, listener, port);
    checkConnectionPool(r, listener, 'connectionPool');
    if (field(field(listener, 'connectionPool'), 'http') && !isHttpProtocol(protocolOf(str(port, 'protocol')))) {
      r.warning(keyOf(field(listener, 'connectionPool'), 'http'), `HTTP connection pool settings on port ${number}, whose protocol is not HTTP: only the TCP settings apply.`);
    }
  }
}

function checkBind(r: Reporter, listener: Node): void {
  const bind = str(listener, 'bind');
  if (bind && !isIpAddress(bind)) r.error(field(listener, 'bind'), `'${bind}' is not a valid IP address.`);
}

function checkDefaultEndpoint(r: Reporter, node: Y): void {
  const endpoint = str(node);
  if (!endpoint) return;
  if (endpoint.startsWith(UNIX_PREFIX)) {
    const problem = unixAddressProblem(endpoint.slice(UNIX_PREFIX.length));
    if (problem) r.error(node, problem);
    return;
  }
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):([^:]*)$/.exec(endpoint);
  const host = m ? (m[1] ?? m[2]) : undefined;
  if (!m) r.error(node, `defaultEndpoint '${endpoint}' is not host:port.`);
  else if (host !== '' && !['127.0.0.1', '0.0.0.0', '::1', '::'].includes(host!))
    r.error(node, 'defaultEndpoint must be 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port>, unix://<path> or unset.');
  const port = m ? m[3] : '';
  if (!/^[-+]?\d+$/.test(port)) r.error(node, `The defaultEndpoint port '${port}' is not a number.`);
  else if (portProblem(Number(port))) r.error(node, portProblem(Number(port))!);
}

function checkIngressTls(r: Reporter, listener: Node, port: Node): void {
  const tls = field(listener, 'tls');
  if (!tls) return;
  const unsupported: [string, boolean, string][] = [
    ['subjectAltNames', isSet(tls, 'subjectAltNames'), 'subjectAltNames is not supported in ingress TLS'],
    ['httpsRedirect', bool(tls, 'httpsRedirect'), 'httpsRedirect is not supported'],
    ['credentialName', !!str(tls, 'credentialName'), 'credentialName is not supported yet'],
    ['credentialNames', isSet(tls, 'credentialNames'), 'credentialNames is not supported yet'],
    ['tlsCertificates', isSet(tls, 'tlsCertificates'), 'tlsCertificates is not supported yet'],
  ];
  for (const [key, set, message] of unsupported) if (set) r.error(keyOf(tls, key), `Sidecar: ${message}.`);
  const mode = str(tls, 'mode');
  if (mode === 'ISTIO_MUTUAL' || mode === 'AUTO_PASSTHROUGH') r.error(field(tls, 'mode'), `A Sidecar's ingress TLS cannot use mode ${mode}.`);
  if (!isTlsProtocol(protocolOf(str(port, 'protocol')))) r.error(keyOf(listener, 'tls'), 'TLS settings need an HTTPS or TLS port.');
  checkServerTls(r, tls);
}

function checkEgress(r: Reporter, egress: Node[], namespace: string): void {
  const ports = new Set<number>();
  const sockets = new Set<string>();
  let catchAll = false;
  egress.forEach((listener, index) => {
    const port = field(listener, 'port');
    if (!port) {
      if (catchAll) return r.error(listener, 'A Sidecar can have only one egress listener without a port.');
      if (index === egress.length - 1) catchAll = true;
      else r.error(listener, 'The egress listener without a port must be the last one.');
    } else {
      checkEgressPort(r, listener, port);
      const number = num(port, 'number') ?? 0;
      const bind = str(listener, 'bind') ?? '';
      if (number === 0 ? sockets.has(bind) : ports.has(number))
        r.error(
          keyOf(listener, 'port'),
          number === 0 ? 'Unix domain socket binds of listeners must be unique.' : `Port ${number} is used by another egress listener: ports on IP-bound listeners must be unique.`,
        );
      if (number === 0) sockets.add(bind);
      else ports.add(number);
    }
    checkEgressHosts(r, listener, namespace);
  });
}

function checkEgressPort(r: Reporter, listener: Node, port: Node): void {
  checkPortName(r, port);
  reportProtocol(r, field(port, 'protocol'));
  const bind = str(listener, 'bind') ?? '';
  if ((num(port, 'number') ?? 0) !== 0) return checkBind(r, listener);
  if (!bind.startsWith(UNIX_PREFIX)) r.error(keyOf(listener, 'port'), 'A port number 0 needs a unix domain socket bind (unix://...).');
  else if (unixAddressProblem(bind.slice(UNIX_PREFIX.length))) r.error(field(listener, 'bind'), unixAddressProblem(bind.slice(UNIX_PREFIX.length))!);
  const capture = str(listener, 'captureMode');
  if (capture && capture !== 'DEFAULT' && capture !== 'NONE') r.error(field(listener, 'captureMode'), 'captureMode must be DEFAULT or NONE for unix domain socket listeners.');
}

function checkEgressHosts(r: Reporter, listener: Node, namespace: string): void {
  const hosts = listOf(listener, 'hosts');
  if (hosts.length === 0) return r.error(keyOf(listener, 'hosts') ?? listener, 'An egress listener needs at least one host.');
  const byNamespace = new Map<string, Set<string>>();
  for (const node of hosts) {
    const host = str(node) ?? '';
    const slash = host.indexOf('/');
    if (slash !== -1 && !host.startsWith('~')) {
      const ns = host.slice(0, slash) === '.' ? namespace : host.slice(0, slash);
      const name = host.slice(slash + 1);
      const seen = byNamespace.get(ns) ?? new Set<string>();
      if (name !== '*' ? seen.has(name) || seen.has('*') : seen.size > 0) r.warning(node, `Duplicate egress host '${host}'.`);
      seen.add(name);
      byNamespace.set(ns, seen);
    }
    const problem = namespaceSlashHostProblem(host, false);
    if (problem) r.error(node, problem);
  }
  if (byNamespace.get('*')?.has('*') && byNamespace.size !== 1) r.warning(keyOf(listener, 'hosts'), "'*/*' selects every host: no other hosts can be added.");
}

function checkOutboundPolicy(r: Reporter, policy: Y): void {
  if (!policy) return;
  const mode = str(policy, 'mode') ?? 'REGISTRY_ONLY';
  // ALLOW_ANY_DYNAMIC_DNS is not in the CRD's enum for a Sidecar.
  if (mode === 'ALLOW_ANY_DYNAMIC_DNS') return;
  const proxy = field(policy, 'egressProxy');
  if (!proxy) return;
  if (mode !== 'ALLOW_ANY') return r.error(keyOf(policy, 'egressProxy'), 'egressProxy needs outboundTrafficPolicy mode ALLOW_ANY.');
  const problem = fqdnProblem(str(proxy, 'host') ?? '');
  if (problem) r.error(field(proxy, 'host') ?? keyOf(policy, 'egressProxy'), problem);
  if (!field(proxy, 'port')) return r.error(keyOf(policy, 'egressProxy'), 'egressProxy needs a port.');
  // validateDestination checks the host again, less strictly: report it once.
  if (!problem) checkDestinationHost(r, proxy);
}
