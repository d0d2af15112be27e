// The HTTPRoute weight refactorings through the bundled server over real LSP stdio: offered as
// refactor code actions on the backendRef under the cursor, with their questions and defaults,
// and carried out by istio/refactor as one workspace edit.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from './lspClient';

const dir = '/tmp/istio-authoring-test-httproute';
const uriOf = (name: string) => pathToFileURL(join(dir, name)).href;

const route = [
  'apiVersion: gateway.networking.k8s.io/v1',
  'kind: HTTPRoute',
  'metadata:',
  '  name: reviews',
  '  namespace: shop',
  'spec:',
  '  parentRefs:',
  '  - {group: "", kind: Service, name: reviews, port: 9080}',
  '  rules:',
  '  - backendRefs:',
  '    - name: reviews-v1 # stable',
  '      port: 9080',
  '',
].join('\n');

const service = (name: string, version: string) =>
  `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {app: reviews${version ? `, version: ${version}` : ''}}\n  ports:\n  - {name: http, port: 9080}\n`;
const deployment = (version: string) =>
  `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-${version}, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: reviews, version: ${version}}\n  template:\n    metadata:\n      labels: {app: reviews, version: ${version}}\n    spec:\n      containers:\n      - {name: reviews, image: reviews}\n`;
const k8s = service('reviews', '') + service('reviews-v1', 'v1') + service('reviews-v2', 'v2') + deployment('v1') + deployment('v2');

describe('HTTPRoute refactorings over stdio', () => {
  const client = new LspClient();
  beforeAll(async () => {
    await client.initialize();
    client.notify('textDocument/didOpen', { textDocument: { uri: uriOf('k8s.yaml'), languageId: 'yaml', version: 1, text: k8s } });
    client.notify('textDocument/didOpen', { textDocument: { uri: uriOf('route.yaml'), languageId: 'yaml', version: 1, text: route } });
    await client.diagnostics(uriOf('route.yaml'));
  });
  afterAll(() => client.stop());

  it('offers convert to canary with the next version as the default, and applies the answers', async () => {
    const at = { textDocument: { uri: uriOf('route.yaml') }, range: { start: { line: 10, character: 12 }, end: { line: 10, character: 12 } } };
    const { result } = await client.request('textDocument/codeAction', { ...at, context: { diagnostics: [], only: ['refactor'] } });
    const byId = new Map(result.map((a: { kind: string }) => [a.kind.replace('refactor.rewrite.istio.', ''), a]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(['gateway-canary', 'gateway-header-canary', 'gateway-split']));
    const canary = byId.get('gateway-canary') as { title: string; command: { arguments: [{ questions: { name: string; default: string }[]; position: unknown; id: string }] } };
    expect(canary.title).toBe('Convert to canary: 90% reviews-v1 / 10% reviews-v2');
    const [args] = canary.command.arguments;
    expect(args.questions.map((q) => `${q.name}=${q.default}`)).toEqual(['canary=reviews-v2', 'percent=10']);
    const answered = await client.request('istio/refactor', { uri: uriOf('route.yaml'), position: args.position, id: args.id, answers: { canary: 'reviews-v2', percent: '20' } });
    expect(answered.result.edit.changes[uriOf('route.yaml')]).toEqual([
      { range: { start: { line: 12, character: 0 }, end: { line: 12, character: 0 } }, newText: '      weight: 80\n    - name: reviews-v2\n      port: 9080\n      weight: 20\n' },
    ]);
  });
});
