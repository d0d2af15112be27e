// For every Gateway API kind and served version: our own examples. A document without a
// `# expect: CODE` comment raises nothing at the schema level; each other document is flagged
// with that code on the line after the comment, and nowhere else.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISTIO_VERSIONS } from '../../shared/protocol';
import { GATEWAY_API_VERSIONS } from '../../server/src/workspace/gatewayApiFacts';
import { lineOf, newService, repoRoot } from '../support';

const service = newService();
const SCHEMA_CODES = new Set(['IST0106', 'yaml-syntax', 'istio-unknown-kind', 'istio-unsupported-api-version']);
const fixtures = join(repoRoot, 'test', 'fixtures', 'gateway-api');

interface Case {
  /** 0-based line of the document's first line in the file. */
  expectLine?: number;
  code?: string;
  start: number;
  end: number;
}

/** `# expect: CODE` ending a line (after a list dash too). */
const EXPECT = /(?:^|\s)# expect: ([\w-]+)\s*$/;

function casesOf(text: string): Case[] {
  const cases: Case[] = [];
  let start = 0;
  for (const part of text.split('\n---\n')) {
    const end = start + part.length;
    const lines = part.split('\n');
    const at = lines.findIndex((l) => EXPECT.test(l));
    const first = lineOf(text, start);
    cases.push(at < 0 ? { start, end } : { start, end, expectLine: first + at + 1, code: EXPECT.exec(lines[at])![1] });
    start = end + '\n---\n'.length;
  }
  return cases;
}

describe('Gateway API kinds', () => {
  const kinds = service.registry.kinds('1.30').filter((k) => k.gatewayApi);

  it('has a fixture with a valid and an invalid document for every kind of the bundle', () => {
    expect(kinds.map((k) => k.kind).sort()).toEqual(
      ['BackendTLSPolicy', 'GRPCRoute', 'Gateway', 'GatewayClass', 'HTTPRoute', 'ListenerSet', 'ReferenceGrant', 'TCPRoute', 'TLSRoute', 'UDPRoute', 'XBackendTrafficPolicy', 'XMesh'].sort(),
    );
    for (const { kind } of kinds) {
      expect(existsSync(join(fixtures, `${kind}.yaml`)), kind).toBe(true);
      const cases = casesOf(readFileSync(join(fixtures, `${kind}.yaml`), 'utf8'));
      expect(cases.some((c) => c.code) && cases.some((c) => !c.code), kind).toBe(true);
    }
  });

  for (const info of kinds) {
    for (const version of info.versions) {
      it.each(ISTIO_VERSIONS)(`${info.kind} ${info.group}/${version} (Istio %s)`, (istioVersion) => {
        const text = readFileSync(join(fixtures, `${info.kind}.yaml`), 'utf8').replaceAll('$API', `${info.group}/${version}`);
        const problems = service.diagnose(`file:///gateway-api/${istioVersion}/${info.kind}/${version}.yaml`, 1, text, { istioVersion, validate: true }).filter((p) => SCHEMA_CODES.has(p.code));
        for (const c of casesOf(text)) {
          const inside = problems.filter((p) => p.start >= c.start && p.start < c.end);
          const flagged = [...new Set(inside.map((p) => `${lineOf(text, p.start)} ${p.code}`))];
          const shown = inside.map((p) => `${lineOf(text, p.start)}: ${p.message}`);
          expect(flagged, shown.join('\n')).toEqual(c.code ? [`${c.expectLine} ${c.code}`] : []);
        }
      });
    }
  }
});

describe("the workspace's Gateway API kinds", () => {
  // The workspace index cannot read the generated schemas (they are loaded per Istio version at
  // run time), so it keeps its own table of the kinds it indexes: it must be what the bundle serves.
  it('serves each indexed kind at exactly the apiVersions of the generated schema index', () => {
    const index = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'gateway-api', 'v1.5.1', 'index.json'), 'utf8')) as { kinds: Record<string, { group: string; versions: string[] }> };
    // XListenerSet (gateway.networking.x-k8s.io/v1alpha1) is the v1.4 bundle's, which Istio 1.29
    // supports; v1.5 replaced it by ListenerSet. The workspace still reads it, for 1.29 users.
    const older = { XListenerSet: ['gateway.networking.x-k8s.io/v1alpha1'] };
    expect(Object.keys(index.kinds)).not.toContain('XListenerSet');
    for (const [kind, served] of Object.entries(GATEWAY_API_VERSIONS)) {
      if (Object.hasOwn(older, kind)) {
        expect([...served], kind).toEqual(older[kind as keyof typeof older]);
        continue;
      }
      const schema = index.kinds[kind];
      expect(schema, kind).toBeDefined();
      expect([...served].sort(), kind).toEqual(schema.versions.map((v) => `${schema.group}/${v}`).sort());
    }
  });
});
