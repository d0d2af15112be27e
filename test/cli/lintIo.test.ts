// istio-lint's core over an in-memory file system: every I/O problem is one line on stderr that
// names the file and the reason, exit 2, and the other files are still checked.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_FILE_BYTES, runLint } from '../../server/src/cli/lint';
import { LanguageService } from '../../server/src/service/service';
import { schemaSource } from '../support';
import { MemoryFs } from './memoryFs';

const BAD = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  bogus: 1\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n';
const GOOD = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n';

function lint(fs: MemoryFs, args: string[], debug = false) {
  const r = runLint(['--format', 'json', ...args], fs, schemaSource, { debug });
  const files = (JSON.parse(r.stdout) as { diagnostics: { file: string }[] }).diagnostics.map((d) => d.file);
  return { code: r.exitCode, files, errors: r.stderr.split('\n').filter(Boolean), stderr: r.stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('istio-lint I/O problems (in memory)', () => {
  it('reports a folder it cannot read and still checks the others', () => {
    const fs = new MemoryFs().file('/w/a/bad.yaml', BAD).dir('/w/locked').file('/w/locked/x.yaml', BAD).fail('/w/locked', 'permission denied (EACCES)');
    expect(lint(fs, ['/w'])).toEqual({ code: 2, files: ['/w/a/bad.yaml'], errors: ['istio-lint: cannot read directory /w/locked: permission denied (EACCES)'], stderr: expect.any(String) });
  });

  it('reports a file it cannot read and still checks the others', () => {
    const fs = new MemoryFs().file('/w/a.yaml', BAD).file('/w/b.yaml', BAD).fail('/w/a.yaml', 'permission denied (EACCES)');
    const r = lint(fs, ['/w']);
    expect(r.code).toBe(2);
    expect(r.files).toEqual(['/w/b.yaml']);
    expect(r.errors).toEqual(['istio-lint: cannot read /w/a.yaml: permission denied (EACCES)']);
  });

  it('visits each real folder and file once through symlink cycles and aliases', () => {
    const fs = new MemoryFs().file('/w/d/sub/bad.yaml', BAD).link('/w/d/sub/up', '/w/d').link('/w/d/self', '/w/d').link('/w/alias.yaml', '/w/d/sub/bad.yaml');
    const r = lint(fs, ['/w', '/w/d/sub/bad.yaml', '/w/d']);
    expect(r).toMatchObject({ code: 1, errors: [] });
    expect(r.files).toEqual(['/w/alias.yaml']);
    expect(fs.reads).toEqual(['/w/alias.yaml']);
  });

  it('names loops, dangling symlinks and FIFOs given as paths for what they are, never opening a FIFO', () => {
    const fs = new MemoryFs().link('/w/a', '/w/b').link('/w/b', '/w/a').link('/w/dangling', '/w/nowhere').fifo('/w/fifo').file('/w/ok.yaml', BAD);
    const r = lint(fs, ['/w/a', '/w/dangling', '/w/fifo', '/w/missing.yaml', '/w/ok.yaml']);
    expect(r.code).toBe(2);
    expect(r.files).toEqual(['/w/ok.yaml']);
    expect(r.errors).toEqual([
      'istio-lint: /w/a: symlink loop (ELOOP)',
      'istio-lint: /w/dangling: no such file or directory (ENOENT)',
      'istio-lint: /w/fifo: not a regular file (FIFO)',
      'istio-lint: /w/missing.yaml: no such file or directory (ENOENT)',
    ]);
    expect(fs.reads).toEqual(['/w/ok.yaml']);
  });

  it('skips loops, dangling symlinks and FIFOs found in a folder, as an editor does', () => {
    const fs = new MemoryFs().link('/w/a.yaml', '/w/b.yaml').link('/w/b.yaml', '/w/a.yaml').link('/w/dangling.yaml', '/w/nowhere').fifo('/w/fifo.yaml').file('/w/ok.yaml', GOOD);
    expect(lint(fs, ['/w'])).toMatchObject({ code: 0, files: [], errors: [] });
    expect(fs.reads).toEqual(['/w/ok.yaml']);
  });

  it('reports a file over the size limit without reading it, and checks the others', () => {
    const fs = new MemoryFs()
      .file('/w/huge.yaml', BAD, MAX_FILE_BYTES + 1)
      .file('/w/limit.yaml', BAD, MAX_FILE_BYTES)
      .file('/w/hundred.yaml', BAD, 123 * 1024 * 1024);
    const r = lint(fs, ['/w']);
    expect(r.code).toBe(2);
    expect(r.files).toEqual(['/w/limit.yaml']);
    expect(r.errors).toEqual(['istio-lint: /w/huge.yaml: file too large (10.1 MB; the limit is 10 MB)', 'istio-lint: /w/hundred.yaml: file too large (123 MB; the limit is 10 MB)']);
    expect(fs.reads).toEqual(['/w/limit.yaml']);
  });

  it('turns a checker that throws into one line for that file and checks the others', () => {
    const diagnose = LanguageService.prototype.diagnoseDiskFile;
    vi.spyOn(LanguageService.prototype, 'diagnoseDiskFile').mockImplementation(function (this: LanguageService, uri, settings) {
      if (uri === '/w/a.yaml') throw new TypeError("Cannot read properties of undefined (reading 'spec')\nsecond line");
      return diagnose.call(this, uri, settings);
    });
    // b's Gateway serves other hosts than a's, so that it does not conflict with it (IST0145).
    const fs = new MemoryFs().file('/w/a.yaml', BAD).file('/w/b.yaml', BAD.replace('hosts: ["*"]', 'hosts: [b.example.com]'));
    const r = lint(fs, ['/w']);
    expect(r).toMatchObject({ code: 2, files: ['/w/b.yaml'] });
    expect(r.errors).toEqual(["istio-lint: internal error while checking /w/a.yaml: Cannot read properties of undefined (reading 'spec'); please report"]);
    expect(lint(fs, ['/w'], true).stderr).toMatch(/please report\nTypeError: Cannot read properties/);
  });

  it('turns a parser that throws into one line for that file and checks the others', () => {
    const setDiskFile = LanguageService.prototype.setDiskFile;
    vi.spyOn(LanguageService.prototype, 'setDiskFile').mockImplementation(function (this: LanguageService, uri, text) {
      if (uri === '/w/a.yaml') throw new RangeError('Maximum call stack size exceeded');
      setDiskFile.call(this, uri, text);
    });
    const fs = new MemoryFs().file('/w/a.yaml', BAD).file('/w/b.yaml', BAD);
    const r = runLint(['/w'], fs, schemaSource);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('istio-lint: internal error while checking /w/a.yaml: Maximum call stack size exceeded; please report\n');
    expect(r.stdout).toMatch(/^\/w\/b\.yaml:5:3 error IST0106 .*\n1 file could not be checked \(internal error\); 1 error in the file checked\.\n$/);
  });

  it('never sums up as clean beside an I/O error: the summary says what could not be read', () => {
    const fs = new MemoryFs().file('/w/a.yaml', GOOD).file('/w/b.yaml', GOOD.replace('hosts: ["*"]', 'hosts: [b.example.com]')).dir('/w/locked').fail('/w/locked', 'permission denied (EACCES)');
    const text = (args: string[]) => runLint(args, fs, schemaSource);
    expect(text(['/w'])).toEqual({
      exitCode: 2,
      stdout: '1 path could not be read; no problems in the 2 files checked.\n',
      stderr: 'istio-lint: cannot read directory /w/locked: permission denied (EACCES)\n',
    });
    expect(text(['/w/a.yaml', '/w/missing.yaml', '/w/gone'])).toEqual({
      exitCode: 2,
      stdout: '2 paths could not be read; no problems in the file checked.\n',
      stderr: 'istio-lint: /w/missing.yaml: no such file or directory (ENOENT)\nistio-lint: /w/gone: no such file or directory (ENOENT)\n',
    });
    expect(text(['/w/missing.yaml'])).toMatchObject({ exitCode: 2, stdout: '1 path could not be read; no file checked.\n' });
    // Nothing missed: the plain count, exit 0.
    expect(text(['/w/a.yaml', '/w/b.yaml'])).toEqual({ exitCode: 0, stdout: '2 files checked: no problems.\n', stderr: '' });
  });
});
