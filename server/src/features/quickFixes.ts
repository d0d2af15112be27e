// Quick fixes, dispatched on a diagnostic's code and data payload (never its message). Each
// fix edits only what it must; other lines, comments and documents stay byte-identical.
import type { Problem } from '../problems';
import { allDestinations } from '../workspace/extract';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';
import { addSubsetsEdit } from './refactor/subsets';
import { detectStyle } from './shapes';
import { columnOf, deleteListItem, eol, lineEndAfter, replaceScalar, type Edit } from './textEdits';

export interface Fix {
  title: string;
  isPreferred?: boolean;
  problem: Problem;
  edits: Edit[];
}

export interface FixContext {
  index: WorkspaceIndex;
  uri: string;
  /** Text of the file the problems belong to. */
  text: string;
  /** Text of any workspace file (for edits in another file). */
  fileText(uri: string): string | undefined;
}

export function quickFixes(ctx: FixContext, problems: Problem[]): Fix[] {
  return problems.flatMap((problem) => fixesFor(ctx, problem));
}

function fixesFor(ctx: FixContext, p: Problem): Fix[] {
  const data = p.data;
  const change = (title: string, value: string, isPreferred = false): Fix => ({ title, isPreferred, problem: p, edits: [replaceScalar(ctx.uri, ctx.text, p.start, p.end, value)] });
  switch (data?.type) {
    case 'unknown-field':
      return data.suggestion ? [change(`Change to '${data.suggestion}'`, data.suggestion, true)] : [];
    case 'enum': {
      const others = data.allowed.length <= 8 ? data.allowed.filter((v) => v !== data.suggestion).map((v) => change(`Change to '${v}'`, v)) : [];
      return [...(data.suggestion ? [change(`Change to '${data.suggestion}'`, data.suggestion, true)] : []), ...others];
    }
    case 'kind':
      return data.suggestion ? [change(`Change to '${data.suggestion}'`, data.suggestion, true)] : [];
    case 'api-version':
      return data.preferred ? [change(`Change apiVersion to ${data.preferred}`, data.preferred, true)] : [];
    case 'subset-not-found':
      return subsetFixes(ctx, p, data, change);
    case 'weights':
      return spreadWeights(ctx, p, data.routeKind, data.routeIndex);
    case 'duplicate':
      return removeDuplicate(ctx, p, data.what);
    default:
      return [];
  }
}

type SubsetData = Extract<Problem['data'], { type: 'subset-not-found' }>;

function subsetFixes(ctx: FixContext, p: Problem, data: SubsetData, change: (t: string, v: string, preferred?: boolean) => Fix): Fix[] {
  const fixes: Fix[] = [];
  const rule = data.ruleUri ? ctx.index.entries(data.ruleUri).find((e) => e.info.kind === 'DestinationRule' && e.name === data.ruleName && e.namespace === data.ruleNamespace) : undefined;
  const ruleText = data.ruleUri ? ctx.fileText(data.ruleUri) : undefined;
  if (rule && ruleText !== undefined) {
    const edit = addSubsetsEdit(rule, ruleText, [data.subset]);
    if (edit) fixes.push({ title: `Add subset '${data.subset}' to DestinationRule ${rule.name}`, isPreferred: true, problem: p, edits: [edit] });
  }
  const ordered = data.suggestion ? [data.suggestion, ...data.defined.filter((d) => d !== data.suggestion)] : data.defined;
  fixes.push(...ordered.map((name) => change(`Change to '${name}'`, name)));
  if (!rule && data.defined.length === 0) {
    const created = createDestinationRule(ctx, p, data);
    if (created) fixes.push(created);
  }
  return fixes;
}

function entryAt(ctx: FixContext, offset: number): IndexedResource | undefined {
  return ctx.index.entryAt(ctx.uri, offset);
}

