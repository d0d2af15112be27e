// Gateway API completion over real LSP stdio: an HTTPRoute's parentRef name and backendRef port
// come from the workspace files on disk, and accepting the parentRefs key re-opens the list.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionList } from 'vscode-languageserver-types';
import { accept } from '../editor';
import { LspClient } from './lspClient';

const gatewayText =
  'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: public, namespace: shop}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n  - {name: tcp, protocol: TCP, port: 9000}\n';
const otherGatewayText = gatewayText.replace('name: public', 'name: mqtt').replace('  - {name: http, protocol: HTTP, port: 80}\n', '');
const serviceText = 'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  ports:\n  - {name: http, port: 9080, targetPort: 8080}\n';
const ROUTE = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: shop}\nspec:\n';

describe('Gateway API completion over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'istio-gwapi-completion-'));
  writeFileSync(join(dir, 'gateway.yaml'), gatewayText + '---\n' + otherGatewayText);
  writeFileSync(join(dir, 'service.yaml'), serviceText);
  const client = new LspClient({
    rootPath: dir,
    settings: { version: '1.30', validate: { enable: true }, diagnostics: { scope: 'workspace' } },
    completion: { completionItem: { snippetSupport: true, insertTextModeSupport: { valueSet: [1, 2] } } },
  });
  let opened = 0;
  const completeIn = async (text: string, line: number, character: number) => {
    const uri = pathToFileURL(join(dir, `route${++opened}.yaml`)).href;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return (await client.request('textDocument/completion', { textDocument: { uri }, position: { line, character } })).result as CompletionList;
  };

  beforeAll(async () => {
    await client.initialize();
    await client.waitFor((m) => m.method === 'istio/workspaceStatus' && m.params.state === 'done');
  });
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("offers the namespace's Gateways as parentRef names, the one admitting the route first", async () => {
    const text = ROUTE + '  parentRefs:\n  - name: \n';
    const list = await completeIn(text, 5, 10);
    const sorted = [...list.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    expect(sorted.map((i) => [i.label, i.detail])).toEqual([
      ['public', 'Gateway (shop): http, tcp'],
      ['mqtt', 'Gateway (shop): tcp'],
    ]);
    expect(accept(text, list, 'public').text).toBe(ROUTE + '  parentRefs:\n  - name: public\n');
  });

  it("re-opens the list after the parentRefs key, and offers the Service's ports for a backendRef", async () => {
    const key = await completeIn(ROUTE + '  \n', 4, 2);
    expect(key.items.find((i) => i.label === 'parentRefs')?.command).toEqual({ title: 'Suggest', command: 'editor.action.triggerSuggest' });
    const ports = await completeIn(ROUTE + '  rules:\n  - backendRefs:\n    - name: reviews\n      port: \n', 7, 12);
    expect(ports.items.map((i) => [i.label, i.detail])).toEqual([['9080', 'port of Service reviews: name http, TCP, targetPort 8080']]);
  });
});
