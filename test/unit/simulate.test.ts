// The request simulator: a table of requests against VirtualServices and the route Istio picks.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { simulate, type SimulatedRequest } from '../../server/src/features/traffic/simulate';

const spec = parse(`
hosts: [reviews, "*.shop.example.com"]
http:
- name: jason
  match:
  - headers:
      end-user:
        exact: jason
  route:
  - destination: {host: reviews, subset: v2}
- name: api-exact
  match:
  - uri: {exact: /api/login}
    method: {exact: POST}
  route:
  - destination: {host: reviews, subset: v3}
- name: api-regex
  match:
  - uri: {regex: "/api/items/[0-9]+"}
  route:
  - destination: {host: reviews, subset: v3}
- name: case
  match:
  - uri: {prefix: /Static}
    ignoreUriCase: true
  route:
  - destination: {host: reviews, subset: v1}
- name: beta-not-blocked
  match:
  - queryParams:
      beta: {exact: "1"}
    withoutHeaders:
      x-block: {}
  - authority: {prefix: admin.}
  route:
  - destination: {host: reviews, subset: v3}
- name: port
  match:
  - port: 8443
    sourceLabels: {app: frontend}
  route:
  - destination: {host: reviews, subset: v2}
- name: edge
  match:
  - gateways: [shop/edge]
    uri: {prefix: /}
  route:
  - destination: {host: reviews, subset: v1}
- name: default
  route:
  - destination: {host: reviews, subset: v1}
`) as Record<string, unknown>;

const cases: [string, SimulatedRequest, string | undefined][] = [
  ['header exact match wins first', { authority: 'reviews', path: '/', headers: { 'End-User': 'jason' } }, 'jason'],
  ['other header value falls through to the default', { authority: 'reviews', path: '/', headers: { 'end-user': 'mary' } }, 'default'],
  ['exact uri and method', { authority: 'reviews', method: 'POST', path: '/api/login' }, 'api-exact'],
  ['exact uri ignores the query string', { authority: 'reviews', method: 'POST', path: '/api/login?next=/' }, 'api-exact'],
  ['exact uri with another method does not match', { authority: 'reviews', method: 'GET', path: '/api/login' }, 'default'],
  ['regex is a full match', { authority: 'reviews', path: '/api/items/42' }, 'api-regex'],
  ['regex does not match a longer path', { authority: 'reviews', path: '/api/items/42/reviews' }, 'default'],
  ['ignoreUriCase on a prefix', { authority: 'reviews', path: '/STATIC/app.js' }, 'case'],
  ['query parameter without the blocking header', { authority: 'reviews', path: '/x?beta=1' }, 'beta-not-blocked'],
  ['withoutHeaders excludes a request carrying the header', { authority: 'reviews', path: '/x?beta=1', headers: { 'x-block': 'yes' } }, 'default'],
  ['second match block (authority prefix) is an alternative', { authority: 'admin.shop.example.com', path: '/' }, 'beta-not-blocked'],
  ['port and source labels together', { authority: 'reviews', path: '/', port: 8443, sourceLabels: { app: 'frontend', version: 'v1' } }, 'port'],
  ['port without the source label', { authority: 'reviews', path: '/', port: 8443, sourceLabels: { app: 'other' } }, 'default'],
  ['a match naming a gateway excludes mesh traffic, takes the gateway’s', { authority: 'www.shop.example.com', path: '/', gateway: 'shop/edge' }, 'edge'],
  ['host with port and FQDN still matches the short host', { authority: 'reviews.default.svc.cluster.local:9080', path: '/' }, 'default'],
  ['an authority outside the hosts is not this VirtualService’s', { authority: 'ratings', path: '/' }, undefined],
];

describe('simulate', () => {
  it.each(cases)('%s', (_, request, expected) => {
    const result = simulate(spec, request);
    const routes = spec.http as { name: string }[];
    expect(result.route === undefined ? undefined : routes[result.route].name).toBe(expected);
  });

  it('explains why earlier routes did not match', () => {
    const result = simulate(spec, { authority: 'reviews', method: 'GET', path: '/api/login' });
    expect(result.verdicts[0]).toEqual({ index: 0, matched: false, why: 'header end-user is missing' });
    expect(result.verdicts[1].why).toBe('method GET does not match');
    expect(result.summary).toBe('Route 8 (default) takes the request');
  });

  it('answers 404 when no route matches, and respects the VirtualService gateways', () => {
    const only = { hosts: ['reviews'], http: [{ match: [{ uri: { prefix: '/api' } }], route: [] }] };
    const miss = simulate(only, { authority: 'reviews', path: '/web' });
    expect([miss.route, miss.summary]).toEqual([undefined, 'No route matches: the proxy answers 404']);
    const bound = { hosts: ['*'], gateways: ['shop/edge'], http: [{ route: [] }] };
    expect(simulate(bound, { authority: 'x', path: '/' }).route).toBeUndefined();
    expect(simulate(bound, { authority: 'x', path: '/', gateway: 'shop/edge' }).route).toBe(0);
  });
});

describe('simulate half-typed routes (issue 9, defect 2)', () => {
  const request = { authority: 'reviews', path: '/x' };
  it.each([
    ['a redirect route', 'http:\n- match: [{uri: {prefix: /x}}]\n  redirect: {uri: /y}\n', 0],
    ['a match with no route yet', 'http:\n- match: [{uri: {prefix: /x}}]\n', 0],
    ['an empty route list', 'http:\n- route: []\n', 0],
    ['a destination with nothing under it', 'http:\n- route:\n  - destination:\n', 0],
    ['a list item being typed, then a route', 'http:\n-\n- route: []\n', 1],
    ['a match block being typed', 'http:\n- match:\n  -\n  route: []\n', 0],
    ['a uri matcher with no value (unset: no condition)', 'http:\n- match:\n  - uri:\n  route: []\n- route: []\n', 0],
    ['matchers that are not maps', 'http:\n- match:\n  - uri: /x\n    headers: [a]\n    queryParams: x\n  route: []\n- route: []\n', 1],
  ])('takes %s without failing', (_, routes, expected) => {
    const result = simulate(parse(`hosts: [reviews]\n${routes}`) as Record<string, unknown>, request);
    expect(result.route).toBe(expected);
  });
});
