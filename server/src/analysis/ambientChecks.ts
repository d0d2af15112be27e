// Ambient mode: the waypoint an `istio.io/use-waypoint` label names (KIA1313, the traffic it
// takes), AuthorizationPolicies with HTTP attributes left to ztunnel (KIA0110), and the targetRefs
// of policies: what they name must exist (IST0101), and a Service or ServiceEntry they attach to
// must use a waypoint, the only proxy that applies them (pilot's policyattachment.go).
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ProblemData } from '../base/problems';
import { closest } from '../base/problems';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';
import { selectsWorkload } from '../workspace/index';
import type { TextRef } from '../workspace/nodes';
import {
  isTargetingPolicy,
  policyTargetRefs,
  resolvePolicyTarget,
  servesTraffic,
  takesWaypoint,
  waypointBinding,
  type PolicyTargetRef,
  type WaypointBinding,
  type WaypointUse,
} from '../workspace/waypoints';
import type { Check, CheckContext } from './context';
import { namespaceInAmbientMode } from './meshChecks';

const describe = (e: IndexedResource) => `${e.info.kind} ${e.name}`;
const waypointName = (use: WaypointUse) => `${use.namespace}/${use.name}`;

/** The Gateway that would serve the label: for the holder's kind of traffic, open to its namespace when elsewhere. */
function waypointData(use: WaypointUse): ProblemData {
  const workload = !!use.holder.info.workloadLabels;
  const holderNamespace = use.holder.info.kind === 'Namespace' ? use.holder.name : use.holder.namespace;
  return { type: 'waypoint', name: use.name, namespace: use.namespace, trafficType: workload ? 'workload' : 'service', allNamespaces: use.namespace !== holderNamespace };
}

/** KIA1313 and the waypoint's traffic type, reported on the label of the resource that carries it. */
export const checkWaypointUse: Check = (ctx) => {
  if (!takesWaypoint(ctx.entry)) return;
  const binding = waypointBinding(ctx.index, ctx.entry);
  if (binding.status === 'unset' || binding.status === 'none' || binding.use.inherited) return;
  const { use } = binding;
  if (binding.status === 'missing') {
    ctx.report(
      'waypointNotFound',
      use.label,
      `Waypoint ${waypointName(use)} is not in the workspace (namespace ${use.namespace} has other Gateways): ${describe(ctx.entry)} uses no waypoint, and policies attached to it do nothing. Create the waypoint, or fix the name.`,
      waypointData(use),
    );
  } else if (binding.status === 'outside-workspace') {
    ctx.report(
      'referenceUnverifiable',
      use.label,
      `Waypoint ${waypointName(use)} is not in the workspace (no Gateways in namespace ${use.namespace}); it may be deployed in the cluster (istioctl waypoint apply).`,
      waypointData(use),
    );
  } else if (binding.status === 'found') {
    checkFoundWaypoint(ctx, binding);
  }
};

function checkFoundWaypoint(ctx: CheckContext, binding: Extract<WaypointBinding, { status: 'found' }>): void {
  const { use, trafficType, admitted, gateway } = binding;
  const holder = ctx.entry;
  if (admitted === false) {
    ctx.report(
      'waypointNotFound',
      use.label,
      `Waypoint ${waypointName(use)} does not admit namespace ${holder.namespace}: its HBONE listener's allowedRoutes.namespaces (default Same) leave it out, so Istio does not bind ${describe(holder)} to it. Set allowedRoutes.namespaces.from: All (or a Selector) on the waypoint's listener.`,
    );
    return;
  }
  const workload = !!holder.info.workloadLabels;
  const wrong = holder.info.kind === 'Namespace' ? !servesTraffic(trafficType, true) && !servesTraffic(trafficType, false) : !servesTraffic(trafficType, !workload);
  if (wrong) {
    const subject = holder.info.kind === 'Namespace' ? `the namespace's Services and workloads` : describe(holder);
    ctx.report(
      'waypointTrafficType',
      use.label,
      `Waypoint ${waypointName(use)} is for ${trafficType} traffic (istio.io/waypoint-for on Gateway ${gateway.name} or its class), so Istio does not bind ${subject} to it. Use a waypoint for ${workload ? 'workload' : 'service'} (or all) traffic.`,
    );
  } else if (holder.info.kind === 'Namespace' && trafficType === 'workload') {
    const services = ctx.index.ofKindIn('Service', holder.name).filter((s) => waypointBinding(ctx.index, s).status === 'found');
    if (services.length > 0)
      ctx.report(
        'waypointTrafficType',
        use.label,
        `Waypoint ${waypointName(use)} is for workload traffic only: the Services of namespace ${holder.name} that inherit this label (${services.map((s) => s.name).join(', ')}) are not bound to it (Istio reports UnsupportedTrafficType). Label it istio.io/waypoint-for: all, or give the Services their own waypoint.`,
      );
  }
}

