// The fuzz loop: plan a step, send it, wait for its analyses, fire the requests, check every
// answer; group what breaks by cause and keep going; reduce and write the examples at the end.
import { join } from 'node:path';
import { repoRoot } from '../support';
import { analyse } from './analysis';
import { SLOW_MS } from './answers';
import { chooseRecipes, renameAfter } from './battery';
import { applyEdits, LineMap, parses, type WorkspaceEdit } from './checks';
import { diskText, loadCorpus } from './corpus';
import { FailureBook, type Example, type Finding } from './failures';
import { ServerSession } from './harness';
import { Planner, type OpenDocument, type Step } from './plan';
import { runRecipe } from './probes';
import type { Action, Diagnostic, DocContext, Recipe } from './recipes';
import { clearResults, reduceAll } from './reduce';
import { mixSeed, Rng } from './rng';
import { sendStep } from './steps';

export interface FuzzOptions {
  seed: number;
  docs: number;
  /** Stop once this many distinct causes are known. */
  maxFailures: number;
  /** Time for reducing one failure's input, and for all of them. */
  reduceMs: number;
  reduceTotalMs: number;
  outDir: string;
  log: (line: string) => void;
}

export interface FuzzReport {
  docs: number;
  /** Documents the yaml package parses without an error (their edits are checked in full). */
  parsing: number;
  requests: number;
  ms: number;
  failures: FailureBook;
  warnings: FailureBook;
  files: string[];
}

/** Observations reported beside the failures, not as failures. */
const WARNING_KINDS = new Set(['offered-but-refused', 'slow-analysis', 'slowish-request']);

/** The workspace folder the server indexes: our samples, so cross-file references resolve. */
export const FUZZ_ROOT = join(repoRoot, 'samples');

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const run = new FuzzRun(opts);
  return run.run();
}

class FuzzRun {
  private readonly planner: Planner;
  private readonly report: FuzzReport;
  private readonly lastDiagnostics = new Map<string, Diagnostic[]>();
  /** Lazily resolved code actions offered on each document's last version. */
  private readonly lazyActions = new Map<string, Action[]>();
  private readonly history: Step[] = [];
  private session = new ServerSession(FUZZ_ROOT);

  constructor(private readonly opts: FuzzOptions) {
    this.planner = new Planner(opts.seed, loadCorpus(), FUZZ_ROOT);
    this.report = { docs: 0, parsing: 0, requests: 0, ms: 0, failures: new FailureBook(opts.maxFailures), warnings: new FailureBook(200), files: [] };
  }

  async run(): Promise<FuzzReport> {
    const started = performance.now();
    clearResults(this.opts.outDir, this.opts.seed);
    await this.session.start();
    for (let i = 0; i < this.opts.docs && !this.report.failures.full; i++) {
      await this.step(this.planner.next());
      this.session.forgetNotifications();
      if (i % 100 === 99)
        this.opts.log(`[fuzz] ${i + 1} documents, ${this.report.requests} requests, ${this.report.failures.records.size} causes, ${Math.round((performance.now() - started) / 1000)} s`);
    }
    await this.session.stop();
    this.report.ms = performance.now() - started;
    this.report.files = await reduceAll(this.opts, this.report.failures, this.report.warnings, FUZZ_ROOT, this.history);
    return this.report;
  }

  /** Open documents' texts (as this step left them), then files on disk. */
  private readonly textOf = (uri: string): string | undefined => this.planner.open.get(uri)?.text ?? diskText(uri);

  private async step(step: Step): Promise<void> {
    const rng = new Rng(mixSeed(this.opts.seed, step.index, 'requests'));
    const map = new LineMap(step.text);
    this.report.docs++;
    if (parses(step.text).ok) this.report.parsing++;
    this.history.push(step);
    // Sometimes a request right behind the change, before its analysis (completion while typing).
    const eager = rng.fork('early');
    const eagerRecipe = eager.chance(0.15) ? chooseRecipes(eager, map, [], false)[eager.pick([0, 2, 4])] : undefined;
    let early: Promise<void> | undefined;
    const ask = () => {
      if (eagerRecipe) early = runRecipe(this.context(step, map, [], []), eagerRecipe).then((o) => this.record(step, o.findings, eagerRecipe));
    };
    const sent = await sendStep(this.session, step, this.textOf, ask);
    await early;
    this.record(step, sent.findings, { method: 'diagnostics' });
    for (const closed of step.close) {
      this.lastDiagnostics.delete(closed.uri);
      this.lazyActions.delete(closed.uri);
    }
    const analysed = sent.analysed;
    if (analysed) this.record(step, analysed.findings, { method: 'diagnostics' });
    if (analysed && analysed.ms > SLOW_MS)
      this.record(step, [{ kind: 'slow-analysis', method: 'diagnostics', detail: `${Math.round(analysed.ms)} ms for ${analysed.order.length} analyses` }], { method: 'diagnostics' });
    if (!analysed || analysed.end === 'hang' || analysed.end === 'exit') return this.restart(step.uri);
    const stale = this.lastDiagnostics.get(step.uri) ?? [];
    this.lastDiagnostics.set(step.uri, analysed.diagnostics);
    if (!(await this.probe(step, rng, this.context(step, map, analysed.diagnostics, stale)))) return this.restart(step.uri);
    const late = this.session.takeLogs();
    this.record(
      step,
      late.map((log) => ({ kind: log.startsWith('stderr:') ? 'stderr' : 'error-log', method: 'after requests', detail: log })),
      { method: 'diagnostics' },
    );
  }

