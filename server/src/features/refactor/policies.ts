// Refactorings of DestinationRules and of a namespace's or workload's security: circuit
// breaker, a subset per workload version, strict mTLS, JWT, and apiVersion upgrades.
import { isMap, isScalar, type Node } from 'yaml';
import { serviceNamespaceOf, servicesOf } from '../../workspace/resolve';
import type { IndexedResource } from '../../workspace/index';
import { declaredProtocol } from '../../workspace/extract';
import { replaceScalar, type Edit } from '../../edit/textEdits';
import { addSubsetsEdit, labelsFor } from '../../edit/subsets';
import { portList } from '../../../../shared/answers';
import { NO_LONGER_APPLIES, type RefactoringProvider, type Target } from './target';
import { addToMap, appendDocuments, isBlockMap, setKey, writerFor, type DocumentPlace, type YamlValue } from '../../edit/yamlEdit';

const CONNECTION_POOL = { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: 10 } };
const OUTLIER_DETECTION = { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 };

const circuitBreaker: RefactoringProvider = {
  id: 'circuit-breaker',
  offer(t) {
    if (!t.entry.info.destinationRule || !isBlockMap(t.spec)) return undefined;
    const policy = t.spec.get('trafficPolicy', true);
    if (policy === undefined) return { title: 'Add circuit breaker (connectionPool + outlierDetection)' };
    if (!isBlockMap(policy) || (policy.has('connectionPool') && policy.has('outlierDetection'))) return undefined;
    return { title: `Add circuit breaker (${policy.has('connectionPool') ? 'outlierDetection' : policy.has('outlierDetection') ? 'connectionPool' : 'connectionPool + outlierDetection'})` };
  },
  apply(t) {
    if (!t.spec) return NO_LONGER_APPLIES;
    const policy = t.spec.get('trafficPolicy', true);
    const missing: { [k: string]: YamlValue } = {};
    if (!isMap(policy) || !policy.has('connectionPool')) missing.connectionPool = CONNECTION_POOL;
    if (!isMap(policy) || !policy.has('outlierDetection')) missing.outlierDetection = OUTLIER_DETECTION;
    const edit = isMap(policy) ? addToMap(t.place, policy, missing) : addToMap(t.place, t.spec, { trafficPolicy: missing }, 'host');
    return edit ? [edit] : 'The DestinationRule is written in flow style';
  },
};

/** Versions of the host's workloads that have no subset yet, with the label key they use. */
function missingVersions(t: Target): { key: string; versions: string[] } | undefined {
  const dr = t.entry.info.destinationRule;
  if (!dr?.host || !isBlockMap(t.spec)) return undefined;
  const service = servicesOf(t.ctx.workspace, dr.host.value, t.entry.namespace)[0];
  const selector = service?.info.service?.selector;
  if (!service || !selector || Object.keys(selector).length === 0) return undefined;
  const [[key]] = labelsFor(dr.subsets, 'x');
  const workloads = t.ctx.workspace.workloadsMatching(service.namespace, selector);
  const versions = [...new Set(workloads.flatMap((w) => (w.info.workloadLabels?.[key] ? [w.info.workloadLabels[key]] : [])))];
  const names = dr.subsets.map((s) => s.name?.value);
  const missing = versions.filter((v) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && !names.includes(v) && !dr.subsets.some((s) => s.labels?.[key] === v)).sort();
  return missing.length > 0 ? { key, versions: missing } : undefined;
}

const workloadSubsets: RefactoringProvider = {
  id: 'workload-subsets',
  offer(t) {
    const found = missingVersions(t);
    return found && { title: `Add a subset for each workload version (${found.versions.join(', ')})` };
  },
  apply(t) {
    const found = missingVersions(t);
    if (!found) return NO_LONGER_APPLIES;
    const edit = addSubsetsEdit(t.entry, t.text, found.versions);
    return edit ? [edit] : 'The subsets list is written in a form this refactoring cannot edit';
  },
};

