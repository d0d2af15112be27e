// The preview's picture: the graph of a view (gateways → routes → destinations → subsets →
// workloads), its layout (columns, no overlaps, edge width by share), the marks of the checker's
// problems, the simulator's path, and hostile names that stay text.
import { describe, expect, it } from 'vitest';
import { findAll, hasClass, safeAttribute, textOf, type El } from '../../client/webview/dom';
import { trafficGraph } from '../../client/webview/graph';
import { isBold, layout, wrapText, type Measure } from '../../client/webview/layout';
import { parseHeaders, parseLabels, renderSimulator, renderView, simulatorDefaults } from '../../client/webview/render';
import { checkWeightField, parseWeight } from '../../client/webview/weight';
import type { DestinationView, SimulateResult, TrafficView } from '../../shared/protocol';

const r = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 20 } });
const evil = '<img src=x onerror="alert(1)">';
/** Seven pixels a character (bold: eight): what the webview measures, in a test. */
const measure: Measure = (text, bold) => text.length * (bold ? 8 : 7);

const dest = (over: Partial<DestinationView>): DestinationView => ({ host: 'reviews', percent: 100, range: r(0), status: 'ok', workloads: [], problems: [], subsetProblems: [], ...over });

const view: TrafficView = {
  uri: 'file:///ws/vs.yaml',
  name: 'reviews',
  namespace: 'shop',
  range: r(0),
  hosts: ['reviews'],
  gateways: ['mesh'],
  gatewayProblems: {},
  problems: [],
  routes: [
    {
      kind: 'http',
      index: 0,
      name: 'testers',
      range: r(8),
      matches: ['header x-canary = true'],
      destinations: [dest({ subset: 'v2', range: r(10), labels: { version: 'v2' }, workloads: ['reviews-v2'], note: 'DestinationRule reviews' })],
      details: ['timeout 5x'],
      mirrors: [dest({ host: 'nothing', percent: 10, range: r(12), status: 'unresolved-host', problems: [{ code: 'IST0101', severity: 'error', message: "Host 'nothing' matches no Service" }] })],
      problems: [{ code: 'IST0106', severity: 'error', message: '"5x" is not a duration' }],
    },
    {
      kind: 'http',
      index: 1,
      range: r(14),
      matches: [],
      destinations: [
        dest({ subset: 'v1', weight: 75, percent: 75, range: r(16), labels: { version: 'v1' }, workloads: ['reviews-v1'], note: 'DestinationRule reviews' }),
        dest({ subset: 'v2', weight: 25, percent: 25, range: r(19), labels: { version: 'v2' }, workloads: ['reviews-v2'], note: 'DestinationRule reviews' }),
        dest({
          subset: 'v3',
          weight: 0,
          percent: 0,
          range: r(22),
          labels: { version: 'v3' },
          note: 'DestinationRule reviews',
          subsetProblems: [{ code: 'KIA0203', severity: 'warning', message: "No workload has the labels of subset 'v3'" }],
        }),
        dest({
          subset: 'v9',
          weight: 0,
          percent: 0,
          range: r(25),
          status: 'unresolved-subset',
          note: 'Subset v9 is not defined',
          problems: [{ code: 'IST0101', severity: 'error', message: "Subset 'v9' is not defined" }],
        }),
      ],
      details: ['retries: 3 attempts'],
      mirrors: [],
      problems: [],
    },
  ],
};

const byNode = (tree: El, id: string) => findAll(tree, (e) => e.attrs['data-node'] === id)[0];
const byEdge = (tree: El, id: string) => findAll(tree, (e) => e.attrs['data-edge'] === id)[0];
const titleOf = (e: El) => textOf(findAll(e, (c) => c.tag === 'title')[0]);

