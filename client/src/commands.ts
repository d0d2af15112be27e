// The command table. Every id here is declared under contributes.commands in package.json.
import * as vscode from 'vscode';
import { refactorCommand, type RefactorCommandArgs } from '../../shared/protocol';
import type { ClientContext } from './context';
import { runRefactoring } from './refactor';

export const CommandId = {
  restartServer: 'istio.restartServer',
  refactor: refactorCommand,
} as const;
export type CommandId = (typeof CommandId)[keyof typeof CommandId];

type CommandHandler = (ctx: ClientContext, ...args: unknown[]) => unknown;

export const commands: Readonly<Record<CommandId, CommandHandler>> = {
  [CommandId.restartServer]: (ctx) => ctx.restart(),
  [CommandId.refactor]: (ctx, args) => runRefactoring(ctx, args as RefactorCommandArgs),
};

/** Registers the table; a failing command is reported through the context, never rethrown. */
export function registerCommands(ctx: ClientContext): void {
  for (const [id, handler] of Object.entries(commands)) {
    ctx.subscribe(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await handler(ctx, ...args);
        } catch (error) {
          ctx.reportError(`Command ${id} failed`, error);
        }
      }),
    );
  }
}
