// The open documents as requests see them: the editor's text (for positions) with its file model,
// and a converter for locations in any workspace file, open or not.
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service/service';
import { FileConverter } from './convert';

export type Position = { line: number; character: number };
export type DocumentParams = { textDocument: { uri: string } };
export type PositionParams = DocumentParams & { position: Position };

export class OpenDocuments {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly service: LanguageService,
  ) {}

  /** The open document with its file model, or undefined when it is not open. */
  modelOf(uri: string) {
    const doc = this.documents.get(uri);
    return doc ? { doc, model: this.service.open(uri, doc.version, doc.getText()) } : undefined;
  }

  offsetOf(params: PositionParams): number | undefined {
    return this.documents.get(params.textDocument.uri)?.offsetAt(params.position);
  }

  files(): FileConverter {
    return new FileConverter((uri) => this.documents.get(uri)?.getText() ?? this.service.fileText(uri));
  }
}
