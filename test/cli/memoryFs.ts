// An in-memory LintFileSystem for istio-lint's unit tests: folders, files, symlinks (absolute
// targets, resolved component by component like the kernel does, so cycles and loops behave as
// on disk), FIFOs, and injected failures such as EACCES that root never sees on a real disk.
import type { IoFailure, LintFileSystem, PathStat } from '../../server/src/cli/lint';

const MAX_HOPS = 40;

export class MemoryFs implements LintFileSystem {
  private readonly files = new Map<string, string>();
  private readonly sizes = new Map<string, number>();
  private readonly dirs = new Set<string>(['/']);
  private readonly links = new Map<string, string>();
  private readonly fifos = new Set<string>();
  private readonly failures = new Map<string, string>();
  /** Every path readFile was called with, to prove what was never opened. */
  readonly reads: string[] = [];

  file(path: string, text: string, size?: number): this {
    this.parent(path);
    this.files.set(path, text);
    if (size !== undefined) this.sizes.set(path, size);
    return this;
  }

  dir(path: string): this {
    this.parent(path);
    this.dirs.add(path);
    return this;
  }

  link(path: string, target: string): this {
    this.parent(path);
    this.links.set(path, target);
    return this;
  }

  fifo(path: string): this {
    this.parent(path);
    this.fifos.add(path);
    return this;
  }

  /** readDir or readFile of the (real) path fails with this reason. */
  fail(path: string, reason: string): this {
    this.failures.set(path, reason);
    return this;
  }

  stat(path: string): PathStat {
    const real = this.resolve(path);
    if (real === undefined) return { kind: 'loop', reason: 'symlink loop (ELOOP)' };
    if (this.files.has(real)) return { kind: 'file', identity: real, size: this.sizes.get(real) ?? this.files.get(real)!.length };
    if (this.dirs.has(real)) return { kind: 'directory', identity: real };
    if (this.fifos.has(real)) return { kind: 'other', reason: 'not a regular file (FIFO)' };
    return { kind: 'missing', reason: 'no such file or directory (ENOENT)' };
  }

  readDir(path: string): string[] | IoFailure {
    const real = this.resolve(path)!;
    const failure = this.failures.get(real);
    if (failure) return { failure };
    const prefix = real === '/' ? '/' : `${real}/`;
    const all = [...this.files.keys(), ...this.dirs, ...this.links.keys(), ...this.fifos];
    return all.filter((p) => p.startsWith(prefix) && p.length > prefix.length && !p.slice(prefix.length).includes('/')).map((p) => p.slice(prefix.length));
  }

  readFile(path: string): string | IoFailure {
    this.reads.push(path);
    const real = this.resolve(path)!;
    const failure = this.failures.get(real);
    return failure ? { failure } : this.files.get(real)!;
  }

  join(...parts: string[]): string {
    return parts.join('/').replace(/\/+/g, '/');
  }

  display(path: string): string {
    return path;
  }

  private parent(path: string): void {
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if (!this.dirs.has(parent)) this.dir(parent);
  }

  /** The real path, or undefined after too many symlinks (ELOOP). */
  private resolve(path: string): string | undefined {
    let rest = path.split('/').filter(Boolean);
    let done: string[] = [];
    for (let hops = 0; rest.length > 0;) {
      const current = `/${[...done, rest[0]].join('/')}`;
      const target = this.links.get(current);
      rest = rest.slice(1);
      if (target === undefined) {
        done.push(current.slice(current.lastIndexOf('/') + 1));
        continue;
      }
      if (++hops > MAX_HOPS) return undefined;
      rest = [...target.split('/').filter(Boolean), ...rest];
      done = [];
    }
    return `/${done.join('/')}`;
  }
}
