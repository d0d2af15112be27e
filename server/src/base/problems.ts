// What analysis finds, in model terms (offsets), before conversion to LSP at the edge.
import { CATALOG, type CatalogKey, type Severity } from './catalog';

export type ProblemData =
  | {
      type: 'unknown-field';
      field: string;
      suggestion?: string;
      allowed: string[];
      /** The map where the field belongs (a known field in the wrong place): its path in the document and what it is. */
      home?: { path: (string | number)[]; label: string };
    }
  | { type: 'enum'; value: string; allowed: string[]; suggestion?: string }
  | { type: 'type'; expected: string[]; unquoted?: string }
  | { type: 'required'; field: string }
  | { type: 'exclusive'; fields: string[] }
  | { type: 'cel'; rule: string }
  | { type: 'constraint' }
  | { type: 'kind'; kinds: string[]; suggestion?: string }
  | { type: 'api-version'; versions: string[]; preferred?: string }
  | { type: 'subset-not-found'; host: string; subset: string; defined: string[]; suggestion?: string; ruleUri?: string; ruleName?: string; ruleNamespace?: string }
  | { type: 'reference'; target: 'gateway' | 'host' | 'port' | 'destination-rule'; name: string }
  /** A Gateway API reference (parentRef name or sectionName, backendRef name) that names nothing: the closest name, and those there are. */
  | { type: 'gateway-api-ref'; target: 'gateway' | 'listener' | 'service' | 'serviceEntry'; name: string; suggestion?: string; candidates: string[] }
  | { type: 'weights'; routeKind: string; routeIndex: number }
  | { type: 'duplicate'; what: string; names?: string[] }
  /** A backendRef port the Service does not have: its ports, the one that suits the route's kind first. */
  | { type: 'backend-port'; port: number; ports: number[] }
  /** A cross-namespace reference no ReferenceGrant allows: what the grant that would allow it says. */
  | { type: 'reference-grant'; from: { group: string; kind: string; namespace: string }; to: { group: string; kind: string; namespace: string; name: string } }
  /** A use-waypoint label naming a waypoint the workspace lacks: the waypoint Gateway that would serve it. */
  | { type: 'waypoint'; name: string; namespace: string; trafficType: string; allNamespaces: boolean }
  /** An L7 AuthorizationPolicy bound by selector in an ambient namespace: the Services it would attach to instead, and their waypoint (same namespace) if known. */
  | { type: 'policy-targets'; services: { kind: string; name: string }[]; waypoint?: string }
  | { type: 'semantic' }
  | { type: 'internal'; where: string; detail?: string };

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

/**
 * The checker's own failure, shown where it happened instead of an answer that looks clean.
 * `detail` (the stack) is for the log; the message carries the reason in one line.
 */
export function internalProblem(where: string, start: number, end: number, error: unknown): Problem {
  const reason = failureReason(error, 200);
  const detail = error instanceof Error && error.stack ? error.stack : reason;
  return problem('internal', start, Math.max(end, start + 1), `The checker failed here (${where}: ${reason}); the other checks still ran. Please report it.`, { type: 'internal', where, detail });
}

/** What was thrown, in one line of at most `max` characters: `TypeError: Cannot read ...`. */
export function failureReason(error: unknown, max: number): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0].slice(0, max);
}

/** Runs `work`; a throw becomes an `istio-internal` problem at `at()` instead of losing the rest. */
export function guarded(where: string, at: () => { start: number; end: number }, work: () => Problem[]): Problem[] {
  try {
    return work();
  } catch (e) {
    const { start, end } = at();
    return [internalProblem(where, start, end, e)];
  }
}

/**
 * A value written by the user as a message quotes it: between double quotes and not escaped
 * (`"3"`, never `"\"3\""`), on one line (a block scalar's first line), at most 60 characters.
 */
export function shown(value: string): string {
  const lines = value.replace(/\s+$/, '').split(/\r?\n/);
  const chars = [...lines[0]];
  const cut = chars.length > 60 ? chars.slice(0, 59).join('') + '…' : lines[0];
  return `"${cut}${lines.length > 1 && cut === lines[0] ? ' …' : ''}"`;
}

/** Words longer than this get no "did you mean": nobody typos a 200-character name, and the work stays bounded. */
export const SUGGESTION_MAX_LENGTH = 128;

/** How many names a message lists before "and N more" (the quick fixes offer as many). */
export const MAX_LISTED_NAMES = 12;

/** `a, b, c`, or the first MAX_LISTED_NAMES and "and N more". */
export function listNames(names: string[]): string {
  return names.length > MAX_LISTED_NAMES ? `${names.slice(0, MAX_LISTED_NAMES).join(', ')} and ${names.length - MAX_LISTED_NAMES} more` : names.join(', ');
}

/** Closest candidate by edit distance (case-insensitive), if close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  if (word.length > SUGGESTION_MAX_LENGTH) return undefined;
  const lower = word.toLowerCase().replace(/[_-]/g, '');
  const limit = maxDistance ?? Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate.length > SUGGESTION_MAX_LENGTH + limit) continue;
    const d = editDistance(lower, candidate.toLowerCase().replace(/[_-]/g, ''), Math.min(limit, bestDistance - 1));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Levenshtein distance if it is at most `limit`, else `limit + 1`: only the diagonal band of
 * width 2·limit+1 is computed and a row whose minimum exceeds the limit stops early.
 */
export function editDistance(a: string, b: string, limit: number): number {
  const over = limit + 1;
  if (limit < 0) return over;
  if (Math.abs(a.length - b.length) > limit) return over;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => Math.min(j, over));
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(over);
    current[0] = Math.min(i, over);
    let rowMin = current[0];
    for (let j = Math.max(1, i - limit); j <= Math.min(b.length, i + limit); j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost, over);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) return over;
    previous = current;
  }
  return previous[b.length];
}
