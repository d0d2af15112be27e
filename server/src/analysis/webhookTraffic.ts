// The webhook's rules for traffic policies (DestinationRule, Sidecar connection pools) and for
// TLS settings (a DestinationRule's client TLS, a Gateway's or Sidecar's server TLS), as
// validateTrafficPolicy, validateConnectionPool, validateLoadBalancer, validateOutlierDetection,
// agent.ValidateTLS and validateTLSOptions in pkg/config/validation.
import type { Node } from 'yaml';
import { bool, entries, field, fqdnProblem, isIpAddress, isSet, keyOf, listOf, num, numOr0, portProblem, reportDurationPrecision, str, type Reporter, type Y } from './webhookKit';

const POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];
const PORT_POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'];

/** validateTrafficPolicy, at `owner.trafficPolicy`. */
export function checkTrafficPolicy(r: Reporter, owner: Y, namespace: string): void {
  const policy = field(owner, 'trafficPolicy');
  if (!policy) return;
  if (!POLICY_FIELDS.some((f) => isSet(policy, f))) return r.error(keyOf(owner, 'trafficPolicy'), 'A traffic policy must set at least one field.');
  if (isSet(policy, 'tunnel') && isSet(policy, 'proxyProtocol')) return r.error(keyOf(policy, 'proxyProtocol'), 'tunnel and proxyProtocol must not be set together.');
  checkPolicyParts(r, policy, namespace);
  const version = num(field(policy, 'proxyProtocol'), 'version');
  if (version !== undefined && version !== 0 && version !== 1) r.error(field(field(policy, 'proxyProtocol'), 'version'), `Proxy protocol version ${version} is invalid.`);
  checkTunnel(r, field(policy, 'tunnel'));
  for (const port of listOf(policy, 'portLevelSettings')) {
    if (!isSet(port, 'port')) r.error(port, 'A port-level traffic policy needs a port.');
    if (!PORT_POLICY_FIELDS.some((f) => isSet(port, f))) r.error(port, 'A port-level traffic policy must set at least one of outlierDetection, connectionPool, loadBalancer, tls.');
    else checkPolicyParts(r, port, namespace);
  }
}

function checkPolicyParts(r: Reporter, policy: Node, namespace: string): void {
  checkOutlierDetection(r, field(policy, 'outlierDetection'));
  checkConnectionPool(r, policy, 'connectionPool');
  checkLoadBalancer(r, field(policy, 'loadBalancer'), field(policy, 'outlierDetection'));
  checkClientTls(r, field(policy, 'tls'), namespace);
}

function checkTunnel(r: Reporter, tunnel: Y): void {
  if (!tunnel) return;
  const protocol = str(tunnel, 'protocol');
  if (protocol && protocol !== 'CONNECT' && protocol !== 'POST') r.error(field(tunnel, 'protocol'), 'The tunnel protocol must be "CONNECT" or "POST".');
  const target = str(tunnel, 'targetHost') ?? '';
  if (fqdnProblem(target) && !isIpAddress(target))
    r.error(field(tunnel, 'targetHost') ?? keyOf(field(tunnel, 'targetHost'), 'targetHost') ?? tunnel, `The tunnel target host '${target}' must be an FQDN or an IP address.`);
  const port = numOr0(tunnel, 'targetPort');
  const problem = portProblem(port);
  if (problem) r.error(field(tunnel, 'targetPort') ?? tunnel, `The tunnel target port is invalid: ${problem}`);
}

function checkOutlierDetection(r: Reporter, outlier: Y): void {
  if (!outlier) return;
  reportDurationPrecision(r, field(outlier, 'baseEjectionTime'));
  reportDurationPrecision(r, field(outlier, 'interval'));
  // consecutiveErrors' deprecation warning is IST0002, from the CRD.
  if (!bool(outlier, 'splitExternalLocalOriginErrors') && numOr0(outlier, 'consecutiveLocalOriginFailures') > 0) {
    r.error(keyOf(outlier, 'consecutiveLocalOriginFailures'), 'consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors: true.');
  }
  for (const key of ['maxEjectionPercent', 'minHealthPercent']) {
    const value = num(outlier, key);
    if (value !== undefined && (value < 0 || value > 100)) r.error(field(outlier, key), `${key} ${value} is not in the range 0..100.`);
  }
}

const NON_NEGATIVE_HTTP = ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams'];

