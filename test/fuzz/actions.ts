// Code actions: every edit offered checked, lazily resolved ones resolved, refactorings with
// questions run through istio/refactor with the questions' defaults.
import type { RefactorCommandArgs } from '../../shared/protocol';
import type { WorkspaceEdit } from './checks';
import type { Finding } from './failures';
import type { Message } from './harness';
import { answerFindings, ask, editOutcome } from './answers';
import { paramsOf, type Action, type DocContext, type Outcome, type Recipe } from './recipes';

/** Subject of a code action for grouping: the refactoring kind, or the quick fix's diagnostic code and title shape. */
function actionSubject(a: Action): string {
  if (a.kind && a.kind !== 'quickfix') return a.kind;
  const code = a.diagnostics?.[0]?.code;
  // The title's shape: names and values replaced, so one fix on many documents is one cause.
  const shape = a.title
    .replace(/'[^']*'|"[^"]*"/g, "'…'")
    .replace(/\b(DestinationRule|VirtualService|Gateway|ServiceEntry|subsets?|to|in|from) [\w.*/-]+(?:, [\w.*/-]+)*( \([\w.-]+\))?/g, '$1 …')
    .replace(/\S{25,}/g, '…');
  return `quickfix ${code ?? ''} ${shape}`.trim();
}

export function codeActionOutcome(ctx: DocContext, r: Extract<Recipe, { method: 'textDocument/codeAction' }>, actions: Action[]): Outcome {
  const findings: Finding[] = [];
  const followUps: Recipe[] = [];
  const edits: { label: string; edit: WorkspaceEdit }[] = [];
  for (const a of actions ?? []) {
    if (typeof a.title !== 'string' || !a.title) findings.push({ kind: 'bad-action', method: r.method, detail: `an action without a title: ${JSON.stringify(a).slice(0, 200)}` });
    findings.push(...editOutcome(ctx, a.edit, r.pick !== 'stale' && r.pick !== 'mangled', r.method, actionSubject(a), edits));
    const base = { range: r.range, pick: r.pick, only: r.only };
    if (a.data && a.kind) followUps.push({ method: 'codeAction/resolve', ...base, action: a.kind });
    const args = a.command?.command === 'istio.refactor' ? (a.command.arguments?.[0] as RefactorCommandArgs | undefined) : undefined;
    if (args) followUps.push({ method: 'istio/refactor', ...base, action: args.id });
  }
  return { findings, warnings: [], followUps, edits, lazy: (actions ?? []).filter((a) => a.data) };
}

export async function followAction(ctx: DocContext, r: Extract<Recipe, { method: 'codeAction/resolve' | 'istio/refactor' }>): Promise<Outcome> {
  const listing = await ask(ctx, 'textDocument/codeAction', paramsOf(ctx, r));
  const actions = (listing.message?.result ?? []) as Action[];
  const none: Outcome = { findings: answerFindings({ ...r, method: 'textDocument/codeAction' }, listing, ctx), warnings: [], followUps: [] };
  if (r.method === 'codeAction/resolve') {
    const action = actions.find((a) => a.data && a.kind === r.action);
    if (!action) return none;
    const since = ctx.session.notificationCount;
    const answer = await ask(ctx, 'codeAction/resolve', action);
    const findings = [...none.findings, ...answerFindings(r, answer, ctx, r.action)];
    const resolved = answer.message?.result as Action | undefined;
    const edits: { label: string; edit: WorkspaceEdit }[] = [];
    findings.push(...editOutcome(ctx, resolved?.edit, r.pick !== 'stale', r.method, r.action, edits));
    const refusal = ctx.session.notificationsSince(since).find((m: Message) => m.method === 'window/showMessage' || m.method === 'window/showMessageRequest');
    const warnings = refusal ? [{ kind: 'offered-but-refused', method: r.method, subject: r.action, detail: String(refusal.params.message) }] : [];
    if (resolved && !resolved.edit && !refusal && !answer.message?.error)
      findings.push({ kind: 'resolve-without-edit', method: r.method, subject: r.action, detail: `resolving "${action.title}" gave neither an edit nor a message` });
    return { findings, warnings, followUps: [], edits };
  }
  const args = actions.map((a) => a.command?.command === 'istio.refactor' && (a.command.arguments?.[0] as RefactorCommandArgs)).find((a) => a && a.id === r.action);
  if (!args) return none;
  const answers = Object.fromEntries((args.questions ?? []).map((q) => [q.name, q.default]));
  const answer = await ask(ctx, 'istio/refactor', { uri: args.uri, position: args.position, id: args.id, answers });
  const findings = [...none.findings, ...answerFindings(r, answer, ctx, r.action)];
  const result = answer.message?.result as { edit?: WorkspaceEdit; error?: string } | undefined;
  const edits: { label: string; edit: WorkspaceEdit }[] = [];
  findings.push(...editOutcome(ctx, result?.edit, r.pick !== 'stale', r.method, r.action, edits));
  const warnings = result?.error ? [{ kind: 'offered-but-refused', method: r.method, subject: r.action, detail: `${result.error} (answers: ${JSON.stringify(answers)})` }] : [];
  return { findings, warnings, followUps: [], edits };
}

/** An action offered on the previous version, picked after the change: an edit in range, or a refusal, never an error. */
export async function resolveStale(ctx: DocContext, action: Action): Promise<Outcome> {
  const answer = await ask(ctx, 'codeAction/resolve', action);
  const findings = answerFindings({ method: 'codeAction/resolve (stale)', action }, answer, ctx, action.kind);
  const resolved = answer.message?.result as Action | undefined;
  findings.push(...editOutcome(ctx, resolved?.edit, false, 'codeAction/resolve (stale)', action.kind, []));
  return { findings, warnings: [], followUps: [] };
}
