// Gateway API documents are ours at the schema level: identity diagnostics, CEL rules on the
// right line, completion of apiVersion, kind, keys and values, hover with the Gateway API
// reference, document symbols; and no Istio-only check fires on a Gateway API `Gateway`.
import { describe, expect, it } from 'vitest';
import { documentSymbols } from '../../server/src/features/symbols';
import { ResourceDocument } from '../../server/src/model/resource';
import { caret, contextWith, diagnose, newService, problemsOf, settings130, wsUri, yaml } from '../support';

const service = newService();

function completeAt(textWithCaret: string) {
  const { text, offset } = caret(textWithCaret);
  service.open('file:///c.yaml', 1, text);
  const result = service.complete('file:///c.yaml', offset, settings130);
  return { labels: result?.items.map((i) => i.label) ?? [], item: (label: string) => result?.items.find((i) => i.label === label) };
}

function hoverAt(textWithCaret: string) {
  const { text, offset } = caret(textWithCaret);
  service.open('file:///h.yaml', 1, text);
  return service.hover('file:///h.yaml', offset, settings130)?.markdown ?? '';
}

const ROUTE = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews\nspec:\n';

describe('the "ours" flags', () => {
  const doc = (apiVersion: string) => ResourceDocument.parse({ start: 0, text: `apiVersion: ${apiVersion}\nkind: X\n` } as never);

  it('tell Istio and Gateway API documents apart', () => {
    expect(doc('gateway.networking.k8s.io/v1')).toMatchObject({ isIstio: false, isGatewayApi: true, isOurs: true });
    expect(doc('gateway.networking.x-k8s.io/v1alpha1')).toMatchObject({ isIstio: false, isGatewayApi: true, isOurs: true });
    expect(doc('networking.istio.io/v1')).toMatchObject({ isIstio: true, isGatewayApi: false, isOurs: true });
    expect(doc('apps/v1')).toMatchObject({ isIstio: false, isGatewayApi: false, isOurs: false });
  });
});

describe('identity diagnostics of Gateway API documents', () => {
  const identity = (text: string) =>
    diagnose(text)
      .filter((d) => d.severity !== 'hint')
      .map((d) => ({ code: d.code, line: d.line, text: d.text, message: d.message }));

  it('an unknown kind, with the closest one', () => {
    const [d] = identity('apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoutes\nmetadata: {name: r}\nspec: {}\n');
    expect(d).toMatchObject({ code: 'istio-unknown-kind', line: 1, text: 'HTTPRoutes' });
    expect(d.message).toContain("Did you mean 'HTTPRoute'?");
    expect(d.message).toContain('gateway.networking.k8s.io (the Gateway API v1.5.1)');
  });

  it('an apiVersion the bundle does not serve for the kind (v1.5.1 has no v1alpha2 HTTPRoute)', () => {
    const [d] = identity('apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: HTTPRoute\nmetadata: {name: r}\nspec: {}\n');
    expect(d).toMatchObject({ code: 'istio-unsupported-api-version', line: 0 });
    expect(d.message).toBe(
      'The Gateway API v1.5.1 does not serve gateway.networking.k8s.io/v1alpha2 for HTTPRoute. Valid apiVersions: gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1.',
    );
  });

  it('the move-to-v1 hint only where the kind has v1', () => {
    expect(identity('apiVersion: gateway.networking.k8s.io/v1beta1\nkind: HTTPRoute\nmetadata: {name: r}\nspec: {}\n').map((d) => d.code)).toEqual(['istio-older-api-version']);
    const tcp = yaml`
      apiVersion: gateway.networking.k8s.io/v1alpha2
      kind: TCPRoute
      metadata: {name: r}
      spec:
        rules:
        - backendRefs: [{name: db, port: 5432}]
    `;
    expect(identity(tcp)).toEqual([]);
  });

  it('a kind of the other API: HTTPRoute is not networking.istio.io, and Istio Gateway fields are not the Gateway API', () => {
    const [d] = identity('apiVersion: networking.istio.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec: {}\n');
    expect(d.message).toContain('HTTPRoute belongs to gateway.networking.k8s.io');
    const gw = identity(
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  gatewayClassName: istio\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n  servers: []\n',
    );
    expect(gw.map((p) => [p.line, p.text])).toEqual([[6, 'servers']]);
  });

  it('a misspelt Gateway API group is ours, with the right one suggested', () => {
    const [d] = identity('apiVersion: gateway.networking.k8.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec: {}\n');
    expect(d.message).toContain('HTTPRoute belongs to gateway.networking.k8s.io');
  });
});

