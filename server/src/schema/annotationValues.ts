// The annotation values Istio validates (pkg/kube/inject/validate.go's AnnotationValidation, which
// istioctl's annotations analyzer runs), and the values completion offers. Each validator returns
// what is wrong with a value, or undefined when Istio accepts it.
import { parse } from 'yaml';

type Validator = (value: string) => string | undefined;

interface ValueRule {
  validate: Validator;
  /** The values to offer, when they are a closed set. */
  values?: string[];
  /** The first Istio minor version that validates it (validate.go gained it then). */
  since?: number;
}

const UINT32_MAX = 4294967295;
const DIGITS = /^[0-9]+$/;

/** Go's strconv.ParseUint(value, 10, bits): digits only, no sign or spaces. */
function parseUint(value: string, max: number): number | undefined {
  if (!DIGITS.test(value)) return undefined;
  const n = Number(value);
  return n <= max ? n : undefined;
}

const uint32: Validator = (v) => (parseUint(v, UINT32_MAX) === undefined ? `'${v}' is not a non-negative integer (at most ${UINT32_MAX})` : undefined);

/** Go's strconv.ParseBool. */
const GO_BOOLS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
const bool: Validator = (v) => (GO_BOOLS.includes(v) ? undefined : `'${v}' is not a boolean (true or false)`);

const port = (v: string): string | undefined => (parseUint(v.trim(), 65535) === undefined ? `'${v}' is not a port (0-65535)` : undefined);

