// The traffic of a VirtualService as a graph, left to right: where requests come from (its
// gateways, or the mesh's sidecars) → its routes in order, with their conditions in words → each
// route's destinations (the share of the route's traffic each gets) and mirrors → the subsets
// those select → the workloads carrying the subset's labels. Nodes carry the checker's problems
// and the simulator's verdicts; positions are computed by layout.ts.
import type { DestinationView, ProblemMark, Range, RouteView, SimulateResult, TrafficView } from '../../shared/protocol';

export type Column = 0 | 1 | 2 | 3 | 4;
export type NodeKind = 'gateway' | 'route' | 'destination' | 'mirror' | 'subset' | 'workload';
export type LineKind = 'title' | 'text' | 'muted' | 'match' | 'why' | 'problem';

export interface Line {
  text: string;
  kind: LineKind;
  severity?: ProblemMark['severity'];
}

export interface GraphNode {
  id: string;
  kind: NodeKind;
  column: Column;
  lines: Line[];
  problems: ProblemMark[];
  /** `missing`: the node names something that does not exist (a subset no DestinationRule defines). */
  status: 'ok' | 'missing' | 'outside';
  reveal?: Range;
  /** A weight field (destinations of a route with more than one). */
  weight?: { range: Range; value: number; label: string };
  hit: boolean;
  /** What the node is, in one line: its accessible name and the start of its tooltip. */
  label: string;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: 'entry' | 'flow' | 'mirror';
  /** Share of the route's traffic (flow, mirror). */
  percent?: number;
  label?: string;
  hit: boolean;
  tooltip: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const ICON: Record<ProblemMark['severity'], string> = { error: '✖', warning: '⚠', information: 'ℹ', hint: '·' };

/** One line per problem: its icon and code, then the message (the node wraps and cuts it; the tooltip has all). */
export function problemLines(problems: ProblemMark[]): Line[] {
  return problems.map((p) => ({ text: `${ICON[p.severity]} ${p.code}: ${p.message}`, kind: 'problem', severity: p.severity }));
}

export function problemIcon(severity: ProblemMark['severity']): string {
  return ICON[severity];
}

function labelsText(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();

  node(id: string, make: () => Omit<GraphNode, 'id' | 'hit'>): GraphNode {
    let node = this.nodes.get(id);
    if (!node) this.nodes.set(id, (node = { id, hit: false, ...make() }));
    return node;
  }

  edge(from: string, to: string, edge: Omit<GraphEdge, 'id' | 'from' | 'to' | 'hit'>, hit: boolean): void {
    const id = `${from}->${to}`;
    const known = this.edges.get(id);
    if (known) known.hit ||= hit;
    else this.edges.set(id, { id, from, to, hit, ...edge });
    if (hit) {
      this.nodes.get(from)!.hit = true;
      this.nodes.get(to)!.hit = true;
    }
  }
}

function routeTitle(r: RouteView): string {
  return `${r.kind === 'rule' ? 'Rule' : `${r.kind.toUpperCase()} route`} ${r.index + 1}${r.name ? ` · ${r.name}` : ''}`;
}

/** Routes the simulator judges: a VirtualService's HTTP routes, an HTTPRoute's or GRPCRoute's rules. */
const simulated = (r: RouteView) => r.kind === 'http' || r.kind === 'rule';

function routeNode(r: RouteView, verdict: SimulateResult['verdicts'][number] | undefined, hit: boolean): Omit<GraphNode, 'id' | 'hit'> {
  const matches: Line[] = r.matches.length === 0 ? [{ text: 'any request', kind: 'match' }] : r.matches.map((m, i) => ({ text: `${i === 0 ? 'when' : 'or'} ${m}`, kind: 'match' }));
  const why: Line[] = verdict ? [{ text: `${hit ? '✔ takes the request' : '✘ not taken'}: ${verdict.why}`, kind: 'why' }] : [];
  return {
    kind: 'route',
    column: 1,
    label: routeTitle(r),
    lines: [{ text: routeTitle(r), kind: 'title' }, ...matches, ...r.details.map((d): Line => ({ text: d, kind: 'muted' })), ...why, ...problemLines(r.problems)],
    problems: r.problems,
    status: 'ok',
    reveal: r.range,
  };
}

function destinationName(d: DestinationView): string {
  return `${d.host}${d.port !== undefined ? `:${d.port}` : ''}`;
}

function destinationNode(r: RouteView, d: DestinationView, mirror: boolean): Omit<GraphNode, 'id' | 'hit'> {
  const name = destinationName(d);
  const share = mirror ? `${d.percent}% of requests copied` : `${d.percent}% of the route${d.weight !== undefined ? ` · weight ${d.weight}` : ''}`;
  const where: Line[] = d.status === 'outside-workspace' ? [{ text: d.note ?? 'not defined in the workspace', kind: 'muted' }] : [];
  const label = `${mirror ? 'mirror to ' : ''}${name}${d.subset ? ` · ${d.subset}` : ''}`;
  return {
    kind: mirror ? 'mirror' : 'destination',
    column: 2,
    label,
    lines: [{ text: mirror ? `mirror → ${name}` : name, kind: 'title' }, { text: share, kind: 'text' }, ...where, ...problemLines(d.problems)],
    problems: d.problems,
    status: d.status === 'outside-workspace' ? 'outside' : 'ok',
    reveal: d.range,
    weight: !mirror && r.destinations.length > 1 ? { range: d.range, value: d.weight ?? 0, label: `weight of ${label}` } : undefined,
  };
}

/** The subset a destination selects (or all of its host's endpoints), when its host resolves. */
function subsetNode(d: DestinationView): Omit<GraphNode, 'id' | 'hit'> | undefined {
  if (d.status === 'unresolved-host' || d.status === 'outside-workspace') return undefined;
  const title = d.subset !== undefined ? `subset ${d.subset}` : `all endpoints of ${d.host}`;
  const label = `${title}${d.subset !== undefined ? ` of ${d.host}` : ''}`;
  if (d.status === 'unresolved-subset') {
    return {
      kind: 'subset',
      column: 3,
      label,
      lines: [
        { text: title, kind: 'title' },
        { text: 'not defined', kind: 'muted' },
      ],
      problems: [],
      status: 'missing',
      reveal: d.range,
    };
  }
  const lines: Line[] = [{ text: title, kind: 'title' }];
  if (d.subset !== undefined && d.note) lines.push({ text: d.note, kind: 'muted' });
  const labels = labelsText(d.labels);
  if (labels) lines.push({ text: labels, kind: 'text' });
  if (d.workloads.length === 0) lines.push({ text: 'no workloads', kind: 'muted' });
  // Clicked, it shows the (first) destination that selects it.
  return { kind: 'subset', column: 3, label, lines: [...lines, ...problemLines(d.subsetProblems)], problems: d.subsetProblems, status: 'ok', reveal: d.range };
}

function addDestination(g: GraphBuilder, routeId: string, r: RouteView, d: DestinationView, i: number, mirror: boolean, hit: boolean): void {
  const id = `${routeId}/${mirror ? 'mirror' : 'dest'}-${i}`;
  g.node(id, () => destinationNode(r, d, mirror));
  const flows = hit && d.percent > 0;
  const tooltip = `${d.percent}% of ${routeTitle(r)}${mirror ? ' mirrored' : ''} to ${destinationName(d)}${d.percent === 0 ? ': this destination gets no traffic' : ''}`;
  g.edge(routeId, id, { kind: mirror ? 'mirror' : 'flow', percent: d.percent, label: `${mirror ? 'mirror ' : ''}${d.percent}%`, tooltip }, flows);
  const subset = subsetNode(d);
  if (!subset) return;
  const subsetId = `subset:${d.host}|${d.subset ?? ''}`;
  g.node(subsetId, () => subset);
  g.edge(id, subsetId, { kind: mirror ? 'mirror' : 'flow', percent: d.percent, tooltip }, flows);
  for (const w of d.workloads) {
    const workloadId = `workload:${w}`;
    const workload = g.node(workloadId, () => ({ kind: 'workload', column: 4, label: `workload ${w}`, lines: [{ text: w, kind: 'title' }], problems: [], status: 'ok' }));
    const labels = labelsText(d.labels);
    if (labels && !workload.lines.some((l) => l.text === labels)) workload.lines.push({ text: labels, kind: 'text' });
    g.edge(subsetId, workloadId, { kind: mirror ? 'mirror' : 'flow', tooltip: `${subset.label} selects ${w}` }, flows);
  }
}

/** The graph of a view; `simulation` marks the path of the simulated request. */
export function trafficGraph(view: TrafficView, simulation?: SimulateResult): Graph {
  const g = new GraphBuilder();
  const verdicts = new Map((simulation?.verdicts ?? []).map((v) => [v.index, v]));
  const gatewayIds = view.gateways.map((name) => {
    const problems = view.gatewayProblems?.[name] ?? [];
    // An HTTPRoute's parent is named in full (`Gateway infra/web · http`), with the listeners it binds.
    const parent = view.parents?.find((p) => p.name === name);
    const title = parent ? name : name === 'mesh' ? 'mesh (sidecars)' : `gateway ${name}`;
    const lines: Line[] = [{ text: title, kind: 'title' }, ...(parent?.lines ?? []).map((text): Line => ({ text, kind: 'muted' })), ...problemLines(problems)];
    g.node(`gateway:${name}`, () => ({ kind: 'gateway', column: 0, label: title, lines, problems, status: 'ok', reveal: view.range }));
    return `gateway:${name}`;
  });
  for (const r of view.routes) {
    const hit = simulated(r) && simulation?.route === r.index;
    const routeId = `route:${r.kind}-${r.index}`;
    g.node(routeId, () => routeNode(r, simulated(r) ? verdicts.get(r.index) : undefined, hit));
    for (const gateway of gatewayIds) g.edge(gateway, routeId, { kind: 'entry', tooltip: `${g.nodes.get(gateway)!.label} → ${routeTitle(r)}` }, hit);
    r.destinations.forEach((d, i) => addDestination(g, routeId, r, d, i, false, hit));
    (r.mirrors ?? []).forEach((d, i) => addDestination(g, routeId, r, d, i, true, hit));
  }
  return { nodes: [...g.nodes.values()], edges: [...g.edges.values()] };
}
