// For every Istio version, kind and served API version: a valid example raises nothing and an
// invalid one is flagged on the line after its `# expect: CODE` comment.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISTIO_VERSIONS } from '../../shared/protocol';
import { newService, repoRoot } from '../support';

const service = newService();
// This test is about the schemas; semantic checks (which see both documents of a fixture as one
// workspace) have their own tests.
const SCHEMA_CODES = new Set(['IST0106', 'yaml-syntax', 'istio-unknown-kind', 'istio-unsupported-api-version']);
const fixtures = join(repoRoot, 'test', 'fixtures', 'kinds');

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

for (const istioVersion of ISTIO_VERSIONS) {
  const index = service.registry.index(istioVersion)!;
  describe(`Istio ${istioVersion}`, () => {
    it('has a fixture for every kind', () => {
      expect(Object.keys(index.kinds).length).toBeGreaterThanOrEqual(14);
      for (const kind of Object.keys(index.kinds)) expect(existsSync(join(fixtures, `${kind}.yaml`)), kind).toBe(true);
    });
    for (const [kind, info] of Object.entries(index.kinds)) {
      for (const version of info.versions) {
        it(`${kind} ${info.group}/${version}`, () => {
          const template = readFileSync(join(fixtures, `${kind}.yaml`), 'utf8');
          const text = template.replaceAll('$API', `${info.group}/${version}`);
          const secondDoc = text.indexOf('\n---\n');
          const expectLine = text.split('\n').findIndex((l) => l.trim().startsWith('# expect:')) + 1;
          const expectedCode = /# expect: (\S+)/.exec(text)![1];
          const problems = service.diagnose(`file:///${istioVersion}/${kind}/${version}.yaml`, 1, text, { istioVersion, validate: true }).filter((p) => SCHEMA_CODES.has(p.code));
          const valid = problems.filter((p) => p.start < secondDoc);
          const invalid = problems.filter((p) => p.start > secondDoc);
          expect(valid.map((p) => `${lineOf(text, p.start)}: ${p.message}`)).toEqual([]);
          const flagged = [...new Set(invalid.map((p) => `${lineOf(text, p.start)} ${p.code}`))];
          expect(flagged).toEqual([`${expectLine} ${expectedCode}`]);
        });
      }
    }
  });
}
