// Weight refactorings of HTTPRoute and GRPCRoute rules: expectations are the text after the edit,
// in 2- and 4-space files, block and flow backendRefs, with comments around the edited nodes;
// the defaults pick a Service of another version whose pods exist, and the checker stays quiet.
import { describe, expect, it } from 'vitest';
import { applyRefactoring } from '../../server/src/features/refactor';
import { contextAt, offerAt, offered, refactor } from '../refactorSupport';
import { serviceWith, wsUri, yaml } from '../support';

const route2 = yaml`
  # reviews routing
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
    # the default rule
    - backendRefs:
      - name: reviews-v1 # stable
        po|rt: 9080
  # end
  `;

const service = (name: string, labels: Record<string, string>) =>
  `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector:\n${Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('')}  ports:\n  - name: http\n    port: 9080\n`;
const deployment = (version: string) =>
  `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-${version}\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: reviews\n      version: ${version}\n  template:\n    metadata:\n      labels:\n        app: reviews\n        version: ${version}\n    spec:\n      containers:\n      - name: reviews\n        image: docker.io/istio/examples-bookinfo-reviews-${version}:1.20.3\n        ports:\n        - containerPort: 9080\n`;
/** Services reviews and reviews-v1..v3, with pods for the versions given. */
const k8s = (...versions: string[]) =>
  service('reviews', { app: 'reviews' }) + ['v1', 'v2', 'v3'].map((v) => service(`reviews-${v}`, { app: 'reviews', version: v })).join('') + versions.map(deployment).join('');

/** Error and warning diagnostics of every file. */
function problems(files: Record<string, string>): string[] {
  const ls = serviceWith(files);
  return Object.keys(files).flatMap((name) =>
    ls
      .diagnoseDiskFile(wsUri(name), { istioVersion: '1.30', validate: true })
      .filter((p) => p.severity === 'error' || p.severity === 'warning')
      .map((p) => `${name} ${p.code} ${p.message}`),
  );
}

const withPods = (...versions: string[]) => ({ 'route.yaml': route2, 'k8s.yaml': k8s(...versions) });
const plain = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.replace('|', '')]));

describe('convert to canary (HTTPRoute)', () => {
  it("sends 10% to the Service of another version whose pods exist, weights written in the file's style, the checker quiet", () => {
    const files = withPods('v1', 'v2');
    expect(offerAt(files, 'route.yaml', 'gateway-canary')?.title).toBe('Convert to canary: 90% reviews-v1 / 10% reviews-v2');
    const out = refactor(files, 'route.yaml', 'gateway-canary');
    expect(out['route.yaml']).toBe(yaml`
      # reviews routing
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
        # the default rule
        - backendRefs:
          - name: reviews-v1 # stable
            port: 9080
            weight: 90
          - name: reviews-v2
            port: 9080
            weight: 10
      # end
      `);
    expect(out['k8s.yaml']).toBe(files['k8s.yaml']);
    expect(problems(out)).toEqual([]);
    expect(problems(plain(files))).toEqual([]);
  });

  it('passes over a Service whose version has no pods; with none left, asks without a default and says why', () => {
    expect(offerAt(withPods('v1', 'v3'), 'route.yaml', 'gateway-canary')?.title).toBe('Convert to canary: 90% reviews-v1 / 10% reviews-v3');
    const alone = offerAt(withPods('v1'), 'route.yaml', 'gateway-canary');
    expect(alone?.title).toBe('Convert to canary (no other version of reviews-v1 is deployed behind a Service)');
    expect(alone?.inputs.find((i) => i.name === 'canary')?.default).toBe('');
    expect(() => refactor(withPods('v1'), 'route.yaml', 'gateway-canary')).toThrow('is not a valid name');
    expect(offerAt({ 'route.yaml': route2 }, 'route.yaml', 'gateway-canary')?.title).toBe("Convert to canary (no Service 'reviews-v1' in the workspace)");
    // Answered, it does what it is told.
    expect(refactor(withPods('v1'), 'route.yaml', 'gateway-canary', { canary: 'reviews-next', percent: '25' })['route.yaml']).toContain(
      '      weight: 75\n    - name: reviews-next\n      port: 9080\n      weight: 25\n# end',
    );
    const { ctx, uri, offset } = contextAt(withPods('v1', 'v2'), 'route.yaml');
    expect(applyRefactoring(ctx, uri, offset, 'gateway-canary', { canary: 'reviews-v1' })).toMatch(/must differ/);
    expect(applyRefactoring(ctx, uri, offset, 'gateway-canary', { percent: '150' })).toMatch(/percentage/);
  });

  it('in a 4-space file, from the Service of every version to one named as its canary, keeping the namespace written on the backendRef', () => {
    const route4 = yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
          name: reviews
          namespace: shop
      spec:
          parentRefs:
              - name: gateway
          rules:
              - matches:
                    - path:
                          type: PathPrefix
                          value: /reviews
                backendRefs:
                    - name: rev|iews
                      namespace: shop
                      port: 9080
      `;
    const canaryService = service('reviews-canary', { app: 'reviews', track: 'canary' });
    const files = { 'route.yaml': route4, 'k8s.yaml': service('reviews', { app: 'reviews' }) + canaryService };
    expect(refactor(files, 'route.yaml', 'gateway-canary')['route.yaml']).toBe(yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
          name: reviews
          namespace: shop
      spec:
          parentRefs:
              - name: gateway
          rules:
              - matches:
                    - path:
                          type: PathPrefix
                          value: /reviews
                backendRefs:
                    - name: reviews
                      namespace: shop
                      port: 9080
                      weight: 90
                    - name: reviews-canary
                      namespace: shop
                      port: 9080
                      weight: 10
      `);
  });

  it('a flow-style backendRef gets its weight inside the braces, and the canary one in flow style', () => {
    const flow = route2.replace('    - name: reviews-v1 # stable\n      po|rt: 9080\n', '    - {name: reviews-v1, po|rt: 9080} # stable\n');
    const out = refactor({ ...withPods('v1', 'v2'), 'route.yaml': flow }, 'route.yaml', 'gateway-canary')['route.yaml'];
    expect(out).toContain('  - backendRefs:\n    - {name: reviews-v1, port: 9080, weight: 90} # stable\n    - {name: reviews-v2, port: 9080, weight: 10}\n# end\n');
  });
});

