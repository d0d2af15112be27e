// Big and deep inputs (still at most 5,000 lines): repeated subtrees, bundles of manifests, nesting
// thousands deep, alias bombs, a resource a thousand times, values slow for naive code.
import { blockAt, documentsOf, indentOf, lines, MAX_LINES, pickLine, SCALAR_LINE, type Mutation } from './text';

export const repeatSubtree: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls, (l) => indentOf(l) > 0);
  if (at === undefined) return text;
  const [start, end] = blockAt(ls, at);
  const block = ls.slice(start, end);
  const times = Math.min(rng.pick([2, 3, 10, 50, 200]), Math.floor((MAX_LINES - ls.length) / Math.max(1, block.length)));
  ls.splice(end, 0, ...Array.from({ length: Math.max(0, times) }, () => block).flat());
  return ls.join('\n');
};

/** A large file: documents of the corpus until thousands of lines (a generated manifest bundle). */
export const huge: Mutation = (rng, text, corpus) => {
  const parts = [text];
  let count = text.split('\n').length;
  const target = rng.int(2000, MAX_LINES);
  while (count < target) {
    const next = rng.pick(corpus).text;
    parts.push(next);
    count += next.split('\n').length + 1;
  }
  return parts.join('\n---\n');
};

/** Values that are slow for naive code: very long hosts, regexes, unicode, brackets (still one line each). */
const PATHOLOGICAL = [
  () => 'a.'.repeat(20000) + 'b',
  () => '*.'.repeat(5000) + 'com',
  () => '('.repeat(3000),
  () => '[a-z]'.repeat(2000),
  () => 'x-'.repeat(10000),
  () => 'é'.repeat(20000),
  () => '"' + '\\"'.repeat(5000) + '"',
  () => '(a+)+'.repeat(500) + 'b',
  () => '{'.repeat(2000),
  () => 'a'.repeat(100000),
];

export const pathological: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls, (l) => SCALAR_LINE.test(l));
  if (at === undefined) return text;
  const [, lead, key, space] = SCALAR_LINE.exec(ls[at])!;
  ls[at] = `${lead}${key}${space}${rng.pick(PATHOLOGICAL)()}`;
  return ls.join('\n');
};

/** Nesting thousands deep: flow brackets on one line, or block mappings indented line by line. */
export const deepNest: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = rng.int(0, ls.length);
  const depth = rng.pick([100, 1000, 5000]);
  if (rng.chance(0.6)) {
    const [open, close] = rng.pick([
      ['[', ']'],
      ['{a: ', '}'],
      ['- ', ''],
    ]);
    ls.splice(at, 0, `  deep: ${open.repeat(depth)}x${close.repeat(depth)}`);
  } else {
    const levels = Math.min(depth, 1000, MAX_LINES - ls.length);
    ls.splice(at, 0, ...Array.from({ length: levels }, (_, i) => `${' '.repeat(2 + i)}k${i}:`));
  }
  return ls.join('\n');
};

/** The billion laughs, placed in a resource's spec (or wherever the line falls). */
export const aliasBomb: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls, (l) => /^\s+\w+:\s*$/.test(l)) ?? ls.length - 1;
  const indent = ' '.repeat(indentOf(ls[at] ?? '') + 2);
  const levels = rng.int(3, 9);
  const bomb = [`${indent}l0: &l0 [x, x, x, x, x, x, x, x, x]`];
  for (let i = 1; i <= levels; i++)
    bomb.push(
      `${indent}l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  ls.splice(at + 1, 0, ...bomb);
  return ls.join('\n');
};

/** One resource many times with numbered names: cross-resource checks must stay near-linear. */
export const manyResources: Mutation = (rng, text) => {
  const docs = documentsOf(text);
  if (docs.length === 0) return text;
  const doc = rng.pick(docs).replace(/^\n+|\n+$/g, '');
  const copies = Math.min(rng.pick([50, 200, 1000]), Math.floor(MAX_LINES / Math.max(1, lines(doc).length + 1)));
  const renamed = (i: number) => (rng.chance(0.5) ? doc.replace(/^(\s+name:\s*)(\S+)/m, `$1$2-${i}`) : doc);
  return Array.from({ length: copies }, (_, i) => renamed(i)).join('\n---\n');
};
