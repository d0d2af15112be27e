// `npm start`: installs the editor (code-server; Chromium is not needed), builds and packages the
// extension, starts code-server with it installed on a fresh copy of samples/ (or on the folder
// given with --workspace), prints the address, and stops cleanly on Ctrl+C.
//
//   npm start -- [--port 8080] [--host 127.0.0.1] [--workspace DIR]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCodeServer } from './e2e/codeServer.mjs';
import { cacheDir, root, runOrExit, setupEditor } from './e2e/setup.mjs';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

function exit(message) {
  console.error(`[start] ${message}`);
  process.exit(1);
}

/** The folder to open: the one given, or a copy of samples/ so edits never dirty the repository. */
function workspaceFolder() {
  const given = option('workspace', undefined);
  if (given !== undefined) {
    const folder = resolve(given);
    let isFolder = false;
    try {
      isFolder = statSync(folder).isDirectory();
    } catch {
      // reported below
    }
    if (!isFolder) exit(`--workspace ${given}: no such folder`);
    return { folder, note: '' };
  }
  const folder = mkdtempSync(join(tmpdir(), 'istio-authoring-samples-'));
  cpSync(join(root, 'samples'), folder, { recursive: true });
  return {
    folder,
    note: `\nThe workspace is a fresh copy of samples/ in ${folder}: edit freely, the repository's samples/ stays as it is\n(each npm start makes a new copy; --workspace DIR opens a folder of your own).\n`,
  };
}

const port = Number(option('port', process.env.PORT ?? '8080'));
if (!Number.isInteger(port) || port < 0 || port > 65535) exit(`--port must be a port number, not '${option('port', process.env.PORT)}'`);
const { folder, note } = workspaceFolder();
runOrExit(() => setupEditor());
try {
  execFileSync('npm', ['run', 'package'], { cwd: root, stdio: 'inherit' });
} catch {
  exit('npm run package failed; see the output above.');
}
const server = await startCodeServer({
  vsix: join(root, 'istio-authoring.vsix'),
  workspace: folder,
  port,
  host: option('host', '127.0.0.1'),
  // One state folder for every `npm start`: settings survive restarts.
  state: join(cacheDir, 'start'),
});
console.log(`\nIstio Authoring is running in VS Code (code-server) at:\n\n  ${server.folderUrl}\n${note}\nPress Ctrl+C to stop.`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping code-server...');
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
