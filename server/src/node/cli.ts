// Entry point of `istio-lint` (dist/cli.js): passes the real file system to the checker and
// turns every I/O problem into one line on stderr, never a stack trace.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, type BigIntStats, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { runLint, type IoFailure, type LintFileSystem, type LintResult, type PathStat } from '../cli/lint';
import { folderSchemaSource } from './schemaSource';

// libuv's wording where a plainer one exists; any other code keeps libuv's.
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ELOOP: 'symlink loop',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/** 'permission denied (EACCES)': Node's message without the syscall and path it repeats. */
function describeError(e: unknown): string {
  const error = e as NodeJS.ErrnoException;
  if (!error?.code) return String((e as Error)?.message ?? e);
  const libuv = error.message.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+( '.*')?$/s, '');
  return `${REASONS[error.code] ?? libuv} (${error.code})`;
}

function describeSpecial(s: Stats | BigIntStats): string {
  const what = s.isFIFO() ? 'FIFO' : s.isCharacterDevice() ? 'character device' : s.isBlockDevice() ? 'block device' : s.isSocket() ? 'socket' : 'unknown type';
  return `not a regular file (${what})`;
}

function stat(path: string): PathStat {
  try {
    // bigint: inode numbers above 2^53 exist (XFS, btrfs), and device + inode names a file.
    const s = statSync(path, { bigint: true });
    const identity = `${s.dev}:${s.ino}`;
    if (s.isFile()) return { kind: 'file', identity, size: Number(s.size) };
    if (s.isDirectory()) return { kind: 'directory', identity };
    return { kind: 'other', reason: describeSpecial(s) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing', reason: danglingTarget(path) ?? describeError(e) };
    if (code === 'ELOOP') return { kind: 'loop', reason: describeError(e) };
    return { kind: 'error', reason: describeError(e) };
  }
}

/** The reason for a symlink whose target does not exist; undefined when path is no symlink. */
function danglingTarget(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
    return `dangling symlink (its target ${readlinkSync(path)} does not exist)`;
  } catch {
    return undefined;
  }
}

function readDir(path: string): string[] | IoFailure {
  try {
    return readdirSync(path);
  } catch (e) {
    return { failure: describeError(e) };
  }
}

function readFile(path: string): string | IoFailure {
  let fd: number | undefined;
  try {
    // Should the path have become a FIFO since stat, O_NONBLOCK keeps open from waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const s = fstatSync(fd);
    if (!s.isFile()) return { failure: describeSpecial(s) };
    return readFileSync(fd, 'utf8');
  } catch (e) {
    return { failure: describeError(e) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const cwd = process.cwd();
const fileSystem: LintFileSystem = {
  stat,
  readDir,
  readFile,
  join,
  display(path) {
    if (!isAbsolute(path)) return path;
    const rel = relative(cwd, resolve(path));
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  },
};

const debug = process.env.ISTIO_LINT_DEBUG === '1';

/** The last resort: a bug outside the per-file boundaries still ends in one line and exit 2. */
function lint(): LintResult {
  try {
    return runLint(process.argv.slice(2), fileSystem, folderSchemaSource(join(__dirname, '..', 'schemas')), { debug });
  } catch (e) {
    const detail = debug && e instanceof Error ? `\n${e.stack}` : '';
    return { exitCode: 2, stdout: '', stderr: `istio-lint: internal error: ${describeError(e)}; please report${detail}\n` };
  }
}

const result = lint();
process.exitCode = result.exitCode;
// A reader that stops early (`istio-lint . | head`) closes the pipe: nothing more to say, and
// the result is known. Any other write failure (a full disk) gets one line.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') process.stderr.write(`istio-lint: cannot write the output: ${describeError(e)}\n`);
  process.exit(e.code === 'EPIPE' ? result.exitCode : 2);
});
// Nowhere left to report a failure to write the errors themselves.
process.stderr.on('error', () => process.exit(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
