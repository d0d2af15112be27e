// Hover: the field's description, type, allowed values, CEL rules and a reference link; on a
// value that names something (a subset, a host, a Gateway), what it resolves to first.
import { isScalar } from 'yaml';
import { clusterNamespace } from '../workspace/hosts';
import { viewersOf, type IndexedResource, type WithFacts, type WorkspaceIndex } from '../workspace/index';
import { resolveGateway, resolveHost, subsetsOf } from '../workspace/resolve';
import { targetAt, type Target } from '../workspace/targets';
import { admittedKinds, listenerAllows, type ListenerAdmission, type ParentListener, type ParentResolution } from '../workspace/gatewayApi';
import { gatewayParentRefs, grantedReferences } from '../workspace/gatewayApiTargets';
import { DEFAULT_ISTIO_GATEWAY_CLASSES, ISTIO_GATEWAY_CLASSES, type ListenerInfo } from '../workspace/gatewayApiFacts';
import { resourceAt } from '../model/fileModel';
import type { FeatureContext } from './context';
import { fieldDocsUrl } from '../schema/docLinks';
import { gatewayApiFieldDocsUrl } from '../schema/gatewayApiDocLinks';
import { fieldMarkdown, typeLabel } from '../schema/docs';
import { describeMetadataAt } from '../schema/istioMetadata';
import { nodeAt, schemaAtPath, type NodeAt } from '../schema/yamlPath';
import type { ResourceDocument } from '../model/resource';

export interface HoverResult {
  markdown: string;
  /** File offsets of the hovered key or value. */
  start: number;
  end: number;
}

export function hover(ctx: FeatureContext, uri: string, offset: number): HoverResult | undefined {
  const model = ctx.model(uri);
  const resource = model && resourceAt(model, offset);
  const at = resource && nodeAt(resource.doc, resource.docOffset(offset));
  // Istio's annotations and labels, on any resource.
  const metadata = at && isScalar(at.node) ? describeMetadataAt(ctx.schemas.metadata(ctx.settings.istioVersion), at.path, resource.kind) : undefined;
  if (resource && at && metadata) return hoverOf(resource, at, metadata);
  if (!resource || !at || !isScalar(at.node) || at.path.length === 0) return undefined;
  if (!resource.isOurs) return undefined;
  const target = at.inKey ? undefined : targetAt(ctx.workspace, uri, offset);
  const reference = target ? referenceMarkdown(ctx.workspace, target) : undefined;
  const field = fieldHover(ctx, resource, at);
  // A value naming something answers even where no schema describes the field.
  if (!field) return reference ? hoverOf(resource, at, reference) : undefined;
  return hoverOf(resource, at, [...(reference ? [reference, '---'] : []), field].join('\n\n'));
}

function fieldHover(ctx: FeatureContext, resource: ResourceDocument, at: NodeAt): string | undefined {
  if (!resource.group || !resource.version || !resource.kind) return undefined;
  const kindSchema = ctx.schemas.schemaFor(ctx.settings.istioVersion, resource.group, resource.version, resource.kind);
  const schema = kindSchema && schemaAtPath(kindSchema.root, at.path);
  if (!kindSchema || !schema) return undefined;
  const field = [...at.path].reverse().find((p) => typeof p === 'string') as string;
  const header = `**${field}** \`${typeLabel(schema)}\` · ${resource.kind} (${resource.apiVersion})`;
  const body = fieldMarkdown(schema, { rules: true });
  const url = kindSchema.gatewayApi ? gatewayApiFieldDocsUrl(resource.kind, kindSchema.docs, at.path) : fieldDocsUrl(resource.kind, kindSchema.docs, at.path);
  const link = url ? `[${kindSchema.gatewayApi ? 'Gateway API' : 'Istio'} reference: ${resource.kind}](${url})` : '';
  return [header, body, link].filter((s) => s !== '').join('\n\n');
}

function hoverOf(resource: ResourceDocument, at: NodeAt, markdown: string): HoverResult {
  const [start, end] = resource.rangeOf(at.node) ?? [resource.base, resource.base];
  return { markdown, start, end };
}

/** At most this many workloads or servers are listed. */
const LIST_LIMIT = 10;

function referenceMarkdown(index: WorkspaceIndex, target: Target): string {
  if (target.type === 'subset') return subsetMarkdown(index, target);
  if (target.type === 'host') return target.backend || target.parent ? serviceRefMarkdown(index, target) : hostMarkdown(index, target);
  if (target.type === 'gateway') return target.gatewayApi ? kubernetesGatewayMarkdown(index, target) : gatewayMarkdown(index, target);
  return gatewayApiMarkdown(index, target);
}

function fileOf(entry: IndexedResource): string {
  return decodeURIComponent(entry.uri.slice(entry.uri.lastIndexOf('/') + 1));
}

