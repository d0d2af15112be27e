// `npm start`: builds and packages the extension, starts code-server with it installed on the
// samples/ workspace, prints the address, and stops cleanly on Ctrl+C.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startCodeServer } from './e2e/codeServer.mjs';
import { cacheDir, root, setup } from './e2e/setup.mjs';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

setup();
execFileSync('npm', ['run', 'package'], { cwd: root, stdio: 'inherit' });
const server = await startCodeServer({
  vsix: join(root, 'istio-authoring.vsix'),
  workspace: option('workspace', join(root, 'samples')),
  port: Number(option('port', process.env.PORT ?? '8080')),
  host: option('host', '127.0.0.1'),
  // One state folder for every `npm start`: settings and opened editors survive restarts.
  state: join(cacheDir, 'start'),
});
console.log(`\nIstio Authoring is running in VS Code (code-server) at:\n\n  ${server.folderUrl}\n\nPress Ctrl+C to stop.`);
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
