import { describe, expect, it } from 'vitest';
import { caret, newService, settings130, yaml } from '../support';

const service = newService();

function completeAt(textWithCaret: string) {
  const { text, offset } = caret(textWithCaret);
  service.open('file:///c.yaml', 1, text);
  const result = service.complete('file:///c.yaml', offset, settings130);
  return { result, labels: result?.items.map((i) => i.label) ?? [], item: (label: string) => result?.items.find((i) => i.label === label), text };
}

const VS_HEAD = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n';

describe('completion', () => {
  it('offers apiVersion values of every Istio kind', () => {
    const { labels } = completeAt('apiVersion: |\n');
    expect(labels).toContain('networking.istio.io/v1');
    expect(labels).toContain('security.istio.io/v1');
    expect(labels).toContain('extensions.istio.io/v1alpha1');
  });

  it('offers the kinds valid for the apiVersion', () => {
    const { labels } = completeAt('apiVersion: security.istio.io/v1\nkind: |\n');
    expect(labels.sort()).toEqual(['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication']);
  });

  it('replaces the partial value, including dots and slashes', () => {
    const { result, text } = completeAt('apiVersion: networking.is|\n');
    expect(text.slice(result!.replaceStart, result!.replaceEnd)).toBe('networking.is');
  });

  it('offers keys not yet present, at any depth, in a half-typed document', () => {
    const { labels } = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - route:\n    - destination:\n        host: r\n        |\n');
    expect(labels).toContain('subset');
    expect(labels).toContain('port');
    expect(labels).not.toContain('host');
  });

  it('completes a partially typed key and replaces it', () => {
    const { labels, result, text } = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - ret|\n');
    expect(labels).toContain('retries');
    expect(text.slice(result!.replaceStart, result!.replaceEnd)).toBe('ret');
  });

  it('inserts the shape of the value: route gives a list item with destination and host', () => {
    const { item } = completeAt(VS_HEAD + '  http:\n  - |\n');
    expect(item('route')!.insertText).toBe('route:\n- destination:\n    host: $1');
    expect(item('route')!.snippet).toBe(true);
  });

  it('follows an indented sequence style', () => {
    const { item } = completeAt(VS_HEAD + '  hosts:\n    - r\n  http:\n    - |\n');
    expect(item('route')!.insertText).toBe('route:\n  - destination:\n      host: $1');
  });

  it('follows a flush sequence style and 4-space indentation', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n    name: r\nspec:\n    hosts:\n    - r\n    http:\n    - |\n';
    const { item } = completeAt(text);
    expect(item('route')!.insertText).toBe('route:\n- destination:\n      host: $1');
  });

  it('offers enum values with choices and documentation', () => {
    const { labels, item } = completeAt(
      yaml`
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: r}
        spec:
          host: r
          trafficPolicy:
            loadBalancer:
              simple: |
      ` + '\n',
    );
    expect(labels).toEqual(['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST']);
    expect(item('ROUND_ROBIN')!.documentation).toBeTruthy();
  });

  it('offers booleans for boolean fields', () => {
    const { labels } = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\n    corsPolicy:\n      allowCredentials: |\n');
    expect(labels).toEqual(['true', 'false']);
  });

  it('documents each key and marks required ones first', () => {
    const { item } = completeAt(VS_HEAD + '  hosts: [r]\n  http:\n  - route:\n    - |\n');
    const destination = item('destination')!;
    expect(destination.detail).toContain('required');
    expect(destination.documentation).toMatch(/destination/i);
    expect(destination.sortText!.startsWith('0')).toBe(true);
  });

  it('offers the root keys in an empty document', () => {
    const { labels } = completeAt('|');
    expect(labels).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });

  it('stays silent in documents of other tools', () => {
    const { result } = completeAt('apiVersion: apps/v1\nkind: Deployment\nspec:\n  |\n');
    expect(result).toBeUndefined();
  });

  it('works in the right document of a multi-document file', () => {
    const { labels } = completeAt('apiVersion: apps/v1\nkind: Service\n---\n' + 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: a}\nspec:\n  mtls:\n    mode: |\n');
    expect(labels).toEqual(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
  });
});
