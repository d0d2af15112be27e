// Code actions: quick fixes for our diagnostics (dispatched on the diagnostic's code and data,
// checked by lsp/params.ts) and the refactorings at the cursor. Refactorings are offered only
// when asked for (see `refactoringsWanted`), so the light bulb means "something to fix". Refactorings without questions
// are resolved lazily (codeAction/resolve); those with questions run as a command through the
// client, which asks them and then sends the refactor request.
import { CodeActionKind, CodeActionTriggerKind, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CommandId } from '../../../shared/commands';
import type { RefactorCommandArgs, RefactorParams, RefactorResult } from '../../../shared/protocol';
import { SOURCE } from '../base/catalog';
import type { LanguageService } from '../service/service';
import type { Boundary } from './boundary';
import { fromDiagnostic, type FileConverter } from './convert';
import type { OpenDocuments, Position } from './openDocuments';
import type { SettingsLifecycle } from './settingsLifecycle';

type CodeActionParams = { textDocument: { uri: string }; range: { start: Position }; context: { diagnostics: Diagnostic[]; only?: string[]; triggerKind?: number } };
type ResolvableAction = { title: string; data?: { uri: string; position: Position; id: string } };
type Fix = ReturnType<LanguageService['quickFixes']>[number];
type Refactoring = ReturnType<LanguageService['refactorings']>[number];

const wants = (only: string[] | undefined, kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));

/**
 * Whether the request asks for refactorings: a `context.only` naming refactor kinds (the Refactor
 * menu, a keybinding) or an explicit request (Ctrl+., triggerKind Invoked). The automatic request
 * VS Code makes as the cursor moves (triggerKind Automatic: the light bulb) gets quick fixes only,
 * or the bulb would show on every route. A client that sends no triggerKind (LSP before 3.17)
 * cannot tell the two apart; it is treated as an explicit request so it keeps every action.
 */
export function refactoringsWanted(context: { only?: string[]; triggerKind?: number }): boolean {
  if (context.only) return context.only.some((o) => o === CodeActionKind.Empty || o === CodeActionKind.Refactor || o.startsWith(`${CodeActionKind.Refactor}.`));
  return context.triggerKind !== CodeActionTriggerKind.Automatic;
}

export class CodeActions {
  constructor(
    private readonly connection: Connection,
    private readonly open: OpenDocuments,
    private readonly service: LanguageService,
    private readonly settings: SettingsLifecycle,
    private readonly boundary: Boundary,
  ) {}

  readonly codeActions = (params: CodeActionParams) => {
    const open = this.open.modelOf(params.textDocument.uri);
    if (!open) return [];
    const doc = open.doc;
    const only = params.context.only;
    const ours = params.context.diagnostics.filter((d) => d.source === SOURCE);
    const problems = ours.map((d) => fromDiagnostic(doc, d));
    const convert = this.open.files();
    const fixes = !wants(only, CodeActionKind.QuickFix)
      ? []
      : this.service.quickFixes(doc.uri, problems, this.settings.serviceSettings()).map((fix) => this.quickFix(fix, [ours[problems.indexOf(fix.problem)]], convert));
    const position = params.range.start;
    const refactorings = !refactoringsWanted(params.context) ? [] : this.service.refactorings(doc.uri, doc.offsetAt(position), this.settings.serviceSettings()).filter((r) => wants(only, r.kind));
    // Refactorings with questions run through the client, which asks them; the others are
    // resolved lazily: their edits are computed only for the one the user picks.
    return [...fixes, ...refactorings.map((r) => this.refactoring(r, doc, position))];
  };

  /** codeAction/resolve: the edits of a refactoring without questions, computed when it is picked. */
  readonly resolve = (action: ResolvableAction) => {
    if (!action.data) return action;
    const result = this.refactor({ ...action.data, answers: {} });
    if ('error' in result) {
      void this.connection.window.showWarningMessage(`${action.title}: ${result.error}`);
      return action;
    }
    return { ...action, edit: result.edit };
  };

  /** The refactor request (the client's refactor command, after asking the questions). */
  readonly refactor = (params: RefactorParams): RefactorResult => {
    const doc = this.open.modelOf(params.uri)?.doc;
    if (!doc) return { error: 'The document is not open' };
    const result = this.service.applyRefactoring(doc.uri, doc.offsetAt(params.position), params.id, params.answers, this.settings.serviceSettings());
    return typeof result === 'string' ? { error: result } : { edit: this.open.files().workspaceEdit(result) };
  };

  private quickFix(fix: Fix, diagnostics: Diagnostic[], convert: FileConverter) {
    if (fix.failure !== undefined)
      return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics, disabled: { reason: this.boundary.failed(`quick fix for ${fix.problem.code}`, fix.failure) } };
    return { title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: fix.isPreferred, diagnostics, edit: convert.workspaceEdit(fix.edits) };
  }

  private refactoring(r: Refactoring, doc: TextDocument, position: Position) {
    if (r.failure !== undefined) return { title: `Istio refactoring '${r.id}'`, kind: r.kind, disabled: { reason: this.boundary.failed(`refactoring ${r.id}`, r.failure) } };
    if (r.unavailable) return { title: r.title, kind: r.kind, disabled: { reason: r.unavailable } };
    if (r.inputs.length === 0) return { title: r.title, kind: r.kind, data: { uri: doc.uri, position, id: r.id } };
    const args: RefactorCommandArgs = { uri: doc.uri, position, id: r.id, title: r.title, questions: r.inputs };
    return { title: r.title, kind: r.kind, command: { title: r.title, command: CommandId.refactor, arguments: [args] } };
  }
}
