// The one place where model offsets become LSP positions (UTF-16 line/character) and back.
import type { Diagnostic, DiagnosticSeverity, Position, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SOURCE, type Severity } from '../catalog';
import type { Problem } from '../problems';

const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };

export function toRange(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

export function toOffset(doc: TextDocument, position: Position): number {
  return doc.offsetAt(position);
}

export function toDiagnostic(doc: TextDocument, p: Problem): Diagnostic {
  return {
    range: toRange(doc, p.start, p.end),
    severity: SEVERITY[p.severity],
    code: p.code,
    source: SOURCE,
    message: p.message,
    data: p.data,
  };
}
