// A seeded fuzzer over the real server (dist/server.js over stdio): mutated real manifests, every
// request at random positions, and the properties of docs/DESIGN: no failed request, nothing slow,
// no error logged, every edit in range, parsing and keeping comments, the server alive.
// Short run here (FUZZ_DOCS, default 800); long runs: `npm run fuzz -- --docs 5000 --seed 7`;
// saved failures again: `npm run fuzz -- --replay test-results/fuzz` (a folder or one .json).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../support';
import { stats } from './answers';
import { replaySaved } from './replay';
import { FUZZ_ROOT, runFuzz } from './runner';
import { describeBook } from './summary';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const docs = env('FUZZ_DOCS', 800);
const seed = env('FUZZ_SEED', 1);
const reduceTotalMs = env('FUZZ_REDUCE_TOTAL_MS', 20000);
const replay = process.env.FUZZ_REPLAY;

// Stacks in the server's error logs point at server/src, not at the bundle, and reach our frames.
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --enable-source-maps --stack-trace-limit=40`.trim();

if (replay) {
  it(`replays the saved failures of ${replay}`, async () => {
    const files = statSync(replay).isDirectory()
      ? readdirSync(replay)
          .filter((f) => f.endsWith('.json'))
          .map((f) => join(replay, f))
      : [replay];
    const still: string[] = [];
    for (const file of files.sort()) {
      const { signature, still: fails, findings } = await replaySaved(file, FUZZ_ROOT);
      console.log(
        `[fuzz] ${file}: ${fails ? 'STILL FAILS' : 'fixed'} — ${signature}${findings.length ? `\n  now: ${findings.map((f) => `${f.kind} in ${f.method}: ${f.detail.split('\n')[0].slice(0, 200)}`).join('\n  now: ')}` : ''}`,
      );
      if (fails) still.push(`${file}: ${signature}`);
    }
    expect(still).toEqual([]);
  }, 600000);
} else {
  it(
    `keeps every property over ${docs} mutated documents (seed ${seed})`,
    async () => {
      const report = await runFuzz({
        seed,
        docs,
        maxFailures: env('FUZZ_MAX_FAILURES', 50),
        reduceMs: env('FUZZ_REDUCE_MS', 5000),
        reduceTotalMs,
        outDir: join(repoRoot, 'test-results', 'fuzz'),
        log: (line) => console.log(line),
      });
      const seconds = (report.ms / 1000).toFixed(1);
      console.log(
        `[fuzz] seed ${seed}: ${report.docs} documents (${report.parsing} parse), ${report.requests} requests in ${seconds} s; ${report.failures.records.size} distinct failures, ${report.warnings.records.size} warnings`,
      );
      if (report.warnings.records.size)
        console.log(`[fuzz] warnings (not failures):\n${[...report.warnings.records.values()].map((w) => `  ${w.signature} ${w.count}× — ${w.finding.detail.split('\n')[0]}`).join('\n')}`);
      console.log(`[fuzz] requests (sent / with an answer / slowest ms):\n${[...stats].map(([m, s]) => `  ${m}: ${s.sent} / ${s.useful} / ${Math.round(s.maxMs)}`).join('\n')}`);
      const failures = [...report.failures.records.values()];
      if (failures.length) console.log(describeBook(report.failures));
      const again = `replay: npm run fuzz -- --docs ${report.docs} --seed ${seed}; reduced inputs and test-results/fuzz/${seed}-summary.md`;
      expect(
        failures.map((f) => `${f.signature} (document ${f.first.index}, ${f.count}×)`),
        again,
      ).toEqual([]);
    },
    docs * 400 + reduceTotalMs + 60000,
  );
}
