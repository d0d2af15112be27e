import { describe, expect, it } from 'vitest';
import { diagnose, yaml } from '../support';

describe('schema diagnostics', () => {
  it('reports an unknown key on the key with a did-you-mean', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: reviews
      spec:
        hosts: [reviews]
        http:
        - route:
          - destination:
              host: reviews
          retries:
            attempts: 3
            perTryTimout: 2s
    `;
    const [d, ...rest] = diagnose(text);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'IST0106', severity: 'error', line: 12, text: 'perTryTimout' });
    expect(d.message).toContain("Did you mean 'perTryTimeout'?");
    expect(d.data).toMatchObject({ type: 'unknown-field', suggestion: 'perTryTimeout' });
  });

  it('lists allowed enum values on the wrong value', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: r}
      spec:
        host: r
        trafficPolicy:
          loadBalancer:
            simple: LEAST_REQUESTS
    `;
    const [d] = diagnose(text);
    expect(d).toMatchObject({ line: 7, text: 'LEAST_REQUESTS' });
    expect(d.message).toContain('ROUND_ROBIN');
    expect(d.message).toContain("Did you mean 'LEAST_REQUEST'?");
  });

  it('says "set only one of" for proto oneofs instead of raw oneOf output', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: r}
      spec:
        hosts: [r]
        http:
        - match:
          - uri:
              exact: /a
              prefix: /b
          route:
          - destination: {host: r}
    `;
    const ds = diagnose(text);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toBe('Set only one of exact, prefix, regex (found exact and prefix).');
    expect(ds[0]).toMatchObject({ line: 9, text: 'prefix' });
  });

  it("reports a CEL rule's own message on the value", () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: r}
      spec:
        hosts: [r]
        http:
        - timeout: 0s
          route:
          - destination: {host: r}
    `;
    const [d] = diagnose(text);
    expect(d).toMatchObject({ line: 6, text: '0s', data: { type: 'cel', rule: "duration(self) >= duration('1ms')" } });
    expect(d.message).toMatch(/duration/i);
  });

  it('reports a value its CEL rule cannot evaluate, as the API server does (30sec is no duration)', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: r}
      spec:
        hosts: [r]
        http:
        - timeout: 30sec
          retries: {attempts: 2, perTryTimeout: 2 s}
          route:
          - destination: {host: r}
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: r}
      spec:
        host: r
        trafficPolicy:
          outlierDetection: {interval: 500millis, baseEjectionTime: 1m30s}
    `;
    const ds = diagnose(text);
    expect(ds.map((d) => [d.text, d.data])).toEqual([
      ['30sec', { type: 'cel', rule: "duration(self) >= duration('1ms')" }],
      ['2 s', { type: 'cel', rule: "duration(self) >= duration('1ms')" }],
      ['500millis', { type: 'cel', rule: "duration(self) >= duration('1ms')" }],
    ]);
    expect(ds[0].message).toMatch(/"30sec" is not a duration: write a number and a unit \(h, m, s, ms, us, ns\), e\.g\. 30s, 1m30s, 500ms\.$/);
  });

  it('reports a URL its rule cannot parse (url() fails, so the API server rejects it)', () => {
    const text = yaml`
      apiVersion: security.istio.io/v1
      kind: RequestAuthentication
      metadata: {name: jwt}
      spec:
        jwtRules:
        - issuer: https://issuer.example.com
          jwksUri: "not a url"
        - issuer: https://other.example.com
          jwksUri: https://other.example.com/keys.json
    `;
    const ds = diagnose(text);
    expect(ds.map((d) => [d.text, d.data?.type])).toEqual([['"not a url"', 'cel']]);
  });

  it('puts a missing required field on the parent key', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: r}
      spec:
        hosts: [r]
        http:
        - route:
          - destination:
              subset: v1
    `;
    const [d] = diagnose(text);
    expect(d).toMatchObject({ line: 7, text: 'destination', message: "Missing required field 'host'." });
  });

  it('flags wrong types with a readable message, and suggests quoting for strings', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: r
        labels:
          version: 1.0
      spec:
        host: r
        trafficPolicy:
          connectionPool:
            tcp:
              maxConnections: many
    `;
    const ds = diagnose(text);
    expect(ds.map((d) => d.line)).toEqual([5, 11]);
    expect(ds[0].message).toContain('Quote it to make it a string: "1.0"');
    expect(ds[1].message).toBe('Expected an integer, got the string "many".');
  });

  it('describes a quoted value by its text, whichever parser read the document', () => {
    const text =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r}\nspec:\n  host: r\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        maxConnections: "many"\n';
    const flow = text.replace('maxConnections: "many"', '{maxConnections: "many"}').replace('tcp:\n        {', 'tcp: {');
    expect(diagnose(text).map((d) => d.message)).toEqual(['Expected an integer, got the string "many".']);
    expect(diagnose(flow).map((d) => d.message)).toEqual(['Expected an integer, got the string "many".']);
  });

  it('validates metadata with Kubernetes naming rules', () => {
    const text = yaml`
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata:
        name: Default_Policy
      spec:
        mtls: {mode: STRICT}
    `;
    const [d] = diagnose(text);
    expect(d).toMatchObject({ line: 3, text: 'Default_Policy' });
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1alpha3
      kind: EnvoyFilter
      metadata: {name: f}
      spec:
        configPatches:
        - applyTo: HTTP_FILTER
          patch:
            operation: INSERT_FIRST
            value:
              name: envoy.filters.http.lua
              typed_config:
                anything: goes
    `;
    expect(diagnose(text)).toEqual([]);
  });

  it('accepts int-or-string values', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: r}
      spec:
        hosts: [r]
        http:
        - route:
          - destination: {host: r}
          corsPolicy:
            maxAge: 24h
    `;
    expect(diagnose(text)).toEqual([]);
  });
});

describe('identity diagnostics', () => {
  it('reports an unknown kind with the valid choices', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualSevice\nmetadata: {name: a}\n';
    const [d] = diagnose(text);
    expect(d).toMatchObject({ code: 'istio-unknown-kind', line: 1, text: 'VirtualSevice' });
    expect(d.message).toContain("Did you mean 'VirtualService'?");
    expect(d.message).toContain('DestinationRule');
  });

  it('reports an apiVersion the Istio version does not serve, with the valid ones', () => {
    const text = 'apiVersion: networking.istio.io/v2\nkind: Gateway\nmetadata: {name: a}\nspec: {}\n';
    const [d] = diagnose(text);
    expect(d).toMatchObject({ code: 'istio-unsupported-api-version', line: 0, text: 'networking.istio.io/v2' });
    expect(d.message).toContain('networking.istio.io/v1, networking.istio.io/v1alpha3, networking.istio.io/v1beta1');
  });

  it('hints at v1 for older API versions', () => {
    const text = 'apiVersion: networking.istio.io/v1alpha3\nkind: Gateway\nmetadata: {name: a}\nspec: {}\n';
    const [d] = diagnose(text);
    expect(d).toMatchObject({ code: 'istio-older-api-version', severity: 'information', line: 0 });
  });

  it('knows kinds by Istio version (TrafficExtension is new in 1.30)', () => {
    const text = yaml`
      apiVersion: extensions.istio.io/v1alpha1
      kind: TrafficExtension
      metadata: {name: t}
      spec:
        lua:
          inlineCode: "function envoy_on_request(h) end"
    `;
    expect(diagnose(text, '1.30')).toEqual([]);
    expect(diagnose(text, '1.29').map((d) => d.code)).toEqual(['istio-unknown-kind']);
  });

  it('answers only for Istio documents', () => {
    const text = yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: a}
      spec:
        bogus: true
      ---
      apiVersion: install.istio.io/v1alpha1
      kind: IstioOperator
      spec: {anything: 1}
    `;
    expect(diagnose(text)).toEqual([]);
  });
});

