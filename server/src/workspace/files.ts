// Which files of a folder count, for the server's scan, its file watcher and istio-lint alike:
// YAML files, minus dependency and VCS folders, Helm chart templates (not YAML until rendered),
// files holding template syntax, and the user's `istio.exclude` globs.

const SKIPPED_DIRS = new Set(['node_modules', '.git']);
const YAML_NAME = /\.ya?ml$/i;

/** A file name that can hold manifests. */
export function isYamlName(name: string): boolean {
  return YAML_NAME.test(name);
}

/** Is the sub-folder `name` left out? `hasSibling` says whether its folder holds a file: `templates/` beside a Chart.yaml (a Helm chart's) is. */
export function isSkippedFolder(name: string, hasSibling: (file: string) => boolean): boolean {
  return SKIPPED_DIRS.has(name) || (name === 'templates' && hasSibling('Chart.yaml'));
}

/**
 * Does the file at a folder-relative path count? The same rule as the walk of listWorkspaceFiles,
 * for one path (a file watcher's event): `hasFile(relative)` says whether a file exists, to tell
 * a Helm chart's `templates/` (beside its Chart.yaml) from any other folder of that name.
 */
export function isIncludedFile(relative: string, exclude: readonly RegExp[], hasFile: (relative: string) => boolean): boolean {
  const parts = relative.split('/');
  if (!isYamlName(parts[parts.length - 1]) || exclude.some((p) => p.test(relative))) return false;
  for (let i = 0; i < parts.length - 1; i++) {
    const parent = parts.slice(0, i).join('/');
    if (isSkippedFolder(parts[i], (file) => hasFile(parent ? `${parent}/${file}` : file))) return false;
  }
  return true;
}

export interface FolderEntry {
  name: string;
  isDirectory: boolean;
}

/** Reads a folder's entries; undefined when it cannot be read. */
export type ReadFolder = (path: string) => FolderEntry[] | undefined;

/**
 * Workspace-relative paths of the YAML files under `root`, walking with `readFolder`. `join`
 * builds child paths.
 */
export function listWorkspaceFiles(root: string, readFolder: ReadFolder, join: (a: string, b: string) => string, exclude: string[], limit = 50_000): string[] {
  const patterns = exclude.map(globToRegExp);
  const out: string[] = [];
  const walk = (dir: string, relative: string) => {
    const entries = readFolder(dir);
    if (!entries) return;
    const files = entries.filter((e) => !e.isDirectory).map((e) => e.name);
    for (const entry of entries) {
      if (out.length >= limit) return;
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (patterns.some((p) => p.test(rel))) continue;
      if (entry.isDirectory) {
        if (!isSkippedFolder(entry.name, (file) => files.includes(file))) walk(join(dir, entry.name), rel);
      } else if (isYamlName(entry.name)) {
        out.push(rel);
      }
    }
  };
  walk(root, '');
  return out.sort();
}

/** Helm and other templates are not YAML until rendered. */
export function isTemplate(text: string): boolean {
  return text.includes('{{');
}

/** `**` any path, `*` any characters but `/`, `?` one character; a pattern without `/` matches a name anywhere. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const anchored = glob.includes('/') ? `^${source}(?:/.*)?$` : `(?:^|/)${source}(?:/.*)?$`;
  return new RegExp(anchored);
}
