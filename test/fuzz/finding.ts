// What the fuzzer found wrong in one request or notification (failures.ts groups and reports them).

export interface Finding {
  /** Which property broke: error-response, slow-request, error-log, stderr, server-exit, hang, istio-internal, bad-range, edit-*. */
  kind: string;
  /** The request (LSP method) or `diagnostics`. */
  method: string;
  /** What the request was about, when that splits causes: a code action's kind, a diagnostic code. */
  subject?: string;
  /** The full text: the error with its stack, the offending range... */
  detail: string;
}
