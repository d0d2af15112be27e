// Istio's own samples must raise no false errors. Each sample file is applied on its own in
// Istio's docs (several are alternatives to each other: five VirtualServices for `reviews`), so
// each is checked as its own workspace; the documented Bookinfo setup is checked as one.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newService, sharedDir, yamlFiles } from '../support';

const samples = join(sharedDir, 'istio-samples');

function errorsIn(files: string[]) {
  const service = newService();
  for (const f of files) service.setDiskFile(f, readFileSync(f, 'utf8'));
  return files.flatMap((f) =>
    service
      .diagnoseDiskFile(f, { istioVersion: '1.30', validate: true })
      .filter((p) => p.severity === 'error')
      .map((p) => `${relative(samples, f)}:${readFileSync(f, 'utf8').slice(0, p.start).split('\n').length} ${p.code} ${p.message}`),
  );
}

describe("Istio's samples", () => {
  const files = yamlFiles(samples);

  it('are many, with many Istio resources (the test is not vacuous)', () => {
    const istioDocs = files.map((f) => readFileSync(f, 'utf8').match(/^apiVersion: *[\w.]+\.istio\.io\//gm)?.length ?? 0).reduce((a, b) => a + b, 0);
    expect(files.length).toBeGreaterThan(100);
    expect(istioDocs).toBeGreaterThan(60);
  });

  it('include Gateway API manifests, checked at the schema level like Istio resources', () => {
    const gatewayApiDocs = files.map((f) => readFileSync(f, 'utf8').match(/^apiVersion: *gateway\.networking\.(?:x-)?k8s\.io\//gm)?.length ?? 0).reduce((a, b) => a + b, 0);
    expect(gatewayApiDocs).toBeGreaterThan(20);
    // Not vacuous: a typo in one of them is reported.
    const file = join(samples, 'bookinfo', 'gateway-api', 'route-all-v1.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('port: 9080');
    const service = newService();
    service.setDiskFile(file, text.replace('port: 9080', 'prot: 9080'));
    expect(service.diagnoseDiskFile(file, { istioVersion: '1.30', validate: true }).map((p) => p.message)).toContainEqual(expect.stringContaining("Unknown field 'prot'"));
  });

  it('raise no errors, file by file', () => {
    expect(files.flatMap((f) => errorsIn([f]))).toEqual([]);
  });

  it('raise no errors for the documented Bookinfo setup as one workspace', () => {
    const bookinfo = ['platform/kube/bookinfo.yaml', 'networking/bookinfo-gateway.yaml', 'networking/destination-rule-all.yaml', 'networking/virtual-service-all-v1.yaml'];
    expect(errorsIn(bookinfo.map((f) => join(samples, 'bookinfo', f)))).toEqual([]);
  });

  it('raise no errors for Bookinfo with the Gateway API (its Gateway, HTTPRoute and GAMMA routes) as one workspace', () => {
    const files = ['platform/kube/bookinfo.yaml', 'platform/kube/bookinfo-versions.yaml', 'gateway-api/bookinfo-gateway.yaml', 'gateway-api/route-reviews-90-10.yaml'];
    expect(errorsIn(files.map((f) => join(samples, 'bookinfo', f)))).toEqual([]);
  });

  it('still catch a parentRef mistake in that setup', () => {
    const service = newService();
    const dir = join(samples, 'bookinfo');
    for (const f of ['platform/kube/bookinfo.yaml', 'platform/kube/bookinfo-versions.yaml']) service.setDiskFile(join(dir, f), readFileSync(join(dir, f), 'utf8'));
    const gateway = readFileSync(join(dir, 'gateway-api/bookinfo-gateway.yaml'), 'utf8');
    expect(gateway).toContain('  - name: bookinfo-gateway\n');
    service.setDiskFile('gw.yaml', gateway.replace('  - name: bookinfo-gateway\n', '  - name: bookinfo-gateway\n    sectionName: https\n'));
    service.setDiskFile('mesh.yaml', readFileSync(join(dir, 'gateway-api/route-reviews-90-10.yaml'), 'utf8').replace('name: reviews\n    port: 9080', 'name: reviewz\n    port: 9080'));
    const codes = ['gw.yaml', 'mesh.yaml'].flatMap((f) => service.diagnoseDiskFile(f, { istioVersion: '1.30', validate: true }).map((p) => p.code));
    expect(codes).toEqual(expect.arrayContaining(['istio-listener-not-found', 'KIA1402']));
  });

  it('still catch a real mistake in that setup', () => {
    const service = newService();
    const dir = join(samples, 'bookinfo');
    for (const f of ['platform/kube/bookinfo.yaml', 'networking/destination-rule-all.yaml']) service.setDiskFile(join(dir, f), readFileSync(join(dir, f), 'utf8'));
    const vs = readFileSync(join(dir, 'networking/virtual-service-all-v1.yaml'), 'utf8').replace(
      'subset: v1\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ratings',
      'subset: v9\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ratings',
    );
    service.setDiskFile('vs.yaml', vs);
    const codes = service.diagnoseDiskFile('vs.yaml', { istioVersion: '1.30', validate: true }).map((p) => p.code);
    expect(codes).toContain('IST0101');
  });
});
