// A small layered layout for the traffic graph: five columns left to right, each as wide as its
// widest line (within bounds; longer lines wrap, then are cut with an ellipsis and kept whole in
// the tooltip). Routes keep their order top to bottom; every other node is placed at the mean
// height of the nodes that send it traffic and pushed down only as far as needed, so nodes of a
// column never overlap. Edges leave and enter at ports spread over the node's height.
import type { Column, Graph, GraphEdge, GraphNode, Line } from './graph';

/** The width of a text in the preview's font (the webview measures it; tests count characters). */
export type Measure = (text: string, bold: boolean) => number;

export const LINE_HEIGHT = 16;
export const PAD_X = 10;
export const PAD_Y = 8;
/** The row of a weight field. */
export const WEIGHT_ROW = 26;
const GAP_Y = 14;
const GAP_X = 46;
const MARGIN = 12;
const MAX_LINES = 3;
const WIDTH: Record<Column, { min: number; max: number }> = {
  0: { min: 90, max: 150 },
  1: { min: 160, max: 240 },
  2: { min: 130, max: 190 },
  3: { min: 120, max: 180 },
  4: { min: 100, max: 170 },
};

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Lines as drawn: wrapped to the node's width. */
  drawn: Line[];
}

export interface PlacedEdge extends GraphEdge {
  path: string;
  width: number;
  /** Where the percentage is written: just left of the target, above the edge's end. */
  labelAt?: { x: number; y: number };
}

export interface Scene {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Splits a word wider than `max` into pieces that fit. */
function splitWord(word: string, max: number, measure: (t: string) => number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece && measure(piece + ch) > max) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  return piece ? [...pieces, piece] : pieces;
}

/** The text in lines no wider than `max`, at most MAX_LINES of them (the last cut with …). */
export function wrapText(text: string, max: number, measure: (t: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((w) => (measure(w) > max ? splitWord(w, max, measure) : [w]))) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate) > max) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line || lines.length === 0) lines.push(line);
  if (lines.length <= MAX_LINES) return lines;
  let last = lines[MAX_LINES - 1];
  while (last && measure(`${last}…`) > max) last = last.slice(0, -1);
  return [...lines.slice(0, MAX_LINES - 1), `${last}…`];
}

/** The lines preview.css draws in bold. */
export const isBold = (l: Line) => l.kind === 'title' || l.kind === 'why';

function columnWidths(nodes: GraphNode[], measure: Measure): Record<Column, number> {
  const widths = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0 } as Record<Column, number>;
  for (const n of nodes) {
    const natural = Math.max(...n.lines.map((l) => measure(l.text, isBold(l)))) + 2 * PAD_X;
    const { min, max } = WIDTH[n.column];
    widths[n.column] = Math.max(widths[n.column], Math.min(max, Math.max(min, Math.ceil(natural))));
  }
  return widths;
}

function sized(n: GraphNode, width: number, measure: Measure): PlacedNode {
  const drawn = n.lines.flatMap((l) => wrapText(l.text, width - 2 * PAD_X, (t) => measure(t, isBold(l))).map((text) => ({ ...l, text })));
  const height = 2 * PAD_Y + drawn.length * LINE_HEIGHT + (n.weight ? WEIGHT_ROW : 0);
  return { ...n, drawn, width, height, x: 0, y: 0 };
}

/**
 * Places each column's nodes top to bottom. Routes keep their order; the gateways are centred on
 * them; every later column is ordered by, and placed at, the mean height of its sources (the
 * barycenter heuristic, which removes most crossings) when there is room.
 */
