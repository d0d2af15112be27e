// A VirtualService bound to a Gateway API Gateway (gateway.networking.k8s.io): the index, the
// resolver, IST0101 and IST0132, navigation, completion and the traffic preview.
import { describe, expect, it } from 'vitest';
import { definition, prepareRename, references, rename } from '../../server/src/features/navigation';
import { simulateAt, trafficAt } from '../../server/src/features/traffic';
import { KUBERNETES_GATEWAY } from '../../server/src/workspace/index';
import { resolveGateway } from '../../server/src/workspace/resolve';
import { caret, contextWith, serviceWith, settings130, wsUri, yaml } from '../support';

type Files = Record<string, string>;

/** A Gateway API Gateway; each listener as `name:port[:hostname]`. */
function k8sGateway(namespace: string, name: string, listeners: string[], apiVersion = 'gateway.networking.k8s.io/v1'): string {
  const items = listeners.map((l) => {
    const [listener, port, hostname] = l.split(':');
    return `  - name: ${listener}\n    port: ${port}\n    protocol: HTTP\n${hostname ? `    hostname: "${hostname}"\n` : ''}`;
  });
  return `apiVersion: ${apiVersion}\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  gatewayClassName: istio\n  listeners:\n${items.join('')}`;
}

function istioGateway(namespace: string, name: string, hosts: string[]): string {
  return yaml`
    apiVersion: networking.istio.io/v1
    kind: Gateway
    metadata:
      name: ${name}
      namespace: ${namespace}
    spec:
      selector: {istio: ingressgateway}
      servers:
      - port: {number: 80, name: http, protocol: HTTP}
        hosts: [${hosts.map((h) => `"${h}"`).join(', ')}]
    `;
}

function virtualService(namespace: string, hosts: string[], gateways: string[]): string {
  return yaml`
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata:
      name: web
      namespace: ${namespace}
    spec:
      hosts: [${hosts.join(', ')}]
      gateways: [${gateways.join(', ')}]
      http:
      - route:
        - destination: {host: web.shop.svc.cluster.local}
    `;
}

/** Diagnoses `target` among `files`: `line code text-at-range message` for the codes asked. */
function check(files: Files, target: string, codes: string[]): string[] {
  const text = files[target];
  return serviceWith(files)
    .diagnoseDiskFile(wsUri(target), { istioVersion: '1.30', validate: true })
    .filter((p) => codes.includes(p.code))
    .map((p) => `${text.slice(0, p.start).split('\n').length} ${p.code} ${text.slice(p.start, p.end)} ${p.message}`);
}

describe('the index and the resolver', () => {
  const files = {
    'gw.yaml': k8sGateway('ingress', 'edge', ['http:80:shop.example.com']) + '---\n' + k8sGateway('ingress', 'old', ['http:80'], 'gateway.networking.k8s.io/v1beta1'),
    'alpha.yaml': k8sGateway('ingress', 'alpha', ['http:80'], 'gateway.networking.k8s.io/v1alpha2'),
    'istio.yaml': istioGateway('ingress', 'public', ['*/shop.example.com']),
  };

  it('indexes v1 and v1beta1 Gateways apart from Istio Gateways, with their listeners', () => {
    const index = contextWith(files).workspace;
    expect(index.ofKind('Gateway').map((g) => g.name)).toEqual(['public']);
    const k8s = index.ofKind(KUBERNETES_GATEWAY);
    expect(k8s.map((g) => g.name)).toEqual(['edge', 'old']);
    const [listener] = k8s[0].info.kubernetesGateway.listeners;
    expect({ ...listener, name: listener.name?.value, hostname: listener.hostname?.value, span: undefined }).toMatchObject({
      name: 'http',
      hostname: 'shop.example.com',
      port: 80,
      protocol: 'HTTP',
      allowedNamespaces: { from: 'Same', selector: undefined },
      span: undefined,
    });
    expect(index.ofKindIn(KUBERNETES_GATEWAY, 'ingress')).toHaveLength(2);
  });

  it('reads allowedRoutes.namespaces', () => {
    const gateway = yaml`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: edge, namespace: ingress}
      spec:
        listeners:
        - name: http
          port: 80
          protocol: HTTP
          allowedRoutes:
            namespaces:
              from: Selector
              selector:
                matchLabels: {shared-gateway: "true"}
      `;
    const [g] = contextWith({ 'gw.yaml': gateway }).workspace.ofKind(KUBERNETES_GATEWAY);
    expect(g.info.kubernetesGateway.listeners[0].allowedNamespaces).toMatchObject({ from: 'Selector', selector: { 'shared-gateway': 'true' } });
  });

  it('resolves a reference to a Gateway API Gateway; an Istio Gateway of the same name wins, as in istioctl', () => {
    const index = contextWith({ ...files, 'twin.yaml': k8sGateway('ingress', 'public', ['http:80']) }).workspace;
    const edge = resolveGateway(index, 'ingress/edge', 'shop');
    expect([edge.status, edge.gateways.length, edge.kubernetesGateways.map((g) => g.name)]).toEqual(['found', 0, ['edge']]);
    const twin = resolveGateway(index, 'ingress/public', 'shop');
    expect([twin.status, twin.gateways.map((g) => g.name), twin.kubernetesGateways.length]).toEqual(['found', ['public'], 0]);
  });

  it('says missing when the namespace holds Gateways of either API but not this one', () => {
    const onlyK8s = contextWith({ 'gw.yaml': files['gw.yaml'] }).workspace;
    expect(resolveGateway(onlyK8s, 'ingress/nope', 'shop').status).toBe('missing');
    expect(resolveGateway(onlyK8s, 'elsewhere/edge', 'shop').status).toBe('outside-workspace');
    // A Gateway of an API version that does not serve Gateway is not one.
    expect(resolveGateway(contextWith({ 'alpha.yaml': files['alpha.yaml'] }).workspace, 'ingress/alpha', 'shop').status).toBe('outside-workspace');
  });
});

