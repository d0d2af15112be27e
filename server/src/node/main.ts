// Entry point of the language server (dist/server.js): `node dist/server.js --stdio`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { listWorkspaceFiles } from '../workspace/files';
import { folderSchemaSource } from './schemaSource';

const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? String(e)}`));
// Node prints process warnings through console.error, which the connection turns into error
// logs; a library's warning (yaml's "Keys with collection values...") is not our failure.
process.removeAllListeners('warning');
process.on('warning', (w) => connection.console.warn(`${w.name}: ${w.message}`));

const toPath = (uri: string): string | undefined => {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
};

startServer(connection, folderSchemaSource(join(__dirname, '..', 'schemas')), {
  schedule: (work, delayMs) => (delayMs ? setTimeout(work, delayMs) : setImmediate(work)),
  now: () => performance.now(),
  listFiles(folderUri, exclude) {
    const root = toPath(folderUri);
    if (!root) return [];
    const readFolder = (dir: string) => {
      try {
        return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
      } catch {
        return undefined;
      }
    };
    return listWorkspaceFiles(root, readFolder, join, exclude).map((rel) => pathToFileURL(join(root, rel)).href);
  },
  readFile(uri) {
    const path = toPath(uri);
    try {
      return path ? readFileSync(path, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
});