describe('CEL rules of the Gateway API, on the right line', () => {
  const cases: [string, string, number, string, RegExp][] = [
    [
      'TLSRoute v1: no IP hostnames',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata: {name: t}\nspec:\n  hostnames:\n  - 10.0.0.1\n  rules:\n  - backendRefs: [{name: db, port: 8443}]\n',
      4,
      'hostnames',
      /cannot contain an IP/,
    ],
    ['HTTPRoute: duplicate rule names', `${ROUTE}  rules:\n  - name: a\n    backendRefs: [{name: r, port: 80}]\n  - name: a\n    backendRefs: [{name: r, port: 80}]\n`, 5, 'rules', /unique/i],
    [
      'Gateway: a TLS listener without a mode',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - name: tls\n    port: 443\n    protocol: TLS\n',
      5,
      'listeners',
      /Tls mode must be set for protocol TLS/,
    ],
  ];

  it.each(cases)('%s', (_name, text, line, at, message) => {
    const problems = diagnose(text).filter((d) => d.code === 'IST0106');
    expect(problems.map((p) => [p.line, p.text])).toEqual([[line, at]]);
    expect(problems[0].message).toMatch(message);
  });

  it('says what a Gateway API duration looks like', () => {
    const [d] = diagnose(`${ROUTE}  rules:\n  - timeouts:\n      request: 10sec\n`);
    expect(d).toMatchObject({ line: 7, text: '10sec' });
    expect(d.message).toBe("'10sec' is not a Gateway API duration: one to four parts of a number (at most 5 digits) and a unit h, m, s or ms, e.g. 10s, 1m30s, 500ms.");
  });

  it("reads a parentRef's namespace as the rules name it (`__namespace__`): the same Gateway name in two namespaces is two parents", () => {
    const refs = (b: string) => `${ROUTE}  parentRefs:\n  - {name: gw, namespace: a}\n  - {name: gw, namespace: ${b}}\n`;
    expect(diagnose(refs('b')).filter((d) => d.code === 'IST0106')).toEqual([]);
    expect(
      diagnose(refs('a'))
        .filter((d) => d.code === 'IST0106')
        .map((d) => d.message),
    ).toEqual([expect.stringMatching(/must be unique/)]);
  });

  it('applies defaults before the rules, as the API server does (a path match without type is a PathPrefix)', () => {
    expect(diagnose(`${ROUTE}  rules:\n  - matches:\n    - path: {value: /api}\n`)).toEqual([]);
    expect(diagnose(`${ROUTE}  rules:\n  - matches:\n    - path: {value: api}\n`).map((d) => d.line)).toEqual([7]);
  });
});

