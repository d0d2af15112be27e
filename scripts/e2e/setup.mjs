// Installs the real VS Code that `npm start` and the end-to-end tests use, into .cache/e2e/editor:
// Node 24 (the npm package of this platform, code-server's runtime) and code-server from npm.
// The system packages its native modules compile against are checked first, and installed with
// apt-get when we are root, or named, before anything is downloaded. The install runs in a folder
// next to editor/ and is renamed into place only when complete, so a failed or interrupted one
// never leaves a broken editor/: the next run deletes its left-overs and starts again.
//
//   node scripts/e2e/setup.mjs             the editor and Chromium (what the e2e tests need)
//   node scripts/e2e/setup.mjs --no-chromium   the editor only (what `npm start` needs)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, editorState, installAdvice, missingRequirements, nodePackageFor, staleLeftovers } from './requirements.mjs';

export { CODE_SERVER_VERSION };
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Holds editor/ and the state folders of `npm start` (start/) and of e2e runs (run-*). */
export const cacheDir = join(root, '.cache', 'e2e');
export const editorDir = join(cacheDir, 'editor');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const musl = process.platform === 'linux' && !process.report?.getReport().header.glibcVersionRuntime;
export const nodePackage = nodePackageFor(process.platform, process.arch, musl);
const nodePackageName = 'name' in nodePackage ? nodePackage.name : 'node-unsupported';
export const NODE_VERSION = 'version' in nodePackage ? nodePackage.version : 'none';

/** The files of an editor folder (the installed one, or one being installed) that the workbench needs. */
function layout(dir) {
  const nodeDir = join(dir, 'node_modules', nodePackageName);
  return {
    nodeDir,
    nodeBin: join(nodeDir, 'bin', 'node'),
    codeServerBin: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    // Installed by code-server's postinstall: without them the workbench cannot start.
    vscodeModules: join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'),
    stamp: join(dir, 'stamp.json'),
  };
}

const installed = layout(editorDir);
export const nodeDir = installed.nodeDir;
export const nodeBin = installed.nodeBin;
export const codeServerBin = installed.codeServerBin;
const wanted = { node: `${nodePackageName}@${NODE_VERSION}`, codeServer: CODE_SERVER_VERSION };

function log(message) {
  console.log(`[setup] ${message}`);
}

class SetupError extends Error {}

function fail(message) {
  throw new SetupError(message);
}

/** The state of editor/ (see editorState). */
export function currentState(dir = editorDir) {
  const files = layout(dir);
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(files.stamp, 'utf8'));
  } catch {
    stamp = undefined;
  }
  return editorState({ exists: existsSync(dir), stamp, wanted, files: [files.nodeBin, files.codeServerBin, files.vscodeModules].map((f) => existsSync(f)) });
}

/**
 * The environment that makes npm and the scripts it runs use Node 24. Under `npm test` the
 * outer npm (Node 20) leaves NODE, npm_node_execpath and npm_config_* behind; they would win.
 * nodedir: node-gyp compiles against the headers the Node package ships, without downloading.
 */
export function node24Env(dir = editorDir) {
  const files = layout(dir);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE' && name !== 'INIT_CWD'));
  return { ...env, PATH: `${dirname(files.nodeBin)}:${process.env.PATH}`, NODE: files.nodeBin, npm_node_execpath: files.nodeBin, npm_config_nodedir: files.nodeDir };
}

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Which of BUILD_REQUIREMENTS this machine has; the headers are asked of the compiler itself. */
function foundRequirements() {
  const found = new Set(['make', 'c++', 'python3'].filter(commandExists));
  if (found.has('c++')) {
    const headers = ['gssapi/gssapi.h', 'gssapi/gssapi_generic.h', 'gssapi/gssapi_krb5.h'].map((h) => `#include <${h}>`).join('\n');
    const probe = spawnSync('c++', ['-E', '-x', 'c++', '-'], { input: headers, stdio: ['pipe', 'ignore', 'ignore'] });
    if (probe.status === 0) found.add('gssapi');
  }
  return found;
}

function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env }).status === 0;
  log(`installing ${packages.join(' ')} with apt-get`);
  if (install()) return true;
  // A fresh machine may have no package lists yet, or stale ones.
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  return install();
}

/**
 * Makes sure the system packages are there before minutes of downloads: the build requirements
 * when the editor is to be installed, Chromium when asked. Installs them with apt-get when root.
 */
function ensureSystemPackages({ build, chromium }) {
  const missing = build ? missingRequirements(foundRequirements()) : [];
  const browser = chromium && !existsSync(CHROMIUM);
  if (missing.length === 0 && !browser) return;
  const machine = { platform: process.platform, apt: process.platform === 'linux' && commandExists('apt-get'), root: process.getuid?.() === 0 };
  const packages = [...missing.map((m) => m.debian), ...(browser ? ['chromium'] : [])];
  if (machine.apt && machine.root && aptInstall(packages)) {
    const still = build ? missingRequirements(foundRequirements()) : [];
    if (still.length === 0 && !(chromium && !existsSync(CHROMIUM))) return;
  }
  const advice = [];
  if (missing.length > 0) advice.push(installAdvice(missing, machine));
  if (browser) advice.push(`Chromium is missing at ${CHROMIUM}: install it (Debian: ${machine.root ? '' : 'sudo '}apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome.`);
  fail(advice.join('\n'));
}

function npmInstall(dir, args, env) {
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', dir, ...args], { stdio: 'inherit', env, cwd: dir });
  if (result.status !== 0) fail(`npm install ${args.join(' ')} failed (exit ${result.status ?? result.signal}); see the output above.`);
}

