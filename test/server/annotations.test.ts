// Istio's annotations and labels through the bundled server over real LSP stdio: completion
// replaces the typed part of a key with a snippet, hover answers markdown, on a Kubernetes Pod.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from './lspClient';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ratings\n  annotations:\n    sidecar.istio.io/prox\nspec:\n  containers: [{name: c, image: ratings}]\n';

describe('annotations over LSP', () => {
  const client = new LspClient();
  beforeAll(async () => {
    await client.initialize();
  });
  afterAll(() => client.stop());

  it('completes an annotation key, replacing what was typed', async () => {
    const uri = 'file:///tmp/istio-authoring-test/annotations-pod.yaml';
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: POD } });
    const { result } = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 25 } });
    const item = result.items.find((i: { label: string }) => i.label === 'sidecar.istio.io/proxyCPU');
    expect(item.textEdit).toEqual({ range: { start: { line: 5, character: 4 }, end: { line: 5, character: 25 } }, newText: 'sidecar.istio.io/proxyCPU: "$1"' });
    expect(item.insertTextFormat).toBe(2);
    expect(item.documentation.kind).toBe('markdown');
    expect(result.items.some((i: { label: string }) => i.label === 'networking.istio.io/exportTo')).toBe(false);
  });

  it('answers hover on an annotation key with markdown', async () => {
    const uri = 'file:///tmp/istio-authoring-test/annotations-hover.yaml';
    const text = POD.replace('sidecar.istio.io/prox\n', 'sidecar.istio.io/proxyCPU: 100m\n');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const { result } = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 10 } });
    expect(result.contents.kind).toBe('markdown');
    expect(result.contents.value).toContain('**sidecar.istio.io/proxyCPU** Istio annotation');
    expect(result.range).toEqual({ start: { line: 5, character: 4 }, end: { line: 5, character: 29 } });
  });
});
