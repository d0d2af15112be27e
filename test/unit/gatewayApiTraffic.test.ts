// The traffic preview and the request simulator on HTTPRoutes and GRPCRoutes: parents with the
// listeners they bind, rules with their matches and filters in words, backends as shares of the
// rule's weight, the Gateway API's precedence across rules (and routes) with the reason each other
// rule lost, hostnames, and the weight edit on backendRefs.
import { describe, expect, it } from 'vitest';
import { setWeightAt, simulateAt, trafficAt } from '../../server/src/features/traffic';
import type { SimulatedRequest } from '../../shared/protocol';
import { applyEdits, contextAt, wsUri } from '../refactorSupport';
import { yaml } from '../support';

const gateway = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata:
    name: web
    namespace: infra
  spec:
    gatewayClassName: istio
    listeners:
    - name: http
      protocol: HTTP
      port: 80
      hostname: "*.example.com"
      allowedRoutes:
        namespaces:
          from: All
    - name: admin
      protocol: HTTP
      port: 8080
  `;

const services = yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: reviews, namespace: shop}
  spec:
    selector: {app: reviews}
    ports: [{port: 9080, name: http}]
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: reviews-v2, namespace: shop}
  spec:
    selector: {app: reviews, version: v2}
    ports: [{port: 9080, name: http}]
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: reviews-v1, namespace: shop}
  spec:
    template:
      metadata:
        labels: {app: reviews, version: v1}
  `;