/** parsePorts: the whole list trimmed, empty allowed, each comma-separated entry a port (spaces around it allowed). */
function portList(allowStar: boolean): Validator {
  return (v) => {
    if (allowStar && v === '*') return undefined;
    const trimmed = v.trim();
    if (trimmed === '') return undefined;
    for (const entry of trimmed.split(',')) {
      const problem = port(entry);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** validateCIDRList: comma-separated, no spaces (netip.ParsePrefix takes the entry as written); empty allowed. */
function cidrList(allowStar: boolean): Validator {
  return (v) => {
    if ((allowStar && v === '*') || v === '') return undefined;
    const bad = v.split(',').find((cidr) => !isPrefix(cidr));
    if (bad === undefined) return undefined;
    const spaces = bad.trim() !== bad ? '; write the list without spaces' : '';
    return `'${bad}' is not a CIDR (address/bits, e.g. 10.0.0.0/8)${spaces}`;
  };
}

const IPV4_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = new RegExp(`^${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}$`);
const BITS = /^(?:0|[1-9][0-9]{0,2})$/;

/** netip.ParsePrefix: an IPv4 or IPv6 address (no zone), '/', the prefix length without leading zeros. */
function isPrefix(text: string): boolean {
  const slash = text.lastIndexOf('/');
  if (slash === -1) return false;
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!BITS.test(bits)) return false;
  if (IPV4.test(address)) return Number(bits) <= 32;
  return isIpv6(address) && Number(bits) <= 128;
}

function isIpv6(address: string): boolean {
  if (address.includes('%')) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  const all = groups.flat();
  const last = all[all.length - 1];
  const embedsIpv4 = last !== undefined && IPV4.test(last);
  const hexGroups = embedsIpv4 ? all.slice(0, -1) : all;
  if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hexGroups.length + (embedsIpv4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/** netutil.ValidateInterfaceNames: comma-separated Linux interface names, empty allowed. */
const INTERFACE = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;
const interfaces: Validator = (v) => {
  if (v === '') return undefined;
  for (const raw of v.split(',')) {
    const name = raw.trim();
    if (name === '') return 'empty interface name';
    if (name.length > 15) return `interface name '${name}' is too long (at most 15 characters)`;
    if (!INTERFACE.test(name)) return `interface name '${name}' contains invalid characters`;
  }
  return undefined;
};

/** Kubernetes' resource.ParseQuantity: a number with an optional binary (Ki..Ei), decimal (n..E) or exponent suffix. */
const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;
const quantity: Validator = (v) => {
  if (/\p{Cc}/u.test(v)) return 'the value contains control characters';
  return QUANTITY.test(v) ? undefined : `'${v}' is not a resource quantity (e.g. 100m, 128Mi, 1)`;
};

const INTERCEPTION_MODES = ['REDIRECT', 'TPROXY', 'NONE'];
const interceptionMode: Validator = (v) => (INTERCEPTION_MODES.includes(v) ? undefined : `'${v}' is not an interception mode; use REDIRECT, TPROXY or NONE`);

/**
 * validateProxyConfig, in part: the value must be YAML for a ProxyConfig, i.e. a map (or empty).
 * Istio also runs ValidateMeshConfigProxyConfig on the fields; we do not.
 */
const proxyConfig: Validator = (v) => {
  let parsed: unknown;
  try {
    parsed = parse(v, { uniqueKeys: false });
  } catch (e) {
    return `the value is not YAML: ${(e as Error).message.split('\n')[0]}`;
  }
  return parsed === null || parsed === undefined || (typeof parsed === 'object' && !Array.isArray(parsed)) ? undefined : 'the value is not a ProxyConfig (a YAML map of its fields)';
};

const RULES: Record<string, ValueRule> = {
  'sidecar.istio.io/interceptionMode': { validate: interceptionMode, values: INTERCEPTION_MODES },
  'status.sidecar.istio.io/port': { validate: port },
  'readiness.status.sidecar.istio.io/initialDelaySeconds': { validate: uint32 },
  'readiness.status.sidecar.istio.io/periodSeconds': { validate: uint32 },
  'readiness.status.sidecar.istio.io/failureThreshold': { validate: uint32 },
  'traffic.sidecar.istio.io/includeOutboundIPRanges': { validate: cidrList(true) },
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': { validate: cidrList(false) },
  'traffic.sidecar.istio.io/includeInboundPorts': { validate: portList(true) },
  'traffic.sidecar.istio.io/excludeInboundPorts': { validate: portList(false) },
  'traffic.sidecar.istio.io/excludeOutboundPorts': { validate: portList(false) },
  'traffic.sidecar.istio.io/excludeInterfaces': { validate: interfaces, since: 30 },
  'traffic.sidecar.istio.io/kubevirtInterfaces': { validate: interfaces, since: 30 },
  'istio.io/reroute-virtual-interfaces': { validate: interfaces, since: 30 },
  'prometheus.istio.io/merge-metrics': { validate: bool, values: ['true', 'false'] },
  'proxy.istio.io/config': { validate: proxyConfig },
  'sidecar.istio.io/proxyCPU': { validate: quantity },
  'sidecar.istio.io/proxyMemory': { validate: quantity },
  'sidecar.istio.io/proxyCPULimit': { validate: quantity },
  'sidecar.istio.io/proxyMemoryLimit': { validate: quantity },
};

/** Boolean annotations and labels Istio reads with `== "true"` or ParseBool, not validated but offered. */
const BOOLEAN_KEYS = new Set(['sidecar.istio.io/inject', 'sidecar.istio.io/rewriteAppHTTPProbers', 'sidecar.istio.io/nativeSidecar', 'ambient.istio.io/dns-capture', 'istio.io/dry-run']);

function minorOf(istioVersion: string): number {
  const minor = /^1\.(\d+)/.exec(istioVersion)?.[1];
  return minor === undefined ? Number.POSITIVE_INFINITY : Number(minor);
}

/** What Istio (of this version) finds wrong with an annotation's value; undefined when it does not validate it or accepts it. */
export function annotationValueProblem(name: string, value: string, istioVersion: string): string | undefined {
  const rule = RULES[name];
  if (!rule || (rule.since !== undefined && minorOf(istioVersion) < rule.since)) return undefined;
  return rule.validate(value);
}

/** The values to offer for an annotation or label: Istio's validated set, a boolean, or the registry's list. */
export function offeredValues(name: string, registryValues: string[] | undefined): string[] | undefined {
  return RULES[name]?.values ?? (BOOLEAN_KEYS.has(name) ? ['true', 'false'] : registryValues);
}
