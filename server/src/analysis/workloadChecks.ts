// istioctl's analyzers that compare selectors with the workspace's workloads (Sidecar, Telemetry
// and AuthorizationPolicy selectors), a Deployment with the Services that select its pods, and
// the user ID an application runs as. Workloads are Deployments, StatefulSets, DaemonSets,
// ReplicaSets, Jobs, ReplicationControllers and Pods, matched by their pods' labels.
import type { ResourceDocument } from '../model/resource';
import { metadataLabels, podTemplate, type PodTemplateInfo, type Span } from '../workspace/extract';
import { selectsWorkload, type IndexedResource, type WithFacts, type WorkspaceIndex } from '../workspace/index';
import type { Check, CheckContext } from './context';

const ROOT_NAMESPACE = 'istio-system';
const INJECT = 'sidecar.istio.io/inject';
/** The proxy runs as this user; Istio's traffic redirection leaves its traffic alone. */
const PROXY_UID = '1337';

/** A selector as istioctl prints it (Kubernetes' label selector syntax): `app=reviews,version=v1`, keys sorted. */
export function selectorText(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels?.[k]}`)
    .join(',');
}

function workloadList(workloads: IndexedResource[]): string {
  const named = workloads.slice(0, 3).map((w) => `${w.info.kind} ${w.name}`);
  return workloads.length > 3 ? `${named.join(', ')} and ${workloads.length - 3} more` : named.join(', ');
}

/** Per workload (its document), the resources of `kind` whose non-empty selector selects it: computed once per workspace state. */
function selectionsByWorkload(index: WorkspaceIndex, kind: string): Map<ResourceDocument, IndexedResource[]> {
  return index.derived(`selectionsByWorkload:${kind}`, () => {
    const byWorkload = new Map<ResourceDocument, IndexedResource[]>();
    for (const policy of index.ofKind(kind)) {
      const labels = policy.info.labelSelector?.labels;
      if (!labels || Object.keys(labels).length === 0) continue;
      for (const workload of index.workloadsMatching(policy.namespace, labels)) {
        const list = byWorkload.get(workload.resource);
        if (list) list.push(policy);
        else byWorkload.set(workload.resource, [policy]);
      }
    }
    return byWorkload;
  });
}

/**
 * IST0101 and IST0110 (Sidecar), IST0101 and IST0159 (Telemetry), as istioctl's selector
 * analyzers: a non-empty selector that selects no workload of its namespace, or a workload that
 * another resource of the kind selects too. "No workload" only where the workspace holds
 * workloads of the namespace: otherwise they live in the cluster, not in the files.
 */
function selectorCheck(kind: 'Sidecar' | 'Telemetry', key: 'conflictingSidecarSelectors' | 'conflictingTelemetrySelectors'): Check {
  const field = kind === 'Sidecar' ? 'workloadSelector' : 'selector';
  const kinds = kind === 'Sidecar' ? 'Sidecars' : 'Telemetries';
  return (ctx) => {
    const selector = ctx.entry.info.labelSelector;
    if (ctx.entry.info.kind !== kind || !selector || Object.keys(selector.labels).length === 0) return;
    const namespace = ctx.entry.namespace;
    const selected = ctx.index.workloadsMatching(namespace, selector.labels);
    if (selected.length === 0) {
      if (ctx.index.workloads(namespace).length > 0) {
        ctx.report('referenceNotFound', selector.span, `No workload in namespace ${namespace} has the labels of this ${kind}'s ${field} (${selectorText(selector.labels)}), so it applies to nothing.`);
      }
      return;
    }
    const selections = selectionsByWorkload(ctx.index, kind);
    const rivals = new Set<string>();
    const shared: IndexedResource[] = [];
    for (const workload of selected) {
      const others = (selections.get(workload.resource) ?? []).filter((p) => p.resource !== ctx.entry.resource);
      if (others.length > 0) shared.push(workload);
      for (const other of others) rivals.add(other.name);
    }
    if (rivals.size === 0) return;
    const names = [...rivals].sort();
    ctx.report(
      key,
      selector.span,
      `${names.length > 1 ? kinds : kind} ${names.join(', ')} also select${names.length > 1 ? '' : 's'} ${workloadList(shared)} in namespace ${namespace}: which ${kind} applies is undefined. Make the ${field}s select different workloads, or merge the ${kinds}.`,
    );
  };
}

