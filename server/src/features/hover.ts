// Hover: the field's description, type, allowed values, CEL rules and a reference link.
import { isScalar } from 'yaml';
import { resourceAt } from '../model/fileModel';
import type { FeatureContext } from './context';
import { fieldDocsUrl } from '../schema/docLinks';
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
  if (!resource?.isIstio || !resource.group || !resource.version || !resource.kind) return undefined;
  const kindSchema = ctx.schemas.schemaFor(ctx.settings.istioVersion, resource.group, resource.version, resource.kind);
  if (!kindSchema || !at || !isScalar(at.node) || at.path.length === 0) return undefined;
  const schema = schemaAtPath(kindSchema.root, at.path);
  if (!schema) return undefined;
  const field = [...at.path].reverse().find((p) => typeof p === 'string') as string;
  const header = `**${field}** \`${typeLabel(schema)}\` · ${resource.kind} (${resource.apiVersion})`;
  const body = fieldMarkdown(schema, { rules: true });
  const url = fieldDocsUrl(resource.kind, kindSchema.docs, at.path);
  const link = url ? `[Istio reference: ${resource.kind}](${url})` : '';
  return hoverOf(resource, at, [header, body, link].filter((s) => s !== '').join('\n\n'));
}

function hoverOf(resource: ResourceDocument, at: NodeAt, markdown: string): HoverResult {
  const [start, end] = resource.rangeOf(at.node) ?? [resource.base, resource.base];
  return { markdown, start, end };
}
