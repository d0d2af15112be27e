// The pieces Istio's validating webhook (pkg/config/validation) builds its rules from, for the
// webhook checks: reading the YAML the way the webhook reads the proto (null and empty lists
// are unset), host names, IPs, labels, protocols, durations, exportTo and workload selectors.
import { isAlias, isMap, isNode, isScalar, isSeq, visit, type Document, type Node, type Scalar } from 'yaml';
import { durationMs } from '../schema/nativeRules';
import { resourceAnchor, type CheckContext } from './context';
import type { Span } from '../workspace/extract';

export type Y = Node | null | undefined;

// What each alias of an indexed document stands for, found in one pass in document order (an
// anchor may be redefined; an alias means the latest one before it). A memo keyed by the nodes.
const aliasTargets = new WeakMap<Node, Node>();
const indexedDocuments = new WeakSet<Document>();

function indexAliases(doc: Document): void {
  if (indexedDocuments.has(doc)) return;
  indexedDocuments.add(doc);
  const anchors = new Map<string, Node>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) aliasTargets.set(node, target);
    } else if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
  });
}

/** The node an alias stands for (the node itself otherwise). */
const deref = (node: unknown): Node | undefined => (isAlias(node) ? aliasTargets.get(node) : isNode(node) ? node : undefined);

/** The resource's spec, with the document's aliases indexed so that the readers below follow them. */
export function specOf(ctx: CheckContext): Node | undefined {
  // Without an anchor (`&`) in the text no alias resolves: most documents need no pass.
  if (ctx.entry.resource.text.includes('&')) indexAliases(ctx.entry.resource.doc);
  return field(ctx.entry.resource.doc.contents, 'spec');
}

/** `<<` (the parser gives a merge key a symbol value). */
const isMergeKey = (key: unknown): boolean => isScalar(key) && (key.value === '<<' || typeof key.value === 'symbol');

/** The maps merged into a map by `<<: *anchor` or `<<: [*a, *b]`, first wins. */
function mergedMaps(node: Node): Node[] {
  if (!isMap(node)) return [];
  const merge = node.items.find((p) => isMergeKey(p.key));
  const value = deref(merge?.value);
  return isSeq(value) ? value.items.map(deref).filter((n): n is Node => isMap(n)) : isMap(value) ? [value] : [];
}

/** The value under `key`, if the map has a non-null one (following aliases and merge keys). */
export function field(node: Y, key: string): Node | undefined {
  const map = deref(node);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  const value = pair
    ? deref(pair.value)
    : mergedMaps(map)
        .map((m) => field(m, key))
        .find((v) => v !== undefined);
  if (value === undefined || (isScalar(value) && value.value === null)) return undefined;
  return value;
}

/** The key scalar of `key` in the map (where a rule about the field is reported). */
export function keyOf(node: Y, key: string): Node | undefined {
  const map = deref(node);
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && p.key.value === key)?.key as Node | undefined;
}

/** Set as protobuf sees it: present and not null; a list also not empty. */
export function isSet(node: Y, key: string): boolean {
  const value = field(node, key);
  return value !== undefined && (!isSeq(value) || value.items.length > 0);
}

export function items(node: Y): Node[] {
  const seq = deref(node);
  return isSeq(seq) ? seq.items.map(deref).filter((n): n is Node => n !== undefined && !(isScalar(n) && n.value === null)) : [];
}
export const listOf = (node: Y, key: string): Node[] => items(field(node, key));

/** The entries of a map: [key text, key node, value node]. */
export function entries(node: Y): [string, Node, Node | undefined][] {
  const map = deref(node);
  if (!isMap(map)) return [];
  const own: [string, Node, Node | undefined][] = map.items.filter((p) => isScalar(p.key) && !isMergeKey(p.key)).map((p) => [String((p.key as Scalar).value), p.key as Node, deref(p.value)]);
  const merged = mergedMaps(map).flatMap(entries);
  return [...own, ...merged.filter(([k], i) => !own.some(([o]) => o === k) && merged.findIndex(([m]) => m === k) === i)];
}