describe('Istio-only checks and Gateway API documents', () => {
  it('an Istio check keyed by kind does not fire on a Gateway API Gateway', () => {
    const gatewayApi = yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: public.gateway
        namespace: ingress
      spec:
        gatewayClassName: istio
        listeners:
        - name: http
          port: 80
          protocol: HTTP
    `;
    expect(problemsOf({ 'gw.yaml': gatewayApi }, 'gw.yaml').filter((p) => p.severity === 'error')).toEqual([]);
    // The same name on an Istio Gateway is what Istio's webhook rejects: the check exists.
    const istio = yaml`
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: public.gateway
        namespace: ingress
      spec:
        selector: {istio: ingressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*"]
    `;
    expect(problemsOf({ 'gw.yaml': istio }, 'gw.yaml').map((p) => p.message)).toContainEqual(expect.stringContaining("Invalid Gateway name 'public.gateway'"));
  });
});

describe('completion in Gateway API documents', () => {
  it('offers the Gateway API apiVersions next to Istio', () => {
    const { labels, item } = completeAt('apiVersion: |\n');
    expect(labels).toContain('networking.istio.io/v1');
    expect(labels).toContain('gateway.networking.k8s.io/v1');
    expect(labels).toContain('gateway.networking.x-k8s.io/v1alpha1');
    expect(item('gateway.networking.k8s.io/v1')?.detail).toContain('HTTPRoute');
  });

  it('offers the kinds of the apiVersion', () => {
    expect(completeAt('apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: |\n').labels.sort()).toEqual(['TCPRoute', 'TLSRoute', 'UDPRoute']);
    expect(completeAt('apiVersion: gateway.networking.k8s.io/v1\nkind: |\n').labels).toContain('HTTPRoute');
  });

  it('offers the keys of an HTTPRoute rule and a backendRef', () => {
    const rule = completeAt(`${ROUTE}  rules:\n  - |\n`).labels;
    expect(rule).toEqual(expect.arrayContaining(['matches', 'filters', 'backendRefs', 'timeouts', 'retry']));
    const backend = completeAt(`${ROUTE}  rules:\n  - backendRefs:\n    - name: reviews\n      |\n`).labels;
    expect(backend).toEqual(expect.arrayContaining(['port', 'weight', 'namespace', 'filters']));
    expect(backend).not.toContain('name');
  });

  it('offers enum values', () => {
    expect(completeAt(`${ROUTE}  rules:\n  - matches:\n    - path:\n        type: |\n`).labels.sort()).toEqual(['Exact', 'PathPrefix', 'RegularExpression']);
    expect(completeAt(`${ROUTE}  rules:\n  - filters:\n    - type: |\n`).labels).toContain('RequestHeaderModifier');
  });
});

describe('hover in Gateway API documents', () => {
  it("shows the field's description and links to its type on the Gateway API reference", () => {
    const md = hoverAt(`${ROUTE}  rules:\n  - backendRefs:\n    - name: reviews\n      wei|ght: 10\n`);
    expect(md).toContain('**weight** `integer');
    expect(md).toMatch(/proportion of requests/i);
    expect(md).toContain('[Gateway API reference: HTTPRoute](https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref)');
  });

  it('links by the holder of the field where one key holds several types', () => {
    expect(hoverAt(`${ROUTE}  rules:\n  - matches:\n    - path:\n        ty|pe: Exact\n`)).toContain('/reference/spec/#httppathmatch');
    expect(hoverAt(`${ROUTE}  rules:\n  - filters:\n    - type: URLRewrite\n      urlRewrite:\n        path:\n          ty|pe: ReplaceFullPath\n`)).toContain('/reference/spec/#httppathmodifier');
    expect(hoverAt(`${ROUTE}  host|names: [a.example.com]\n`)).toContain('/reference/spec/#httproutespec');
    expect(hoverAt(`${ROUTE.replace('spec:', 'sp|ec:')}  hostnames: [a]\n`)).toContain('/reference/spec/#httproute)');
  });

  it('links experimental kinds to the specx page', () => {
    const md = hoverAt('apiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XMesh\nmetadata: {name: m}\nspec:\n  controller|Name: istio.io/mesh\n');
    expect(md).toContain('https://gateway-api.sigs.k8s.io/reference/specx/#meshspec');
  });
});

describe('document symbols of Gateway API documents', () => {
  it('gives `HTTPRoute reviews` with its structure', () => {
    const text = `${ROUTE.replace('  name: reviews\n', '  name: reviews\n  namespace: shop\n')}  parentRefs:\n  - name: public\n  rules:\n  - backendRefs:\n    - name: reviews\n      port: 9080\n`;
    const symbols = documentSymbols(contextWith({ 'r.yaml': text }), wsUri('r.yaml'));
    expect(symbols.map((s) => s.name)).toEqual(['HTTPRoute reviews']);
    expect(symbols[0].detail).toBe('gateway.networking.k8s.io/v1 · shop');
    const spec = symbols[0].children.find((c) => c.name === 'spec')!;
    expect(spec.children.map((c) => c.name)).toEqual(['parentRefs', 'rules']);
  });
});
