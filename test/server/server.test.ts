// The bundled server (dist/server.js, built by `npm test` before vitest runs) over real LSP stdio.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support';
import { LspClient } from './lspClient';

const samples = join(repoRoot, 'samples');
const uriOf = (path: string) => pathToFileURL(path).href;
let opened = 0;

function open(client: LspClient, text: string, name = `doc${++opened}.yaml`, dir = '/tmp/istio-authoring-test'): string {
  const uri = uriOf(join(dir, name));
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  return uri;
}

/** 0-based lines that follow a `# mistake:` comment. */
function mistakeLines(text: string): number[] {
  return text.split('\n').flatMap((l, i) => (l.trim().startsWith('# mistake:') ? [i + 1] : []));
}

describe('language server over stdio', () => {
  const client = new LspClient();
  let capabilities: Record<string, unknown>;

  beforeAll(async () => {
    capabilities = (await client.initialize()).result.capabilities;
  });
  afterAll(() => client.stop());

  it('declares its capabilities', () => {
    expect(capabilities).toMatchObject({ textDocumentSync: 2, hoverProvider: true, documentSymbolProvider: true, completionProvider: {} });
  });

  it('reports every deliberate mistake of samples/mistakes on its line', async () => {
    for (const name of ['reviews-retries.yaml', 'payments-destination-rule.yaml', 'ingress-routes.yaml', 'security.yaml']) {
      const text = readFileSync(join(samples, 'mistakes', name), 'utf8');
      const uri = open(client, text, name);
      const { params } = await client.diagnostics(uri);
      const lines = params.diagnostics.filter((d: { code: string }) => d.code === 'IST0106').map((d: { range: { start: { line: number } } }) => d.range.start.line);
      expect(lines, name).toEqual(mistakeLines(text));
      expect(params.diagnostics.every((d: { source: string; message: string }) => d.source === 'istio' && d.message.length > 10)).toBe(true);
    }
  });

  it('clears a diagnostic when the edit fixes it', async () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p}\nspec:\n  mtls:\n    mode: STRICTT\n';
    const uri = open(client, text);
    expect((await client.diagnostics(uri, 1)).params.diagnostics).toHaveLength(1);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 5, character: 16 }, end: { line: 5, character: 17 } }, text: '' }] });
    expect((await client.diagnostics(uri, 2)).params.diagnostics).toEqual([]);
  });

  it('leaves non-Istio documents of a file to other tools', async () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicaz: 2\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  bogus: 1\n';
    const uri = open(client, text);
    const { params } = await client.diagnostics(uri);
    expect(params.diagnostics.map((d: { range: { start: { line: number } } }) => d.range.start.line)).toEqual([10]);
  });

  it('checks a Gateway API route against the Gateway of its file, and fixes the parentRef', async () => {
    const gateway =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: ingress}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}\n';
    const route = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web, namespace: shop}\nspec:\n  parentRefs:\n  - name: egde\n    namespace: ingress\n';
    const uri = open(client, `${gateway}---\n${route}`);
    type Published = { params?: { diagnostics: { code: string; range: unknown }[] } };
    const kia1401 = (m: Published) => m.params?.diagnostics.find((d) => d.code === 'KIA1401');
    const report = await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && !!kia1401(m));
    const diagnostic = kia1401(report) ?? { code: '', range: undefined };
    expect(diagnostic).toMatchObject({ range: { start: { line: 13, character: 10 }, end: { line: 13, character: 14 } }, data: { type: 'gateway-api-ref', suggestion: 'edge' } });
    const { result } = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } });
    expect(result.map((a: { title: string }) => a.title)).toEqual(["Change to 'edge'"]);
    expect(result[0].edit.changes[uri]).toEqual([{ range: diagnostic.range, newText: 'edge' }]);
  });

  it('completes schema keys inside a half-typed VirtualService', async () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination:\n        \n';
    const uri = open(client, text);
    const { result } = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 8, character: 8 } });
    const labels = result.items.map((i: { label: string }) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['host', 'subset', 'port']));
    expect(result.items.find((i: { label: string }) => i.label === 'host').documentation.kind).toBe('markdown');
  });

  it('answers hover with the field documentation', async () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r}\nspec:\n  host: r\n  trafficPolicy:\n    loadBalancer:\n      simple: ROUND_ROBIN\n';
    const uri = open(client, text);
    const { result } = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 8 } });
    expect(result.contents.kind).toBe('markdown');
    expect(result.contents.value).toContain('**simple**');
    expect(result.contents.value).toContain('`ROUND_ROBIN`');
  });

  it('lists one symbol per resource', async () => {
    const uri = open(client, readFileSync(join(samples, 'destination-rules.yaml'), 'utf8'));
    const { result } = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    expect(result.map((s: { name: string }) => s.name)).toEqual(['DestinationRule frontend', 'DestinationRule reviews', 'DestinationRule ratings', 'DestinationRule payments']);
  });

  it('tells the client how many Istio resources a file has', async () => {
    const uri = open(client, 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec: {}\n');
    const status = await client.waitFor((m) => m.method === 'istio/documentStatus' && m.params.uri === uri);
    expect(status.params).toEqual({ uri, istioVersion: '1.30', resourceCount: 1 });
  });

  it('reports broken YAML and keeps answering', async () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: "g\nspec:\n  servers: []\n';
    const uri = open(client, text);
    const { params } = await client.diagnostics(uri);
    expect(params.diagnostics.map((d: { code: string }) => d.code)).toContain('yaml-syntax');
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    expect(hover.error).toBeUndefined();
  });

  it('survives an alias bomb', async () => {
    const levels = ['  a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      );
    const uri = open(client, `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n${levels.join('\n')}\n`);
    const { params } = await client.diagnostics(uri);
    expect(params.diagnostics.length).toBeGreaterThan(0);
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.error).toBeUndefined();
  });

  it('re-validates with the Istio version the settings choose', async () => {
    const text = 'apiVersion: extensions.istio.io/v1alpha1\nkind: TrafficExtension\nmetadata: {name: t}\nspec:\n  lua:\n    inlineCode: "x"\n';
    const uri = open(client, text);
    expect((await client.diagnostics(uri)).params.diagnostics).toEqual([]);
    const since = client.notifications.length;
    client.settings = { version: '1.29', validate: { enable: true } };
    client.notify('workspace/didChangeConfiguration', { settings: { istio: client.settings } });
    const { params } = await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.diagnostics.length > 0, since);
    expect(params.diagnostics[0].code).toBe('istio-unknown-kind');
    client.settings = { version: '1.30', validate: { enable: true } };
    client.notify('workspace/didChangeConfiguration', { settings: { istio: client.settings } });
  });
});