describe('the traffic graph', () => {
  it('flows gateways → routes → destinations → subsets → workloads', () => {
    const { nodes, edges } = trafficGraph(view);
    expect(nodes.map((n) => [n.id, n.column])).toEqual([
      ['gateway:mesh', 0],
      ['route:http-0', 1],
      ['route:http-0/dest-0', 2],
      ['subset:reviews|v2', 3],
      ['workload:reviews-v2', 4],
      ['route:http-0/mirror-0', 2],
      ['route:http-1', 1],
      ['route:http-1/dest-0', 2],
      ['subset:reviews|v1', 3],
      ['workload:reviews-v1', 4],
      ['route:http-1/dest-1', 2],
      ['route:http-1/dest-2', 2],
      ['subset:reviews|v3', 3],
      ['route:http-1/dest-3', 2],
      ['subset:reviews|v9', 3],
    ]);
    // Subsets and workloads are shared between routes: one node, two edges in.
    expect(edges.filter((e) => e.to === 'subset:reviews|v2').map((e) => e.from)).toEqual(['route:http-0/dest-0', 'route:http-1/dest-1']);
    expect(edges.find((e) => e.id === 'route:http-1->route:http-1/dest-0')).toMatchObject({ kind: 'flow', percent: 75, label: '75%' });
    expect(edges.find((e) => e.id === 'route:http-0->route:http-0/mirror-0')).toMatchObject({ kind: 'mirror', percent: 10, label: 'mirror 10%' });
  });

  it('writes conditions, details and shares in words', () => {
    const lines = (id: string) =>
      trafficGraph(view)
        .nodes.find((n) => n.id === id)!
        .lines.map((l) => l.text);
    expect(lines('route:http-0')).toEqual(['HTTP route 1 · testers', 'when header x-canary = true', 'timeout 5x', '✖ IST0106: "5x" is not a duration']);
    expect(lines('route:http-1')).toEqual(['HTTP route 2', 'any request', 'retries: 3 attempts']);
    expect(lines('route:http-1/dest-0')).toEqual(['reviews', '75% of the route · weight 75']);
    expect(lines('subset:reviews|v1')).toEqual(['subset v1', 'DestinationRule reviews', 'version=v1']);
    expect(lines('subset:reviews|v3')).toEqual(['subset v3', 'DestinationRule reviews', 'version=v3', 'no workloads', "⚠ KIA0203: No workload has the labels of subset 'v3'"]);
    expect(lines('workload:reviews-v2')).toEqual(['reviews-v2', 'version=v2']);
  });

  it('gives weight fields only to routes with more than one destination', () => {
    const { nodes } = trafficGraph(view);
    expect(nodes.find((n) => n.id === 'route:http-0/dest-0')!.weight).toBeUndefined();
    expect(nodes.find((n) => n.id === 'route:http-1/dest-1')!.weight).toEqual({ range: r(19), value: 25, label: 'weight of reviews · v2' });
  });

  it('marks the path of a simulated request, and only it', () => {
    const simulation: SimulateResult = {
      route: 1,
      summary: 'Route 2 takes the request',
      verdicts: [
        { index: 0, matched: false, why: 'header x-canary is missing' },
        { index: 1, matched: true, why: 'no match conditions' },
      ],
    };
    const { nodes, edges } = trafficGraph(view, simulation);
    expect(nodes.filter((n) => n.hit).map((n) => n.id)).toEqual([
      'gateway:mesh',
      'subset:reviews|v2',
      'workload:reviews-v2',
      'route:http-1',
      'route:http-1/dest-0',
      'subset:reviews|v1',
      'workload:reviews-v1',
      'route:http-1/dest-1',
    ]);
    // The edge of a weight-0 destination carries nothing of the request; route 1's edges are not on the path.
    expect(edges.find((e) => e.id === 'route:http-1->route:http-1/dest-2')!.hit).toBe(false);
    expect(edges.filter((e) => e.from.startsWith('route:http-0')).every((e) => !e.hit)).toBe(true);
    expect(nodes.find((n) => n.id === 'route:http-0')!.lines.map((l) => l.text)).toContain('✘ not taken: header x-canary is missing');
  });
});

