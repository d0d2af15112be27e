// Renders the traffic preview as element trees (dom.ts): a header, the picture in SVG, the list
// of the problems it marks, and the simulator form. Pure functions of the view: every name from
// the document is a text node or an attribute value, and interaction is declared with data-*
// attributes that the webview's one script handles. Colours are classes that preview.css maps to
// the theme's --vscode-* variables.
import type { ProblemMark, Range, SimulateResult, TrafficView } from '../../shared/protocol';
import { h, s, type El } from './dom';
import { problemIcon, trafficGraph } from './graph';
import { layout, LINE_HEIGHT, PAD_X, PAD_Y, WEIGHT_ROW, type Measure, type PlacedEdge, type PlacedNode, type Scene } from './layout';
import { MAX_WEIGHT } from './weight';

const rangeAttr = (range: Range | undefined) => (range ? JSON.stringify(range) : undefined);

/** The worst severity among the problems, which colours the node. */
function worst(problems: ProblemMark[]): ProblemMark['severity'] | undefined {
  return (['error', 'warning', 'information', 'hint'] as const).find((sev) => problems.some((p) => p.severity === sev));
}

function tooltip(label: string, problems: ProblemMark[], extra: string[] = []): string {
  return [label, ...extra, ...problems.map((p) => `${problemIcon(p.severity)} ${p.code}: ${p.message}`)].join('\n');
}

function weightField(n: PlacedNode, y: number): El {
  const w = n.weight!;
  return s(
    'foreignObject',
    { x: n.x + PAD_X, y, width: n.width - 2 * PAD_X, height: WEIGHT_ROW - 4, class: 'weight-row' },
    h('label', { class: 'weight' }, 'weight ', h('input', { type: 'number', min: 0, max: MAX_WEIGHT, step: 1, value: w.value, 'data-set-weight': JSON.stringify(w.range), 'aria-label': w.label })),
  );
}

function nodeElement(n: PlacedNode): El {
  const severity = worst(n.problems);
  const classes = ['node', n.kind, n.hit ? 'hit' : '', n.status !== 'ok' ? n.status : '', severity ? `problem problem-${severity}` : ''].filter(Boolean).join(' ');
  const lines = n.drawn.map((l, i) => s('text', { x: n.x + PAD_X, y: n.y + PAD_Y + (i + 1) * LINE_HEIGHT - 4, class: `line ${l.kind}${l.severity ? ` problem-${l.severity}` : ''}` }, l.text));
  const extra = n.status === 'missing' ? ['not defined: nothing receives this traffic'] : [];
  return s(
    'g',
    {
      class: classes,
      'data-node': n.id,
      'data-reveal': rangeAttr(n.reveal),
      tabindex: n.reveal ? 0 : undefined,
      role: n.reveal ? 'button' : 'img',
      'aria-label': tooltip(n.label, n.problems, extra),
    },
    s('title', {}, tooltip(n.label, n.problems, [...extra, ...n.lines.slice(1).map((l) => l.text)])),
    s('rect', { x: n.x, y: n.y, width: n.width, height: n.height, rx: 4, class: 'box' }),
    severity && s('text', { x: n.x + n.width - 6, y: n.y + 14, class: `badge problem-${severity}`, 'text-anchor': 'end' }, problemIcon(severity)),
    ...lines,
    n.weight && weightField(n, n.y + PAD_Y + n.drawn.length * LINE_HEIGHT + 2),
  );
}

const edgeClasses = (e: PlacedEdge) => ['edge', e.kind, e.hit ? 'hit' : '', e.percent === 0 ? 'zero' : ''].filter(Boolean).join(' ');

function edgeElement(e: PlacedEdge): El {
  return s('g', { class: edgeClasses(e), 'data-edge': e.id }, s('title', {}, e.tooltip), s('path', { d: e.path, 'stroke-width': e.width, fill: 'none', class: 'stroke' }));
}

/** An edge's percentage, drawn above every edge (never crossed out by another one). */
function edgeLabel(e: PlacedEdge): El | undefined {
  if (!e.labelAt) return undefined;
  return s('g', { class: edgeClasses(e), 'data-edge-label': e.id }, s('title', {}, e.tooltip), s('text', { x: e.labelAt.x, y: e.labelAt.y, 'text-anchor': 'end', class: 'percent' }, e.label!));
}

/** The picture of a scene: edges, then their labels, then nodes, so a node is never crossed out. */
export function renderScene(scene: Scene, name: string, simulated: boolean): El {
  return s(
    'svg',
    {
      class: `traffic${simulated ? ' simulated' : ''}`,
      width: scene.width,
      height: scene.height,
      viewBox: `0 0 ${scene.width} ${scene.height}`,
      role: 'group',
      'aria-label': `Traffic of ${name}`,
    },
    s('g', { class: 'edges' }, ...scene.edges.map(edgeElement)),
    s('g', { class: 'labels' }, ...scene.edges.map(edgeLabel)),
    s('g', { class: 'nodes' }, ...scene.nodes.map(nodeElement)),
  );
}

