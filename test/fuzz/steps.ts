// Sending one planned step to a server: settings and file events first, then the closes, then the
// document's open or change; each waits for the analyses it starts.
import { analyse, type Analysed } from './analysis';
import type { Finding } from './failures';
import type { ServerSession } from './harness';
import type { Step } from './plan';

export interface Sent {
  /** Findings of the analyses before the document's own (settings, file events, closes). */
  findings: Finding[];
  /** The document's analysis; absent when an earlier one hung or killed the server. */
  analysed?: Analysed;
}

/** `alongside` runs right after the document's notification, before its analyses are awaited. */
export async function sendStep(session: ServerSession, step: Step, textOf: (uri: string) => string | undefined, alongside?: () => void): Promise<Sent> {
  const findings: Finding[] = [];
  const before = [...step.others, ...step.close, ...(step.action === 'change' ? [{ uri: step.uri, version: step.version - 1, text: step.previous! }] : [])];
  const stillOpen = [...before];
  const openText = (u: string) => stillOpen.find((d) => d.uri === u)?.text ?? textOf(u);
  const pre = async (method: string, params: unknown, name: string) => {
    const done = await analyse(
      session,
      () => session.notify(method, params),
      stillOpen.map((d) => d.uri),
      undefined,
      openText,
      name,
    );
    findings.push(...done.findings);
    return done.end !== 'hang' && done.end !== 'exit';
  };
  if (step.settings) {
    session.client.settings = step.settings;
    if (!(await pre('workspace/didChangeConfiguration', { settings: { istio: step.settings } }, 'didChangeConfiguration'))) return { findings };
  }
  if (step.watched && !(await pre('workspace/didChangeWatchedFiles', { changes: step.watched }, 'didChangeWatchedFiles'))) return { findings };
  for (const { uri } of step.close) {
    // The documents closed later in the loop are still open, with their texts.
    stillOpen.splice(
      stillOpen.findIndex((d) => d.uri === uri),
      1,
    );
    if (!(await pre('textDocument/didClose', { textDocument: { uri } }, 'didClose'))) return { findings };
  }
  const others = step.others.map((d) => d.uri);
  const notify =
    step.action === 'open'
      ? () => session.notify('textDocument/didOpen', { textDocument: { uri: step.uri, languageId: 'yaml', version: 1, text: step.text } })
      : () => session.notify('textDocument/didChange', { textDocument: { uri: step.uri, version: step.version }, contentChanges: step.changes });
  const order = step.action === 'open' ? [step.uri, step.uri, ...others] : [step.uri, ...others];
  const docText = (u: string) => step.others.find((d) => d.uri === u)?.text ?? textOf(u);
  const analysed = await analyse(
    session,
    () => {
      notify();
      alongside?.();
    },
    order,
    step,
    docText,
  );
  return { findings, analysed };
}
