// What VS Code does with a completion item the server sent: re-indents its later lines by the
// cursor line's leading whitespace unless the item says InsertTextMode.asIs (SnippetSession.
// adjustWhitespace), replaces the item's range, and expands the snippet: placeholders at their
// defaults, a choice at its first option, the cursor at the first tab stop (else $0, else the end).
// Tests assert on the document after all of that, not on the text the server sent.
import { InsertTextFormat, InsertTextMode, type CompletionItem, type CompletionList, type TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionResult } from '../server/src/features/completion/entries';
import { toCompletionList } from '../server/src/lsp/convert';

export interface Accepted {
  text: string;
  /** Where the cursor is after acceptance (the first tab stop). */
  offset: number;
  item: CompletionItem;
}

/** The LSP list a client with (asIs) or without (VS Code's default re-indentation) InsertTextMode.asIs gets. */
export function lspList(text: string, result: CompletionResult, asIs: boolean): CompletionList {
  return toCompletionList(TextDocument.create('file:///t.yaml', 'yaml', 1, text), result, asIs);
}

/** Applies `label` of `list` to `text` as VS Code does. */
export function accept(text: string, list: CompletionList, label: string): Accepted {
  const item = list.items.find((i) => i.label === label);
  if (!item) throw new Error(`no item ${label} in ${list.items.map((i) => i.label).join(', ')}`);
  const edit = item.textEdit as TextEdit;
  const doc = TextDocument.create('file:///t.yaml', 'yaml', 1, text);
  const start = doc.offsetAt(edit.range.start);
  const end = doc.offsetAt(edit.range.end);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineIndent = /^[ \t]*/.exec(text.slice(lineStart, start))![0];
  const raw = item.insertTextMode === InsertTextMode.asIs ? edit.newText : edit.newText.replace(/\n/g, `\n${lineIndent}`);
  const { value, cursor } = item.insertTextFormat === InsertTextFormat.Snippet ? expand(raw) : { value: raw, cursor: raw.length };
  return { text: text.slice(0, start) + value + text.slice(end), offset: start + cursor, item };
}

/** A snippet with every placeholder at its default and the offset of its first tab stop. */
export function expand(snippet: string): { value: string; cursor: number } {
  let value = '';
  const stops = new Map<number, number>();
  const defaults = new Map<number, string>();
  let i = 0;
  while (i < snippet.length) {
    const rest = snippet.slice(i);
    const escaped = /^\\([$}\\])/.exec(rest);
    const stop = /^\$(\d+)|^\$\{(\d+)\}/.exec(rest);
    const withDefault = /^\$\{(\d+):((?:\\.|[^}\\])*)\}/.exec(rest);
    const choice = /^\$\{(\d+)\|((?:\\.|[^|\\])*)\|\}/.exec(rest);
    const match = escaped ?? stop ?? withDefault ?? choice;
    if (!match) {
      value += snippet[i++];
      continue;
    }
    i += match[0].length;
    if (match === escaped) {
      value += match[1];
      continue;
    }
    const n = Number(match[1] ?? match[2]);
    if (!stops.has(n)) stops.set(n, value.length);
    const text = match === withDefault ? match[2].replace(/\\(.)/g, '$1') : match === choice ? match[2].split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1') : (defaults.get(n) ?? '');
    if (text) defaults.set(n, text);
    value += text;
  }
  const first = [...stops.keys()].filter((n) => n > 0).sort((a, b) => a - b)[0];
  return { value, cursor: stops.get(first ?? 0) ?? value.length };
}
