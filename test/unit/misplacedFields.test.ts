// A known field in the wrong map: the message says where it belongs (from the schemas of the
// maps around it) and the fix moves it there with its value, re-indented; nothing else changes.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { quickFixes } from '../../server/src/features/quickFixes';
import { diagnose, newService, settings130, wsUri, yaml } from '../support';

function fixesOf(text: string) {
  const service = newService();
  service.setDiskFile(wsUri('f.yaml'), text);
  const problems = service.diagnoseDiskFile(wsUri('f.yaml'), settings130).filter((p) => p.data?.type === 'unknown-field');
  return quickFixes(service.context(settings130), wsUri('f.yaml'), problems);
}

function apply(text: string, title: string): string {
  const fix = fixesOf(text).find((f) => f.title === title);
  if (!fix)
    throw new Error(
      `no fix '${title}'; have: ${fixesOf(text)
        .map((f) => f.title)
        .join(' | ')}`,
    );
  const out = [...fix.edits].sort((a, b) => b.start - a.start).reduce((acc, e) => acc.slice(0, e.start) + e.newText + acc.slice(e.end), text);
  expect(parseAllDocuments(out).flatMap((d) => d.errors)).toEqual([]);
  return out;
}

const mirrorUnderDestination = yaml`
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
          mirror: # shadow traffic
            host: reviews-shadow
            port: {number: 9080}
        timeout: 5s
`;

describe('a known field in the wrong place', () => {
  it('says where `mirror` belongs and moves it to the HTTP route, with its value and comment', () => {
    const problems = diagnose(mirrorUnderDestination);
    expect(problems.map((p) => [p.message, p.text])).toEqual([
      ["Unknown field 'mirror'. `mirror` is a field of the HTTP route (spec.http[0]), two levels up.", 'mirror'],
      ["Unknown field 'timeout'. `timeout` is a field of the HTTP route (spec.http[0]), one level up.", 'timeout'],
    ]);
    const out = apply(mirrorUnderDestination, "Move 'mirror' to the HTTP route (spec.http[0])");
    expect(out).toBe(yaml`
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
            timeout: 5s
          mirror: # shadow traffic
            host: reviews-shadow
            port: {number: 9080}
    `);
    // Then `timeout`, after the last entry of the route: `mirror`.
    const both = apply(out, "Move 'timeout' to the HTTP route (spec.http[0])");
    expect(both).toBe(out.replace('      timeout: 5s\n', '') + '    timeout: 5s\n');
    expect(diagnose(both)).toEqual([]);
  });

  it('moves `subsets` out of trafficPolicy to spec', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: reviews
      spec:
        host: reviews
        trafficPolicy:
          tls:
            mode: ISTIO_MUTUAL
          subsets:
          - name: v1
            labels:
              version: v1
    `;
    expect(diagnose(text).map((p) => p.message)).toEqual(["Unknown field 'subsets'. `subsets` is a field of `spec`, one level up."]);
    const out = apply(text, "Move 'subsets' to `spec`");
    // The cut (the end of trafficPolicy) and the insertion (after it) meet: one edit.
    expect(fixesOf(text).find((f) => f.title === "Move 'subsets' to `spec`")?.edits).toHaveLength(1);
    expect(out).toBe(text.replace('    subsets:\n    - name: v1\n      labels:\n        version: v1\n', '') + '  subsets:\n  - name: v1\n    labels:\n      version: v1\n');
    expect(diagnose(out)).toEqual([]);
  });

  it('moves a field down into the map just below that has it', () => {
    const text = yaml`
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: r
      spec:
        hosts: [r]
        http:
        - route:
          - destination:
              port:
                number: 80
            host: r
    `;
    expect(diagnose(text).map((p) => p.message)).toContain("Unknown field 'host'. `host` is a field of `spec.http[0].route[0].destination`, just below.");
    const out = apply(text, "Move 'host' to `spec.http[0].route[0].destination`");
    expect(out).toBe(text.replace('      host: r\n', '').replace('          number: 80\n', '          number: 80\n        host: r\n'));
    expect(diagnose(out)).toEqual([]);
  });

  it('does not offer the move when the target already has the key, or the key starts a list item', () => {
    const taken = mirrorUnderDestination.replace('      timeout: 5s\n', '    mirror:\n      host: other\n');
    expect(diagnose(taken)[0].message).toBe("Unknown field 'mirror'. `mirror` is a field of the HTTP route (spec.http[0]), two levels up.");
    expect(fixesOf(taken).map((f) => f.title)).not.toContain("Move 'mirror' to the HTTP route (spec.http[0])");
    // `- timeout:` is the first line of the list item: cutting it would take the dash along.
    const item = mirrorUnderDestination.replace('      timeout: 5s\n', '').replace('    - destination:\n        host: reviews\n', '    - timeout: 3s\n      destination:\n        host: reviews\n');
    expect(diagnose(item).map((p) => p.text)).toEqual(['timeout', 'mirror']);
    expect(fixesOf(item).map((f) => f.title)).toEqual(["Move 'mirror' to the HTTP route (spec.http[0])"]);
  });

  it('keeps the typo fix when the key is unknown everywhere around', () => {
    const text = mirrorUnderDestination.replace('      timeout: 5s\n', '      wieght: 5\n').replace(/ {8}mirror:[^]*?9080\}\n/, '');
    expect(diagnose(text).map((p) => p.message)).toEqual(["Unknown field 'wieght'. Did you mean 'weight'?"]);
    expect(fixesOf(text).map((f) => f.title)).toEqual(["Change to 'weight'"]);
  });
});