function namespaceOf(t: Target): string {
  return t.entry.info.kind === 'Namespace' ? t.entry.name : t.entry.namespace;
}

function namespacePolicies(t: Target, namespace: string): IndexedResource[] {
  return t.ctx.workspace.ofKind('PeerAuthentication').filter((p) => p.namespace === namespace && !p.info.hasSelector);
}

/** DestinationRules for the namespace's hosts that turn mTLS off, which strict mTLS would break. */
function disablingRules(t: Target, namespace: string): Edit[] {
  return t.ctx.workspace.ofKind('DestinationRule').flatMap((rule) => {
    const dr = rule.info.destinationRule;
    const hostNamespace = dr.host ? serviceNamespaceOf(t.ctx.workspace, dr.host.value, rule.namespace) : undefined;
    if (rule.namespace !== namespace && hostNamespace !== namespace) return [];
    const text = t.ctx.text(rule.uri);
    if (text === undefined) return [];
    return dr.tls.flatMap((s) => (s.mode?.value === 'DISABLE' ? [replaceScalar(rule.uri, text, rule.resource.fileOffset(s.mode.start), rule.resource.fileOffset(s.mode.end), 'ISTIO_MUTUAL')] : []));
  });
}

function isIstioOrNamespace(t: Target): boolean {
  return t.entry.resource.isIstio || t.entry.info.kind === 'Namespace';
}

const strictNamespace: RefactoringProvider = {
  id: 'mtls-namespace',
  offer(t) {
    if (!isIstioOrNamespace(t)) return undefined;
    const namespace = namespaceOf(t);
    if (!NAMESPACE.test(namespace)) return undefined;
    if (namespacePolicies(t, namespace).some((p) => p.info.peerAuthentication?.mode === 'STRICT')) return undefined;
    return { title: `Enable strict mTLS for namespace ${namespace}` };
  },
  apply(t) {
    const namespace = namespaceOf(t);
    const existing = namespacePolicies(t, namespace)[0];
    const fixes = disablingRules(t, namespace);
    if (existing) {
      const edit = setPolicyMode(t, existing);
      return edit ? [edit, ...fixes] : `PeerAuthentication ${existing.name} is written in a form this refactoring cannot edit`;
    }
    return [...fixes, appendDocuments(t.uri, t.text, t.place.w, [peerAuthentication('default', namespace, undefined)])];
  },
};

/** `mode: STRICT` in the policy: the mode replaced, or `mode` / `mtls` written (also into an empty `mtls:`). */
function setPolicyMode(t: Target, policy: IndexedResource): Edit | undefined {
  const text = t.ctx.text(policy.uri);
  const spec = policy.resource.doc.get('spec', true);
  const mtls = isMap(spec) ? spec.get('mtls', true) : undefined;
  if (text === undefined) return undefined;
  const place: DocumentPlace = { uri: policy.uri, text, resource: policy.resource, w: writerFor(text, policy.resource.text) };
  if (isMap(mtls)) return setKey(place, mtls, 'mode', 'STRICT');
  return isMap(spec) ? setKey(place, spec, 'mtls', { mode: 'STRICT' }) : undefined;
}

function peerAuthentication(name: string, namespace: string, labels: Record<string, string> | undefined): { [k: string]: YamlValue } {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name, namespace },
    spec: { ...(labels ? { selector: { matchLabels: labels } } : {}), mtls: { mode: 'STRICT' } },
  };
}

/** The workload a resource is about: its own pod labels, or the selector of the Service its host names. */
function workloadOf(t: Target): { name: string; labels: Record<string, string>; namespace: string } | undefined {
  const info = t.entry.info;
  if (info.workloadLabels && Object.keys(info.workloadLabels).length > 0) return workload(info.workloadLabels.app ?? t.entry.name, info.workloadLabels, t.entry.namespace);
  const host = info.destinationRule?.host?.value ?? info.virtualService?.routes[0]?.destinations.find((d) => d.host)?.host?.value ?? info.virtualService?.hosts[0]?.value;
  const service = info.service ? t.entry : host ? servicesOf(t.ctx.workspace, host, t.entry.namespace)[0] : undefined;
  const selector = service?.info.service?.selector;
  if (!service || !selector || Object.keys(selector).length === 0) return undefined;
  return workload(selector.app ?? service.name, selector, service.namespace);
}

