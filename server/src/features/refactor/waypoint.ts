// "Add a waypoint": for a Namespace or a Service (on its document, or on a policy that needs one:
// targetRefs to a Service without a waypoint, or an L7 policy in an ambient namespace), the
// waypoint Gateway written after the Namespace's or Service's document and the
// `istio.io/use-waypoint` label on it. The KIA1313 quick fix writes the same Gateway.
import { addWaypointEdits, useWaypointLabel } from '../../edit/waypoints';
import { writerFor } from '../../edit/yamlEdit';
import type { IndexedResource } from '../../workspace/index';
import { isTargetingPolicy, namespaceEntry, policyTargetRefs, resolvePolicyTarget, waypointBinding, WAYPOINT_CLASS } from '../../workspace/waypoints';
import { NO_LONGER_APPLIES, type RefactoringProvider, type Target } from './target';

/** Does the resource use no waypoint (no label, or `none`)? */
function withoutWaypoint(t: Target, entry: IndexedResource): boolean {
  const status = waypointBinding(t.ctx.workspace, entry).status;
  return status === 'unset' || status === 'none';
}

/** The Namespace or Service that gets the waypoint. */
function subjectOf(t: Target): IndexedResource | undefined {
  const { entry } = t;
  const index = t.ctx.workspace;
  if (entry.info.kind === 'Namespace' || entry.info.service) return withoutWaypoint(t, entry) ? entry : undefined;
  if (!isTargetingPolicy(entry)) return undefined;
  for (const ref of policyTargetRefs(entry)) {
    if (ref.kind !== 'Service') continue;
    const service = resolvePolicyTarget(index, entry, ref)?.entries[0];
    if (service && withoutWaypoint(t, service)) return service;
  }
  if (policyTargetRefs(entry).length > 0) return undefined;
  // A policy bound by selector (or namespace-wide): the waypoint of its namespace.
  const ns = namespaceEntry(index, entry.namespace);
  return ns && withoutWaypoint(t, ns) ? ns : undefined;
}

const describe = (e: IndexedResource) => (e.info.kind === 'Namespace' ? `namespace ${e.name}` : `Service ${e.name}`);
const TRAFFIC = ['service', 'workload', 'all'];

/** A Gateway of this name in the namespace: undefined (free), true (a waypoint: only the label is needed), false (another Gateway). */
function existing(t: Target, namespace: string, name: string): boolean | undefined {
  const gateway = t.ctx.workspace.gateway(`${namespace}/${name}`, namespace).kubernetesGateways[0];
  return gateway ? gateway.info.kubernetesGateway.gatewayClassName === WAYPOINT_CLASS : undefined;
}

function namespaceOf(subject: IndexedResource): string {
  return subject.info.kind === 'Namespace' ? subject.name : subject.namespace;
}

export const addWaypoint: RefactoringProvider = {
  id: 'add-waypoint',
  offer(t) {
    const subject = subjectOf(t);
    if (!subject) return undefined;
    const taken = existing(t, namespaceOf(subject), 'waypoint') === false;
    return {
      title: `Add a waypoint for ${describe(subject)}`,
      inputs: [
        { name: 'name', prompt: 'Name of the waypoint Gateway', default: taken ? `${subject.name}-waypoint` : 'waypoint', kind: 'name' },
        { name: 'trafficType', prompt: `Traffic it takes (istio.io/waypoint-for): ${subject.info.service ? 'service or all' : 'service, workload or all'}`, default: 'service', kind: 'text' },
      ],
    };
  },
  apply(t, values) {
    const subject = subjectOf(t);
    const text = subject && t.ctx.text(subject.uri);
    if (!subject || text === undefined) return NO_LONGER_APPLIES;
    const allowed = subject.info.service ? ['service', 'all'] : TRAFFIC;
    if (!allowed.includes(values.trafficType)) return `'${values.trafficType}' is not one of ${allowed.join(', ')}: a ${subject.info.kind} uses a waypoint for ${allowed.join(' or ')} traffic`;
    const namespace = namespaceOf(subject);
    const found = existing(t, namespace, values.name);
    if (found === false) return `Gateway ${values.name} already exists in namespace ${namespace} and is not a waypoint`;
    const place = { uri: subject.uri, text, resource: subject.resource, w: writerFor(text, subject.resource.text) };
    const written = subject.info.kind === 'Namespace' || subject.info.namespace !== undefined;
    const spec = { name: values.name, namespace: written ? namespace : undefined, trafficType: values.trafficType };
    // An existing waypoint of that name only needs the label.
    const label = found ? useWaypointLabel(place, values.name) : undefined;
    const edits = found ? label && [label] : addWaypointEdits(place, spec, true);
    return edits ?? `The ${subject.info.kind}'s metadata is written in a form this refactoring cannot edit`;
  },
};
