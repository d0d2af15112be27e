// Sending a document change and collecting what its analyses publish, with the properties every
// published diagnostic must have.
import { isMap, isSeq, parseAllDocuments, type Document } from 'yaml';
import { LineMap, parses, rangeProblem } from './checks';
import type { Finding } from './failures';
import type { AnalysisEnd, ServerSession } from './harness';
import type { Diagnostic } from './recipes';

export const INTERNAL_CODE = 'istio-internal';

const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];
/** The Gateway API's groups: their documents are the checker's too (counted as its resources). */
const GATEWAY_API_GROUPS = ['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'];
/** Istio API groups no supported version serves: the checker reports their documents too. */
const REMOVED_ISTIO_GROUPS = new Set(['rbac.istio.io', 'authentication.istio.io', 'config.istio.io']);

function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/**
 * How many documents of a parsing file are Istio resources (an Istio API group, or one a typo away,
 * as the README says); undefined when the file does not parse.
 */
export function istioResourceCount(text: string): number | undefined {
  if (!parses(text).ok) return undefined;
  // As the checker compares names for "did you mean": ignoring case, `-` and `_`; the groups Istio
  // removed are reported too.
  const plain = (name: string) => name.toLowerCase().replace(/[_-]/g, '');
  const isIstio = (node: unknown) => {
    const apiVersion = isMap(node) ? node.get('apiVersion') : undefined;
    if (typeof apiVersion !== 'string') return false;
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : apiVersion;
    return REMOVED_ISTIO_GROUPS.has(group) || [...ISTIO_GROUPS, ...GATEWAY_API_GROUPS].some((g) => distance(plain(group), plain(g), 2) <= 2);
  };
  let count = 0;
  for (const doc of parseAllDocuments(text) as Document[]) {
    if (isIstio(doc.contents)) count++;
    // The items of a v1 List are resources of their own.
    const root = doc.contents;
    const items = isMap(root) && root.get('apiVersion') === 'v1' && root.get('kind') === 'List' ? root.get('items') : undefined;
    if (isSeq(items)) count += items.items.filter(isIstio).length;
  }
  return count;
}

export interface Analysed {
  end: AnalysisEnd;
  /** The analyses waited for. */
  order: string[];
  ms: number;
  findings: Finding[];
  /** The target's diagnostics of its version (the last publish); [] when none came. */
  diagnostics: Diagnostic[];
}

export interface Target {
  uri: string;
  version: number;
  text: string;
}

function diagnosticFindings(uri: string, diagnostics: Diagnostic[], text: string | undefined): Finding[] {
  const map = text === undefined ? undefined : new LineMap(text);
  const out: Finding[] = [];
  for (const d of diagnostics) {
    if (d.code === INTERNAL_CODE) out.push({ kind: 'istio-internal', method: 'diagnostics', detail: d.message });
    const problem = map && rangeProblem(map, d.range);
    if (problem) out.push({ kind: 'bad-range', method: 'diagnostics', subject: 'diagnostic range', detail: `${String(d.code)} on ${uri}: ${problem}` });
    if (d.code === undefined || d.code === '' || d.source !== 'istio')
      out.push({ kind: 'bad-diagnostic', method: 'diagnostics', subject: 'code/source', detail: `code ${String(d.code)}, source ${String(d.source)}: ${d.message}` });
  }
  return out;
}

/**
 * Sends `notify` and waits for the analyses in `order`; checks every diagnostic published meanwhile
 * (the target's against its text, the others' against theirs).
 */
export async function analyse(
  session: ServerSession,
  notify: () => void,
  order: string[],
  target: Target | undefined,
  textOf: (uri: string) => string | undefined,
  method = 'diagnostics',
): Promise<Analysed> {
  const since = session.notificationCount;
  notify();
  const wait = await session.analysis(order, since);
  const findings: Finding[] = [];
  if (wait.end === 'hang') findings.push({ kind: 'hang', method, detail: `the analyses did not finish within the deadline (waiting for ${order.length})` });
  if (wait.end === 'exit') findings.push({ kind: 'server-exit', method, detail: session.client.stderr.slice(-2000) || 'the server exited' });
  for (const log of wait.logs) findings.push({ kind: log.startsWith('stderr:') ? 'stderr' : 'error-log', method, detail: log });
  let diagnostics: Diagnostic[] = [];
  let status: { resourceCount?: number } | undefined;
  for (const m of session.notificationsSince(since)) {
    if (m.method === 'istio/documentStatus' && target && m.params.uri === target.uri) status = m.params;
    if (m.method !== 'textDocument/publishDiagnostics') continue;
    const { uri, version } = m.params as { uri: string; version?: number };
    const mine = target && uri === target.uri;
    if (mine && version !== undefined && version < target.version)
      findings.push({ kind: 'stale-publish', method, detail: `diagnostics of version ${version} published after version ${target.version} was sent` });
    if (mine && version !== target.version) continue;
    findings.push(...diagnosticFindings(uri, m.params.diagnostics, mine ? target.text : textOf(uri)));
    if (mine) diagnostics = m.params.diagnostics;
  }
  const expected = target && status ? istioResourceCount(target.text) : undefined;
  if (expected !== undefined && status!.resourceCount !== expected)
    findings.push({
      kind: 'resource-count',
      method,
      subject: 'documentStatus',
      detail: `istio/documentStatus says ${status!.resourceCount} Istio resources; the yaml package finds ${expected} documents of Istio API groups`,
    });
  return { end: wait.end, order, ms: wait.ms, findings, diagnostics };
}
