// Gateway API Gateways: KIA1501 (same host and port), KIA1502 (same address), KIA1503 (listeners
// Istio marks Conflicted, across ListenerSets too), KIA1504 and its neighbours (gatewayClassName),
// and what Istio does not accept on a listener (istio-gateway-api-unsupported).
import { describe, expect, it } from 'vitest';
import { quickFixes } from '../../server/src/features/quickFixes';
import { contextWith, problemsOf, wsUri } from '../support';

const CODES = ['KIA1501', 'KIA1502', 'KIA1503', 'KIA1504', 'istio-gateway-class-foreign', 'istio-reference-outside-workspace', 'istio-gateway-api-unsupported'];

interface ListenerSpec {
  name: string;
  port?: number;
  protocol?: string;
  hostname?: string;
  tls?: string;
}

function listenerYaml(listeners: ListenerSpec[]): string {
  return listeners
    .map(
      (l) =>
        `  - name: ${l.name}\n${l.port !== undefined ? `    port: ${l.port}\n` : ''}    protocol: ${l.protocol ?? 'HTTP'}\n${l.hostname ? `    hostname: "${l.hostname}"\n` : ''}${
          l.tls ? `    tls:\n      mode: ${l.tls}\n      certificateRefs:\n      - name: cert\n` : ''
        }`,
    )
    .join('');
}

function gateway(name: string, listeners: ListenerSpec[], opts: { namespace?: string; className?: string; extra?: string } = {}): string {
  return `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${opts.namespace ?? 'edge'}\nspec:\n  gatewayClassName: ${opts.className ?? 'istio'}\n${opts.extra ?? ''}  listeners:\n${listenerYaml(listeners)}`;
}

function listenerSet(name: string, parent: string, listeners: ListenerSpec[], opts: { namespace?: string; created?: string } = {}): string {
  const created = opts.created ? `  creationTimestamp: "${opts.created}"\n` : '';
  return `apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata:\n  name: ${name}\n  namespace: ${opts.namespace ?? 'edge'}\n${created}spec:\n  parentRef:\n    name: ${parent}\n    namespace: edge\n  listeners:\n${listenerYaml(listeners)}`;
}

/** `line code text` of the problems of `target` with our codes. */
function found(files: Record<string, string>, target: string, codes = CODES): string[] {
  return problemsOf(files, target, codes).map((p) => `${p.line} ${p.code} ${p.text}`);
}

function messages(files: Record<string, string>, target: string, code: string): string[] {
  return problemsOf(files, target, [code]).map((p) => p.message);
}

const ALLOW_ALL = '  allowedListeners:\n    namespaces:\n      from: All\n';

