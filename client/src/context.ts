// Everything the extension owns while active: the language client, the settings, the output
// channel, the status item and the disposables. Methods report failures; they never reject.
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { DocumentStatusNotification, WorkspaceStatusNotification, type NotificationType, type RequestType } from '../../shared/protocol';
import { CommandId } from '../../shared/commands';
import { createLanguageClient, describeClientError, type IstioLanguageClient } from './languageClient';
import { IstioOutputChannel, type LogLevel } from './output';
import { ExtensionSettings } from './settings';
import { DocumentStatusItem, WorkspaceStatusItem, type ServerState } from './status';

export class ClientContext implements vscode.Disposable {
  readonly settings = new ExtensionSettings();
  readonly output = new IstioOutputChannel();
  private readonly status = new DocumentStatusItem(this.settings);
  private readonly workspaceStatus = new WorkspaceStatusItem(this.settings);
  private readonly disposables: vscode.Disposable[] = [this.status, this.workspaceStatus];
  private client: IstioLanguageClient | undefined;
  /** The current client's start, settled (resolved) whether it succeeded or failed. */
  private starting: Promise<void> = Promise.resolve();
  private disposed = false;

  /**
   * @param serverModule absolute path of the bundled server, `dist/server.js`.
   * @param extensionUri the extension's folder (webview resources).
   */
  constructor(
    private readonly serverModule: string,
    readonly extensionUri: vscode.Uri,
  ) {}

  subscribe(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  /** Starts the server. Resolves once it runs or its failure has been reported. */
  async start(): Promise<void> {
    if (this.disposed || this.client !== undefined) return;
    const client = this.createClient();
    if (client === undefined) return;
    this.client = client;
    this.log(`Starting the Istio language server (Istio ${this.settings.version}, trace ${this.settings.traceServer})`);
    try {
      const started = client.start();
      this.starting = started.then(
        () => undefined,
        () => undefined,
      );
      await started;
      if (this.client === client) this.log('The Istio language server is running');
    } catch (error) {
      // A restart may have replaced this client while it was starting; its fate no longer matters.
      if (this.client === client) this.reportError('The Istio language server failed to start', error);
    }
  }

  /** Stops the current server, whatever state it is in, and starts a fresh client. */
  async restart(): Promise<void> {
    const previous = this.client;
    this.client = undefined;
    if (previous !== undefined) {
      this.log('Restarting the Istio language server');
      // A client whose start failed cannot be started again; a new one can.
      await previous.dispose();
    }
    // Another restart that ran while this one awaited has already started a client.
    if (this.client !== undefined) return;
    await this.start();
  }

  /** Logs the error with its stack and shows it; offers the output channel and a restart. */
  reportError(message: string, error: unknown): void {
    const reason = describeClientError(error);
    this.log(`${message}: ${reason}`, 'Error');
    if (error instanceof Error && error.stack !== undefined) this.output.appendLine(error.stack);
    const showOutput = 'Show Output';
    const restart = 'Restart';
    void vscode.window.showErrorMessage(`${message}: ${reason}`, showOutput, restart).then((choice) => {
      if (choice === showOutput) this.output.show(true);
      if (choice === restart) void vscode.commands.executeCommand(CommandId.restartServer);
    });
  }

  /** Resolves once the server has started (or failed to): a preview restored at startup waits for it. */
  whenStarted(): Promise<void> {
    return this.starting;
  }

  /** Sends a request to the running server; undefined when no server runs. */
  async request<P, R>(type: RequestType<P, R>, params: NoInfer<P>): Promise<R | undefined> {
    const client = this.client;
    if (client === undefined || !client.isRunning()) return undefined;
    return (await client.sendRequest(type.method, params)) as R;
  }

  /** Converts a protocol WorkspaceEdit into VS Code's. */
  workspaceEdit(edit: Parameters<NonNullable<IstioLanguageClient['protocol2CodeConverter']>['asWorkspaceEdit']>[0]): Promise<vscode.WorkspaceEdit | undefined> {
    return this.client ? this.client.protocol2CodeConverter.asWorkspaceEdit(edit) : Promise.resolve(undefined);
  }

  log(message: string, level: LogLevel = 'Info'): void {
    this.output.log(message, level);
  }

  /** Stops the server first, so its last messages still reach the output channel. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const client = this.client;
    this.client = undefined;
    await client?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
    this.output.dispose();
  }

  private createClient(): IstioLanguageClient | undefined {
    try {
      const client = createLanguageClient(this.serverModule, this.output);
      // Registered before start(): the library re-installs them on every (re)connection.
      onNotification(client, DocumentStatusNotification, (params) => this.status.update(params));
      onNotification(client, WorkspaceStatusNotification, (params) => this.workspaceStatus.update(params));
      // Also catches the library giving up on a server that keeps crashing.
      client.onDidChangeState(({ newState }) => {
        if (this.client === client) this.status.setServerState(serverState(newState));
      });
      return client;
    } catch (error) {
      // The constructor throws when VS Code is older than the library supports.
      this.status.setServerState('stopped');
      this.reportError('The Istio language client could not be created', error);
      return undefined;
    }
  }
}

function serverState(state: State): ServerState {
  switch (state) {
    case State.Starting:
      return 'starting';
    case State.Running:
      return 'running';
    case State.Stopped:
      return 'stopped';
  }
}

/** Handles a typed notification of shared/protocol.ts. */
function onNotification<P>(client: IstioLanguageClient, type: NotificationType<P>, handler: (params: P) => void): void {
  client.onNotification(type.method, (params: P) => handler(params));
}
