// Runs a refactoring that has questions: asks each one in a quick input (default filled in,
// checked as the user types), then asks the server for the edit and applies it as one undoable
// edit, possibly across files.
import * as vscode from 'vscode';
import { invalidAnswer } from '../../shared/answers';
import { RefactorRequest, type RefactorCommandArgs, type RefactorParams } from '../../shared/protocol';
import type { ClientContext } from './context';

async function ask(args: RefactorCommandArgs): Promise<Record<string, string> | undefined> {
  const answers: Record<string, string> = {};
  for (const [i, question] of args.questions.entries()) {
    const answer = await vscode.window.showInputBox({
      title: `${args.title.replace(/[:(].*$/, '').trim()} (${i + 1}/${args.questions.length})`,
      prompt: question.prompt,
      value: question.default,
      ignoreFocusOut: true,
      validateInput: (value) => invalidAnswer(question.kind, value),
    });
    if (answer === undefined) return undefined;
    answers[question.name] = answer.trim();
  }
  return answers;
}

export async function runRefactoring(ctx: ClientContext, args: RefactorCommandArgs): Promise<void> {
  const answers = await ask(args);
  if (answers === undefined) return;
  const params: RefactorParams = { uri: args.uri, position: args.position, id: args.id, answers };
  const result = await ctx.request(RefactorRequest, params);
  if (result === undefined) {
    void vscode.window.showWarningMessage('The Istio language server is not running.');
    return;
  }
  if ('error' in result) {
    void vscode.window.showWarningMessage(`${args.title}: ${result.error}`);
    return;
  }
  const edit = await ctx.workspaceEdit(result.edit);
  if (edit && !(await vscode.workspace.applyEdit(edit))) void vscode.window.showWarningMessage(`${args.title}: the editor refused the edit (the document changed?)`);
}
