// The fuzzer's script, computed without the server: which document is opened, changed or closed
// at each step and with what text. Step n draws only from (seed, n) and the planner's own state,
// so the same seed gives the same script, and a failure's step can be re-planned exactly.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CorpusFile } from './corpus';
import { mutate } from './mutations';
import { mixSeed, Rng } from './rng';

export interface ContentChange {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

export interface OpenDocument {
  uri: string;
  version: number;
  text: string;
  /** The corpus file it started from. */
  base?: string;
}

export interface Step {
  /** The document index: what a failure report names, with the seed. */
  index: number;
  uri: string;
  action: 'open' | 'change';
  version: number;
  text: string;
  /** For a change: the text before it and the incremental changes the client sends. */
  previous?: string;
  changes?: ContentChange[];
  /** Documents to close before the step (so that at most a few are open), as they were. */
  close: OpenDocument[];
  /** The other documents open during the step (context for cross-file analysis). */
  others: OpenDocument[];
  base: string;
  mutations: string[];
  /** New `istio.*` settings the client announces before the step (version, namespaces...). */
  settings?: Record<string, unknown>;
  /** File-watcher events (of workspace files that are not open) sent before the step. */
  watched?: { uri: string; type: 1 | 2 | 3 }[];
}

const SETTINGS: Record<string, unknown>[] = [
  { version: '1.30', validate: { enable: true } },
  { version: '1.29', validate: { enable: true } },
  { version: '1.31', validate: { enable: true } },
  { version: '1.30', validate: { enable: true }, defaultNamespace: 'shop', clusterDomain: 'example.org' },
  { version: '1.31', validate: { enable: true }, exclude: ['mistakes/**'] },
  { version: '1.30', validate: { enable: false } },
  { version: '2.0', validate: { enable: 'yes' }, exclude: 'all', clusterDomain: 7 },
];

const MAX_OPEN = 3;

/** The changes a client sends for old → new: one range edit, the whole text, or two edits in a row. */
function contentChanges(rng: Rng, before: string, after: string): ContentChange[] {
  const changes = rangeChanges(rng, before, after);
  // A lone \r next to the edit can join a line break differently once applied: send the whole text then.
  const doc = TextDocument.create('x', 'yaml', 0, before);
  TextDocument.update(doc, changes, 1);
  const same = doc.getText() === after && doc.lineCount === TextDocument.create('y', 'yaml', 0, after).lineCount;
  return same ? changes : [{ text: after }];
}

function rangeChanges(rng: Rng, before: string, after: string): ContentChange[] {
  if (rng.chance(0.12)) return [{ text: after }];
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  // Never split a CRLF, old or new: an editor's edits do not (vscode-languageserver-textdocument
  // miscounts lines when an edit's text ends in \r before a kept \n).
  let start = prefix;
  let end = before.length - suffix;
  while (start > 0 && before[start - 1] === '\r' && (before[start] === '\n' || after[start] === '\n')) start--;
  while (end < before.length && before[end] === '\n' && (before[end - 1] === '\r' || after[after.length - (before.length - end) - 1] === '\r')) end++;
  const doc = TextDocument.create('x', 'yaml', 0, before);
  const range = { start: doc.positionAt(start), end: doc.positionAt(end) };
  const inserted = after.slice(start, after.length - (before.length - end));
  if (!rng.chance(0.2) || inserted === '' || start === end) return [{ range, text: inserted }];
  // Delete first, then insert at the now-empty range: two changes applied in sequence.
  return [
    { range, text: '' },
    { range: { start: range.start, end: range.start }, text: inserted },
  ];
}

/**
 * One line-break style per document, as an editor keeps it (VS Code normalizes a model's EOL):
 * mixed breaks and lone \r never reach a server from a real client.
 */
export function normalizeEol(text: string): string {
  const crlf = /\r\n/.exec(text);
  const lf = /(?<!\r)\n|\r(?!\n)/.exec(text);
  const eol = crlf && (!lf || crlf.index < lf.index) ? '\r\n' : '\n';
  return text.replace(/\r\n|\r|\n/g, eol);
}

export class Planner {
  readonly open = new Map<string, OpenDocument>();
  /** The settings the client answers with (changed by some steps). */
  settings: Record<string, unknown> = SETTINGS[0];
  private readonly closedUris: string[] = [];
  private index = 0;
  private accepted?: { uri: string; text: string; label: string };

  constructor(
    private readonly seed: number,
    private readonly corpus: readonly CorpusFile[],
    private readonly root: string,
  ) {}

