// Runs once before every e2e file: installs code-server and Chromium (scripts/e2e/setup.mjs; `npm
// start` needs only the former) and packages the extension, so each file starts its own workbench on the same .vsix.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../../scripts/e2e/setup.mjs';

/** Runs a command to completion; rejects with the end of its output when it fails. */
export function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      process.stdout.write(chunk);
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}`))));
  });
}

export default async function setup(): Promise<void> {
  // Fails (never skips) with the setup's message when a requirement cannot be met. Child
  // processes, awaited: a minutes-long synchronous install would block the test runner.
  await run('node', [join(root, 'scripts', 'e2e', 'setup.mjs')]);
  await run('npm', ['run', 'package']);
}
