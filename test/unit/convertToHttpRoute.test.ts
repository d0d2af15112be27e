// "Convert to HTTPRoute": the text after the edit (2- and 4-space files, comments kept, other
// documents untouched), and the refusals, each saying what has no Gateway API equivalent.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyRefactoring } from '../../server/src/features/refactor';
import { gatewayDuration } from '../../server/src/features/refactor/httpRouteRules';
import { contextAt, offerAt, refactor } from '../refactorSupport';
import { serviceWith, wsUri, yaml } from '../support';

const ID = 'convert-httproute';

const service = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: reviews
    namespace: shop
  spec:
    selector:
      app: reviews
    ports:
    - name: http
      port: 9080
  `;

const rule = yaml`
  apiVersion: networking.istio.io/v1
  kind: DestinationRule
  metadata:
    name: reviews
    namespace: shop
  spec:
    host: reviews
    subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2
  `;

/** A mesh VirtualService of reviews with `http` routes (indented two spaces under `spec`). */
function meshVs(http: string, extra = ''): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: rev|iews
  namespace: shop
spec:
  hosts:
  - reviews
${extra}  http:
${http.replace(/^\n/, '')}`;
}

function unavailable(files: Record<string, string>, target = 'vs.yaml'): string | undefined {
  return offerAt(files, target, ID)?.unavailable;
}

describe('Convert to HTTPRoute: mesh VirtualServices', () => {
  it('writes the route with its Service parent and a Service per subset, in a 2-space file, keeping the comments', () => {
    const vs = yaml`
      # reviews routing
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: rev|iews
        namespace: shop
      spec:
        hosts:
        - reviews
        http:
        # jason sees v2
        - match:
          - headers:
              end-user:
                exact: jason
          route:
          - destination:
              host: reviews # the service
              subset: v2
        - route:
          - destination:
              host: reviews
              subset: v1
            weight: 90
          - destination:
              host: reviews
              subset: v2
            weight: 10
          timeout: 1.5s
      ---
      # next document
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: other
      `;
    const files = { 'svc.yaml': service, 'dr.yaml': rule, 'vs.yaml': vs };
    expect(offerAt(files, 'vs.yaml', ID)?.title).toBe('Convert to HTTPRoute (parent Service reviews; adds Service reviews-v1, reviews-v2; replaces the VirtualService)');
    const out = refactor(files, 'vs.yaml', ID);
    expect(out['vs.yaml']).toBe(yaml`
      # reviews routing
      # jason sees v2
      # the service
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
        rules:
        - matches:
          - headers:
            - name: end-user
              value: jason
          backendRefs:
          - name: reviews-v2
            port: 9080
        - backendRefs:
          - name: reviews-v1
            port: 9080
            weight: 90
          - name: reviews-v2
            port: 9080
            weight: 10
          timeouts:
            request: 1s500ms
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: reviews-v1
        namespace: shop
      spec:
        selector:
          app: reviews
          version: v1
        ports:
        - name: http
          port: 9080
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: reviews-v2
        namespace: shop
      spec:
        selector:
          app: reviews
          version: v2
        ports:
        - name: http
          port: 9080
      ---
      # next document
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: other
      `);
    expect(out['svc.yaml']).toBe(service);
    expect(out['dr.yaml']).toBe(rule);
  });

  it('follows a 4-space file with indented sequences, reusing a Service that already selects the subset', () => {
    const vs = [
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata:',
      '    name: rev|iews',
      '    namespace: shop',
      'spec:',
      '    hosts:',
      '        - reviews',
      '    http:',
      '        - match:',
      '              - uri:',
      '                    exact: /v2',
      '          route:',
      '              - destination:',
      '                    host: reviews',
      '                    subset: v2',
      '          headers:',
      '              request:',
      '                  set:',
      '                      x-version: v2',
      '                  remove:',
      '                      - x-debug',
      '        - route:',
      '              - destination:',
      '                    host: reviews',
      '                    port:',
      '                        number: 9080',
      '          mirror:',
      '              host: reviews',
      '              subset: v2',
      '          mirrorPercentage:',
      '              value: 0.5',
      '',
    ].join('\n');
    const v2 = yaml`
      apiVersion: v1
      kind: Service
      metadata:
        name: reviews-two
        namespace: shop
      spec:
        selector:
          app: reviews
          version: v2
        ports:
        - port: 9080
      `;
    const out = refactor({ 'svc.yaml': service, 'v2.yaml': v2, 'dr.yaml': rule, 'vs.yaml': vs }, 'vs.yaml', ID);
    expect(out['vs.yaml']).toBe(
      [
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: HTTPRoute',
        'metadata:',
        '    name: reviews',
        '    namespace: shop',
        'spec:',
        '    parentRefs:',
        '        - group: ""',
        '          kind: Service',
        '          name: reviews',
        '    rules:',
        '        - matches:',
        '              - path:',
        '                    type: Exact',
        '                    value: /v2',
        '          filters:',
        '              - type: RequestHeaderModifier',
        '                requestHeaderModifier:',
        '                    set:',
        '                        - name: x-version',
        '                          value: v2',
        '                    remove:',
        '                        - x-debug',
        '          backendRefs:',
        '              - name: reviews-two',
        '                port: 9080',
        '        - filters:',
        '              - type: RequestMirror',
        '                requestMirror:',
        '                    backendRef:',
        '                        name: reviews-two',
        '                        port: 9080',
        '                    fraction:',
        '                        numerator: 5',
        '                        denominator: 1000',
        '          backendRefs:',
        '              - name: reviews',
        '                port: 9080',
        '',
      ].join('\n'),
    );
  });

  it('converts prefix /api/ with exact /api into PathPrefix /api, a prefix /, a redirect with a port, and a rewrite after an exact match', () => {
    const vs = meshVs(`
  - match:
    - uri:
        prefix: /api/
    - uri:
        exact: /api
    route:
    - destination:
        host: reviews
  - match:
    - uri:
        exact: /old
    redirect:
      uri: /new
      port: 8080
  - match:
    - uri:
        exact: /legacy
    rewrite:
      uri: /current
    route:
    - destination:
        host: reviews
  - match:
    - uri:
        prefix: /
      method:
        exact: GET
    route:
    - destination:
        host: reviews
`);
    const out = refactor({ 'svc.yaml': service, 'vs.yaml': vs }, 'vs.yaml', ID);
    expect(out['vs.yaml']).toBe(yaml`
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
        rules:
        - matches:
          - path:
              type: PathPrefix
              value: /api
          backendRefs:
          - name: reviews
            port: 9080
        - matches:
          - path:
              type: Exact
              value: /old
          filters:
          - type: RequestRedirect
            requestRedirect:
              path:
                type: ReplaceFullPath
                replaceFullPath: /new
              port: 8080
              statusCode: 301
        - matches:
          - path:
              type: Exact
              value: /legacy
          filters:
          - type: URLRewrite
            urlRewrite:
              path:
                type: ReplaceFullPath
                replaceFullPath: /current
          backendRefs:
          - name: reviews
            port: 9080
        - matches:
          - path:
              type: PathPrefix
              value: /
            method: GET
          backendRefs:
          - name: reviews
            port: 9080
      `);
  });

  it('is one edit whose result parses and raises no error or warning', () => {
    const vs = meshVs(`
  - route:
    - destination:
        host: reviews
        subset: v1
`);
    const { ctx, uri, offset, files } = contextAt({ 'svc.yaml': service, 'dr.yaml': rule, 'vs.yaml': vs }, 'vs.yaml');
    const edits = applyRefactoring(ctx, uri, offset, ID);
    if (typeof edits === 'string') throw new Error(edits);
    expect(edits).toHaveLength(1);
    const after = files['vs.yaml'].slice(0, edits[0].start) + edits[0].newText + files['vs.yaml'].slice(edits[0].end);
    expect(parseAllDocuments(after).flatMap((d) => ('errors' in d ? d.errors : []))).toEqual([]);
    const checked = serviceWith({ ...files, 'vs.yaml': after });
    const problems = checked.diagnoseDiskFile(wsUri('vs.yaml'), { istioVersion: '1.30', validate: true });
    expect(problems.filter((p) => p.severity === 'error' || p.severity === 'warning')).toEqual([]);
  });
});

