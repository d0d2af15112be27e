// istio-lint (dist/cli.js) as CI runs it: output formats, exit codes, file discovery.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support';

function lint(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'istio-lint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('istio-lint', () => {
  it('reports the deliberate mistakes of samples/ like a compiler, and exits 1', () => {
    const { code, stdout } = lint(['samples']);
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, -1).every((l) => /^samples\/[\w/.-]+:\d+:\d+ (error|warning|information|hint) [\w-]+ \S/.test(l))).toBe(true);
    expect(lines).toContain("samples/mistakes/reviews-retries.yaml:20:7 error IST0106 Unknown field 'perTryTimout'. Did you mean 'perTryTimeout'?");
    expect(lines.at(-1)).toBe('17 files checked: 7 errors.');
  });

  it('prints the documented JSON', () => {
    const { code, stdout } = lint(['--format', 'json', 'samples/mistakes/security.yaml']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      diagnostics: [
        {
          file: 'samples/mistakes/security.yaml',
          range: { start: { line: 25, character: 10 }, end: { line: 25, character: 17 } },
          severity: 'error',
          code: 'IST0106',
          message: "'STRICTT' is not an allowed value. Allowed: UNSET, DISABLE, PERMISSIVE, STRICT. Did you mean 'STRICT'?",
        },
      ],
    });
  });

  it('exits 0 on valid files and with --fail-on none', () => {
    const valid = lint(['samples/gateway.yaml', 'samples/destination-rules.yaml', 'samples/shop-app.yaml']);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toBe('3 files checked: no problems.\n');
    expect(lint(['--fail-on', 'none', 'samples']).code).toBe(0);
  });

  it('counts information with --fail-on information', () => {
    const file = join(tmp, 'old.yaml');
    writeFileSync(file, 'apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n');
    expect(lint([file]).code).toBe(0);
    const strict = lint(['--fail-on=information', '--format', 'json', file]);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).diagnostics[0]).toMatchObject({ severity: 'information', code: 'istio-older-api-version', file });
  });

  it('walks folders, skipping node_modules and .git', () => {
    const root = join(tmp, 'tree');
    for (const d of ['a/b', 'node_modules/x', '.git/y']) mkdirSync(join(root, d), { recursive: true });
    const bad = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  bogus: 1\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n';
    writeFileSync(join(root, 'a/b/gw.yml'), bad);
    writeFileSync(join(root, 'node_modules/x/gw.yaml'), bad);
    writeFileSync(join(root, '.git/y/gw.yaml'), bad);
    writeFileSync(join(root, 'a/readme.txt'), bad);
    const { code, stdout } = lint(['--format', 'json', 'tree'], tmp);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).diagnostics.map((d: { file: string }) => d.file)).toEqual(['tree/a/b/gw.yml']);
  });

  it('checks all paths as one workspace', () => {
    const vs = join(tmp, 'vs.yaml');
    const dr = join(tmp, 'dr.yaml');
    writeFileSync(
      vs,
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r, subset: v2}\n',
    );
    writeFileSync(dr, 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r, namespace: shop}\nspec:\n  host: r\n  subsets:\n  - name: v1\n    labels: {version: v1}\n');
    expect(lint([vs, dr]).stdout).toContain("error IST0101 Subset 'v2' is not defined in DestinationRule r (shop); defined: v1.");
  });

  it('exits 2 with a clear message on usage and I/O errors', () => {
    for (const [args, message] of [
      [['--bogus', 'samples'], "unknown option '--bogus'"],
      [[], 'no path given'],
      [['--istio-version', '9.9', 'samples'], '--istio-version must be one of 1.29, 1.30, 1.31'],
      [['--format', 'xml', 'samples'], '--format must be text or json'],
      [['does/not/exist.yaml'], 'istio-lint: does/not/exist.yaml: no such file or directory (ENOENT)'],
    ] as const) {
      const r = lint([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it('chooses the schemas with --istio-version', () => {
    const file = join(tmp, 'te.yaml');
    writeFileSync(file, 'apiVersion: extensions.istio.io/v1alpha1\nkind: TrafficExtension\nmetadata: {name: t}\nspec:\n  lua: {inlineCode: x}\n');
    expect(lint([file]).code).toBe(0);
    expect(lint(['--istio-version', '1.29', file]).stdout).toContain('istio-unknown-kind');
  });
});
