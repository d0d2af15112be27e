// The traffic model the preview renders, and weight edits from the preview.
import { describe, expect, it } from 'vitest';
import { setWeightAt, simulateAt, trafficAt } from '../../server/src/features/traffic';
import { applyEdits, contextAt, wsUri } from '../refactorSupport';
import { serviceWith, settings130, yaml } from '../support';

const vs = yaml`
  apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata:
    name: reviews
    namespace: shop
  spec:
    hosts:
    - reviews
    http:
    - match:
      - headers:
          end-user:
            exact: jason
      - uri:
          prefix: /beta
        ignoreUriCase: true
      route:
      - destination:
          host: reviews
          subset: v2
      fault:
        delay:
          fixedDelay: 2s
          percentage:
            value: 5
    - route:
      - destination:
          host: reviews
          subset: v1
        weight: 75 # stable
      - destination:
          host: reviews
          subset: v3
        weight: 25
      - destination:
          host: reviews
          subset: v9
        weight: 0
      mirror:
        host: reviews
        subset: v3
      mirrorPercentage:
        value: 10
      retries:
        attempts: 3
      timeout: 5s
  `;
const dr =
  'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n  - {name: v3, labels: {version: v3}}\n';
const k8s =
  'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  selector: {app: reviews}\n  ports: [{port: 9080, name: http}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-v1, namespace: shop}\nspec:\n  template:\n    metadata:\n      labels: {app: reviews, version: v1}\n';

