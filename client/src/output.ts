// The "Istio" output channel, shared by our own log lines and vscode-languageclient.
import * as vscode from 'vscode';

export type LogLevel = 'Info' | 'Error';

/**
 * VS Code throws "Channel has been closed" on writes after dispose(), and the language client
 * still logs the server process's exit after stop() has resolved. Late lines are dropped instead
 * of turning into an exception in the extension host.
 */
export class IstioOutputChannel implements vscode.OutputChannel {
  private closed = false;
  private readonly channel: vscode.OutputChannel;

  constructor(name = 'Istio') {
    this.channel = vscode.window.createOutputChannel(name);
  }

  get name(): string {
    return this.channel.name;
  }

  /** One line in the same `[Level - time] message` shape the language client writes. */
  log(message: string, level: LogLevel = 'Info'): void {
    this.appendLine(`[${level.padEnd(5)} - ${new Date().toLocaleTimeString()}] ${message}`);
  }

  append(value: string): void {
    if (!this.closed) this.channel.append(value);
  }

  appendLine(value: string): void {
    if (!this.closed) this.channel.appendLine(value);
  }

  replace(value: string): void {
    if (!this.closed) this.channel.replace(value);
  }

  clear(): void {
    if (!this.closed) this.channel.clear();
  }

  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (this.closed) return;
    if (typeof columnOrPreserveFocus === 'boolean') this.channel.show(columnOrPreserveFocus);
    else this.channel.show(columnOrPreserveFocus, preserveFocus);
  }

  hide(): void {
    if (!this.closed) this.channel.hide();
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.channel.dispose();
  }
}
