// The fuzzer's own footing: a seed gives the same script, and the incremental changes it sends
// turn each document into exactly the text it checks answers against.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { expect, it } from 'vitest';
import { loadCorpus } from './corpus';
import { Planner } from './plan';
import { FUZZ_ROOT } from './runner';

const corpus = loadCorpus();

it('replays a seed exactly', () => {
  const script = (seed: number) => {
    const planner = new Planner(seed, corpus, FUZZ_ROOT);
    return Array.from({ length: 100 }, () => planner.next()).map((s) => `${s.action} ${s.uri} ${s.text.length} ${s.mutations.join(',')}`);
  };
  expect(script(7)).toEqual(script(7));
  expect(script(7)).not.toEqual(script(8));
});

it('sends changes that give the planned text, line breaks included', () => {
  const planner = new Planner(3, corpus, FUZZ_ROOT);
  const docs = new Map<string, TextDocument>();
  let changes = 0;
  for (let i = 0; i < 600; i++) {
    const step = planner.next();
    for (const closed of step.close) docs.delete(closed.uri);
    if (step.action === 'open') {
      docs.set(step.uri, TextDocument.create(step.uri, 'yaml', 1, step.text));
      continue;
    }
    const doc = docs.get(step.uri)!;
    expect(doc.getText()).toBe(step.previous);
    TextDocument.update(
      doc,
      step.changes!.map((c) => (c.range ? { range: c.range, text: c.text } : { text: c.text })),
      step.version,
    );
    expect(doc.getText()).toBe(step.text);
    expect(doc.lineCount).toBe(TextDocument.create('x', 'yaml', 0, step.text).lineCount);
    changes++;
  }
  expect(changes).toBeGreaterThan(100);
});
