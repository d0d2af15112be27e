// The resolver: what hosts, subsets and Gateway references resolve to, with Istio's scoping.
import { describe, expect, it } from 'vitest';
import {
  destinationRuleFor,
  destinationRulesFor,
  gatewayReference,
  resolveGateway,
  resolveHost,
  resolveSubset,
  sameHost,
  serviceNamespaceOf,
  subsetNames,
  subsetsOf,
} from '../../server/src/workspace/resolve';
import { serviceWith, wsUri } from '../support';

const API: Record<string, string> = { Service: 'v1' };

function res(kind: string, namespace: string, name: string, spec: string): string {
  return `apiVersion: ${API[kind] ?? 'networking.istio.io/v1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${spec.replace(/^(?=.)/gm, '  ')}\n`;
}

const service = (namespace: string, name: string) => res('Service', namespace, name, 'ports: [{name: http, port: 80}]');
const rule = (namespace: string, name: string, host: string, subsets: string[], extra = '') =>
  res('DestinationRule', namespace, name, `host: ${host}\n${extra}subsets:\n${subsets.map((s) => `- {name: ${s}, labels: {version: ${s}}}`).join('\n')}`);
const gateway = (namespace: string, name: string) => res('Gateway', namespace, name, 'servers: []');

const indexOf = (files: Record<string, string>) => serviceWith(files).index;
const names = (entries: { name: string; namespace: string }[]) => entries.map((e) => `${e.namespace}/${e.name}`);

describe('resolveHost', () => {
  const index = indexOf({
    'svc.yaml': [service('shop', 'reviews'), service('pay', 'billing')].join('---\n'),
    'se.yaml': [res('ServiceEntry', 'shop', 'ext', 'hosts: [api.example.com]\nexportTo: [.]'), res('ServiceEntry', 'edge', 'wild', 'hosts: ["*.partner.io"]')].join('---\n'),
  });

  it('reads a short name in the namespace of the resource that writes it', () => {
    const found = resolveHost(index, 'reviews', 'shop');
    expect([found.fqdn, found.namespace, found.status, names(found.services)]).toEqual(['reviews.shop.svc.cluster.local', 'shop', 'found', ['shop/reviews']]);
    // The same text in another namespace is another host.
    expect(resolveHost(index, 'reviews', 'pay')).toMatchObject({ fqdn: 'reviews.pay.svc.cluster.local', status: 'missing', namespace: 'pay', services: [] });
  });

  it('takes FQDNs as written (lowercased) and does not expand name.namespace', () => {
    expect(resolveHost(index, 'Billing.Pay.svc.cluster.local', 'shop')).toMatchObject({ fqdn: 'billing.pay.svc.cluster.local', status: 'found' });
    expect(resolveHost(index, 'reviews.shop', 'pay')).toMatchObject({ fqdn: 'reviews.shop', namespace: undefined, status: 'outside-workspace' });
  });

  it('says missing only where the workspace defines the namespace’s Services', () => {
    expect(resolveHost(index, 'ratings', 'shop').status).toBe('missing');
    expect(resolveHost(index, 'ratings', 'elsewhere').status).toBe('outside-workspace');
    // Istio's own namespaces are installed, never all in the workspace.
    expect(resolveHost(index, 'istiod.istio-system.svc.cluster.local', 'shop').status).toBe('outside-workspace');
    // A wildcard is never proven missing.
    expect(resolveHost(index, '*.shop.svc.cluster.local', 'shop').status).toBe('found');
    expect(resolveHost(index, '*.pay.svc.cluster.local', 'shop').status).toBe('found');
    expect(resolveHost(index, '*.nothing.svc.cluster.local', 'shop').status).toBe('outside-workspace');
  });

  it('finds ServiceEntries by wildcard and honours exportTo', () => {
    expect(names(resolveHost(index, 'api.example.com', 'shop').serviceEntries)).toEqual(['shop/ext']);
    // Defined, but not for namespace pay: missing, with what hides it.
    const hidden = resolveHost(index, 'api.example.com', 'pay');
    expect([hidden.status, hidden.serviceEntries, names(hidden.hidden)]).toEqual(['missing', [], ['shop/ext']]);
    expect(names(resolveHost(index, 'eu.partner.io', 'shop').serviceEntries)).toEqual(['edge/wild']);
  });

  it('looks a host up from the namespaces the referrer is exported to (viewers), as istioctl does', () => {
    const scoped = indexOf({
      'svc.yaml': [
        service('shop', 'reviews'),
        res('Service', 'shop', 'internal', 'ports: [{port: 80}]').replace('namespace: shop', 'namespace: shop\n  annotations:\n    networking.istio.io/exportTo: " ., ops "'),
      ].join('---\n'),
      'se.yaml': res('ServiceEntry', 'shop', 'ext', 'hosts: [api.example.com]\nexportTo: [., ops]'),
    });
    // The Service annotation, comma-separated with spaces.
    expect(resolveHost(scoped, 'internal.shop.svc.cluster.local', 'ops').status).toBe('found');
    expect(resolveHost(scoped, 'internal.shop.svc.cluster.local', 'web')).toMatchObject({ status: 'missing', services: [] });
    // A referrer exported to web and ops sees what one of them sees; exported to all, only what is exported to all.
    expect(resolveHost(scoped, 'api.example.com', 'web', ['web', 'ops']).status).toBe('found');
    expect(resolveHost(scoped, 'api.example.com', 'shop', ['*']).status).toBe('missing');
    expect(resolveHost(scoped, 'reviews', 'shop', ['*']).status).toBe('found');
  });

  it('gives a host’s service namespace, and compares hosts written in two namespaces', () => {
    expect(serviceNamespaceOf(index, 'reviews', 'shop')).toBe('shop');
    expect(serviceNamespaceOf(index, '*.shop.svc.cluster.local', 'pay')).toBe('shop');
    expect(serviceNamespaceOf(index, 'api.example.com', 'shop')).toBeUndefined();
    expect(sameHost(index, 'reviews', 'shop', 'reviews.shop.svc.cluster.local', 'pay')).toBe(true);
    expect(sameHost(index, 'reviews', 'shop', 'reviews', 'pay')).toBe(false);
  });
});

