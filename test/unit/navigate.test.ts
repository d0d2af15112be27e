import { describe, expect, it } from 'vitest';
import { definition, prepareRename, references, rename, workspaceSymbols, type Location, type TextEdit } from '../../server/src/features/navigate';
import { newService } from '../support';

type Files = Record<string, string>;

/** Indexes the files; `|` in one of them marks the cursor. */
function setup(files: Files) {
  const service = newService();
  let cursor: { uri: string; offset: number } | undefined;
  const texts: Record<string, string> = {};
  for (const [name, raw] of Object.entries(files)) {
    const uri = `file:///ws/${name}`;
    const at = raw.indexOf('|');
    const text = at === -1 ? raw : raw.slice(0, at) + raw.slice(at + 1);
    if (at !== -1) cursor = { uri, offset: at };
    texts[uri] = text;
    service.setDiskFile(uri, text);
  }
  const show = (l: Location) => `${l.uri.replace('file:///ws/', '')}:${texts[l.uri].slice(l.start, l.end)}@${texts[l.uri].slice(0, l.start).split('\n').length - 1}`;
  const apply = (edits: TextEdit[]) => {
    const out = { ...texts };
    for (const e of [...edits].sort((a, b) => b.start - a.start)) out[e.uri] = out[e.uri].slice(0, e.start) + e.newText + out[e.uri].slice(e.end);
    return out;
  };
  return { index: service.index, cursor: cursor!, show, apply, texts };
}

const vs = (ns: string, host: string, subset: string, gateways = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: ${ns}}
spec:
  hosts: [reviews]
${gateways}  http:
  - route:
    - destination:
        host: ${host}
        subset: ${subset}
    mirror:
      host: ${host}
      subset: ${subset}
`;
const dr = (ns: string, host: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: ${ns}}
spec:
  host: ${host}
  subsets:
  - name: v1
    labels: {version: v1}
  - name: "v2"
    labels: {version: v2}
`;
const svc = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  ports: [{name: http, port: 80}]
`;
const gw = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: edge}
spec:
  servers: []
`;

describe('go to definition', () => {
  it('goes from a subset to its DestinationRule, across namespaces by FQDN', () => {
    const { index, cursor, show } = setup({ 'vs.yaml': vs('front', 'reviews.shop.svc.cluster.local', 'v2').replace('subset: v2', 'subset: v|2'), 'dr.yaml': dr('shop', 'reviews') });
    expect(definition(index, cursor.uri, cursor.offset).map(show)).toEqual(['dr.yaml:"v2"@8']);
  });

  it('goes through a wildcard DestinationRule host', () => {
    const { index, cursor, show } = setup({ 'vs.yaml': vs('shop', 'reviews', 'v|1'), 'dr.yaml': dr('shop', '"*.shop.svc.cluster.local"') });
    expect(definition(index, cursor.uri, cursor.offset).map(show)).toEqual(['dr.yaml:v1@6']);
  });

  it('goes from a host to the Service and the DestinationRule', () => {
    const { index, cursor, show } = setup({ 'vs.yaml': vs('shop', 'rev|iews', 'v1'), 'dr.yaml': dr('shop', 'reviews'), 'svc.yaml': svc });
    expect(definition(index, cursor.uri, cursor.offset).map(show)).toEqual(['svc.yaml:reviews@2', 'dr.yaml:reviews@4']);
  });

  it('goes from a gateways entry (ns/name) to the Gateway', () => {
    const { index, cursor, show } = setup({ 'vs.yaml': vs('shop', 'reviews', 'v1', '  gateways: [edge/pub|lic]\n'), 'gw.yaml': gw });
    expect(definition(index, cursor.uri, cursor.offset).map(show)).toEqual(['gw.yaml:public@2']);
  });
});

