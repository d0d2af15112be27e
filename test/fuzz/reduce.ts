// Delta debugging by lines (ddmin, complements only), bounded in time: the smallest input that
// still shows the same cause, replayed on a server of its own.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailureBook, FailureRecord } from './failures';
import type { OpenDocument, Step } from './plan';
import { anchorLines, remapRecipe, type Recipe } from './recipes';
import { Replayer } from './replay';
import { writeSummary } from './summary';

/** Removes chunks of lines (never the anchored ones) while the test still fails, until time runs out. */
async function ddmin(lines: string[], anchors: number[], test: (kept: number[]) => Promise<boolean>, until: number): Promise<number[]> {
  let kept = lines.map((_, i) => i);
  let chunks = 2;
  while (performance.now() < until) {
    const removable = kept.filter((i) => !anchors.includes(i));
    if (removable.length === 0) break;
    chunks = Math.min(chunks, removable.length);
    const size = Math.ceil(removable.length / chunks);
    let reduced = false;
    for (let c = 0; c < chunks && performance.now() < until; c++) {
      const drop = new Set(removable.slice(c * size, (c + 1) * size));
      const candidate = kept.filter((i) => !drop.has(i));
      if (await test(candidate)) {
        kept = candidate;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunks >= removable.length) break;
      chunks = Math.min(chunks * 2, removable.length);
    }
  }
  return kept;
}

interface Reduced {
  text: string;
  recipe: Recipe;
  note: string;
  /** The documents that had to be open beside it. */
  context: OpenDocument[];
}

async function reduceOne(replayer: Replayer, book: FailureBook, record: FailureRecord, ms: number, history: Step[], totalUntil: number): Promise<Reduced> {
  const { text, recipe, step } = record.first;
  const until = performance.now() + ms;
  const setups: [OpenDocument[], boolean, string][] = [
    [[], false, 'reproduces on its own'],
    [step.others, false, 'needs the other documents that were open'],
    ...(step.previous !== undefined ? ([[step.others, true, 'needs the incremental change (open the previous text, then apply the change)']] as [OpenDocument[], boolean, string][]) : []),
  ];
  for (const [context, replay, note] of setups) {
    if (performance.now() > until) break;
    if (!(await replayer.reproduces(book, record, text, recipe, context, replay))) continue;
    if (replay) return { text, recipe, context, note: `${note}; not reduced` };
    const lines = text.split('\n');
    const test = async (kept: number[]) => {
      const r = remapRecipe(recipe, kept, lines.length);
      return !!r && (await replayer.reproduces(book, record, kept.map((i) => lines[i]).join('\n'), r, context, false));
    };
    const kept = await ddmin(lines, anchorLines(recipe), test, until);
    const complete = performance.now() < until ? 'reduced to a 1-minimal set of line chunks' : 'reduction stopped at its time limit';
    return { text: kept.map((i) => lines[i]).join('\n'), recipe: remapRecipe(recipe, kept, lines.length) ?? recipe, context, note: `${note}; ${complete} (${lines.length} → ${kept.length} lines)` };
  }
  const upTo = history.filter((s) => s.index <= record.first.index);
  if (totalUntil - performance.now() > 30000 && (await replayer.reproducesAfterHistory(book, record, upTo, totalUntil))) {
    return {
      text,
      recipe,
      context: step.others,
      note: `reproduces only after the run's earlier steps: replaying steps 0..${record.first.index} (their notifications, without their requests) on a fresh server shows it; the input is the original`,
    };
  }
  return {
    text,
    recipe,
    context: step.others,
    note: 'did not reproduce on a fresh server, alone or with the documents open beside it (depends on earlier state or timing); the input is the original',
  };
}

/** Removes a previous run's files of this seed, so that the folder shows this run only. */
export function clearResults(outDir: string, seed: number): void {
  try {
    for (const name of readdirSync(outDir)) if (name.startsWith(`${seed}-`)) rmSync(join(outDir, name));
  } catch {
    // no folder yet
  }
}

/** Reduces every failure's first example (within the time budgets) and writes them to outDir. */
export async function reduceAll(
  opts: { seed: number; reduceMs: number; reduceTotalMs: number; outDir: string; log: (l: string) => void },
  failures: FailureBook,
  warnings: FailureBook,
  root: string,
  history: Step[],
): Promise<string[]> {
  mkdirSync(opts.outDir, { recursive: true });
  if (failures.records.size === 0) return [writeSummary(opts, failures, warnings)];
  const replayer = new Replayer(root);
  const until = performance.now() + opts.reduceTotalMs;
  const files: string[] = [];
  const used = new Map<number, number>();
  for (const record of failures.records.values()) {
    replayer.lastDetail = undefined;
    const left = until - performance.now();
    const reduced: Reduced =
      left > 500
        ? await reduceOne(replayer, failures, record, Math.min(opts.reduceMs, left), history, until)
        : { text: record.first.text, recipe: record.first.recipe, context: record.first.step.others, note: 'not reduced (the reduction budget ran out)' };
    const n = (used.get(record.first.index) ?? 0) + 1;
    used.set(record.first.index, n);
    const base = join(opts.outDir, `${opts.seed}-${record.first.index}${n > 1 ? `-${n}` : ''}`);
    writeFileSync(`${base}.yaml`, reduced.text);
    const { signature, finding, count } = record;
    const { uri, base: from, mutations } = record.first.step;
    const saved = { signature, finding, count, uri, recipe: reduced.recipe, note: reduced.note, from, mutations, settings: record.first.settings, context: reduced.context };
    writeFileSync(`${base}.json`, JSON.stringify(saved, null, 2));
    record.reduced = { text: reduced.text, recipe: reduced.recipe, note: reduced.note, file: `${base}.yaml`, detail: replayer.lastDetail };
    files.push(`${base}.yaml`);
    opts.log(`[fuzz] ${base}.yaml: ${record.signature} — ${reduced.note}`);
  }
  await replayer.stop();
  files.push(writeSummary(opts, failures, warnings));
  return files;
}