  private context(step: Step, map: LineMap, diagnostics: Diagnostic[], stale: Diagnostic[]): DocContext {
    return { session: this.session, uri: step.uri, text: step.text, map, diagnostics, stale, textOf: this.textOf };
  }

  /** Fires the document's requests and their follow-ups; false when the server hung or died. */
  private async probe(step: Step, rng: Rng, ctx: DocContext): Promise<boolean> {
    const offered: { label: string; edit: WorkspaceEdit }[] = [];
    const queue = chooseRecipes(rng.fork('choose'), ctx.map, ctx.diagnostics, ctx.stale.length > 0).map((recipe) => ({ recipe, depth: 0 }));
    // The user picks an action from a lightbulb shown before the edit.
    const kept = step.action === 'change' ? (this.lazyActions.get(step.uri) ?? []) : [];
    if (kept.length && rng.chance(0.5)) queue.unshift({ recipe: { method: 'codeAction/resolve (stale)', action: rng.pick(kept) }, depth: 1 });
    this.lazyActions.delete(step.uri);
    while (queue.length > 0) {
      const { recipe, depth } = queue.shift()!;
      const outcome = await runRecipe(ctx, recipe);
      this.report.requests++;
      this.record(step, [...outcome.findings, ...outcome.warnings], recipe);
      if (!this.session.alive && !outcome.findings.some((f) => f.kind === 'server-exit'))
        this.record(step, [{ kind: 'server-exit', method: recipe.method, detail: this.session.client.stderr.slice(-2000) || 'the server exited' }], recipe);
      if (!this.session.alive || outcome.findings.some((f) => f.kind === 'hang')) return false;
      offered.push(...(outcome.edits ?? []));
      if (outcome.lazy?.length) this.lazyActions.set(step.uri, outcome.lazy);
      const rename = recipe.method === 'textDocument/prepareRename' ? renameAfter(rng, outcome.result as never, recipe.pos) : undefined;
      if (rename) queue.push({ recipe: rename, depth: depth + 1 });
      if (depth < 2) for (const next of chooseFollowUps(rng, outcome.followUps)) queue.push({ recipe: next, depth: depth + 1 });
    }
    // Sometimes the user takes an offered edit: the next step sends it, and later requests see the result.
    const own = offered.filter((o) => Object.keys(o.edit.changes ?? {}).every((u) => u === step.uri) && o.edit.changes?.[step.uri]?.length);
    if (own.length && rng.chance(0.4)) {
      const taken = rng.pick(own);
      this.planner.accept(step.uri, applyEdits(step.text, taken.edit.changes![step.uri]), taken.label);
    }
    return true;
  }

  /** Files findings under their causes (warnings apart) and logs each new cause. */
  private record(step: Step, all: Finding[], recipe: Recipe): void {
    const example = (): Example => ({ seed: this.opts.seed, index: step.index, step, text: step.text, recipe, settings: this.planner.settings });
    this.report.warnings.add(
      all.filter((f) => WARNING_KINDS.has(f.kind)),
      example,
    );
    for (const { finding: f } of this.report.failures.add(
      all.filter((f) => !WARNING_KINDS.has(f.kind)),
      example,
    )) {
      this.opts.log(`[fuzz] seed ${this.opts.seed} doc ${step.index}: ${f.kind} in ${f.method}${f.subject ? ` (${f.subject})` : ''}: ${f.detail.split('\n')[0].slice(0, 300)}`);
    }
  }

  /** A fresh server with the planner's open documents, minus the one that broke the last. */
  private async restart(culprit: string): Promise<void> {
    this.session.kill();
    this.planner.open.delete(culprit);
    this.lastDiagnostics.delete(culprit);
    this.session = new ServerSession(FUZZ_ROOT, this.planner.settings);
    await this.session.start();
    const reopened: OpenDocument[] = [];
    for (const doc of this.planner.open.values()) {
      const order = [doc.uri, doc.uri, ...reopened.map((d) => d.uri)];
      await analyse(
        this.session,
        () => this.session.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'yaml', version: doc.version, text: doc.text } }),
        order,
        doc,
        this.textOf,
      );
      reopened.push(doc);
    }
  }
}

/** Up to two resolves and one refactoring per code action answer; the simulator and one weight per view. */
function chooseFollowUps(rng: Rng, followUps: Recipe[]): Recipe[] {
  const quota: Record<string, number> = { 'codeAction/resolve': 2, 'istio/refactor': 1, 'istio/simulate': 1, 'istio/setWeight': 1, 'istio/trafficModel': 1 };
  return rng.shuffle(followUps).filter((r) => (quota[r.method] = (quota[r.method] ?? 0) - 1) >= 0);
}
