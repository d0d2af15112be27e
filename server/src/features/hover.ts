// Hover: the field's description, type, allowed values, CEL rules and a reference link; on a
// value that names something (a subset, a host, a Gateway), what it resolves to first.
import { isScalar } from 'yaml';
import { clusterNamespace } from '../workspace/hosts';
import { viewersOf, type IndexedResource, type WorkspaceIndex } from '../workspace/index';
import { resolveGateway, resolveHost, subsetsOf } from '../workspace/resolve';
import { targetAt, type Target } from '../workspace/targets';
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
  if (!resource?.isOurs || !resource.group || !resource.version || !resource.kind) return undefined;
  const kindSchema = ctx.schemas.schemaFor(ctx.settings.istioVersion, resource.group, resource.version, resource.kind);
  if (!kindSchema || !at || !isScalar(at.node) || at.path.length === 0) return undefined;
  const schema = schemaAtPath(kindSchema.root, at.path);
  if (!schema) return undefined;
  const field = [...at.path].reverse().find((p) => typeof p === 'string') as string;
  const header = `**${field}** \`${typeLabel(schema)}\` · ${resource.kind} (${resource.apiVersion})`;
  const body = fieldMarkdown(schema, { rules: true });
  const url = kindSchema.gatewayApi ? gatewayApiFieldDocsUrl(resource.kind, kindSchema.docs, at.path) : fieldDocsUrl(resource.kind, kindSchema.docs, at.path);
  const link = url ? `[${kindSchema.gatewayApi ? 'Gateway API' : 'Istio'} reference: ${resource.kind}](${url})` : '';
  const target = at.inKey ? undefined : targetAt(ctx.workspace, uri, offset);
  const reference = target ? [referenceMarkdown(ctx.workspace, target), '---'] : [];
  return hoverOf(resource, at, [...reference, header, body, link].filter((s) => s !== '').join('\n\n'));
}

function hoverOf(resource: ResourceDocument, at: NodeAt, markdown: string): HoverResult {
  const [start, end] = resource.rangeOf(at.node) ?? [resource.base, resource.base];
  return { markdown, start, end };
}

/** At most this many workloads or servers are listed. */
const LIST_LIMIT = 10;

function referenceMarkdown(index: WorkspaceIndex, target: Target): string {
  if (target.type === 'subset') return subsetMarkdown(index, target);
  if (target.type === 'host') return hostMarkdown(index, target);
  return gatewayMarkdown(index, target);
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