/** An HTTPRoute of namespace shop attached to the reviews Service, with these rules (2-space, block). */
const routeWith = (rules: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  parentRefs:\n  - {group: "", kind: Service, name: reviews, port: 9080}\n  rules:\n${rules}`;

describe('add header-based canary rule (HTTPRoute)', () => {
  const rules = yaml`
    - matches:
      - path:
          type: PathPrefix
          value: /reviews
      timeouts:
        request: 10s
      backendRefs:
      # stable
      - name: revi|ews-v1
        port: 9080
    `
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');

  it("adds a rule before the rule with its path match and the header, its timeouts, to the next version's Service", () => {
    const files = { 'route.yaml': routeWith(rules), 'k8s.yaml': k8s('v1', 'v2') };
    expect(offerAt(files, 'route.yaml', 'gateway-header-canary')?.title).toBe('Add header-based canary rule (x-canary: "true" → reviews-v2)');
    const out = refactor(files, 'route.yaml', 'gateway-header-canary');
    expect(out['route.yaml']).toBe(
      routeWith(
        yaml`
        - matches:
          - path:
              type: PathPrefix
              value: /reviews
            headers:
            - name: x-canary
              value: "true"
          timeouts:
            request: 10s
          backendRefs:
          - name: reviews-v2
            port: 9080
        - matches:
          - path:
              type: PathPrefix
              value: /reviews
          timeouts:
            request: 10s
          backendRefs:
          # stable
          - name: reviews-v1
            port: 9080
        `
          .split('\n')
          .map((l) => (l ? `  ${l}` : l))
          .join('\n'),
      ),
    );
    expect(problems(out)).toEqual([]);
  });

  it('uses the answers: header and value, the canary Service', () => {
    const out = refactor({ 'route.yaml': routeWith(rules), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml', 'gateway-header-canary', { header: 'x-beta', value: 'yes', canary: 'reviews-v3' });
    expect(out['route.yaml']).toContain('      headers:\n      - name: x-beta\n        value: "yes"\n    timeouts:\n      request: 10s\n    backendRefs:\n    - name: reviews-v3\n');
  });

  it('is offered after a catch-all rule that ranks below it (Gateway API precedence, not rule order)', () => {
    const after = `  - backendRefs:\n    - {name: reviews-v1, port: 9080}\n  - matches:\n    - path: {type: Exact, value: /login}\n    backendRefs:\n    - {name: revi|ews-v1, port: 9080}\n`;
    const out = refactor({ 'route.yaml': routeWith(after), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml', 'gateway-header-canary');
    expect(out['route.yaml']).toContain(
      '  - matches:\n    - path: {type: Exact, value: /login}\n      headers:\n      - name: x-canary\n        value: "true"\n    backendRefs:\n    - {name: reviews-v2, port: 9080}\n  - matches:\n    - path: {type: Exact, value: /login}\n',
    );
    expect(problems({ ...out, 'k8s.yaml': k8s('v1', 'v2') })).toEqual([]);
  });

  it('is not offered where a rule that ranks first already takes the requests with the header', () => {
    // The earlier rule matches the same path with the same header: the new rule would never be used.
    const taken = `  - matches:\n    - path: {type: Exact, value: /login}\n      headers:\n      - {name: X-Canary, value: "true"}\n    backendRefs:\n    - {name: reviews-v3, port: 9080}\n  - matches:\n    - path: {type: Exact, value: /login}\n    backendRefs:\n    - {name: revi|ews-v1, port: 9080}\n`;
    expect(offered({ 'route.yaml': routeWith(taken), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml')).not.toContain('gateway-header-canary');
    // A rule without matches: its canary rule matches any path with the header, which the earlier rule already takes.
    const first = `  - matches:\n    - headers:\n      - {name: x-canary, value: "true"}\n    backendRefs:\n    - {name: reviews-v3, port: 9080}\n  - backendRefs:\n    - {name: revi|ews-v1, port: 9080}\n`;
    expect(offered({ 'route.yaml': routeWith(first), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml')).not.toContain('gateway-header-canary');
    // The earlier rule wants another value of the header: offered.
    expect(offered({ 'route.yaml': routeWith(first.replace('"true"', '"false"')), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml')).toContain('gateway-header-canary');
  });

  it('asks for the Service when no other version is deployed, and says so', () => {
    const offer = offerAt({ 'route.yaml': routeWith(rules), 'k8s.yaml': k8s('v1') }, 'route.yaml', 'gateway-header-canary');
    expect(offer?.title).toBe('Add header-based canary rule (x-canary: "true" → a Service you name; no other version of reviews-v1 is deployed behind a Service)');
    expect(offer?.inputs.find((i) => i.name === 'canary')?.default).toBe('');
  });
});
