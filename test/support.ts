// Shared helpers for unit tests: the language service over the committed schemas, and the
// caret convention (`|` in inline YAML marks the cursor).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { folderSchemaSource } from '../server/src/node/schemaSource';
import type { FeatureContext, FeatureSettings } from '../server/src/features/context';
import { LanguageService } from '../server/src/service/service';

export const repoRoot = join(__dirname, '..');
export const sharedDir = process.env.ISTIO_SHARED ?? join(repoRoot, '..', 'shared');
export const schemaSource = folderSchemaSource(join(repoRoot, 'schemas'));

export function newService(): LanguageService {
  return new LanguageService(schemaSource);
}

/** A workspace's URI for a file name: `file:///ws/<name>`. */
export const wsUri = (name: string) => `file:///ws/${name}`;

/** A language service whose workspace holds these files (by name, at `wsUri(name)`) as on disk. */
export function serviceWith(files: Record<string, string>): LanguageService {
  const service = newService();
  for (const [name, text] of Object.entries(files)) service.setDiskFile(wsUri(name), text);
  return service;
}

export const settings130: FeatureSettings = { istioVersion: '1.30', validate: true };

/** The feature context of one request over an in-memory workspace (files by name, at `wsUri(name)`, as on disk). */
export function contextWith(files: Record<string, string>, settings: FeatureSettings = settings130): FeatureContext {
  return serviceWith(files).context(settings);
}

/** Removes the `|` caret from text and returns its offset. */
export function caret(textWithCaret: string): { text: string; offset: number } {
  const offset = textWithCaret.indexOf('|');
  if (offset === -1) throw new Error('no caret in test text');
  return { text: textWithCaret.slice(0, offset) + textWithCaret.slice(offset + 1), offset };
}

/** Dedents a template literal so tests can indent inline YAML. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  return lines
    .map((l) => l.slice(indent))
    .join('\n')
    .replace(/[ \t]+$/, '');
}

export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

export function diagnose(text: string, istioVersion = '1.30') {
  const service = newService();
  return service.diagnose('file:///test.yaml', 1, text, { istioVersion, validate: true }).map((p) => ({ ...p, line: lineOf(text, p.start), text: text.slice(p.start, p.end) }));
}

/** The problems of `target` in a workspace of `files` (all with these codes when given), each with its 0-based line and the text under its range. */
export function problemsOf(files: Record<string, string>, target: string, codes?: string[], istioVersion = '1.30') {
  const text = files[target];
  return serviceWith(files)
    .diagnoseDiskFile(wsUri(target), { istioVersion, validate: true })
    .filter((p) => !codes || codes.includes(p.code))
    .map((p) => ({ ...p, line: lineOf(text, p.start), text: text.slice(p.start, p.end) }));
}

/** The .yaml and .yml files under a folder, at any depth. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}
