// exportTo in the cross-file checks: IST0101, IST0174, IST0109 and IST0177 only between resources
// that see each other, as istioctl's analyzers scope them.
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../support';

type Files = Record<string, string>;

function check(files: Files, target: string, codes: string[]) {
  return problemsOf(files, target, codes).map((p) => [p.line, p.code, p.message]);
}

const meta = (kind: string, ns: string, name: string, api = 'networking.istio.io/v1', extra = '') =>
  `apiVersion: ${api}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}spec:\n`;
const vs = (ns: string, name: string, host: string, exportTo = '', dest = host) =>
  `${meta('VirtualService', ns, name)}  hosts: [${host}]\n${exportTo ? `  exportTo: [${exportTo}]\n` : ''}  http:\n  - route:\n    - destination:\n        host: ${dest}\n`;
const se = (ns: string, name: string, host: string, port: string, exportTo = '') =>
  `${meta('ServiceEntry', ns, name)}  hosts: [${host}]\n${exportTo ? `  exportTo: [${exportTo}]\n` : ''}  resolution: DNS\n  ports:\n  - {${port}}\n`;
const svc = (ns: string, name: string, exportTo?: string) =>
  `${meta('Service', ns, name, 'v1', exportTo === undefined ? '' : `  annotations:\n    networking.istio.io/exportTo: "${exportTo}"\n`)}  ports:\n  - {name: http, port: 80}\n`;

describe('IST0101 and IST0174 with exportTo', () => {
  it('reports a destination defined only by a ServiceEntry not exported to the VirtualService', () => {
    const files = { 'se.yaml': se('shop', 'ext', 'api.example.com', 'number: 443, name: tls, protocol: TLS', '.'), 'vs.yaml': vs('web', 'front', 'front.example.com', '', 'api.example.com') };
    expect(check(files, 'vs.yaml', ['IST0101'])).toEqual([
      [10, 'IST0101', "Host 'api.example.com' (api.example.com) is defined by ServiceEntry ext (shop, exportTo: .), which is not exported to namespace web."],
    ]);
    // In the ServiceEntry's own namespace it is found.
    expect(check({ ...files, 'vs.yaml': vs('shop', 'front', 'front.example.com', '', 'api.example.com') }, 'vs.yaml', ['IST0101'])).toEqual([]);
  });

  it('reads the networking.istio.io/exportTo annotation of a Service', () => {
    const files = { 'svc.yaml': svc('shop', 'reviews', '.'), 'vs.yaml': vs('web', 'front', 'front.example.com', '', 'reviews.shop.svc.cluster.local') };
    expect(check(files, 'vs.yaml', ['IST0101']).map((p) => p[2])).toEqual([
      "Host 'reviews.shop.svc.cluster.local' (reviews.shop.svc.cluster.local) is defined by Service reviews (shop, exportTo: .), which is not exported to namespace web.",
    ]);
    expect(check({ ...files, 'svc.yaml': svc('shop', 'reviews', 'shop, web') }, 'vs.yaml', ['IST0101'])).toEqual([]);
    expect(check({ ...files, 'svc.yaml': svc('shop', 'reviews') }, 'vs.yaml', ['IST0101'])).toEqual([]);
  });

  it('asks from the namespaces a VirtualService is exported to, as istioctl does', () => {
    const files = { 'se.yaml': se('shop', 'ext', 'api.example.com', 'number: 443, name: tls, protocol: TLS', '.'), 'vs.yaml': vs('shop', 'front', 'front.example.com', '"*"', 'api.example.com') };
    // Exported everywhere, it routes sidecars of namespaces that cannot see the ServiceEntry.
    expect(check(files, 'vs.yaml', ['IST0101']).map((p) => p[2])).toEqual([
      "Host 'api.example.com' (api.example.com) is defined by ServiceEntry ext (shop, exportTo: .), which is not exported to every namespace (this resource is exported to all).",
    ]);
    expect(check({ ...files, 'vs.yaml': vs('shop', 'front', 'front.example.com', '.', 'api.example.com') }, 'vs.yaml', ['IST0101'])).toEqual([]);
  });

  it('reports a DestinationRule whose host is not exported to it (IST0174)', () => {
    const dr = `${meta('DestinationRule', 'web', 'reviews')}  host: reviews.shop.svc.cluster.local\n`;
    expect(check({ 'svc.yaml': svc('shop', 'reviews', '.'), 'dr.yaml': dr }, 'dr.yaml', ['IST0174']).map((p) => p[1])).toEqual(['IST0174']);
    expect(check({ 'svc.yaml': svc('shop', 'reviews', '*'), 'dr.yaml': dr }, 'dr.yaml', ['IST0174'])).toEqual([]);
  });
});

describe('IST0109 with exportTo', () => {
  const host = 'reviews.shop.svc.cluster.local';
  it('is not reported between VirtualServices exported to namespaces that never meet', () => {
    const files = { 'a.yaml': vs('team-a', 'a', host, '.'), 'b.yaml': vs('team-b', 'b', host, '.') };
    expect(check(files, 'a.yaml', ['IST0109'])).toEqual([]);
    expect(check({ ...files, 'b.yaml': vs('team-b', 'b', host, 'team-a') }, 'a.yaml', ['IST0109']).map((p) => p[1])).toEqual(['IST0109']);
    // No exportTo: exported everywhere, so it meets both.
    expect(check({ ...files, 'b.yaml': vs('team-b', 'b', host) }, 'a.yaml', ['IST0109']).map((p) => p[1])).toEqual(['IST0109']);
  });

  it('compares a wildcard with a host only between one exported everywhere and one exported to namespaces', () => {
    const wild = vs('team-b', 'b', '"*.shop.svc.cluster.local"');
    expect(check({ 'a.yaml': vs('team-a', 'a', host, '.'), 'b.yaml': wild }, 'a.yaml', ['IST0109']).map((p) => p[2])).toEqual([
      `VirtualService b (team-b) also routes *.shop.svc.cluster.local, which overlaps ${host}, for the mesh; merge them into one VirtualService.`,
    ]);
    expect(check({ 'a.yaml': vs('team-a', 'a', host), 'b.yaml': wild }, 'a.yaml', ['IST0109'])).toEqual([]);
  });
});

describe('IST0177 with exportTo', () => {
  it('is reported only between ServiceEntries whose scopes meet', () => {
    const a = se('team-a', 'a', 'db.example.com', 'number: 5432, name: pg, protocol: TCP', '.');
    const b = se('team-b', 'b', 'db.example.com', 'number: 5432, name: pg, protocol: HTTP', '.');
    expect(check({ 'a.yaml': a, 'b.yaml': b }, 'a.yaml', ['IST0177'])).toEqual([]);
    expect(check({ 'a.yaml': a, 'b.yaml': se('team-b', 'b', 'db.example.com', 'number: 5432, name: pg, protocol: HTTP') }, 'a.yaml', ['IST0177']).map((p) => p[2])).toEqual([
      'ServiceEntry b (team-b) defines db.example.com port 5432 with HTTP, this one with TCP.',
    ]);
  });

  it('counts an unset protocol as a protocol of its own, as istioctl does', () => {
    const a = se('team-a', 'a', 'db.example.com', 'number: 5432, name: pg');
    const b = se('team-b', 'b', 'db.example.com', 'number: 5432, name: pg, protocol: TCP');
    expect(check({ 'a.yaml': a, 'b.yaml': b }, 'a.yaml', ['IST0177'])).toEqual([[9, 'IST0177', 'ServiceEntry b (team-b) defines db.example.com port 5432 with TCP, this one with no protocol.']]);
  });
});