describe('the layout', () => {
  const scene = layout(trafficGraph(view), measure);

  it('puts the columns left to right and never overlaps two nodes', () => {
    const columns = [0, 1, 2, 3, 4].map((c) => scene.nodes.filter((n) => n.column === c));
    for (let c = 1; c < columns.length; c++) expect(Math.min(...columns[c].map((n) => n.x))).toBeGreaterThan(Math.max(...columns[c - 1].map((n) => n.x + n.width)));
    for (const a of scene.nodes)
      for (const b of scene.nodes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    for (const n of scene.nodes) expect(n.x + n.width <= scene.width && n.y + n.height <= scene.height).toBe(true);
  });

  it('keeps the routes in order and every line inside its node', () => {
    const routes = scene.nodes.filter((n) => n.kind === 'route');
    expect(routes.map((n) => n.id)).toEqual(['route:http-0', 'route:http-1']);
    expect(routes[0].y + routes[0].height).toBeLessThan(routes[1].y);
    for (const n of scene.nodes) for (const l of n.drawn) expect(measure(l.text, isBold(l))).toBeLessThanOrEqual(n.width - 20);
  });

  it('draws an edge wider the more of the route it carries, and a weight of 0 as the thinnest', () => {
    const width = (id: string) => scene.edges.find((e) => e.id === id)!.width;
    expect(width('route:http-1->route:http-1/dest-0')).toBeGreaterThan(width('route:http-1->route:http-1/dest-1'));
    expect(width('route:http-1->route:http-1/dest-1')).toBeGreaterThan(width('route:http-1->route:http-1/dest-2'));
    expect(width('route:http-1->route:http-1/dest-2')).toBe(1);
  });

  it('starts each edge on its source and ends it on its target', () => {
    const at = new Map(scene.nodes.map((n) => [n.id, n]));
    for (const e of scene.edges) {
      const [, x1, y1] = /^M (\S+) (\S+)/.exec(e.path)!.map(Number);
      const [, x2, y2] = /, (\S+) (\S+)$/.exec(e.path)!.map(Number);
      const a = at.get(e.from)!;
      const b = at.get(e.to)!;
      expect([x1, x2]).toEqual([a.x + a.width, b.x]);
      expect(y1 >= a.y && y1 <= a.y + a.height && y2 >= b.y && y2 <= b.y + b.height).toBe(true);
    }
  });

  it('wraps a long line, cuts it after three lines, and splits a word wider than the node', () => {
    const width = (t: string) => t.length * 7;
    expect(wrapText('a'.repeat(30), 70, width)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(10)]);
    const cut = wrapText('word '.repeat(40), 70, width);
    expect(cut).toHaveLength(3);
    expect(cut[2].endsWith('…')).toBe(true);
    expect(cut.every((l) => width(l) <= 70)).toBe(true);
    expect(wrapText('', 70, width)).toEqual(['']);
  });
});

