// The human-readable report of a run: each cause once, with its reduced input, the request and the
// server's own error text.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailureBook, FailureRecord } from './failures';

/** Long lines (a 100,000-character value) shortened for reading; the files keep them whole. */
const shorten = (text: string) =>
  text
    .split('\n')
    .map((l) => (l.length > 240 ? `${l.slice(0, 200)}… (${l.length} characters)` : l))
    .join('\n');
const fence = (lang: string, body: string) => `\`\`\`${lang}\n${shorten(body).replace(/```/g, '`\u200b``')}\n\`\`\``;

/** The error and its first frames, then the frames in our code (library frames between them elided). */
function excerpt(detail: string): string {
  const lines = detail.split('\n');
  const head = lines.filter((l) => !/^\s+at /.test(l)).slice(0, 12);
  const frames = lines.filter((l) => /^\s+at /.test(l));
  const ours = frames.filter((l) => /server\/src\//.test(l)).slice(0, 10);
  const shown = [...frames.slice(0, 2), ...ours.filter((l) => !frames.slice(0, 2).includes(l))];
  return [...head, ...shown.map((l) => l.replace(/\/work\/main\//g, ''))].join('\n');
}

export function describeRecord(r: FailureRecord, n: number): string {
  const f = r.finding;
  const input = r.reduced?.text ?? r.first.text;
  const shown = input.split('\n').length > 80 ? `${input.split('\n').slice(0, 80).join('\n')}\n# … (${input.split('\n').length} lines; see the file)` : input;
  return [
    `### ${n}. ${[...r.kinds].join(', ')} in ${[...r.methods].join(', ')}${f.subject ? ` (${f.subject})` : ''} — ${r.count}×`,
    '',
    `- cause: \`${r.signature}\``,
    ...(r.handlers.size ? [`- reported by: ${[...r.handlers].join(', ')}`] : []),
    `- first seen: seed ${r.first.seed}, document ${r.first.index} (${r.first.step.action} of ${r.first.step.base}; mutations: ${r.first.step.mutations.join(', ') || 'none'})`,
    `- request: \`${shorten(JSON.stringify(r.reduced?.recipe ?? r.first.recipe))}\``,
    r.reduced ? `- input: ${r.reduced.file} — ${r.reduced.note}` : '- input: not reduced',
    '',
    fence('yaml', shown),
    '',
    fence('text', excerpt(r.reduced?.detail ?? f.detail)),
    '',
  ].join('\n');
}

export function describeBook(book: FailureBook): string {
  return [...book.records.values()].map((r, i) => describeRecord(r, i + 1)).join('\n');
}

function describeWarning(r: FailureRecord): string {
  const lines = r.first.text.split('\n').length;
  return `- ${r.signature} — ${r.count}×; first: document ${r.first.index} (${r.first.step.action} of ${r.first.step.base}, ${lines} lines; mutations: ${r.first.step.mutations.join(', ') || 'none'}): ${shorten(r.finding.detail.split('\n')[0])}`;
}

export function writeSummary(opts: { seed: number; outDir: string }, failures: FailureBook, warnings?: FailureBook): string {
  const path = join(opts.outDir, `${opts.seed}-summary.md`);
  const warned = warnings?.records.size ? `\n## Warnings (not failures)\n\n${[...warnings.records.values()].map(describeWarning).join('\n')}\n` : '';
  writeFileSync(path, `# Fuzz run, seed ${opts.seed}: ${failures.records.size} distinct failures\n\n${describeBook(failures)}${warned}`);
  return path;
}
