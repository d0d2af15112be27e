// The server's side of the typed protocol (shared/protocol.ts): custom requests are handled and
// notifications sent only through their typed values, so params and result types come with the
// message and cannot be chosen at the call site.
import type { CancellationToken, Connection, ResponseError } from 'vscode-languageserver';
import type { NotificationType, RequestType } from '../../../shared/protocol';

export type RequestHandler<R> = (params: unknown, token?: CancellationToken) => R | ResponseError;

/** Handles a custom request; the handler checks its params (Boundary.request) and answers R. */
export function onRequest<P, R>(connection: Connection, type: RequestType<P, R>, handler: RequestHandler<NoInfer<R>>): void {
  connection.onRequest(type.method, (params: unknown, token: CancellationToken) => handler(params, token));
}

/** Sends a custom notification. */
export function notify<P>(connection: Connection, type: NotificationType<P>, params: NoInfer<P>): void {
  void connection.sendNotification(type.method, params);
}
