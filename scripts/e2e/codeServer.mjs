// Starts code-server (installed by setup.mjs) with the extension installed from a .vsix, on a
// workspace folder, in an isolated state folder; stops it with its whole process group.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { codeServerBin, cacheDir, node24Env, nodeBin } from './setup.mjs';

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function isolatedEnv(state) {
  const env = node24Env();
  for (const [name, sub] of [
    ['XDG_CONFIG_HOME', 'xdg-config'],
    ['XDG_DATA_HOME', 'xdg-data'],
    ['XDG_CACHE_HOME', 'xdg-cache'],
    ['TMPDIR', 'tmp'],
  ]) {
    env[name] = join(state, sub);
    mkdirSync(env[name], { recursive: true });
  }
  delete env.VSCODE_IPC_HOOK_CLI;
  return env;
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 100,
  'files.autoSave': 'off',
  'git.enabled': false,
  'redhat.telemetry.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
};

/**
 * @param {{ vsix: string, workspace: string, port?: number, host?: string, state?: string, settings?: Record<string, unknown>, log?: (line: string) => void }} options
 * @returns {Promise<{ url: string, folderUrl: string, port: number, state: string, stop: () => Promise<void> }>}
 */
export async function startCodeServer(options) {
  const state = options.state ?? mkdtempSync(join(cacheDir, 'run-'));
  const userData = join(state, 'user-data');
  const extensions = join(state, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...options.settings }, null, 2));
  const env = isolatedEnv(state);
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  const install = spawnSync(nodeBin, [codeServerBin, ...common, '--install-extension', resolve(options.vsix), '--force'], { env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`code-server could not install ${options.vsix}: ${install.stderr || install.stdout}`);
  const port = options.port ?? (await freePort());
  const host = options.host ?? '127.0.0.1';
  const config = join(state, 'config.yaml');
  writeFileSync(config, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  const args = [
    codeServerBin,
    '--config',
    config,
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    resolve(options.workspace),
  ];
  const child = spawn(nodeBin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      output.push(chunk);
      options.log?.(chunk);
    });
  }
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const url = `http://${host}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, Promise.resolve(undefined)]);
    if (early) throw new Error(`code-server exited (${early.code ?? early.signal}) before it was ready:\n${output.join('')}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid, 'SIGKILL');
      throw new Error(`code-server did not answer /healthz within 60 s:\n${output.join('')}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  return { url, folderUrl: `${url}/?folder=${encodeURIComponent(resolve(options.workspace)).replace(/%2F/g, '/')}`, port, state, stop };
}