/** validateConnectionPool, at `owner[key]`. */
export function checkConnectionPool(r: Reporter, owner: Y, key: string): void {
  const pool = field(owner, key);
  if (!pool) return;
  const http = field(pool, 'http');
  const tcp = field(pool, 'tcp');
  if (!http && !tcp) return r.error(keyOf(owner, key), 'A connection pool must set http or tcp.');
  for (const k of NON_NEGATIVE_HTTP) if (numOr0(http, k) < 0) r.error(field(http, k), `${k} must not be negative.`);
  reportDurationPrecision(r, field(http, 'idleTimeout'));
  if (str(http, 'h2UpgradePolicy') === 'UPGRADE' && bool(http, 'useClientProtocol')) r.error(keyOf(http, 'useClientProtocol'), 'useClientProtocol must not be true when h2UpgradePolicy is UPGRADE.');
  const keepalive = field(http, 'http2KeepAlive');
  if (keepalive) {
    for (const k of ['interval', 'timeout']) {
      if (!field(keepalive, k)) r.error(keyOf(http, 'http2KeepAlive'), `http2KeepAlive needs ${k}.`);
      else reportDurationPrecision(r, field(keepalive, k));
    }
  }
  if (numOr0(tcp, 'maxConnections') < 0) r.error(field(tcp, 'maxConnections'), 'maxConnections must not be negative.');
  for (const k of ['connectTimeout', 'maxConnectionDuration', 'idleTimeout']) reportDurationPrecision(r, field(tcp, k));
  for (const k of ['time', 'interval']) reportDurationPrecision(r, field(field(tcp, 'tcpKeepalive'), k));
}

function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  for (let f = 3; f * f <= x; f += 2) if (x % f === 0) return false;
  return true;
}

function checkLoadBalancer(r: Reporter, lb: Y, outlier: Y): void {
  if (!lb) return;
  checkConsistentHash(r, field(lb, 'consistentHash'));
  if (isSet(lb, 'localityLbSetting') && isSet(lb, 'zoneAwareLbSetting')) r.error(keyOf(lb, 'zoneAwareLbSetting'), 'Set only one of localityLbSetting and zoneAwareLbSetting.');
  checkLocality(r, field(lb, 'localityLbSetting'), outlier);
  checkFailover(r, field(lb, 'zoneAwareLbSetting'), outlier, 'zone aware lb');
  const warmup = field(lb, 'warmup');
  if (warmup) {
    if (!field(warmup, 'duration')) r.error(keyOf(lb, 'warmup'), 'warmup needs a duration.');
    else reportDurationPrecision(r, field(warmup, 'duration'));
    if (numOr0(warmup, 'minimumPercent') > 100) r.error(field(warmup, 'minimumPercent'), 'minimumPercent must be at most 100.');
    const aggression = num(warmup, 'aggression');
    // Istio 1.29 and 1.30 want at least 1; 1.31 relaxed it to more than 0.
    const atLeastOne = r.istioVersion === '1.29' || r.istioVersion === '1.30';
    if (aggression !== undefined && (atLeastOne ? aggression < 1 : aggression <= 0))
      r.error(field(warmup, 'aggression'), atLeastOne ? `aggression must be at least 1 in Istio ${r.istioVersion}.` : 'aggression must be greater than 0.');
  }
}

function checkConsistentHash(r: Reporter, hash: Y): void {
  if (!hash) return;
  const cookie = field(hash, 'httpCookie');
  if (cookie && !str(cookie, 'name')) r.error(keyOf(hash, 'httpCookie'), 'httpCookie needs a name.');
  const names = new Set<string>();
  for (const attribute of listOf(cookie, 'attributes')) {
    const name = str(attribute, 'name') ?? '';
    if (name === '') r.error(attribute, 'A cookie attribute name cannot be empty.');
    else if (names.has(name)) r.error(field(attribute, 'name'), `Duplicate cookie attribute name '${name}'.`);
    names.add(name);
  }
  // minimumRingSize's deprecation warning is IST0002, from the CRD.
  if (numOr0(hash, 'minimumRingSize') !== 0 && (isSet(hash, 'ringHash') || isSet(hash, 'maglev'))) r.error(keyOf(hash, 'minimumRingSize'), 'Set only one of minimumRingSize and maglev/ringHash.');
  const maglev = field(hash, 'maglev');
  if (maglev) {
    const size = numOr0(maglev, 'tableSize');
    const at = field(maglev, 'tableSize') ?? keyOf(hash, 'maglev');
    if (size === 0) r.error(at, 'maglev needs a tableSize.');
    if (size >= 5000011) r.error(at, 'maglev tableSize must be less than 5000011.');
    if (!isPrime(size)) r.error(at, `maglev tableSize ${size} must be a prime number.`);
  }
}

