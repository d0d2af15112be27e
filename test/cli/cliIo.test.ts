// istio-lint (dist/cli.js) on a real disk: symlink cycles and loops, FIFOs, devices, unreadable
// folders, oversized files and a closed stdout each end in one line on stderr, never a stack trace.
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../server/src/cli/lint';
import { repoRoot } from '../support';

const cli = join(repoRoot, 'dist', 'cli.js');
const BAD = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  bogus: 1\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n';
const GOOD = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n';

const tmp = mkdtempSync(join(tmpdir(), 'istio-lint-io-'));
// Readable by `nobody`, who runs the permission test when the suite runs as root.
chmodSync(tmp, 0o755);
afterAll(() => {
  if (existsSync(join(tmp, 'perm', 'locked'))) chmodSync(join(tmp, 'perm', 'locked'), 0o755);
  rmSync(tmp, { recursive: true, force: true });
});

function lint(args: string[], options: SpawnSyncOptions = {}, program = cli) {
  // The timeout only turns a hang (a FIFO opened for reading) into a failure instead of a stuck suite.
  const r = spawnSync(process.execPath, [program, ...args], { cwd: tmp, encoding: 'utf8', timeout: 30_000, ...options });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function tree(name: string, files: Record<string, string>): string {
  const root = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('istio-lint I/O problems (real disk)', () => {
  it('follows a symlink cycle once: each file reported once', () => {
    const root = tree('cycle', { 'sub/bad.yaml': BAD });
    symlinkSync('..', join(root, 'sub', 'up'));
    symlinkSync('sub/bad.yaml', join(root, 'same.yaml'));
    const r = lint(['cycle']);
    expect(r).toEqual({ code: 1, stdout: expect.stringMatching(/\n1 file checked: 1 error\.\n$/), stderr: '' });
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('names a symlink loop, a dangling symlink, a FIFO and /dev/null for what they are', () => {
    const root = tree('special', { 'ok.yaml': BAD });
    symlinkSync('b', join(root, 'a'));
    symlinkSync('a', join(root, 'b'));
    symlinkSync('nowhere.yaml', join(root, 'dangling.yaml'));
    execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
    const r = lint(['special/a', 'special/dangling.yaml', 'special/fifo.yaml', '/dev/null', 'special/missing.yaml', 'special/ok.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      'istio-lint: special/a: symlink loop (ELOOP)',
      'istio-lint: special/dangling.yaml: dangling symlink (its target nowhere.yaml does not exist)',
      'istio-lint: special/fifo.yaml: not a regular file (FIFO)',
      'istio-lint: /dev/null: not a regular file (character device)',
      'istio-lint: special/missing.yaml: no such file or directory (ENOENT)',
      '',
    ]);
    expect(r.stdout).toMatch(/^special\/ok\.yaml:5:3 error IST0106 .*\n5 paths could not be read; 1 error in the file checked\.\n$/);
  });

  it('skips symlink loops, dangling symlinks and FIFOs found in a folder', () => {
    const root = tree('walked', { 'ok.yaml': GOOD });
    symlinkSync('b.yaml', join(root, 'a.yaml'));
    symlinkSync('a.yaml', join(root, 'b.yaml'));
    symlinkSync('nowhere.yaml', join(root, 'dangling.yaml'));
    execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
    expect(lint(['walked'])).toEqual({ code: 0, stdout: '1 file checked: no problems.\n', stderr: '' });
  });

  it('reports a folder it cannot read and checks the others', () => {
    const root = tree('perm', { 'a/bad.yaml': BAD, 'locked/x.yaml': BAD });
    chmodSync(join(root, 'locked'), 0);
    // root reads any folder: run as nobody then, which only the test runner's own uid can arrange.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    // nobody may not reach the checkout (a clone under a 0700 mktemp folder): it runs a copy of
    // the bundle and its schemas from the readable temp folder.
    cpSync(cli, join(tmp, 'copy', 'dist', 'cli.js'));
    cpSync(join(repoRoot, 'schemas'), join(tmp, 'copy', 'schemas'), { recursive: true });
    const r = lint(['perm'], asNobody, join(tmp, 'copy', 'dist', 'cli.js'));
    expect(r.stderr).toBe('istio-lint: cannot read directory perm/locked: permission denied (EACCES)\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^perm\/a\/bad\.yaml:5:3 error IST0106 .*\n1 path could not be read; 1 error in the file checked\.\n$/);
  });

  it('reports a file over the size limit without reading it, and checks the others', () => {
    const root = tree('big', { 'ok.yaml': BAD });
    // Sparse: as large as stat says without writing 10 MB, and all NULs, which a reader would choke on.
    writeFileSync(join(root, 'huge.yaml'), '');
    truncateSync(join(root, 'huge.yaml'), MAX_FILE_BYTES + 1);
    const r = lint(['big']);
    expect(r.stderr).toBe('istio-lint: big/huge.yaml: file too large (10.1 MB; the limit is 10 MB)\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^big\/ok\.yaml:5:3 error IST0106 .*\n1 path could not be read; 1 error in the file checked\.\n$/);
  });

  it('says beside a missing path that it could not be read, never just "no problems"', () => {
    tree('clean', { 'ok.yaml': GOOD });
    expect(lint(['clean', 'clean/typo.yaml'])).toEqual({
      code: 2,
      stdout: '1 path could not be read; no problems in the file checked.\n',
      stderr: 'istio-lint: clean/typo.yaml: no such file or directory (ENOENT)\n',
    });
  });

  it('stops quietly when the reader closes the pipe (| head)', () => {
    // Far more output than a pipe holds, so writes go on after head has exited.
    const fields = Array.from({ length: 400 }, (_, i) => `  bogus${i}: 1\n`).join('');
    const files = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [
        `g${i}.yaml`,
        `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g${i}}\nspec:\n${fields}  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [g${i}.example.com]\n`,
      ]),
    );
    tree('many', files);
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" many | head -1`], { cwd: tmp, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^many\/g0\.yaml:5:3 error IST0106 [^\n]*\n$/);
  });
});
