// Builds the LanguageClient for the bundled server. The subclass only hardens the paths where
// vscode-languageclient 9 would loop, notify twice or leak a rejection when the server fails to start.
import type * as vscode from 'vscode';
import {
  CloseAction,
  ErrorCodes,
  LanguageClient,
  ResponseError,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from './settings';

/** The documents the server analyses; the language status item uses the same selector. */
export const yamlDocuments = [
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
];

/** Client id `istio` makes the library read `istio.trace.server` on its own. */
const CLIENT_ID = SETTINGS_SECTION;
const CLIENT_NAME = 'Istio Language Server';
/** vscode-languageclient's own default. */
const STOP_TIMEOUT_MS = 2000;

const ignore = (): void => undefined;

export class IstioLanguageClient extends LanguageClient {
  private disposed = false;
  /** The start attempt in flight, if any; see `closed` below. */
  private startAttempt: Promise<void> | undefined;

  override start(): Promise<void> {
    const attempt = super.start();
    this.startAttempt = attempt;
    void attempt.then(
      () => this.settle(attempt),
      () => this.settle(attempt),
    );
    return attempt;
  }

  /**
   * The default handler restarts a server that closes its connection, up to five times; for a
   * server that never finished initializing (bad bundle, crash at load) that only repeats the
   * failure. Answering before start() has settled would also make the library drop start()'s
   * rejection (it resets its start promise), so wait for it: the context then reports it once.
   */
  override createDefaultErrorHandler(maxRestartCount?: number): ErrorHandler {
    const fallback = super.createDefaultErrorHandler(maxRestartCount);
    const doNotRestart: CloseHandlerResult = { action: CloseAction.DoNotRestart, handled: true };
    return {
      error: (error, message, count) => fallback.error(error, message, count),
      closed: (): CloseHandlerResult | Promise<CloseHandlerResult> => {
        const attempt = this.startAttempt;
        if (attempt !== undefined)
          return attempt.then(
            () => doNotRestart,
            () => doNotRestart,
          );
        return this.disposed ? doNotRestart : fallback.closed();
      },
    };
  }

  /**
   * While a start attempt is in flight its failure is reported once, by whoever awaits start()
   * (the context, with a Restart action); the library would add a second, generic notification.
   */
  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, this.startAttempt === undefined ? showNotification : false);
  }

  /**
   * After a failed initialize the library calls `void this.stop()`, and stop() rejects when the
   * client is not running, which would surface as an unhandled rejection. Real stop failures are
   * already logged by the library; a stop of a client that never ran has nothing to undo.
   */
  override async stop(timeout?: number): Promise<void> {
    try {
      await super.stop(timeout);
    } catch {
      // See above: logged by the library, or nothing was running.
    }
  }

  /**
   * The library refuses to stop a client that is still starting and marks it disposed at once, so
   * a restart during startup would leave the old server half-initialized. Let the attempt finish
   * first, bounded by the stop timeout so that a hung server cannot block a restart.
   */
  override async dispose(timeout = STOP_TIMEOUT_MS): Promise<void> {
    this.disposed = true;
    await this.startSettled(timeout);
    return super.dispose(timeout);
  }

  private async startSettled(timeout: number): Promise<void> {
    const attempt = this.startAttempt;
    if (attempt === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeout);
    });
    await Promise.race([attempt.then(ignore, ignore), expired]);
    clearTimeout(timer);
  }

  private settle(attempt: Promise<void>): void {
    if (this.startAttempt === attempt) this.startAttempt = undefined;
  }
}

export function createLanguageClient(serverModule: string, outputChannel: vscode.OutputChannel): IstioLanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: yamlDocuments,
    synchronize: { configurationSection: SETTINGS_SECTION },
    diagnosticCollectionName: CLIENT_ID,
    outputChannel,
    // Without a handler the library shows its own raw message; start() rejects either way and
    // the context reports that rejection.
    initializationFailedHandler: () => false,
  };
  return new IstioLanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/** A user-facing reason; the library's raw text for a server that died is no help. */
export function describeClientError(error: unknown): string {
  if (error instanceof ResponseError && error.code === ErrorCodes.PendingResponseRejected) {
    return 'the server process exited before it answered (see the Istio output)';
  }
  return error instanceof Error ? error.message : String(error);
}
