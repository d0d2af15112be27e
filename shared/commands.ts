// Command ids of the extension, used by the client (its command table, status item, prompts)
// and the server (code actions and CodeLenses that carry a command). Every id is declared under
// contributes.commands in package.json (a test checks both lists agree).

export const CommandId = {
  restartServer: 'istio.restartServer',
  /** Runs a refactoring with questions: the client asks them, then sends RefactorRequest. */
  refactor: 'istio.refactor',
  /** Opens the traffic preview (optionally for a document and position, from a CodeLens). */
  previewTraffic: 'istio.previewTraffic',
} as const;
export type CommandId = (typeof CommandId)[keyof typeof CommandId];
