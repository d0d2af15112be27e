// Extension entry point: builds the context, registers the command table, starts the server.
import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ClientContext } from './context';
import { TrafficPreview } from './preview';

let active: ClientContext | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const ctx = new ClientContext(context.asAbsolutePath('dist/server.js'), context.extensionUri);
  active = ctx;
  registerCommands(ctx);
  // A traffic preview open when the window closed comes back after a reload (onWebviewPanel activation).
  ctx.subscribe(TrafficPreview.registerSerializer(ctx));
  // Not awaited: activation must not wait on the server, and start() reports its own failures.
  void ctx.start();
}

export function deactivate(): Promise<void> | undefined {
  const ctx = active;
  active = undefined;
  return ctx?.dispose();
}