describe('Convert to HTTPRoute: Gateway-bound VirtualServices', () => {
  const kgw = yaml`
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata:
      name: shop-gateway
      namespace: shop
    spec:
      gatewayClassName: istio
      listeners:
      - name: http
        port: 80
        protocol: HTTP
        hostname: "*.example.com"
    `;
  const vs = yaml`
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata:
      name: sh|op
      namespace: shop
    spec:
      hosts:
      - shop.example.com
      gateways:
      - shop-gateway
      http:
      - route:
        - destination:
            host: reviews
    `;

  it('writes a parentRef to the Gateway API Gateway of that name, with the hosts as hostnames', () => {
    const out = refactor({ 'svc.yaml': service, 'gw.yaml': kgw, 'vs.yaml': vs }, 'vs.yaml', ID);
    expect(out['vs.yaml']).toBe(yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: shop
        namespace: shop
      spec:
        parentRefs:
        - name: shop-gateway
        hostnames:
        - shop.example.com
        rules:
        - backendRefs:
          - name: reviews
            port: 9080
      `);
  });

  it('refuses when only an Istio Gateway has the name, and when no listener takes the host', () => {
    expect(unavailable({ 'svc.yaml': service, 'vs.yaml': vs })).toMatch(/no Gateway API Gateway shop\/shop-gateway in the workspace .*create the Gateway API one first/);
    const other = vs.replace('shop.example.com', 'shop.example.org');
    expect(unavailable({ 'svc.yaml': service, 'gw.yaml': kgw, 'vs.yaml': other })).toMatch(/host shop\.example\.org is not among the hostnames of Gateway shop\/shop-gateway's listeners/);
  });
});

describe('Convert to HTTPRoute: refusals, all said at once', () => {
  const files = (vs: string) => ({ 'svc.yaml': service, 'dr.yaml': rule, 'vs.yaml': vs });

  it('lists every route part without an equivalent and changes nothing', () => {
    const vs = meshVs(`
  - fault:
      abort:
        httpStatus: 503
        percentage:
          value: 10
    route:
    - destination:
        host: reviews
  - retries:
      attempts: 3
    corsPolicy:
      allowOrigins:
      - exact: https://example.com
    route:
    - destination:
        host: reviews
`);
    const reason = unavailable(files(vs));
    expect(reason).toBe(
      "No Gateway API equivalent, so nothing is converted: HTTP route 1: fault injection (fault); HTTP route 2: retries (HTTPRoute's retry is only in the Gateway API's experimental channel; the standard CRDs drop it silently); HTTP route 2: corsPolicy (HTTPRoute's CORS filter answers unmatched preflight requests differently)",
    );
    const { ctx, uri, offset } = contextAt(files(vs), 'vs.yaml');
    expect(applyRefactoring(ctx, uri, offset, ID)).toBe(reason);
  });

  it('refuses a prefix that is not a whole path segment, and match fields the Gateway API lacks', () => {
    const vs = meshVs(`
  - match:
    - uri:
        prefix: /static
    - uri:
        prefix: /img/
    - sourceLabels:
        app: web
    - headers:
        x-a:
          exact: b
      ignoreUriCase: true
    route:
    - destination:
        host: reviews
`);
    const reason = unavailable(files(vs)) ?? '';
    expect(reason).toContain("uri prefix '/static' (PathPrefix matches whole path segments: '/staticx' would no longer match");
    expect(reason).toContain("uri prefix '/img/' (PathPrefix '/img' would also match '/img'");
    expect(reason).toContain('match sourceLabels');
    expect(reason).toContain('match ignoreUriCase');
  });

  it('refuses when the Gateway API precedence would pick another route than first-match', () => {
    const vs = meshVs(`
  - route:
    - destination:
        host: reviews
        subset: v1
  - match:
    - uri:
        exact: /v2
    route:
    - destination:
        host: reviews
        subset: v2
`);
    expect(unavailable(files(vs))).toMatch(/HTTP route 2 \(Exact \/v2\) would take requests that HTTP route 1 \(any path\) takes first/);
    // The specific route first: the same order both ways.
    const ordered = meshVs(`
  - match:
    - uri:
        exact: /v2
    route:
    - destination:
        host: reviews
        subset: v2
  - route:
    - destination:
        host: reviews
        subset: v1
`);
    expect(unavailable(files(ordered))).toBeUndefined();
    // Disjoint matches may swap: no request takes both.
    const disjoint = meshVs(`
  - match:
    - method:
        exact: POST
    route:
    - destination:
        host: reviews
        subset: v1
  - match:
    - uri:
        exact: /v2
      method:
        exact: GET
    route:
    - destination:
        host: reviews
        subset: v2
`);
    expect(unavailable(files(disjoint))).toBeUndefined();
  });

  it('refuses a subset whose DestinationRule has a traffic policy, and a destination without a port the Service decides', () => {
    const policed = rule.replace('  host: reviews\n', '  host: reviews\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n');
    const vs = meshVs(`
  - route:
    - destination:
        host: reviews
        subset: v1
`);
    expect(unavailable({ 'svc.yaml': service, 'dr.yaml': policed, 'vs.yaml': vs })).toMatch(/DestinationRule reviews's traffic policy applies to host reviews, not to a Service for the subset/);
    const twoPorts = service.replace('    port: 9080\n', '    port: 9080\n  - name: grpc\n    port: 9090\n');
    const noPort = meshVs(`
  - route:
    - destination:
        host: reviews
`);
    expect(unavailable({ 'svc.yaml': twoPorts, 'vs.yaml': noPort })).toMatch(/destination reviews names no port and its Service has several/);
  });

  it('refuses a consumer route whose VirtualService is exported everywhere, and is not offered on TCP-only VirtualServices', () => {
    const vs = meshVs(`
  - route:
    - destination:
        host: reviews.shop.svc.cluster.local
`)
      .replace('namespace: shop', 'namespace: web')
      .replace('- reviews\n', '- reviews.shop.svc.cluster.local\n');
    expect(unavailable({ 'svc.yaml': service, 'vs.yaml': vs })).toMatch(/an HTTPRoute in web applies only to web's clients, the VirtualService to every namespace/);
    const tcp = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: d|b
      spec:
        hosts:
        - db
        tcp:
        - route:
          - destination:
              host: db
      `;
    expect(offerAt({ 'vs.yaml': tcp }, 'vs.yaml', ID)).toBeUndefined();
  });
});

describe('gatewayDuration', () => {
  it('writes whole units of at most five digits', () => {
    expect([gatewayDuration('1.5s'), gatewayDuration('300ms'), gatewayDuration('90s'), gatewayDuration('0s'), gatewayDuration('1h'), gatewayDuration('0.0001s'), gatewayDuration('10sec')]).toEqual([
      '1s500ms',
      '300ms',
      '1m30s',
      '0s',
      '1h',
      undefined,
      undefined,
    ]);
  });
});