const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

function checkLocality(r: Reporter, lb: Y, outlier: Y): void {
  if (!lb) return;
  if (isSet(lb, 'distribute') && isSet(lb, 'failover')) return r.error(keyOf(lb, 'failover'), "Set only one of 'distribute' and 'failover'.");
  if (isSet(lb, 'failover')) {
    const label = listOf(lb, 'failoverPriority').find((n) => TOPOLOGY_LABELS.includes(str(n) ?? ''));
    if (label) return r.error(label, `'failover' cannot be set together with the topology label '${str(label)}' in failoverPriority.`);
  }
  for (const rule of listOf(lb, 'distribute')) {
    const weights = entries(field(rule, 'to'));
    const bad = weights.find(([, , v]) => (num(v) ?? 0) <= 0 || (num(v) ?? 0) > 100);
    if (bad) return r.error(bad[2] ?? bad[1], 'A locality weight must be in the range 1..100.');
    const total = weights.reduce((sum, [, , v]) => sum + (num(v) ?? 0), 0);
    if (total !== 100) return r.error(keyOf(rule, 'to') ?? rule, `The locality weights add up to ${total}, not 100.`);
  }
  checkFailover(r, lb, outlier, 'locality lb');
}

function checkFailover(r: Reporter, lb: Y, outlier: Y, what: string): void {
  if (!lb) return;
  if (what === 'zone aware lb') {
    for (const n of listOf(lb, 'failoverPriority')) {
      if (TOPOLOGY_LABELS.includes(str(n) ?? '')) r.error(n, `failoverPriority for zone aware load balancing must not use the topology label '${str(n)}': region and zone routing are automatic.`);
    }
  }
  if ((isSet(lb, 'failover') || isSet(lb, 'failoverPriority')) && !outlier)
    r.warning(keyOf(lb, isSet(lb, 'failover') ? 'failover' : 'failoverPriority'), 'Failover needs an outlier detection policy to take effect.');
  for (const failover of listOf(lb, 'failover')) {
    const from = str(failover, 'from') ?? '';
    const to = str(failover, 'to') ?? '';
    if (from === to) r.error(failover, `${what} failover must go to a different region.`);
    if (from.includes('/') || to.includes('/')) r.error(failover, `${what} failover only names regions.`);
    if (from.includes('*') || to.includes('*')) r.error(failover, `${what} failover regions cannot contain the '*' wildcard.`);
  }
}

/** agent.ValidateTLS (a DestinationRule's client TLS settings). */
function checkClientTls(r: Reporter, tls: Y, namespace: string): void {
  if (!tls) return;
  const mode = str(tls, 'mode');
  const credentialName = str(tls, 'credentialName') ?? '';
  if (credentialName.startsWith('configmap://')) {
    const [, ns] = /^configmap:\/\/(?:([^/]+)\/)?[^/]+$/.exec(credentialName) ?? [];
    if (ns !== undefined && ns !== namespace) r.error(field(tls, 'credentialName'), `A configmap:// credentialName must be in the DestinationRule's namespace ${namespace}.`);
  }
  if (bool(tls, 'insecureSkipVerify')) {
    if (mode === 'SIMPLE' && (isSet(tls, 'caCertificates') || credentialName !== '' || field(tls, 'subjectAltNames'))) {
      r.error(keyOf(tls, 'insecureSkipVerify'), 'With insecureSkipVerify: true, do not set caCertificates, credentialName or subjectAltNames.');
    }
    if (mode === 'MUTUAL' && (isSet(tls, 'caCertificates') || field(tls, 'subjectAltNames'))) {
      r.error(keyOf(tls, 'insecureSkipVerify'), 'With insecureSkipVerify: true, do not set caCertificates or subjectAltNames.');
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credentialName !== '') {
    const extra = ['clientCertificate', 'caCertificates', 'privateKey', 'caCrl'].find((k) => str(tls, k));
    if (extra) r.error(keyOf(tls, extra), 'With credentialName set, do not set clientCertificate, privateKey, caCertificates or caCrl.');
    return;
  }
  if (mode === 'MUTUAL') {
    if (!str(tls, 'clientCertificate')) r.error(field(tls, 'mode'), 'Mutual TLS needs a clientCertificate (or a credentialName).');
    if (!str(tls, 'privateKey')) r.error(field(tls, 'mode'), 'Mutual TLS needs a privateKey (or a credentialName).');
  }
}