describe('the rendered picture', () => {
  const tree = renderView(view, measure);

  it('marks problems on their nodes: colour class, icon badge, and a tooltip with code and message', () => {
    const v3 = byNode(tree, 'subset:reviews|v3');
    expect(hasClass(v3, 'problem-warning')).toBe(true);
    expect(findAll(v3, (e) => hasClass(e, 'badge')).map(textOf)).toEqual(['⚠']);
    expect(titleOf(v3)).toContain("⚠ KIA0203: No workload has the labels of subset 'v3'");
    const mirror = byNode(tree, 'route:http-0/mirror-0');
    expect(hasClass(mirror, 'problem-error')).toBe(true);
    expect(titleOf(mirror)).toContain("✖ IST0101: Host 'nothing' matches no Service");
    expect(hasClass(byNode(tree, 'route:http-0'), 'problem-error')).toBe(true);
    expect(hasClass(byNode(tree, 'subset:reviews|v9'), 'missing')).toBe(true);
    expect(hasClass(byNode(tree, 'route:http-1/dest-0'), 'problem')).toBe(false);
    // A weight of 0 on its edge.
    const zero = byEdge(tree, 'route:http-1->route:http-1/dest-2');
    expect(hasClass(zero, 'zero')).toBe(true);
    expect(titleOf(zero)).toMatch(/gets no traffic/);
  });

  it('lists the problems under the picture, each revealing where it is written', () => {
    const items = findAll(tree, (e) => e.tag === 'li' && e.attrs['data-reveal'] !== undefined);
    expect(items.map(textOf)).toEqual([
      '✖ IST0106 HTTP route 1 · testers: "5x" is not a duration',
      "✖ IST0101 mirror to nothing: Host 'nothing' matches no Service",
      "⚠ KIA0203 subset v3 of reviews: No workload has the labels of subset 'v3'",
      "✖ IST0101 reviews · v9: Subset 'v9' is not defined",
    ]);
    expect(JSON.parse(items[1].attrs['data-reveal'])).toEqual(r(12));
  });

  it('reveals lines and edits weights through data attributes', () => {
    expect(JSON.parse(byNode(tree, 'route:http-1').attrs['data-reveal'])).toEqual(r(14));
    const inputs = findAll(tree, (e) => e.tag === 'input' && e.attrs['data-set-weight'] !== undefined);
    expect(inputs.map((i) => [i.attrs.value, JSON.parse(i.attrs['data-set-weight'])])).toEqual([
      ['75', r(16)],
      ['25', r(19)],
      ['0', r(22)],
      ['0', r(25)],
    ]);
    expect(inputs[0].attrs).toMatchObject({ type: 'number', min: '0', max: '100', step: '1' });
  });

  it('marks the route a simulated request takes, and its edges', () => {
    const hit = renderView(view, measure, { route: 0, summary: 'Route 1', verdicts: [{ index: 0, matched: true, why: 'every condition holds' }] });
    expect(hasClass(byNode(hit, 'route:http-0'), 'hit')).toBe(true);
    expect(hasClass(byEdge(hit, 'route:http-0->route:http-0/dest-0'), 'hit')).toBe(true);
    expect(hasClass(byNode(hit, 'route:http-1'), 'hit')).toBe(false);
    expect(textOf(byNode(hit, 'route:http-0'))).toContain('✔ takes the request: every condition holds');
  });
});

