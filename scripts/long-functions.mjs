#!/usr/bin/env node
// Function length: lists every function-like node (functions, methods, arrows, accessors,
// constructors) whose body spans more than LIMIT lines, counted from the body's first line to its
// last, and prints the longest one.
//
//   node scripts/long-functions.mjs [--limit 60] [folder-or-file ...]   (default: server/src client/src)
//
// Exits 1 when some function is over the limit.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const at = args.indexOf('--limit');
const limit = at === -1 ? 60 : Number(args.splice(at, 2)[1]);
const roots = args.length > 0 ? args : ['server/src', 'client/src'];

const files = [];
const walk = (path) => {
  if (!statSync(path).isDirectory()) return void (/\.tsx?$/.test(path) && !path.endsWith('.d.ts') && files.push(path));
  for (const name of readdirSync(path)) walk(join(path, name));
};
roots.forEach(walk);

const nameOf = (node, sf) =>
  node.name ? node.name.getText(sf) : ts.isVariableDeclaration(node.parent) || ts.isPropertyDeclaration(node.parent) ? node.parent.name.getText(sf) : ts.SyntaxKind[node.kind];
const found = [];
for (const file of files) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const line = (pos) => sf.getLineAndCharacterOfPosition(pos).line;
      const first = line(node.body.getStart(sf));
      found.push({ where: `${file}:${first + 1}`, name: nameOf(node, sf), lines: line(node.body.getEnd()) - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
found.sort((a, b) => b.lines - a.lines);
const over = found.filter((f) => f.lines > limit);
for (const f of over) console.log(`${f.lines}\t${f.where}\t${f.name}`);
if (found[0]) console.log(`longest: ${found[0].lines} lines, ${found[0].name} (${found[0].where}); ${over.length} over ${limit} in ${files.length} files`);
process.exitCode = over.length > 0 ? 1 : 0;
