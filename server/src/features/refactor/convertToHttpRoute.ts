// "Convert VirtualService to HTTPRoute": the VirtualService's document becomes the equivalent
// Gateway API HTTPRoute (and a Service for each DestinationRule subset it routes to), in one
// edit. Equivalent means Istio routes every request the same way after the edit: a VirtualService
// bound to the mesh becomes a route whose parents are its hosts' Services (GAMMA); one bound to
// Gateways needs a Gateway API Gateway of the same name (an Istio Gateway is no HTTPRoute
// parent). Anything without such a form (fault injection, retries, CORS, a prefix that is not a
// whole path segment, an order the Gateway API's precedence would change...) refuses the whole
// conversion, saying everything at once: a partial one would leave two configurations for the
// same host, and the VirtualService is replaced, not kept beside its copy.
import { KUBERNETES_GATEWAY, type IndexedResource } from '../../workspace/index';
import { admittedKinds, hostnamesIntersect } from '../../workspace/gatewayApi';
import { clusterNamespace } from '../../workspace/hosts';
import { resolveHost } from '../../workspace/resolve';
import { replaceResource } from '../../edit/replaceDocument';
import { backendRefFor, type BackendScope } from './httpRouteBackends';
import { precedenceConflict } from './httpRoutePrecedence';
import { convertHttpRoute, isObj, type ConvertedRule, type YamlObject } from './httpRouteRules';
import type { RefactoringProvider, Target } from './target';

/** What the conversion writes, or why it cannot. */
export type ConversionPlan = { documents: YamlObject[]; parents: string[]; services: string[] } | { problems: string[] };

interface Parents {
  refs: YamlObject[];
  names: string[];
  /** Hostnames for Gateway parents (mesh parents take the Service's). */
  hostnames?: string[];
}

const SPEC_KEYS = new Set(['hosts', 'gateways', 'http', 'exportTo']);

function plainSpec(entry: IndexedResource): { [key: string]: unknown } | undefined {
  try {
    const spec = entry.resource.doc.toJS({ maxAliasCount: 100 })?.spec;
    return isObj(spec) ? spec : undefined;
  } catch {
    return undefined;
  }
}

/** The conversion of the VirtualService under the cursor. */
export function planConversion(t: Target): ConversionPlan {
  const spec = plainSpec(t.entry);
  if (!spec || !Array.isArray(spec.http) || spec.http.length === 0) return { problems: ['the VirtualService has no HTTP routes'] };
  const problems = Object.keys(spec)
    .filter((k) => !SPEC_KEYS.has(k))
    .map((k) => (k === 'tcp' || k === 'tls' ? `${k} routes (not HTTP: no HTTPRoute holds them)` : `spec.${k}`));
  const gateways = Array.isArray(spec.gateways) ? spec.gateways.filter((g): g is string => typeof g === 'string') : [];
  const toMesh = gateways.length === 0 || gateways.includes('mesh');
  const toGateways = gateways.filter((g) => g !== 'mesh');
  if (toMesh && toGateways.length > 0) problems.push('it is bound to the mesh and to Gateways (convert a copy for each)');
  const hosts = Array.isArray(spec.hosts) ? spec.hosts.filter((h): h is string => typeof h === 'string') : [];
  if (hosts.length === 0) problems.push('it has no hosts');
  const parents = toMesh ? meshParents(t, hosts, spec.exportTo, problems) : gatewayParents(t, toGateways, hosts, problems);
  const scope: BackendScope = { index: t.ctx.workspace, namespace: t.entry.namespace, gatewayBound: !toMesh, newServices: new Map() };
  const rules = convertRules(spec.http, scope, problems);
  if (problems.length > 0 || !parents || !rules) return { problems };
  const route = httpRoute(
    t.entry,
    parents,
    rules.map((r) => r.rule),
  );
  const services = [...scope.newServices.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s);
  return { documents: [route, ...services], parents: parents.names, services: services.map((s) => (s.metadata as YamlObject).name as string) };
}

function convertRules(http: unknown[], scope: BackendScope, problems: string[]): ConvertedRule[] | undefined {
  const rules: ConvertedRule[] = [];
  http.forEach((route, i) => {
    const converted = convertHttpRoute(route, (destination) => backendRefFor(scope, destination));
    if ('problems' in converted) problems.push(...[...new Set(converted.problems)].map((p) => `HTTP route ${i + 1}: ${p}`));
    else rules.push(converted);
  });
  if (rules.length !== http.length) return undefined;
  const conflict = precedenceConflict(rules.map((r) => r.matches));
  if (conflict) problems.push(conflict);
  return conflict ? undefined : rules;
}

/**
 * Mesh routing: a parentRef to each host's Service. A route in the Service's namespace applies
 * to every client (a producer route), one elsewhere only to its own namespace's clients (a
 * consumer route): the VirtualService's exportTo must say the same.
 */
