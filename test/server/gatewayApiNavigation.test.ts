// Gateway API navigation over real LSP stdio: a Gateway API Gateway defined in a file that is not
// open is found, referenced and renamed from an HTTPRoute's parentRef, across both files and a
// VirtualService's `gateways` entry, in one WorkspaceEdit.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from './lspClient';

const routeText = [
  'apiVersion: gateway.networking.k8s.io/v1',
  'kind: HTTPRoute',
  'metadata:',
  '  name: reviews',
  '  namespace: shop',
  'spec:',
  '  parentRefs:',
  '  - name: edge # the shared ingress',
  '    namespace: infra',
  '    sectionName: web',
  '  rules:',
  '  - backendRefs:',
  '    - name: reviews',
  '      port: 9080',
  '',
].join('\n');
const gatewayText = [
  'apiVersion: gateway.networking.k8s.io/v1',
  'kind: Gateway',
  'metadata:',
  '  name: "edge"',
  '  namespace: infra',
  'spec:',
  '  gatewayClassName: istio',
  '  listeners:',
  '  - name: web',
  '    port: 80',
  '    protocol: HTTP',
  '    allowedRoutes: {namespaces: {from: All}}',
  '---',
  'apiVersion: networking.istio.io/v1',
  'kind: VirtualService',
  'metadata: {name: legacy, namespace: infra}',
  'spec:',
  '  hosts: [legacy.example.com]',
  '  gateways: [edge]',
  '  http:',
  '  - route:',
  '    - destination: {host: legacy.infra.svc.cluster.local}',
  '',
].join('\n');
const serviceText = 'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  ports: [{name: http, port: 9080}]\n';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

describe('Gateway API navigation over LSP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'istio-gwapi-nav-'));
  writeFileSync(join(dir, 'route.yaml'), routeText);
  writeFileSync(join(dir, 'gateway.yaml'), gatewayText);
  writeFileSync(join(dir, 'service.yaml'), serviceText);
  const client = new LspClient({ rootPath: dir });
  const routeUri = pathToFileURL(join(dir, 'route.yaml')).href;
  const gatewayUri = pathToFileURL(join(dir, 'gateway.yaml')).href;
  // The parentRef's `name: edge`, line 7; the cursor inside `edge`.
  const atParent = { textDocument: { uri: routeUri }, position: { line: 7, character: 10 } };

  beforeAll(async () => {
    await client.initialize();
    client.notify('textDocument/didOpen', { textDocument: { uri: routeUri, languageId: 'yaml', version: 1, text: routeText } });
    await client.waitFor((m) => m.method === 'window/logMessage' && /^Indexed 3 YAML files/.test(m.params.message));
  });
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes from a parentRef to the Gateway in a file that is not open, and back from its name', async () => {
    const { result } = await client.request('textDocument/definition', atParent);
    expect(result).toEqual([{ uri: gatewayUri, range: range(3, 9, 13) }]);
    const refs = await client.request('textDocument/references', { ...atParent, context: { includeDeclaration: false } });
    expect(refs.result).toEqual(
      expect.arrayContaining([
        { uri: routeUri, range: range(7, 10, 14) },
        { uri: gatewayUri, range: range(18, 13, 17) },
      ]),
    );
    expect(refs.result).toHaveLength(2);
  });

  it('renames the Gateway in both files in one edit, keeping its quotes and the comment', async () => {
    const prepared = await client.request('textDocument/prepareRename', atParent);
    expect(prepared.result).toEqual({ range: range(7, 10, 14), placeholder: 'edge' });
    const { result, error } = await client.request('textDocument/rename', { ...atParent, newName: 'front' });
    expect(error).toBeUndefined();
    expect(Object.keys(result.changes).sort()).toEqual([gatewayUri, routeUri].sort());
    expect(result.changes[routeUri]).toEqual([{ range: range(7, 10, 14), newText: 'front' }]);
    const onGateway = [...result.changes[gatewayUri]].sort((a, b) => a.range.start.line - b.range.start.line);
    expect(onGateway).toEqual([
      { range: range(3, 9, 13), newText: 'front' },
      { range: range(18, 13, 17), newText: 'front' },
    ]);
  });

  it('refuses a name Kubernetes would reject, with the reason', async () => {
    const refused = await client.request('textDocument/rename', { ...atParent, newName: 'Front_Door' });
    expect(refused.error.message).toMatch(/not a valid name|RFC 1123|lowercase/i);
  });
});
