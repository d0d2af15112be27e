// The one error boundary every LSP handler runs in: params checked at the edge (InvalidParams),
// cancellation honoured, and a failure logged with its stack and answered as a visible error,
// never as the neutral value that would look like "nothing here".
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import { failureReason } from '../base/problems';
import type { Shape } from './params';

export type Log = (message: string) => void;

export class Boundary {
  constructor(private readonly logError: Log) {}

  /**
   * Wraps a request handler. `failed` turns a failure into the request's own error shape
   * (e.g. `{ error }` for refactorings, which the client shows); by default it is an
   * InternalError response, which the editor reports.
   */
  request<P, R>(name: string, shape: Shape, handler: (params: P) => R | ResponseError, failed?: (message: string) => R) {
    return (params: unknown, token?: CancellationToken): R | ResponseError => {
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
      const invalid = shape(params, 'params');
      if (invalid) return new ResponseError(ErrorCodes.InvalidParams, `${name}: ${invalid}`);
      try {
        return handler(params as P);
      } catch (e) {
        const message = this.failed(name, e);
        return failed ? failed(message) : new ResponseError(ErrorCodes.InternalError, message);
      }
    };
  }

  /** Wraps a notification handler or internal step: there is nobody to answer, so it logs. */
  run<P>(name: string, work: (params: P) => void, shape?: Shape) {
    return (params: P): void => {
      const invalid = shape?.(params, 'params');
      if (invalid) return this.logError(`${name}: ignored, ${invalid}`);
      try {
        work(params);
      } catch (e) {
        this.failed(name, e);
      }
    };
  }

  /** Logs a failure with its stack; returns the one-line message for the user. */
  failed(name: string, e: unknown): string {
    this.logError(`${name} failed: ${e instanceof Error && e.stack ? e.stack : String(e)}`);
    return `${name} failed: ${failureReason(e, 300)}. Please report it; the Istio output channel has the details.`;
  }
}
