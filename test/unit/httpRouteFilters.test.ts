// Refactorings of an HTTPRoute (GRPCRoute) rule: add a request mirror, timeouts, retry. The
// expectations are the text after the edit, in 2- and 4-space files with comments around the
// rule; accepting the defaults raises no diagnostic the file did not have.
import { describe, expect, it } from 'vitest';
import { applyRefactoring, offerRefactorings } from '../../server/src/features/refactor';
import { contextAt, offerAt, offered, refactor } from '../refactorSupport';
import { serviceWith, wsUri, yaml } from '../support';

const route2 = yaml`
  # reviews over the Gateway API
  apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata:
    name: reviews
    namespace: shop
  spec:
    parentRefs:
    - group: ""
      kind: Service
      name: reviews
      port: 9080
    rules:
    # all traffic
    - backendRefs:
      - name: rev|iews # stable
        port: 9080
    # end of rules
  `;

// Four-space indent, indented sequences, two rules, the second already filtering.
const route4 = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata:
      name: reviews
      namespace: shop
  spec:
      parentRefs:
          - name: ingress
      rules:
          - matches:
                - path: {type: PathPrefix, value: /admin}
            backendRefs:
                - name: reviews
                  port: 9080
          # the API
          - matches:
                - path: {type: PathPrefix, value: /api}
            filters:
                - type: RequestHeaderModifier # tag the request
                  requestHeaderModifier:
                      set:
                          - {name: x-api, value: "1"}
            backendRefs:
                - name: re|views
                  port: 9080
  `;

const service = (name: string, selector: string) => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: ${name}
    namespace: shop
  spec:
    selector: ${selector}
    ports:
    - {name: http, port: 9080}
  `;

const deployment = (version: string) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: reviews-${version}
    namespace: shop
  spec:
    template:
      metadata:
        labels:
          app: reviews
          version: ${version}
  `;

const gateway = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata:
    name: ingress
    namespace: shop
  spec:
    gatewayClassName: istio
    listeners:
    - name: http
      port: 80
      protocol: HTTP
  `;

/** The Services of reviews and of its version v2, with v2's pods. */
const workloads = [service('reviews', '{app: reviews}'), service('reviews-v2', '{app: reviews, version: v2}'), deployment('v1'), deployment('v2')].join('---\n');

const problems = (files: Record<string, string>) =>
  Object.keys(files).flatMap((name) =>
    serviceWith(files)
      .diagnoseDiskFile(wsUri(name), { istioVersion: '1.30', validate: true })
      .map((p) => `${name} ${p.severity} ${p.code} ${p.message}`),
  );

/** Runs `id` with `values` and checks the checker says nothing new about any file. */
function quietly(files: Record<string, string>, target: string, id: string, values: Record<string, string> = {}) {
  const out = refactor(files, target, id, values);
  expect(problems(out)).toEqual(problems({ ...files, [target]: files[target].replace('|', '') }));
  return out;
}

function refusal(files: Record<string, string>, target: string, id: string, values: Record<string, string>) {
  const { ctx, uri, offset } = contextAt(files, target);
  return applyRefactoring(ctx, uri, offset, id, values);
}

