// The preview's HTML: every name from the document is escaped; the route a simulated request
// takes is marked; weight inputs carry the destination's position.
import { describe, expect, it } from 'vitest';
import { escape, parseHeaders, parseLabels, renderSimulator, renderView } from '../../client/webview/render';
import { checkWeightField, parseWeight } from '../../client/webview/weight';
import type { TrafficView } from '../../shared/protocol';

const r = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 20 } });
const evil = '<img src=x onerror="alert(1)">';
const view: TrafficView = {
  uri: 'file:///ws/vs.yaml',
  name: evil,
  namespace: `ns'${evil}`,
  range: r(0),
  hosts: [`${evil}.example.com`],
  gateways: ['mesh'],
  routes: [
    {
      kind: 'http',
      index: 0,
      name: evil,
      range: r(8),
      matches: [`header x = ${evil}`],
      destinations: [{ host: evil, subset: evil, percent: 100, range: r(10), status: 'unresolved-subset', note: `Subset ${evil} is not defined`, workloads: [] }],
      details: [`rewrite path to ${evil}`],
    },
    {
      kind: 'http',
      index: 1,
      range: r(14),
      matches: [],
      destinations: [
        { host: 'reviews', subset: 'v1', weight: 75, percent: 75, range: r(16), status: 'ok', labels: { version: 'v1' }, workloads: ['reviews-v1'], note: 'DestinationRule reviews' },
        { host: 'reviews', subset: 'v2', weight: 25, percent: 25, range: r(19), status: 'ok', workloads: [] },
      ],
      details: [],
    },
  ],
};

describe('preview rendering', () => {
  it('escapes every name, so HTML in a resource stays text', () => {
    const html = renderView(view) + renderSimulator(view.hosts[0]);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
    expect(html.match(/&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/g)!.length).toBeGreaterThanOrEqual(8);
    expect(html).not.toMatch(/<script|style=/);
  });

  it('shows the shares as bars with raw weights, the resolution and an error for an unresolved subset', () => {
    const html = renderView(view);
    expect(html).toContain('75% <span class="raw">(weight 75)</span>');
    expect(html).toContain('data-percent="25"');
    expect(html).toContain('labels version=v1 · workloads reviews-v1');
    expect(html).toMatch(/class="note error" role="alert">✖ Subset &lt;img/);
    expect(html).toContain('<li>any request</li>');
    expect(html).toContain(`data-set-weight="${escape(JSON.stringify(r(16)))}"`);
  });

  it('marks the route a simulated request takes and says why the others did not', () => {
    const html = renderView(view, {
      route: 1,
      summary: 'Route 2 takes the request',
      verdicts: [
        { index: 0, matched: false, why: 'header x is missing' },
        { index: 1, matched: true, why: 'no match conditions' },
      ],
    });
    expect(html).toMatch(/<section class="route hit" data-route="http-1">/);
    expect(html).toContain('<div class="why">header x is missing</div>');
    expect(html.match(/takes the request/g)).toHaveLength(1);
  });

  it('reads headers and labels typed into the simulator', () => {
    expect(parseHeaders('End-User: jason\nx-b:  1 \nbroken')).toEqual({ 'end-user': 'jason', 'x-b': '1' });
    expect(parseLabels('app=frontend, version=v1')).toEqual({ app: 'frontend', version: 'v1' });
    expect(parseLabels('')).toBeUndefined();
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

  it('the field declares the allowed range', () => {
    expect(renderView(view)).toContain('type="number" min="0" max="100" step="1" value="75"');
  });
});
