// Which code actions a request gets: quick fixes always (unless `only` leaves them out), the
// refactorings only when asked for — Ctrl+. (triggerKind Invoked), the Refactor menu or any
// `only` naming refactor kinds — never for the automatic request behind the light bulb.
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { Boundary } from '../../server/src/lsp/boundary';
import { CodeActions, refactoringsWanted } from '../../server/src/lsp/codeActions';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { OpenDocuments } from '../../server/src/lsp/openDocuments';
import type { SettingsLifecycle } from '../../server/src/lsp/settingsLifecycle';
import { newService, yaml } from '../support';

const ROUTE = yaml`
  apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: reviews, namespace: shop}
  spec:
    hosts: [reviews]
    http:
    - route:
      - destination: {host: reviews, subset: v3}
  ---
  apiVersion: networking.istio.io/v1
  kind: DestinationRule
  metadata: {name: reviews, namespace: shop}
  spec:
    host: reviews
    subsets:
    - name: v1
      labels: {version: v1}
`;
const uri = 'file:///ws/reviews.yaml';

function codeActionsOver(text: string) {
  const service = newService();
  const doc = TextDocument.create(uri, 'yaml', 1, text);
  service.setDiskFile(uri, text);
  const documents = { get: (u: string) => (u === uri ? doc : undefined) } as unknown as TextDocuments<TextDocument>;
  const settings = { serviceSettings: () => ({ istioVersion: '1.30', validate: true }) } as unknown as SettingsLifecycle;
  const actions = new CodeActions({} as Connection, new OpenDocuments(documents, service), service, settings, new Boundary(() => undefined));
  const diagnostics: Diagnostic[] = service.diagnose(uri, 1, text, settings.serviceSettings()).map((p) => toDiagnostic(doc, p));
  return { doc, actions, diagnostics };
}

describe('code actions by trigger', () => {
  const { doc, actions, diagnostics } = codeActionsOver(ROUTE);
  const undefinedSubset = diagnostics.filter((d) => d.code === 'IST0101');
  // On the destination with the undefined subset: a quick fix and the route's refactorings apply.
  const start = doc.positionAt(ROUTE.indexOf('subset: v3') + 8);
  const request = (context: { only?: string[]; triggerKind?: number }, diags = undefinedSubset) =>
    actions.codeActions({ textDocument: { uri }, range: { start }, context: { diagnostics: diags, ...context } }) as { title: string; kind: string }[];
  const kinds = (list: { kind: string }[]) => [...new Set(list.map((a) => (a.kind.startsWith('refactor') ? 'refactor' : a.kind)))].sort();

  it('has a problem to fix there', () => {
    expect(undefinedSubset).toHaveLength(1);
  });

  it('gives the automatic request (the light bulb) quick fixes only', () => {
    const automatic = request({ triggerKind: 2 });
    expect(automatic.map((a) => a.title)).toContain("Add subset 'v3' to DestinationRule reviews");
    expect(kinds(automatic)).toEqual(['quickfix']);
  });

  it('gives the automatic request on a line without problems nothing, so no light bulb shows', () => {
    expect(request({ triggerKind: 2 }, [])).toEqual([]);
  });

  it('gives Ctrl+. (Invoked) the quick fixes and the refactorings', () => {
    const invoked = request({ triggerKind: 1 });
    expect(kinds(invoked)).toEqual(['quickfix', 'refactor']);
    expect(invoked.map((a) => a.title)).toEqual(expect.arrayContaining(["Add subset 'v3' to DestinationRule reviews", 'Add retries (3 attempts, 2s per try)']));
    expect(invoked.find((a) => a.title.startsWith('Convert to canary'))?.kind).toBe('refactor.rewrite.istio.canary');
  });

  it('gives the Refactor menu (only: refactor) the refactorings, even from an automatic request', () => {
    for (const triggerKind of [1, 2, undefined]) expect(kinds(request({ only: ['refactor'], triggerKind }))).toEqual(['refactor']);
    expect(kinds(request({ only: ['refactor.rewrite'], triggerKind: 2 }))).toEqual(['refactor']);
    expect(request({ only: ['refactor.extract'] })).toEqual([]);
  });

  it('gives a request for quick fixes only no refactorings, and source actions neither', () => {
    expect(kinds(request({ only: ['quickfix'], triggerKind: 1 }))).toEqual(['quickfix']);
    expect(request({ only: ['source'], triggerKind: 1 })).toEqual([]);
  });

  it('treats a client that sends no triggerKind (before LSP 3.17) as asking', () => {
    expect(kinds(request({}))).toEqual(['quickfix', 'refactor']);
    expect(refactoringsWanted({})).toBe(true);
    expect(refactoringsWanted({ triggerKind: 2 })).toBe(false);
    expect(refactoringsWanted({ only: [''], triggerKind: 2 })).toBe(true);
  });
});