export function str(node: Y, key?: string): string | undefined {
  const n = key === undefined ? deref(node) : field(node, key);
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

/**
 * A number, also written quoted (`number: "80"`), as protojson reads a quoted integer: the schema
 * check reports the quotes (with its fix), and the rules here see the number meant, not a 0.
 */
export function num(node: Y, key?: string): number | undefined {
  const n = key === undefined ? deref(node) : field(node, key);
  if (!isScalar(n)) return undefined;
  if (typeof n.value === 'number') return n.value;
  return typeof n.value === 'string' && n.type !== 'PLAIN' && QUOTED_NUMBER.test(n.value) ? Number(n.value) : undefined;
}

const QUOTED_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

export const bool = (node: Y, key: string): boolean => {
  const n = field(node, key);
  return isScalar(n) && n.value === true;
};

/** A wrapper type (UInt32Value, BoolValue...) is written as its bare value. */
export const numOr0 = (node: Y, key: string): number => num(node, key) ?? 0;

export function spanOf(node: Node): Span {
  return node.range ? { start: node.range[0], end: node.range[1] } : { start: 0, end: 1 };
}

/** Reports webhook errors (IST0106) and webhook warnings (IST0133, as istioctl's SchemaWarning). */
export interface Reporter {
  /** `at` is the node the rule is about (the resource's kind when there is none), or a span. */
  error(at: Y | Span, message: string): void;
  warning(at: Y | Span, message: string): void;
  /** The selected Istio version (`1.29`...), for the few rules that changed between versions; undefined when not known. */
  istioVersion?: string;
}

export function reporter(ctx: CheckContext): Reporter {
  const span = (at: Y | Span): Span => (!at ? resourceAnchor(ctx.entry.resource) : isNode(at) ? spanOf(at) : at);
  return {
    error: (at, message) => ctx.report('schema', span(at), message),
    warning: (at, message) => ctx.report('schemaWarning', span(at), message),
    istioVersion: ctx.metadata?.istioVersion,
  };
}

export const UNIX_PREFIX = 'unix://';

const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(?:\*|(?:\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;

export const isDns1123Label = (s: string): boolean => s.length <= 63 && DNS1123_LABEL.test(s);

function dns1123LabelsProblem(domain: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (/^[-+]?\d+$/.test(tld)) return `domain name '${domain}' is invalid: the top-level domain '${tld}' cannot be all-numeric.`;
  for (let i = 0; i < parts.length; i++) {
    // A trailing dot (`istio.io.`) is allowed.
    if (i === parts.length - 1 && parts[i] === '') return undefined;
    if (!isDns1123Label(parts[i])) return `domain name '${domain}' is invalid: '${parts[i]}' is not a DNS label.`;
  }
  return undefined;
}

function preconditionProblem(name: string): string | undefined {
  if (name.length > 255) return `domain name '${name.slice(0, 40)}...' is too long (max 255).`;
  if (name.length === 0) return 'An empty domain name is not allowed.';
  return undefined;
}

/** agent.ValidateFQDN. */
export function fqdnProblem(fqdn: string): string | undefined {
  return preconditionProblem(fqdn) ?? dns1123LabelsProblem(fqdn);
}

/** agent.ValidateWildcardDomain: a wildcard only in the first label. */
export function wildcardDomainProblem(domain: string): string | undefined {
  const pre = preconditionProblem(domain);
  if (pre) return pre;
  const dot = domain.indexOf('.');
  const first = dot === -1 ? domain : domain.slice(0, dot);
  if (!(first.length <= 63 && WILDCARD_LABEL.test(first))) {
    return first.includes('*', 1) || domain.indexOf('*', 1) !== -1
      ? `'${domain}': a wildcard '*' may only be the first character of a host.`
      : `domain name '${domain}' is invalid: '${first}' is not a DNS label.`;
  }
  return dot === -1 ? undefined : dns1123LabelsProblem(domain.slice(dot + 1));
}

/** agent.ValidatePartialWildCard (a warning for ServiceEntry hosts, an error elsewhere). */
export function partialWildcardProblem(host: string): string | undefined {
  return host.includes('*') && host.length !== 1 && !host.startsWith('*.') ? `'${host}' is a partial wildcard: only '*' alone or a leading '*.' is a wildcard.` : undefined;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(text: string): boolean {
  const addr = text.replace(/%[^%]+$/, '');
  if (!/^[0-9a-fA-F:.]+$/.test(addr) || !addr.includes(':')) return false;
  let groups = addr.split(':');
  const last = groups[groups.length - 1];
  let need = 8;
  if (last.includes('.')) {
    if (!IPV4.test(last)) return false;
    groups = groups.slice(0, -1);
    need = 6;
  }
  const double = addr.indexOf('::');
  if (double !== addr.lastIndexOf('::')) return false;
  const nonEmpty = groups.filter((g) => g !== '');
  if (!nonEmpty.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  if (double === -1) return nonEmpty.length === need && groups.length === need;
  return nonEmpty.length < need;
}

/** netip.ParseAddr: an IPv4 or IPv6 address (with an optional IPv6 zone). */
export const isIpAddress = (text: string): boolean => IPV4.test(text) || isIpv6(text);

/** agent.ValidateIPSubnet: an address or a CIDR block. */
export function ipSubnetProblem(subnet: string): string | undefined {
  if ((subnet.match(/\//g) ?? []).length === 1) {
    const [ip, bits] = subnet.split('/');
    const max = IPV4.test(ip) ? 32 : isIpv6(ip) && !ip.includes('%') ? 128 : -1;
    const ok = max > 0 && /^\d{1,3}$/.test(bits) && !(bits.length > 1 && bits.startsWith('0')) && Number(bits) <= max;
    return ok ? undefined : `'${subnet}' is not a valid CIDR block.`;
  }
  return isIpAddress(subnet) ? undefined : `'${subnet}' is not a valid IP address.`;
}

/** ValidateUnixAddress (after `unix://`). */
export function unixAddressProblem(addr: string): string | undefined {
  if (addr === '') return 'A unix address must not be empty.';
  if (addr.startsWith('@')) return undefined;
  return !addr.startsWith('/') || addr.endsWith('/') ? `'${addr}' is not an absolute path to a file.` : undefined;
}

export const portProblem = (port: number): string | undefined => (Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : `Port ${port} is out of range: use 1-65535.`);

const QUALIFIED_NAME = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY = new RegExp(`^([a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*/)?(${QUALIFIED_NAME})$`);
const LABEL_VALUE = new RegExp(`^(${QUALIFIED_NAME})?$`);

/** labels.Instance.Validate for each entry of a label map: [node to report, message]. */
export function labelProblems(labels: Y): [Node, string][] {
  const out: [Node, string][] = [];
  for (const [key, keyNode, value] of entries(labels)) {
    const m = LABEL_KEY.exec(key);
    if (!m || (m[1] && m[1].length - 1 > 253) || m[2].length > 63) out.push([keyNode, `'${key}' is not a valid label key.`]);
    const text = isScalar(value) && value.value !== null ? String(value.value) : '';
    if (!LABEL_VALUE.test(text) || text.length > 63) out.push([value ?? keyNode, `'${text}' is not a valid label value.`]);
  }
  return out;
}

export function reportLabels(r: Reporter, labels: Y): void {
  for (const [at, message] of labelProblems(labels)) r.error(at, message);
}

/** protocol.Parse: the protocols Istio knows, by upper-case name. */
const PROTOCOLS = new Set(['TCP', 'UDP', 'GRPC', 'GRPC-WEB', 'HTTP', 'HTTP_PROXY', 'HTTP2', 'HTTPS', 'TLS', 'MONGO', 'REDIS', 'MYSQL']);
export const protocolOf = (text: string | undefined): string | undefined => (text !== undefined && PROTOCOLS.has(text.toUpperCase()) ? text.toUpperCase() : undefined);
export const isHttpProtocol = (p: string | undefined) => p === 'HTTP' || p === 'HTTP2' || p === 'HTTP_PROXY' || p === 'GRPC' || p === 'GRPC-WEB';
export const isTlsProtocol = (p: string | undefined) => p === 'HTTPS' || p === 'TLS';
export const isTcpProtocol = (p: string | undefined) => p === 'TCP' || p === 'HTTPS' || p === 'TLS' || p === 'MONGO' || p === 'REDIS' || p === 'MYSQL';

/** ValidateProtocol: empty is fine, anything else must parse. */
export function reportProtocol(r: Reporter, node: Y): void {
  const text = str(node);
  if (text !== undefined && text !== '' && !protocolOf(text))
    r.error(node, `Unsupported protocol '${text}'. Use one of HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TLS, TCP, UDP, MONGO, MYSQL, REDIS, HTTP_PROXY.`);
}

/** agent.ValidateDuration's second half (the CRDs check >= 1ms): only millisecond precision. */
export function reportDurationPrecision(r: Reporter, node: Y): void {
  const text = str(node);
  const ms = text === undefined ? undefined : durationMs(text);
  if (ms !== undefined && ms >= 1 && Math.abs(ms - Math.round(ms)) > 1e-9) r.error(node, `'${text}': only durations to millisecond precision are supported.`);
}

/** host.Name.Matches: do two (possibly wildcard) hosts overlap? */
export function hostsOverlap(a: string, b: string): boolean {
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** validateExportTo: no duplicates (`.` is the own namespace), `*` and `~` alone, valid names. */
export function reportExportTo(r: Reporter, spec: Y, namespace: string, options: { serviceEntry?: boolean; selector?: boolean } = {}): void {
  const list = listOf(spec, 'exportTo');
  if (list.length === 0) return;
  const seen = new Set<string>();
  for (const node of list) {
    const e = str(node) ?? String(isScalar(node) ? node.value : '');
    const key = e === '.' ? namespace : e;
    if (seen.has(key)) r.error(node, key !== e ? `Duplicate entries in exportTo: '.' and the resource's namespace ${namespace}.` : `Duplicate entry '${e}' in exportTo.`);
    else if ((options.serviceEntry && e === '~') || e === '*' || isDns1123Label(key)) seen.add(key);
    else r.error(node, `'${e}' is not a valid exportTo value: use '.', '*'${options.serviceEntry ? ", '~'" : ''} or a namespace name.`);
  }
  const at = keyOf(spec, 'exportTo');
  if (options.selector && seen.size > 0) {
    if (!seen.has(namespace)) r.error(at, 'A DestinationRule with a workloadSelector cannot be exported beyond its own namespace.');
    else if (seen.size > 1) r.error(at, 'A DestinationRule with a workloadSelector cannot have several exportTo entries.');
  }
  if (seen.has('*') && list.length > 1) r.error(at, "exportTo cannot have both '*' (public) and other values.");
  if (seen.has('~') && list.length > 1) r.error(at, "exportTo cannot export to no one ('~') and to someone.");
}

/** ValidateAlphaWorkloadSelector (`labels`) and validateWorkloadSelector (`matchLabels`). */
export function reportWorkloadSelector(r: Reporter, spec: Y, key: string, labelsKey: 'labels' | 'matchLabels', what: string): void {
  const selector = field(spec, key);
  if (!selector) return;
  const labels = field(selector, labelsKey);
  // The CRDs reject a wildcard in a value (and, for matchLabels, in a key or an empty key).
  for (const [k, keyNode] of labelsKey === 'labels' ? entries(labels) : []) {
    if (k === '') r.error(keyNode, 'An empty key is not supported in a selector.');
    if (k.includes('*')) r.error(keyNode, `Wildcards are not supported in a selector ('${k}').`);
  }
  if (entries(labels).length === 0) r.warning(keyOf(spec, key), `${what}: the workload selector has no labels, so it applies to every workload in the namespace.`);
}