const route = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata:
    name: shop
    namespace: shop
  spec:
    parentRefs:
    - name: web
      namespace: infra
      sectionName: http
    hostnames:
    - shop.example.com
    rules:
    - name: catch-all
      backendRefs:
      - name: reviews
        port: 9080
        weight: 3 # stable
      - name: reviews-v2
        port: 9080
    - name: api
      matches:
      - path:
          type: PathPrefix
          value: /api
      filters:
      - type: RequestHeaderModifier
        requestHeaderModifier:
          set:
          - name: x-env
            value: prod
          remove: [x-debug]
      - type: RequestMirror
        requestMirror:
          backendRef: {name: reviews-v2, port: 9080}
          percent: 10
      backendRefs:
      - name: reviews
        port: 9080
    - name: api-v1
      matches:
      - path:
          type: PathPrefix
          value: /api/v1
      backendRefs:
      - name: reviews
        port: 9080
    - name: login
      matches:
      - path:
          type: Exact
          value: /api/v1/login
      - path:
          value: /login
        method: POST
      filters:
      - type: RequestRedirect
        requestRedirect:
          scheme: https
          statusCode: 301
    - name: beta
      matches:
      - path:
          type: PathPrefix
          value: /api/v1
        headers:
        - name: x-beta
          value: "1"
      backendRefs:
      - name: reviews-v2
        port: 9080
    - name: paged
      matches:
      - path:
          type: PathPrefix
          value: /api/v1
        queryParams:
        - name: page
          type: RegularExpression
          value: "[0-9]+"
      backendRefs:
      - name: reviews-v2
        port: 9080
      timeouts:
        request: 5s
  `;

function shopContext(text = route, more: Record<string, string> = {}) {
  return contextAt({ 'route.yaml': text.replace('name: shop\n', 'name: sh|op\n'), 'gateway.yaml': gateway, 'services.yaml': services, ...more }, 'route.yaml');
}

function run(req: Partial<SimulatedRequest>, text = route, more: Record<string, string> = {}) {
  const { ctx, uri, offset } = shopContext(text, more);
  return simulateAt(ctx, uri, offset, { authority: 'shop.example.com', path: '/', gateway: 'infra/web', ...req });
}

describe('the traffic model of an HTTPRoute', () => {
  it('shows its parent with the listener it binds, its rules, matches in words, shares and filters', () => {
    const { ctx, uri, offset } = shopContext();
    const { model, problems } = trafficAt(ctx, uri, offset);
    expect(problems).toEqual([]);
    expect(model).toMatchObject({ kind: 'HTTPRoute', name: 'shop', namespace: 'shop', hosts: ['shop.example.com'], gateways: ['Gateway infra/web · http'] });
    expect(model!.parents).toEqual([{ name: 'Gateway infra/web · http', gateway: 'infra/web', lines: ['listener http · HTTP :80 · *.example.com'] }]);
    const [catchAll, api, , login, beta, paged] = model!.routes;
    expect(catchAll).toMatchObject({ kind: 'rule', index: 0, name: 'catch-all', matches: [] });
    // Weight 3 and the default 1: three quarters and one quarter of the rule.
    expect(catchAll.destinations.map((d) => [d.host, d.port, d.weight, d.percent, d.status])).toEqual([
      ['reviews', 9080, 3, 75, 'ok'],
      ['reviews-v2', 9080, 1, 25, 'ok'],
    ]);
    expect(catchAll.destinations[0]).toMatchObject({ labels: { app: 'reviews' }, workloads: ['reviews-v1'] });
    expect(api.matches).toEqual(['path prefix /api']);
    expect(api.details).toEqual(['request headers: set x-env: prod; remove x-debug', 'mirror 10% to reviews-v2:9080']);
    expect(api.mirrors.map((m) => [m.host, m.percent])).toEqual([['reviews-v2', 10]]);
    expect(login.matches).toEqual(['path = /api/v1/login', 'path prefix /login and method POST']);
    expect(login.details).toEqual(['redirect (301) to https://']);
    expect(login.destinations).toEqual([]);
    expect(beta.matches).toEqual(['path prefix /api/v1 and header x-beta = 1']);
    expect(paged.matches).toEqual(['path prefix /api/v1 and query page matches [0-9]+']);
    expect(paged.details).toEqual(['timeout 5s']);
  });

  it('says what a backend or parent it cannot resolve is, and that all-zero weights send nothing', () => {
    const broken = route
      .replace('    - name: reviews-v2\n      port: 9080\n  - name: api\n', '    - name: ratings\n      port: 9080\n  - name: api\n')
      .replace('weight: 3 # stable', 'weight: 0')
      .replace('sectionName: http', 'sectionName: https');
    const { ctx, uri, offset } = shopContext(broken);
    const model = trafficAt(ctx, uri, offset).model!;
    expect(model.parents?.[0].lines).toEqual(['no listener https']);
    const [reviews, ratings] = model.routes[0].destinations;
    expect([reviews.percent, ratings.percent, ratings.status, ratings.note]).toEqual([0, 100, 'unresolved-host', 'No Service shop/ratings in the workspace']);
    expect(model.routes[0].details).toEqual([]);
    const zero = shopContext(
      route
        .replace('    - name: reviews-v2\n      port: 9080\n  - name: api\n', '    - name: reviews-v2\n      port: 9080\n      weight: 0\n  - name: api\n')
        .replace('weight: 3 # stable', 'weight: 0'),
    );
    expect(trafficAt(zero.ctx, zero.uri, zero.offset).model!.routes[0].details).toEqual(['every weight is 0: requests get HTTP 500']);
  });

  it('every prefix of an HTTPRoute and a GRPCRoute, as typed line by line, gives a model or nothing, and a simulation, never an exception', () => {
    for (const text of [route, grpc]) {
      const lines = text.split('\n');
      for (let n = 5; n <= lines.length; n++) {
        const typed = `${lines.slice(0, n).join('\n')}\n`;
        const { ctx, uri } = contextAt({ 'route.yaml': `${typed}|`, 'gateway.yaml': gateway, 'services.yaml': services }, 'route.yaml');
        const at = typed.indexOf('kind:') + 6;
        expect(() => trafficAt(ctx, uri, at)).not.toThrow();
        for (const gw of ['mesh', 'infra/web']) expect(simulateAt(ctx, uri, at, { authority: 'shop.example.com', path: '/api/v1/x', gateway: gw }).summary).toBeTruthy();
        expect(typeof setWeightAt(ctx, uri, typed.lastIndexOf('name:') + 2, 50)).not.toBe('undefined');
      }
    }
  });

  it('the view starts inside the route, so the simulator asked at its start finds it after another document', () => {
    const file = `${services}\n---\n${route.replace('name: shop\n', 'name: sh|op\n')}`;
    const { ctx, uri, offset } = contextAt({ 'route.yaml': file, 'gateway.yaml': gateway }, 'route.yaml');
    const { model } = trafficAt(ctx, uri, offset);
    expect(simulateAt(ctx, uri, model!.span.start, { authority: 'shop.example.com', path: '/api', gateway: 'infra/web' }).summary).toBe('Rule 2 (api) takes the request');
  });

  it('a half-typed HTTPRoute gives a partial model, never an exception', () => {
    const typing =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: sh|op\nspec:\n  parentRefs:\n  - \n  rules:\n  - matches:\n    - path:\n    backendRefs:\n    - name:\n';
    const { ctx, uri, offset } = contextAt({ 'route.yaml': typing }, 'route.yaml');
    const model = trafficAt(ctx, uri, offset).model!;
    expect(model.routes[0].matches).toEqual(['any request']);
    expect(model.routes[0].destinations.map((d) => d.host)).toEqual(['(no name)']);
    expect(simulateAt(ctx, uri, offset, { authority: 'x', path: '/' }).summary).toMatch(/not attached to the mesh/);
  });
});

describe('the simulator on an HTTPRoute: the Gateway API precedence, not the first match', () => {
  const why = (result: ReturnType<typeof run>, rule: number) => result.verdicts.find((v) => v.index === rule)?.why;

  it('an exact path beats every prefix, written later or not', () => {
    const result = run({ path: '/api/v1/login' });
    expect([result.route, result.summary]).toEqual([3, 'Rule 4 (login) takes the request']);
    expect(why(result, 2)).toBe('less specific: prefix /api/v1 ranks below exact path /api/v1/login');
  });

  it('the longest prefix wins, and the shorter one says it is shorter', () => {
    const result = run({ path: '/api/v1/items' });
    expect(result.route).toBe(2);
    expect(why(result, 1)).toBe('less specific: prefix /api is shorter than /api/v1');
    expect(why(result, 0)).toBe('less specific: prefix / is shorter than /api/v1');
    expect(why(result, 3)).toBe('path /api/v1/items is not /api/v1/login; path /api/v1/items is not under prefix /login');
  });

  it('a prefix matches whole segments', () => {
    expect(run({ path: '/apis' }).route).toBe(0);
    expect(run({ path: '/api' }).route).toBe(1);
  });

  it('a method match beats the same path without one, and a wrong method says so', () => {
    const more = route.replace('  - name: beta\n', '  - name: login-any\n    matches:\n    - path:\n        value: /login\n    backendRefs:\n    - name: reviews\n      port: 9080\n  - name: beta\n');
    const post = run({ path: '/login', method: 'POST' }, more);
    expect(post.route).toBe(3);
    expect(why(post, 4)).toBe('less specific: no method match, the winner matches POST');
    const get = run({ path: '/login', method: 'GET' }, more);
    expect(get.route).toBe(4);
    expect(why(get, 3)).toBe('path /login is not /api/v1/login; method GET does not match POST');
  });

  it('more header matches win, then more query params', () => {
    const headers = run({ path: '/api/v1/x', headers: { 'X-Beta': '1' } });
    expect(headers.route).toBe(4);
    expect(why(headers, 2)).toBe('less specific: 0 header matches, the winner has 1');
    const query = run({ path: '/api/v1/x?page=2' });
    expect(query.route).toBe(5);
    expect(why(query, 2)).toBe('less specific: 0 query param matches, the winner has 1');
    expect(why(query, 4)).toBe('header x-beta is missing');
    expect(run({ path: '/api/v1/x?page=two' }).route).toBe(2);
  });

  it('equally specific matches: the first rule wins', () => {
    const twice = route.replace(
      '  - name: beta\n',
      '  - name: api-v1-again\n    matches:\n    - path:\n        type: PathPrefix\n        value: /api/v1/\n    backendRefs:\n    - name: reviews\n      port: 9080\n  - name: beta\n',
    );
    const result = run({ path: '/api/v1/x' }, twice);
    expect(result.route).toBe(2);
    expect(why(result, 4)).toBe('equally specific: rule 3 comes first');
  });

  it('no match: the proxy answers 404, each rule saying why', () => {
    const only = route.replace(/ {2}- name: catch-all\n[\s\S]*? {2}- name: api\n/, '  - name: api\n');
    const result = run({ path: '/checkout' }, only);
    expect(result.route).toBeUndefined();
    expect(result.summary).toBe('No rule matches: the proxy answers 404');
    expect(why(result, 0)).toBe('path /checkout is not under prefix /api');
  });

  it('a host no route hostname matches lands nowhere, and says so', () => {
    const result = run({ authority: 'admin.example.com' });
    expect(result.route).toBeUndefined();
    expect(result.summary).toBe('Host admin.example.com matches none of the hostnames (shop.example.com): the request lands nowhere (404)');
    expect(result.verdicts.every((v) => v.why === 'host admin.example.com is not among the hostnames')).toBe(true);
    // The listener's hostname filters first: the route's own hostnames cannot widen it.
    const listener = run({ authority: 'shop.example.org' }, route.replace('- shop.example.com', '- "*"'));
    expect(listener.summary).toBe('The request lands nowhere: no listener the route binds accepts host shop.example.org (listener hostnames: *.example.com)');
  });

  it('a gateway the route is not attached to takes nothing', () => {
    expect(run({ gateway: 'mesh' }).summary).toBe('HTTPRoute shop/shop is not attached to the mesh (no Service parent); its parents: Gateway infra/web · http');
    expect(run({ gateway: 'web' }).route).toBe(0);
  });

  it('across routes on the same parent: the more specific match wins, then the older route, then namespace/name', () => {
    const other = (name: string, path: string, stamp?: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${name}\n  namespace: shop\n${stamp ? `  creationTimestamp: "${stamp}"\n` : ''}spec:\n  parentRefs:\n  - {name: web, namespace: infra}\n  hostnames: [shop.example.com]\n  rules:\n  - matches:\n    - path: {type: PathPrefix, value: ${path}}\n    backendRefs:\n    - {name: reviews, port: 9080}\n`;
    const deeper = run({ path: '/api/v1/items/7' }, route, { 'other.yaml': other('items', '/api/v1/items') });
    expect(deeper.route).toBeUndefined();
    expect(deeper.summary).toBe('HTTPRoute shop/items rule 1 takes the request: it ranks above every match of this route');
    expect(why(deeper, 2)).toBe('less specific: prefix /api/v1 is shorter than /api/v1/items');
    const stamped = route.replace('  namespace: shop\nspec:', '  namespace: shop\n  creationTimestamp: "2024-05-01T00:00:00Z"\nspec:');
    const older = run({ path: '/api/v1/x' }, stamped, { 'other.yaml': other('zzz', '/api/v1', '2023-01-01T00:00:00Z') });
    expect([older.route, why(older, 2)]).toEqual([undefined, 'equally specific: HTTPRoute shop/zzz is older']);
    const newer = run({ path: '/api/v1/x' }, stamped, { 'other.yaml': other('aaa', '/api/v1', '2025-01-01T00:00:00Z') });
    expect(newer.route).toBe(2);
    expect(run({ path: '/api/v1/x' }, route, { 'other.yaml': other('zzz', '/api/v1') }).route).toBe(2);
    const byName = run({ path: '/api/v1/x' }, route, { 'other.yaml': other('aaa', '/api/v1') });
    expect([byName.route, why(byName, 2)]).toEqual([undefined, 'equally specific: HTTPRoute shop/aaa comes first by namespace/name']);
  });
});

