// The manifests the fuzzer mutates: our samples and fixtures, and Istio's own samples.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, sharedDir } from '../support';

export interface CorpusFile {
  /** Path relative to the repository (or to the shared folder's parent for Istio's samples). */
  name: string;
  path: string;
  text: string;
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
    });
}

/** Sorted by name so that a seed picks the same files on every machine. */
export function loadCorpus(): CorpusFile[] {
  const roots = [join(repoRoot, 'samples'), join(repoRoot, 'test', 'fixtures'), join(sharedDir, 'istio-samples')];
  const files = roots.flatMap(yamlFiles).map((path) => ({ name: relative(repoRoot, path), path, text: readFileSync(path, 'utf8') }));
  if (files.length === 0) throw new Error('the fuzz corpus is empty');
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const onDisk = new Map<string, string | undefined>();

/** A workspace file's text on disk (the fuzzer never writes there), for edits of files that are not open. */
export function diskText(uri: string): string | undefined {
  if (!onDisk.has(uri)) {
    const path = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    onDisk.set(uri, path && existsSync(path) ? readFileSync(path, 'utf8') : undefined);
  }
  return onDisk.get(uri);
}
