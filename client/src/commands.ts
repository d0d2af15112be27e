// The command table. Every id here is declared under contributes.commands in package.json.
import * as vscode from 'vscode';
import { CommandId } from '../../shared/commands';
import type { Position, RefactorCommandArgs } from '../../shared/protocol';
import type { ClientContext } from './context';
import { TrafficPreview } from './preview';
import { runRefactoring } from './refactor';

type CommandHandler = (ctx: ClientContext, ...args: unknown[]) => unknown;

export const commands: Readonly<Record<CommandId, CommandHandler>> = {
  [CommandId.restartServer]: (ctx) => ctx.restart(),
  [CommandId.refactor]: (ctx, args) => runRefactoring(ctx, args as RefactorCommandArgs),
  // From the palette or the editor title: no arguments (or the title's resource URI); from a CodeLens: (uri, position).
  [CommandId.previewTraffic]: (ctx, uri, position) =>
    TrafficPreview.show(ctx, ctx.extensionUri, typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined, typeof uri === 'string' ? (position as Position) : undefined),
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
