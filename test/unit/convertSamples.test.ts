// "Convert to HTTPRoute" on every VirtualService of Istio's samples (each file as its own
// workspace; Bookinfo's with the Bookinfo Services and DestinationRules beside it): the result
// parses, keeps every comment and every other document, and raises no new error or warning, or
// the refactoring is offered disabled with the reason.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyRefactoring, offerRefactorings } from '../../server/src/features/refactor';
import type { Edit } from '../../server/src/edit/textEdits';
import { splitDocuments } from '../../server/src/model/split';
import { newService, sharedDir, yamlFiles } from '../support';

const settings = { istioVersion: '1.30', validate: true };
const root = join(sharedDir, 'istio-samples');
const BOOKINFO_SETUP = ['bookinfo/platform/kube/bookinfo.yaml', 'bookinfo/networking/destination-rule-all.yaml'].map((f) => join(root, f));

function apply(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const comments = (text: string) => text.split('\n').flatMap((line) => line.match(/(?:^|\s)(#.*)$/)?.[1] ?? []);

function problemKeys(service: ReturnType<typeof newService>, uris: string[]): Set<string> {
  return new Set(
    uris.flatMap((uri) => service.diagnoseDiskFile(uri, settings).flatMap((p) => (p.severity === 'error' || p.severity === 'warning' ? [`${relative(root, uri)} ${p.code} ${p.message}`] : []))),
  );
}

describe("Convert to HTTPRoute on Istio's samples", () => {
  it('converts each VirtualService to a valid, checked HTTPRoute, or says why not', () => {
    const converted: string[] = [];
    const refused: string[] = [];
    const failures: string[] = [];
    const files = yamlFiles(root).filter((f) => /^kind:\s*VirtualService\s*$/m.test(readFileSync(f, 'utf8')));
    for (const file of files) {
      const workspace = file.includes('/bookinfo/') ? [...new Set([file, ...BOOKINFO_SETUP])] : [file];
      const service = newService();
      for (const f of workspace) service.setDiskFile(f, readFileSync(f, 'utf8'));
      const text = readFileSync(file, 'utf8');
      const baseline = problemKeys(service, workspace);
      for (const doc of splitDocuments(text).filter((d) => /^kind:\s*VirtualService\s*$/m.test(d.text))) {
        const offset = doc.start + doc.text.search(/^kind:/m);
        const where = `${relative(root, file)}@${text.slice(0, offset).split('\n').length}`;
        const ctx = service.context(settings);
        const offer = offerRefactorings(ctx, file, offset).find((r) => r.id === 'convert-httproute');
        if (!offer) {
          // Only a VirtualService without HTTP routes (TCP, TLS) is not offered the conversion.
          if (/^\s+http:/m.test(doc.text)) failures.push(`${where}: not offered`);
          else refused.push(`${where}: not offered (no HTTP routes)`);
          continue;
        }
        if (offer.unavailable) {
          refused.push(`${where}: ${offer.unavailable}`);
          continue;
        }
        const edits = applyRefactoring(ctx, file, offset, offer.id);
        if (typeof edits === 'string') {
          failures.push(`${where}: offered but refused: ${edits}`);
          continue;
        }
        const after = apply(text, edits);
        const errors = parseAllDocuments(after).flatMap((d) => ('errors' in d ? d.errors : []));
        if (errors.length > 0) failures.push(`${where}: does not parse: ${errors[0].message}`);
        for (const c of comments(text)) if (!after.includes(c)) failures.push(`${where}: lost comment ${c}`);
        for (const other of splitDocuments(text)) if (other.start !== doc.start && !after.includes(other.text)) failures.push(`${where}: changed another document`);
        if (!/^kind: HTTPRoute$/m.test(after)) failures.push(`${where}: no HTTPRoute written`);
        service.setDiskFile(file, after);
        for (const k of problemKeys(service, workspace)) if (!baseline.has(k)) failures.push(`${where}: new problem ${k}`);
        service.setDiskFile(file, text);
        converted.push(`${where}: ${offer.title}`);
      }
    }
    console.log(`converted ${converted.length}, refused ${refused.length}\n${[...converted, ...refused].join('\n')}`);
    expect(failures).toEqual([]);
    // Not vacuous: some of the samples' VirtualServices convert, and the others say why not.
    expect(converted.length).toBeGreaterThan(3);
    expect(refused.every((r) => /nothing is converted: \S|no HTTP routes/.test(r))).toBe(true);
  });
});