function resourceLine(entry: IndexedResource): string {
  return `${entry.info.kind} **${entry.name}** (namespace ${entry.namespace}) · \`${fileOf(entry)}\``;
}

function bullets(lines: string[], none: string): string {
  if (lines.length === 0) return none;
  const shown = lines.slice(0, LIST_LIMIT).map((l) => `- ${l}`);
  if (lines.length > LIST_LIMIT) shown.push(`- … and ${lines.length - LIST_LIMIT} more`);
  return shown.join('\n');
}

function subsetMarkdown(index: WorkspaceIndex, target: Extract<Target, { type: 'subset' }>): string {
  const found = subsetsOf(target.scope.rules).find((s) => s.subset.name.value === target.name);
  if (!found) {
    const rules = target.scope.rules.map((r) => `DestinationRule ${r.name} (${r.namespace})`).join(', ');
    return `Subset **${target.name}**: ${rules ? `not defined by ${rules}` : 'no DestinationRule in the workspace applies to this host'}.`;
  }
  const { rule, subset } = found;
  const labels = Object.entries(subset.labels ?? {});
  const host = rule.info.destinationRule?.host ? index.resolve(rule.info.destinationRule.host.value, rule.namespace) : undefined;
  const namespace = (host && clusterNamespace(host, index.settings)) ?? rule.namespace;
  const workloads = labels.length === 0 ? [] : index.workloadsMatching(namespace, subset.labels ?? {});
  const none = labels.length === 0 ? 'No labels: the subset is every endpoint of the host.' : `No workload in the workspace (namespace ${namespace}) carries these labels.`;
  return [
    `Subset **${target.name}** of ${resourceLine(rule)}`,
    labels.length > 0 ? `Labels: ${labels.map(([k, v]) => `\`${k}=${v}\``).join(', ')}` : '',
    labels.length > 0 && workloads.length > 0 ? `Workloads carrying them:\n${bullets(workloads.map(resourceLine), '')}` : none,
  ]
    .filter((l) => l !== '')
    .join('\n\n');
}

function hostMarkdown(index: WorkspaceIndex, target: Extract<Target, { type: 'host' }>): string {
  const referrer = target.at.entry;
  const resolved = resolveHost(index, target.host, referrer.namespace, viewersOf(referrer));
  const definers = [...resolved.services, ...resolved.serviceEntries];
  const head = `Host **${target.at.ref.value}** → \`${resolved.fqdn}\``;
  if (definers.length > 0) return `${head}\n\nDefined by:\n${bullets(definers.map(resourceLine), '')}`;
  if (resolved.hidden.length > 0) return `${head}\n\nDefined by ${resolved.hidden.map((e) => `${e.info.kind} ${e.name} (${e.namespace})`).join(', ')}, not exported to this namespace.`;
  const why = resolved.status === 'outside-workspace' ? 'it may be defined in the cluster' : 'Istio will not find it';
  return `${head}\n\nNo Service or ServiceEntry in the workspace defines it; ${why}.`;
}

function gatewayMarkdown(index: WorkspaceIndex, target: Extract<Target, { type: 'gateway' }>): string {
  const { gateways, kubernetesGateways, status } = resolveGateway(index, target.name, target.namespace);
  const parts = gateways.map((g) => {
    const lines = g.info.gateway.servers.map((server, i) => {
      const read = (...path: (string | number)[]) => {
        const v = g.resource.doc.getIn(['spec', 'servers', i, ...path]);
        return v === undefined || v === null ? undefined : String(v);
      };
      const tls = read('tls', 'mode');
      return `port ${server.port ?? '?'} ${read('port', 'protocol') ?? ''} · hosts ${server.hosts.map((h) => h.value).join(', ') || 'none'}${tls ? ` · TLS ${tls}` : ''}`;
    });
    return `${resourceLine(g)}\n\nServers:\n${bullets(lines, '(none)')}`;
  });
  parts.push(
    ...kubernetesGateways.map((g) => {
      const lines = g.info.kubernetesGateway.listeners.map((l) => `${l.name?.value ?? 'listener'}: port ${l.port ?? '?'} ${l.protocol ?? ''} · hostname ${l.hostname?.value ?? 'any'}`);
      return `${resourceLine(g)} (Gateway API)\n\nListeners:\n${bullets(lines, '(none)')}`;
    }),
  );
  if (parts.length > 0) return parts.join('\n\n');
  return `Gateway **${target.namespace}/${target.name}**: ${status === 'missing' ? 'not found in the workspace' : 'not in the workspace; it may be defined in the cluster'}.`;
}

type GatewayApiOnly = Exclude<Target, { type: 'subset' | 'gateway' | 'host' }>;

