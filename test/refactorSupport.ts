// Runs refactorings over an in-memory workspace: files by name, a caret `|` in one of them.
import { applyRefactoring, offerRefactorings } from '../server/src/features/refactor';
import type { Edit } from '../server/src/edit/textEdits';
import { caret, contextWith, wsUri } from './support';

export type Files = Record<string, string>;
export { wsUri };

export function applyEdits(files: Files, edits: Edit[]): Files {
  const out = { ...files };
  const byFile = new Map<string, Edit[]>();
  for (const e of edits) byFile.set(e.uri, [...(byFile.get(e.uri) ?? []), e]);
  for (const [u, list] of byFile) {
    const name = u.replace('file:///ws/', '');
    if (out[name] === undefined) throw new Error(`edit of unknown file ${u}`);
    for (const e of [...list].sort((a, b) => b.start - a.start)) out[name] = out[name].slice(0, e.start) + e.newText + out[name].slice(e.end);
  }
  return out;
}

/** The feature context over the files, and the caret of `target` (whose text holds a `|`) as its uri and offset. */
export function contextAt(filesWithCaret: Files, target: string, istioVersion = '1.30') {
  const { text, offset } = caret(filesWithCaret[target]);
  const files = { ...filesWithCaret, [target]: text };
  return { ctx: contextWith(files, { istioVersion, validate: true }), uri: wsUri(target), offset, files };
}

export function offered(filesWithCaret: Files, target: string): string[] {
  const { ctx, uri, offset } = contextAt(filesWithCaret, target);
  return offerRefactorings(ctx, uri, offset).map((r) => r.id);
}

/** Applies refactoring `id` at the caret; returns the files after the edit. */
export function refactor(filesWithCaret: Files, target: string, id: string, values: Record<string, string> = {}): Files {
  const { ctx, uri, offset, files } = contextAt(filesWithCaret, target);
  const result = applyRefactoring(ctx, uri, offset, id, values);
  if (typeof result === 'string') throw new Error(result);
  return applyEdits(files, result);
}

/** The refactoring `id` as offered at the caret (title and questions), or undefined. */
export function offerAt(filesWithCaret: Files, target: string, id: string) {
  const { ctx, uri, offset } = contextAt(filesWithCaret, target);
  return offerRefactorings(ctx, uri, offset).find((r) => r.id === id);
}
