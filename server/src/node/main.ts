// Entry point of the language server (dist/server.js): `node dist/server.js --stdio`.
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { folderSchemaSource } from './schemaSource';

const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? String(e)}`));
startServer(connection, folderSchemaSource(join(__dirname, '..', 'schemas')), { schedule: (work) => setImmediate(work) });
