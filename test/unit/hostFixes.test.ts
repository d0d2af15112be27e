// A host nothing defines (IST0101, IST0174): the closest defined host, and a ServiceEntry that
// defines it; either leaves no error behind.
import { describe, expect, it } from 'vitest';
import { quickFixes, type Fix } from '../../server/src/features/quickFixes';
import { applyEdits, type Files } from '../refactorSupport';
import { serviceWith, settings130, wsUri, yaml } from '../support';

const services = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: reviews
    namespace: shop
  spec:
    selector: {app: reviews}
    ports:
    - port: 9080
      name: http
  ---
  apiVersion: v1
  kind: Service
  metadata:
    name: ratings
    namespace: other
  spec:
    selector: {app: ratings}
    ports:
    - port: 9080
      name: http
`;

const vs = (host: string, port = '') => yaml`
  apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata:
    name: front
    namespace: shop
  spec:
    hosts: [front]
    http:
    - route:
      - destination:
          host: ${host}${port}
`;

function fixes(files: Files, target: string, code = 'IST0101'): { fixes: Fix[]; after: (title: string) => Files; errors: (files: Files) => string[] } {
  const service = serviceWith(files);
  const problems = service.diagnoseDiskFile(wsUri(target), settings130).filter((p) => p.code === code);
  const found = quickFixes(service.context(settings130), wsUri(target), problems);
  const errors = (out: Files) => {
    const after = serviceWith(out);
    return Object.keys(out).flatMap((name) =>
      after
        .diagnoseDiskFile(wsUri(name), settings130)
        .filter((p) => p.severity === 'error' || p.severity === 'warning')
        .map((p) => `${name}: ${p.code} ${p.message}`),
    );
  };
  const after = (title: string) => {
    const fix = found.find((f) => f.title === title);
    if (!fix) throw new Error(`no fix '${title}'; have: ${found.map((f) => f.title).join(' | ')}`);
    return applyEdits(files, fix.edits);
  };
  return { fixes: found, after, errors };
}

describe('an unknown host', () => {
  it('offers the closest Service of the namespace by its short name, then a ServiceEntry', () => {
    const files = { 'svc.yaml': services, 'vs.yaml': vs('reviewz') };
    const { fixes: found, after, errors } = fixes(files, 'vs.yaml');
    expect(found.map((f) => f.title)).toEqual(["Change to 'reviews'", 'Create a ServiceEntry for reviewz.shop.svc.cluster.local']);
    const out = after("Change to 'reviews'");
    expect(out['vs.yaml']).toBe(vs('reviews'));
    expect(errors(out)).toEqual([]);
  });

  it('compares an FQDN with FQDNs, in other namespaces too', () => {
    const files = { 'svc.yaml': services, 'vs.yaml': vs('ratingz.other.svc.cluster.local') };
    const { fixes: found } = fixes(files, 'vs.yaml');
    expect(found[0].title).toBe("Change to 'ratings.other.svc.cluster.local'");
  });

  it('creates a ServiceEntry at the end of the file with the destination port, and nothing is flagged after', () => {
    const files = { 'svc.yaml': services, 'vs.yaml': vs('payments', '\n          port:\n            number: 8080') };
    const { fixes: found, after, errors } = fixes(files, 'vs.yaml');
    expect(found.map((f) => f.title)).toEqual(['Create a ServiceEntry for payments.shop.svc.cluster.local']);
    const out = after('Create a ServiceEntry for payments.shop.svc.cluster.local');
    expect(out['vs.yaml']).toBe(
      files['vs.yaml'] +
        yaml`
          ---
          apiVersion: networking.istio.io/v1
          kind: ServiceEntry
          metadata:
            name: payments
            namespace: shop
          spec:
            hosts:
            - payments.shop.svc.cluster.local
            ports:
            - number: 8080
              name: http-8080
              protocol: HTTP
            resolution: DNS
            location: MESH_INTERNAL
        `,
    );
    expect(errors(out)).toEqual([]);
  });

  it('offers the same for a DestinationRule host (IST0174)', () => {
    const dr = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  host: reviewss\n';
    const files = { 'svc.yaml': services, 'dr.yaml': dr };
    const { fixes: found, after, errors } = fixes(files, 'dr.yaml', 'IST0174');
    expect(found.map((f) => f.title)).toEqual(["Change to 'reviews'", 'Create a ServiceEntry for reviewss.shop.svc.cluster.local']);
    expect(errors(after('Create a ServiceEntry for reviewss.shop.svc.cluster.local'))).toEqual([]);
    expect(errors(after("Change to 'reviews'"))).toEqual([]);
  });
});