describe('destinationRulesFor', () => {
  it('prefers the client’s namespace, then the service’s, then the root namespace', () => {
    const files = {
      'client.yaml': rule('front', 'client-side', 'reviews.shop.svc.cluster.local', ['c1']),
      'service.yaml': rule('shop', 'service-side', 'reviews', ['v1', 'v2']),
      'root.yaml': rule('istio-system', 'mesh-wide', 'reviews.shop.svc.cluster.local', ['r1']),
    };
    const index = indexOf(files);
    expect(names(destinationRulesFor(index, 'reviews.shop.svc.cluster.local', 'front'))).toEqual(['front/client-side']);
    expect(names(destinationRulesFor(index, 'reviews', 'shop'))).toEqual(['shop/service-side']);
    expect(names(destinationRulesFor(index, 'reviews.shop.svc.cluster.local', 'other'))).toEqual(['shop/service-side']);
    const withoutService = indexOf({ 'client.yaml': files['client.yaml'], 'root.yaml': files['root.yaml'] });
    expect(destinationRuleFor(withoutService, 'reviews.shop.svc.cluster.local', 'other')?.name).toBe('mesh-wide');
  });

  it('picks the most specific host and leaves out rules not exported to the client', () => {
    const index = indexOf({
      'dr.yaml': [rule('shop', 'all', '"*.shop.svc.cluster.local"', ['w']), rule('shop', 'exact', 'reviews', ['v1'])].join('---\n'),
      'private.yaml': rule('shop', 'private', 'ratings', ['p1'], 'exportTo: [.]\n'),
    });
    expect(names(destinationRulesFor(index, 'reviews', 'shop'))).toEqual(['shop/exact']);
    // A wildcard rule supplies the subsets of every host it matches.
    expect(names(destinationRulesFor(index, 'details.shop.svc.cluster.local', 'front'))).toEqual(['shop/all']);
    expect(names(destinationRulesFor(index, 'ratings', 'shop'))).toEqual(['shop/private']);
    expect(names(destinationRulesFor(index, 'ratings.shop.svc.cluster.local', 'front'))).toEqual(['shop/all']);
  });

  it('lists a rule’s subsets, named ones only', () => {
    const index = indexOf({ 'dr.yaml': res('DestinationRule', 'shop', 'r', 'host: reviews\nsubsets:\n- {name: v1}\n- {labels: {version: x}}\n- {name: v2}') });
    const found = destinationRuleFor(index, 'reviews', 'shop');
    expect(subsetNames(found)).toEqual(['v1', 'v2']);
    expect(subsetsOf(found ? [found] : []).map((s) => s.subset.name.value)).toEqual(['v1', 'v2']);
    expect(subsetNames(undefined)).toEqual([]);
  });
});

