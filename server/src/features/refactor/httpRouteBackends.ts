// VirtualService destinations as HTTPRoute backendRefs: a Kubernetes Service and one of its
// ports. A subset becomes a Service of its own (the Gateway API has no subsets): one of the
// workspace whose selector is the host Service's plus the subset's labels, or a new
// `<service>-<subset>` with those selectors and the host Service's ports.
import { isMap, isSeq } from 'yaml';
import { GATEWAY_API_GROUP } from '../../workspace/gatewayApiFacts';
import { referenceGrantAllows } from '../../workspace/gatewayApi';
import { clusterNamespace } from '../../workspace/hosts';
import type { IndexedResource, WorkspaceIndex } from '../../workspace/index';
import { destinationRuleFor, resolveHost } from '../../workspace/resolve';
import { isObj, type YamlObject } from './httpRouteRules';

export interface BackendScope {
  index: WorkspaceIndex;
  /** The VirtualService's namespace. */
  namespace: string;
  /** A Gateway parent enforces ReferenceGrants for other namespaces' backends; mesh routes do not (Istio's enforceRefGrant). */
  gatewayBound: boolean;
  /** Services written for subsets, by namespace/name. */
  newServices: Map<string, YamlObject>;
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The backendRef for a destination map, or why it has none. */
export function backendRefFor(scope: BackendScope, destination: unknown): YamlObject | string {
  if (!isObj(destination) || typeof destination.host !== 'string') return 'a destination without a host';
  const extra = Object.keys(destination).filter((k) => !['host', 'subset', 'port'].includes(k));
  if (extra.length > 0) return `destination ${extra.join(', ')}`;
  const { host, subset } = destination;
  const written = isObj(destination.port) ? destination.port.number : destination.port;
  if (written !== undefined && typeof written !== 'number') return `destination ${host}: a port that is not a number`;
  const resolved = resolveHost(scope.index, host, scope.namespace);
  const namespace = clusterNamespace(resolved.fqdn, scope.index.settings);
  if (!namespace) return `destination ${host} is not a Kubernetes Service (a ServiceEntry or external host has no backendRef here)`;
  if (resolved.status === 'missing') return `destination ${host}: no such Service in namespace ${namespace}`;
  const service = resolved.services[0];
  const ports = service?.info.service?.ports.map((p) => p.port);
  const port = written ?? (ports?.length === 1 ? ports[0] : undefined);
  if (port === undefined) return `destination ${host} names no port and ${service ? 'its Service has several' : 'its Service is not in the workspace'}`;
  if (ports && !ports.includes(port)) return `destination ${host}: port ${port} is not a port of its Service`;
  const name = subset === undefined ? resolved.fqdn.split('.')[0] : subsetService(scope, host, subset, service, port);
  if (name.startsWith('!')) return name.slice(1);
  if (namespace !== scope.namespace && scope.gatewayBound) {
    const grant = referenceGrantAllows(scope.index, { group: GATEWAY_API_GROUP, kind: 'HTTPRoute', namespace: scope.namespace }, { group: '', kind: 'Service', namespace, name });
    if (!grant.allowed) return `destination ${host}: no ReferenceGrant in namespace ${namespace} lets HTTPRoutes of ${scope.namespace} use Service ${name}`;
  }
  return { name, ...(namespace !== scope.namespace ? { namespace } : {}), port };
}

/** The Service for a subset (its name), or `!` and why there is none. */
function subsetService(scope: BackendScope, host: string, subset: unknown, service: IndexedResource | undefined, port: number): string {
  if (typeof subset !== 'string') return `!destination ${host}: a subset that is not a name`;
  const selector = service?.info.service?.selector;
  if (!service || !selector || Object.keys(selector).length === 0)
    return `!subset ${subset} of ${host}: its Service${service ? ' selects no pods by label' : ' is not in the workspace'}, so no Service for the subset can be written`;
  const rule = destinationRuleFor(scope.index, host, scope.namespace);
  const found = rule?.info.destinationRule?.subsets.find((s) => s.name?.value === subset);
  if (!rule || !found?.labels) return `!subset ${subset} of ${host} is not defined by a DestinationRule of the workspace`;
  if (hasTrafficPolicy(rule, found.span.start)) return `!subset ${subset} of ${host}: DestinationRule ${rule.name}'s traffic policy applies to host ${host}, not to a Service for the subset`;
  const clash = Object.keys(found.labels).find((k) => k in selector && selector[k] !== found.labels![k]);
  if (clash) return `!subset ${subset} of ${host}: its label ${clash} contradicts the Service's selector`;
  const wanted = { ...selector, ...found.labels };
  const same = (labels: Record<string, string> | undefined) => !!labels && Object.keys(labels).length === Object.keys(wanted).length && Object.entries(wanted).every(([k, v]) => labels[k] === v);
  const existing = scope.index.ofKindIn('Service', service.namespace).find((s) => same(s.info.service?.selector) && s.info.service!.ports.some((p) => p.port === port));
  if (existing) return existing.name;
  const name = `${service.name}-${subset}`;
  if (name.length > 63 || !DNS_LABEL.test(name)) return `!subset ${subset} of ${host}: '${name}' is not a Service name`;
  const key = `${service.namespace}/${name}`;
  if (!scope.newServices.has(key)) {
    if (scope.index.ofKindIn('Service', service.namespace).some((s) => s.name === name)) return `!subset ${subset} of ${host}: a Service ${name} exists and selects other pods`;
    scope.newServices.set(key, serviceFor(service, name, wanted));
  }
  return name;
}

/** Does the rule have a `trafficPolicy`, at its top or in the subset whose list item starts at `subsetStart`? */
function hasTrafficPolicy(rule: IndexedResource, subsetStart: number): boolean {
  const spec = rule.resource.doc.get('spec', true);
  if (!isMap(spec)) return false;
  if (spec.has('trafficPolicy')) return true;
  const subsets = spec.get('subsets', true);
  return isSeq(subsets) && subsets.items.some((s) => isMap(s) && s.range?.[0] === subsetStart && s.has('trafficPolicy'));
}

const PORT_KEYS = ['name', 'port', 'targetPort', 'protocol', 'appProtocol'];

/** A Service like `service` (its ports, namespace as written) selecting `selector`. */
function serviceFor(service: IndexedResource, name: string, selector: Record<string, string>): YamlObject {
  const ports = service.resource.doc.getIn(['spec', 'ports'], true);
  const copied = isSeq(ports)
    ? ports.items.flatMap((p) => {
        const value = isMap(p) ? (p.toJSON() as Record<string, unknown>) : undefined;
        if (!value) return [];
        return [Object.fromEntries(PORT_KEYS.flatMap((k) => (typeof value[k] === 'string' || typeof value[k] === 'number' ? [[k, value[k] as string | number]] : [])))];
      })
    : [];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(service.info.namespace ? { namespace: service.info.namespace } : {}) },
    spec: { selector, ports: copied },
  };
}
