// The benchmark's Gateway API workspace (scripts/gen-gateway-api-workspace.mjs) read by our
// checker: every error injected into a Gateway API document is reported on its lines, and
// nothing else in those documents is (the generator writes what a careful user would: a
// diagnostic elsewhere is a false positive). Services and Deployments are Kubernetes kinds whose
// schema we do not check, so their injected errors are left to the benchmark's figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newService, repoRoot } from '../support';

interface Injected {
  type: string;
  schema: boolean;
  desc: string;
  from: number;
  to: number;
}

let dir: string;
let text: string;
let lines: string[];
let injected: Injected[];
let problems: { line: number; code: string; message: string; severity: string }[];

/** The kind of the document holding a line (its `kind:` line at column 0). */
function kindAt(line: number): string | undefined {
  let start = line;
  while (start > 0 && lines[start] !== '---') start--;
  for (let i = start; i < lines.length && (i === start || lines[i] !== '---'); i++) {
    const m = /^kind:\s*(\w+)/.exec(lines[i]);
    if (m) return m[1];
  }
  return undefined;
}

const GATEWAY_API_KINDS = new Set(['Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant']);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gwapi-bench-'));
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'gen-gateway-api-workspace.mjs'), '--out', dir, '--lines', '8000', '--seed', '3', '--error-rate', '0.3']);
  const file = join(dir, 'gateway-api-all.yaml');
  text = readFileSync(file, 'utf8');
  lines = text.split('\n');
  injected = (JSON.parse(readFileSync(join(dir, 'bench-manifest.json'), 'utf8')) as { files: { errors: Injected[] }[] }).files[0].errors;
  const service = newService();
  service.setDiskFile(file, text);
  problems = service
    .diagnoseDiskFile(file, { istioVersion: '1.30', validate: true })
    .map((p) => ({ line: text.slice(0, p.start).split('\n').length - 1, code: p.code, message: p.message, severity: p.severity }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Gateway API benchmark workspace', () => {
  it('has errors of every type the generator injects into Gateway API documents (the test is not vacuous)', () => {
    const types = new Set(injected.filter((e) => GATEWAY_API_KINDS.has(kindAt(e.from) ?? '')).map((e) => e.type));
    expect([...types].sort()).toEqual(['bad-duration', 'bad-enum', 'missing-backend', 'missing-gateway', 'missing-section', 'unknown-field', 'weights-zero', 'wrong-port', 'wrong-type']);
  });

  it('has every injected error of a Gateway API document reported on its lines', () => {
    const missed = injected.filter((e) => GATEWAY_API_KINDS.has(kindAt(e.from) ?? '') && !problems.some((p) => p.line >= e.from && p.line <= e.to));
    expect(missed.map((e) => `${e.from + 1}: ${e.type} (${e.desc})`)).toEqual([]);
  });

  it('reports nothing else in its Gateway API documents', () => {
    const outside = problems.filter((p) => p.severity !== 'hint' && GATEWAY_API_KINDS.has(kindAt(p.line) ?? '') && !injected.some((e) => p.line >= e.from && p.line <= e.to));
    expect(outside.map((p) => `${p.line + 1}: ${p.code} ${p.message}`)).toEqual([]);
  });
});
