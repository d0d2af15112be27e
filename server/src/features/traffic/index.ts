// The traffic preview's three questions about the VirtualService at an offset: its model, where a
// request lands, and the edit that changes a weight.
import type { SimulatedRequest, SimulateResult } from '../../../../shared/protocol';
import { plainValue } from '../../model/plain';
import type { WorkspaceIndex } from '../../workspace/index';
import { rebalanceWeights } from '../../edit/routeEdits';
import { editTargetAt } from '../../edit/target';
import type { FeatureContext } from '../context';
import type { Edit } from '../../edit/textEdits';
import { trafficModel, type TrafficModel } from './model';
import { simulate } from './simulate';

export type { TrafficModel } from './model';
export { withProblems } from './problems';

function virtualServiceAt(index: WorkspaceIndex, uri: string, offset: number) {
  const entry = index.entryAt(uri, offset);
  return entry?.info.virtualService ? entry : undefined;
}

/** The model, or none; `problems` are the document's syntax errors (the preview keeps its last good state). */
export function trafficAt(ctx: FeatureContext, uri: string, offset: number): { model?: TrafficModel; problems: string[] } {
  const index = ctx.workspace;
  const entry = index.entryAt(uri, offset);
  if (!entry) return { problems: [] };
  const problems = entry.resource.syntax.filter((s) => !s.warning).map((s) => s.message.split('\n')[0]);
  if (problems.length > 0 || !entry.info.virtualService) return { problems };
  const plain = plainValue(entry.resource.doc);
  if ('error' in plain) return { problems: [`The VirtualService cannot be read: ${plain.error}`] };
  return { model: trafficModel(index, entry), problems };
}

export function simulateAt(ctx: FeatureContext, uri: string, offset: number, request: SimulatedRequest): SimulateResult {
  const entry = virtualServiceAt(ctx.workspace, uri, offset);
  if (!entry) return { summary: 'No VirtualService here', verdicts: [] };
  const plain = plainValue(entry.resource.doc);
  if ('error' in plain) return { summary: `The VirtualService cannot be read: ${plain.error}`, verdicts: [] };
  const spec = (plain.value as { spec?: Record<string, unknown> } | null)?.spec;
  return simulate(spec ?? {}, request);
}

/** Sets the weight of the destination at `offset` (inside its list item); the others keep the total at 100. */
export function setWeightAt(ctx: FeatureContext, uri: string, offset: number, weight: number): Edit[] | string {
  const text = ctx.text(uri);
  if (text === undefined) return 'The document is not open';
  // The weight comes from the webview: refuse anything that would make the rebalance compute with NaN.
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100) return `'${String(weight)}' is not a weight from 0 to 100`;
  const target = editTargetAt(ctx.workspace, uri, text, offset);
  const focused = target?.route?.focused;
  if (!target || !focused) return 'No route destination here';
  return rebalanceWeights(target, focused.index, weight);
}
