// Protocol input at the edge of the real server (dist/server.js over stdio): bad params get
// InvalidParams, stale or foreign Diagnostic.data is ignored, and nothing is logged as an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from './lspClient';

const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match:
    - ? [x, y]
      : 1
    route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
`;

describe('protocol input at the edge', () => {
  const client = new LspClient();
  const uri = 'file:///tmp/istio-authoring-edge/vs.yaml';
  const position = { line: 11, character: 8 };
  const errorsLogged = () => client.notifications.filter((m) => m.method === 'window/logMessage' && m.params.type === 1).map((m) => m.params.message);

  beforeAll(async () => {
    await client.initialize();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await client.diagnostics(uri, 1);
  });
  afterAll(() => client.stop());

  it('answers InvalidParams to istio/simulate with non-string fields, naming the field', async () => {
    const response = await client.request('istio/simulate', { uri, position, request: { authority: 42, path: ['/'] } });
    expect(response.error).toMatchObject({ code: -32602, message: 'simulate: params.request.authority must be a string' });
    const fine = await client.request('istio/simulate', { uri, position, request: { authority: 'reviews', path: '/' } });
    expect(fine.error).toBeUndefined();
    expect(fine.result.verdicts.length).toBeGreaterThan(0);
  });

  it('answers InvalidParams to a weight that is not a number and to a position that is not one', async () => {
    expect((await client.request('istio/setWeight', { uri, position, weight: 'abc' })).error?.code).toBe(-32602);
    expect((await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 'x' } })).error?.code).toBe(-32602);
    expect((await client.request('istio/trafficModel', null)).error?.code).toBe(-32602);
  });

  it('ignores Diagnostic.data that is not what it sent, and still answers the code action', async () => {
    const diagnostic = { range: { start: position, end: position }, message: 'x', source: 'istio', code: 'IST0101' };
    for (const data of [{ type: 'subset-not-found', host: 7 }, { type: 'weights', routeKind: 'http' }, 'garbage', { type: '__proto__' }]) {
      const response = await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [{ ...diagnostic, data }] } });
      expect(response.error).toBeUndefined();
      expect(Array.isArray(response.result)).toBe(true);
    }
  });

  it('logs no error for collection keys, bad params or stale data', async () => {
    await client.request('istio/trafficModel', { uri, position });
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 8 } });
    expect(errorsLogged()).toEqual([]);
    expect(client.stderr).toBe('');
  });
});
