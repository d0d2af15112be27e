import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CompletionItemTag, InsertTextMode, type TextEdit } from 'vscode-languageserver-types';
import { accept, lspList } from '../editor';
import { caret, newService, settings130, yaml } from '../support';

const service = newService();

/** The document after accepting `label` at the caret as VS Code does (by both kinds of client), with `|` at the cursor. */
function acceptAt(textWithCaret: string, label: string): string {
  const { result, text } = completeAt(textWithCaret);
  const [asIs, adjusted] = [true, false].map((mode) => accept(text, lspList(text, result!, mode), label));
  expect(adjusted.text).toBe(asIs.text);
  return asIs.text.slice(0, asIs.offset) + '|' + asIs.text.slice(asIs.offset);
}

function completeAt(textWithCaret: string) {
  const { text, offset } = caret(textWithCaret);
  service.open('file:///c.yaml', 1, text);
  const result = service.complete('file:///c.yaml', offset, settings130);
  return { result, labels: result?.items.map((i) => i.label) ?? [], item: (label: string) => result?.items.find((i) => i.label === label), text };
}

const VS_HEAD = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n';

describe('completion', () => {
  it('offers apiVersion values of every Istio kind', () => {
    const { labels } = completeAt('apiVersion: |\n');
    expect(labels).toContain('networking.istio.io/v1');
    expect(labels).toContain('security.istio.io/v1');
    expect(labels).toContain('extensions.istio.io/v1alpha1');
  });

  it('offers the kinds valid for the apiVersion', () => {
    const { labels } = completeAt('apiVersion: security.istio.io/v1\nkind: |\n');
    expect(labels.sort()).toEqual(['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication']);
  });

  it('replaces the partial value, including dots and slashes', () => {
    const { result, text } = completeAt('apiVersion: networking.is|\n');
    expect(text.slice(result!.replaceStart, result!.replaceEnd)).toBe('networking.is');
  });

  it('offers keys not yet present, at any depth, in a half-typed document', () => {
    const { labels } = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - route:\n    - destination:\n        host: r\n        |\n');
    expect(labels).toContain('subset');
    expect(labels).toContain('port');
    expect(labels).not.toContain('host');
  });

  it('completes a partially typed key and replaces it', () => {
    const { labels, result, text } = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - ret|\n');
    expect(labels).toContain('retries');
    expect(text.slice(result!.replaceStart, result!.replaceEnd)).toBe('ret');
  });

  it('inserts the shape of the value: route after `- ` gives a list item with destination and host', () => {
    // The key is two columns right of the line's indentation: the inserted lines must follow the key.
    expect(acceptAt(VS_HEAD + '  http:\n  - |\n', 'route')).toBe(VS_HEAD + '  http:\n  - route:\n    - destination:\n        host: |\n');
    expect(acceptAt(VS_HEAD + '  http:\n  - ro|\n', 'route')).toBe(VS_HEAD + '  http:\n  - route:\n    - destination:\n        host: |\n');
    expect(completeAt(VS_HEAD + '  http:\n  - |\n').item('route')!.snippet).toBe(true);
  });

  it('indents after `- ` at any depth, keys with object and list shapes', () => {
    const route = VS_HEAD + '  hosts: [r]\n  http:\n  - route:\n';
    expect(acceptAt(route + '    - |\n', 'destination')).toBe(route + '    - destination:\n        host: |\n');
    expect(acceptAt(VS_HEAD + '  http:\n  - |\n', 'match')).toBe(VS_HEAD + '  http:\n  - match:\n    - |\n');
    expect(acceptAt(VS_HEAD + '  tcp:\n  - |\n', 'route')).toBe(VS_HEAD + '  tcp:\n  - route:\n    - destination:\n        host: |\n');
    // Nested list items: `- - ` is two items deep.
    const dr = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: r\n  subsets:\n';
    expect(acceptAt(dr + '  - name: v1\n    |\n', 'trafficPolicy')).toBe(dr + '  - name: v1\n    trafficPolicy:\n      |\n');
    expect(acceptAt(dr + '  - |\n', 'trafficPolicy')).toBe(dr + '  - trafficPolicy:\n      |\n');
  });

  it('indents keys typed without `- ` by their own column', () => {
    const route = VS_HEAD + '  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\n';
    expect(acceptAt(route + '    |\n', 'fault')).toBe(route + '    fault:\n      |\n');
    expect(acceptAt(route + '    |\n', 'mirror')).toBe(route + '    mirror:\n      host: |\n');
    expect(acceptAt(VS_HEAD + '  |\n', 'http')).toBe(VS_HEAD + '  http:\n  - |\n');
  });

  it('follows an indented sequence style', () => {
    const head = VS_HEAD + '  hosts:\n    - r\n  http:\n';
    expect(acceptAt(head + '    - |\n', 'route')).toBe(head + '    - route:\n        - destination:\n            host: |\n');
  });

  it('follows a flush sequence style and 4-space indentation', () => {
    const head = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n    name: r\nspec:\n    hosts:\n    - r\n    http:\n';
    expect(acceptAt(head + '    - |\n', 'route')).toBe(head + '    - route:\n      - destination:\n            host: |\n');
  });

  it('sends text VS Code re-indents to the same result, and as-is text to clients that take it', () => {
    const { result, text } = completeAt(VS_HEAD + '  http:\n  - |\n');
    const asIs = lspList(text, result!, true).items.find((i) => i.label === 'route')!;
    const adjusted = lspList(text, result!, false).items.find((i) => i.label === 'route')!;
    expect(asIs.insertTextMode).toBe(InsertTextMode.asIs);
    expect((asIs.textEdit as TextEdit).newText).toBe('route:\n    - destination:\n        host: $1');
    expect(adjusted.insertTextMode).toBeUndefined();
    expect((adjusted.textEdit as TextEdit).newText).toBe('route:\n  - destination:\n      host: $1');
  });

  it('offers enum values with choices and documentation', () => {
    const { labels, item } = completeAt(
      yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: r}
        spec:
          host: r
          trafficPolicy:
            loadBalancer:
              simple: |
      ` + '\n',
    );
    expect(labels).toEqual(['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST']);
    expect(item('ROUND_ROBIN')!.documentation).toBeTruthy();
  });

  it('offers booleans for boolean fields', () => {
    const { labels } = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\n    corsPolicy:\n      allowCredentials: |\n');
    expect(labels).toEqual(['true', 'false']);
  });

  it('documents each key and marks required ones first', () => {
    const { item } = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - route:\n    - |\n');
    const destination = item('destination')!;
    expect(destination.detail).toContain('required');
    expect(destination.documentation).toMatch(/destination/i);
    expect(destination.sortText!.startsWith('0')).toBe(true);
  });

  it('offers the root keys in an empty document, apiVersion and kind opening their values', () => {
    const { result, item } = completeAt('|');
    expect(result!.items.filter((i) => i.kind !== 'snippet').map((i) => i.label)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(acceptAt('|', 'apiVersion')).toBe('apiVersion: |');
    expect(item('apiVersion')!.retrigger).toBe(true);
    expect(item('kind')!.retrigger).toBe(true);
    expect(item('metadata')!.retrigger).toBeFalsy();
    const { text, offset } = caret(acceptAt('|', 'apiVersion'));
    expect(completeAt(text.slice(0, offset) + '|' + text.slice(offset)).labels).toContain('networking.istio.io/v1');
  });

  it('asks for the value list again after a key whose first value is a closed set of the workspace', () => {
    const head = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n  |\n';
    expect(completeAt(head).item('namespace')!.retrigger).toBe(true);
    expect(completeAt(head).item('labels')!.retrigger).toBe(false);
    const spec = completeAt(VS_HEAD + '  |\n');
    expect(spec.item('hosts')!.retrigger).toBe(true);
    expect(spec.item('gateways')!.retrigger).toBe(true);
    expect(spec.item('http')!.retrigger).toBe(false);
    const route = completeAt(VS_HEAD + '  http:\n  - |\n');
    expect(route.item('route')!.retrigger).toBe(true);
    expect(route.item('mirror')!.retrigger).toBe(true);
    expect(route.item('timeout')!.retrigger).toBe(false);
    expect(completeAt(VS_HEAD + '  http:\n  - route:\n    - destination:\n        host: r\n        |\n').item('subset')!.retrigger).toBe(true);
    // A DestinationRule's host too; an enum's values come as the snippet's own choice.
    const dr = completeAt('apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  |\n');
    expect(dr.item('host')!.retrigger).toBe(true);
    const lb = completeAt('apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: r\n  trafficPolicy:\n    loadBalancer:\n      |\n');
    expect(lb.item('simple')!.insertText).toMatch(/^simple: \$\{1\|UNSPECIFIED,/);
    expect(lb.item('simple')!.retrigger).toBe(false);
  });

  it('marks deprecated fields and sorts them last, required ones first', () => {
    const fault = completeAt(VS_HEAD + '  http:\n  - fault:\n      delay:\n        |\n');
    const percent = fault.item('percent')!;
    expect(percent.deprecated).toBe(true);
    expect(percent.detail).toContain('deprecated');
    expect(fault.item('percentage')!.deprecated).toBe(false);
    const sorted = [...fault.result!.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
    expect(sorted.indexOf('percent')).toBe(sorted.length - 1);
    const { textEdit, tags } = lspList(fault.text, fault.result!, true).items.find((i) => i.label === 'percent')!;
    expect(tags).toEqual([CompletionItemTag.Deprecated]);
    expect(textEdit).toBeDefined();
    const route = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - route:\n    - |\n').result!.items;
    expect([...route].sort((a, b) => a.sortText!.localeCompare(b.sortText!))[0].label).toBe('destination');
  });

  it('stays silent in documents of other tools', () => {
    const { result } = completeAt('apiVersion: apps/v1\nkind: Deployment\nspec:\n  |\n');
    expect(result).toBeUndefined();
  });

  it('works in the right document of a multi-document file', () => {
    const { labels } = completeAt('apiVersion: apps/v1\nkind: Service\n---\n' + 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: a}\nspec:\n  mtls:\n    mode: |\n');
    expect(labels).toEqual(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
  });
});

describe('snippets as completion items', () => {
  const snippetLabels = (textWithCaret: string) =>
    completeAt(textWithCaret)
      .result?.items.filter((i) => i.kind === 'snippet')
      .map((i) => i.label) ?? [];

  it('offers whole documents where a document can start, and fragments not there', () => {
    for (const start of ['|', '# a comment\n|', 'apiVersion: v1\nkind: Service\n---\n|', 'istio-v|']) {
      const labels = snippetLabels(start);
      expect(labels, start).toContain('istio-vs');
      expect(labels, start).toContain('istio-canary-weighted');
      expect(labels, start).not.toContain('istio-fault-delay');
    }
    // Not inside a document (more of it follows), not indented.
    expect(snippetLabels('|\nkind: VirtualService\n')).toEqual([]);
    expect(snippetLabels(VS_HEAD + '  |\n')).not.toContain('istio-vs');
  });

  it('inserts the separator itself after an existing document, and the result parses clean', () => {
    const existing = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  ports:\n  - name: http\n    port: 9080\n';
    for (const before of [existing, existing + '\n', existing.replace('apiVersion: v1\n', 'apiVersion: networking.istio.io/v1\n').replace('kind: Service', 'kind: VirtualService')]) {
      const after = acceptAt(before + '|', 'istio-vs');
      expect(after.startsWith(before + '---\napiVersion: networking.istio.io/v1\nkind: VirtualService\n'), after).toBe(true);
    }
    const text = acceptAt(existing + '|', 'istio-dr').replace('|', '');
    for (const doc of parseAllDocuments(text)) expect(doc.errors).toEqual([]);
    expect(parseAllDocuments(text).map((d) => (d.toJS() as { kind: string }).kind)).toEqual(['Service', 'DestinationRule']);
    expect(service.diagnose('file:///c.yaml', 2, text, settings130).filter((p) => p.severity === 'error')).toEqual([]);
    // After a separator the user typed, no second one.
    expect(acceptAt(existing + '---\n|', 'istio-vs').startsWith(existing + '---\napiVersion:')).toBe(true);
  });

  it('offers a fragment only where its keys are fields: inside an http route that lacks them', () => {
    const route = VS_HEAD + '  hosts: [r]\n  http:\n';
    expect(snippetLabels(route + '  - |\n')).toEqual(expect.arrayContaining(['istio-fault-delay', 'istio-retries', 'istio-timeout', 'istio-mirror']));
    expect(snippetLabels(route + '  - |\n')).not.toContain('istio-vs');
    expect(snippetLabels(route + '  - route:\n    - destination: {host: r}\n    |\n')).toContain('istio-fault-delay');
    expect(snippetLabels(route + '  - route:\n    - destination: {host: r}\n    fault: {abort: {httpStatus: 500}}\n    |\n')).not.toContain('istio-fault-delay');
    expect(snippetLabels(route + '  - route:\n    - |\n')).toEqual([]);
    expect(snippetLabels('apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  |\n')).toEqual([]);
  });

  it('indents a fragment by its key, after `- ` or not, and in the file’s indentation', () => {
    const route = VS_HEAD + '  hosts: [r]\n  http:\n';
    expect(acceptAt(route + '  - istio-f|\n', 'istio-fault-delay')).toBe(route + '  - fault:\n      delay:\n        percentage:\n          value: |10.0\n        fixedDelay: 5s\n');
    const inRoute = route + '  - route:\n    - destination: {host: r}\n';
    expect(acceptAt(inRoute + '    |\n', 'istio-timeout')).toBe(inRoute + '    timeout: |10s\n');
    expect(acceptAt(inRoute + '    |\n', 'istio-retries')).toBe(inRoute + '    retries:\n      attempts: |3\n      perTryTimeout: 2s\n      retryOn: gateway-error,connect-failure,refused-stream\n');
    const four = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n    name: r\nspec:\n    http:\n';
    expect(acceptAt(four + '    - |\n', 'istio-mirror')).toBe(four + '    - mirror:\n          host: |reviews\n          subset: v2\n      mirrorPercentage:\n          value: 10.0\n');
  });

  it('documents a snippet with its expansion, mirrors at their defaults', () => {
    const doc = completeAt('|').item('istio-canary-weighted')!.documentation!;
    expect(doc).toContain('```yaml\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n');
    expect(doc).toContain('    - destination:\n        host: reviews\n        subset: v1\n      weight: 90\n');
    expect(doc).not.toContain('$');
  });

  it('ranks snippets below the schema’s own items', () => {
    const { result } = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - |\n');
    const sorted = [...result!.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    const firstSnippet = sorted.findIndex((i) => i.kind === 'snippet');
    expect(firstSnippet).toBeGreaterThan(0);
    expect(sorted.slice(firstSnippet).every((i) => i.kind === 'snippet')).toBe(true);
    expect(lspList('', { items: result!.items.filter((i) => i.kind === 'snippet'), replaceStart: 0, replaceEnd: 0 }, true).items[0]).toMatchObject({ kind: 15, insertTextFormat: 2 });
  });
});