describe('KIA1503: listeners Istio marks Conflicted', () => {
  it('flags a ListenerSet listener that repeats a Gateway listener (port, protocol, hostname), naming the winner', () => {
    const files = {
      'gw.yaml': gateway('gw', [{ name: 'http', port: 80, hostname: 'shop.example.com' }], { extra: ALLOW_ALL }),
      'ls.yaml': listenerSet('team', 'gw', [{ name: 'shop', port: 80, hostname: 'shop.example.com' }], { namespace: 'team' }),
    };
    expect(found(files, 'ls.yaml')).toEqual(['10 KIA1503 shop']);
    expect(messages(files, 'ls.yaml', 'KIA1503')[0]).toContain("listener 'http' of Gateway edge/gw");
    expect(found(files, 'gw.yaml')).toEqual([]);
  });

  it('does not count a ListenerSet the Gateway does not allow (allowedListeners defaults to none)', () => {
    const files = {
      'gw.yaml': gateway('gw', [{ name: 'http', port: 80, hostname: 'shop.example.com' }]),
      'ls.yaml': listenerSet('team', 'gw', [{ name: 'shop', port: 80, hostname: 'shop.example.com' }], { namespace: 'team' }),
    };
    expect(found(files, 'ls.yaml')).toEqual([]);
  });

  it('orders ListenerSets by creationTimestamp, then namespace/name', () => {
    const ls = (name: string, created?: string) => listenerSet(name, 'gw', [{ name: 'l', port: 8080, hostname: 'a.example.com' }], { created });
    const base = { 'gw.yaml': gateway('gw', [{ name: 'http', port: 80 }], { extra: ALLOW_ALL }) };
    expect(found({ ...base, 'a.yaml': ls('a'), 'b.yaml': ls('b') }, 'b.yaml')).toEqual(['10 KIA1503 l']);
    expect(found({ ...base, 'a.yaml': ls('a'), 'b.yaml': ls('b') }, 'a.yaml')).toEqual([]);
    const older = { ...base, 'a.yaml': ls('a', '2024-05-01T00:00:00Z'), 'b.yaml': ls('b', '2023-01-01T00:00:00Z') };
    expect(found(older, 'a.yaml')).toEqual(['11 KIA1503 l']);
    expect(found(older, 'b.yaml')).toEqual([]);
  });

  it("flags an HTTP and an HTTPS listener on one port without hostnames (Istio's rule, which the CRD's does not catch)", () => {
    const files = {
      'gw.yaml': gateway('gw', [
        { name: 'http', port: 8443 },
        { name: 'https', port: 8443, protocol: 'HTTPS', tls: 'Terminate' },
      ]),
    };
    expect(found(files, 'gw.yaml')).toEqual(['11 KIA1503 https']);
    expect(messages(files, 'gw.yaml', 'KIA1503')[0]).toContain('ProtocolConflict');
  });

  it('leaves the exact repeat within one list to the CRD rule (no double report) and accepts distinct hostnames', () => {
    const same = {
      'gw.yaml': gateway('gw', [
        { name: 'a', port: 80 },
        { name: 'b', port: 80 },
      ]),
    };
    expect(found(same, 'gw.yaml')).toEqual([]);
    const distinct = {
      'gw.yaml': gateway('gw', [
        { name: 'a', port: 443, protocol: 'HTTPS', hostname: 'a.example.com', tls: 'Terminate' },
        { name: 'b', port: 443, protocol: 'TLS', hostname: 'b.example.com', tls: 'Passthrough' },
      ]),
    };
    expect(found(distinct, 'gw.yaml')).toEqual([]);
  });

  it('does not compute conflicts for a class without ListenerSets (waypoints)', () => {
    const files = {
      'gw.yaml': gateway(
        'gw',
        [
          { name: 'a', port: 15008, protocol: 'HBONE' },
          { name: 'b', port: 15008, protocol: 'TCP' },
        ],
        { className: 'istio-waypoint' },
      ),
    };
    expect(found(files, 'gw.yaml', ['KIA1503'])).toEqual([]);
  });
});

describe('KIA1501 and KIA1502: Gateways that claim the same host and port, or address', () => {
  it('flags two Gateways (any namespace) with a listener for the same hostname, port and protocol', () => {
    const files = {
      'a.yaml': gateway('a', [{ name: 'http', port: 80, hostname: 'shop.example.com' }]),
      'b.yaml': gateway('b', [{ name: 'http', port: 80, hostname: 'shop.example.com' }], { namespace: 'other' }),
    };
    expect(found(files, 'a.yaml')).toEqual(['11 KIA1501 "shop.example.com"']);
    expect(messages(files, 'a.yaml', 'KIA1501')[0]).toContain('other/b');
    expect(found(files, 'b.yaml')).toEqual(['11 KIA1501 "shop.example.com"']);
  });

  it('does not compare another port, protocol or hostname, listeners without hostname, or one Gateway written twice', () => {
    const files = {
      'a.yaml': gateway('a', [
        { name: 'http', port: 80, hostname: 'shop.example.com' },
        { name: 'all', port: 8080 },
      ]),
      'b.yaml': gateway('b', [
        { name: 'http', port: 8081, hostname: 'shop.example.com' },
        { name: 'all', port: 8080 },
        { name: 'other', port: 80, hostname: 'www.example.com' },
      ]),
      'a-v2.yaml': gateway('a', [{ name: 'http', port: 80, hostname: 'shop.example.com' }]),
    };
    expect(found(files, 'a.yaml')).toEqual([]);
    expect(found(files, 'b.yaml')).toEqual([]);
  });

  it('flags two Gateways asking for the same address, not for different types or values', () => {
    const addr = (type: string, value: string) => `  addresses:\n  - type: ${type}\n    value: ${value}\n`;
    const files = {
      'a.yaml': gateway('a', [{ name: 'http', port: 80 }], { extra: addr('IPAddress', '10.0.0.1') }),
      'b.yaml': gateway('b', [{ name: 'http', port: 81 }], { extra: addr('IPAddress', '10.0.0.1') }),
      'c.yaml': gateway('c', [{ name: 'http', port: 82 }], { extra: addr('Hostname', '10.0.0.1') }),
    };
    expect(found(files, 'a.yaml')).toEqual(['9 KIA1502 10.0.0.1']);
    expect(found(files, 'c.yaml')).toEqual([]);
  });
});