export const checkSidecarSelector = selectorCheck('Sidecar', 'conflictingSidecarSelectors');
export const checkTelemetrySelector = selectorCheck('Telemetry', 'conflictingTelemetrySelectors');

/**
 * IST0127, as istioctl: an AuthorizationPolicy's selector that selects no workload of its
 * namespace, or of the whole mesh for a policy in the root namespace. Only where the workspace
 * holds workloads of the policy's namespace. istioctl also reports a namespace-wide policy in a
 * namespace without workloads; the workspace cannot tell that (its workloads are in the cluster).
 */
export const checkAuthorizationPolicySelector: Check = (ctx) => {
  const selector = ctx.entry.info.labelSelector;
  if (ctx.entry.info.kind !== 'AuthorizationPolicy' || !selector || Object.keys(selector.labels).length === 0) return;
  const namespace = ctx.entry.namespace;
  if (ctx.index.workloads(namespace).length === 0) return;
  const meshWide = namespace === ROOT_NAMESPACE;
  const candidates = meshWide ? ctx.index.allWorkloads() : ctx.index.workloads(namespace);
  if (candidates.some((w) => selectsWorkload(selector.labels, w))) return;
  ctx.report(
    'noMatchingWorkloads',
    selector.span,
    `No workload ${meshWide ? 'of the mesh' : `in namespace ${namespace}`} has the labels ${selectorText(selector.labels)}, so this AuthorizationPolicy applies to nothing.`,
  );
};

/**
 * Does the Deployment run a sidecar, as istioctl's DeploymentInMesh decides it: an istio-proxy
 * container, else the pod's sidecar.istio.io/inject label, else that annotation, else its
 * Namespace (in the workspace) labelled istio-injection=enabled.
 */
function inMesh(index: WorkspaceIndex, entry: IndexedResource, pod: PodTemplateInfo): boolean {
  if (pod.containers.some((c) => c.name === 'istio-proxy' && c.image)) return true;
  const inject = pod.labels[INJECT] ?? pod.annotations[INJECT];
  if (inject !== undefined) return inject === 'true';
  const namespace = index.ofKindIn('Namespace', entry.namespace)[0];
  return !!namespace && metadataLabels(namespace.resource)['istio-injection'] === 'enabled';
}

/** A container port that is this (target) port, by number or name. */
function containerPort(pod: PodTemplateInfo, target: string): Span | undefined {
  return pod.containers.flatMap((c) => c.ports).find((p) => (p.containerPort !== undefined && String(p.containerPort) === target) || p.name === target)?.span;
}

/** A Service port's targetPort, as istioctl reads it: its port when unset or 0. */
function targetOf(port: { port?: number; targetPort?: string }): string {
  return port.targetPort === undefined || port.targetPort === '' || port.targetPort === '0' ? String(port.port ?? 0) : port.targetPort;
}

type ServiceEntryOf = WithFacts<'service'>;

