import { describe, expect, it } from 'vitest';
import { globToRegExp, isTemplate, listWorkspaceFiles, type FolderEntry } from '../../server/src/workspace/files';

const tree: Record<string, FolderEntry[]> = {
  '/ws': [
    { name: 'a.yaml', isDirectory: false },
    { name: 'notes.txt', isDirectory: false },
    { name: 'node_modules', isDirectory: true },
    { name: '.git', isDirectory: true },
    { name: 'chart', isDirectory: true },
    { name: 'env', isDirectory: true },
  ],
  '/ws/node_modules': [{ name: 'x.yaml', isDirectory: false }],
  '/ws/.git': [{ name: 'y.yml', isDirectory: false }],
  '/ws/chart': [
    { name: 'Chart.yaml', isDirectory: false },
    { name: 'values.yaml', isDirectory: false },
    { name: 'templates', isDirectory: true },
  ],
  '/ws/chart/templates': [{ name: 'vs.yaml', isDirectory: false }],
  '/ws/env': [
    { name: 'prod.yml', isDirectory: false },
    { name: 'dev.YAML', isDirectory: false },
    { name: 'generated', isDirectory: true },
  ],
  '/ws/env/generated': [{ name: 'big.yaml', isDirectory: false }],
};

const list = (exclude: string[]) =>
  listWorkspaceFiles(
    '/ws',
    (p) => tree[p],
    (a, b) => `${a}/${b}`,
    exclude,
  );

describe('workspace files', () => {
  it('lists YAML files, skipping node_modules, .git and Helm templates', () => {
    expect(list([])).toEqual(['a.yaml', 'chart/Chart.yaml', 'chart/values.yaml', 'env/dev.YAML', 'env/generated/big.yaml', 'env/prod.yml']);
  });

  it('applies exclude globs', () => {
    expect(list(['**/generated/**', 'chart'])).toEqual(['a.yaml', 'env/dev.YAML', 'env/prod.yml']);
    expect(list(['env/*.yml'])).toEqual(['a.yaml', 'chart/Chart.yaml', 'chart/values.yaml', 'env/dev.YAML', 'env/generated/big.yaml']);
  });

  it('translates globs', () => {
    expect(globToRegExp('*.tmp.yaml').test('x/y.tmp.yaml')).toBe(true);
    expect(globToRegExp('docs/**').test('docs/a/b.yaml')).toBe(true);
    expect(globToRegExp('docs/**').test('src/docs/a.yaml')).toBe(false);
    expect(globToRegExp('a?.yaml').test('ab.yaml')).toBe(true);
  });

  it('recognises templates', () => {
    expect(isTemplate('host: {{ .Values.host }}')).toBe(true);
    expect(isTemplate('host: reviews')).toBe(false);
  });
});