function placeColumns(nodes: PlacedNode[], edges: GraphEdge[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const sources = new Map<string, PlacedNode[]>();
  for (const e of edges) if (e.kind !== 'entry') sources.set(e.to, [...(sources.get(e.to) ?? []), byId.get(e.from)!]);
  const stack = (column: Column, desired: (n: PlacedNode) => number, reorder = false) => {
    const members = nodes.filter((m) => m.column === column).map((n, i) => ({ n, i, at: desired(n) }));
    if (reorder) members.sort((a, b) => a.at - b.at || a.i - b.i);
    let bottom = MARGIN - GAP_Y;
    for (const { n, at } of members) {
      n.y = Math.max(bottom + GAP_Y, Math.round(at - n.height / 2));
      bottom = n.y + n.height;
    }
  };
  stack(1, () => 0);
  const routes = nodes.filter((n) => n.column === 1);
  const routesMiddle = routes.length > 0 ? (routes[0].y + routes[routes.length - 1].y + routes[routes.length - 1].height) / 2 : MARGIN;
  const gateways = nodes.filter((n) => n.column === 0);
  const gatewaysHeight = gateways.reduce((sum, n) => sum + n.height + GAP_Y, -GAP_Y);
  let offset = 0;
  stack(0, (n) => {
    const top = routesMiddle - gatewaysHeight / 2 + offset;
    offset += n.height + GAP_Y;
    return top + n.height / 2;
  });
  const barycenter = (n: PlacedNode) => {
    const from = sources.get(n.id) ?? [];
    return from.length === 0 ? 0 : from.reduce((sum, m) => sum + m.y + m.height / 2, 0) / from.length;
  };
  // Destinations stay grouped by route (their only source), in the order written.
  stack(2, barycenter);
  stack(3, barycenter, true);
  stack(4, barycenter, true);
}

/** The y of each edge's end at a node: ports spread over the node's height, in the order of the other ends. */
function ports(edges: GraphEdge[], byId: Map<string, PlacedNode>, end: 'from' | 'to'): Map<string, number> {
  const other = end === 'from' ? 'to' : 'from';
  const groups = new Map<string, GraphEdge[]>();
  for (const e of edges) groups.set(e[end], [...(groups.get(e[end]) ?? []), e]);
  const at = new Map<string, number>();
  for (const [id, group] of groups) {
    const node = byId.get(id)!;
    group.sort((a, b) => byId.get(a[other])!.y - byId.get(b[other])!.y);
    group.forEach((e, i) => at.set(e.id, Math.round(node.y + (node.height * (i + 1)) / (group.length + 1))));
  }
  return at;
}

export function edgeWidth(e: GraphEdge): number {
  // A mirror copies requests: drawn dashed at one width, so it does not read as the main flow.
  if (e.percent === undefined || e.kind === 'mirror') return 1.5;
  return e.percent === 0 ? 1 : Math.round((1.5 + (8 * e.percent) / 100) * 10) / 10;
}

/** Positions for every node and a path for every edge. */
export function layout(graph: Graph, measure: Measure): Scene {
  const widths = columnWidths(graph.nodes, measure);
  const xs = {} as Record<Column, number>;
  let x = MARGIN;
  for (const column of [0, 1, 2, 3, 4] as Column[]) {
    xs[column] = x;
    if (widths[column] > 0) x += widths[column] + GAP_X;
  }
  const nodes = graph.nodes.map((n) => ({ ...sized(n, widths[n.column], measure), x: xs[n.column] }));
  placeColumns(nodes, graph.edges);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = ports(graph.edges, byId, 'from');
  const into = ports(graph.edges, byId, 'to');
  const edges = graph.edges.map((e): PlacedEdge => {
    const a = byId.get(e.from)!;
    const b = byId.get(e.to)!;
    const [x1, y1, x2, y2] = [a.x + a.width, out.get(e.id)!, b.x, into.get(e.id)!];
    const dx = Math.max(20, (x2 - x1) / 2);
    const width = edgeWidth(e);
    return { ...e, width, path: `M ${x1} ${y1} C ${x1 + dx} ${y1}, ${x2 - dx} ${y2}, ${x2} ${y2}`, labelAt: e.label ? { x: x2 - 6, y: Math.round(y2 - width / 2 - 4) } : undefined };
  });
  const width = Math.max(x - GAP_X + MARGIN, 200);
  const height = Math.max(...nodes.map((n) => n.y + n.height), 40) + MARGIN;
  return { width, height, nodes, edges };
}
