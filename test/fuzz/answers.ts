// The properties every answer must have: no error (but documented refusals), no slowness, no error
// logged, ranges inside their documents, edits that apply cleanly.
import { parse } from 'yaml';
import { checkWorkspaceEdit, contains, LineMap, rangeProblem, type Position, type Range, type Violation, type WorkspaceEdit } from './checks';
import type { Finding } from './failures';
import type { Answer } from './harness';
import type { DocContext, Recipe } from './recipes';

export const SLOW_MS = 1000;

/** Per request method: how many were sent, how many had a non-empty answer, the slowest (ms). */
export type Stats = Map<string, { sent: number; useful: number; maxMs: number }>;

export const stats: Stats = new Map();

function count(method: string, answer: Answer): void {
  const entry = stats.get(method) ?? { sent: 0, useful: 0, maxMs: 0 };
  const result = answer.message?.result;
  entry.sent++;
  const empty =
    !result ||
    (Array.isArray(result) && result.length === 0) ||
    (typeof result === 'object' && ('error' in result || ('items' in result && !result.items.length) || ('problems' in result && !result.view) || ('verdicts' in result && !result.verdicts.length)));
  if (!empty) entry.useful++;
  entry.maxMs = Math.max(entry.maxMs, answer.ms);
  stats.set(method, entry);
}

/** Error responses that are documented answers, not failures. */
export function refusalAllowed(r: Recipe, error: { code: number }): boolean {
  const invalidParams = error.code === -32602;
  if (r.method === 'textDocument/rename') return invalidParams; // a refused name or nothing renameable: shown to the user
  if (r.method === 'istio/setWeight') return invalidParams && (r.weight < 0 || r.weight > 100 || !Number.isInteger(r.weight));
  if (r.method === 'textDocument/codeAction') return invalidParams && r.pick === 'mangled'; // Diagnostic.data validated at the edge
  return false;
}

/**
 * Sends a request; a slow answer is asked again, so that a load spike of the shared machine (other
 * tests, other work) is told apart from a request that is slow on this input.
 */
export async function ask(ctx: DocContext, method: string, params: unknown): Promise<Answer & { firstMs?: number }> {
  const first = await ctx.session.request(method, params);
  if (!first.message || first.ms <= SLOW_MS) return first;
  const again = await ctx.session.request(method, params);
  const logs = [...first.logs, ...again.logs];
  return again.message && again.ms <= SLOW_MS ? { ...first, logs, ms: again.ms, firstMs: first.ms } : { ...first, logs, ms: Math.min(first.ms, again.ms) };
}

/** The findings every answer can have: no answer, an error, slowness, error logs. */
export function answerFindings(r: Recipe, answer: Answer & { firstMs?: number }, ctx: DocContext, subject?: string): Finding[] {
  const method = r.method;
  count(method, answer);
  const out: Finding[] = [];
  if (!answer.message) {
    const stderr = ctx.session.client.stderr.slice(-2000);
    out.push(ctx.session.alive ? { kind: 'hang', method, subject, detail: `no answer within the deadline` } : { kind: 'server-exit', method, subject, detail: stderr || 'the server exited' });
  } else if (answer.message.error && !refusalAllowed(r, answer.message.error)) {
    out.push({ kind: 'error-response', method, subject, detail: `${answer.message.error.code}: ${answer.message.error.message}` });
  }
  if (answer.message && answer.ms > SLOW_MS)
    out.push({ kind: 'slow-request', method, subject, detail: `${Math.round(answer.ms)} ms, asked twice, on ${ctx.map.lineCount} lines (${ctx.text.length} characters)` });
  else if (answer.firstMs !== undefined) out.push({ kind: 'slowish-request', method, subject, detail: `${Math.round(answer.firstMs)} ms, then ${Math.round(answer.ms)} ms when asked again` });
  else if (answer.message && answer.ms > SLOW_MS / 2)
    out.push({ kind: 'slowish-request', method, subject, detail: `${Math.round(answer.ms)} ms (over half the limit) on ${ctx.map.lineCount} lines (${ctx.text.length} characters)` });
  for (const log of answer.logs) out.push({ kind: log.startsWith('stderr:') ? 'stderr' : 'error-log', method, subject, detail: log });
  return out;
}

export const fromViolations = (vs: Violation[], method: string, subject?: string): Finding[] => vs.map((v) => ({ kind: v.kind, method, subject, detail: v.detail }));

export const editTexts = (ctx: DocContext) => (uri: string) => (uri === ctx.uri ? ctx.text : ctx.textOf(uri));

/** Checks an edit; a clean one is offered for acceptance. */
export function editOutcome(
  ctx: DocContext,
  edit: WorkspaceEdit | undefined,
  strict: boolean,
  method: string,
  subject: string | undefined,
  edits: { label: string; edit: WorkspaceEdit }[],
): Finding[] {
  if (!edit) return [];
  const found = fromViolations(checkWorkspaceEdit(edit, editTexts(ctx), strict), method, subject);
  if (found.length === 0 && strict) edits.push({ label: subject ?? method, edit });
  return found;
}

