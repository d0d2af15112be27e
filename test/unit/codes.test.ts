// One fixture per diagnostic code, positive and negative: every code of the catalog has at least
// one `*.bad` case that raises it and one `*.good` case that does not. A case is a YAML file (a
// workspace of one file) or a folder of YAML files (one workspace); a first line
// `# istio-version: 1.29` selects the Istio version (1.30 otherwise).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../server/src/base/catalog';
import { repoRoot, serviceWith, wsUri } from '../support';

const root = join(repoRoot, 'test', 'fixtures', 'codes');

/** Codes no input file can raise on purpose, and why. */
const WITHOUT_FIXTURES: Record<string, string> = {
  'istio-internal': 'raised only when a check of ours throws (a bug); tested by injecting a failing check in robustness.test.ts',
};

/** Codes whose fixtures are still being written (this list only shrinks; a listed code that has both cases fails). */
const PENDING: string[] = [
  'yaml-syntax',
  'istio-unknown-kind',
  'istio-unsupported-api-version',
  'istio-older-api-version',
  'istio-analysis-limit',
  'IST0002',
  'IST0101',
  'istio-reference-outside-workspace',
  'IST0109',
  'IST0111',
  'IST0112',
  'IST0150',
  'IST0130',
  'IST0131',
  'IST0140',
  'IST0177',
  'IST0132',
  'IST0128',
  'IST0129',
  'IST0138',
  'IST0145',
  'KIA0207',
  'IST0151',
  'IST0152',
  'IST0153',
  'IST0154',
  'IST0155',
  'IST0160',
  'IST0174',
  'KIA0102',
  'KIA0201',
  'KIA0203',
  'KIA0209',
  'KIA1105',
];

interface Case {
  code: string;
  name: string;
  expect: 'bad' | 'good';
  files: Record<string, string>;
}

function loadCase(code: string, name: string): Case {
  const path = join(root, code, name);
  const files: Record<string, string> = {};
  if (statSync(path).isDirectory()) {
    for (const file of readdirSync(path).sort()) if (/\.ya?ml$/.test(file)) files[file] = readFileSync(join(path, file), 'utf8');
  } else files[name] = readFileSync(path, 'utf8');
  return { code, name, expect: /\.bad(\.ya?ml)?$/.test(name) ? 'bad' : 'good', files };
}

function casesOf(code: string): Case[] {
  const dir = join(root, code);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.(bad|good)(\.ya?ml)?$/.test(name))
    .sort()
    .map((name) => loadCase(code, name));
}

/** Every code raised anywhere in the case's workspace, with where. */
function raised(c: Case): { code: string; at: string }[] {
  const service = serviceWith(c.files);
  const first = Object.values(c.files)[0] ?? '';
  const istioVersion = /^# istio-version: (\S+)/.exec(first)?.[1] ?? '1.30';
  return Object.entries(c.files).flatMap(([name, text]) =>
    service.diagnoseDiskFile(wsUri(name), { istioVersion, validate: true }).map((p) => ({ code: p.code, at: `${name}:${text.slice(0, p.start).split('\n').length}: ${p.message}` })),
  );
}

const codes = Object.values(CATALOG).map((e) => e.code);
const cases = codes.flatMap(casesOf);

describe('per-code fixtures', () => {
  it.each(codes.filter((code) => !(code in WITHOUT_FIXTURES)))('%s has a positive and a negative case', (code) => {
    const kinds = [...new Set(casesOf(code).map((c) => c.expect))].sort();
    if (PENDING.includes(code)) expect(kinds, `${code} has its fixtures: take it off PENDING`).not.toEqual(['bad', 'good']);
    else expect(kinds, `test/fixtures/codes/${code}/ needs <case>.bad.yaml and <case>.good.yaml`).toEqual(['bad', 'good']);
  });

  it('has no folder for a code the catalog does not know', () => {
    const folders = existsSync(root) ? readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory()) : [];
    expect(folders.filter((name) => !codes.includes(name))).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.code}/${c.name}`, c] as const))('%s', (_label, c) => {
    const found = raised(c).filter((r) => r.code === c.code);
    if (c.expect === 'bad') expect(found.length, `${c.code} is not raised`).toBeGreaterThan(0);
    else expect(found.map((r) => r.at)).toEqual([]);
  });
});