function meshParents(t: Target, hosts: string[], exportTo: unknown, problems: string[]): Parents | undefined {
  const index = t.ctx.workspace;
  const own = t.entry.namespace;
  const exported = Array.isArray(exportTo) ? exportTo : undefined;
  const parents: Parents = { refs: [], names: [] };
  for (const host of hosts) {
    const resolved = resolveHost(index, host, own);
    const namespace = clusterNamespace(resolved.fqdn, index.settings);
    if (!namespace) {
      problems.push(`host ${host} is not a Kubernetes Service (a ServiceEntry parent is not converted)`);
      continue;
    }
    const name = resolved.fqdn.split('.')[0];
    if (resolved.status === 'missing') problems.push(`host ${host}: no Service ${name} in namespace ${namespace}`);
    const producer = namespace === own;
    if (producer && exported && !exported.includes('*')) problems.push(`exportTo ${exported.join(', ')} (a route in the Service's namespace applies to every namespace's clients)`);
    if (!producer && !(exported?.length === 1 && (exported[0] === '.' || exported[0] === own)))
      problems.push(
        `host ${host} is a Service of namespace ${namespace}: an HTTPRoute in ${own} applies only to ${own}'s clients, the VirtualService ${exported ? `to ${exported.join(', ')}` : 'to every namespace'}`,
      );
    const others = index.meshVirtualServices(resolved.fqdn).filter((e) => e !== t.entry);
    if (others.length > 0) problems.push(`VirtualService ${others[0].name} also routes host ${host} (they are merged; an HTTPRoute would not be)`);
    const routes = index.parentRefsTo({ group: '', kind: 'Service', namespace, name });
    if (routes.length > 0) problems.push(`${routes[0].entry.info.kind} ${routes[0].entry.name} already routes Service ${name}`);
    parents.refs.push({ group: '', kind: 'Service', name, ...(producer ? {} : { namespace }) });
    parents.names.push(`Service ${name}`);
  }
  return parents;
}

/** Gateway routing: the Gateway API Gateway of each Istio Gateway's name, whose listeners must take the hosts. */
function gatewayParents(t: Target, gateways: string[], hosts: string[], problems: string[]): Parents | undefined {
  const index = t.ctx.workspace;
  const own = t.entry.namespace;
  const parents: Parents = { refs: [], names: [], hostnames: [] };
  for (const reference of gateways) {
    const [namespace, name] = reference.includes('/') ? reference.split('/', 2) : [own, reference];
    const gateway = index.ofKindIn(KUBERNETES_GATEWAY, namespace).find((g) => g.name === name);
    if (!gateway?.info.kubernetesGateway) {
      problems.push(`there is no Gateway API Gateway ${namespace}/${name} in the workspace (an Istio Gateway is no HTTPRoute parent; create the Gateway API one first)`);
      continue;
    }
    const listeners = gateway.info.kubernetesGateway.listeners.filter((l) => admittedKinds(l)?.includes('HTTPRoute') !== false && admits(l.allowedNamespaces.from, namespace, own));
    if (listeners.length === 0) problems.push(`no listener of Gateway ${namespace}/${name} takes HTTPRoutes of namespace ${own}`);
    for (const host of hosts) {
      if (listeners.length > 0 && !listeners.some((l) => !l.hostname || host === '*' || hostnamesIntersect(l.hostname.value.toLowerCase(), host.toLowerCase())))
        problems.push(`host ${host} is not among the hostnames of Gateway ${namespace}/${name}'s listeners`);
    }
    parents.refs.push({ name, ...(namespace !== own ? { namespace } : {}) });
    parents.names.push(`Gateway ${namespace === own ? name : `${namespace}/${name}`}`);
  }
  for (const host of hosts) {
    if (host === '*') continue;
    const fqdn = index.resolve(host, own);
    if (!/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(fqdn)) problems.push(`host ${host} is not a hostname an HTTPRoute accepts`);
    else parents.hostnames!.push(fqdn);
  }
  return parents;
}

/** Does a listener's allowedRoutes.namespaces.from take routes of `routeNamespace`? A selector cannot be told here and is taken. */
function admits(from: string | undefined, gatewayNamespace: string, routeNamespace: string): boolean {
  return from === 'All' || from === 'Selector' || gatewayNamespace === routeNamespace;
}

function httpRoute(vs: IndexedResource, parents: Parents, rules: YamlObject[]): YamlObject {
  const meta = vs.resource.doc.toJS({ maxAliasCount: 100 })?.metadata as Record<string, unknown> | undefined;
  const strings = (v: unknown) => (isObj(v) && Object.values(v).every((x) => typeof x === 'string') && Object.keys(v).length > 0 ? (v as Record<string, string>) : undefined);
  const labels = strings(meta?.labels);
  const annotations = strings(meta?.annotations);
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: vs.name, ...(vs.info.namespace ? { namespace: vs.info.namespace } : {}), ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    spec: { parentRefs: parents.refs, ...(parents.hostnames && parents.hostnames.length > 0 ? { hostnames: parents.hostnames } : {}), rules },
  };
}

function titleOf(plan: Exclude<ConversionPlan, { problems: string[] }>): string {
  const services = plan.services.length > 0 ? `; adds Service ${plan.services.join(', ')}` : '';
  return `Convert to HTTPRoute (parent ${plan.parents.join(', ')}${services}; replaces the VirtualService)`;
}

export const convertToHttpRoute: RefactoringProvider = {
  id: 'convert-httproute',
  offer(t) {
    // A VirtualService of TCP or TLS routes only has nothing an HTTPRoute could hold: not offered.
    if (!t.entry.info.virtualService?.routes.some((r) => r.routeKind === 'http') || !t.spec) return undefined;
    const plan = planConversion(t);
    if ('problems' in plan) return { title: 'Convert to HTTPRoute', unavailable: `No Gateway API equivalent, so nothing is converted: ${plan.problems.join('; ')}` };
    return { title: titleOf(plan) };
  },
  apply(t) {
    const plan = planConversion(t);
    if ('problems' in plan) return `No Gateway API equivalent, so nothing is converted: ${plan.problems.join('; ')}`;
    const edit = replaceResource(t.place, plan.documents);
    return edit ? [edit] : 'The VirtualService is written in a form this refactoring cannot replace (flow style or a list item)';
  },
};