export function rangeFinding(map: LineMap | undefined, range: Range | undefined, method: string, what: string): Finding[] {
  if (!map) return [{ kind: 'bad-range', method, subject: what, detail: `${what} in a document that is neither open nor on disk` }];
  const problem = rangeProblem(map, range);
  return problem ? [{ kind: 'bad-range', method, subject: what, detail: `${what}: ${problem}` }] : [];
}

export function locationFindings(ctx: DocContext, locations: unknown, method: string): Finding[] {
  const list = (Array.isArray(locations) ? locations : locations ? [locations] : []) as { uri: string; range: Range }[];
  return list.flatMap((l) => {
    const text = l.uri === ctx.uri ? ctx.text : ctx.textOf(l.uri);
    return rangeFinding(text === undefined ? undefined : new LineMap(text), l.range, method, 'location');
  });
}

export type SymbolNode = { name: string; range: Range; selectionRange: Range; children?: SymbolNode[] };

export function symbolFindings(map: LineMap, symbols: SymbolNode[], method: string): Finding[] {
  return symbols.flatMap((s) => {
    const own = [...rangeFinding(map, s.range, method, 'symbol range'), ...rangeFinding(map, s.selectionRange, method, 'symbol selectionRange')];
    if (own.length === 0 && !contains(s.range, s.selectionRange))
      own.push({ kind: 'bad-range', method, subject: 'symbol selectionRange', detail: `selectionRange of ${JSON.stringify(s.name)} is not inside its range (VS Code rejects the outline)` });
    if (typeof s.name !== 'string' || s.name.trim() === '')
      own.push({ kind: 'bad-symbol', method, subject: 'empty name', detail: `a symbol with the name ${JSON.stringify(s.name)} (VS Code rejects the outline)` });
    return [...own, ...symbolFindings(map, s.children ?? [], method)];
  });
}

/** Why a snippet would not insert what it says (a `$` VS Code reads as a variable, an unclosed `${`). */
export function snippetProblem(snippet: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < snippet.length; i++) {
    const ch = snippet[i];
    if (ch === '\\') i++;
    else if (ch === '$' && snippet[i + 1] === '{') {
      if (!/^\$\{\d+(:|\||\})/.test(snippet.slice(i))) return `\${ that is not a tabstop or placeholder at ${i}`;
      depth++;
      i++;
    } else if (ch === '$' && !/\d/.test(snippet[i + 1] ?? '')) return `unescaped $ at ${i} (VS Code reads $${snippet.slice(i + 1, i + 8)}… as a variable)`;
    else if (ch === '}' && depth > 0) depth--;
  }
  return depth > 0 ? 'an unclosed ${' : undefined;
}

export function completionFindings(ctx: DocContext, pos: Position, result: unknown, method: string): Finding[] {
  const items = (Array.isArray(result) ? result : ((result as { items?: unknown[] } | null)?.items ?? [])) as {
    label: string;
    textEdit?: { range: Range; newText: string };
    insertTextFormat?: number;
  }[];
  for (const item of items) {
    const bad = item.insertTextFormat === 2 && item.textEdit ? snippetProblem(item.textEdit.newText) : undefined;
    if (bad) return [{ kind: 'bad-snippet', method, subject: 'completion snippet', detail: `item ${JSON.stringify(item.label)}: ${bad} in ${JSON.stringify(item.textEdit!.newText).slice(0, 300)}` }];
  }
  for (const item of items) {
    const range = item.textEdit?.range;
    if (!range) continue;
    const bad = rangeFinding(ctx.map, range, method, 'completion textEdit');
    if (bad.length) return bad;
    if (range.start.line !== range.end.line || (ctx.map.valid(pos) && !contains(range, { start: pos, end: pos }))) {
      return [
        {
          kind: 'bad-range',
          method,
          subject: 'completion textEdit',
          detail: `item ${JSON.stringify(item.label)}: range ${JSON.stringify(range)} is not one line containing the position ${JSON.stringify(pos)} (LSP requires it)`,
        },
      ];
    }
  }
  return [];
}

/** A rename must leave the name a string: `subset: null` or `subset: 1` unquoted is not the name "null" or "1". */
export function renameRetypes(ctx: DocContext, edit: WorkspaceEdit | null | undefined, newName: string): Finding[] {
  for (const [uri, edits] of Object.entries(edit?.changes ?? {})) {
    const text = uri === ctx.uri ? ctx.text : ctx.textOf(uri);
    if (text === undefined) continue;
    const map = new LineMap(text);
    for (const e of edits) {
      if (!map.valid(e.range.start) || /["']/.test(text[map.offset(e.range.start) - 1] ?? '')) continue;
      // The scalar as it reads after the edit: a `ns/` kept before the new name is part of it.
      const at = map.offset(e.range.start);
      let from = at;
      while (from > 0 && !/[\s[\],{}]/.test(text[from - 1])) from--;
      const prefix = text.slice(from, at);
      let read: unknown;
      try {
        read = (parse(`k: ${prefix}${e.newText}`) as { k?: unknown } | null)?.k;
      } catch {
        read = undefined;
      }
      if (read !== prefix + newName)
        return [
          {
            kind: 'rename-retypes-value',
            method: 'textDocument/rename',
            detail: `${uri}: the new name ${JSON.stringify(newName)} written as ${JSON.stringify(e.newText)} unquoted reads back as ${JSON.stringify(read)}`,
          },
        ];
    }
  }
  return [];
}
