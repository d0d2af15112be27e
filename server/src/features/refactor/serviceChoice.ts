// The Service a Gateway API route refactoring (canary, header canary, split) offers for another
// version of a backend: the Gateway API has no subsets, so a version is a Service of its own
// (`reviews-v2` next to `reviews` or `reviews-v1`, or a Service selecting the same app with
// another `version` label). Only one whose pods exist (or the workspace cannot tell), with the
// backend's port, that the route may reference: accepting the default never writes a backendRef
// the checker flags. When none would do, there is no default and the title says why.
import { GATEWAY_API_GROUP } from '../../workspace/gatewayApiFacts';
import { referenceGrantAllows, refNamespace } from '../../workspace/gatewayApi';
import type { WithFacts } from '../../workspace/index';
import type { GatewayRuleTarget, ServiceRef } from './gatewayApiTarget';
import type { Target } from './target';

const VERSION_KEYS = new Set(['version', 'app.kubernetes.io/version']);
/** A name's version suffix: `reviews-v2`, `reviews-canary`. */
const VERSION_SUFFIX = /-(v\d[a-z0-9]*|canary|stable|primary|preview|next|blue|green)$/;

export interface ServiceChoice {
  /** The backend's namespace. */
  namespace: string;
  /** Other versions' Services, best first. */
  candidates: string[];
  /** Why there is none, for a title. */
  why: string;
}

type Service = WithFacts<'service'>;

function versionOf(selector: Record<string, string>): string | undefined {
  return Object.entries(selector).find(([k]) => VERSION_KEYS.has(k))?.[1];
}

/** Does `other` select another version of the pods `service` selects: the same labels, another (or a first) version? */
function selectsOtherVersion(service: Service, other: Service): boolean {
  const a = service.info.service.selector ?? {};
  const b = other.info.service.selector ?? {};
  const version = versionOf(b);
  if (version === undefined || version === versionOf(a)) return false;
  const rest = (s: Record<string, string>) => Object.entries(s).filter(([k]) => !VERSION_KEYS.has(k));
  const [ra, rb] = [rest(a), rest(b)];
  return rb.length > 0 && ra.length === rb.length && rb.every(([k, v]) => a[k] === v);
}

/** Is `other` named as another version of `service` (`reviews` and `reviews-canary`, `reviews-v1` and `reviews-v2`)? */
function namedOtherVersion(service: string, other: string): boolean {
  return other !== service && VERSION_SUFFIX.test(other) && other.replace(VERSION_SUFFIX, '') === service.replace(VERSION_SUFFIX, '');
}

/** Does the Service select pods of the workspace (true too when the namespace has none the workspace knows)? */
function hasPods(t: Target, service: Service): boolean {
  const index = t.ctx.workspace;
  if (index.workloads(service.namespace).length === 0) return true;
  const selector = service.info.service.selector ?? {};
  return Object.keys(selector).length > 0 && index.workloadsMatching(service.namespace, selector).length > 0;
}

function hasPort(service: Service, port: number | undefined): boolean {
  const ports = service.info.service.ports.map((p) => p.port);
  return port === undefined || ports.some((p) => p === undefined) || ports.includes(port);
}

/** May the route reference a Service of `namespace` (a ReferenceGrant there, when it is another namespace)? */
export function mayReference(t: Target, rule: GatewayRuleTarget, namespace: string, name: string): boolean {
  const from = { group: GATEWAY_API_GROUP, kind: rule.routeKind, namespace: rule.route.namespace };
  return referenceGrantAllows(t.ctx.workspace, from, { group: '', kind: 'Service', namespace, name }).allowed;
}

/** Other versions of `base`'s Service the rule could send traffic to, leaving out `exclude` (the Services it already uses). */
export function otherVersions(t: Target, rule: GatewayRuleTarget, base: ServiceRef, exclude: string[]): ServiceChoice {
  const namespace = refNamespace(base, rule.route);
  const name = base.name.value;
  const service = t.ctx.workspace.serviceNamed(namespace, name);
  if (!service) return { namespace, candidates: [], why: `no Service '${name}' in the workspace` };
  const candidates = t.ctx.workspace
    .ofKindIn('Service', namespace)
    .filter((s) => s.name !== name && !exclude.includes(s.name) && (selectsOtherVersion(service, s) || namedOtherVersion(name, s.name)))
    .filter((s) => hasPort(s, base.port) && hasPods(t, s) && mayReference(t, rule, namespace, s.name))
    .map((s) => s.name);
  const sorted = [...new Set(candidates)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return { namespace, candidates: sorted, why: `no other version of ${name} is deployed behind a Service` };
}

/** The port a new backendRef to Service `name` takes: the base's, unless the Service has another single one. */
export function portFor(t: Target, namespace: string, name: string, basePort: number | undefined): number | undefined {
  const ports = t.ctx.workspace.serviceNamed(namespace, name)?.info.service.ports.map((p) => p.port) ?? [];
  if (basePort === undefined || ports.length !== 1 || ports[0] === undefined || ports[0] === basePort) return basePort;
  return ports[0];
}
