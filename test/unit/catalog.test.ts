import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../server/src/base/catalog';
import { repoRoot } from '../support';

describe('diagnostic catalog', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'diagnostics.md'), 'utf8');
  it.each(Object.values(CATALOG).map((e) => [e.code, e]))('documents %s with its severity and source', (code, entry) => {
    expect(doc).toContain(`## \`${code}\``);
    expect(doc).toContain(`| \`${code}\` | ${entry.severity} | ${entry.origin} |`);
  });
  it('has unique codes', () => {
    const codes = Object.values(CATALOG).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
