// Completion over real LSP stdio, as VS Code's client and as a client that re-indents: the
// inserted text is right after the client's own adjustment, deprecated fields carry the tag,
// closed sets re-open the list, snippets come from the server where they fit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsertTextMode, type CompletionItem, type CompletionList } from 'vscode-languageserver-types';
import { accept } from '../editor';
import { LspClient } from './lspClient';

const VS_HEAD = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r]\n  http:\n';
let opened = 0;

async function completeIn(client: LspClient, text: string, line: number, character: number): Promise<CompletionList> {
  const uri = `file:///tmp/istio-completion-test/doc${++opened}.yaml`;
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  return (await client.request('textDocument/completion', { textDocument: { uri }, position: { line, character } })).result as CompletionList;
}

describe('completion over stdio', () => {
  // What vscode-languageclient declares; the other client says nothing (VS Code's re-indentation is the default).
  const vscode = new LspClient({ completion: { completionItem: { snippetSupport: true, insertTextModeSupport: { valueSet: [1, 2] }, tagSupport: { valueSet: [1] } } } });
  const plain = new LspClient();
  beforeAll(async () => {
    await Promise.all([vscode.initialize(), plain.initialize()]);
  });
  afterAll(async () => {
    await Promise.all([vscode.stop(), plain.stop()]);
  });

  it('inserts route after `- ` so that the result is right for both clients', async () => {
    const text = VS_HEAD + '  - \n';
    const expected = VS_HEAD + '  - route:\n    - destination:\n        host: \n';
    for (const client of [vscode, plain]) {
      const list = await completeIn(client, text, 7, 4);
      expect(accept(text, list, 'route').text).toBe(expected);
    }
    const asIs = (await completeIn(vscode, text, 7, 4)).items.find((i) => i.label === 'route')!;
    expect(asIs.insertTextMode).toBe(InsertTextMode.asIs);
    expect(asIs.command).toEqual({ title: 'Suggest', command: 'editor.action.triggerSuggest' });
  });

  it('tags deprecated fields, offers fragment snippets in a route and document snippets with their separator', async () => {
    const fault = await completeIn(vscode, VS_HEAD + '  - fault:\n      delay:\n        \n', 9, 8);
    expect(fault.items.find((i: CompletionItem) => i.label === 'percent')!.tags).toEqual([1]);
    const route = await completeIn(vscode, VS_HEAD + '  - \n', 7, 4);
    expect(route.items.find((i) => i.label === 'istio-fault-delay')).toMatchObject({ kind: 15, insertTextFormat: 2 });
    const end = VS_HEAD + '  - route:\n    - destination: {host: r}\n';
    const after = await completeIn(vscode, end, 9, 0);
    expect(accept(end, after, 'istio-gateway').text.startsWith(end + '---\napiVersion: networking.istio.io/v1\nkind: Gateway\n')).toBe(true);
    expect(after.items.find((i) => i.label === 'istio-fault-delay')).toBeUndefined();
  });
});