describe('an HTTPRoute in the picture', () => {
  const httpRoute: TrafficView = {
    kind: 'HTTPRoute',
    uri: 'file:///ws/route.yaml',
    name: 'shop',
    namespace: 'shop',
    range: r(0),
    hosts: ['*.example.com'],
    gateways: ['Gateway infra/web · http'],
    parents: [{ name: 'Gateway infra/web · http', gateway: 'infra/web', lines: ['listener http · HTTP :80 · *.example.com'] }],
    gatewayProblems: {},
    problems: [],
    routes: [
      {
        kind: 'rule',
        index: 0,
        range: r(8),
        matches: [],
        destinations: [dest({ weight: 3, percent: 75, range: r(10) }), dest({ host: 'reviews-v2', weight: 1, percent: 25, range: r(12) })],
        details: [],
        mirrors: [],
        problems: [],
      },
      {
        kind: 'rule',
        index: 1,
        name: 'api',
        range: r(14),
        matches: ['path prefix /api'],
        destinations: [dest({ range: r(16) })],
        details: ['request headers: set x-env: prod'],
        mirrors: [],
        problems: [],
      },
    ],
  };

  it('names the route and its parent with the listener it binds, and its rules as rules', () => {
    const lines = (id: string) =>
      trafficGraph(httpRoute)
        .nodes.find((n) => n.id === id)!
        .lines.map((l) => l.text);
    expect(lines('gateway:Gateway infra/web · http')).toEqual(['Gateway infra/web · http', 'listener http · HTTP :80 · *.example.com']);
    expect(lines('route:rule-1')).toEqual(['Rule 2 · api', 'when path prefix /api', 'request headers: set x-env: prod']);
    expect(lines('route:rule-0/dest-0')).toEqual(['reviews', '75% of the route · weight 3']);
    const tree = renderView(httpRoute, measure);
    expect(textOf(findAll(tree, (e) => e.tag === 'header')[0])).toBe('HTTPRoute shop shophostnames: *.example.com');
    expect(findAll(tree, (e) => e.tag === 'svg')[0].attrs['aria-label']).toBe('Traffic of HTTPRoute shop');
  });

  it('marks the rule the simulator picked, with the reason the other lost', () => {
    const simulation = {
      route: 1,
      summary: 'Rule 2 (api) takes the request',
      verdicts: [
        { index: 0, matched: false, why: 'less specific: prefix / is shorter than /api' },
        { index: 1, matched: true, why: 'every condition holds and no match ranks higher' },
      ],
    };
    const hit = renderView(httpRoute, measure, simulation);
    expect(hasClass(byNode(hit, 'route:rule-1'), 'hit')).toBe(true);
    expect(hasClass(byNode(hit, 'route:rule-0'), 'hit')).toBe(false);
    expect(textOf(byNode(hit, 'route:rule-0'))).toContain('✘ not taken: less specific: prefix / is shorter than /api');
  });

  it('starts the simulator on a host the route serves, through its first parent', () => {
    expect(simulatorDefaults(httpRoute)).toEqual({ authority: 'www.example.com', gateway: 'infra/web' });
    const mesh = { ...httpRoute, hosts: [], parents: [{ name: 'Service shop/reviews', gateway: 'mesh', lines: [], authority: 'reviews.shop' }] };
    expect(simulatorDefaults(mesh)).toEqual({ authority: 'reviews.shop', gateway: 'mesh' });
    expect(simulatorDefaults(view)).toEqual({ authority: 'reviews', gateway: 'mesh' });
    const form = renderSimulator('www.example.com', 'infra/web');
    expect(findAll(form, (e) => e.attrs.name === 'gateway')[0].attrs.value).toBe('infra/web');
  });
});

describe('hostile names', () => {
  const hostile: TrafficView = {
    ...view,
    name: evil,
    namespace: `ns'${evil}`,
    hosts: [`${evil}.example.com`],
    gateways: [evil],
    gatewayProblems: { [evil]: [{ code: 'IST0101', severity: 'error', message: `Gateway ${evil} not found` }] },
    routes: [
      {
        ...view.routes[1],
        name: evil,
        matches: [`header x = ${evil}`],
        details: [`rewrite path to ${evil}`],
        destinations: [
          dest({ host: evil, subset: evil, percent: 60, weight: 60, labels: { [evil]: evil }, workloads: [evil], note: evil }),
          dest({ host: evil, subset: `${evil}2`, percent: 40, weight: 40, status: 'unresolved-subset', problems: [{ code: 'IST0101', severity: 'error', message: evil }] }),
        ],
      },
    ],
  };
  const trees = [renderView(hostile, measure), renderView(hostile, measure, { route: 0, summary: evil, verdicts: [{ index: 0, matched: true, why: evil }] }), renderSimulator(evil)];
  const ALLOWED = new Set([
    'div',
    'header',
    'h2',
    'h3',
    'a',
    'span',
    'code',
    'em',
    'p',
    'ul',
    'li',
    'svg',
    'g',
    'title',
    'rect',
    'text',
    'path',
    'foreignObject',
    'label',
    'input',
    'form',
    'select',
    'option',
    'textarea',
    'button',
  ]);

  it('are text nodes and attribute values only: no element, no handler, no URL comes from them', () => {
    for (const tree of trees) {
      const all = findAll(tree, () => true);
      expect(all.every((e) => ALLOWED.has(e.tag))).toBe(true);
      for (const e of all) for (const name of Object.keys(e.attrs)) expect(safeAttribute(name), `${e.tag} ${name}`).toBe(true);
    }
    const text = textOf(trees[0]);
    expect(text).toContain(`VirtualService ${evil}`);
    expect(text).toContain(`header x = ${evil}`.slice(0, 12));
    // The names land only where names go: aria labels, the ids of nodes and edges, tooltips and text.
    const carriers = findAll(trees[0], (e) => Object.entries(e.attrs).some(([, v]) => v.includes('<img')));
    const attributes = new Set(carriers.flatMap((e) => Object.keys(e.attrs).filter((k) => e.attrs[k].includes('<img'))));
    expect([...attributes].filter((a) => !['aria-label', 'data-node', 'data-edge', 'data-edge-label'].includes(a))).toEqual([]);
    expect(attributes.has('aria-label')).toBe(true);
  });

  it('the webview writes no handler, URL or inline style attribute, whatever a tree holds', () => {
    expect(['onerror', 'onClick', 'ONLOAD', 'href', 'xlink:href', 'src', 'style', 'srcdoc', 'formaction'].map(safeAttribute)).toEqual(Array(9).fill(false));
    expect(['class', 'data-reveal', 'aria-label', 'd', 'x', 'stroke-width', 'value'].every(safeAttribute)).toBe(true);
  });
});

