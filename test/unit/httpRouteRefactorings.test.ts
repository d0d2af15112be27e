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

  it('is not offered where another route on the same parent already takes the requests with the header', () => {
    const other = (parent: string) =>
      `---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews-beta\n  namespace: shop\nspec:\n  parentRefs:\n  - {group: "", kind: Service, name: ${parent}, port: 9080}\n  rules:\n  - matches:\n    - headers:\n      - {name: x-canary, value: "true"}\n    backendRefs:\n    - {name: reviews-v3, port: 9080}\n`;
    const catchAll = '  - backendRefs:\n    - {name: revi|ews-v1, port: 9080}\n';
    expect(offered({ 'route.yaml': routeWith(catchAll), 'beta.yaml': other('reviews'), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml')).not.toContain('gateway-header-canary');
    expect(offered({ 'route.yaml': routeWith(catchAll), 'beta.yaml': other('ratings'), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml')).toContain('gateway-header-canary');
  });

  it('in a 4-space file with flow-style matches, at a Gateway', () => {
    const route4 = yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
          name: reviews
          namespace: shop
      spec:
          parentRefs:
              - name: gateway
          hostnames: [reviews.example.com]
          rules:
              - matches:
                    - path: {type: Exact, value: /reviews}
                    - {path: {type: PathPrefix, value: /api}, headers: [{name: x-user, value: bob}]}
                backendRefs:
                    - name: reviews-v1 # stable
                      port: 90|80
      `;
    const out = refactor({ 'route.yaml': route4, 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml', 'gateway-header-canary');
    expect(out['route.yaml']).toBe(yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
          name: reviews
          namespace: shop
      spec:
          parentRefs:
              - name: gateway
          hostnames: [reviews.example.com]
          rules:
              - matches:
                    - path: {type: Exact, value: /reviews}
                      headers:
                          - name: x-canary
                            value: "true"
                    - {path: {type: PathPrefix, value: /api}, headers: [{name: x-user, value: bob}, {name: x-canary, value: "true"}]}
                backendRefs:
                    - name: reviews-v2
                      port: 9080
              - matches:
                    - path: {type: Exact, value: /reviews}
                    - {path: {type: PathPrefix, value: /api}, headers: [{name: x-user, value: bob}]}
                backendRefs:
                    - name: reviews-v1 # stable
                      port: 9080
      `);
  });

  it('asks for the Service when no other version is deployed, and says so', () => {
    const offer = offerAt({ 'route.yaml': routeWith(rules), 'k8s.yaml': k8s('v1') }, 'route.yaml', 'gateway-header-canary');
    expect(offer?.title).toBe('Add header-based canary rule (x-canary: "true" → a Service you name; no other version of reviews-v1 is deployed behind a Service)');
    expect(offer?.inputs.find((i) => i.name === 'canary')?.default).toBe('');
  });
});

/** A 4-space HTTPRoute whose one rule sends 90/10 to reviews-v1 and reviews-v2. */
const split4 = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata:
      name: reviews
      namespace: shop
  spec:
      parentRefs:
          - name: gateway
      rules:
          - backendRefs:
                # most of it
                - name: reviews-v1
                  port: 9080
                  weight: 90
                - name: reviews-v2 # the canary
                  port: 9080
                  weight: 10
  # end
  `;
const at = (text: string, needle: string) => text.replace(needle, needle.slice(0, 2) + '|' + needle.slice(2));

describe('split traffic (HTTPRoute)', () => {
  it("asks for the Services, by default the rule's and the other versions with pods, and splits evenly", () => {
    const files = { 'route.yaml': at(split4, 'name: reviews-v1'), 'k8s.yaml': k8s('v1', 'v2', 'v3') };
    const offer = offerAt(files, 'route.yaml', 'gateway-split');
    expect(offer?.title).toBe('Split traffic evenly across reviews-v1, reviews-v2, reviews-v3');
    expect(offer?.inputs).toMatchObject([{ name: 'services', default: 'reviews-v1, reviews-v2, reviews-v3' }]);
    const out = refactor(files, 'route.yaml', 'gateway-split');
    expect(out['route.yaml']).toBe(yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
          name: reviews
          namespace: shop
      spec:
          parentRefs:
              - name: gateway
          rules:
              - backendRefs:
                    # most of it
                    - name: reviews-v1
                      port: 9080
                      weight: 34
                    - name: reviews-v2 # the canary
                      port: 9080
                      weight: 33
                    - name: reviews-v3
                      port: 9080
                      weight: 33
      # end
      `);
  });

  it('with the Services answered: drops the backendRefs of the others, adds the new ones', () => {
    const files = { 'route.yaml': at(split4, 'name: reviews-v1'), 'k8s.yaml': k8s('v1', 'v2', 'v3') };
    const out = refactor(files, 'route.yaml', 'gateway-split', { services: 'reviews-v3 reviews-v1' })['route.yaml'];
    expect(out).toContain(
      '        - backendRefs:\n              # most of it\n              - name: reviews-v1\n                port: 9080\n                weight: 50\n              # the canary\n              - name: reviews-v3\n                port: 9080\n                weight: 50\n',
    );
    expect(out).not.toContain('reviews-v2');
    const { ctx, uri, offset } = contextAt(files, 'route.yaml');
    expect(applyRefactoring(ctx, uri, offset, 'gateway-split', { services: 'reviews-v1, Reviews!' })).toMatch(/not a valid name/);
    expect(applyRefactoring(ctx, uri, offset, 'gateway-split', { services: 'reviews-v1' })).toMatch(/at least two/);
  });

  it('is not offered when the rule already splits evenly across every version, nor without another version', () => {
    const even = split4.replace('weight: 90', 'weight: 50').replace('weight: 10', 'weight: 50');
    expect(offered({ 'route.yaml': at(even, 'name: reviews-v1'), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml')).not.toContain('gateway-split');
    expect(offered({ 'route.yaml': at(even, 'name: reviews-v1'), 'k8s.yaml': k8s('v1', 'v2', 'v3') }, 'route.yaml')).toContain('gateway-split');
    expect(offered(withPods('v1'), 'route.yaml')).not.toContain('gateway-split');
  });
});

describe('promote canary (HTTPRoute)', () => {
  it('keeps only the backendRef under the cursor, at weight 100; comments stay', () => {
    const out = refactor({ 'route.yaml': at(split4, 'name: reviews-v2') }, 'route.yaml', 'gateway-promote');
    expect(out['route.yaml']).toBe(yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
          name: reviews
          namespace: shop
      spec:
          parentRefs:
              - name: gateway
          rules:
              - backendRefs:
                    # most of it
                    - name: reviews-v2 # the canary
                      port: 9080
                      weight: 100
      # end
      `);
  });

  it('elsewhere in the rule, the lightest backendRef (one without weight weighs 1), and leaves an omitted weight out', () => {
    const route = split4.replace('        - backendRefs:', '        - na|me: all\n          backendRefs:').replace('                weight: 10\n', '');
    expect(offerAt({ 'route.yaml': route }, 'route.yaml', 'gateway-promote')?.title).toBe('Promote canary: send 100% to reviews-v2');
    expect(refactor({ 'route.yaml': route }, 'route.yaml', 'gateway-promote')['route.yaml']).toContain(
      '        - name: all\n          backendRefs:\n              # most of it\n              - name: reviews-v2 # the canary\n                port: 9080\n# end',
    );
    expect(offered(withPods('v1', 'v2'), 'route.yaml')).not.toContain('gateway-promote');
  });
});

describe('normalize weights (HTTPRoute)', () => {
  it('makes the weights add up to 100 keeping their ratios, an omitted weight counting as 1', () => {
    const route = split4.replace('weight: 90', 'weight: 3').replace('                weight: 10\n', '');
    const files = { 'route.yaml': at(route, 'name: reviews-v1') };
    expect(offerAt(files, 'route.yaml', 'gateway-normalize')?.title).toBe('Normalize weights to sum to 100 (75 / 25)');
    expect(refactor(files, 'route.yaml', 'gateway-normalize')['route.yaml']).toContain(
      '              - name: reviews-v1\n                port: 9080\n                weight: 75\n              - name: reviews-v2 # the canary\n                port: 9080\n                weight: 25\n',
    );
  });

  it('keeps a comment after a weight; spreads all-zero weights evenly', () => {
    const route = split4.replace('weight: 90', 'weight: 30 # most').replace('weight: 10', 'weight: 10');
    expect(refactor({ 'route.yaml': at(route, 'name: reviews-v1') }, 'route.yaml', 'gateway-normalize')['route.yaml']).toContain('weight: 75 # most\n');
    const zeros = split4.replace('weight: 90', 'weight: 0').replace('weight: 10', 'weight: 0');
    const out = refactor({ 'route.yaml': at(zeros, 'name: reviews-v1') }, 'route.yaml', 'gateway-normalize')['route.yaml'];
    expect(out.match(/weight: 50/g)).toHaveLength(2);
  });

  it('is not offered when the weights add up to 100, nor on one backendRef without a weight', () => {
    expect(offered({ 'route.yaml': at(split4, 'name: reviews-v1') }, 'route.yaml')).not.toContain('gateway-normalize');
    expect(offered(withPods('v1', 'v2'), 'route.yaml')).not.toContain('gateway-normalize');
  });
});

/** A GRPCRoute of namespace shop for the reviews Service, with these rules (2-space). */
const grpcWith = (rules: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  parentRefs:\n  - group: ""\n    kind: Service\n    name: reviews\n    port: 9080\n  rules:\n${rules}`;

describe('GRPCRoute rules', () => {
  const lookup = '  - matches:\n    - method:\n        service: shop.Reviews\n        method: Get\n    backendRefs:\n    - name: revi|ews-v1\n      port: 9080\n';

  it('convert to canary and the header canary rule, with the method match copied', () => {
    const files = { 'route.yaml': grpcWith(lookup), 'k8s.yaml': k8s('v1', 'v2') };
    expect(refactor(files, 'route.yaml', 'gateway-canary')['route.yaml']).toBe(
      grpcWith(
        '  - matches:\n    - method:\n        service: shop.Reviews\n        method: Get\n    backendRefs:\n    - name: reviews-v1\n      port: 9080\n      weight: 90\n    - name: reviews-v2\n      port: 9080\n      weight: 10\n',
      ),
    );
    const out = refactor(files, 'route.yaml', 'gateway-header-canary');
    expect(out['route.yaml']).toBe(
      grpcWith(
        '  - matches:\n    - method:\n        service: shop.Reviews\n        method: Get\n      headers:\n      - name: x-canary\n        value: "true"\n    backendRefs:\n    - name: reviews-v2\n      port: 9080\n' +
          lookup.replace('|', ''),
      ),
    );
    expect(problems(out)).toEqual([]);
  });

  it('normalize, split and promote on flow-style backendRefs', () => {
    const flow = '  - backendRefs:\n    - {name: reviews-v1, port: 9080, weight: 3}\n    - {name: revi|ews-v2, port: 9080}\n';
    const files = { 'route.yaml': grpcWith(flow), 'k8s.yaml': k8s('v1', 'v2', 'v3') };
    expect(refactor(files, 'route.yaml', 'gateway-normalize')['route.yaml']).toBe(
      grpcWith('  - backendRefs:\n    - {name: reviews-v1, port: 9080, weight: 75}\n    - {name: reviews-v2, port: 9080, weight: 25}\n'),
    );
    expect(refactor(files, 'route.yaml', 'gateway-split')['route.yaml']).toBe(
      grpcWith('  - backendRefs:\n    - {name: reviews-v1, port: 9080, weight: 34}\n    - {name: reviews-v2, port: 9080, weight: 33}\n    - {name: reviews-v3, port: 9080, weight: 33}\n'),
    );
    expect(refactor(files, 'route.yaml', 'gateway-promote')['route.yaml']).toBe(grpcWith('  - backendRefs:\n    - {name: reviews-v2, port: 9080}\n'));
    for (const id of ['gateway-normalize', 'gateway-split', 'gateway-promote']) expect([id, problems(refactor(files, 'route.yaml', id))]).toEqual([id, []]);
  });

  it('the header canary rule is not offered where an earlier rule takes the method with the header, nor where Istio ranks by regular expression', () => {
    const taken =
      '  - matches:\n    - method: {service: shop.Reviews, method: Get}\n      headers:\n      - {name: x-canary, value: "true"}\n    backendRefs:\n    - {name: reviews-v3, port: 9080}\n' + lookup;
    expect(offered({ 'route.yaml': grpcWith(taken), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml')).not.toContain('gateway-header-canary');
    const regex = lookup.replace('        service: shop.Reviews\n', '        type: RegularExpression\n        service: shop\\..*\n');
    expect(offered({ 'route.yaml': grpcWith(regex), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml')).not.toContain('gateway-header-canary');
    expect(offered({ 'route.yaml': grpcWith(regex), 'k8s.yaml': k8s('v1', 'v2') }, 'route.yaml')).toContain('gateway-canary');
  });
});

describe('not offered', () => {
  const files = (route: string) => ({ 'route.yaml': route, 'k8s.yaml': k8s('v1', 'v2') });
  const weightIds = ['gateway-canary', 'gateway-header-canary', 'gateway-split', 'gateway-promote', 'gateway-normalize'];

  it('on a TCPRoute, a VirtualService, or outside any rule of a route with several', () => {
    const tcp = route2.replace('kind: HTTPRoute', 'kind: TCPRoute').replace('gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha2');
    expect(offered(files(tcp), 'route.yaml').filter((id) => id.startsWith('gateway-'))).toEqual([]);
    const two = route2
      .replace('  # the default rule\n', '  - backendRefs:\n    - {name: reviews-v1, port: 9080}\n')
      .replace('po|rt', 'port')
      .replace('name: reviews\n  namespace', 'name: rev|iews\n  namespace');
    expect(offered(files(two), 'route.yaml').filter((id) => id.startsWith('gateway-'))).toEqual([]);
    const vs =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: rev|iews}\n';
    expect(offered(files(vs), 'route.yaml').filter((id) => id.startsWith('gateway-'))).toEqual([]);
    // ...and the VirtualService refactorings are not offered on an HTTPRoute.
    expect(offered(files(route2), 'route.yaml').filter((id) => !id.startsWith('gateway-'))).not.toEqual(expect.arrayContaining(['canary', 'header-canary', 'split', 'promote', 'normalize']));
  });

  it('where a weight is quoted (its type error and fix come first), or the backendRefs are one flow list', () => {
    const quoted = split4.replace('weight: 90', 'weight: "90"').replace('- name: reviews-v1', '- na|me: reviews-v1');
    expect(offered(files(quoted), 'route.yaml').filter((id) => weightIds.includes(id))).toEqual([]);
    const flowList = route2.replace('  - backendRefs:\n    - name: reviews-v1 # stable\n      po|rt: 9080\n', '  - backendRefs: [{name: reviews-v1, po|rt: 9080}]\n');
    expect(offered(files(flowList), 'route.yaml').filter((id) => weightIds.includes(id))).toEqual([]);
  });

  it('on half-typed rules: nothing breaks, nothing is offered that could not be done', () => {
    const halves = [
      '  - backendRefs:\n    - name:|\n',
      '  - backendRefs:\n    - |\n',
      '  - backendRefs:|\n',
      '  - matches:\n    - path:\n        type: Exa|ct\n    backendRefs:\n    - {name: reviews-v1, port: 9080}\n',
      '  - matches:\n    - headers:\n      - name: x|\n    backendRefs:\n    - {name: reviews-v1, port: 9080}\n',
      '  - backendRefs:\n    - {name: reviews-v1, port: 9080, weight: |}\n    - {name: reviews-v2, port: 9080}\n',
    ];
    for (const rules of halves) {
      const f = files(routeWith(rules));
      const { ctx, uri, offset } = contextAt(f, 'route.yaml');
      for (const id of offered(f, 'route.yaml').filter((i) => weightIds.includes(i))) {
        const result = applyRefactoring(ctx, uri, offset, id, { canary: 'reviews-v2', services: 'reviews-v1, reviews-v2' });
        expect([rules, id, typeof result]).toEqual([rules, id, 'object']);
      }
    }
    expect(offered(files(routeWith(halves[0])), 'route.yaml')).not.toContain('gateway-canary');
  });
});

describe('defaults that raise nothing the checker flags', () => {
  it('each refactoring with its defaults leaves the workspace as clean as it was, 2- and 4-space files', () => {
    const cases: [string, Record<string, string>][] = [
      ['gateway-canary', withPods('v1', 'v2')],
      ['gateway-header-canary', withPods('v1', 'v2')],
      ['gateway-split', withPods('v1', 'v2', 'v3')],
      ['gateway-promote', { 'route.yaml': at(split4, 'name: reviews-v2'), 'k8s.yaml': k8s('v1', 'v2') }],
      ['gateway-normalize', { 'route.yaml': at(split4.replace('weight: 90', 'weight: 3'), 'name: reviews-v2'), 'k8s.yaml': k8s('v1', 'v2') }],
    ];
    for (const [id, files] of cases) {
      expect(problems(plain(files))).toEqual([]);
      expect([id, problems(refactor(files, 'route.yaml', id))]).toEqual([id, []]);
    }
  });

  it('the check can fail: a canary Service that does not exist is flagged', () => {
    const out = refactor(withPods('v1', 'v2'), 'route.yaml', 'gateway-canary', { canary: 'reviews-v9' });
    expect(problems(out).map((p) => p.split(' ').slice(0, 2).join(' '))).toEqual(['route.yaml KIA1402']);
  });
});