describe('a multi-file workspace on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'istio-ws-'));
  const vsText =
    'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v3\n';
  const drText = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n';
  writeFileSync(join(dir, 'vs.yaml'), vsText);
  writeFileSync(join(dir, 'dr.yaml'), drText);
  const client = new LspClient({ rootPath: dir });
  const vsUri = uriOf(join(dir, 'vs.yaml'));
  const drUri = uriOf(join(dir, 'dr.yaml'));
  const subsetErrors = (m: { params?: { diagnostics: { code: string }[] } }) => (m.params?.diagnostics ?? []).filter((d) => d.code === 'IST0101').length;

  beforeAll(() => client.initialize());
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('flags a subset the DestinationRule on disk lacks', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: vsUri, languageId: 'yaml', version: 1, text: vsText } });
    const report = await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === vsUri && subsetErrors(m) === 1);
    expect(report.params.diagnostics.find((d: { code: string }) => d.code === 'IST0101').message).toBe("Subset 'v3' is not defined in DestinationRule reviews (shop); defined: v1.");
  });

  it('offers quick fixes that edit the DestinationRule in its own file', async () => {
    const report = await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === vsUri && subsetErrors(m) === 1);
    const diagnostic = report.params.diagnostics.find((d: { code: string }) => d.code === 'IST0101');
    const { result } = await client.request('textDocument/codeAction', { textDocument: { uri: vsUri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } });
    expect(result.map((a: { title: string }) => a.title)).toEqual(["Add subset 'v3' to DestinationRule reviews", "Change to 'v1'"]);
    expect(result[0]).toMatchObject({ kind: 'quickfix', isPreferred: true, diagnostics: [diagnostic] });
    expect(result[0].edit.changes[drUri]).toEqual([{ range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, newText: '  - name: v3\n    labels: {version: v3}\n' }]);
  });

  it('offers refactorings only when asked for: not to the light bulb (triggerKind Automatic), but to Ctrl+. and the Refactor menu', async () => {
    const report = await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === vsUri && subsetErrors(m) === 1);
    const diagnostic = report.params.diagnostics.find((d: { code: string }) => d.code === 'IST0101');
    const ask = async (context: { only?: string[]; triggerKind?: number }, diagnostics = [diagnostic]) => {
      const { result } = await client.request('textDocument/codeAction', { textDocument: { uri: vsUri }, range: diagnostic.range, context: { diagnostics, ...context } });
      return (result as { kind: string }[]).map((a) => a.kind.replace(/^refactor\..*/, 'refactor'));
    };
    expect(new Set(await ask({ triggerKind: 2 }))).toEqual(new Set(['quickfix']));
    expect(await ask({ triggerKind: 2 }, [])).toEqual([]);
    expect(new Set(await ask({ triggerKind: 1 }))).toEqual(new Set(['quickfix', 'refactor']));
    expect(new Set(await ask({}))).toEqual(new Set(['quickfix', 'refactor']));
    expect(new Set(await ask({ only: ['refactor'], triggerKind: 2 }))).toEqual(new Set(['refactor']));
    const bad = await client.request('textDocument/codeAction', { textDocument: { uri: vsUri }, range: diagnostic.range, context: { diagnostics: [], triggerKind: 'auto' } });
    expect(bad.error.code).toBe(-32602);
  });

  it('clears it when the DestinationRule is fixed in another editor', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: drUri, languageId: 'yaml', version: 1, text: drText } });
    const since = client.notifications.length;
    client.notify('textDocument/didChange', { textDocument: { uri: drUri, version: 2 }, contentChanges: [{ text: drText + '  - name: v3\n    labels: {version: v3}\n' }] });
    await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === vsUri && subsetErrors(m) === 0, since);
  });

  it('follows the file on disk again when its editor closes, and file-watcher events', async () => {
    let since = client.notifications.length;
    client.notify('textDocument/didClose', { textDocument: { uri: drUri } });
    await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === vsUri && subsetErrors(m) === 1, since);
    writeFileSync(join(dir, 'dr.yaml'), drText.replace('name: v1', 'name: v3'));
    since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: drUri, type: 2 }] });
    await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === vsUri && subsetErrors(m) === 0, since);
  });
});