describe('the simulator form', () => {
  it('reads headers and labels typed into the simulator', () => {
    expect(parseHeaders('End-User: jason\nx-b:  1 \nbroken')).toEqual({ 'end-user': 'jason', 'x-b': '1' });
    expect(parseLabels('app=frontend, version=v1')).toEqual({ app: 'frontend', version: 'v1' });
    expect(parseLabels('')).toBeUndefined();
  });

  it('starts with the first host as the authority', () => {
    const form = renderSimulator('reviews');
    expect(findAll(form, (e) => e.attrs.name === 'authority')[0].attrs.value).toBe('reviews');
    expect(findAll(form, (e) => e.tag === 'textarea' && e.attrs.name === 'headers')).toHaveLength(1);
  });
});

describe('the weight field (issue 9, defect 10)', () => {
  /** A stand-in for the `<input>`: the state the check leaves on it. */
  function field(value: string, badInput = false) {
    const classes = new Set<string>();
    const attributes = new Map<string, string>();
    return {
      value,
      validity: { badInput },
      title: '',
      classList: { toggle: (name: string, force: boolean) => (force ? classes.add(name) : classes.delete(name)) },
      setAttribute: (name: string, v: string) => attributes.set(name, v),
      removeAttribute: (name: string) => attributes.delete(name),
      invalid: () => classes.has('invalid') && attributes.get('aria-invalid') === 'true',
    };
  }

  it.each(['', ' ', 'abc', '-', '1e', '50%', '-5', '1.5', '101', '1e2', '0x10', '+5'])('sends nothing for %j and marks the field invalid', (text) => {
    const f = field(text);
    expect(parseWeight(text)).toBeUndefined();
    expect(checkWeightField(f)).toBeUndefined();
    expect(f.invalid()).toBe(true);
    expect(f.title).toMatch(/whole number from 0 to 100/);
  });

  it('sends nothing when the browser reports unparsable input (value is then empty)', () => {
    const f = field('', true);
    expect(checkWeightField(f)).toBeUndefined();
    expect(f.invalid()).toBe(true);
  });

  it('sends a whole number from 0 to 100 and clears the mark', () => {
    const f = field('abc');
    checkWeightField(f);
    f.value = ' 40 ';
    expect(checkWeightField(f)).toBe(40);
    expect(f.invalid()).toBe(false);
    expect(f.title).toBe('');
    expect([parseWeight('0'), parseWeight('100'), parseWeight('007')]).toEqual([0, 100, 7]);
  });
});
