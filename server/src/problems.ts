// What analysis finds, in model terms (offsets), before conversion to LSP at the edge.
import { CATALOG, type CatalogKey, type Severity } from './catalog';

export type ProblemData =
  | { type: 'unknown-field'; field: string; suggestion?: string; allowed: string[] }
  | { type: 'enum'; value: string; allowed: string[]; suggestion?: string }
  | { type: 'type'; expected: string[] }
  | { type: 'required'; field: string }
  | { type: 'exclusive'; fields: string[] }
  | { type: 'cel'; rule: string }
  | { type: 'constraint' }
  | { type: 'kind'; kinds: string[]; suggestion?: string }
  | { type: 'api-version'; versions: string[]; preferred?: string }
  | { type: 'subset-not-found'; host: string; subset: string; defined: string[]; suggestion?: string; ruleUri?: string; ruleName?: string; ruleNamespace?: string }
  | { type: 'reference'; target: 'gateway' | 'host' | 'destination-rule'; name: string }
  | { type: 'weights'; routeKind: string; routeIndex: number }
  | { type: 'duplicate'; what: string }
  | { type: 'semantic' };

export interface Problem {
  /** Offsets in the file. */
  start: number;
  end: number;
  code: string;
  severity: Severity;
  message: string;
  data?: ProblemData;
}

export function problem(key: CatalogKey, start: number, end: number, message: string, data?: ProblemData): Problem {
  const entry = CATALOG[key];
  return { start, end, code: entry.code, severity: entry.severity, message, data };
}

/** Closest candidate by edit distance (case-insensitive), if close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const lower = word.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase().replace(/[_-]/g, ''));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = maxDistance ?? Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 4) return Math.abs(a.length - b.length);
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}
