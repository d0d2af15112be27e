// Line helpers the mutations share: a YAML file seen as lines with indentation and subtrees.
import type { CorpusFile } from './corpus';
import type { Rng } from './rng';

export const MAX_LINES = 5000;

export type Mutation = (rng: Rng, text: string, corpus: readonly CorpusFile[]) => string;

export const lines = (text: string) => text.split('\n');

export const indentOf = (line: string) => line.search(/\S|$/);

export const contentLines = (ls: string[]) => ls.flatMap((l, i) => (l.trim() && !l.trim().startsWith('#') ? [i] : []));

/** The line and the lines below it that are indented deeper (its subtree), as [start, end). */
export function blockAt(ls: string[], i: number): [number, number] {
  const indent = indentOf(ls[i]);
  let j = i + 1;
  while (j < ls.length && (!ls[j].trim() || indentOf(ls[j]) > indent || (ls[j].trimStart().startsWith('- ') && indentOf(ls[j]) === indent && !ls[i].trimStart().startsWith('- ')))) j++;
  return [i, j];
}

export function pickLine(rng: Rng, ls: string[], test: (l: string) => boolean = () => true): number | undefined {
  const candidates = contentLines(ls).filter((i) => test(ls[i]));
  return candidates.length ? rng.pick(candidates) : undefined;
}

export const SCALAR_LINE = /^(\s*(?:- )*)([^\s#:'"][^:#]*:|-)(\s+)(\S.*)$/;

export const documentsOf = (text: string) => text.split(/^---.*$/m).filter((d) => d.trim());