/** A namespace the new policies can be written into (a DNS label); resources elsewhere would be rejected. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** A workload to write a policy for; none when its labels are not ones a selector can hold (the resource would be rejected). */
function workload(name: string, labels: Record<string, string>, namespace: string): { name: string; labels: Record<string, string>; namespace: string } | undefined {
  const selector = labels.app ? { app: labels.app } : labels;
  if (!Object.entries(selector).every(([k, v]) => LABEL_KEY.test(k) && LABEL_VALUE.test(v))) return undefined;
  // The policies' names are made from it: a DNS label, with room for `require-` and `-strict`.
  const label =
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 48)
      .replace(/^-+|-+$/g, '') || 'workload';
  return { name: label, labels: selector, namespace };
}

function taken(t: Target, kind: string, namespace: string, name: string): boolean {
  return t.ctx.workspace.ofKind(kind).some((r) => r.namespace === namespace && r.name === name);
}

const strictWorkload: RefactoringProvider = {
  id: 'mtls-workload',
  offer(t) {
    const workload = workloadOf(t);
    if (!workload || !NAMESPACE.test(workload.namespace) || namespacePolicies(t, workload.namespace).some((p) => p.info.peerAuthentication?.mode === 'STRICT')) return undefined;
    if (taken(t, 'PeerAuthentication', workload.namespace, `${workload.name}-strict`)) return undefined;
    return { title: `Enable strict mTLS for workload ${workload.name}` };
  },
  apply(t) {
    const workload = workloadOf(t);
    if (!workload) return NO_LONGER_APPLIES;
    return [...disablingRules(t, workload.namespace), appendDocuments(t.uri, t.text, t.place.w, [peerAuthentication(`${workload.name}-strict`, workload.namespace, workload.labels)])];
  },
};

const requireJwt: RefactoringProvider = {
  id: 'require-jwt',
  offer(t) {
    if (!t.entry.resource.isIstio && !t.entry.info.workloadLabels && !t.entry.info.service && t.entry.info.kind !== 'Namespace') return undefined;
    const workload = workloadOf(t);
    const namespace = workload?.namespace ?? namespaceOf(t);
    const name = workload ? `${workload.name}-jwt` : 'jwt';
    if (!NAMESPACE.test(namespace)) return undefined;
    if (taken(t, 'RequestAuthentication', namespace, name) || taken(t, 'AuthorizationPolicy', namespace, `require-${name}`)) return undefined;
    const ports = httpPorts(t, workload?.labels, namespace);
    return {
      title: `${workload ? `Require JWT for workload ${workload.name}` : `Require JWT for namespace ${namespace}`}${ports.length === 0 ? ' (asks for its HTTP ports: no Service here says)' : ''}`,
      inputs: [
        { name: 'issuer', prompt: 'JWT issuer (iss claim)', default: 'https://issuer.example.com', kind: 'url' },
        { name: 'jwksUri', prompt: 'URL of the issuer’s JSON Web Key Set', default: 'https://issuer.example.com/.well-known/jwks.json', kind: 'url' },
        {
          name: 'ports',
          prompt: 'Workload ports that serve HTTP, comma-separated (the rule reads HTTP attributes, so it would deny all traffic to a TCP port)',
          default: ports.join(', '),
          kind: 'ports',
        },
      ],
    };
  },
  apply(t, values) {
    const workload = workloadOf(t);
    const namespace = workload?.namespace ?? namespaceOf(t);
    const name = workload ? `${workload.name}-jwt` : 'jwt';
    const selector: { [k: string]: YamlValue } = workload ? { selector: { matchLabels: workload.labels } } : {};
    return [
      appendDocuments(t.uri, t.text, t.place.w, [
        { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name, namespace }, spec: { ...selector, jwtRules: [{ issuer: values.issuer, jwksUri: values.jwksUri }] } },
        // DENY requests without a valid token; it composes with any ALLOW policies already there.
        {
          apiVersion: 'security.istio.io/v1',
          kind: 'AuthorizationPolicy',
          metadata: { name: `require-${name}`, namespace },
          spec: { ...selector, action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { ports: (portList(values.ports) ?? []).map(String) } }] }] },
        },
      ]),
    ];
  },
};