describe('navigation over LSP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'istio-nav-'));
  const vsText =
    'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  gateways: [edge/public]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n';
  const drText = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n';
  const gwText =
    'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: public, namespace: edge}\nspec:\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*/reviews"]\n';
  writeFileSync(join(dir, 'vs.yaml'), vsText);
  writeFileSync(join(dir, 'dr.yaml'), drText);
  writeFileSync(join(dir, 'gw.yaml'), gwText);
  const client = new LspClient({ rootPath: dir });
  const vsUri = uriOf(join(dir, 'vs.yaml'));
  const drUri = uriOf(join(dir, 'dr.yaml'));

  beforeAll(async () => {
    await client.initialize();
    client.notify('textDocument/didOpen', { textDocument: { uri: vsUri, languageId: 'yaml', version: 1, text: vsText } });
    await client.waitFor((m) => m.method === 'window/logMessage' && /^Indexed 3 YAML files/.test(m.params.message));
  });
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes from a subset to its definition in a file that is not open', async () => {
    const { result } = await client.request('textDocument/definition', { textDocument: { uri: vsUri }, position: { line: 10, character: 17 } });
    expect(result).toEqual([{ uri: drUri, range: { start: { line: 6, character: 10 }, end: { line: 6, character: 12 } } }]);
  });

  it('finds references and renames across files', async () => {
    const refs = await client.request('textDocument/references', { textDocument: { uri: vsUri }, position: { line: 10, character: 17 }, context: { includeDeclaration: true } });
    expect(refs.result.map((l: { uri: string }) => l.uri)).toEqual([drUri, vsUri]);
    const prepared = await client.request('textDocument/prepareRename', { textDocument: { uri: vsUri }, position: { line: 10, character: 17 } });
    expect(prepared.result.placeholder).toBe('v1');
    const { result } = await client.request('textDocument/rename', { textDocument: { uri: vsUri }, position: { line: 10, character: 17 }, newName: 'stable' });
    expect(Object.keys(result.changes).sort()).toEqual([drUri, vsUri].sort());
    expect(result.changes[vsUri]).toEqual([{ range: { start: { line: 10, character: 16 }, end: { line: 10, character: 18 } }, newText: 'stable' }]);
    const refused = await client.request('textDocument/rename', { textDocument: { uri: vsUri }, position: { line: 10, character: 17 }, newName: 'No Way' });
    expect(refused.error.message).toContain('is not a valid name');
  });

  it('offers refactorings on a route: lazily resolved edits, and questions through the client command', async () => {
    const at = { textDocument: { uri: vsUri }, range: { start: { line: 8, character: 6 }, end: { line: 8, character: 6 } } };
    const { result } = await client.request('textDocument/codeAction', { ...at, context: { diagnostics: [], only: ['refactor'] } });
    const byId = new Map(result.map((a: { kind: string }) => [a.kind.replace('refactor.rewrite.istio.', ''), a]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(['canary', 'retries', 'mirror', 'mtls-namespace']));
    const retries = byId.get('retries') as { title: string; edit?: unknown; data: unknown };
    expect(retries.edit).toBeUndefined();
    const resolved = await client.request('codeAction/resolve', retries);
    expect(resolved.result.edit.changes[vsUri]).toEqual([
      {
        range: { start: { line: 11, character: 0 }, end: { line: 11, character: 0 } },
        newText: '    retries:\n      attempts: 3\n      perTryTimeout: 2s\n      retryOn: 5xx,reset,connect-failure,refused-stream\n',
      },
    ]);
    const canary = byId.get('canary') as { command: { command: string; arguments: [{ questions: { name: string; default: string }[]; position: unknown; id: string }] } };
    expect(canary.command.command).toBe('istio.refactor');
    const [args] = canary.command.arguments;
    expect(args.questions.map((q) => `${q.name}=${q.default}`)).toEqual(['canary=v2', 'percent=10']);
    const answered = await client.request('istio/refactor', { uri: vsUri, position: args.position, id: args.id, answers: { canary: 'v2', percent: '20' } });
    expect(answered.result.edit.changes[vsUri][0].newText).toContain('weight: 80');
    expect(answered.result.edit.changes[drUri][0].newText).toBe('  - name: v2\n    labels: {version: v2}\n');
    const refused = await client.request('istio/refactor', { uri: vsUri, position: args.position, id: args.id, answers: { percent: 'lots' } });
    expect(refused.result.error).toContain('not a percentage');
  });

  it('finds resources by name in the whole workspace', async () => {
    const { result } = await client.request('workspace/symbol', { query: 'pub' });
    expect(result.map((s: { name: string; containerName: string }) => `${s.name} (${s.containerName})`)).toEqual(['Gateway public (edge)']);
  });
});