describe('references', () => {
  it('finds every use of a subset, routes and mirrors, in every file', () => {
    const { index, cursor, show } = setup({ 'dr.yaml': dr('shop', 'reviews').replace('- name: v1', '- name: v|1'), 'a.yaml': vs('shop', 'reviews', 'v1'), 'b.yaml': vs('front', 'reviews.shop.svc.cluster.local', 'v1'), 'c.yaml': vs('front', 'reviews', 'v1') });
    expect(references(index, cursor.uri, cursor.offset, true).map(show)).toEqual(['dr.yaml:v1@6', 'a.yaml:v1@9', 'a.yaml:v1@12', 'b.yaml:v1@9', 'b.yaml:v1@12']);
  });

  it('finds the VirtualServices bound to a Gateway', () => {
    const { index, cursor, show } = setup({ 'gw.yaml': gw.replace('name: public', 'name: pu|blic'), 'a.yaml': vs('edge', 'reviews', 'v1', '  gateways: [public, mesh]\n'), 'b.yaml': vs('shop', 'reviews', 'v1', '  gateways: [edge/public]\n'), 'c.yaml': vs('shop', 'reviews', 'v1', '  gateways: [public]\n') });
    expect(references(index, cursor.uri, cursor.offset, false).map(show)).toEqual(['a.yaml:public@5', 'b.yaml:edge/public@5']);
  });

  it('finds the hosts that name a Service', () => {
    const { index, cursor, show } = setup({ 'svc.yaml': svc.replace('name: reviews', 'name: re|views'), 'vs.yaml': vs('shop', 'reviews', 'v1'), 'dr.yaml': dr('shop', 'reviews.shop.svc.cluster.local') });
    expect(references(index, cursor.uri, cursor.offset, false).map(show)).toEqual(['vs.yaml:reviews@8', 'vs.yaml:reviews@11', 'dr.yaml:reviews.shop.svc.cluster.local@4']);
  });
});

describe('rename', () => {
  it('renames a subset and its uses across files in one edit, keeping quotes', () => {
    const { index, cursor, apply } = setup({ 'vs.yaml': vs('shop', 'reviews', 'v2').replace('subset: v2', 'subset: v|2'), 'dr.yaml': dr('shop', 'reviews'), 'other.yaml': vs('front', 'reviews.shop.svc.cluster.local', 'v2') });
    expect(prepareRename(index, cursor.uri, cursor.offset)?.placeholder).toBe('v2');
    const edits = rename(index, cursor.uri, cursor.offset, 'canary') as TextEdit[];
    const out = apply(edits);
    expect(out['file:///ws/dr.yaml']).toBe(dr('shop', 'reviews').replace('"v2"', '"canary"'));
    expect(out['file:///ws/vs.yaml']).toBe(vs('shop', 'reviews', 'canary'));
    expect(out['file:///ws/other.yaml']).toBe(vs('front', 'reviews.shop.svc.cluster.local', 'canary'));
  });

  it('renames a Gateway, keeping the namespace of ns/name references', () => {
    const { index, cursor, apply } = setup({ 'gw.yaml': gw.replace('name: public', 'name: |public'), 'a.yaml': vs('edge', 'reviews', 'v1', '  gateways: [public]\n'), 'b.yaml': vs('shop', 'reviews', 'v1', '  gateways: [edge/public]\n') });
    const out = apply(rename(index, cursor.uri, cursor.offset, 'ingress') as TextEdit[]);
    expect(out['file:///ws/gw.yaml']).toBe(gw.replace('name: public', 'name: ingress'));
    expect(out['file:///ws/a.yaml']).toContain('gateways: [ingress]');
    expect(out['file:///ws/b.yaml']).toContain('gateways: [edge/ingress]');
  });

  it('refuses invalid names and things that cannot be renamed', () => {
    const { index, cursor } = setup({ 'vs.yaml': vs('shop', 'reviews', 'v|2'), 'dr.yaml': dr('shop', 'reviews') });
    expect(rename(index, cursor.uri, cursor.offset, 'Not Valid')).toHaveProperty('error');
    const host = setup({ 'vs.yaml': vs('shop', 'rev|iews', 'v2') });
    expect(prepareRename(host.index, host.cursor.uri, host.cursor.offset)).toBeUndefined();
  });
});

describe('workspace symbols', () => {
  it('finds Istio resources by name', () => {
    const { index } = setup({ 'vs.yaml': vs('shop', 'reviews', 'v1'), 'dr.yaml': dr('shop', 'reviews'), 'svc.yaml': svc, 'gw.yaml': gw });
    expect(workspaceSymbols(index, 'rev').map((s) => `${s.name} ${s.namespace}`)).toEqual(['VirtualService reviews shop', 'DestinationRule reviews shop']);
    expect(workspaceSymbols(index, '').map((s) => s.kind)).toEqual(['VirtualService', 'DestinationRule', 'Gateway']);
  });
});