describe('KIA1504: gatewayClassName', () => {
  const gw = (className: string) => gateway('gw', [{ name: 'http', port: 80 }], { className });
  const gatewayClass = (name: string, controller: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: ${name}\nspec:\n  controllerName: ${controller}\n`;

  it("accepts Istio's classes and a workspace class of Istio's controller", () => {
    for (const name of ['istio', 'istio-waypoint', 'istio-east-west', 'istio-remote']) expect(found({ 'gw.yaml': gw(name) }, 'gw.yaml', ['KIA1504', 'istio-reference-outside-workspace'])).toEqual([]);
    expect(found({ 'gw.yaml': gw('internal'), 'gc.yaml': gatewayClass('internal', 'istio.io/gateway-controller') }, 'gw.yaml')).toEqual([]);
  });

  it('flags a typo of an Istio class with a quick fix to it', () => {
    const files = { 'gw.yaml': gw('itsio') };
    expect(found(files, 'gw.yaml')).toEqual(['6 KIA1504 itsio']);
    const ctx = contextWith(files);
    const problem = ctx.workspace && problemsOf(files, 'gw.yaml', ['KIA1504'])[0];
    const fixes = quickFixes(ctx, wsUri('gw.yaml'), [problem!]);
    expect(fixes.find((f) => f.isPreferred)?.title).toBe("Change to 'istio'");
    expect(fixes.find((f) => f.isPreferred)?.edits[0].newText).toBe('istio');
  });

  it('flags a class no GatewayClass of the workspace defines when it defines some, else only hints', () => {
    expect(found({ 'gw.yaml': gw('nginx'), 'gc.yaml': gatewayClass('eg', 'gateway.envoyproxy.io/gatewayclass-controller') }, 'gw.yaml')).toEqual(['6 KIA1504 nginx']);
    expect(found({ 'gw.yaml': gw('nginx') }, 'gw.yaml')).toEqual(['6 istio-reference-outside-workspace nginx']);
  });

  it("warns that Istio ignores a Gateway whose class is another controller's, naming it", () => {
    const files = { 'gw.yaml': gw('eg'), 'gc.yaml': gatewayClass('eg', 'gateway.envoyproxy.io/gatewayclass-controller') };
    expect(found(files, 'gw.yaml')).toEqual(['6 istio-gateway-class-foreign eg']);
    expect(messages(files, 'gw.yaml', 'istio-gateway-class-foreign')[0]).toContain("'gateway.envoyproxy.io/gatewayclass-controller'");
  });
});

describe('listeners Istio does not accept', () => {
  it('flags UDP, a lower-case protocol and HBONE on an ingress Gateway', () => {
    const files = {
      'gw.yaml': gateway('gw', [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'web', port: 80, protocol: 'http' },
        { name: 'mesh', port: 15008, protocol: 'HBONE' },
      ]),
    };
    expect(found(files, 'gw.yaml')).toEqual(['10 istio-gateway-api-unsupported UDP', '13 istio-gateway-api-unsupported http', '16 istio-gateway-api-unsupported HBONE']);
    expect(messages(files, 'gw.yaml', 'istio-gateway-api-unsupported')[1]).toContain("'HTTP' (upper case)");
  });

  it("flags a waypoint listener other than 15008/HBONE, and leaves another controller's Gateway alone", () => {
    expect(
      found(
        {
          'gw.yaml': gateway(
            'gw',
            [
              { name: 'mesh', port: 15008, protocol: 'HBONE' },
              { name: 'http', port: 80 },
            ],
            { className: 'istio-waypoint' },
          ),
        },
        'gw.yaml',
      ),
    ).toEqual(['13 istio-gateway-api-unsupported HTTP']);
    expect(found({ 'gw.yaml': gateway('gw', [{ name: 'dns', port: 53, protocol: 'UDP' }], { className: 'cilium' }) }, 'gw.yaml', ['istio-gateway-api-unsupported'])).toEqual([]);
  });

  it('flags an HTTPS listener of a ListenerSet without tls', () => {
    const files = {
      'gw.yaml': gateway('gw', [{ name: 'http', port: 80 }], { extra: ALLOW_ALL }),
      'ls.yaml': listenerSet('team', 'gw', [{ name: 'secure', protocol: 'HTTPS', hostname: 'a.example.com' }]),
    };
    expect(found(files, 'ls.yaml')).toEqual(['11 istio-gateway-api-unsupported HTTPS']);
  });
});

describe('istio-listenerset-not-accepted: a ListenerSet its Gateway does not accept', () => {
  const NOT_ACCEPTED = ['istio-listenerset-not-accepted'];
  const ls = (namespace: string) => listenerSet('team', 'gw', [{ name: 'shop', port: 8080, hostname: 'shop.example.com' }], { namespace });
  const namespaceDoc = (name: string, labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: {${labels}}\n`;
  const fromSelector = '  allowedListeners:\n    namespaces:\n      from: Selector\n      selector:\n        matchLabels: {shared-gateway: "true"}\n';

  it('flags a Gateway without allowedListeners (none by default), on the parentRef name', () => {
    const files = { 'gw.yaml': gateway('gw', [{ name: 'http', port: 80 }]), 'ls.yaml': ls('team') };
    expect(found(files, 'ls.yaml', NOT_ACCEPTED)).toEqual(['7 istio-listenerset-not-accepted gw']);
    expect(messages(files, 'ls.yaml', 'istio-listenerset-not-accepted')[0]).toBe(
      "Gateway edge/gw does not accept ListenerSets from namespace team: it has no spec.allowedListeners, which defaults to none. Istio programs none of this ListenerSet's listeners; set allowedListeners.namespaces.from on the Gateway (Same, All or Selector).",
    );
  });

  it('follows from: Same, All, None', () => {
    const with_ = (from: string, namespace: string) =>
      found({ 'gw.yaml': gateway('gw', [{ name: 'http', port: 80 }], { extra: `  allowedListeners:\n    namespaces:\n      from: ${from}\n` }), 'ls.yaml': ls(namespace) }, 'ls.yaml', NOT_ACCEPTED);
    expect(with_('Same', 'edge')).toEqual([]);
    expect(with_('Same', 'team')).toEqual(['7 istio-listenerset-not-accepted gw']);
    expect(with_('All', 'team')).toEqual([]);
    expect(with_('None', 'edge')).toEqual(['7 istio-listenerset-not-accepted gw']);
  });

  it("matches a Selector against the Namespace's labels, and says nothing when the Namespace is not in the workspace", () => {
    const gw = gateway('gw', [{ name: 'http', port: 80 }], { extra: fromSelector });
    expect(found({ 'gw.yaml': gw, 'ls.yaml': ls('team'), 'ns.yaml': namespaceDoc('team', 'shared-gateway: "true"') }, 'ls.yaml', NOT_ACCEPTED)).toEqual([]);
    const other = found({ 'gw.yaml': gw, 'ls.yaml': ls('team'), 'ns.yaml': namespaceDoc('team', 'shared-gateway: "false"') }, 'ls.yaml', NOT_ACCEPTED);
    expect(other).toEqual(['7 istio-listenerset-not-accepted gw']);
    expect(found({ 'gw.yaml': gw, 'ls.yaml': ls('team') }, 'ls.yaml', NOT_ACCEPTED)).toEqual([]);
  });

  it('flags a parent whose class does not support ListenerSets (a waypoint), and not a Gateway outside the workspace or of another controller', () => {
    const waypoint = gateway('gw', [{ name: 'mesh', port: 15008, protocol: 'HBONE' }], { className: 'istio-waypoint', extra: ALLOW_ALL });
    expect(messages({ 'gw.yaml': waypoint, 'ls.yaml': ls('edge') }, 'ls.yaml', 'istio-listenerset-not-accepted')).toEqual([
      "Gateway edge/gw is of class istio-waypoint, which does not support ListenerSets: Istio programs none of this ListenerSet's listeners.",
    ]);
    expect(found({ 'ls.yaml': ls('team') }, 'ls.yaml', NOT_ACCEPTED)).toEqual([]);
    const foreign = `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: other}\nspec: {controllerName: example.com/other}\n`;
    expect(found({ 'gc.yaml': foreign, 'gw.yaml': gateway('gw', [{ name: 'http', port: 80 }], { className: 'other' }), 'ls.yaml': ls('team') }, 'ls.yaml', NOT_ACCEPTED)).toEqual([]);
  });
});