describe('add request mirror', () => {
  it('mirrors to another version of the backend whose pods run, as a RequestMirror filter (2-space file)', () => {
    const files = { 'route.yaml': route2, 'k8s.yaml': workloads };
    expect(offerAt(files, 'route.yaml', 'httproute-mirror')?.title).toBe('Add request mirror to reviews-v2 (100% of requests)');
    expect(quietly(files, 'route.yaml', 'httproute-mirror')['route.yaml']).toBe(yaml`
      # reviews over the Gateway API
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: reviews
        namespace: shop
      spec:
        parentRefs:
        - group: ""
          kind: Service
          name: reviews
          port: 9080
        rules:
        # all traffic
        - backendRefs:
          - name: reviews # stable
            port: 9080
          filters:
          - type: RequestMirror
            requestMirror:
              backendRef:
                name: reviews-v2
                port: 9080
              percent: 100
        # end of rules
      `);
  });

  it('appends to the rule under the cursor in a 4-space file, and writes a share that is not whole as a fraction', () => {
    const files = { 'route.yaml': route4, 'k8s.yaml': workloads, 'gw.yaml': gateway };
    const out = quietly(files, 'route.yaml', 'httproute-mirror', { percent: '0.5' });
    expect(out['route.yaml']).toBe(
      route4
        .replace('|', '')
        .replace(
          '                        - {name: x-api, value: "1"}\n',
          '                        - {name: x-api, value: "1"}\n' +
            '              - type: RequestMirror\n' +
            '                requestMirror:\n' +
            '                    backendRef:\n' +
            '                        name: reviews-v2\n' +
            '                        port: 9080\n' +
            '                    fraction:\n' +
            '                        numerator: 5\n' +
            '                        denominator: 1000\n',
        ),
    );
  });

  it('writes a filters list in a 4-space file with indented sequences, for a rule without one', () => {
    const first = route4.replace('re|views', 'reviews').replace('- name: reviews\n', '- name: rev|iews\n');
    const files = { 'route.yaml': first, 'k8s.yaml': workloads, 'gw.yaml': gateway };
    const out = quietly(files, 'route.yaml', 'httproute-mirror', { percent: '1e-1' });
    expect(out['route.yaml']).toBe(
      first
        .replace('|', '')
        .replace(
          '                port: 9080\n        # the API\n',
          '                port: 9080\n' +
            '          filters:\n' +
            '              - type: RequestMirror\n' +
            '                requestMirror:\n' +
            '                    backendRef:\n' +
            '                        name: reviews-v2\n' +
            '                        port: 9080\n' +
            '                    fraction:\n' +
            '                        numerator: 1\n' +
            '                        denominator: 1000\n' +
            '        # the API\n',
        ),
    );
  });

  it('asks for the Service, with no default, when no other version of the backend has pods, and says why', () => {
    const files = { 'route.yaml': route2, 'k8s.yaml': [service('reviews', '{app: reviews}'), service('reviews-v2', '{app: reviews, version: v2}'), deployment('v1')].join('---\n') };
    const offer = offerAt(files, 'route.yaml', 'httproute-mirror');
    expect(offer?.title).toBe('Add request mirror (no other Service of reviews with running pods in shop: asks for the Service)');
    expect(offer?.inputs.find((i) => i.name === 'service')?.default).toBe('');
    expect(() => refactor(files, 'route.yaml', 'httproute-mirror')).toThrow('is not a valid name');
    expect(refactor(files, 'route.yaml', 'httproute-mirror', { service: 'reviews-v2' })['route.yaml']).toContain(
      '        backendRef:\n          name: reviews-v2\n          port: 9080\n        percent: 100\n',
    );
    expect(refusal(files, 'route.yaml', 'httproute-mirror', { service: 'reviews' })).toBe("'reviews' already receives this rule's traffic; mirror to another Service");
    expect(offerAt({ 'route.yaml': route2 }, 'route.yaml', 'httproute-mirror')?.title).toBe("Add request mirror (no Service 'reviews' in the workspace: asks for the Service)");
  });

  it('is not offered on a rule that already mirrors, and is offered on a GRPCRoute rule (which has no timeouts or retry)', () => {
    const mirrored = route2.replace('  # end of rules', '    filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews-v2, port: 9080}\n  # end of rules');
    const files = { 'route.yaml': mirrored, 'k8s.yaml': workloads };
    expect(offered(files, 'route.yaml')).not.toContain('httproute-mirror');
    const grpc = route2.replace('kind: HTTPRoute', 'kind: GRPCRoute');
    const ids = offered({ 'route.yaml': grpc, 'k8s.yaml': workloads }, 'route.yaml');
    expect(ids).toContain('httproute-mirror');
    expect(ids).not.toContain('httproute-timeouts');
    expect(ids).not.toContain('httproute-retry');
    expect(quietly({ 'route.yaml': grpc, 'k8s.yaml': workloads }, 'route.yaml', 'httproute-mirror')['route.yaml']).toContain('    - type: RequestMirror\n');
  });
});

