// Findings grouped by cause: one record per signature (the broken property and where it broke),
// with the first example kept for reduction and a count of the others.
import type { Recipe } from './recipes';
import type { Step } from './plan';
import type { Finding } from './finding';

export type { Finding } from './finding';

export interface Example {
  seed: number;
  index: number;
  step: Pick<Step, 'uri' | 'action' | 'base' | 'mutations' | 'others' | 'previous' | 'changes'>;
  text: string;
  recipe: Recipe;
  /** The client's `istio.*` settings at the time. */
  settings: Record<string, unknown>;
}

export interface FailureRecord {
  signature: string;
  finding: Finding;
  count: number;
  /** How the cause showed: error-log, error-response, istio-internal... */
  kinds: Set<string>;
  /** The requests it broke. */
  methods: Set<string>;
  /** The server's own names for where it failed (`completion`, `checkSubsets`, `workspace index`). */
  handlers: Set<string>;
  first: Example;
  /** The reduced input, its request, and what the server said on it. */
  reduced?: { text: string; recipe: Recipe; file: string; note: string; detail?: string };
}

/** Stable across inputs: quoted text, numbers and URIs replaced. */
export function normalize(text: string): string {
  return text
    .replace(/file:\/\/\S+/g, '<uri>')
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '…')
    .replace(/\d+(\.\d+)?/g, 'N')
    .trim()
    .slice(0, 200);
}

/** The first stack frame in our code (`fn (server/src/x.ts:12)`), or the first frame at all. */
export function topFrame(stack: string): string | undefined {
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l));
  const ours = frames.find((f) => /server\/src\//.test(f)) ?? frames[0];
  if (!ours) return undefined;
  const m = /at (?:(\S+) )?\(?(.*?):(\d+):\d+\)?$/.exec(ours.trim());
  if (!m) return ours.trim();
  const file = m[2].replace(/^.*?(server\/src\/|node_modules\/|dist\/)/, '$1');
  return `${m[1] ?? '<anonymous>'} (${file}:${m[3]})`;
}

/** The server's name for what failed: `completion failed: ...`, `checkSubsets failed on <uri>: ...`. */
export function handlerOf(text: string): string | undefined {
  return /^(?:-?\d+: )?([\w ]+?) failed(?::| on )/.exec(text)?.[1] ?? /The checker failed here \(([\w ]+):/.exec(text)?.[1];
}

/** The error itself (`TypeError: x is undefined`), without who reported it or the advice after it. */
export function coreOf(text: string): string {
  const first = text.split('\n')[0];
  const m = /\b((?:[A-Z]\w*)?Error|Exception): (.+)$/.exec(first);
  const core = m ? `${m[1]}: ${m[2]}` : first.replace(/^(?:-?\d+: )?[\w ]+? failed(?: on \S+)?: /, '');
  return normalize(core.replace(/\.? Please report it.*$/, '').replace(/\); the other checks.*$/, ''));
}

const ERROR_KINDS = new Set(['error-log', 'error-response', 'istio-internal', 'stderr', 'server-exit']);

export class FailureBook {
  readonly records = new Map<string, FailureRecord>();
  /** Error cores seen with a stack, and their top frame: lets answers without a stack join their cause. */
  private readonly frames = new Map<string, string>();

  constructor(readonly limit: number) {}

  get full(): boolean {
    return this.records.size >= this.limit;
  }

  /**
   * The cause: for errors, the error's class and the first frame of our code that threw it
   * (messages vary with the input); otherwise the property, request and subject. An error without
   * a stack (an error response, an istio-internal diagnostic) takes the frame of the same error
   * logged in the same batch, else of the same error seen before.
   */
  signatureOf(f: Finding, batch = new Map<string, string>()): string {
    if (!ERROR_KINDS.has(f.kind)) return `${f.kind}|${f.method}|${f.subject ?? ''}`;
    const core = coreOf(f.detail);
    let frame = topFrame(f.detail);
    if (frame) {
      if (!this.frames.has(core)) this.frames.set(core, frame);
    } else {
      const text = normalize(f.detail);
      const match = (frames: Map<string, string>) => [...frames.keys()].filter((k) => core.includes(k) || text.includes(k)).sort((a, b) => b.length - a.length)[0];
      const known = match(batch) ?? match(this.frames);
      frame = known === undefined ? undefined : (batch.get(known) ?? this.frames.get(known));
    }
    const errorClass = /^(\w*(?:Error|Exception)):/.exec(core)?.[1];
    return frame && errorClass ? `error|${errorClass}|${frame}` : `error|${core}|${frame ?? ''}`;
  }

  /** The causes of a batch of findings (a request's answer and logs together). */
  signaturesOf(findings: Finding[]): string[] {
    const batch = this.batchFrames(findings);
    return findings.map((f) => this.signatureOf(f, batch));
  }

  private batchFrames(findings: Finding[]): Map<string, string> {
    const batch = new Map<string, string>();
    for (const f of findings) {
      const frame = ERROR_KINDS.has(f.kind) ? topFrame(f.detail) : undefined;
      if (frame) batch.set(coreOf(f.detail), frame);
    }
    return batch;
  }

  /** Adds a batch of findings (the ones with a stack first, so the others join their cause); the new causes. */
  add(findings: Finding[], example: () => Example): FailureRecord[] {
    const fresh: FailureRecord[] = [];
    const batch = this.batchFrames(findings);
    const ordered = [...findings].sort((a, b) => Number(!topFrame(a.detail)) - Number(!topFrame(b.detail)));
    for (const finding of ordered) {
      const signature = this.signatureOf(finding, batch);
      const handler = handlerOf(finding.detail);
      const known = this.records.get(signature);
      if (known) {
        known.count++;
        known.kinds.add(finding.kind);
        known.methods.add(finding.method);
        if (handler) known.handlers.add(handler);
        continue;
      }
      if (this.full) continue;
      const record = { signature, finding, count: 1, kinds: new Set([finding.kind]), methods: new Set([finding.method]), handlers: new Set(handler ? [handler] : []), first: example() };
      this.records.set(signature, record);
      fresh.push(record);
    }
    return fresh;
  }
}