function gatewayApiMarkdown(index: WorkspaceIndex, target: GatewayApiOnly): string {
  switch (target.type) {
    case 'listener':
      return listenerMarkdown(index, target);
    case 'servicePort':
      return servicePortMarkdown(target);
    case 'gatewayClass':
      return gatewayClassMarkdown(index, target.name);
    case 'referenceGrant':
      return referenceGrantMarkdown(index, target.grant);
    case 'resource': {
      const { kind, namespace, name } = target.key;
      if (target.entries.length > 0) return bullets(target.entries.map(resourceLine), '');
      const why = target.status === 'missing' ? 'not found in the workspace' : 'not in the workspace; it may be defined in the cluster';
      return `${kind} **${name}** (namespace ${namespace}): ${why}.`;
    }
  }
}

/** A listener: name, port, protocol, hostname and the routes it allows. */
function listenerLine(listener: ListenerInfo): string {
  const { from, selector, matchExpressions } = listener.allowedNamespaces;
  const labels = Object.entries(selector ?? {}).map(([k, v]) => `${k}=${v}`);
  const selected = from === 'Selector' ? ` (${[...labels, ...(matchExpressions ?? []).map((e) => `${e.key} ${e.operator} ${e.values.join(',')}`)].join(', ') || 'any'})` : '';
  const kinds = admittedKinds(listener);
  const tls = listener.tlsMode ? ` · TLS ${listener.tlsMode}` : '';
  return `**${listener.name?.value ?? 'listener'}**: port ${listener.port ?? '?'} ${listener.protocol ?? ''} · hostname ${listener.hostname?.value ?? 'any'}${tls} · routes from ${from}${selected} namespaces${kinds ? `, kinds ${kinds.join(', ') || 'none'}` : ''}`;
}

/** Whether a listener admits the route, and why not. */
function admissionText(admission: ListenerAdmission, listener: ParentListener, routeNamespace: string): string {
  const reasons: string[] = [];
  if (admission.namespace === false) reasons.push(`allowedRoutes.namespaces (${listener.listener.allowedNamespaces.from}) does not admit namespace ${routeNamespace}`);
  if (admission.kind === false) reasons.push('the route kind is not among its kinds');
  if (!admission.hostnames) reasons.push(`no hostname of the route matches ${listener.listener.hostname?.value ?? ''}`);
  if (reasons.length > 0) return `does not admit this route: ${reasons.join('; ')}`;
  return admission.namespace === undefined || admission.kind === undefined ? 'may admit this route (the workspace cannot tell)' : 'admits this route';
}

/** The listeners a parentRef selects, each with whether it admits the route. */
function parentListeners(index: WorkspaceIndex, parent: ParentResolution, route: IndexedResource): string {
  const admits = (l: ParentListener) => {
    const facts = route.info.gatewayApiRoute;
    return facts ? ` — ${admissionText(listenerAllows(index, l.listener, l.owner.namespace, { ...route, info: { ...route.info, gatewayApiRoute: facts } }), l, route.namespace)}` : '';
  };
  const selected = parent.selected.map((l) => `${listenerLine(l.listener)}${admits(l)}`);
  if (parent.sectionMissing || parent.portMissing)
    return `No listener matches the parentRef; the listeners:\n${bullets(
      parent.listeners.map((l) => listenerLine(l.listener)),
      '(none)',
    )}`;
  return `Listeners:\n${bullets(selected, '(none)')}`;
}

function kubernetesGatewayMarkdown(index: WorkspaceIndex, target: Extract<Target, { type: 'gateway' }>): string {
  const parent = target.parent;
  if (parent && parent.status !== 'found') {
    const why = parent.status === 'missing' ? 'not found in the workspace' : 'not in the workspace; it may be defined in the cluster';
    return `Gateway **${parent.namespace}/${parent.name}**: ${why}.`;
  }
  const gateways = index.gateway(`${target.namespace}/${target.name}`, target.namespace).kubernetesGateways;
  const parts = gateways.map((g) => {
    const { gatewayClassName, listeners } = g.info.kubernetesGateway;
    const head = `${resourceLine(g)} (Gateway API${gatewayClassName ? `, class ${gatewayClassName}` : ''})`;
    if (parent) return `${head}\n\n${parentListeners(index, parent, target.at.entry)}`;
    const routes = gatewayParentRefs(index, g.namespace, g.name);
    return `${head}\n\nListeners:\n${bullets(listeners.map(listenerLine), '(none)')}\n\nNamed by ${routes.length} parentRef${routes.length === 1 ? '' : 's'} in the workspace.`;
  });
  return parts.join('\n\n') || `Gateway **${target.namespace}/${target.name}**: not in the workspace.`;
}