/** Declared protocols (declaredProtocol) that carry HTTP attributes. */
const HTTP_PROTOCOLS = new Set(['http', 'http2', 'grpc', 'grpc-web', 'kubernetes.io/h2c']);

/**
 * The workload ports (targetPorts) the Services of the workload (or of the whole namespace, for
 * `labels` undefined) serve HTTP on, for the DENY rule's `to.operation.ports`: a rule of HTTP
 * attributes alone denies all traffic to TCP ports, which the webhook warns about. A port some
 * Service serves as TCP is left out; nothing when the workspace does not say (named targetPorts).
 */
function httpPorts(t: Target, labels: Record<string, string> | undefined, namespace: string): number[] {
  const http = new Set<number>();
  const other = new Set<number>();
  for (const service of t.ctx.workspace.ofKindIn('Service', namespace)) {
    const selector = Object.entries(service.info.service.selector ?? {});
    if (selector.length === 0 || (labels && !selector.every(([k, v]) => labels[k] === v))) continue;
    for (const port of service.info.service.ports) {
      const target = port.targetPort ?? (port.port !== undefined ? String(port.port) : undefined);
      if (target && /^\d+$/.test(target)) (HTTP_PROTOCOLS.has(declaredProtocol(port)) ? http : other).add(Number(target));
    }
  }
  return [...http].filter((p) => !other.has(p)).sort((a, b) => a - b);
}

/** The apiVersion edit that moves a resource to `<group>/v1`, when its kind has v1. */
function upgradeEdit(t: Target, entry: IndexedResource): Edit | undefined {
  const resource = entry.resource;
  if (!resource.isIstio || !resource.group || !resource.version || resource.version === 'v1') return undefined;
  const kind = t.ctx.schemas.kind(t.ctx.settings.istioVersion, resource.group, resource.kind ?? '');
  if (!kind || !kind.versions.includes('v1')) return undefined;
  const node = resource.doc.get('apiVersion', true) as Node | undefined;
  const range = isScalar(node) ? resource.rangeOf(node) : undefined;
  if (!range) return undefined;
  return replaceScalar(entry.uri, t.text, range[0], range[1], `${resource.group}/v1`);
}

const upgrade: RefactoringProvider = {
  id: 'upgrade-api',
  offer: (t) => (upgradeEdit(t, t.entry) ? { title: `Upgrade apiVersion to ${t.entry.resource.group}/v1` } : undefined),
  apply: (t) => {
    const edit = upgradeEdit(t, t.entry);
    return edit ? [edit] : NO_LONGER_APPLIES;
  },
};

const upgradeFile: RefactoringProvider = {
  id: 'upgrade-api-file',
  offer(t) {
    const count = t.ctx.workspace.entries(t.uri).filter((e) => upgradeEdit(t, e)).length;
    return count >= 2 && upgradeEdit(t, t.entry) ? { title: `Upgrade every apiVersion in this file to v1 (${count} resources)` } : undefined;
  },
  apply: (t) => t.ctx.workspace.entries(t.uri).flatMap((e) => upgradeEdit(t, e) ?? []),
};

export const POLICY_REFACTORINGS: RefactoringProvider[] = [circuitBreaker, workloadSubsets, strictNamespace, strictWorkload, requireJwt, upgrade, upgradeFile];