describe('add timeouts', () => {
  it('adds request and backendRequest timeouts to the rule (4-space file)', () => {
    const files = { 'route.yaml': route4, 'k8s.yaml': workloads, 'gw.yaml': gateway };
    expect(offerAt(files, 'route.yaml', 'httproute-timeouts')?.title).toBe('Add timeouts (request 10s, backend request 10s)');
    const out = quietly(files, 'route.yaml', 'httproute-timeouts', { request: '1m30s', backendRequest: '15s' });
    expect(out['route.yaml']).toBe(route4.replace('|', '') + '          timeouts:\n' + '              request: 1m30s\n' + '              backendRequest: 15s\n');
  });

  it('refuses a backend timeout longer than the request timeout, and durations the CRD refuses', () => {
    const files = { 'route.yaml': route2, 'k8s.yaml': workloads };
    expect(refusal(files, 'route.yaml', 'httproute-timeouts', { request: '5s', backendRequest: '6s' })).toBe('The backend request timeout (6s) cannot be longer than the request timeout (5s)');
    expect(refusal(files, 'route.yaml', 'httproute-timeouts', { request: '1.5s', backendRequest: '1s' })).toMatch(/^'1.5s' is not a Gateway API duration/);
    // The checker would flag what is refused: the CRD's rule, written by hand.
    const hand = route2.replace('|', '').replace('  # end of rules', '    timeouts: {request: 5s, backendRequest: 6s}\n  # end of rules');
    expect(problems({ 'route.yaml': hand, 'k8s.yaml': workloads }).join('\n')).toMatch(/IST0106 BackendRequest timeout cannot be longer than request timeout/);
  });

  it('defaults the backend timeout to a per-try one when the rule has retry, and is not offered where timeouts are written', () => {
    const retried = route2.replace('  # end of rules', '    retry: {attempts: 2}\n  # end of rules');
    expect(offerAt({ 'route.yaml': retried }, 'route.yaml', 'httproute-timeouts')?.title).toBe('Add timeouts (request 10s, backend request 2s)');
    const timed = route2.replace('  # end of rules', '    timeouts:\n      request: 3s\n  # end of rules');
    expect(offered({ 'route.yaml': timed }, 'route.yaml')).not.toContain('httproute-timeouts');
  });
});

describe('add retry', () => {
  it('adds retry with attempts, backoff and codes, its title naming the experimental channel (2-space file)', () => {
    const files = { 'route.yaml': route2, 'k8s.yaml': workloads };
    expect(offerAt(files, 'route.yaml', 'httproute-retry')?.title).toBe('Add retry (Gateway API experimental channel): 3 attempts on 502, 503, 504 and connection errors, 100ms backoff');
    expect(quietly(files, 'route.yaml', 'httproute-retry')['route.yaml']).toBe(
      route2.replace('|', '').replace('  # end of rules', '    retry:\n      attempts: 3\n      backoff: 100ms\n      codes:\n      - 502\n      - 503\n      - 504\n  # end of rules'),
    );
  });

  it('writes the codes in a 4-space file with indented sequences, and refuses codes outside 400-599', () => {
    const files = { 'route.yaml': route4, 'k8s.yaml': workloads, 'gw.yaml': gateway };
    const out = quietly(files, 'route.yaml', 'httproute-retry', { attempts: '2', backoff: '1s', codes: '503' });
    expect(out['route.yaml']).toBe(route4.replace('|', '') + '          retry:\n              attempts: 2\n              backoff: 1s\n              codes:\n                  - 503\n');
    expect(refusal(files, 'route.yaml', 'httproute-retry', { codes: '503, 200' })).toBe("'503, 200' is not a list of HTTP status codes from 400 to 599 such as 502, 503");
    expect(refusal(files, 'route.yaml', 'httproute-retry', { attempts: 'many' })).toBe("'many' is not a number of attempts such as 3");
  });

  it('says that a backendRequest timeout already written becomes the per-try timeout', () => {
    const timed = route2.replace('  # end of rules', '    timeouts:\n      request: 10s\n      backendRequest: 3s\n  # end of rules');
    expect(offerAt({ 'route.yaml': timed }, 'route.yaml', 'httproute-retry')?.title).toBe(
      'Add retry (Gateway API experimental channel): 3 attempts on 502, 503, 504 and connection errors, 100ms backoff; timeouts.backendRequest then limits each try',
    );
  });

  it('is not offered where the rule has retry, nor on a rule without backends', () => {
    const retried = route2.replace('  # end of rules', '    retry:\n      attempts: 2\n  # end of rules');
    expect(offered({ 'route.yaml': retried }, 'route.yaml')).not.toContain('httproute-retry');
    const redirect = route2.replace('  - backendRefs:\n    - name: rev|iews # stable\n      port: 9080\n', '  - filters:\n    - type: RequestRedirect\n      request|Redirect: {scheme: https}\n');
    expect(offered({ 'route.yaml': redirect }, 'route.yaml').filter((id) => id.startsWith('httproute-'))).toEqual([]);
  });
});