/** IST0116: the same port number with different protocols among the Services of the pods. */
function reportProtocolClashes(ctx: CheckContext, pod: PodTemplateInfo, services: ServiceEntryOf[]): void {
  const byPort = new Map<number, Map<string, ServiceEntryOf[]>>();
  for (const service of services) {
    for (const port of service.info.service.ports) {
      const number = port.port ?? 0;
      const protocol = port.protocol || 'TCP';
      const protocols = byPort.get(number) ?? new Map<string, ServiceEntryOf[]>();
      byPort.set(number, protocols.set(protocol, [...(protocols.get(protocol) ?? []), service]));
    }
  }
  for (const [number, protocols] of byPort) {
    if (protocols.size < 2) continue;
    const uses = [...protocols].map(([protocol, list]) => `${protocol}: ${[...new Set(list.map((s) => s.name))].sort().join(', ')}`);
    const targets = [...protocols.values()].flat().flatMap((s) => s.info.service.ports.filter((p) => (p.port ?? 0) === number).map(targetOf));
    const at = targets.map((t) => containerPort(pod, t)).find((s) => s !== undefined) ?? ctx.entry.info.name;
    if (!at) continue;
    ctx.report(
      'deploymentMultipleServices',
      at,
      `The Services that select this Deployment's pods use port ${number} with different protocols (${uses.join('; ')}); the sidecar cannot serve both. Use one protocol per port, or separate ports.`,
    );
  }
}

/** IST0137: one targetPort behind different ports among the Services of the pods (a port's last Service wins, as istioctl). */
function reportTargetPortClashes(ctx: CheckContext, pod: PodTemplateInfo, services: ServiceEntryOf[]): void {
  const byTarget = new Map<string, Map<number, string>>();
  for (const service of services) {
    for (const port of service.info.service.ports) {
      const target = targetOf(port);
      byTarget.set(target, (byTarget.get(target) ?? new Map<number, string>()).set(port.port ?? 0, service.name));
    }
  }
  for (const [target, ports] of byTarget) {
    if (ports.size < 2) continue;
    const at = containerPort(pod, target) ?? ctx.entry.info.name;
    if (!at) continue;
    const names = [...new Set(ports.values())].sort();
    const numbers = [...ports.keys()].sort((a, b) => a - b);
    ctx.report(
      'deploymentConflictingPorts',
      at,
      `Services ${names.join(', ')} send to targetPort ${target} of this Deployment's pods from different ports (${numbers.join(', ')}); Services that share a targetPort must use the same port.`,
    );
  }
}

/**
 * IST0116 and IST0137, as istioctl's ServiceAssociationAnalyzer: for a Deployment in the mesh
 * (not a waypoint), the Services of its namespace whose non-empty selector selects its pods.
 */
export const checkDeploymentServices: Check = (ctx) => {
  const { entry, index } = ctx;
  const labels = entry.info.workloadLabels;
  if (entry.info.kind !== 'Deployment' || !labels) return;
  const pod = podTemplate(entry.resource);
  if (!pod || pod.ownerLabels['gateway.istio.io/managed'] === 'istio.io-mesh-controller' || !inMesh(index, entry, pod)) return;
  const services = index.ofKindIn('Service', entry.namespace).filter((s) => {
    const selector = Object.entries(s.info.service.selector ?? {});
    return selector.length > 0 && selector.every(([k, v]) => labels[k] === v);
  });
  if (services.length < 1) return;
  reportProtocolClashes(ctx, pod, services);
  reportTargetPortClashes(ctx, pod, services);
};

/**
 * IST0144, as istioctl's ApplicationUIDAnalyzer: a Pod or Deployment (not the control plane's:
 * label `istio`, or `release: istio`) whose pod, or a container other than istio-proxy and
 * istio-operator, runs as user 1337.
 */
export const checkApplicationUid: Check = (ctx) => {
  const kind = ctx.entry.info.kind;
  if (kind !== 'Pod' && kind !== 'Deployment') return;
  const pod = podTemplate(ctx.entry.resource);
  if (!pod || 'istio' in pod.ownerLabels || pod.ownerLabels.release === 'istio') return;
  const applications = pod.containers.filter((c) => c.name !== 'istio-proxy' && c.name !== 'istio-operator');
  for (const user of [pod.runAsUser, ...applications.map((c) => c.runAsUser)]) {
    if (user?.value !== PROXY_UID) continue;
    ctx.report(
      'invalidApplicationUid',
      user,
      `User ID ${PROXY_UID} is reserved for the sidecar proxy: Istio does not redirect the traffic of that user through the proxy. Run the application as another user.`,
    );
  }
};
