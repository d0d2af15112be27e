// Entry point of `istio-lint` (dist/cli.js): passes the real file system to the checker.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { runLint } from '../cli/lint';
import { folderSchemaSource } from './schemaSource';

const cwd = process.cwd();
const result = runLint(
  process.argv.slice(2),
  {
    stat(path) {
      try {
        const s = statSync(path);
        return s.isDirectory() ? 'directory' : s.isFile() ? 'file' : undefined;
      } catch {
        return undefined;
      }
    },
    readDir: (path) => readdirSync(path),
    readFile: (path) => readFileSync(path, 'utf8'),
    join,
    display(path) {
      if (!isAbsolute(path)) return path;
      const rel = relative(cwd, resolve(path));
      return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
    },
  },
  folderSchemaSource(join(__dirname, '..', 'schemas')),
);
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
