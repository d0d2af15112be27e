// Which files istio-lint checks: the paths named on the command line and the YAML files found
// under the named folders. Pure logic over the LintFileSystem that the entry point passes in.
import { isSkippedFolder, isYamlName } from '../workspace/files';

/**
 * What a path names, following symlinks. `reason` is printed as is after the path:
 * 'no such file or directory', 'symlink loop (ELOOP)', 'not a regular file (FIFO)',
 * 'permission denied (EACCES)'.
 */
export type PathStat =
  /** `identity` is the same for every path to one file (its device and inode, or its real path). */
  | { kind: 'file'; identity: string; size: number }
  | { kind: 'directory'; identity: string }
  /** A FIFO, device or socket: never opened, since reading a FIFO waits for a writer. */
  | { kind: 'other'; reason: string }
  /** Nothing there, or a dangling symlink. */
  | { kind: 'missing'; reason: string }
  | { kind: 'loop'; reason: string }
  /** Any other failure of stat, such as EACCES in a folder that cannot be searched. */
  | { kind: 'error'; reason: string };

/** Why a read failed, as printed: 'permission denied (EACCES)'. */
export interface IoFailure {
  readonly failure: string;
}

export interface LintFileSystem {
  /** Never throws: a failure is a kind of its own. */
  stat(path: string): PathStat;
  readDir(path: string): string[] | IoFailure;
  /** Only called on paths that stat found to be regular files within the size limit. */
  readFile(path: string): string | IoFailure;
  join(...parts: string[]): string;
  /** The path as printed: relative to the working directory when inside it. */
  display(path: string): string;
}

export interface FoundFile {
  path: string;
  size: number;
  /** Named on the command line (checked whatever it holds), not found in a folder. */
  named: boolean;
}

export interface FoundFiles {
  files: FoundFile[];
  /** One line each, without the `istio-lint: ` prefix. */
  errors: string[];
}

export function isIoFailure(value: unknown): value is IoFailure {
  return typeof value === 'object' && value !== null && 'failure' in value;
}

interface Pending {
  path: string;
  /** Named on the command line, not found in a folder. */
  named: boolean;
  stat?: PathStat;
}

/**
 * The files to check, in command-line order and then by name, each real file and folder once:
 * symlinks that lead back into a folder being walked (cycles) or to a file already found add
 * nothing. A walk skips silently what an editor's explorer would not open (FIFOs, devices,
 * sockets, dangling symlinks, symlink loops); a path named on the command line that is not a
 * regular file or folder is an error.
 */
export function collectFiles(fs: LintFileSystem, paths: string[]): FoundFiles {
  const found: FoundFiles = { files: [], errors: [] };
  const seen = new Set<string>();
  // An explicit stack rather than recursion: a deep tree must not overflow the call stack.
  const stack: Pending[] = paths.map((path) => ({ path, named: true })).reverse();
  for (let next = stack.pop(); next; next = stack.pop()) {
    const stat = next.stat ?? fs.stat(next.path);
    if (stat.kind === 'file' || stat.kind === 'directory') {
      if (seen.has(stat.identity)) continue;
      seen.add(stat.identity);
      if (stat.kind === 'file') found.files.push({ path: next.path, size: stat.size, named: next.named });
      // One push at a time: spreading a folder of 100,000 entries into push() overflows the stack.
      else for (const child of children(fs, next.path, found.errors).reverse()) stack.push(child);
    } else if (next.named || stat.kind === 'error') {
      found.errors.push(`${fs.display(next.path)}: ${stat.reason}`);
    }
  }
  return found;
}

/** The entries of a folder worth a look, by name: YAML files, folders, and what stat fails on. */
function children(fs: LintFileSystem, dir: string, errors: string[]): Pending[] {
  const names = fs.readDir(dir);
  if (isIoFailure(names)) {
    errors.push(`cannot read directory ${fs.display(dir)}: ${names.failure}`);
    return [];
  }
  const out: Pending[] = [];
  for (const name of names.sort()) {
    const path = fs.join(dir, name);
    const stat = fs.stat(path);
    // The editor's inclusion rule: the same folders are skipped (Helm chart templates included).
    if (stat.kind === 'directory' && isSkippedFolder(name, (file) => names.includes(file))) continue;
    // Any other name matters only as a folder, or when it cannot be told whether it is one.
    if (isYamlName(name) || stat.kind === 'directory' || stat.kind === 'error') out.push({ path, named: false, stat });
  }
  return out;
}
