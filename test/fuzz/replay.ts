// Replaying one input on a server of its own: for reduction (does the cause still show?) and for
// checking a fix (`npm run fuzz -- --replay test-results/fuzz/3-1496.json`).
import { readFileSync } from 'node:fs';
import { analyse } from './analysis';
import { LineMap } from './checks';
import { diskText } from './corpus';
import { FailureBook, type FailureRecord, type Finding } from './failures';
import { ServerSession } from './harness';
import type { ContentChange, OpenDocument, Step } from './plan';
import { runRecipe } from './probes';
import type { DocContext, Recipe } from './recipes';
import { sendStep } from './steps';

export interface ReplayInput {
  uri: string;
  text: string;
  recipe: Recipe;
  /** Documents open beside it. */
  context: OpenDocument[];
  settings: Record<string, unknown>;
  /** Open `previous`, then send `changes` (which give `text`), instead of opening `text`. */
  change?: { previous: string; changes: ContentChange[] };
}

/** A server that replays one input at a time, with the documents the failure needed open beside it. */
export class Replayer {
  private session?: ServerSession;
  private context: OpenDocument[] = [];
  private settings?: Record<string, unknown>;
  private opened = false;
  /** What the server said the last time the failure reproduced. */
  lastDetail?: string;

  constructor(private readonly root: string) {}

  async reproduces(book: FailureBook, record: FailureRecord, text: string, recipe: Recipe, context: OpenDocument[], replayChange: boolean): Promise<boolean> {
    const step = record.first.step;
    const change = replayChange && step.previous !== undefined && step.changes ? { previous: step.previous, changes: step.changes } : undefined;
    const findings = await this.findings({ uri: step.uri, text, recipe, context, settings: record.first.settings, change });
    const at = book.signaturesOf(findings).indexOf(record.signature);
    if (at !== -1) this.lastDetail = findings[at].detail;
    return at !== -1;
  }

  /** Everything that breaks when the input is opened (or changed into) and its request sent. */
  async findings(input: ReplayInput): Promise<Finding[]> {
    await this.prepare(input.context, input.settings);
    const session = this.session!;
    const { uri, text, recipe, change } = input;
    const textOf = (u: string) => this.context.find((d) => d.uri === u)?.text ?? diskText(u);
    const others = this.context.map((d) => d.uri);
    const findings: Finding[] = [];
    const open = (version: number, body: string) => () => session.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text: body } });
    if (change) findings.push(...(await analyse(session, open(1, change.previous), [uri, uri, ...others], { uri, version: 1, text: change.previous }, textOf)).findings);
    const version = change ? 2 : 1;
    const notify = change ? () => session.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: change.changes }) : open(1, text);
    const analysed = await analyse(session, notify, change ? [uri, ...others] : [uri, uri, ...others], { uri, version, text }, textOf);
    findings.push(...analysed.findings);
    if (session.alive && analysed.end !== 'hang' && recipe.method !== 'diagnostics') {
      const ctx: DocContext = { session, uri, text, map: new LineMap(text), diagnostics: analysed.diagnostics, stale: [], textOf };
      findings.push(...(await runRecipe(ctx, recipe)).findings);
    }
    if (session.alive && findings.every((f) => f.kind !== 'hang')) {
      findings.push(...(await analyse(session, () => session.notify('textDocument/didClose', { textDocument: { uri } }), others, undefined, textOf)).findings);
      session.forgetNotifications();
    } else {
      session.kill();
      this.session = undefined;
    }
    return findings;
  }

  /**
   * The run again on a fresh server, its steps' notifications without their requests, up to the
   * failing step; then its request. For failures that depend on what happened before.
   */
  async reproducesAfterHistory(book: FailureBook, record: FailureRecord, history: Step[], until: number): Promise<boolean> {
    await this.stop();
    const session = new ServerSession(this.root);
    await session.start();
    const findings: Finding[] = [];
    try {
      for (const step of history) {
        if (performance.now() > until || !session.alive) return false;
        const sent = await sendStep(session, step, () => undefined);
        if (step.index !== record.first.index) {
          session.forgetNotifications();
          continue;
        }
        findings.push(...sent.findings, ...(sent.analysed?.findings ?? []));
        if (sent.analysed && record.first.recipe.method !== 'diagnostics' && session.alive) {
          const textOf = (u: string) => step.others.find((d) => d.uri === u)?.text ?? diskText(u);
          const ctx: DocContext = { session, uri: step.uri, text: step.text, map: new LineMap(step.text), diagnostics: sent.analysed.diagnostics, stale: [], textOf };
          findings.push(...(await runRecipe(ctx, record.first.recipe)).findings);
        }
        break;
      }
      return book.signaturesOf(findings).includes(record.signature);
    } finally {
      await session.stop();
    }
  }

  private async prepare(context: OpenDocument[], settings: Record<string, unknown>): Promise<void> {
    const same = this.opened && this.settings === settings && context.length === this.context.length && context.every((d, i) => d.uri === this.context[i].uri && d.text === this.context[i].text);
    if (this.session?.alive && same) return;
    await this.stop();
    this.settings = settings;
    this.session = new ServerSession(this.root, settings);
    await this.session.start();
    this.context = context;
    const opened: string[] = [];
    for (const doc of context) {
      const s = this.session;
      await analyse(
        s,
        () => s.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'yaml', version: 1, text: doc.text } }),
        [doc.uri, doc.uri, ...opened],
        doc,
        () => undefined,
      );
      opened.push(doc.uri);
    }
    this.session.forgetNotifications();
    this.opened = true;
  }

  async stop(): Promise<void> {
    await this.session?.stop();
    this.session = undefined;
    this.opened = false;
  }
}

/** A saved failure (its .json beside its .yaml), replayed: does its cause still show, and what breaks. */
export async function replaySaved(jsonPath: string, root: string): Promise<{ signature: string; still: boolean; findings: Finding[] }> {
  const saved = JSON.parse(readFileSync(jsonPath, 'utf8')) as { signature: string; recipe: Recipe; uri: string; settings?: Record<string, unknown>; context?: OpenDocument[] };
  const text = readFileSync(jsonPath.replace(/\.json$/, '.yaml'), 'utf8');
  const replayer = new Replayer(root);
  try {
    const findings = await replayer.findings({ uri: saved.uri, text, recipe: saved.recipe, context: saved.context ?? [], settings: saved.settings ?? { version: '1.30', validate: { enable: true } } });
    // Frames without line numbers: the code around the failure may have moved since it was saved.
    const loose = (signature: string) => signature.replace(/:\d+\)$/, ')');
    const now = new FailureBook(1000).signaturesOf(findings).map(loose);
    return { signature: saved.signature, still: now.includes(loose(saved.signature)), findings };
  } finally {
    await replayer.stop();
  }
}
