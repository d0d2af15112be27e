// The traffic preview's three questions about the VirtualService, HTTPRoute or GRPCRoute at an
// offset: its model, where a request lands, and the edit that changes a weight.
import type { SimulatedRequest, SimulateResult } from '../../../../shared/protocol';
import { plainValue } from '../../model/plain';
import type { IndexedResource, WithFacts, WorkspaceIndex } from '../../workspace/index';
import { rebalanceBackendWeights, rebalanceWeights } from '../../edit/routeEdits';
import { editTargetAt } from '../../edit/target';
import type { FeatureContext } from '../context';
import type { Edit } from '../../edit/textEdits';
import { gatewayApiTrafficModel } from './gatewayApiModel';
import { simulateGatewayApiRoute } from './gatewayApiSimulate';
import { trafficModel, type TrafficModel } from './model';
import { simulate } from './simulate';

export type { TrafficModel } from './model';
export { withProblems } from './problems';

function virtualServiceAt(index: WorkspaceIndex, uri: string, offset: number) {
  const entry = index.entryAt(uri, offset);
  return entry?.info.virtualService ? entry : undefined;
}

/** The entry as an HTTPRoute or GRPCRoute, the Gateway API routes the preview draws. */
function previewedRoute(entry: IndexedResource | undefined): WithFacts<'gatewayApiRoute'> | undefined {
  const kind = entry?.info.gatewayApiRoute?.routeKind;
  return kind === 'HTTPRoute' || kind === 'GRPCRoute' ? (entry as WithFacts<'gatewayApiRoute'>) : undefined;
}

/** The model, or none; `problems` are the document's syntax errors (the preview keeps its last good state). */
export function trafficAt(ctx: FeatureContext, uri: string, offset: number): { model?: TrafficModel; problems: string[] } {
  const index = ctx.workspace;
  const entry = index.entryAt(uri, offset);
  if (!entry) return { problems: [] };
  const problems = entry.resource.syntax.filter((s) => !s.warning).map((s) => s.message.split('\n')[0]);
  const route = previewedRoute(entry);
  if (problems.length > 0 || (!entry.info.virtualService && !route)) return { problems };
  const plain = plainValue(entry.resource.doc);
  if ('error' in plain) return { problems: [`The ${entry.resource.kind ?? 'resource'} cannot be read: ${plain.error}`] };
  return { model: route ? gatewayApiTrafficModel(index, route) : trafficModel(index, entry), problems };
}

export function simulateAt(ctx: FeatureContext, uri: string, offset: number, request: SimulatedRequest): SimulateResult {
  const route = previewedRoute(ctx.workspace.entryAt(uri, offset));
  if (route) return simulateGatewayApiRoute(ctx.workspace, route, request);
  const entry = virtualServiceAt(ctx.workspace, uri, offset);
  if (!entry) return { summary: 'No VirtualService, HTTPRoute or GRPCRoute here', verdicts: [] };
  const plain = plainValue(entry.resource.doc);
  if ('error' in plain) return { summary: `The VirtualService cannot be read: ${plain.error}`, verdicts: [] };
  const spec = (plain.value as { spec?: Record<string, unknown> } | null)?.spec;
  return simulate(spec ?? {}, request);
}

/** Sets the weight of the destination (or backendRef) at `offset` (inside its list item); the others keep the total at 100. */
export function setWeightAt(ctx: FeatureContext, uri: string, offset: number, weight: number): Edit[] | string {
  const text = ctx.text(uri);
  if (text === undefined) return 'The document is not open';
  // The weight comes from the webview: refuse anything that would make the rebalance compute with NaN.
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100) return `'${String(weight)}' is not a weight from 0 to 100`;
  const target = editTargetAt(ctx.workspace, uri, text, offset);
  if (target && previewedRoute(target.entry)) return rebalanceBackendWeights(target, target.entry.resource.docOffset(offset), weight);
  const focused = target?.route?.focused;
  if (!target || !focused) return 'No route destination here';
  return rebalanceWeights(target, focused.index, weight);
}
