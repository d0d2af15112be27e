// Route order (IST0130, IST0131) and the mesh checks of meshChecks.ts, as istioctl analyze has
// them: Istio's testdata cases, in our own words.
import { describe, expect, it } from 'vitest';
import { serviceWith, wsUri } from '../support';

type Files = Record<string, string>;

/** [line, code, text under the range, message] of the target file's problems with these codes. */
function check(files: Files, target: string, codes: string[]) {
  const text = files[target];
  return serviceWith(files)
    .diagnoseDiskFile(wsUri(target), { istioVersion: '1.30', validate: true })
    .filter((p) => codes.includes(p.code))
    .map((p) => ({ line: text.slice(0, p.start).split('\n').length - 1, code: p.code, text: text.slice(p.start, p.end), message: p.message, data: p.data }));
}

const virtualService = (body: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: default
spec:
  hosts: [shop]
${body}`;

const routeOrder = (body: string) => check({ 'vs.yaml': virtualService(body) }, 'vs.yaml', ['IST0130', 'IST0131']);

describe('IST0130 / IST0131: route order', () => {
  it('reports a route after a catch-all once, whatever its number of matches', () => {
    const found = routeOrder(`  http:
  - route: [{destination: {host: shop}}]
  - match: [{uri: {prefix: /a}}, {uri: {prefix: /b}}]
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.code, p.message])).toEqual([[9, 'IST0130', 'HTTP route 2 is never used: HTTP route 1 before it has no match and takes every request.']]);
  });

  it('names routes by their name, and reports a match repeated within one route', () => {
    const found = routeOrder(`  http:
  - name: api
    match:
    - uri: {prefix: /api}
    - name: again
      uri: {prefix: /api}
    route: [{destination: {host: shop}}]
  - name: copy
    match:
    - uri: {prefix: /api}
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.code, p.message])).toEqual([
      [11, 'IST0131', 'Match 1 of this route is the same, so this one never matches.'],
      [14, 'IST0130', "HTTP route 'copy' is never used: each of its matches repeats one of HTTP route 'api'."],
      [16, 'IST0131', "HTTP route 'api' has the same match, so this one never matches."],
    ]);
    // A route that keeps a match of its own is used.
    expect(
      routeOrder(`  tcp:\n  - match: [{port: 1}]\n    route: [{destination: {host: shop}}]\n  - match: [{port: 1}, {port: 2}]\n    route: [{destination: {host: shop}}]\n`).map((p) => p.code),
    ).toEqual(['IST0131']);
  });

  it('compares matches without the fields left at their defaults', () => {
    const found = routeOrder(`  http:
  - match: [{uri: {prefix: /a}, port: 0, ignoreUriCase: false, headers: {}}]
    route: [{destination: {host: shop}}]
  - match: [{uri: {prefix: /a}}, {uri: {prefix: /a}, ignoreUriCase: true}]
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.code, p.text])).toEqual([[10, 'IST0131', '{uri: {prefix: /a}}']]);
  });

  it('finds a prefix covered by an earlier one, with the quirks of Istio comparison', () => {
    const covered = (first: string, second: string) =>
      routeOrder(`  http:\n  - match: [${first}]\n    route: [{destination: {host: shop}}]\n  - match: [${second}]\n    route: [{destination: {host: shop}}]\n`).map((p) => p.code);
    expect(covered('{uri: {prefix: /api}}', '{uri: {prefix: /api/v1}, method: {exact: GET}}')).toEqual(['IST0131']);
    expect(covered('{uri: {prefix: /api}}', '{uri: {prefix: /api/v1}, method: {exact: POST}}')).toEqual([]);
    expect(covered('{uri: {prefix: /api/v1}}', '{uri: {prefix: /api}}')).toEqual([]);
    expect(covered('{uri: {prefix: /api}, port: 80}', '{uri: {prefix: /api/v1}}')).toEqual([]);
    expect(covered('{uri: {prefix: /api}, headers: {x: {exact: a}}}', '{uri: {prefix: /api/v1}}')).toEqual([]);
    expect(covered('{uri: {exact: /api}}', '{uri: {prefix: /api/v1}}')).toEqual([]);
    // Istio takes a later value as covered when it is a prefix of the earlier one: no authority, a regex.
    expect(covered('{uri: {prefix: /api}, authority: {exact: a.example.com}}', '{uri: {prefix: /api/v1}}')).toEqual(['IST0131']);
    expect(covered('{uri: {prefix: /api}, headers: {x: {regex: a.*}}}', '{uri: {prefix: /api/v1}, headers: {x: {regex: b.*}}}')).toEqual(['IST0131']);
    // Not compared at all: the source labels.
    expect(covered('{uri: {prefix: /api}, sourceLabels: {app: a}}', '{uri: {prefix: /api/v1}}')).toEqual(['IST0131']);
  });

  it('names the first covering match, and offers no removal for a covered prefix', () => {
    const found = routeOrder(`  http:
  - name: short
    match: [{uri: {prefix: /a}}, {uri: {prefix: /ab}}]
    route: [{destination: {host: shop}}]
  - match: [{uri: {prefix: /abc}}]
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.text, p.message, p.data?.type])).toEqual([
      [
        9,
        '{uri: {prefix: /ab}}',
        "Match 1 of this route comes first with prefix '/a', which covers this prefix '/ab', and the same other conditions (as Istio compares port, method, authority, headers and query parameters), so this match is never used.",
        'semantic',
      ],
      [
        11,
        '{uri: {prefix: /abc}}',
        "Match 1 of HTTP route 'short' comes first with prefix '/a', which covers this prefix '/abc', and the same other conditions (as Istio compares port, method, authority, headers and query parameters), so this match is never used.",
        'semantic',
      ],
    ]);
  });

  it('compares TLS routes whole, without prefix overlaps', () => {
    const found = routeOrder(`  tls:
  - match: [{port: 443, sniHosts: [a.example.com]}]
    route: [{destination: {host: shop}}]
  - match: [{sniHosts: [a.example.com], port: 443}]
    route: [{destination: {host: shop}}]
  - match: [{port: 443, sniHosts: [b.example.com]}]
    route: [{destination: {host: shop}}]
`);
    expect(found.map((p) => [p.line, p.code])).toEqual([
      [10, 'IST0130'],
      [10, 'IST0131'],
    ]);
  });
});