  next(): Step {
    const index = this.index++;
    const rng = new Rng(mixSeed(this.seed, index));
    const open = [...this.open.values()];
    const accepted = this.accepted;
    this.accepted = undefined;
    const step =
      accepted && this.open.has(accepted.uri)
        ? this.change(index, rng, this.open.get(accepted.uri)!, accepted)
        : open.length > 0 && rng.chance(0.35)
          ? this.change(index, rng, rng.pick(open))
          : this.openNew(index, rng);
    const events = rng.fork('events');
    if (events.chance(0.03)) {
      // Back to the defaults half of the time, so that most steps run with them.
      this.settings = events.chance(0.5) ? SETTINGS[0] : events.pick(SETTINGS);
      step.settings = this.settings;
    }
    if (events.chance(0.03)) {
      const onDisk = this.corpus.filter((f) => f.path.startsWith(this.root + '/')).map((f) => pathToFileURL(f.path).href);
      const closed = onDisk.filter((u) => !this.open.has(u) && !step.close.some((c) => c.uri === u));
      if (closed.length) step.watched = [{ uri: events.pick(closed), type: events.pick([1, 2, 3] as const) }];
    }
    return step;
  }

  /** The user accepts an edit the server offered: the next step applies it (then the fuzzing goes on from there). */
  accept(uri: string, text: string, label: string): void {
    this.accepted = { uri, text, label };
  }

  private change(index: number, rng: Rng, doc: OpenDocument, accepted?: { text: string; label: string }): Step {
    const mutated = accepted ? { text: accepted.text, applied: [`accepted ${accepted.label}`] } : mutate(rng, doc.text, this.corpus, rng.int(1, 2), rng.chance(0.3));
    const text = normalizeEol(mutated.text);
    const applied = mutated.applied;
    const step: Step = {
      index,
      uri: doc.uri,
      action: 'change',
      version: doc.version + 1,
      text,
      previous: doc.text,
      changes: contentChanges(rng, doc.text, text),
      close: [],
      others: this.othersThan(doc.uri),
      base: '(previous step)',
      mutations: applied,
    };
    this.open.set(doc.uri, { ...doc, version: step.version, text });
    return step;
  }

  private openNew(index: number, rng: Rng): Step {
    // Often a neighbour of an open document (its DestinationRule, its Gateway), for cross-file
    // answers; files with Istio resources three times as often as the others (Deployments, addons).
    const near = [...this.open.values()].flatMap((d) => (d.base ? [d.base.slice(0, d.base.lastIndexOf('/'))] : []));
    const dir = near.length && rng.chance(0.4) ? rng.pick(near) + '/' : '';
    const pool = this.corpus.filter((f) => f.name.startsWith(dir));
    const base = rng.weighted(pool.map((f) => [/\.istio\.io\//.test(f.text) ? 3 : 1, f] as const));
    const valid = rng.chance(0.3);
    const count = valid
      ? rng.int(1, 3)
      : rng.weighted<number>([
          [2, 0],
          [5, 1],
          [4, 2],
          [2, 3],
          [1, 5],
        ]);
    const mutated = mutate(rng, base.text, this.corpus, count, valid);
    const text = normalizeEol(mutated.text);
    const applied = mutated.applied;
    // Files of the workspace folder sometimes open at their own URI, overlaying the file on disk.
    const own = pathToFileURL(base.path).href;
    const inRoot = base.path.startsWith(this.root + '/') && !this.open.has(own) && rng.chance(0.4);
    // Sometimes a URI that was open before (version 1 again, another text): caches must not mix them up.
    const reused = this.closedUris.filter((u) => !this.open.has(u));
    const uri = inRoot ? own : reused.length && rng.chance(0.15) ? rng.pick(reused) : pathToFileURL(join(this.root, 'fuzz', `doc-${index}.yaml`)).href;
    const close: OpenDocument[] = [];
    while (this.open.size + 1 > MAX_OPEN || (this.open.size > 0 && rng.chance(0.15))) {
      const victim = rng.pick([...this.open.keys()].sort());
      close.push(this.open.get(victim)!);
      this.open.delete(victim);
      if (!this.closedUris.includes(victim)) this.closedUris.push(victim);
    }
    const step: Step = { index, uri, action: 'open', version: 1, text, close, others: this.othersThan(uri), base: base.name, mutations: applied };
    this.open.set(uri, { uri, version: 1, text, base: base.name });
    return step;
  }

  private othersThan(uri: string): OpenDocument[] {
    return [...this.open.values()].filter((d) => d.uri !== uri);
  }
}
