// Every refactoring offered at every node of real manifests (Istio's samples, each file as its
// own workspace and the documented Bookinfo setup together; the project's samples/ as one
// workspace), applied with its defaults: the result parses, keeps every comment, changes no
// document besides the ones the refactoring is about, and raises no new error or warning. An
// offer that asks a question without a default (no answer would be right) is not applied.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRefactoring, offerRefactorings, REFACTORING_IDS } from '../../server/src/features/refactor';
import type { Edit } from '../../server/src/edit/textEdits';
import { splitDocuments } from '../../server/src/model/split';
import { newService, repoRoot, sharedDir } from '../support';

const settings = { istioVersion: '1.30', validate: true };

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Offsets where a node starts: each line's first character, and the one after a `- `. */
function nodeOffsets(text: string): number[] {
  const out: number[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    const first = line.search(/\S/);
    if (first !== -1 && line[first] !== '#') {
      out.push(at + first);
      const dash = line.slice(first).match(/^(-\s+)+/);
      if (dash) out.push(at + first + dash[0].length);
    }
    at += line.length + 1;
  }
  return out;
}

function apply(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function comments(text: string): string[] {
  return text.split('\n').flatMap((line) => line.match(/(?:^|\s)(#.*)$/)?.[1] ?? []);
}

/**
 * Error and warning diagnostics as position-free keys (file, code, message). A set, not counts:
 * copying a route's match (header canary) also copies an error the match already has, which is
 * not a new kind of error. A route's ordinal in a message is not part of the key: a route added
 * before another renumbers what is said about the routes after it (IST0130), the same problem.
 */
function problemKeys(service: ReturnType<typeof newService>, uris: string[]): Set<string> {
  return new Set(
    uris.flatMap((uri) =>
      service
        .diagnoseDiskFile(uri, settings)
        .flatMap((p) => (p.severity === 'error' || p.severity === 'warning' ? [`${uri} ${p.code} ${p.message.replace(/\b(HTTP|TCP|TLS) route \d+/g, '$1 route #')}`] : [])),
    ),
  );
}

interface Outcome {
  results: number;
  /** Offers with a question that has no default (nothing would be right without the user): asked, not applied. */
  asked: string[];
  /** Offers that say why they cannot be done here (offered disabled): not applied. */
  unavailable: string[];
  byId: Map<string, number>;
  failures: string[];
}

/** Kinds of document a refactoring may change besides the one under the cursor. */
const ALSO_EDITED = /^kind:\s*(DestinationRule|PeerAuthentication)\s*$/m;

function exercise(files: string[], root: string, outcome: Outcome): void {
  const service = newService();
  const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  for (const [f, t] of texts) service.setDiskFile(f, t);
  const baseline = problemKeys(service, files);
  const seen = new Set<string>();
  for (const [uri, text] of texts) {
    for (const offset of nodeOffsets(text)) {
      const ctx = service.context(settings);
      for (const offer of offerRefactorings(ctx, uri, offset)) {
        const where = `${relative(root, uri)}@${text.slice(0, offset).split('\n').length} ${offer.id}`;
        if (offer.unavailable) {
          outcome.unavailable.push(`${where}: ${offer.unavailable}`);
          continue;
        }
        if (offer.inputs.some((i) => i.default === '')) {
          outcome.asked.push(`${where}: ${offer.title}`);
          continue;
        }
        const edits = applyRefactoring(ctx, uri, offset, offer.id);
        if (typeof edits === 'string') {
          outcome.failures.push(`${where}: offered but refused: ${edits}`);
          continue;
        }
        const key = JSON.stringify(edits);
        if (seen.has(key)) continue;
        seen.add(key);
        outcome.results++;
        outcome.byId.set(offer.id, (outcome.byId.get(offer.id) ?? 0) + 1);
        const changed = new Map<string, string>();
        for (const u of new Set(edits.map((e) => e.uri)))
          changed.set(
            u,
            apply(
              texts.get(u)!,
              edits.filter((e) => e.uri === u),
            ),
          );
        for (const [u, after] of changed) {
          const before = texts.get(u)!;
          const errors = parseAllDocuments(after).flatMap((d) => ('errors' in d ? d.errors : []));
          if (errors.length > 0) outcome.failures.push(`${where}: ${relative(root, u)} does not parse: ${errors[0].message}`);
          for (const c of comments(before)) if (!after.includes(c)) outcome.failures.push(`${where}: lost comment ${c}`);
          const docs = splitDocuments(before);
          // A caret at a document boundary (on a `---` line) is in both documents: either may be the one the refactoring is about.
          const cursorDocs = u === uri ? docs.filter((d) => d.start <= offset && offset <= d.end) : [];
          for (const doc of docs) {
            if (after.includes(doc.text) || cursorDocs.includes(doc) || ALSO_EDITED.test(doc.text)) continue;
            outcome.failures.push(`${where}: changed another document of ${relative(root, u)}`);
          }
          service.setDiskFile(u, after);
        }
        const now = problemKeys(service, files);
        for (const k of now) if (!baseline.has(k)) outcome.failures.push(`${where}: new problem ${relative(root, k)}`);
        for (const u of changed.keys()) service.setDiskFile(u, texts.get(u)!);
      }
    }
  }
}

describe('every refactoring at every node', () => {
  const exercised = new Set<string>();
  afterAll(() => {
    // Together, the corpora exercise every refactoring.
    expect(REFACTORING_IDS.filter((id) => !exercised.has(id))).toEqual([]);
  });

  it("of Istio's samples (file by file, and the Bookinfo setup together)", async () => {
    const root = join(sharedDir, 'istio-samples');
    const outcome: Outcome = { results: 0, asked: [], unavailable: [], byId: new Map(), failures: [] };
    for (const f of yamlFiles(root)) {
      exercise([f], root, outcome);
      // Let vitest's worker answer its runner between files: one synchronous minute times it out.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const bookinfo = ['platform/kube/bookinfo.yaml', 'networking/bookinfo-gateway.yaml', 'networking/destination-rule-all.yaml', 'networking/virtual-service-all-v1.yaml'];
    exercise(
      bookinfo.map((f) => join(root, 'bookinfo', f)),
      root,
      outcome,
    );
    // The Gateway API setups, with the per-version Services the Gateway API routes name.
    const gatewayApiSetups = [
      ['bookinfo/platform/kube/bookinfo.yaml', 'bookinfo/platform/kube/bookinfo-versions.yaml', 'bookinfo/gateway-api/bookinfo-gateway.yaml', 'bookinfo/gateway-api/route-all-v1.yaml'],
      ['helloworld/helloworld.yaml', 'helloworld/gateway-api/helloworld-versions.yaml', 'helloworld/gateway-api/helloworld-gateway.yaml', 'helloworld/gateway-api/helloworld-route.yaml'],
    ];
    for (const setup of gatewayApiSetups) {
      exercise(
        setup.map((f) => join(root, f)),
        root,
        outcome,
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(outcome.failures.slice(0, 30)).toEqual([]);
    // An offer without a default says in its title why it asks.
    expect(outcome.asked.filter((a) => !/no Service|no other version|asks for/.test(a))).toEqual([]);
    // The HTTPRoute refactorings were offered and applied on the Gateway API samples (they apply to nothing else).
    const httpRouteIds = ['gateway-canary', 'gateway-header-canary', 'gateway-split', 'gateway-promote'];
    expect(httpRouteIds.filter((id) => !(outcome.byId.get(id)! > 0))).toEqual([]);
    // Not vacuous: most refactorings found something to do in Istio's own manifests.
    expect(outcome.results).toBeGreaterThan(300);
    expect([...outcome.byId.keys()].sort()).toEqual(
      expect.arrayContaining(['canary', 'circuit-breaker', 'fault-abort', 'fault-delay', 'header-canary', 'mirror', 'mtls-namespace', 'promote', 'require-jwt', 'retries', 'split', 'timeout']),
    );
    for (const id of outcome.byId.keys()) exercised.add(id);
  }, 300_000); // Several hundred files, each diagnosed again after each refactoring: slow on a loaded machine.

  it('of the project’s samples/ (one workspace)', () => {
    const root = join(repoRoot, 'samples');
    const outcome: Outcome = { results: 0, asked: [], unavailable: [], byId: new Map(), failures: [] };
    exercise(yamlFiles(root), root, outcome);
    expect(outcome.failures.slice(0, 30)).toEqual([]);
    expect(outcome.results).toBeGreaterThan(50);
    for (const id of outcome.byId.keys()) exercised.add(id);
  });

  it('of the fixtures written for what the samples lack (beta apiVersions, ratio weights, unlisted workload versions)', () => {
    const root = join(repoRoot, 'test', 'fixtures', 'refactor');
    const outcome: Outcome = { results: 0, asked: [], unavailable: [], byId: new Map(), failures: [] };
    exercise(yamlFiles(root), root, outcome);
    expect(outcome.failures.slice(0, 30)).toEqual([]);
    // Ratio weights and a GRPCRoute are in gateway-api.yaml: every HTTPRoute refactoring applied there too.
    const httpRouteIds = ['gateway-canary', 'gateway-header-canary', 'gateway-split', 'gateway-promote', 'gateway-normalize'];
    expect(httpRouteIds.filter((id) => !(outcome.byId.get(id)! > 0))).toEqual([]);
    for (const id of outcome.byId.keys()) exercised.add(id);
  });
});