describe('YAML input', () => {
  it('reports syntax errors in Istio documents and keeps analysing the others', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: "a}
      ---
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: b}
      spec:
        bogus: 1
    `;
    const ds = diagnose(text);
    expect(ds.some((d) => d.code === 'yaml-syntax' && d.line <= 3)).toBe(true);
    expect(ds.find((d) => d.code === 'IST0106' && d.text === 'bogus')).toMatchObject({ line: 8, text: 'bogus' });
  });

  it('follows anchors, aliases and merge keys', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: r}
      spec:
        host: r
        trafficPolicy: &policy
          loadBalancer: {simple: ROUND_ROBIN}
        subsets:
        - name: v1
          labels: &labels {version: v1}
          trafficPolicy: *policy
        - name: v2
          labels:
            <<: *labels
            version: v2
    `;
    expect(diagnose(text)).toEqual([]);
  });

  it('survives an alias bomb with a partial answer', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      );
    const text = `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspec:\n  selector: {app: x}\n  servers: []\n${levels.map((l) => '  ' + l.replace(': ', '_: ')).join('\n')}\n`;
    const ds = diagnose(text);
    expect(ds.length).toBeGreaterThan(0);
  });

  it('accepts empty documents', () => {
    expect(diagnose('---\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: a}\nspec: {host: a}\n---\n')).toEqual([]);
  });
});

describe('deprecated fields (IST0002)', () => {
  it('names the replacement', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: r}
      spec:
        hosts: [r]
        http:
        - route:
          - destination: {host: r}
          mirror: {host: r}
          mirrorPercent: 5
    `;
    const [d] = diagnose(text);
    expect(d).toMatchObject({ code: 'IST0002', severity: 'warning', line: 9, text: 'mirrorPercent', message: "'mirrorPercent' is deprecated: use `mirrorPercentage` instead." });
  });

  it("reports what istioctl's deprecation analyzer reports though the CRDs do not say it", () => {
    const vs = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: r}
      spec:
        hosts: [r]
        http:
        - fault:
            delay: {fixedDelay: 5s, percent: 10}
          route:
          - destination: {host: r}
    `;
    const sidecar = yaml`
      apiVersion: networking.istio.io/v1
      kind: Sidecar
      metadata: {name: s, namespace: shop}
      spec:
        outboundTrafficPolicy:
          mode: ALLOW_ANY
          egressProxy: {host: proxy.shop.svc.cluster.local, port: {number: 3128}}
    `;
    for (const version of ['1.29', '1.30', '1.31']) {
      expect(
        diagnose(vs, version)
          .filter((d) => d.code === 'IST0002')
          .map((d) => [d.text, d.message]),
      ).toEqual([['percent', "'percent' is deprecated: use `percentage` instead (`percentage: {value: 10}`)."]]);
      expect(
        diagnose(sidecar, version)
          .filter((d) => d.code === 'IST0002')
          .map((d) => [d.text, d.message]),
      ).toEqual([['egressProxy', "'egressProxy' is deprecated: Istio ignores it."]]);
    }
  });
});
