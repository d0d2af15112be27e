// Hover: the field's description, type, allowed values, CEL rules and a reference link.
import { isScalar } from 'yaml';
import { resourceAt } from '../model/fileModel';
import type { FeatureContext } from './context';
import { fieldDocsUrl } from '../schema/docLinks';
import { fieldMarkdown, typeLabel } from '../schema/docs';
import { nodeAt, schemaAtPath } from '../schema/yamlPath';

export interface HoverResult {
  markdown: string;
  /** File offsets of the hovered key or value. */
  start: number;
  end: number;
}

export function hover(ctx: FeatureContext, uri: string, offset: number): HoverResult | undefined {
  const model = ctx.model(uri);
  const resource = model && resourceAt(model, offset);
  if (!resource?.isIstio || !resource.group || !resource.version || !resource.kind) return undefined;
  const kindSchema = ctx.schemas.schemaFor(ctx.settings.istioVersion, resource.group, resource.version, resource.kind);
  const at = nodeAt(resource.doc, resource.docOffset(offset));
  if (!kindSchema || !at || !isScalar(at.node) || at.path.length === 0) return undefined;
  const schema = schemaAtPath(kindSchema.root, at.path);
  if (!schema) return undefined;
  const field = [...at.path].reverse().find((p) => typeof p === 'string') as string;
  const header = `**${field}** \`${typeLabel(schema)}\` · ${resource.kind} (${resource.apiVersion})`;
  const body = fieldMarkdown(schema, { rules: true });
  const url = fieldDocsUrl(resource.kind, kindSchema.docs, at.path);
  const link = url ? `[Istio reference: ${resource.kind}](${url})` : '';
  const [start, end] = resource.rangeOf(at.node) ?? [resource.base, resource.base];
  return {
    markdown: [header, body, link].filter((s) => s !== '').join('\n\n'),
    start,
    end,
  };
}
