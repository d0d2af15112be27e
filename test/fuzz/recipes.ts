// The requests fired at each document, as data (a Recipe), so that a failure can be replayed on a
// reduced input: their parameters, and how their positions follow a reduction.
import type { Position, Range, WorkspaceEdit, LineMap } from './checks';
import type { Finding } from './finding';
import type { ServerSession } from './harness';
import type { SimulatedRequest } from '../../shared/protocol';

/** How a code action request picks the diagnostics of its context. */
export type DiagnosticPick = 'overlapping' | 'all' | 'none' | 'stale' | 'mangled';

export type Recipe =
  | { method: 'diagnostics' }
  | { method: 'textDocument/completion'; pos: Position; trigger: boolean }
  | { method: 'textDocument/hover' | 'textDocument/definition' | 'textDocument/prepareRename'; pos: Position }
  /** `lens`: the position of a "Preview traffic" lens, where a view (or the syntax problems) must come. */
  | { method: 'istio/trafficModel'; pos: Position; lens?: boolean }
  /** An action kept from the previous version of the document, resolved after the change. */
  | { method: 'codeAction/resolve (stale)'; action: Action }
  | { method: 'textDocument/references'; pos: Position; includeDeclaration: boolean }
  | { method: 'textDocument/rename'; pos: Position; newName: string }
  | { method: 'textDocument/documentSymbol' | 'textDocument/codeLens' }
  | { method: 'workspace/symbol'; query: string }
  | { method: 'textDocument/codeAction'; range: Range; pick: DiagnosticPick; only?: string[] }
  /** Re-asks for the code actions and resolves (or runs through istio/refactor) the one of this kind. */
  | { method: 'codeAction/resolve' | 'istio/refactor'; range: Range; pick: DiagnosticPick; only?: string[]; action: string }
  | { method: 'istio/simulate'; pos: Position; request: SimulatedRequest }
  | { method: 'istio/setWeight'; pos: Position; weight: number };

export interface Diagnostic {
  range: Range;
  code?: string | number;
  source?: string;
  message: string;
  severity?: number;
  data?: unknown;
}

export interface DocContext {
  session: ServerSession;
  uri: string;
  text: string;
  map: LineMap;
  diagnostics: Diagnostic[];
  /** The diagnostics of the previous version (what an editor may still send with a code action). */
  stale: Diagnostic[];
  /** Texts of the other open documents and of files on disk. */
  textOf(uri: string): string | undefined;
}

export interface Outcome {
  findings: Finding[];
  /** Softer observations (an offered refactoring that refuses its own defaults): reported, not failed. */
  warnings: Finding[];
  /** Requests the answer suggests (resolve this action, simulate on this VirtualService...). */
  followUps: Recipe[];
  /** The answer's result (the runner reads prepareRename's). */
  result?: unknown;
  /** Edits that passed every check, which the user may accept (the next step applies one). */
  edits?: { label: string; edit: WorkspaceEdit }[];
  /** Code actions to resolve lazily (kept for a resolve after the next change). */
  lazy?: Action[];
}

export type Action = { title: string; kind?: string; edit?: WorkspaceEdit; data?: unknown; command?: { command: string; arguments?: unknown[] }; diagnostics?: Diagnostic[] };

const MANGLED: unknown[] = [null, {}, 'junk', 42, [], { fields: 7 }, { suggestions: [null] }];

function overlaps(a: Range, b: Range): boolean {
  const le = (x: Position, y: Position) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return le(a.start, b.end) && le(b.start, a.end);
}

function contextDiagnostics(ctx: DocContext, range: Range, pick: DiagnosticPick): Diagnostic[] {
  if (pick === 'none') return [];
  if (pick === 'all') return ctx.diagnostics;
  if (pick === 'stale') return ctx.stale.filter((d) => overlaps(d.range, range));
  const near = ctx.diagnostics.filter((d) => overlaps(d.range, range));
  return pick === 'mangled' ? near.map((d, i) => ({ ...d, data: MANGLED[i % MANGLED.length] })) : near;
}

export function paramsOf(ctx: DocContext, r: Recipe): unknown {
  const textDocument = { uri: ctx.uri };
  switch (r.method) {
    case 'diagnostics':
      return undefined;
    case 'codeAction/resolve (stale)':
      return r.action;
    case 'textDocument/completion':
      return { textDocument, position: r.pos, context: r.trigger ? { triggerKind: 2, triggerCharacter: ':' } : { triggerKind: 1 } };
    case 'textDocument/references':
      return { textDocument, position: r.pos, context: { includeDeclaration: r.includeDeclaration } };
    case 'textDocument/rename':
      return { textDocument, position: r.pos, newName: r.newName };
    case 'textDocument/documentSymbol':
    case 'textDocument/codeLens':
      return { textDocument };
    case 'workspace/symbol':
      return { query: r.query };
    case 'textDocument/codeAction':
    case 'codeAction/resolve':
    case 'istio/refactor':
      return { textDocument, range: r.range, context: { diagnostics: contextDiagnostics(ctx, r.range, r.pick), ...(r.only ? { only: r.only } : {}), triggerKind: 1 } };
    case 'istio/trafficModel':
      return { uri: ctx.uri, position: r.pos };
    case 'istio/simulate':
      return { uri: ctx.uri, position: r.pos, request: r.request };
    case 'istio/setWeight':
      return { uri: ctx.uri, position: r.pos, weight: r.weight };
    default:
      return { textDocument, position: r.pos };
  }
}

/** Recipes whose positions follow a reduction that kept only `kept` (original line numbers, ascending). */
export function remapRecipe(r: Recipe, kept: number[], total: number): Recipe | undefined {
  const mapPos = (p: Position): Position | undefined => {
    // A position past the last line stays as far past the new last line.
    if (p.line >= total) return { line: kept.length + p.line - total, character: p.character };
    const line = kept.indexOf(p.line);
    return line === -1 ? undefined : { line, character: p.character };
  };
  const out = { ...r } as Recipe & { pos?: Position; range?: Range };
  if ('pos' in r) {
    const pos = mapPos(r.pos);
    if (!pos) return undefined;
    out.pos = pos;
  }
  if ('range' in r) {
    const start = mapPos(r.range.start);
    const end = mapPos(r.range.end);
    if (!start || !end) return undefined;
    out.range = { start, end };
  }
  return out;
}

/** The lines a recipe points at, which a reduction must keep. */
export function anchorLines(r: Recipe): number[] {
  if ('pos' in r) return [r.pos.line];
  if ('range' in r) return [r.range.start.line, r.range.end.line];
  return [];
}
