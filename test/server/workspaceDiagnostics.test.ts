// Workspace diagnostics over real LSP stdio: closed files are checked in the background and their
// diagnostics published; they follow the disk, an editor while open, the scope setting, deletion.
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from './lspClient';

type Message = { method?: string; params?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const vsText =
  'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v3\n';
const drText = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n';
const peerText = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: shop}\nspec:\n  mtls:\n    mode: STRICTT\n';
const codes = (m: Message) => (m.params.diagnostics as { code: string }[]).map((d) => d.code);

describe('workspace diagnostics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'istio-wsdiag-'));
  writeFileSync(join(dir, 'vs.yaml'), vsText);
  writeFileSync(join(dir, 'dr.yaml'), drText);
  writeFileSync(join(dir, 'peer.yaml'), peerText);
  writeFileSync(join(dir, 'notes.yaml'), 'just: yaml\n');
  const settings = { version: '1.30', validate: { enable: true }, diagnostics: { scope: 'workspace' } };
  const client = new LspClient({ rootPath: dir, settings });
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  const published = (name: string, test: (m: Message) => boolean, since = 0) => client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri(name) && test(m), since);
  const status = (test: (p: any) => boolean, since = 0) => client.waitFor((m) => m.method === 'istio/workspaceStatus' && test(m.params), since); // eslint-disable-line @typescript-eslint/no-explicit-any
  const configure = (scope: string, enable = true) => {
    client.settings = { ...settings, validate: { enable }, diagnostics: { scope } };
    client.notify('workspace/didChangeConfiguration', { settings: { istio: client.settings } });
  };

  beforeAll(() => client.initialize());
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("publishes a closed file's errors after initialize, and says when the workspace is checked", async () => {
    const vs = await published('vs.yaml', (m) => codes(m).includes('IST0101'));
    expect(vs.params.version).toBeUndefined();
    expect(codes(await published('peer.yaml', (m) => m.params.diagnostics.length > 0))).toEqual(['IST0106']);
    const done = await status((p) => p.state === 'done' && p.files === 2);
    expect(done.params).toMatchObject({ checked: 4, total: 4, files: 2, errors: 2 });
    // A file without problems is not sent an empty list it never needed.
    expect(client.notifications.some((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri('notes.yaml'))).toBe(false);
    expect(client.notifications.some((m) => m.method === 'istio/workspaceStatus' && m.params.state === 'checking')).toBe(true);
  });

  it('clears a closed file when another file is fixed on disk (a file-watcher event)', async () => {
    await status((p) => p.state === 'done' && p.files === 2);
    const since = client.notifications.length;
    writeFileSync(join(dir, 'dr.yaml'), drText + '  - name: v3\n    labels: {version: v3}\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('dr.yaml'), type: 2 }] });
    await published('vs.yaml', (m) => m.params.diagnostics.length === 0, since);
    expect((await status((p) => p.state === 'done', since)).params).toMatchObject({ files: 1, problems: 1 });
  });

  it("shows the editor's text while open, and the disk's again when closed (not nothing)", async () => {
    const since = client.notifications.length;
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('peer.yaml'), languageId: 'yaml', version: 1, text: peerText.replace('STRICTT', 'STRICT') } });
    await published('peer.yaml', (m) => m.params.version === 1 && m.params.diagnostics.length === 0, since);
    const closing = client.notifications.length;
    client.notify('textDocument/didClose', { textDocument: { uri: uri('peer.yaml') } });
    // The first publish after the close that is not the editor's (versioned) late cross-file pass.
    const after = await published('peer.yaml', (m) => m.params.version === undefined, closing);
    expect(codes(after)).toEqual(['IST0106']);
  });

  it('clears a file that is fixed on disk, and a deleted file', async () => {
    let since = client.notifications.length;
    writeFileSync(join(dir, 'peer.yaml'), peerText.replace('STRICTT', 'STRICT'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('peer.yaml'), type: 2 }] });
    await published('peer.yaml', (m) => m.params.diagnostics.length === 0, since);
    writeFileSync(join(dir, 'peer.yaml'), peerText);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('peer.yaml'), type: 2 }] });
    await published('peer.yaml', (m) => m.params.diagnostics.length === 1, since);
    since = client.notifications.length;
    unlinkSync(join(dir, 'peer.yaml'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('peer.yaml'), type: 3 }] });
    await published('peer.yaml', (m) => m.params.diagnostics.length === 0, since);
    writeFileSync(join(dir, 'peer.yaml'), peerText);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('peer.yaml'), type: 1 }] });
    await published('peer.yaml', (m) => m.params.diagnostics.length === 1, since);
  });

  it("scope openFiles clears closed files' diagnostics at once and keeps the open one's; workspace brings them back", async () => {
    const open = uri('open.yaml');
    let since = client.notifications.length;
    client.notify('textDocument/didOpen', { textDocument: { uri: open, languageId: 'yaml', version: 1, text: peerText } });
    await client.diagnostics(open, 1, since);
    since = client.notifications.length;
    configure('openFiles');
    await published('peer.yaml', (m) => m.params.diagnostics.length === 0, since);
    expect((await status((p) => p.state === 'off', since)).params).toMatchObject({ files: 1 });
    const reanalysed = await client.diagnostics(open, 1, since);
    expect(codes(reanalysed)).toEqual(['IST0106']);
    since = client.notifications.length;
    configure('workspace');
    await published('peer.yaml', (m) => m.params.diagnostics.length === 1, since);
    await status((p) => p.state === 'done' && p.files === 2, since);
  });

  it('validate.enable false clears everything', async () => {
    const since = client.notifications.length;
    configure('workspace', false);
    await published('peer.yaml', (m) => m.params.diagnostics.length === 0, since);
    await status((p) => p.state === 'off' && p.problems === 0, since);
    configure('workspace');
    await published('peer.yaml', (m) => m.params.diagnostics.length === 1, client.notifications.length);
  });
});
