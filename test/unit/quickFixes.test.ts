// Quick fixes: expectations are the text after the edit; every result parses, keeps its
// comments, and no longer has the diagnostic it fixes.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { quickFixes, type Fix } from '../../server/src/features/quickFixes';
import type { Edit } from '../../server/src/edit/textEdits';
import { newService } from '../support';

type Files = Record<string, string>;

function run(files: Files, target: string, code: string) {
  const service = newService();
  const uri = (name: string) => `file:///ws/${name}`;
  for (const [name, text] of Object.entries(files)) service.setDiskFile(uri(name), text);
  const settings = { istioVersion: '1.30', validate: true };
  const problems = service.diagnoseDiskFile(uri(target), settings).filter((p) => p.code === code);
  const fixes = quickFixes(service.context(settings), uri(target), problems);
  const apply = (fix: Fix): Files => {
    const out = { ...files };
    const byFile = new Map<string, Edit[]>();
    for (const e of fix.edits) byFile.set(e.uri, [...(byFile.get(e.uri) ?? []), e]);
    for (const [u, edits] of byFile) {
      const name = u.replace('file:///ws/', '');
      for (const e of edits.sort((a, b) => b.start - a.start)) out[name] = out[name].slice(0, e.start) + e.newText + out[name].slice(e.end);
    }
    return out;
  };
  /** Applies the fix, checks the result is clean YAML with the comments kept and the code gone. */
  const applyAndCheck = (title: string): Files => {
    const fix = fixes.find((f) => f.title === title);
    if (!fix) throw new Error(`no fix '${title}'; have: ${fixes.map((f) => f.title).join(' | ')}`);
    const out = apply(fix);
    const after = newService();
    for (const [name, text] of Object.entries(out)) {
      expect(parseAllDocuments(text).flatMap((d) => d.errors)).toEqual([]);
      for (const comment of files[name]?.match(/#.*$/gm) ?? []) expect(text).toContain(comment);
      after.setDiskFile(uri(name), text);
    }
    expect(after.diagnoseDiskFile(uri(target), settings).filter((p) => p.code === code)).toEqual([]);
    return out;
  };
  return { fixes, titles: fixes.map((f) => f.title), applyAndCheck };
}

const dr2 = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reviews
  subsets:
  - name: v1 # stable
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
# trailing comment
`;
const vsWith = (subset: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: reviews
        subset: ${subset} # the canary
`;

describe('subset not found (IST0101)', () => {
  it('adds the subset to the DestinationRule in another file, following its conventions', () => {
    const { titles, applyAndCheck } = run({ 'vs.yaml': vsWith('v3'), 'dr.yaml': dr2 }, 'vs.yaml', 'IST0101');
    expect(titles).toEqual(["Add subset 'v3' to DestinationRule reviews", "Change to 'v1'", "Change to 'v2'"]);
    const out = applyAndCheck("Add subset 'v3' to DestinationRule reviews");
    expect(out['dr.yaml']).toBe(dr2.replace('      version: v2\n', '      version: v2\n  - name: v3\n    labels:\n      version: v3\n'));
    expect(out['vs.yaml']).toBe(vsWith('v3'));
  });

  it('follows 4-space, indented-sequence, flow-label files', () => {
    const dr4 =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n    name: reviews\n    namespace: shop\nspec:\n    host: reviews\n    subsets:\n        - name: v1\n          labels: {release: v1, tier: web}\n';
    const { applyAndCheck } = run({ 'vs.yaml': vsWith('canary'), 'dr.yaml': dr4 }, 'vs.yaml', 'IST0101');
    expect(applyAndCheck("Add subset 'canary' to DestinationRule reviews")['dr.yaml']).toBe(dr4 + '        - name: canary\n          labels: {release: canary}\n');
  });

  it('changes the route to the closest defined subset, keeping the comment', () => {
    const { titles, applyAndCheck } = run({ 'vs.yaml': vsWith('v22'), 'dr.yaml': dr2 }, 'vs.yaml', 'IST0101');
    expect(titles[1]).toBe("Change to 'v2'");
    expect(applyAndCheck("Change to 'v2'")['vs.yaml']).toBe(vsWith('v2'));
  });

  it('creates a DestinationRule with the subsets the routes use when none exists', () => {
    const vs = vsWith('v1') + '    - destination:\n        host: reviews\n        subset: v2\n';
    const files = { 'vs.yaml': vs, 'other.yaml': dr2.replace(/reviews/g, 'ratings') };
    const { applyAndCheck } = run(files, 'vs.yaml', 'IST0101');
    const out = applyAndCheck('Create DestinationRule reviews with subsets v1, v2');
    expect(out['vs.yaml']).toBe(
      vs +
        '---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n      version: v2\n',
    );
  });
});

describe('schema fixes (IST0106)', () => {
  const vs =
    'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\n    retries:\n      attempts: 3\n      perTryTimout: 2s # per try\n';
  it('replaces an unknown field with the closest valid one', () => {
    const { applyAndCheck } = run({ 'a.yaml': vs }, 'a.yaml', 'IST0106');
    expect(applyAndCheck("Change to 'perTryTimeout'")['a.yaml']).toBe(vs.replace('perTryTimout', 'perTryTimeout'));
  });

  it('replaces an invalid enum value, keeping its quotes', () => {
    const dr = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r}\nspec:\n  host: r\n  trafficPolicy:\n    loadBalancer:\n      simple: "LEAST_REQUESTS"\n';
    const { titles, applyAndCheck } = run({ 'a.yaml': dr }, 'a.yaml', 'IST0106');
    expect(titles[0]).toBe("Change to 'LEAST_REQUEST'");
    expect(titles).toContain("Change to 'ROUND_ROBIN'");
    expect(applyAndCheck("Change to 'LEAST_REQUEST'")['a.yaml']).toBe(dr.replace('"LEAST_REQUESTS"', '"LEAST_REQUEST"'));
  });

  it('spreads weights that add up to 0, replacing and inserting weight lines', () => {
    const zero =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination:\n        host: r\n        subset: a\n      weight: 0\n    - destination:\n        host: r\n        subset: b\n    - destination:\n        host: r\n        subset: c\n      weight: 0\n';
    const { applyAndCheck } = run({ 'a.yaml': zero }, 'a.yaml', 'IST0106');
    expect(applyAndCheck('Spread the weights evenly (total 100)')['a.yaml']).toBe(
      zero
        .replace('subset: a\n      weight: 0', 'subset: a\n      weight: 34')
        .replace('subset: b\n', 'subset: b\n      weight: 33\n')
        .replace('subset: c\n      weight: 0', 'subset: c\n      weight: 33'),
    );
  });
});

describe('other fixes', () => {
  it('removes a duplicate destination (KIA1105) and leaves the other documents alone', () => {
    const other = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}   # keep me\n';
    const dup =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r, subset: v1}\n      weight: 50\n    - destination: {host: r, subset: v1}\n      weight: 50\n';
    const { applyAndCheck } = run({ 'a.yaml': `${other}---\n${dup}` }, 'a.yaml', 'KIA1105');
    expect(applyAndCheck('Remove the duplicate destination')['a.yaml']).toBe(
      `${other}---\n${dup.replace('    - destination: {host: r, subset: v1}\n      weight: 50\n', '')}`.replace('weight: 50\n    - destination', 'weight: 50\n    - destination'),
    );
  });

  it('removes a duplicate subset (KIA0201), comments around it kept', () => {
    const twin = dr2.replace('name: reviews\n', 'name: reviews-canary\n');
    const { applyAndCheck } = run({ 'a.yaml': dr2, 'b.yaml': twin.replace('  - name: v1 # stable\n    labels:\n      version: v1\n', '') }, 'a.yaml', 'KIA0201');
    expect(applyAndCheck("Remove the duplicate subset 'v2'")['a.yaml']).toBe(dr2.replace('  - name: v2\n    labels:\n      version: v2\n', ''));
  });

  it('upgrades an older apiVersion to v1', () => {
    const gw = 'apiVersion: networking.istio.io/v1alpha3\nkind: Gateway\nmetadata: {name: g}\nspec: {}\n';
    const { applyAndCheck } = run({ 'a.yaml': gw }, 'a.yaml', 'istio-older-api-version');
    expect(applyAndCheck('Change apiVersion to networking.istio.io/v1')['a.yaml']).toBe(gw.replace('v1alpha3', 'v1'));
  });

  it('removes a duplicate match only when the route keeps another one', () => {
    const routes = (second: string) =>
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - match:\n    - uri: {prefix: /a}\n    route: [{destination: {host: r}}]\n  - match:\n${second}    route: [{destination: {host: r}}]\n`;
    const two = routes('    - uri: {prefix: /b}\n    - uri: {prefix: /a}\n');
    const { applyAndCheck } = run({ 'a.yaml': two }, 'a.yaml', 'IST0131');
    expect(applyAndCheck('Remove the duplicate match')['a.yaml']).toBe(routes('    - uri: {prefix: /b}\n'));
    expect(run({ 'a.yaml': routes('    - uri: {prefix: /a}\n') }, 'a.yaml', 'IST0131').titles).toEqual([]);
  });
});

describe('edits keep the YAML valid (issue 9, defect 8)', () => {
  const vsTo = (host: string, subsets: string[]) =>
    `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  hosts: [${JSON.stringify(host)}]\n  http:\n  - route:\n${subsets.map((s) => `    - destination:\n        host: ${JSON.stringify(host)}\n        subset: ${JSON.stringify(s)}\n      weight: 50\n`).join('')}`;
  const other = dr2.replace(/reviews/g, 'ratings');

  it('creates a DestinationRule whose host and subset names read back as written', () => {
    const odd = ['a: b', '#x', '- x', '@x', 'true', '1e3', ' v1 ', 'yes', '0o17', '[a]', '*'];
    const { fixes, applyAndCheck } = run({ 'vs.yaml': vsTo('*.example.com', odd), 'other.yaml': other }, 'vs.yaml', 'IST0101');
    const create = fixes.find((f) => f.title.startsWith('Create DestinationRule'));
    expect(create?.title).toMatch(/^Create DestinationRule example with subsets /);
    const out = applyAndCheck(create!.title)['vs.yaml'];
    const rule = parseAllDocuments(out)[1].toJS() as { metadata: { name: string; namespace: string }; spec: { host: string; subsets: { name: string; labels: { version: string } }[] } };
    expect(rule.metadata).toEqual({ name: 'example', namespace: 'shop' });
    expect(rule.spec.host).toBe('*.example.com');
    expect(rule.spec.subsets.map((s) => [s.name, s.labels.version])).toEqual(odd.map((s) => [s, s]));
  });

  it('changes a subset to a defined name that needs quotes, quoting it', () => {
    const dr = dr2.replace('name: v2\n', 'name: "a: b"\n');
    const { applyAndCheck } = run({ 'vs.yaml': vsWith('a-b'), 'dr.yaml': dr }, 'vs.yaml', 'IST0101');
    expect(applyAndCheck("Change to 'a: b'")['vs.yaml']).toBe(vsWith('"a: b"'));
  });

  it('adds a subset whose name needs quotes to a rule with flow labels', () => {
    const dr = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n';
    const { applyAndCheck } = run({ 'vs.yaml': vsWith('"x, y"'), 'dr.yaml': dr }, 'vs.yaml', 'IST0101');
    expect(applyAndCheck("Add subset 'x, y' to DestinationRule reviews")['dr.yaml']).toBe(dr + '  - name: x, y\n    labels: {version: "x, y"}\n');
  });

  it('spreads weights into an empty weight key instead of adding a second one', () => {
    const zero =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r, subset: a}\n      weight: 0\n    - destination: {host: r, subset: b}\n      weight:\n    - destination: {host: r, subset: c}\n      weight: 0 # none\n';
    const { applyAndCheck } = run({ 'a.yaml': zero }, 'a.yaml', 'IST0106');
    expect(applyAndCheck('Spread the weights evenly (total 100)')['a.yaml']).toBe(
      zero.replace('weight: 0\n', 'weight: 34\n').replace('weight:\n', 'weight: 33\n').replace('weight: 0 # none', 'weight: 33 # none'),
    );
  });

  it('does not rename an unknown key to one the mapping already has', () => {
    const vs =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\n    fault:\n      abort:\n        httpStatus: 503\n        httpStatu: 500\n        percentage: {value: 10}\n';
    expect(run({ 'a.yaml': vs }, 'a.yaml', 'IST0106').titles).not.toContain("Change to 'httpStatus'");
    const alone = vs.replace('        httpStatus: 503\n', '');
    expect(run({ 'a.yaml': alone }, 'a.yaml', 'IST0106').applyAndCheck("Change to 'httpStatus'")['a.yaml']).toBe(alone.replace('httpStatu:', 'httpStatus:'));
  });
});

describe('edits keep comments (issue 9, defect 9)', () => {
  it('removes a duplicate subset, keeping the comments inside it', () => {
    const dr = dr2.replace('  - name: v2\n    labels:\n      version: v2\n', '  - name: v2 # the canary\n    # labels follow\n    labels:\n      version: v2 # pinned\n');
    const twin = dr2.replace('name: reviews\n', 'name: reviews-canary\n').replace('  - name: v1 # stable\n    labels:\n      version: v1\n', '');
    const { applyAndCheck } = run({ 'a.yaml': dr, 'b.yaml': twin }, 'a.yaml', 'KIA0201');
    expect(applyAndCheck("Remove the duplicate subset 'v2'")['a.yaml']).toBe(
      dr.replace('  - name: v2 # the canary\n    # labels follow\n    labels:\n      version: v2 # pinned\n', '  # the canary\n  # labels follow\n  # pinned\n'),
    );
  });

  it('removes a duplicate destination, keeping the comments inside it (CRLF file)', () => {
    const dup =
      'apiVersion: networking.istio.io/v1\r\nkind: VirtualService\r\nmetadata: {name: r}\r\nspec:\r\n  hosts: [r]\r\n  http:\r\n  - route:\r\n    - destination: {host: r, subset: v1}\r\n      weight: 50\r\n    - destination: {host: r, subset: v1} # again\r\n      # half of it\r\n      weight: 50\r\n';
    const { applyAndCheck } = run({ 'a.yaml': dup }, 'a.yaml', 'KIA1105');
    expect(applyAndCheck('Remove the duplicate destination')['a.yaml']).toBe(
      dup.replace('    - destination: {host: r, subset: v1} # again\r\n      # half of it\r\n      weight: 50\r\n', '    # again\r\n    # half of it\r\n'),
    );
  });

  it('removes a duplicate match, keeping the comments inside it', () => {
    const routes = (second: string) =>
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - match:\n    - uri: {prefix: /a}\n    route: [{destination: {host: r}}]\n  - match:\n${second}    route: [{destination: {host: r}}]\n`;
    const two = routes("    - uri: {prefix: /b}\n    - uri: # it's the old one\n        prefix: /a\n");
    const { applyAndCheck } = run({ 'a.yaml': two }, 'a.yaml', 'IST0131');
    expect(applyAndCheck('Remove the duplicate match')['a.yaml']).toBe(routes("    - uri: {prefix: /b}\n    # it's the old one\n"));
  });
});

describe('keys with no value yet (issue 9, defect 8)', () => {
  it('adds the subset under an empty subsets key', () => {
    const dr = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  host: reviews\n  subsets: # none yet\n';
    const { applyAndCheck } = run({ 'vs.yaml': vsWith('v1'), 'dr.yaml': dr }, 'vs.yaml', 'IST0101');
    expect(applyAndCheck("Add subset 'v1' to DestinationRule reviews")['dr.yaml']).toBe(dr.replace('# none yet\n', '# none yet\n  - name: v1\n    labels:\n      version: v1\n'));
  });
});
