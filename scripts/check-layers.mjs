// Fails when the project's own modules import each other in a circle. Every import counts: `import type`,
// `export ... from`, `import()` and `require()` (a type-only circle still ties the layers together).
// The layer direction itself is checked by ESLint (eslint.config.mjs); this adds what a per-file rule cannot see.
// Usage: node scripts/check-layers.mjs [folder ...]   (default: every TypeScript folder: shared, server/src, client/src, client/webview, test, scripts)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const folders = process.argv.length > 2 ? process.argv.slice(2) : ['shared', 'server/src', 'client/src', 'client/webview', 'test', 'scripts'];
const options = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, resolveJsonModule: true, allowJs: false };
const host = ts.createCompilerHost(options);

function sources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.(ts|mts|cts|tsx)$/.test(name) && !/\.d\.[mc]?ts$/.test(name)) out.push(path);
  }
  return out;
}

const files = folders.flatMap((f) => sources(join(root, f)));
const known = new Set(files);
/** file -> the project files it imports */
const graph = new Map();
for (const file of files) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = new Set();
  for (const { fileName } of info.importedFiles) {
    const resolved = ts.resolveModuleName(fileName, file, options, host).resolvedModule;
    if (resolved && !resolved.isExternalLibraryImport && known.has(resolve(resolved.resolvedFileName))) targets.add(resolve(resolved.resolvedFileName));
  }
  graph.set(file, [...targets].sort());
}

// Tarjan's strongly connected components; every component with more than one file (or a file importing itself) is a circle.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const circles = [];
function connect(v) {
  index.set(v, counter);
  low.set(v, counter);
  counter++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v)) {
    if (!index.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) !== index.get(v)) return;
  const component = [];
  let w;
  do {
    w = stack.pop();
    onStack.delete(w);
    component.push(w);
  } while (w !== v);
  if (component.length > 1 || graph.get(v).includes(v)) circles.push(component);
}
for (const file of files) if (!index.has(file)) connect(file);

/** One concrete circle inside a component, for the message: a shortest path from `start` back to itself. */
function circleThrough(component, start) {
  const inside = new Set(component);
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v)) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [];
        for (let u = v; u !== null; u = previous.get(u)) path.unshift(u);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

const rel = (f) => relative(root, f);
if (circles.length > 0) {
  console.error(`check-layers: ${circles.length} import circle(s) (type imports included):`);
  for (const component of circles) {
    const sorted = component.map(rel).sort();
    console.error(`- ${sorted.length} files: ${sorted.join(', ')}`);
    console.error(`  e.g. ${circleThrough(component, resolve(root, sorted[0])).map(rel).join(' -> ')}`);
  }
  process.exit(1);
}
console.log(`check-layers: ${files.length} files, no import circle.`);