describe('traffic model', () => {
  it('describes routes, matches, shares, resolution and details', () => {
    const { ctx, offset } = contextAt({ 'vs.yaml': vs.replace('name: reviews', 'name: rev|iews'), 'dr.yaml': dr, 'k8s.yaml': k8s }, 'vs.yaml');
    const { model, problems } = trafficAt(ctx, wsUri('vs.yaml'), offset);
    expect(problems).toEqual([]);
    expect(model).toMatchObject({ name: 'reviews', namespace: 'shop', hosts: ['reviews'], gateways: ['mesh'] });
    const [first, second] = model!.routes;
    expect(first.matches).toEqual(['header end-user = jason', 'uri prefix /beta (any case)']);
    expect(first.details).toEqual(['fault: delay 2s for 5% of requests']);
    expect(first.destinations.map((d) => [d.subset, d.percent, d.status])).toEqual([['v2', 100, 'ok']]);
    expect(second.matches).toEqual([]);
    expect(second.destinations.map((d) => [d.subset, d.weight, d.percent, d.status])).toEqual([
      ['v1', 75, 75, 'ok'],
      ['v3', 25, 25, 'ok'],
      ['v9', 0, 0, 'unresolved-subset'],
    ]);
    expect(second.destinations[0]).toMatchObject({ labels: { version: 'v1' }, workloads: ['reviews-v1'] });
    expect(second.destinations[2].note).toBe('Subset v9 is not defined in DestinationRule reviews; defined: v1, v2, v3');
    expect(second.details).toEqual(['mirror 10% to reviews (v3)', 'retries: 3 attempts', 'timeout 5s']);
  });

  /** A VirtualService of namespace front with one route to these destinations. */
  const frontVs = (destinations: string) =>
    `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: rev|iews, namespace: front}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n${destinations}`;

  it('resolves hosts as the reference checks do (one resolver)', () => {
    const routes = ['reviews.shop', 'reviews.shop.svc.cluster.local', 'ratings.shop.svc.cluster.local', '"*.shop.svc.cluster.local"'];
    const front = frontVs(routes.map((h) => `    - destination: {host: ${h}}\n`).join(''));
    const { ctx, offset } = contextAt({ 'vs.yaml': front, 'dr.yaml': dr, 'k8s.yaml': k8s }, 'vs.yaml');
    const destinations = trafficAt(ctx, wsUri('vs.yaml'), offset).model?.routes[0].destinations ?? [];
    // `name.namespace` is not expanded: an external name the workspace cannot prove missing; a wildcard neither.
    expect(destinations.map((d) => [d.host, d.status])).toEqual([
      ['reviews.shop', 'outside-workspace'],
      ['reviews.shop.svc.cluster.local', 'ok'],
      ['ratings.shop.svc.cluster.local', 'unresolved-host'],
      ['*.shop.svc.cluster.local', 'ok'],
    ]);
  });

  it('knows a subset is missing when the service’s namespace holds the DestinationRules, whatever the client’s', () => {
    const svc = k8s + '---\napiVersion: v1\nkind: Service\nmetadata: {name: ratings, namespace: shop}\nspec:\n  ports: [{port: 9080, name: http}]\n';
    const front = frontVs('    - destination: {host: ratings.shop.svc.cluster.local, subset: v1}\n');
    const { ctx, offset } = contextAt({ 'vs.yaml': front, 'dr.yaml': dr, 'k8s.yaml': svc }, 'vs.yaml');
    const [d] = trafficAt(ctx, wsUri('vs.yaml'), offset).model?.routes[0].destinations ?? [];
    expect([d?.status, d?.note]).toEqual(['unresolved-subset', 'No DestinationRule defines subsets for ratings.shop.svc.cluster.local']);
  });

  it('starts inside the VirtualService, so a request at its start names it after another document', () => {
    const { ctx, offset } = contextAt({ 'vs.yaml': `${k8s}---\n${vs.replace('name: reviews', 'name: rev|iews')}` }, 'vs.yaml');
    const { model } = trafficAt(ctx, wsUri('vs.yaml'), offset);
    expect(simulateAt(ctx, wsUri('vs.yaml'), model!.span.start, { authority: 'reviews', path: '/' }).summary).toBe('Route 2 takes the request');
  });

  it('reports syntax errors instead of a model, so the preview keeps its last good state', () => {
    const broken = vs.replace('kind: VirtualService\n', 'kind: VirtualService\nbad: [unclosed\n').replace('name: reviews', 'name: rev|iews');
    const { ctx, offset } = contextAt({ 'vs.yaml': broken }, 'vs.yaml');
    const result = trafficAt(ctx, wsUri('vs.yaml'), offset);
    expect(result.model).toBeUndefined();
    expect(result.problems.length).toBeGreaterThan(0);
  });

  it('a name with HTML stays data (the webview escapes it)', () => {
    const { ctx, offset } = contextAt({ 'vs.yaml': vs.replace('name: reviews', 'name: "<img src=x onerror=alert(1)>|"') }, 'vs.yaml');
    expect(trafficAt(ctx, wsUri('vs.yaml'), offset).model?.name).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('weight edits from the preview', () => {
  it('sets one weight and rebalances the others to total 100, keeping comments', () => {
    const files = { 'vs.yaml': vs.replace('weight: 25', 'weight: 2|5') };
    const { ctx, offset, files: clean } = contextAt(files, 'vs.yaml');
    const edits = setWeightAt(ctx, wsUri('vs.yaml'), offset, 50);
    if (typeof edits === 'string') throw new Error(edits);
    const out = applyEdits(clean, edits)['vs.yaml'];
    expect(out).toContain('weight: 100 # stable'.replace('100', '50'));
    expect(out).toContain('        subset: v3\n      weight: 50\n');
    expect(out).toContain('        subset: v9\n      weight: 0\n');
  });

  it('refuses a weight outside 0..100 and a position outside a destination', () => {
    const { ctx, offset } = contextAt({ 'vs.yaml': vs.replace('weight: 25', 'weight: 2|5') }, 'vs.yaml');
    expect(setWeightAt(ctx, wsUri('vs.yaml'), offset, 120)).toMatch(/not a weight/);
    const outside = contextAt({ 'vs.yaml': vs.replace('name: reviews', 'name: rev|iews') }, 'vs.yaml');
    expect(setWeightAt(outside.ctx, outside.uri, outside.offset, 50)).toMatch(/No route destination/);
  });
});

describe('routes without destinations (issue 9, defect 2)', () => {
  const head = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: rev|iews\nspec:\n  hosts: [reviews]\n  http:\n';
  const tail = '  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 60\n    - destination: {host: reviews, subset: v2}\n      weight: 40\n';
  const modelOf = (routes: string) => {
    const { ctx, offset } = contextAt({ 'vs.yaml': head + routes + tail }, 'vs.yaml');
    const { model } = trafficAt(ctx, wsUri('vs.yaml'), offset);
    return model;
  };
  const last = { kind: 'http', index: 1 };

  it('shows a redirect route with no destinations, and the others intact', () => {
    const model = modelOf('  - match: [{uri: {prefix: /old}}]\n    redirect: {uri: /new}\n');
    expect(model?.routes[0]).toMatchObject({ kind: 'http', index: 0, matches: ['uri prefix /old'], destinations: [], details: ['redirect (301) to /new'] });
    expect(model?.routes[1]).toMatchObject(last);
    expect(model?.routes[1].destinations.map((d) => d.percent)).toEqual([60, 40]);
  });

  it.each([
    ['a match being typed, no route yet', '  - match: [{uri: {prefix: /a}}]\n'],
    ['an empty route list', '  - route: []\n'],
    ['a route key with no value', '  - route:\n'],
    ['mirrors that are not a list', '  - mirrors: {host: x}\n'],
  ])('keeps the model for %s', (_, routes) => {
    const model = modelOf(routes);
    expect(model?.routes).toHaveLength(2);
    expect(model?.routes[0].destinations).toEqual([]);
    expect(model?.routes[1].destinations.map((d) => d.percent)).toEqual([60, 40]);
  });

  it('skips a list item being typed, keeping the route after it', () => {
    expect(modelOf('  -\n')?.routes.map((r) => [r.index, r.destinations.map((d) => d.percent)])).toEqual([[1, [60, 40]]]);
  });

  it('shows a destination with nothing under it as having no host', () => {
    const model = modelOf('  - route:\n    - destination:\n');
    expect(model?.routes[0].destinations.map((d) => [d.host, d.percent, d.status])).toEqual([['(no host)', 100, 'unresolved-host']]);
    const two = modelOf('  - route:\n    - destination:\n    - destination: {host: reviews}\n      weight: 30\n');
    expect(two?.routes[0].destinations.map((d) => d.percent)).toEqual([0, 100]);
  });

  it('gives shares for weights YAML reads as infinite or not-a-number', () => {
    const model = modelOf('  - route:\n    - destination: {host: reviews}\n      weight: .inf\n    - destination: {host: reviews}\n      weight: .nan\n');
    expect(model?.routes[0].destinations.map((d) => d.percent)).toEqual([50, 50]);
    const infinite = modelOf('  - route:\n    - destination: {host: reviews}\n      weight: .inf\n    - destination: {host: reviews}\n      weight: 20\n');
    expect(infinite?.routes[0].destinations.map((d) => d.percent)).toEqual([0, 100]);
  });
});

describe('weight edits that keep the YAML valid (issue 9, defects 8 and 10)', () => {
  const twoWay =
    'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a, subset: v1}\n      weight: 7|0\n    - destination: {host: a, subset: v2}\n      weight:\n';

  it('replaces an empty weight key of another destination instead of adding a second one', () => {
    const { ctx, offset, files } = contextAt({ 'vs.yaml': twoWay }, 'vs.yaml');
    const edits = setWeightAt(ctx, wsUri('vs.yaml'), offset, 60);
    if (typeof edits === 'string') throw new Error(edits);
    expect(applyEdits(files, edits)['vs.yaml']).toBe(files['vs.yaml'].replace('weight: 70', 'weight: 60').replace('weight:\n', 'weight: 40\n'));
  });

  it.each([NaN, Infinity, -1, 1.5, '50' as unknown as number, null as unknown as number])('refuses the weight %s', (weight) => {
    const { ctx, offset } = contextAt({ 'vs.yaml': twoWay }, 'vs.yaml');
    expect(setWeightAt(ctx, wsUri('vs.yaml'), offset, weight)).toMatch(/not a weight/);
    // Checked before anything else, wherever the position is.
    const outside = contextAt({ 'vs.yaml': twoWay.replace('|', '').replace('name: r', 'name: |r') }, 'vs.yaml');
    expect(setWeightAt(outside.ctx, outside.uri, outside.offset, weight)).toMatch(/not a weight/);
  });
});

describe("the checker's problems on the traffic model (issue 12)", () => {
  const problemVs = yaml`
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata:
      name: reviews
      namespace: shop
    spec:
      hosts:
      - reviews
      gateways:
      - edge
      http:
      - name: beta
        route:
        - destination:
            host: reviews
            subset: v2
          weight: 100
        - destination:
            host: reviews
            subset: v9
          weight: 0
        timeout: 5x
        mirror:
          host: nothing
        mirrorPercentage:
          value: 10
    `;
  const k8sTwo = `${k8s}---\napiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: shop}\nspec:\n  selector: {app: other}\n  ports: [{port: 80, name: http}]\n`;
  const gateway =
    'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: other-gateway, namespace: shop}\nspec:\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]\n';

  function modelOf(files: Record<string, string>) {
    const service = serviceWith(files);
    const text = files['vs.yaml'];
    return service.traffic(wsUri('vs.yaml'), text.indexOf('name: beta'), settings130).model!;
  }

  it('puts each diagnostic on the element it is written in, with its code and message', () => {
    const model = modelOf({ 'vs.yaml': problemVs, 'dr.yaml': dr, 'k8s.yaml': k8sTwo, 'gw.yaml': gateway });
    const [route] = model.routes;
    const codes = (marks: { code: string }[]) => marks.map((m) => m.code);
    // The invalid timeout on its route; the unresolved subset on its destination; the mirror to nothing on the mirror.
    expect(codes(route.problems)).toEqual(['IST0106']);
    expect(route.problems[0].message).toMatch(/"5x" is not a duration/);
    expect(codes(route.destinations[1].problems)).toEqual(['IST0101']);
    expect(route.destinations[1].problems[0].message).toMatch(/Subset 'v9' is not defined/);
    expect(route.destinations[0].problems).toEqual([]);
    expect(route.mirrors.map((m) => [m.host, m.percent, m.status, codes(m.problems)])).toEqual([['nothing', 10, 'unresolved-host', ['IST0101']]]);
    // The Gateway that does not exist, on its reference.
    expect(Object.entries(model.gatewayProblems).map(([name, marks]) => [name, codes(marks)])).toEqual([['edge', ['IST0101']]]);
  });

  it('marks weights adding up to 0 (Istio rejects the route) on the route', () => {
    const zero = problemVs.replace('weight: 100', 'weight: 0');
    const model = modelOf({ 'vs.yaml': zero, 'dr.yaml': dr, 'k8s.yaml': k8sTwo, 'gw.yaml': gateway });
    expect(model.routes[0].problems.map((p) => p.message)).toEqual([expect.stringMatching(/add up to 0; Istio rejects it/), expect.stringMatching(/"5x" is not a duration/)]);
  });

  it("takes a subset's own problems from its DestinationRule: no workload carries v2's labels", () => {
    const model = modelOf({ 'vs.yaml': problemVs, 'dr.yaml': dr, 'k8s.yaml': k8sTwo, 'gw.yaml': gateway });
    const [v2] = model.routes[0].destinations;
    expect(v2.workloads).toEqual([]);
    expect(v2.subsetProblems.map((p) => [p.code, p.severity])).toEqual([['KIA0203', 'warning']]);
    expect(v2.subsetProblems[0].message).toMatch(/labels of subset 'v2'/);
  });

  it('marks nothing when validation is off, and nothing for a clean VirtualService', () => {
    const service = serviceWith({ 'vs.yaml': problemVs, 'dr.yaml': dr, 'k8s.yaml': k8sTwo });
    const off = service.traffic(wsUri('vs.yaml'), problemVs.indexOf('name: beta'), { ...settings130, validate: false }).model!;
    expect([off.routes[0].problems, off.routes[0].destinations[1].problems, off.gatewayProblems]).toEqual([[], [], {}]);
    const cleanVs =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - name: beta\n    route:\n    - destination: {host: reviews, subset: v1}\n';
    const clean = modelOf({ 'vs.yaml': cleanVs, 'dr.yaml': dr, 'k8s.yaml': k8s });
    expect(clean.routes[0].destinations[0]).toMatchObject({ status: 'ok', workloads: ['reviews-v1'], problems: [], subsetProblems: [] });
    expect([clean.routes[0].problems, clean.problems, clean.gatewayProblems]).toEqual([[], [], {}]);
  });
});
