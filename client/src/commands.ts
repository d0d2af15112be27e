// The command table. Every id here is declared under contributes.commands in package.json.
import * as vscode from 'vscode';
import type { ClientContext } from './context';

export const CommandId = {
  restartServer: 'istio.restartServer',
} as const;
export type CommandId = (typeof CommandId)[keyof typeof CommandId];

type CommandHandler = (ctx: ClientContext) => unknown;

export const commands: Readonly<Record<CommandId, CommandHandler>> = {
  [CommandId.restartServer]: (ctx) => ctx.restart(),
};

/** Registers the table; a failing command is reported through the context, never rethrown. */
export function registerCommands(ctx: ClientContext): void {
  for (const [id, handler] of Object.entries(commands)) {
    ctx.subscribe(
      vscode.commands.registerCommand(id, async () => {
        try {
          await handler(ctx);
        } catch (error) {
          ctx.reportError(`Command ${id} failed`, error);
        }
      }),
    );
  }
}