/** Installs Node 24 and code-server into dir, checks them, then writes the stamp. */
function installInto(dir) {
  const files = layout(dir);
  // Its own package.json keeps the cache out of the project's dependency tree.
  const writeManifest = (dependencies) => writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'istio-authoring-editor', private: true, dependencies }, null, 2));
  const node = { [nodePackageName]: NODE_VERSION };
  log(`installing Node ${NODE_VERSION} (npm package ${nodePackageName})`);
  writeManifest(node);
  npmInstall(dir, [], process.env);
  if (!existsSync(files.nodeBin)) fail(`${nodePackageName} did not provide ${files.nodeBin}`);
  log(`installing code-server ${CODE_SERVER_VERSION} with Node 24 (its native modules build against Node 24's headers; about 3 minutes)`);
  const env = node24Env(dir);
  writeManifest({ ...node, 'code-server': CODE_SERVER_VERSION });
  // code-server's postinstall installs and builds VS Code's own modules: its scripts must run.
  npmInstall(dir, ['--dangerously-allow-all-scripts'], env);
  if (!existsSync(files.vscodeModules)) {
    log('code-server was installed without its postinstall; running it');
    const rebuilt = spawnSync('npm', ['rebuild', 'code-server', '--dangerously-allow-all-scripts', '--prefix', dir], { stdio: 'inherit', env, cwd: dir });
    if (rebuilt.status !== 0 || !existsSync(files.vscodeModules)) fail(`code-server's postinstall did not install VS Code's modules (${files.vscodeModules} is missing); see the output above.`);
  }
  if (!existsSync(files.codeServerBin)) fail(`code-server did not install ${files.codeServerBin}`);
  // Its own config folder, so asking the version writes nothing into the user's home.
  const versionEnv = { ...env, XDG_CONFIG_HOME: join(dir, 'xdg-config'), XDG_DATA_HOME: join(dir, 'xdg-data') };
  const output = execFileSync(files.nodeBin, [files.codeServerBin, '--version'], { env: versionEnv, encoding: 'utf8' });
  const version = output.split('\n').find((line) => /^\d+\.\d+\.\d+/.test(line)) ?? output.trim();
  if (!version.startsWith(CODE_SERVER_VERSION)) fail(`code-server reports version '${version}', expected ${CODE_SERVER_VERSION}`);
  writeFileSync(files.stamp, JSON.stringify(wanted, null, 2));
  return version;
}

function isAlive(pid) {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Deletes what installs that did not finish left behind, and the layout before editor/ existed. */
function removeLeftovers() {
  for (const name of staleLeftovers(readdirSync(cacheDir), isAlive)) {
    log(`removing ${name}, left by an install that did not finish`);
    rmSync(join(cacheDir, name), { recursive: true, force: true });
  }
  adoptFlatLayout();
  for (const name of FLAT_LAYOUT) {
    const path = join(cacheDir, name);
    if (existsSync(path) || isSymlink(path)) rmSync(path, { recursive: true, force: true });
  }
}

/** Before editor/, the install lived in .cache/e2e itself. */
const FLAT_LAYOUT = ['node_modules', 'package.json', 'package-lock.json', 'stamp.json', 'xdg-config', 'xdg-data'];

/** A complete install of the wanted versions in the flat layout moves into editor/ rather than being downloaded again. */
function adoptFlatLayout() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(cacheDir, 'stamp.json'), 'utf8'));
  } catch {
    return;
  }
  const flat = layout(cacheDir);
  const complete = [flat.nodeBin, flat.codeServerBin, flat.vscodeModules].every((f) => existsSync(f));
  if (existsSync(editorDir) || !complete || `${nodePackageName}@${stamp.node}` !== wanted.node || stamp.codeServer !== wanted.codeServer) return;
  log(`moving the install in ${cacheDir} into ${editorDir}`);
  const partial = join(cacheDir, `editor.partial-${process.pid}`);
  mkdirSync(partial, { recursive: true });
  for (const name of ['node_modules', 'package.json']) renameSync(join(cacheDir, name), join(partial, name));
  writeFileSync(join(partial, 'stamp.json'), JSON.stringify(wanted, null, 2));
  renameSync(partial, editorDir);
}

function isSymlink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Moves a complete install into place; the old editor/, if any, is moved aside, then deleted. */
function swapIn(partial) {
  // Another setup may have finished first (two runs at once): keep the one in place.
  if (currentState() === 'ready') return rmSync(partial, { recursive: true, force: true });
  const old = join(cacheDir, `editor.old-${process.pid}`);
  if (existsSync(editorDir)) renameSync(editorDir, old);
  renameSync(partial, editorDir);
  rmSync(old, { recursive: true, force: true });
}

/** Installs the editor unless a complete one of the wanted versions is in place. */
export function setupEditor({ chromium = false } = {}) {
  if (!('name' in nodePackage)) fail(nodePackage.unsupported);
  mkdirSync(cacheDir, { recursive: true });
  removeLeftovers();
  const state = currentState();
  ensureSystemPackages({ build: state !== 'ready', chromium });
  if (state === 'ready') return log(`ready (Node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION})`);
  log(state === 'missing' ? `installing the editor into ${editorDir}` : `the editor in ${editorDir} is ${state}; installing it again beside it`);
  const partial = join(cacheDir, `editor.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  const started = Date.now();
  try {
    const version = installInto(partial);
    swapIn(partial);
    log(`installed in ${Math.round((Date.now() - started) / 1000)} s: code-server ${version}`);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
}

/** What the e2e tests need: the editor and Chromium. */
export function setup() {
  setupEditor({ chromium: true });
}

/** Runs a setup step as a command: one message and exit 1 on a failure we can explain. */
export function runOrExit(step) {
  try {
    step();
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    console.error(`[setup] ${e.message}`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runOrExit(() => setupEditor({ chromium: !process.argv.includes('--no-chromium') }));