/** The problems the picture marks, each linked to where it is written. */
function problemList(scene: Scene, view: TrafficView): El | undefined {
  const items = [
    ...view.problems.map((p) => ({ p, where: `${view.kind ?? 'VirtualService'} ${view.name}`, reveal: view.range })),
    ...scene.nodes.flatMap((n) => n.problems.map((p) => ({ p, where: n.label, reveal: n.reveal }))),
  ];
  if (items.length === 0) return undefined;
  return h(
    'ul',
    { class: 'problems', 'aria-label': 'Problems on the picture' },
    ...items.map(({ p, where, reveal }) =>
      h('li', { class: `problem-${p.severity}`, 'data-reveal': rangeAttr(reveal) }, h('span', { class: 'icon' }, problemIcon(p.severity)), ' ', h('code', {}, p.code), ` ${where}: ${p.message}`),
    ),
  );
}

/** The header, the picture and its problems; `simulation` highlights the path of the request. */
export function renderView(view: TrafficView, measure: Measure, simulation?: SimulateResult): El {
  const scene = layout(trafficGraph(view, simulation), measure);
  const gatewayApi = view.kind !== undefined && view.kind !== 'VirtualService';
  const title = `${view.kind ?? 'VirtualService'} ${view.name}`;
  // A Gateway API route without hostnames takes every host its parents accept.
  const hosts = view.hosts.length > 0 ? view.hosts.flatMap((host, i) => [i > 0 ? ' ' : '', h('code', {}, host)]) : [h('em', {}, gatewayApi ? 'any' : 'none')];
  return h(
    'div',
    { class: 'view' },
    h(
      'header',
      {},
      h('h2', {}, h('a', { class: 'reveal', 'data-reveal': rangeAttr(view.range), tabindex: 0, role: 'button' }, title), ' ', h('span', { class: 'ns' }, view.namespace)),
      h('div', {}, gatewayApi ? 'hostnames: ' : 'hosts: ', ...hosts),
    ),
    view.routes.length === 0
      ? h('p', {}, view.kind && view.kind !== 'VirtualService' ? 'No rules.' : 'No routes.')
      : h('div', { class: 'picture' }, renderScene(scene, title, simulation?.route !== undefined)),
    problemList(scene, view),
  );
}

/** What the simulator starts with for a view: a host it serves (a wildcard's with a first label) and the gateway of its first parent. */
export function simulatorDefaults(view: TrafficView): { authority: string; gateway: string } {
  const parent = view.parents?.[0];
  const host = view.hosts[0]?.replace(/^\*\./, 'www.');
  return { authority: host ?? parent?.authority ?? '', gateway: parent?.gateway ?? 'mesh' };
}

/** The simulator form; rendered once, so re-rendering the view keeps what the user typed. */
export function renderSimulator(defaultAuthority: string, defaultGateway = 'mesh'): El {
  const field = (label: string, input: El) => h('label', {}, `${label} `, input);
  return h(
    'form',
    { id: 'simulator', class: 'simulator', autocomplete: 'off' },
    h('h3', {}, 'Where does this request land?'),
    h(
      'div',
      { class: 'row' },
      field('authority', h('input', { name: 'authority', value: defaultAuthority })),
      field('method', h('select', { name: 'method' }, ...['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'].map((m) => h('option', {}, m)))),
      field('path', h('input', { name: 'path', value: '/' })),
    ),
    h(
      'div',
      { class: 'row' },
      field('port', h('input', { name: 'port', type: 'number', min: 1, max: 65535 })),
      field('gateway', h('input', { name: 'gateway', value: defaultGateway })),
      field('source labels', h('input', { name: 'sourceLabels', placeholder: 'app=frontend,version=v1' })),
    ),
    h('label', { class: 'block' }, 'headers (one ', h('code', {}, 'name: value'), ' per line)', h('textarea', { name: 'headers', rows: 2 })),
    h('button', { type: 'submit' }, 'Simulate'),
    ' ',
    h('span', { id: 'simulation-summary', role: 'status' }),
  );
}

/** Reads `name: value` lines and `k=v,k2=v2` lists typed into the simulator. */
export function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

export function parseLabels(text: string): Record<string, string> | undefined {
  const pairs = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split('='));
  return pairs.length === 0 ? undefined : Object.fromEntries(pairs.map(([k, ...v]) => [k.trim(), v.join('=').trim()]));
}