const grpc = yaml`
  apiVersion: gateway.networking.k8s.io/v1
  kind: GRPCRoute
  metadata:
    name: greeter
    namespace: shop
  spec:
    parentRefs:
    - group: ""
      kind: Service
      name: reviews
    rules:
    - matches:
      - method:
          service: helloworld.Greeter
      backendRefs:
      - name: reviews
        port: 9080
    - matches:
      - method:
          service: helloworld.Greeter
          method: SayHello
      backendRefs:
      - name: reviews-v2
        port: 9080
    - matches:
      - headers:
        - name: x-canary
          value: "yes"
      backendRefs:
      - name: reviews-v2
        port: 9080
  `;

describe('the simulator on a GRPCRoute (mesh parent)', () => {
  const go = (req: Partial<SimulatedRequest>) => {
    const { ctx, uri, offset } = contextAt({ 'grpc.yaml': grpc.replace('name: greeter', 'name: gree|ter'), 'services.yaml': services }, 'grpc.yaml');
    return simulateAt(ctx, uri, offset, { authority: 'reviews.shop:9080', path: '/', gateway: 'mesh', ...req });
  };

  it('models the rules in gRPC terms, with the mesh Service as the parent', () => {
    const { ctx, uri, offset } = contextAt({ 'grpc.yaml': grpc.replace('name: greeter', 'name: gree|ter'), 'services.yaml': services }, 'grpc.yaml');
    const model = trafficAt(ctx, uri, offset).model!;
    expect(model.kind).toBe('GRPCRoute');
    expect(model.parents).toEqual([{ name: 'Service shop/reviews', gateway: 'mesh', lines: ['mesh: requests to reviews.shop'], authority: 'reviews.shop' }]);
    expect(model.routes.map((r) => r.matches)).toEqual([['service helloworld.Greeter (any method)'], ['method helloworld.Greeter/SayHello'], ['header x-canary = yes']]);
  });

  it('an exact service and method beats the service alone', () => {
    const result = go({ path: '/helloworld.Greeter/SayHello' });
    expect(result.route).toBe(1);
    expect(result.verdicts[0].why).toBe('less specific: prefix /helloworld.Greeter/ ranks below exact path /helloworld.Greeter/SayHello');
    expect(result.verdicts[2].why).toBe('header x-canary is missing');
  });

  it('another method of the service goes to the service rule; a match on headers alone ranks last', () => {
    const result = go({ path: '/helloworld.Greeter/SayBye', headers: { 'x-canary': 'yes' } });
    expect(result.route).toBe(0);
    expect(result.verdicts[1].why).toBe('gRPC method helloworld.Greeter/SayBye does not match helloworld.Greeter/SayHello');
    expect(result.verdicts[2].why).toBe('less specific: no path match ranks below prefix /helloworld.Greeter/');
    expect(go({ path: '/other.Svc/Call', headers: { 'x-canary': 'yes' } }).route).toBe(2);
  });

  it('a host that does not name the Service lands nowhere', () => {
    expect(go({ authority: 'ratings.shop', path: '/helloworld.Greeter/SayHello' }).summary).toBe('The request lands nowhere: host ratings.shop does not name Service shop/reviews');
  });
});

