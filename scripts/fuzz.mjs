// Long fuzz runs: `npm run fuzz -- --docs 5000 --seed 7 [--max-failures 50] [--reduce-ms 10000] [--reduce-total-ms 600000]`;
// saved failures again (after a fix): `npm run fuzz -- --replay test-results/fuzz[/7-123.json]`.
// Builds dist/ (the fuzzer drives the bundled server), then runs test/fuzz/fuzz.test.ts with the options as FUZZ_* variables.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OPTIONS = { docs: 'FUZZ_DOCS', seed: 'FUZZ_SEED', 'max-failures': 'FUZZ_MAX_FAILURES', 'reduce-ms': 'FUZZ_REDUCE_MS', 'reduce-total-ms': 'FUZZ_REDUCE_TOTAL_MS' };
const env = { ...process.env, FUZZ_DOCS: '3000', FUZZ_REDUCE_MS: '10000', FUZZ_REDUCE_TOTAL_MS: '600000' };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const name = args[i].replace(/^--/, '').split('=')[0];
  const value = args[i].includes('=') ? args[i].split('=')[1] : args[++i];
  const ok = name === 'replay' ? value !== undefined : OPTIONS[name] && value !== undefined && /^\d+$/.test(value);
  if (!ok) {
    console.error(`usage: npm run fuzz -- [--docs N] [--seed S] [--max-failures N] [--reduce-ms MS] [--reduce-total-ms MS] | --replay <file.json|folder> (got ${args.join(' ')})`);
    process.exit(2);
  }
  env[name === 'replay' ? 'FUZZ_REPLAY' : OPTIONS[name]] = name === 'replay' ? resolve(value) : value;
}
const run = (argv) => spawnSync(process.execPath, argv, { cwd: root, env, stdio: 'inherit' }).status ?? 1;
if (run(['build.mjs']) !== 0) process.exit(1);
process.exit(run([join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz/fuzz.test.ts']));