describe('IST0101 on a Gateway API Gateway reference', () => {
  it('is not raised for an existing Gateway API Gateway, by ns/name or by name', () => {
    const files = {
      'gw.yaml': k8sGateway('shop', 'edge', ['http:80']) + '---\n' + istioGateway('shop', 'public', ['shop.example.com']),
      'vs.yaml': virtualService('shop', ['shop.example.com'], ['edge', 'shop/edge']),
    };
    expect(check(files, 'vs.yaml', ['IST0101', 'istio-reference-outside-workspace'])).toEqual([]);
  });

  it('is raised for a missing one, suggesting the Gateway API Gateway', () => {
    const files = { 'gw.yaml': k8sGateway('ingress', 'edge', ['http:80']), 'vs.yaml': virtualService('shop', ['shop.example.com'], ['ingress/edge-gw']) };
    expect(check(files, 'vs.yaml', ['IST0101'])).toEqual(["8 IST0101 ingress/edge-gw Gateway ingress/edge-gw not found. Did you mean 'ingress/edge'?"]);
  });

  it('reports nothing on the Gateway API Gateway itself', () => {
    const files = { 'gw.yaml': k8sGateway('ingress', 'edge', ['http:80:shop.example.com']), 'vs.yaml': virtualService('shop', ['shop.example.com'], ['ingress/edge']) };
    expect(serviceWith(files).diagnoseDiskFile(wsUri('gw.yaml'), settings130)).toEqual([]);
  });
});

describe('IST0132 on a Gateway API Gateway', () => {
  const gw = k8sGateway('ingress', 'edge', ['api:80:api.example.com', 'shop:80:*.shop.example.com']);

  it('is raised when no listener hostname takes a host, at the reference, naming the listeners', () => {
    const files = { 'gw.yaml': gw, 'vs.yaml': virtualService('shop', ['shop.example.com', 'example.org'], ['ingress/edge']) };
    expect(check(files, 'vs.yaml', ['IST0132'])).toEqual([
      "8 IST0132 ingress/edge Gateway API Gateway ingress/edge accepts none of this VirtualService's hosts (shop.example.com, example.org); its listeners accept api.example.com, *.shop.example.com.",
    ]);
  });

  it('takes names any number of labels under a wildcard hostname, and a wildcard host overlapping one', () => {
    for (const host of ['a.shop.example.com', 'a.b.shop.example.com', '"*.example.com"', '"*"']) {
      const files = { 'gw.yaml': gw, 'vs.yaml': virtualService('shop', [host], ['ingress/edge']) };
      expect(check(files, 'vs.yaml', ['IST0132']), host).toEqual([]);
    }
  });

  it('takes every host when a listener has no hostname', () => {
    const files = { 'gw.yaml': k8sGateway('ingress', 'edge', ['api:80:api.example.com', 'any:8080']), 'vs.yaml': virtualService('shop', ['example.org'], ['ingress/edge']) };
    expect(check(files, 'vs.yaml', ['IST0132'])).toEqual([]);
  });

  it('ignores allowedRoutes, as istioctl: the namespaces a listener admits do not count for a VirtualService', () => {
    // from: Same (the default) would admit routes of namespace ingress only; the VirtualService is in shop.
    const files = { 'gw.yaml': k8sGateway('ingress', 'edge', ['http:80:shop.example.com']), 'vs.yaml': virtualService('shop', ['shop.example.com'], ['ingress/edge']) };
    expect(check(files, 'vs.yaml', ['IST0132'])).toEqual([]);
  });

  it('checks the Istio Gateway when both APIs have one of that name', () => {
    const files = {
      'gw.yaml': k8sGateway('ingress', 'edge', ['http:80']) + '---\n' + istioGateway('ingress', 'edge', ['*/api.example.com']),
      'vs.yaml': virtualService('shop', ['shop.example.com'], ['ingress/edge']),
    };
    expect(check(files, 'vs.yaml', ['IST0132'])).toEqual([
      "8 IST0132 ingress/edge Gateway ingress/edge accepts none of this VirtualService's hosts (shop.example.com); its servers accept */api.example.com.",
    ]);
  });
});