/** ztunnel's L4 condition keys (pilot's l4WhenAttributes); every other `when` key is HTTP. */
const L4_CONDITIONS = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);
const HTTP_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
const HTTP_SOURCE = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'];

const field = (node: unknown, key: string): unknown => (isMap(node) ? node.get(key, true) : undefined);
const listOf = (node: unknown): unknown[] => (isSeq(node) ? node.items : []);
const nonEmpty = (node: unknown) => isSeq(node) && node.items.length > 0;

/** The HTTP attributes ztunnel does not enforce, as pilot's ambient conversion lists them. */
export function httpAttributes(spec: unknown): string[] {
  const found = new Set<string>();
  for (const rule of listOf(field(spec, 'rules'))) {
    for (const to of listOf(field(rule, 'to'))) for (const key of HTTP_OPERATION) if (nonEmpty(field(field(to, 'operation'), key))) found.add(key);
    for (const from of listOf(field(rule, 'from'))) for (const key of HTTP_SOURCE) if (nonEmpty(field(field(from, 'source'), key))) found.add(key);
    for (const when of listOf(field(rule, 'when'))) {
      const key = field(when, 'key');
      if (isScalar(key) && typeof key.value === 'string' && !L4_CONDITIONS.has(key.value)) found.add(key.value);
    }
  }
  return [...found].sort();
}

/** KIA0110: an AuthorizationPolicy with HTTP attributes that ztunnel enforces (selector or namespace-wide) in an ambient namespace. */
export const checkL7PolicyInAmbient: Check = (ctx) => {
  const { entry, index } = ctx;
  if (entry.info.kind !== 'AuthorizationPolicy' || !entry.info.apiVersion?.startsWith('security.istio.io/') || !entry.info.name) return;
  const spec = entry.resource.doc.get('spec', true);
  if (!isMap(spec) || spec.has('targetRef') || spec.has('targetRefs') || !namespaceInAmbientMode(index, entry.namespace)) return;
  const attributes = httpAttributes(spec);
  if (attributes.length === 0) return;
  const action = String(spec.get('action') ?? 'ALLOW');
  const effect = action === 'DENY' ? 'the DENY applies without them, more broadly than written' : 'the rules that use them are left out, which denies more than written';
  const selectorKey = spec.items.find((p) => isScalar(p.key) && p.key.value === 'selector')?.key as Node | undefined;
  const how = selectorKey ? 'it selects workloads by selector' : 'it applies to the whole namespace';
  const message = `In namespace ${entry.namespace}, in ambient mode, ztunnel enforces this policy (${how}) and does not support its HTTP attributes (${attributes.join(', ')}): ${effect}. Bind it to a waypoint with targetRefs instead.`;
  const at = selectorKey?.range ? { start: selectorKey.range[0], end: selectorKey.range[1] } : entry.info.name;
  ctx.report('l7PolicyEnforcedByZtunnel', at, message, selectorKey ? targetsFor(index, entry) : undefined);
};

/** KIA1115: a RequestAuthentication bound by selector (or namespace-wide) in an ambient namespace, which nothing enforces there. */
export const checkRequestAuthnInAmbient: Check = (ctx) => {
  const { entry, index } = ctx;
  if (entry.info.kind !== 'RequestAuthentication' || !entry.info.apiVersion?.startsWith('security.istio.io/') || !entry.info.name) return;
  const spec = entry.resource.doc.get('spec', true);
  if ((isMap(spec) && (spec.has('targetRef') || spec.has('targetRefs'))) || !namespaceInAmbientMode(index, entry.namespace)) return;
  const selectorKey = isMap(spec) ? (spec.items.find((p) => isScalar(p.key) && p.key.value === 'selector')?.key as Node | undefined) : undefined;
  const how = selectorKey ? 'selects workloads by selector' : 'applies to the whole namespace';
  const message = `In namespace ${entry.namespace}, in ambient mode, nothing validates this RequestAuthentication's tokens: it ${how}, ztunnel does not read JWTs, and a waypoint applies only policies attached with targetRefs. Attach it to a Service or the waypoint with targetRefs.`;
  const at = selectorKey?.range ? { start: selectorKey.range[0], end: selectorKey.range[1] } : entry.info.name;
  ctx.report('requestAuthnWithoutTargetRefs', at, message, selectorKey ? targetsFor(index, entry) : undefined);
};

