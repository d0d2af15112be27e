// Properties of what the server returns: ranges inside their documents, edits that do not overlap,
// and edited text that still parses and keeps every comment.
import { parseAllDocuments } from 'yaml';
import type { Position, Range } from '../../shared/protocol';
import { addedError } from './semantics';

export type { Position, Range };
export interface TextEdit {
  range: Range;
  newText: string;
}
export interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: ({ textDocument: { uri: string }; edits: TextEdit[] } | { kind: string; uri: string })[];
}

/** A broken property: `kind` groups failures (with the request), `detail` says what exactly. */
export interface Violation {
  kind: string;
  detail: string;
}

/** Line starts as LSP counts lines (\r\n, \r and \n end a line), and each line's length without its end. */
export class LineMap {
  readonly starts: number[] = [0];
  readonly lengths: number[] = [];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\r' && ch !== '\n') continue;
      this.lengths.push(i - this.starts[this.starts.length - 1]);
      if (ch === '\r' && text[i + 1] === '\n') i++;
      this.starts.push(i + 1);
    }
    this.lengths.push(text.length - this.starts[this.starts.length - 1]);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  valid(p: Position): boolean {
    return Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < this.lineCount && p.character >= 0 && p.character <= this.lengths[p.line];
  }

  offset(p: Position): number {
    return this.starts[p.line] + p.character;
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(offset - this.starts[lo], this.lengths[lo]) };
  }
}

const show = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** Why the range is not a range of the text, if it is not. */
export function rangeProblem(map: LineMap, r: Range | undefined): string | undefined {
  if (!r || !r.start || !r.end) return 'missing range';
  if (!map.valid(r.start) || !map.valid(r.end)) return `range ${show(r)} outside the document (${map.lineCount} lines)`;
  if (!before(r.start, r.end)) return `range ${show(r)} ends before it starts`;
  return undefined;
}

export function contains(outer: Range, inner: Range): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

const parsed = new Map<string, { ok: boolean; error?: string }>();

/** Whether the `yaml` package parses every document without an error (cached: inputs are re-checked per edit). */
export function parses(text: string): { ok: boolean; error?: string } {
  let result = parsed.get(text);
  if (!result) {
    result = parseUncached(text);
    if (parsed.size > 16) parsed.delete(parsed.keys().next().value!);
    parsed.set(text, result);
  }
  return result;
}

function parseUncached(text: string): { ok: boolean; error?: string } {
  try {
    const errors = parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : []));
    return errors.length === 0 ? { ok: true } : { ok: false, error: errors[0].message.split('\n')[0] };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}

/** Whole-line comments, trimmed, with their counts. */
function commentLines(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    const t = line.trim();
    if (t.startsWith('#')) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

/** Applies non-overlapping edits (inserts at one position keep their order, as LSP says). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const map = new LineMap(text);
  const spans = edits.map((e, i) => ({ start: map.offset(e.range.start), end: map.offset(e.range.end), text: e.newText, i }));
  spans.sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.text;
    at = Math.max(at, s.end);
  }
  return out + text.slice(at);
}

/** Checks the edits of one document; returns the edited text when they could be applied. */
export function checkDocumentEdits(uri: string, text: string, edits: TextEdit[], strict: boolean): { violations: Violation[]; result?: string } {
  const map = new LineMap(text);
  const violations: Violation[] = [];
  for (const e of edits) {
    const problem = rangeProblem(map, e?.range);
    if (problem) violations.push({ kind: 'edit-out-of-range', detail: `${uri}: ${problem}` });
    else if (typeof e.newText !== 'string') violations.push({ kind: 'edit-out-of-range', detail: `${uri}: newText is not a string` });
  }
  if (violations.length) return { violations };
  const sorted = edits.map((e) => ({ s: map.offset(e.range.start), e: map.offset(e.range.end), r: e.range })).sort((a, b) => a.s - b.s || a.e - b.e);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].s < sorted[i - 1].e) violations.push({ kind: 'edit-overlap', detail: `${uri}: ${show(sorted[i - 1].r)} overlaps ${show(sorted[i].r)}` });
  }
  if (violations.length) return { violations };
  const result = applyEdits(text, edits);
  if (!strict) return { violations, result };
  if (parses(text).ok) {
    const after = parses(result);
    if (!after.ok) violations.push({ kind: 'edit-breaks-yaml', detail: `${uri}: ${after.error}\nedits: ${JSON.stringify(edits).slice(0, 1500)}` });
  }
  const added = violations.length === 0 && parses(text).ok ? addedError(text, result) : undefined;
  if (added) violations.push({ kind: 'edit-adds-error', detail: `${uri}: ${added}\nedits: ${JSON.stringify(edits).slice(0, 1500)}` });
  const kept = commentLines(result);
  for (const [comment, count] of commentLines(text)) {
    if ((kept.get(comment) ?? 0) < count) {
      violations.push({ kind: 'edit-drops-comment', detail: `${uri}: drops the comment ${JSON.stringify(comment)}\nedits: ${JSON.stringify(edits).slice(0, 1500)}` });
      break;
    }
  }
  return { violations, result };
}

/**
 * Checks a WorkspaceEdit against the texts the server edits (`textOf`: open documents, then files
 * on disk). `strict`: also require that parsing YAML stays parsing and comments stay.
 */
export function checkWorkspaceEdit(edit: WorkspaceEdit | null | undefined, textOf: (uri: string) => string | undefined, strict = true): Violation[] {
  if (!edit) return [];
  const perUri = new Map<string, TextEdit[]>();
  const created = new Set<string>();
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) perUri.set(uri, [...(perUri.get(uri) ?? []), ...edits]);
  for (const change of edit.documentChanges ?? []) {
    if ('edits' in change) perUri.set(change.textDocument.uri, [...(perUri.get(change.textDocument.uri) ?? []), ...change.edits]);
    else if (change.kind === 'create') created.add(change.uri);
  }
  const violations: Violation[] = [];
  for (const [uri, edits] of perUri) {
    const text = created.has(uri) ? '' : textOf(uri);
    if (text === undefined) {
      violations.push({ kind: 'edit-unknown-document', detail: `edits ${uri}, which is neither open nor on disk` });
      continue;
    }
    violations.push(...checkDocumentEdits(uri, text, edits, strict).violations);
  }
  return violations;
}
