// Istio's annotations and labels: the registries per version, istioctl's annotation checks
// (IST0107, IST0108, IST0125, IST0135, IST0123), and completion and hover of their keys.
import { describe, expect, it } from 'vitest';
import { ISTIO_VERSIONS } from '../../shared/protocol';
import { diagnose, newService, yaml } from '../support';

const CODES = ['IST0107', 'IST0108', 'IST0123', 'IST0125', 'IST0135'];

/** [line, code, reported text] of the annotation codes. */
function found(text: string, istioVersion = '1.30') {
  return diagnose(text, istioVersion)
    .filter((p) => CODES.includes(p.code))
    .map((p) => [p.line, p.code, p.text]);
}

function message(text: string, code: string, istioVersion = '1.30') {
  return diagnose(text, istioVersion).find((p) => p.code === code)?.message;
}

/** A Pod with these metadata.annotations lines (and labels lines), indented by four spaces. */
const pod = (annotations: string, labels = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${labels ? `  labels:\n${labels}\n` : ''}  annotations:\n${annotations}\nspec:\n  containers: [{name: c, image: nginx}]\n`;

describe('annotation registries', () => {
  it('every Istio version loads its annotations and labels', () => {
    const service = newService();
    for (const version of ISTIO_VERSIONS) {
      const metadata = service.registry.metadata(version);
      expect(metadata, version).toBeDefined();
      expect(metadata!.get('annotations', 'sidecar.istio.io/proxyCPU')?.resources).toEqual(['Pod']);
      expect(metadata!.get('labels', 'istio.io/dataplane-mode')?.values).toEqual(['ambient', 'none']);
      expect(metadata!.get('annotations', 'sidecar.istio.io/inject')).toMatchObject({ deprecated: true, replacement: { name: 'sidecar.istio.io/inject', kind: 'label' } });
    }
  });

  it('follows the version: the traffic-distribution annotation applies to Namespaces from 1.30', () => {
    const service = newService();
    expect(service.registry.metadata('1.29')!.get('annotations', 'networking.istio.io/traffic-distribution')!.resources).not.toContain('Namespace');
    expect(service.registry.metadata('1.31')!.get('annotations', 'networking.istio.io/traffic-distribution')!.resources).toContain('Namespace');
  });
});

describe('annotation checks', () => {
  it('IST0108 for an unknown annotation under an Istio prefix, at its key', () => {
    const text = yaml`
      apiVersion: v1
      kind: Service
      metadata:
        name: httpbin
        annotations:
          networking.istio.io/exportThree: bar
          networking.istio.io/exportTo: "*"
          example.com/anything: x
          kubernetes.io/psp: p
      spec:
        ports: [{name: http, port: 80}]
      `;
    expect(found(text)).toEqual([[5, 'IST0108', 'networking.istio.io/exportThree']]);
    expect(message(text, 'IST0108')).toBe('Unknown annotation: networking.istio.io/exportThree is not an Istio annotation of Istio 1.30.');
  });

  it('IST0107 for an annotation on a kind it does not apply to; a Pod annotation on a Deployment', () => {
    const text = yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: fortio
        annotations:
          sidecar.istio.io/proxyCPU: 100m
      spec:
        selector: {matchLabels: {app: fortio}}
        template:
          metadata:
            labels: {app: fortio}
            annotations:
              sidecar.istio.io/proxyCPU: 100m
          spec:
            containers: [{name: c, image: fortio}]
      `;
    expect(found(text)).toEqual([[5, 'IST0107', 'sidecar.istio.io/proxyCPU']]);
    expect(message(text, 'IST0107')).toContain('can only be applied to Pod, not a Deployment');
  });

  it('IST0107 for kubernetes.io/ingress.class outside an Ingress; nothing for Any or ignored annotations', () => {
    const text = yaml`
      apiVersion: v1
      kind: Namespace
      metadata:
        name: staging
        annotations:
          kubernetes.io/ingress.class: istio
          galley.istio.io/analyze-suppress: IST0102
          istio.io/rev: canary
          gateway.istio.io/controller-version: "5"
      `;
    expect(found(text)).toEqual([[5, 'IST0107', 'kubernetes.io/ingress.class']]);
  });

  it('IST0135 for a deprecated annotation, at its key, unless the inject label is there too', () => {
    expect(found(pod('    sidecar.istio.io/inject: "false"'))).toEqual([[5, 'IST0135', 'sidecar.istio.io/inject']]);
    expect(message(pod('    sidecar.istio.io/inject: "false"'), 'IST0135')).toBe(
      'Annotation "sidecar.istio.io/inject" has been deprecated in favor of the "sidecar.istio.io/inject" label and may not work in future Istio versions.',
    );
    expect(found(pod('    sidecar.istio.io/inject: "false"', '      sidecar.istio.io/inject: "false"'))).toEqual([]);
  });

  it('IST0135 and IST0107 both for a deprecated annotation in the wrong place', () => {
    const text = yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: d
        annotations:
          sidecar.istio.io/statsInclusionPrefixes: cluster.outbound
      spec:
        selector: {matchLabels: {app: d}}
        template:
          metadata: {labels: {app: d}}
          spec:
            containers: [{name: c, image: d}]
      `;
    expect(found(text)).toEqual([
      [5, 'IST0135', 'sidecar.istio.io/statsInclusionPrefixes'],
      [5, 'IST0107', 'sidecar.istio.io/statsInclusionPrefixes'],
    ]);
  });

  it('IST0125 for values Istio validates, at the value', () => {
    const text = pod(
      [
        '    readiness.status.sidecar.istio.io/initialDelaySeconds: bar',
        '    readiness.status.sidecar.istio.io/periodSeconds: "10"',
        '    sidecar.istio.io/interceptionMode: redirect',
        '    traffic.sidecar.istio.io/excludeOutboundIPRanges: "10.0.0.0/8, 172.16.0.0/12"',
        '    traffic.sidecar.istio.io/includeOutboundIPRanges: "*"',
        '    traffic.sidecar.istio.io/excludeInboundPorts: "15020, 8080"',
        '    traffic.sidecar.istio.io/includeInboundPorts: "80,70000"',
        '    sidecar.istio.io/proxyMemory: 128MB',
        '    sidecar.istio.io/proxyCPULimit: "1.5"',
        '    prometheus.istio.io/merge-metrics: "yes"',
        '    status.sidecar.istio.io/port: "15020"',
        '    proxy.istio.io/config: "{concurrency: 2}"',
      ].join('\n'),
    );
    expect(found(text)).toEqual([
      [5, 'IST0125', 'bar'],
      [7, 'IST0125', 'redirect'],
      [8, 'IST0125', '"10.0.0.0/8, 172.16.0.0/12"'],
      [11, 'IST0125', '"80,70000"'],
      [12, 'IST0125', '128MB'],
      [14, 'IST0125', '"yes"'],
    ]);
    expect(message(text, 'IST0125')).toBe("Invalid annotation readiness.status.sidecar.istio.io/initialDelaySeconds: 'bar' is not a non-negative integer (at most 4294967295).");
  });

  it('IST0125 takes IPv6 prefixes, and rejects leading zeros in a prefix length', () => {
    expect(found(pod('    traffic.sidecar.istio.io/excludeOutboundIPRanges: "fd00::/8,10.0.0.1/32,::ffff:10.0.0.1/128"'))).toEqual([]);
    expect(found(pod('    traffic.sidecar.istio.io/excludeOutboundIPRanges: "10.0.0.0/08"'))).toEqual([[5, 'IST0125', '"10.0.0.0/08"']]);
  });

  it('IST0125 for interface names only from Istio 1.30 (when istio validates them)', () => {
    const text = pod('    traffic.sidecar.istio.io/excludeInterfaces: "eth0,a-very-long-interface-name"');
    expect(found(text, '1.30')).toEqual([[5, 'IST0125', '"eth0,a-very-long-interface-name"']]);
    expect(found(text, '1.29')).toEqual([]);
  });

  it('only Namespaces, Services, Pods and Deployments, as istioctl', () => {
    const text = yaml`
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: s
        annotations:
          networking.istio.io/nope: x
      spec:
        selector: {matchLabels: {app: s}}
        template:
          metadata: {labels: {app: s}}
          spec:
            containers: [{name: c, image: s}]
      `;
    expect(found(text)).toEqual([]);
  });

  it('galley.istio.io/analyze-suppress silences them', () => {
    expect(found(pod('    galley.istio.io/analyze-suppress: IST0108\n    sidecar.istio.io/bogus: x'))).toEqual([]);
  });
});

describe('IST0123 injection labels', () => {
  const ns = (name: string, labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n${labels}\n`;

  it('istio-injection=enabled with istio.io/rev, at the labels key', () => {
    const text = ns('busted', '    istio-injection: enabled\n    istio.io/rev: canary');
    expect(found(text)).toEqual([[4, 'IST0123', 'labels']]);
    expect(message(text, 'IST0123')).toContain('(istio-injection=enabled, istio.io/rev=canary)');
  });

  it('istio.io/rev with istio.io/dataplane-mode', () => {
    expect(found(ns('a', '    istio.io/rev: canary\n    istio.io/dataplane-mode: ambient'))).toEqual([[4, 'IST0123', 'labels']]);
  });

  it('not when istio-injection disables injection, nor for one label, nor in istio-system', () => {
    expect(found(ns('a', '    istio-injection: disabled\n    istio.io/rev: canary'))).toEqual([]);
    expect(found(ns('a', '    istio.io/rev: canary'))).toEqual([]);
    expect(found(ns('istio-system', '    istio-injection: enabled\n    istio.io/rev: canary'))).toEqual([]);
  });
});
