// The one place where model results (offsets) become LSP values (UTF-16 line/character).
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DiagnosticSeverity,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Range,
  type SymbolInformation,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SOURCE, type Severity } from '../base/catalog';
import type { CompletionEntry, CompletionResult } from '../features/completion/entries';
import type { HoverResult } from '../features/hover';
import type { SymbolModel } from '../features/symbols';
import type { Problem } from '../base/problems';
import { problemData } from './params';
import type { TrafficModel } from '../features/traffic';
import type { DestinationView, TrafficView } from '../../../shared/protocol';
import type { Location as ModelLocation, TextEdit as ModelEdit, WorkspaceSymbol as ModelSymbol } from '../features/navigation';
import { TextDocument as Doc } from 'vscode-languageserver-textdocument';

const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };

const COMPLETION_KINDS: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  module: CompletionItemKind.Module,
  class: CompletionItemKind.Class,
  reference: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
};

const SYMBOL_KINDS: Record<SymbolModel['kind'], SymbolKind> = {
  class: SymbolKind.Class,
  object: SymbolKind.Object,
  array: SymbolKind.Array,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Null,
};

export function toRange(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

export function toDiagnostic(doc: TextDocument, p: Problem): Diagnostic {
  // A failure's stack goes to the log, not into every diagnostic sent to the editor.
  const data = p.data?.type === 'internal' ? { type: p.data.type, where: p.data.where } : p.data;
  return { range: toRange(doc, p.start, p.end), severity: SEVERITY[p.severity], code: p.code, source: SOURCE, message: p.message, data };
}

/** A diagnostic the client sends back (code actions) as the problem it was made from. */
export function fromDiagnostic(doc: TextDocument, d: Diagnostic): Problem {
  const severity = (Object.entries(SEVERITY).find(([, v]) => v === d.severity)?.[0] ?? 'error') as Severity;
  return { start: doc.offsetAt(d.range.start), end: doc.offsetAt(d.range.end), code: String(d.code), severity, message: d.message, data: problemData(d.data) };
}

/** Re-opens the completion list where an accepted item leaves the cursor on a closed set of values (a VS Code command). */
const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/**
 * `asIs`: the client inserts text as it is (InsertTextMode.asIs). Otherwise it re-indents the lines
 * after the first by the leading whitespace of the cursor's line (VS Code's adjustIndentation,
 * the default), which does not include a `- ` before the key: the text is written relative to it.
 */
export function toCompletionList(doc: TextDocument, result: CompletionResult, asIs: boolean): CompletionList {
  const range = toRange(doc, result.replaceStart, result.replaceEnd);
  const line = doc.getText({ start: { line: range.start.line, character: 0 }, end: range.start });
  const lineIndent = /^[ \t]*/.exec(line)![0].length;
  const items = result.items.map((entry): CompletionItem => ({
    label: entry.label,
    kind: COMPLETION_KINDS[entry.kind],
    detail: entry.detail,
    documentation: entry.documentation ? { kind: MarkupKind.Markdown, value: entry.documentation } : undefined,
    textEdit: { range, newText: asIs ? entry.insertText : relativeToLine(entry.insertText, lineIndent) },
    insertTextFormat: entry.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    insertTextMode: asIs && entry.insertText.includes('\n') ? InsertTextMode.asIs : undefined,
    sortText: entry.sortText,
    filterText: entry.filterText,
    tags: entry.deprecated ? [CompletionItemTag.Deprecated] : undefined,
    command: entry.retrigger ? TRIGGER_SUGGEST : undefined,
  }));
  return { isIncomplete: false, items };
}

/** The text without the first `indent` columns of its second and later lines. */
function relativeToLine(text: string, indent: number): string {
  if (indent === 0) return text;
  return text.replace(new RegExp(`\n {0,${indent}}`, 'g'), '\n');
}

export function toHover(doc: TextDocument, result: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(doc, result.start, result.end) };
}

export function toDocumentSymbol(doc: TextDocument, s: SymbolModel): DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KINDS[s.kind],
    range: toRange(doc, s.start, s.end),
    selectionRange: toRange(doc, s.selectionStart, s.selectionEnd),
    children: s.children.map((c) => toDocumentSymbol(doc, c)),
  };
}

/** Converts locations in any workspace file, open or not, given a way to read its text. */
export class FileConverter {
  private readonly docs = new Map<string, TextDocument | undefined>();

  constructor(private readonly textOf: (uri: string) => string | undefined) {}

  private doc(uri: string): TextDocument | undefined {
    if (!this.docs.has(uri)) {
      const text = this.textOf(uri);
      this.docs.set(uri, text === undefined ? undefined : Doc.create(uri, 'yaml', 0, text));
    }
    return this.docs.get(uri);
  }

  location(l: ModelLocation): Location | undefined {
    const doc = this.doc(l.uri);
    return doc ? { uri: l.uri, range: toRange(doc, l.start, l.end) } : undefined;
  }

  locations(list: ModelLocation[]): Location[] {
    return list.flatMap((l) => this.location(l) ?? []);
  }

  workspaceEdit(edits: ModelEdit[]): WorkspaceEdit {
    const changes: Record<string, { range: Range; newText: string }[]> = {};
    for (const e of edits) {
      const location = this.location(e);
      if (location) (changes[e.uri] ??= []).push({ range: location.range, newText: e.newText });
    }
    return { changes };
  }

  symbol(s: ModelSymbol): SymbolInformation | undefined {
    const location = this.location(s);
    return location ? { name: s.name, kind: SymbolKind.Class, containerName: s.containerName, location } : undefined;
  }
}

/** The traffic model with offsets turned into ranges of the document. */
export function toTrafficView(doc: TextDocument, model: TrafficModel): TrafficView {
  const range = (s: { start: number; end: number }) => toRange(doc, s.start, s.end);
  const destination = ({ span, weightSpan: _w, subsetAt: _s, ...d }: TrafficModel['routes'][number]['destinations'][number]): DestinationView => ({ ...d, range: range(span) });
  return {
    kind: model.kind,
    uri: doc.uri,
    name: model.name,
    namespace: model.namespace,
    range: range(model.span),
    hosts: model.hosts,
    gateways: model.gateways,
    ...(model.parents ? { parents: model.parents } : {}),
    gatewayProblems: model.gatewayProblems,
    problems: model.problems,
    routes: model.routes.map(({ span, destinations, mirrors, ...route }) => ({
      ...route,
      range: range(span),
      destinations: destinations.map(destination),
      mirrors: mirrors.map(destination),
    })),
  };
}
