// `kind: List` (what `kubectl get -o yaml` writes): its items are analysed like the documents of
// a stream, at their place in the file.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildFileModel } from '../../server/src/model/fileModel';
import { caret, diagnose, serviceWith, settings130, wsUri, yaml } from '../support';

const LIST = yaml`
  apiVersion: v1
  kind: List
  items:
  - apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata:
      name: reviews
      namespace: shop
    spec:
      hosts: [reviews]
      http:
      - route:
        - destination:
            host: reviews
            subset: v3 # not defined below
          weight: 100
  - apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata:
      name: reviews
      namespace: shop
    spec:
      host: reviews
      trafficPolicy:
        loadBalancer:
          simple: ROUND_ROBINN
      subsets:
      - name: v1
        labels: {version: v1}
  - apiVersion: v1
    kind: Service
    metadata: {name: reviews, namespace: shop}
    spec:
      ports: [{name: http, port: 9080}]
  metadata:
    resourceVersion: ""
`;

describe('kind: List', () => {
  it('splits into its items, each at its offset in the file', () => {
    const model = buildFileModel(wsUri('list.yaml'), 1, LIST);
    expect(model.resources.map((r) => r.kind)).toEqual(['List', 'VirtualService', 'DestinationRule', 'Service']);
    const [, vs, dr] = model.resources;
    expect([vs.isIstio, dr.isIstio, vs.name, dr.namespace]).toEqual([true, true, 'reviews', 'shop']);
    // Node ranges of an item map to the file text.
    const drHost = dr.rangeOf(dr.doc.getIn(['spec', 'host'], true) as never)!;
    expect(LIST.slice(...drHost)).toBe('reviews');
  });

  it('reports schema and cross-file problems inside the items, at their lines', () => {
    const found = serviceWith({ 'list.yaml': LIST })
      .diagnoseDiskFile(wsUri('list.yaml'), settings130)
      .map((p) => [LIST.slice(0, p.start).split('\n').length, p.code, LIST.slice(p.start, p.end)]);
    expect(found).toEqual([
      [15, 'IST0101', 'v3'],
      [26, 'IST0106', 'ROUND_ROBINN'],
    ]);
  });

  it('gives the same answers as the documents of a stream', () => {
    const stream = LIST.replace(/^apiVersion: v1\nkind: List\nitems:\n/, '')
      .replace(/^metadata:\n {2}resourceVersion: ""\n/m, '')
      .replace(/^- /gm, '---\n  ');
    const codes = (text: string) => diagnose(text).map((p) => p.code);
    expect(codes(LIST)).toEqual(codes(stream));
  });

  it('completes and hovers inside an item', () => {
    const { text, offset } = caret(LIST.replace('simple: ROUND_ROBINN', 'simple: |'));
    const service = serviceWith({});
    service.open(wsUri('list.yaml'), 1, text);
    expect(service.complete(wsUri('list.yaml'), offset, settings130)?.items.map((i) => i.label)).toContain('ROUND_ROBIN');
    const at = text.indexOf('loadBalancer');
    expect(service.hover(wsUri('list.yaml'), at + 2, settings130)?.markdown).toMatch(/loadBalancer/);
  });

  it('offers quick fixes whose edits land inside the item, indented as it is', () => {
    const service = serviceWith({ 'list.yaml': LIST });
    const problems = service.diagnoseDiskFile(wsUri('list.yaml'), settings130).filter((p) => p.code === 'IST0101');
    const fix = service.quickFixes(wsUri('list.yaml'), problems, settings130).find((f) => /add subset/i.test(f.title));
    expect(fix, 'a fix adding subset v3').toBeDefined();
    let out = LIST;
    for (const e of [...fix!.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    expect(parseAllDocuments(out).flatMap((d) => d.errors)).toEqual([]);
    const after = serviceWith({ 'list.yaml': out }).diagnoseDiskFile(wsUri('list.yaml'), settings130);
    expect(after.map((p) => p.code)).toEqual(['IST0106']);
    expect(out).toContain('# not defined below');
  });

  it('leaves other documents and lists of other apiVersions alone', () => {
    const other = buildFileModel(wsUri('x.yaml'), 1, 'apiVersion: example.com/v1\nkind: List\nitems:\n- apiVersion: networking.istio.io/v1\n  kind: Gateway\n');
    expect(other.resources.map((r) => r.kind)).toEqual(['List']);
  });
});