describe('half-typed and unusual rules', () => {
  it('offers nothing, and does not throw, on a rule list being typed or a rule written in flow style', () => {
    // What each half-typed tail offers: nothing, or (a backend being named) all three, none failing.
    const typing: [string, string[]][] = [
      ['rules:\n  - |', []],
      ['rules:|\n', []],
      ['rules:\n  - backendRefs:\n    - name: |\n', ['httproute-mirror', 'httproute-timeouts', 'httproute-retry']],
      ['rules:\n  - {backendRefs: [{name: reviews, port: 9080}]|}\n', []],
    ];
    for (const [tail, ids] of typing) {
      const text = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  ${tail}`;
      const { ctx, uri, offset } = contextAt({ 'route.yaml': text }, 'route.yaml');
      const offers = offerRefactorings(ctx, uri, offset).filter((r) => r.id.startsWith('httproute-'));
      expect(offers.map((r) => r.id)).toEqual(ids);
      expect(offers.filter((r) => r.failure)).toEqual([]);
    }
  });

  it('passes over half-typed Services when it picks the mirror', () => {
    const halfTyped = [
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews-v3\n  namespace: shop\nspec:\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews-v4\n  namespace: shop\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n',
    ];
    const files = { 'route.yaml': route2, 'k8s.yaml': [service('reviews', '{app: reviews}'), deployment('v1'), ...halfTyped].join('---\n') };
    expect(offerAt(files, 'route.yaml', 'httproute-mirror')?.inputs[0].default).toBe('');
    expect(refusal(files, 'route.yaml', 'httproute-mirror', { service: 'reviews-v4' })).toBe("No port to mirror to: Service 'reviews-v4' has none");
    // Nor a Service of the backend's very pods (another name for them).
    const alias = { ...files, 'k8s.yaml': files['k8s.yaml'] + '---\n' + service('reviews-all', '{app: reviews}') };
    expect(offerAt(alias, 'route.yaml', 'httproute-mirror')?.inputs[0].default).toBe('');
    expect(offerAt({ ...alias, 'more.yaml': service('reviews-v2', '{app: reviews, version: v2}') + '---\n' + deployment('v2') }, 'route.yaml', 'httproute-mirror')?.inputs[0].default).toBe(
      'reviews-v2',
    );
  });

  it('is not offered on a filters list written in flow style (the filter could not be added in its style)', () => {
    const flow = route2.replace('  # end of rules', '    filters: []\n  # end of rules');
    expect(offered({ 'route.yaml': flow, 'k8s.yaml': workloads }, 'route.yaml')).not.toContain('httproute-mirror');
  });
});