/** Appends a DestinationRule defining every subset the VirtualService routes to for the host. */
function createDestinationRule(ctx: FixContext, p: Problem, data: SubsetData): Fix | undefined {
  const vs = entryAt(ctx, p.start);
  const info = vs?.info.virtualService;
  if (!vs || !info) return undefined;
  const dests = allDestinations(info).filter((d) => d.host && ctx.index.resolve(d.host.value, vs.namespace) === data.host);
  const written = dests[0]?.host?.value ?? data.host;
  const subsets = [...new Set(dests.flatMap((d) => (d.subset ? [d.subset.value] : [])))];
  const style = detectStyle(vs.resource.text);
  const u = style.indent;
  const dash = style.flushSequences ? u : u + u;
  const nl = eol(ctx.text);
  const name = written.split('.')[0].replace(/[^a-z0-9-]/g, '-') || 'destination';
  const lines = [
    '---',
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata:',
    `${u}name: ${name}`,
    ...(vs.info.namespace ? [`${u}namespace: ${vs.info.namespace}`] : []),
    'spec:',
    `${u}host: ${written}`,
    `${u}subsets:`,
    ...subsets.flatMap((s) => [`${dash}- name: ${s}`, `${dash}  labels:`, `${dash}  ${u}version: ${s}`]),
  ];
  const lead = ctx.text.length > 0 && !ctx.text.endsWith('\n') ? nl : '';
  return { title: `Create DestinationRule ${name} with subsets ${subsets.join(', ')}`, problem: p, edits: [{ uri: ctx.uri, start: ctx.text.length, end: ctx.text.length, newText: lead + lines.join(nl) + nl }] };
}

/** Gives a route's destinations integer weights that sum to 100. */
function spreadWeights(ctx: FixContext, p: Problem, routeKind: string, routeIndex: number): Fix[] {
  const vs = entryAt(ctx, p.start);
  const route = vs?.info.virtualService?.routes.find((r) => r.routeKind === routeKind && r.index === routeIndex);
  if (!vs || !route) return [];
  const n = route.destinations.length;
  const base = vs.resource.base;
  const edits: Edit[] = [];
  for (const [i, dest] of route.destinations.entries()) {
    const weight = String(Math.floor(100 / n) + (i < 100 % n ? 1 : 0));
    if (dest.weightRef) {
      edits.push(replaceScalar(ctx.uri, ctx.text, base + dest.weightRef.start, base + dest.weightRef.end, weight));
      continue;
    }
    if (!dest.itemSpan || ctx.text[base + dest.itemSpan.start] === '{') return [];
    const at = lineEndAfter(ctx.text, base + dest.itemSpan.end);
    const lead = ctx.text[at - 1] !== '\n' ? eol(ctx.text) : '';
    edits.push({ uri: ctx.uri, start: at, end: at, newText: `${lead}${' '.repeat(columnOf(ctx.text, base + dest.itemSpan.start))}weight: ${weight}${eol(ctx.text)}` });
  }
  return [{ title: 'Spread the weights evenly (total 100)', isPreferred: true, problem: p, edits }];
}

function removeDuplicate(ctx: FixContext, p: Problem, what: string): Fix[] {
  if (what === 'subset') {
    const dr = entryAt(ctx, p.start);
    const subset = dr?.info.destinationRule?.subsets.find((s) => s.name && dr.resource.base + s.name.start === p.start);
    const edit = dr && subset && deleteListItem(ctx.uri, ctx.text, dr.resource.base + subset.span.start, dr.resource.base + subset.span.end);
    return edit ? [{ title: `Remove the duplicate subset '${subset!.name!.value}'`, problem: p, edits: [edit] }] : [];
  }
  if (what === 'match') {
    // Removing a route's only match would turn it into a catch-all.
    const vs = entryAt(ctx, p.start);
    const route = vs?.info.virtualService?.routes.find((r) => r.matches.some((m) => vs.resource.base + m.span.start === p.start));
    if (!route || route.matches.length < 2) return [];
  }
  const edit = deleteListItem(ctx.uri, ctx.text, p.start, p.end);
  return edit ? [{ title: `Remove the duplicate ${what}`, isPreferred: true, problem: p, edits: [edit] }] : [];
}