describe('navigation and completion', () => {
  const gwText = k8sGateway('ingress', 'edge', ['http:80:shop.example.com']);
  const vsText = virtualService('shop', ['shop.example.com'], ['ingress/edge']);

  it('goes from the reference to the Gateway API Gateway, and finds the references from its name', () => {
    const { text, offset } = caret(vsText.replace('ingress/edge', 'ingress/ed|ge'));
    const ctx = contextWith({ 'gw.yaml': gwText, 'vs.yaml': text });
    const shown = (list: { uri: string; start: number; end: number }[]) => list.map((l) => `${l.uri.slice(11)}:${(l.uri.endsWith('gw.yaml') ? gwText : text).slice(l.start, l.end)}`);
    expect(shown(definition(ctx, wsUri('vs.yaml'), offset))).toEqual(['gw.yaml:edge']);
    const nameOffset = gwText.indexOf('name: edge') + 'name: '.length + 1;
    expect(shown(references(ctx, wsUri('gw.yaml'), nameOffset, true))).toEqual(['gw.yaml:edge', 'vs.yaml:ingress/edge']);
  });

  it('renames a Gateway API Gateway from a VirtualService reference: its name and the reference', () => {
    const { text, offset } = caret(vsText.replace('ingress/edge', 'ingress/ed|ge'));
    const ctx = contextWith({ 'gw.yaml': gwText, 'vs.yaml': text });
    expect(prepareRename(ctx, wsUri('vs.yaml'), offset)?.placeholder).toBe('edge');
    const edits = rename(ctx, wsUri('vs.yaml'), offset, 'front');
    if (typeof edits === 'string') throw new Error(edits);
    expect(edits.map((e) => `${e.uri.slice(11)}:${(e.uri.endsWith('gw.yaml') ? gwText : text).slice(e.start, e.end)}→${e.newText}`).sort()).toEqual(['gw.yaml:edge→front', 'vs.yaml:edge→front']);
  });

  it('offers Gateway API Gateways among the gateways values', () => {
    const service = serviceWith({ 'gw.yaml': gwText + '---\n' + istioGateway('shop', 'public', ['*']) });
    const { text, offset } = caret(vsText.replace('gateways: [ingress/edge]', 'gateways:\n  - |'));
    service.open(wsUri('vs.yaml'), 1, text);
    const items = service.complete(wsUri('vs.yaml'), offset, settings130)?.items ?? [];
    expect(items.map((i) => [i.label, i.detail])).toEqual([
      ['mesh', 'the sidecars of the mesh'],
      ['public', 'Gateway (shop)'],
      ['ingress/edge', 'Gateway API Gateway (ingress)'],
    ]);
  });
});

describe('the traffic preview', () => {
  it('models and simulates a VirtualService bound to a Gateway API Gateway by the name written', () => {
    const vsText = virtualService('shop', ['shop.example.com'], ['ingress/edge']);
    const ctx = contextWith({ 'gw.yaml': k8sGateway('ingress', 'edge', ['http:80']), 'vs.yaml': vsText });
    const offset = vsText.indexOf('hosts');
    expect(trafficAt(ctx, wsUri('vs.yaml'), offset).model?.gateways).toEqual(['ingress/edge']);
    expect(simulateAt(ctx, wsUri('vs.yaml'), offset, { authority: 'shop.example.com', path: '/', gateway: 'ingress/edge' }).route).toBe(0);
    expect(trafficAt(ctx, wsUri('gw.yaml'), 5)).toEqual({ problems: [] });
  });
});