/** The Services (in the policy's namespace) of the workloads its selector selects, and their common waypoint when it is in that namespace. */
function targetsFor(index: WorkspaceIndex, policy: IndexedResource): ProblemData {
  const labels = policy.info.labelSelector?.labels ?? {};
  const workloads = index.workloadsMatching(policy.namespace, labels);
  const services = index.ofKindIn('Service', policy.namespace).filter((s) => {
    const selector = s.info.service.selector ?? {};
    if (Object.keys(selector).length === 0) return false;
    // Without the workloads in the workspace, a Service whose selector the policy's labels include.
    return workloads.length > 0 ? workloads.some((w) => selectsWorkload(selector, w)) : Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
  const waypoints = new Set(
    services.map((s) => {
      const b = waypointBinding(index, s);
      return b.status === 'found' && b.gateway.namespace === policy.namespace && servesTraffic(b.trafficType, true) ? b.gateway.name : '';
    }),
  );
  const waypoint = waypoints.size === 1 ? [...waypoints][0] : '';
  return { type: 'policy-targets', services: services.map((s) => ({ kind: 'Service', name: s.name })), ...(waypoint ? { waypoint } : {}) };
}

const KIND_TARGETS: Record<string, 'service' | 'serviceEntry' | 'gateway'> = { Service: 'service', ServiceEntry: 'serviceEntry', Gateway: 'gateway' };

/** IST0101 (or a hint outside the workspace) for a targetRef naming nothing, and a Service or ServiceEntry target that uses no waypoint. */
export const checkPolicyTargetRefs: Check = (ctx) => {
  if (!isTargetingPolicy(ctx.entry)) return;
  for (const ref of policyTargetRefs(ctx.entry)) {
    const resolution = resolvePolicyTarget(ctx.index, ctx.entry, ref);
    if (!resolution || !ref.name) continue;
    if (resolution.status !== 'found') reportMissingTarget(ctx, ref, ref.name, resolution.status);
    else if (ref.kind === 'Service' || ref.kind === 'ServiceEntry') checkTargetWaypoint(ctx, ref.name, resolution.entries[0]);
  }
};

function reportMissingTarget(ctx: CheckContext, ref: PolicyTargetRef, name: TextRef, status: 'missing' | 'outside-workspace'): void {
  const where = ref.kind === 'GatewayClass' ? '' : ` in namespace ${ctx.entry.namespace}`;
  if (status === 'outside-workspace') {
    ctx.report('referenceUnverifiable', name, `${ref.kind} ${name.value} is not in the workspace (no ${ref.kind}s${where} here); it may be defined in the cluster.`);
    return;
  }
  const candidates = sameKind(ctx, ref).filter((n) => n !== name.value);
  const suggestion = closest(name.value, candidates);
  const target = KIND_TARGETS[ref.kind];
  const data: ProblemData | undefined = target ? { type: 'gateway-api-ref', target, name: name.value, ...(suggestion ? { suggestion } : {}), candidates } : undefined;
  ctx.report(
    'referenceNotFound',
    name,
    `${ref.kind} ${name.value} is not defined${where}${suggestion ? `; did you mean '${suggestion}'?` : ''}: this ${ctx.entry.info.kind} attaches to nothing.`,
    data,
  );
}

function sameKind(ctx: CheckContext, ref: PolicyTargetRef): string[] {
  const { index, entry } = ctx;
  if (ref.kind === 'GatewayClass') return index.ofKind('GatewayClass').map((e) => e.name);
  const key = ref.kind === 'Gateway' ? 'gateway.networking.k8s.io/Gateway' : ref.kind;
  return [...new Set(index.ofKindIn(key, entry.namespace).map((e) => e.name))].sort();
}

/** Only waypoints apply policies attached to a Service or ServiceEntry: one without a waypoint ignores them. */
function checkTargetWaypoint(ctx: CheckContext, name: TextRef, target: IndexedResource | undefined): void {
  if (!target) return;
  const binding = waypointBinding(ctx.index, target);
  const none = binding.status === 'none';
  if (!none && !(binding.status === 'unset' && binding.namespaceKnown)) return;
  const why = none ? `istio.io/use-waypoint: none on ${describe(binding.use.holder)}` : `no istio.io/use-waypoint label on it or on Namespace ${target.namespace}`;
  ctx.report(
    'policyTargetWithoutWaypoint',
    name,
    `${describe(target)} uses no waypoint (${why}): only a waypoint applies a ${ctx.entry.info.kind} attached to a ${target.info.kind} by targetRefs, so this one has no effect. Add a waypoint for it.`,
  );
}

/** The ambient checks, in the order they run. */
export const AMBIENT_CHECKS: Check[] = [checkWaypointUse, checkL7PolicyInAmbient, checkRequestAuthnInAmbient, checkPolicyTargetRefs];
