// Custom LSP messages shared by the client and the server. Both sides import this module,
// so a message's name and payload are declared once.

export const ISTIO_VERSIONS = ['1.29', '1.30', '1.31'] as const;
export type IstioVersion = (typeof ISTIO_VERSIONS)[number];
export const DEFAULT_ISTIO_VERSION: IstioVersion = '1.30';

/** Settings under `istio.*`, as the server reads them through workspace/configuration. */
export interface IstioSettings {
  version: IstioVersion;
  validate: { enable: boolean };
  /** Globs (workspace-relative) of files the workspace index leaves out. */
  exclude: string[];
  clusterDomain: string;
  /** Namespace of resources that do not name one. */
  defaultNamespace: string;
}

/** Server → client, after each analysis of a document: feeds the language status item. */
export const documentStatusNotification = 'istio/documentStatus';
export interface DocumentStatusParams {
  uri: string;
  /** The Istio version whose schemas analysed the document. */
  istioVersion: IstioVersion;
  /** How many YAML documents of the file are Istio resources. */
  resourceCount: number;
}

/** A question a refactoring asks before it runs (the client shows it as a quick input). */
export interface RefactorQuestion {
  name: string;
  prompt: string;
  default: string;
  kind: 'name' | 'percent' | 'duration' | 'header' | 'text' | 'url' | 'status';
}

/**
 * Client command a refactoring code action carries when it has questions: the client asks them,
 * then sends `istio/refactor` with the answers and applies the returned edit.
 */
export const refactorCommand = 'istio.refactor';
export interface RefactorCommandArgs {
  uri: string;
  position: { line: number; character: number };
  id: string;
  title: string;
  questions: RefactorQuestion[];
}

/** Client → server: the edit of a refactoring with the user's answers (defaults for the rest). */
export const refactorRequest = 'istio/refactor';
export interface RefactorParams {
  uri: string;
  position: { line: number; character: number };
  id: string;
  answers: Record<string, string>;
}
/** Either the edit (an LSP WorkspaceEdit) or why it cannot be made. */
export type RefactorResult = { edit: { changes?: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } } | { error: string };
