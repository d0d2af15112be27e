// Istio's annotations and labels: the registries per version, istioctl's annotation checks
// (IST0107, IST0108, IST0125, IST0135, IST0123), and completion and hover of their keys.
import { describe, expect, it } from 'vitest';
import { ISTIO_VERSIONS } from '../../shared/protocol';
import { caret, diagnose, newService, yaml } from '../support';

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

  it('IST0125 says which entry of a list is wrong', () => {
    expect(message(pod('    traffic.sidecar.istio.io/excludeOutboundIPRanges: "10.0.0.0/8, 172.16.0.0/12"'), 'IST0125')).toBe(
      "Invalid annotation traffic.sidecar.istio.io/excludeOutboundIPRanges: ' 172.16.0.0/12' is not a CIDR (address/bits, e.g. 10.0.0.0/8); write the list without spaces.",
    );
    expect(message(pod('    traffic.sidecar.istio.io/excludeOutboundPorts: "80,http"'), 'IST0125')).toBe(
      "Invalid annotation traffic.sidecar.istio.io/excludeOutboundPorts: 'http' is not a port (0-65535).",
    );
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

describe('annotation and label completion', () => {
  const service = newService();

  function completeAt(textWithCaret: string, istioVersion = '1.30') {
    const { text, offset } = caret(textWithCaret);
    service.open('file:///a.yaml', 1, text);
    const result = service.complete('file:///a.yaml', offset, { istioVersion, validate: true });
    const labels = result?.items.map((i) => i.label) ?? [];
    /** The text after choosing an item (its snippet's placeholders left as written). */
    const apply = (label: string) => {
      const item = result!.items.find((i) => i.label === label)!;
      return text.slice(0, result!.replaceStart) + item.insertText + text.slice(result!.replaceEnd);
    };
    return { result, labels, item: (label: string) => result?.items.find((i) => i.label === label), apply };
  }

  it("offers a Pod's annotations, not hidden ones nor other kinds', and replaces the typed part", () => {
    const { labels, item, apply } = completeAt('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    sidecar.istio.io/pro|\n');
    expect(labels).toContain('sidecar.istio.io/proxyCPU');
    expect(labels).toContain('proxy.istio.io/config');
    expect(labels).toContain('galley.istio.io/analyze-suppress');
    expect(labels).not.toContain('networking.istio.io/exportTo');
    expect(labels).not.toContain('proxy.istio.io/overrides');
    expect(item('sidecar.istio.io/proxyCPU')).toMatchObject({ kind: 'property', detail: 'Istio annotation (Alpha)', snippet: true });
    expect(item('sidecar.istio.io/inject')?.detail).toBe('Istio annotation (Beta, deprecated)');
    expect(item('sidecar.istio.io/inject')?.documentation).toContain('Use the `sidecar.istio.io/inject` label instead.');
    expect(apply('sidecar.istio.io/proxyCPU')).toBe('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    sidecar.istio.io/proxyCPU: "$1"\n');
    expect(apply('sidecar.istio.io/interceptionMode')).toContain('sidecar.istio.io/interceptionMode: ${1|REDIRECT,TPROXY,NONE|}\n');
    expect(apply('prometheus.istio.io/merge-metrics')).toContain('prometheus.istio.io/merge-metrics: ${1|"true","false"|}\n');
  });

  it("offers a Service's annotations on a Service, and the pod's in a Deployment's pod template", () => {
    expect(completeAt('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    |\n').labels).toContain('networking.istio.io/exportTo');
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      annotations:\n        |\n';
    const { labels } = completeAt(deployment);
    expect(labels).toContain('sidecar.istio.io/proxyCPU');
    expect(labels).not.toContain('networking.istio.io/exportTo');
  });

  it('offers labels by resource type, leaving out those present', () => {
    const { labels } = completeAt('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels:\n    istio.io/rev: canary\n    |\n');
    expect(labels).toContain('istio.io/dataplane-mode');
    expect(labels).toContain('istio.io/use-waypoint');
    expect(labels).not.toContain('istio.io/rev');
    expect(labels).not.toContain('service.istio.io/canonical-name');
  });

  it('on Istio resources too, and by version', () => {
    const ap = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: a\n  annotations:\n    |\n';
    expect(completeAt(ap).labels).toEqual(expect.arrayContaining(['istio.io/dry-run', 'galley.istio.io/analyze-suppress']));
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  annotations:\n    |\n';
    expect(completeAt(ns, '1.29').labels).not.toContain('networking.istio.io/traffic-distribution');
    expect(completeAt(ns, '1.30').labels).toContain('networking.istio.io/traffic-distribution');
  });

  it('offers values Istio knows, quoted when YAML would not read them as strings', () => {
    const plain = completeAt('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels:\n    istio.io/dataplane-mode: |\n');
    expect(plain.labels).toEqual(['ambient', 'none']);
    expect(plain.apply('ambient')).toContain('istio.io/dataplane-mode: ambient\n');
    const bool = completeAt('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    sidecar.istio.io/inject: |\n');
    expect(bool.labels).toEqual(['true', 'false']);
    expect(bool.apply('false')).toContain('sidecar.istio.io/inject: "false"\n');
    const inQuotes = completeAt('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    sidecar.istio.io/inject: "t|"\n');
    expect(inQuotes.apply('true')).toContain('sidecar.istio.io/inject: "true"\n');
  });
});

describe('annotation and label hover', () => {
  const service = newService();

  function hoverAt(textWithCaret: string) {
    const { text, offset } = caret(textWithCaret);
    service.open('file:///h.yaml', 1, text);
    const result = service.hover('file:///h.yaml', offset, { istioVersion: '1.30', validate: true });
    return result && { ...result, text: text.slice(result.start, result.end) };
  }

  it('describes an annotation key on a Kubernetes resource: status, where it applies, values, reference', () => {
    const result = hoverAt('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    sidecar.istio.io/interc|eptionMode: REDIRECT\n');
    expect(result?.text).toBe('sidecar.istio.io/interceptionMode');
    expect(result?.markdown).toContain('**sidecar.istio.io/interceptionMode** Istio annotation · Alpha');
    expect(result?.markdown).toContain('Applies to: Pod');
    expect(result?.markdown).toContain('Values: `REDIRECT`, `TPROXY`, `NONE`');
    expect(result?.markdown).toContain('[Istio reference: annotation](https://istio.io/latest/docs/reference/config/annotations/)');
  });

  it('says when an annotation is deprecated or misplaced, with absolute links', () => {
    const result = hoverAt('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations:\n    sidecar.istio.io/in|ject: "true"\n');
    expect(result?.markdown).toContain('Beta, deprecated');
    expect(result?.markdown).toContain('Applies to: Pod (not Deployment)');
    expect(result?.markdown).toContain('](https://istio.io/latest/docs/reference/config/labels/#SidecarInject)');
  });

  it('describes labels of a pod template, and the value too', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      labels:\n        istio.io/dataplane-mode: amb|ient\n';
    const result = hoverAt(text);
    expect(result?.text).toBe('ambient');
    expect(result?.markdown).toContain('**istio.io/dataplane-mode** Istio label · Stable');
    expect(result?.markdown).toContain('Applies to: Pod, Namespace');
  });

  it('says nothing of annotations Istio does not know', () => {
    expect(hoverAt('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    example.com/o|wner: me\n')).toBeUndefined();
  });
});