describe('resolveSubset', () => {
  const files = {
    'dr.yaml': rule('shop', 'reviews', 'reviews', ['v1', 'v2']),
    'svc.yaml': service('shop', 'reviews'),
  };

  it('finds the rule and subset', () => {
    const found = resolveSubset(indexOf(files), 'reviews', 'v2', 'shop');
    expect(found.status).toBe('found');
    if (found.status === 'found') expect([found.host, found.rule.name, found.subset.name.value, found.subset.labels]).toEqual(['reviews.shop.svc.cluster.local', 'reviews', 'v2', { version: 'v2' }]);
  });

  it('says what the applying rules define instead', () => {
    expect(resolveSubset(indexOf(files), 'reviews', 'v3', 'shop')).toMatchObject({ status: 'missing', host: 'reviews.shop.svc.cluster.local', defined: ['v1', 'v2'] });
  });

  it('tells a missing rule from one that may live in the cluster', () => {
    const index = indexOf(files);
    // The workspace holds the DestinationRules of shop: a rule for ratings would be there.
    expect(resolveSubset(index, 'ratings', 'v1', 'shop')).toMatchObject({ status: 'missing', rules: [], defined: [] });
    // The client's namespace has none, but the service's namespace does.
    expect(resolveSubset(index, 'ratings.shop.svc.cluster.local', 'v1', 'front')).toMatchObject({ status: 'missing', rules: [] });
    expect(resolveSubset(index, 'billing.pay.svc.cluster.local', 'v1', 'front')).toMatchObject({ status: 'outside-workspace', host: 'billing.pay.svc.cluster.local' });
  });
});

describe('resolveGateway', () => {
  const index = indexOf({ 'gw.yaml': [gateway('edge', 'public'), gateway('shop', 'local')].join('---\n') });

  it('reads `name` in the VirtualService’s namespace and `namespace/name` as written', () => {
    expect(resolveGateway(index, 'local', 'shop')).toMatchObject({ namespace: 'shop', name: 'local', status: 'found' });
    const found = resolveGateway(index, 'edge/public', 'shop');
    expect([found.status, found.namespace, found.name, found.gateways.map((g) => g.uri)]).toEqual(['found', 'edge', 'public', [wsUri('gw.yaml')]]);
    expect(resolveGateway(index, 'public', 'shop')).toMatchObject({ namespace: 'shop', name: 'public', status: 'missing', gateways: [] });
  });

  it('leaves Gateways of namespaces the workspace does not hold to the cluster', () => {
    expect(resolveGateway(index, 'istio-system/ingressgateway', 'shop').status).toBe('outside-workspace');
  });

  it('writes the reference back as a VirtualService of a namespace would', () => {
    for (const g of index.ofKind('Gateway')) expect(resolveGateway(index, gatewayReference(g, 'shop'), 'shop').gateways).toEqual([g]);
    expect(index.ofKind('Gateway').map((g) => gatewayReference(g, 'shop'))).toEqual(['edge/public', 'local']);
  });
});
