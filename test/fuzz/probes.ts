// Sends a recipe's request(s) and checks the answers; the traffic preview's follow-ups (simulate,
// setWeight) come from the view it returns.
import type { SimulatedRequest } from '../../shared/protocol';
import type { Position, Range, WorkspaceEdit } from './checks';
import { codeActionOutcome, followAction, resolveStale } from './actions';
import { answerFindings, ask, completionFindings, editOutcome, locationFindings, rangeFinding, renameRetypes, symbolFindings, type SymbolNode } from './answers';
import type { Finding } from './failures';
import { paramsOf, type Action, type DocContext, type Outcome, type Recipe } from './recipes';

type View = { hosts: string[]; gateways: string[]; range: Range; routes: { range: Range; destinations: { range: Range }[] }[] };

function trafficOutcome(ctx: DocContext, r: Recipe & { pos: Position }, view: View | undefined): Outcome {
  if (!view) return { findings: [], warnings: [], followUps: [] };
  const ranges = [view.range, ...view.routes.flatMap((route) => [route.range, ...route.destinations.map((d) => d.range)])];
  const findings = ranges.flatMap((range) => rangeFinding(ctx.map, range, r.method, 'traffic view range')).slice(0, 1);
  const request = plausibleRequest(ctx.text, view, ctx.map.lineCount);
  const followUps: Recipe[] = [{ method: 'istio/simulate', pos: r.pos, request }];
  const destinations = view.routes.flatMap((route) => route.destinations);
  destinations.forEach((d, i) => {
    if (i % 3 === ctx.map.lineCount % 3) followUps.push({ method: 'istio/setWeight', pos: d.range.start, weight: [0, 10, 50, 100, 33, 150, -1][(i + ctx.map.lineCount) % 7] });
  });
  return { findings, warnings: [], followUps };
}

/** A request the VirtualService could see: one of its hosts, a path and headers its matches name. */
export function plausibleRequest(text: string, view: View, salt: number): SimulatedRequest {
  const pick = <T>(xs: T[], fallback: T) => (xs.length ? xs[salt % xs.length] : fallback);
  const paths = [...text.matchAll(/(?:prefix|exact):\s*["']?(\/[^"'\s]*)/g)].map((m) => m[1]);
  const headers = [...text.matchAll(/headers:\s*\n\s+([\w-]+):\s*\n\s+(?:exact|prefix):\s*["']?([^"'\s]+)/g)].map((m) => [m[1], m[2]] as const);
  const header = pick(headers, ['x-user', 'jason'] as const);
  return {
    authority: pick(
      view.hosts.map((h) => h.replace(/^\*/, 'x')),
      'unknown.example.com',
    ),
    path: pick(paths, '/') + (salt % 2 ? 'extra' : ''),
    method: ['GET', 'POST', 'DELETE'][salt % 3],
    headers: salt % 4 === 0 ? {} : { [header[0]]: header[1] },
    ...(salt % 5 === 0 ? { port: 9080 } : {}),
    ...(salt % 3 === 0 ? { gateway: pick(view.gateways, 'mesh') } : {}),
    ...(salt % 2 === 0 ? { sourceLabels: { app: 'productpage', version: 'v1' }, sourceNamespace: 'shop' } : {}),
  };
}

/** Sends the recipe's request(s) and checks the answers. */
export async function runRecipe(ctx: DocContext, r: Recipe): Promise<Outcome> {
  if (r.method === 'diagnostics') return { findings: [], warnings: [], followUps: [] };
  if (r.method === 'codeAction/resolve (stale)') return resolveStale(ctx, r.action);
  if (r.method === 'codeAction/resolve' || r.method === 'istio/refactor') return followAction(ctx, r);
  const answer = await ask(ctx, r.method, paramsOf(ctx, r));
  const findings = answerFindings(r, answer, ctx);
  const result = answer.message?.error ? undefined : answer.message?.result;
  const done = (more: Finding[] = []): Outcome => ({ findings: [...findings, ...more], warnings: [], followUps: [], result });
  switch (r.method) {
    case 'textDocument/completion':
      return done(completionFindings(ctx, r.pos, result, r.method));
    case 'textDocument/hover':
      return done(result?.range ? rangeFinding(ctx.map, result.range, r.method, 'hover range') : []);
    case 'textDocument/documentSymbol':
      return done(symbolFindings(ctx.map, (result ?? []) as SymbolNode[], r.method));
    case 'textDocument/definition':
    case 'textDocument/references':
    case 'workspace/symbol':
      return done(locationFindings(ctx, r.method === 'workspace/symbol' ? ((result ?? []) as { location: unknown }[]).map((s) => s.location) : result, r.method));
    case 'textDocument/prepareRename':
      return done(result ? rangeFinding(ctx.map, result.range ?? result, r.method, 'rename range') : []);
    case 'textDocument/rename': {
      const edits: { label: string; edit: WorkspaceEdit }[] = [];
      return { ...done([...editOutcome(ctx, result ?? undefined, true, r.method, undefined, edits), ...renameRetypes(ctx, result, r.newName)]), edits };
    }
    case 'textDocument/codeAction': {
      const outcome = codeActionOutcome(ctx, r, (result ?? []) as Action[]);
      return { ...outcome, findings: [...findings, ...outcome.findings] };
    }
    case 'textDocument/codeLens': {
      const lenses = (result ?? []) as { range: Range; command?: { arguments?: unknown[] } }[];
      const follow = lenses.slice(0, 2).flatMap((l): Recipe[] => (l.command?.arguments?.[1] ? [{ method: 'istio/trafficModel', pos: l.command.arguments[1] as Position, lens: true }] : []));
      return { findings: [...findings, ...lenses.flatMap((l) => rangeFinding(ctx.map, l.range, r.method, 'code lens range'))], warnings: [], followUps: follow };
    }
    case 'istio/trafficModel': {
      const outcome = trafficOutcome(ctx, r, result?.view as View | undefined);
      if (r.lens && result && !result.view && !result.problems?.length)
        outcome.findings.push({ kind: 'lens-without-view', method: r.method, detail: `the "Preview traffic" lens at ${JSON.stringify(r.pos)} gets neither a view nor problems` });
      return { ...outcome, findings: [...findings, ...outcome.findings] };
    }
    case 'istio/setWeight': {
      const edits: { label: string; edit: WorkspaceEdit }[] = [];
      return { ...done(editOutcome(ctx, result?.edit, true, r.method, undefined, edits)), edits };
    }
    default:
      return done();
  }
}
