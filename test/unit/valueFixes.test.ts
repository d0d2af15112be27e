// Quoted values: the type error shows the value as written (never escaped JSON), "Remove the
// quotes" is offered exactly where the field takes the value written plain, and nothing that
// reads weights or numbers takes a quoted "50" for 0.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { quickFixes } from '../../server/src/features/quickFixes';
import { offered, wsUri } from '../refactorSupport';
import { diagnose, newService, problemsOf, settings130 } from '../support';

const vs = (route: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
${route}`;

const messages = (text: string) => diagnose(text).map((p) => p.message);

/** The fixes of the file's problems with code IST0106 on `text`, and the file after applying the one titled `title`. */
function fixOf(text: string, title: string) {
  const service = newService();
  service.setDiskFile(wsUri('f.yaml'), text);
  const problems = service.diagnoseDiskFile(wsUri('f.yaml'), settings130);
  const fixes = quickFixes(service.context(settings130), wsUri('f.yaml'), problems);
  const fix = fixes.find((f) => f.title === title);
  const after = fix ? fix.edits.reduce((out, e) => out.slice(0, e.start) + e.newText + out.slice(e.end), text) : undefined;
  return { fixes, fix, after };
}

describe('a quoted value where a number or boolean belongs', () => {
  it('says "got the string "3"" in every way of writing it, never escaped JSON', () => {
    const route = (attempts: string) => `  - retries:\n      attempts: ${attempts}\n    route:\n    - destination:\n        host: reviews\n`;
    for (const written of ['"3"', "'3'"]) {
      expect(messages(vs(route(written)))).toEqual(['Expected an integer, got the string "3". Remove the quotes to write the number 3.']);
    }
    // Flow style, and the `yaml` package's path (an anchor makes the fast parser give up).
    expect(messages(vs('  - retries: {attempts: "3"}\n    route:\n    - destination: {host: reviews}\n'))).toEqual([
      'Expected an integer, got the string "3". Remove the quotes to write the number 3.',
    ]);
    expect(messages(vs(route('&a "3"')))).toEqual(['Expected an integer, got the string "3". Remove the quotes to write the number 3.']);
    // A block scalar: its text without the line break, and no quotes to remove.
    expect(messages(vs(route('|\n        3')))).toEqual(['Expected an integer, got the string "3".']);
    // Quotes inside the value are shown as they are.
    expect(messages(vs(route(`'"3"'`)))).toEqual(['Expected an integer, got the string ""3"".']);
  });

  it('shows a bad duration as written in the CEL rule message', () => {
    const text = vs(`  - timeout: "5"\n    route:\n    - destination:\n        host: reviews\n`);
    expect(messages(text)[0]).toContain('"5" is not a duration');
    expect(messages(text)[0]).not.toContain('\\');
  });

  it('removes the quotes, and only them, in block and flow style', () => {
    const block = vs(`  - retries:\n      attempts: "3" # three\n    route:\n    - destination:\n        host: reviews\n`);
    const { after } = fixOf(block, 'Remove the quotes');
    expect(after).toBe(block.replace('"3"', '3'));
    const flow = vs(`  - route:\n    - destination: {host: reviews, port: {number: '8080'}}\n`);
    expect(fixOf(flow, 'Remove the quotes').after).toBe(flow.replace("'8080'", '8080'));
    const weight = vs(`  - route:\n    - destination:\n        host: reviews\n      weight: "100"\n`);
    const fixed = fixOf(weight, 'Remove the quotes').after!;
    expect(fixed).toBe(weight.replace('"100"', '100'));
    expect(parseAllDocuments(fixed).flatMap((d) => d.errors)).toEqual([]);
    expect(diagnose(fixed)).toEqual([]);
  });

  it('offers it for a boolean too', () => {
    const text = vs(`  - corsPolicy:\n      allowOrigins:\n      - exact: https://a.example\n      allowCredentials: "true"\n    route:\n    - destination:\n        host: reviews\n`);
    expect(messages(text)).toEqual(['Expected true or false, got the string "true". Remove the quotes to write the boolean true.']);
    expect(diagnose(fixOf(text, 'Remove the quotes').after!)).toEqual([]);
  });

  it('does not offer it where the value would still be wrong without the quotes', () => {
    const cases = ['"abc"', '"080"', '"3.5"', '"yes"', '"1e3"'];
    for (const attempts of cases) {
      const text = vs(`  - retries:\n      attempts: ${attempts}\n    route:\n    - destination:\n        host: reviews\n`);
      expect(fixOf(text, 'Remove the quotes').fix, attempts).toBeUndefined();
    }
    // Outside the field's bounds: a port number is a uint32.
    const port = vs(`  - route:\n    - destination:\n        host: reviews\n        port:\n          number: "-1"\n`);
    expect(messages(port)[0]).toMatch(/^Expected an integer, got the string "-1"\.$/);
    expect(fixOf(port, 'Remove the quotes').fix).toBeUndefined();
  });
});

describe('quoted weights and numbers are not read as 0', () => {
  const twoWeights = vs(
    `  - route:\n    - destination:\n        host: reviews\n        subset: v1\n      weight: "50"\n    - destination:\n        host: reviews\n        subset: v2\n      weight: "50"\n`,
  );
  const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
`;

  it('reports the type errors only: no "weights add up to 0", no "port 0"', () => {
    expect(problemsOf({ 'vs.yaml': twoWeights, 'dr.yaml': dr }, 'vs.yaml').map((p) => p.message)).toEqual([
      'Expected an integer, got the string "50". Remove the quotes to write the number 50.',
      'Expected an integer, got the string "50". Remove the quotes to write the number 50.',
    ]);
    const port = vs(`  - route:\n    - destination:\n        host: reviews\n        port:\n          number: "80"\n`);
    expect(messages(port)).toEqual(['Expected an integer, got the string "80". Remove the quotes to write the number 80.']);
  });

  it('offers no weight refactoring on a route with a quoted weight, and the fix instead', () => {
    // On the route (not one destination): promote would pick the destination by its weight.
    const at = twoWeights.replace('  - route:', '  - ro|ute:');
    const ids = offered({ 'vs.yaml': at, 'dr.yaml': dr }, 'vs.yaml');
    for (const id of ['normalize', 'promote', 'split', 'canary']) expect(ids).not.toContain(id);
    expect(fixOf(twoWeights, 'Remove the quotes').fix).toBeDefined();
    // The same route with numbers offers them again.
    const plain = at.replace(/"50"/g, '40');
    expect(offered({ 'vs.yaml': plain, 'dr.yaml': dr }, 'vs.yaml')).toEqual(expect.arrayContaining(['normalize', 'promote']));
    const single = vs(`  - ro|ute:\n    - destination:\n        host: reviews\n      weight: "100"\n`);
    expect(offered({ 'vs.yaml': single, 'dr.yaml': dr }, 'vs.yaml')).not.toContain('canary');
    expect(offered({ 'vs.yaml': single.replace('"100"', '100'), 'dr.yaml': dr }, 'vs.yaml')).toContain('canary');
  });

  it('the preview cannot set a weight on such a route', () => {
    const service = newService();
    const at = twoWeights.indexOf('weight: "50"');
    service.setDiskFile(wsUri('vs.yaml'), twoWeights);
    expect(service.setWeight(wsUri('vs.yaml'), at, 70, settings130)).toMatch(/not written as a number/);
  });
});
