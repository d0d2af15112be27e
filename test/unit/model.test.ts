import { describe, expect, it } from 'vitest';
import { splitDocuments } from '../../server/src/model/split';
import { DiagnosticsCache, fileProblems } from '../../server/src/features/diagnostics';
import { documentSymbols } from '../../server/src/features/symbols';
import { contextWith, newService, settings130, wsUri } from '../support';

describe('splitDocuments', () => {
  it('splits at --- lines only', () => {
    const text = 'a: 1\n---\nb: "---"\nc: |\n  ---x\n--- # comment\nd: 1\n';
    expect(splitDocuments(text).map((s) => s.text)).toEqual(['a: 1\n', '---\nb: "---"\nc: |\n  ---x\n', '--- # comment\nd: 1\n']);
  });

  it('keeps leading comments and directives with the first document', () => {
    expect(splitDocuments('# header\n%YAML 1.2\n---\na: 1\n').map((s) => s.text)).toEqual(['# header\n%YAML 1.2\n---\na: 1\n']);
  });

  it('covers the whole text', () => {
    const text = '---\n---\na: 1\n---';
    expect(
      splitDocuments(text)
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });
});

describe('file model cache', () => {
  const doc = (name: string, port: number) =>
    `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: ${name}}\nspec:\n  servers:\n  - port: {number: ${port}, name: http, protocol: HTTP}\n    hosts: ["*"]\n`;

  it('re-parses and re-validates only the edited document of a multi-document file', () => {
    const service = newService();
    const cache = new DiagnosticsCache();
    const v1 = service.open('file:///m.yaml', 1, [doc('a', 80), doc('b', -1), doc('c', 82)].join('---\n'));
    const first = fileProblems(service.context(settings130), 'file:///m.yaml', cache, false);
    const v2 = service.open('file:///m.yaml', 2, [doc('a', 80), doc('b', -2), doc('c', 82)].join('---\n'));
    expect(v2.resources[0].doc).toBe(v1.resources[0].doc);
    expect(v2.resources[1].doc).not.toBe(v1.resources[1].doc);
    expect(v2.resources[2].doc).toBe(v1.resources[2].doc);
    expect(cache.get(v2.resources[0].doc, '1.30')).toBeDefined();
    expect(cache.get(v2.resources[1].doc, '1.30')).toBeUndefined();
    const second = fileProblems(service.context(settings130), 'file:///m.yaml', cache, false);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(second[0].message).toContain('-2');
  });

  it('shifts cached results when an earlier document changes length', () => {
    const service = newService();
    const cache = new DiagnosticsCache();
    service.open('file:///m.yaml', 1, [doc('a', 80), doc('b', -1)].join('---\n'));
    fileProblems(service.context(settings130), 'file:///m.yaml', cache, false);
    const text2 = [doc('aaaaaaaa', 80), doc('b', -1)].join('---\n');
    service.open('file:///m.yaml', 2, text2);
    const [p] = fileProblems(service.context(settings130), 'file:///m.yaml', cache, false);
    expect(text2.slice(p.start, p.end)).toBe('-1');
  });
});

describe('document symbols', () => {
  it('gives one symbol per Istio resource with its structure below', () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n';
    const symbols = documentSymbols(contextWith({ 's.yaml': text }), wsUri('s.yaml'));
    expect(symbols.map((s) => s.name)).toEqual(['DestinationRule reviews']);
    expect(symbols[0].detail).toBe('networking.istio.io/v1 · shop');
    expect(text.slice(symbols[0].selectionStart, symbols[0].selectionEnd)).toBe('reviews');
    const spec = symbols[0].children.find((c) => c.name === 'spec')!;
    expect(spec.children.map((c) => c.name)).toEqual(['host', 'subsets']);
    expect(spec.children[1].children.map((c) => c.name)).toEqual(['0: v1']);
  });
});
