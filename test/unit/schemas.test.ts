// Generated artifacts are checked: regenerating schemas/ from the shared CRDs gives the
// committed files, and every schema is a valid JSON Schema that agrees with our validator.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ISTIO_VERSIONS } from '../../shared/protocol';
import { repoRoot, sharedDir } from '../support';

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

describe('generated schemas', () => {
  const out = mkdtempSync(join(tmpdir(), 'istio-schemas-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('regenerating from the shared CRDs gives the committed files', async () => {
    const { generate } = (await import('../../scripts/generate-schemas.mjs')) as { generate: (crds: string, version: string, out: string) => unknown };
    for (const version of ISTIO_VERSIONS) generate(join(sharedDir, 'istio', version, 'crd-all.gen.yaml'), version, out);
    const committed = join(repoRoot, 'schemas');
    const expected = listFiles(committed)
      .map((f) => relative(committed, f))
      .sort();
    const actual = listFiles(out)
      .map((f) => relative(out, f))
      .sort();
    expect(actual).toEqual(expected);
    for (const file of expected) expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(committed, file), 'utf8'));
  });

  it('covers every kind and served version of each CRD file', () => {
    for (const version of ISTIO_VERSIONS) {
      const crds = parseAllDocuments(readFileSync(join(sharedDir, 'istio', version, 'crd-all.gen.yaml'), 'utf8')).map((d) => d.toJS());
      const index = JSON.parse(readFileSync(join(repoRoot, 'schemas', version, 'index.json'), 'utf8'));
      for (const crd of crds.filter((c) => c?.kind === 'CustomResourceDefinition')) {
        const served = crd.spec.versions.filter((v: { served: boolean }) => v.served).map((v: { name: string }) => v.name);
        expect(index.kinds[crd.spec.names.kind].versions).toEqual(served);
      }
    }
  });

  it('every schema is valid JSON Schema and accepts the valid kind fixtures', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const index = JSON.parse(readFileSync(join(repoRoot, 'schemas', '1.30', 'index.json'), 'utf8'));
    for (const [kind, info] of Object.entries(index.kinds) as [string, { group: string; versions: string[] }][]) {
      const fixture = readFileSync(join(repoRoot, 'test', 'fixtures', 'kinds', `${kind}.yaml`), 'utf8');
      for (const version of info.versions) {
        const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', '1.30', info.group, `${kind.toLowerCase()}_${version}.json`), 'utf8'));
        const validate = ajv.compile(schema);
        const [valid] = parseAllDocuments(fixture.replaceAll('$API', `${info.group}/${version}`)).map((d) => d.toJS());
        expect(validate(valid), `${kind} ${version}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });
});