function listenerMarkdown(index: WorkspaceIndex, target: Extract<Target, { type: 'listener' }>): string {
  const { owner, parent } = target;
  const where = `${owner.kind} ${owner.namespace}/${owner.name}`;
  if (parent && parent.status !== 'found')
    return `Listener **${target.name}** of ${where}: ${parent.status === 'missing' ? 'the parent is not found in the workspace' : 'the parent is not in the workspace; it may be defined in the cluster'}.`;
  if (parent?.sectionMissing) return `${where} has no listener **${target.name}**; its listeners: ${parent.listeners.map((l) => l.listener.name?.value ?? '?').join(', ') || 'none'}.`;
  if (parent) return `Listener of ${where}\n\n${parentListeners(index, parent, target.at.entry)}`;
  const uses = index.parentRefsTo(owner, target.name).length;
  return `Listener **${target.name}** of ${where}\n\nNamed by ${uses} sectionName${uses === 1 ? '' : 's'} in the workspace.`;
}

/** A backendRef's (or mesh parentRef's) Service: its ports and workloads, or why it is not known. */
function serviceRefMarkdown(index: WorkspaceIndex, target: Extract<Target, { type: 'host' }>): string {
  const resolution = target.backend ?? target.parent;
  if (target.backend?.target === 'hostname') return hostMarkdown(index, target);
  const service = target.backend?.service ?? target.parent?.service;
  const namespace = resolution?.namespace ?? target.at.entry.namespace;
  const name = resolution?.name ?? target.at.ref.value;
  if (!service) {
    const why = resolution?.status === 'missing' ? 'Istio will not find it' : 'it may live in the cluster';
    return `No Service '${name}' in namespace ${namespace} in the workspace; ${why}.`;
  }
  const ports = (service.info.service?.ports ?? []).map((p) => `${p.port ?? '?'}${p.name ? ` (${p.name.value})` : ''}${p.targetPort ? ` → ${p.targetPort}` : ''}`);
  const selector = service.info.service?.selector;
  const workloads = selector && Object.keys(selector).length > 0 ? index.workloadsMatching(service.namespace, selector) : [];
  const none = selector ? `No workload in the workspace (namespace ${service.namespace}) matches its selector.` : 'No selector: its endpoints are managed by hand.';
  return [`${resourceLine(service)}`, `Ports: ${ports.join(', ') || 'none'}`, workloads.length > 0 ? `Workloads:\n${bullets(workloads.map(resourceLine), '')}` : none].join('\n\n');
}

function servicePortMarkdown(target: Extract<Target, { type: 'servicePort' }>): string {
  const { backend, port } = target;
  const owner = backend.service ?? backend.host?.serviceEntries[0];
  if (!owner || !backend.ports) return `Port **${port}**: the workspace does not know ${backend.name}'s ports.`;
  const what = `${owner.info.kind} ${owner.name} (${owner.namespace})`;
  if (backend.port === 'missing') return `${what} has no port **${port}**; its ports: ${backend.ports.join(', ') || 'none'}.`;
  const info = backend.service?.info.service.ports.find((p) => p.port === port);
  return `Port **${port}** of ${what}${info?.name ? ` · name ${info.name.value}` : ''}${info?.targetPort ? ` · targetPort ${info.targetPort}` : ''}`;
}

function gatewayClassMarkdown(index: WorkspaceIndex, name: string): string {
  const classes = index.gatewayClasses(name);
  if (classes.length > 0)
    return bullets(
      classes.map((c) => `${resourceLine(c)} · controller ${c.info.gatewayClass.controllerName?.value ?? '?'}`),
      '',
    );
  const istio = Object.hasOwn(ISTIO_GATEWAY_CLASSES, name) ? ISTIO_GATEWAY_CLASSES[name] : undefined;
  return istio
    ? `GatewayClass **${name}**: provided by Istio (${istio.controller}: ${istio.about}).`
    : `GatewayClass **${name}**: not Istio's (${DEFAULT_ISTIO_GATEWAY_CLASSES.join(', ')}) and not in the workspace; another controller may provide it.`;
}

function referenceGrantMarkdown(index: WorkspaceIndex, grant: WithFacts<'referenceGrant'>): string {
  const { from, to } = grant.info.referenceGrant;
  const kind = (g: { group: string; kind: string }) => (g.group ? `${g.kind} (${g.group})` : g.kind);
  const froms = from.map((f) => `${kind(f)} in namespace ${f.namespace?.value ?? '?'}`);
  const tos = to.map((t) => `${kind(t)} ${t.name?.value ? `**${t.name.value}**` : '(any name)'}`);
  const used = grantedReferences(index, grant).map((u) => `${u.entry.info.kind} ${u.entry.name} (${u.entry.namespace}) → ${u.ref.value}`);
  return [
    `ReferenceGrant **${grant.name}** (namespace ${grant.namespace}) allows references from ${froms.join(', ') || 'nothing'} to ${tos.join(', ') || 'nothing'} in namespace ${grant.namespace}.`,
    `Used by:\n${bullets(used, '(no reference in the workspace uses it)')}`,
  ].join('\n\n');
}
