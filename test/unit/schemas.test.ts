// Generated artifacts are checked: regenerating schemas/ from the shared CRDs gives the
// committed files, and every schema is a valid JSON Schema that agrees with our validator.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ISTIO_VERSIONS } from '../../shared/protocol';
import { repoRoot, sharedDir } from '../support';

const gatewayApiBundle = join(sharedDir, 'gateway-api', 'gateway-api-crd.yaml');

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
    const { generate, generateGatewayApi } = await import('../../scripts/generate-schemas.mjs');
    const { bundleVersion } = generateGatewayApi(gatewayApiBundle, out);
    for (const version of ISTIO_VERSIONS) generate(join(sharedDir, 'istio', version, 'crd-all.gen.yaml'), version, out, bundleVersion);
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

  it('covers every kind and served version of the Gateway API bundle, once for all Istio versions', () => {
    const crds = parseAllDocuments(readFileSync(gatewayApiBundle, 'utf8'))
      .map((d) => d.toJS())
      .filter((c) => c?.kind === 'CustomResourceDefinition');
    const bundleVersion = crds[0].metadata.annotations['gateway.networking.k8s.io/bundle-version'];
    const index = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'gateway-api', bundleVersion, 'index.json'), 'utf8'));
    expect(crds.map((c) => c.spec.group).sort()).toEqual(expect.arrayContaining(['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io']));
    expect(Object.keys(index.kinds).sort()).toEqual(crds.map((c) => c.spec.names.kind).sort());
    for (const crd of crds) {
      const served = crd.spec.versions.filter((v: { served: boolean }) => v.served).map((v: { name: string }) => v.name);
      expect(index.kinds[crd.spec.names.kind]).toMatchObject({ group: crd.spec.group, versions: served });
      for (const version of served) expect(existsSync(join(repoRoot, 'schemas', 'gateway-api', bundleVersion, crd.spec.group, `${crd.spec.names.kind.toLowerCase()}_${version}.json`))).toBe(true);
    }
    // Istio's go.mod per release branch; the schemas come from the one bundle we have.
    const supported = Object.fromEntries(ISTIO_VERSIONS.map((v) => [v, JSON.parse(readFileSync(join(repoRoot, 'schemas', v, 'index.json'), 'utf8')).gatewayApi]));
    expect(supported['1.29']).toEqual({ supported: 'v1.4.1', schemas: bundleVersion, folder: `gateway-api/${bundleVersion}` });
    expect(supported['1.30']).toEqual({ supported: 'v1.5.1', schemas: bundleVersion, folder: `gateway-api/${bundleVersion}` });
    expect(supported['1.31']).toEqual({ supported: 'v1.6.0', schemas: bundleVersion, folder: `gateway-api/${bundleVersion}` });
  });

  it('every Gateway API schema is valid JSON Schema, rejects unknown fields and keeps every description, pattern and CEL rule', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const dir = join(repoRoot, 'schemas', 'gateway-api');
    const files = listFiles(dir).filter((f) => !f.endsWith('index.json'));
    expect(files.length).toBe(19);
    const counts = { descriptions: 0, rules: 0, closed: 0 };
    const badPatterns: string[] = [];
    const walk = (node: Record<string, unknown>) => {
      if (typeof node.description === 'string') counts.descriptions++;
      counts.rules += (node['x-kubernetes-validations'] as unknown[] | undefined)?.length ?? 0;
      if (node.additionalProperties === false) counts.closed++;
      if (typeof node.pattern === 'string') {
        try {
          new RegExp(node.pattern, 'u');
        } catch {
          badPatterns.push(node.pattern);
        }
      }
      for (const value of Object.values(node)) if (value && typeof value === 'object') walk(value as Record<string, unknown>);
    };
    for (const file of files) {
      const schema = JSON.parse(readFileSync(file, 'utf8'));
      expect(() => ajv.compile(schema), file).not.toThrow();
      walk(schema);
    }
    const bundleRules = (readFileSync(gatewayApiBundle, 'utf8').match(/^\s*(?:- )?rule: /gm) ?? []).length;
    expect(counts.rules).toBe(bundleRules);
    expect(counts.descriptions).toBeGreaterThan(1000);
    expect(counts.closed).toBeGreaterThan(300);
    expect(badPatterns).toEqual([]);
  });
});