describe('weight edits on backendRefs from the preview', () => {
  it('sets one backendRef weight and scales the others to total 100, comments kept, defaults written only when they change', () => {
    const text = route.replace('    - name: reviews-v2\n      port: 9080\n  - name: api\n', '    - name: reviews-v2\n      port: 90|80\n  - name: api\n');
    const { ctx, offset, files } = contextAt({ 'route.yaml': text, 'services.yaml': services }, 'route.yaml');
    const edits = setWeightAt(ctx, wsUri('route.yaml'), offset, 40);
    if (typeof edits === 'string') throw new Error(edits);
    const out = applyEdits(files, edits)['route.yaml'];
    expect(out).toContain('    - name: reviews\n      port: 9080\n      weight: 60 # stable\n    - name: reviews-v2\n      port: 9080\n      weight: 40\n  - name: api\n');
    expect(out.replace('weight: 60 # stable', 'weight: 3 # stable').replace('      port: 9080\n      weight: 40\n', '      port: 9080\n')).toBe(files['route.yaml']);
  });

  it('follows a 4-space file, and refuses a quoted weight and a position outside a backendRef', () => {
    const four =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n    name: r\nspec:\n    rules:\n    -   backendRefs:\n        -   name: a\n            port: 80\n        -   name: b|\n            port: 80\n';
    const { ctx, offset, files } = contextAt({ 'r.yaml': four }, 'r.yaml');
    const edits = setWeightAt(ctx, wsUri('r.yaml'), offset, 25);
    if (typeof edits === 'string') throw new Error(edits);
    expect(applyEdits(files, edits)['r.yaml']).toBe(
      four
        .replace('|', '')
        .replace('name: a\n            port: 80\n', 'name: a\n            port: 80\n            weight: 75\n')
        .replace('name: b\n            port: 80\n', 'name: b\n            port: 80\n            weight: 25\n'),
    );
    const quoted = contextAt({ 'r.yaml': four.replace('name: a\n', 'name: a\n            weight: "2"\n') }, 'r.yaml');
    expect(setWeightAt(quoted.ctx, quoted.uri, quoted.offset, 25)).toMatch(/not written as a number/);
    const outside = contextAt({ 'r.yaml': four.replace('|', '').replace('name: r', 'name: r|') }, 'r.yaml');
    expect(setWeightAt(outside.ctx, outside.uri, outside.offset, 25)).toMatch(/No backendRef/);
  });
});
