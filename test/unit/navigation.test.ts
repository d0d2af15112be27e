import { describe, expect, it } from 'vitest';
import { definition, prepareRename, references, rename, workspaceSymbols, type Location, type TextEdit } from '../../server/src/features/navigation';
import { contextWith } from '../support';

// Files are written with a `|` caret for the cursor and «» around every range the answer
// should hold; the helper strips both and compares texts at ranges, file by file.

const API: Record<string, string> = { Service: 'v1' };

function res(kind: string, namespace: string, name: string, spec: string): string {
  return `apiVersion: ${API[kind] ?? 'networking.istio.io/v1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${spec.replace(/^(?=.)/gm, '  ')}\n`;
}

function workspace(files: Record<string, string>) {
  const byName: Record<string, string> = {};
  const texts: Record<string, string> = {};
  const marked: Location[] = [];
  let cursor = { uri: '', offset: -1 };
  for (const [name, raw] of Object.entries(files)) {
    const uri = `file:///ws/${name}`;
    let text = '';
    const open: number[] = [];
    for (const ch of raw) {
      if (ch === '|' && cursor.offset !== -1) throw new Error('two carets');
      if (ch === '|') cursor = { uri, offset: text.length };
      else if (ch === '«') open.push(text.length);
      else if (ch === '»') marked.push({ uri, start: open.pop()!, end: text.length });
      else text += ch;
    }
    texts[uri] = text;
    byName[name] = text;
  }
  const show = (l: Location) => `${l.uri.slice('file:///ws/'.length)}:${texts[l.uri].slice(0, l.start).split('\n').length}:${texts[l.uri].slice(l.start, l.end)}`;
  const shown = (list: Location[]) => list.map(show).sort();
  const apply = (edits: TextEdit[]) => {
    const out = { ...texts };
    for (const e of [...edits].sort((a, b) => b.start - a.start)) out[e.uri] = out[e.uri].slice(0, e.start) + e.newText + out[e.uri].slice(e.end);
    return Object.fromEntries(Object.entries(out).map(([uri, text]) => [uri.slice('file:///ws/'.length), text]));
  };
  return { ctx: contextWith(byName), uri: cursor.uri, offset: cursor.offset, expected: shown(marked), shown, apply, texts };
}

const rule = (namespace: string, host: string, ...subsets: string[]) =>
  res('DestinationRule', namespace, 'reviews', `host: ${host}\nsubsets:\n${subsets.map((s) => `- name: ${s}\n  labels: {version: x}\n`).join('')}`);
const plain = (s: string) => s.replace('|', '');
/** A VirtualService routing to host/subset and mirroring to host/mirror (the cursor stays in the route). */
const route = (namespace: string, host: string, subset: string, mirror = plain(subset), hosts = 'reviews') =>
  res(
    'VirtualService',
    namespace,
    'reviews',
    `hosts: [${hosts}]\nhttp:\n- route:\n  - destination:\n      host: ${host}\n      subset: ${subset}\n    weight: 100\n  mirror: {host: ${plain(host)}, subset: ${mirror}}`,
  );
const gateway = (namespace: string, name: string) => res('Gateway', namespace, name, 'selector: {istio: ingressgateway}\nservers: []');
const svc = (name: string) => res('Service', 'shop', name, 'ports: [{name: http, port: 80}]');
const bound = (namespace: string, gateways: string, matchGateways = '[mesh]') =>
  res('VirtualService', namespace, 'web', `hosts: [web.example.com]\ngateways: ${gateways}\nhttp:\n- match:\n  - gateways: ${matchGateways}\n  route:\n  - destination: {host: web}`);

describe('definition', () => {
  it('goes from a subset with an FQDN host to the DestinationRule of the service namespace', () => {
    const ws = workspace({
      'vs.yaml': route('front', 'reviews.shop.svc.cluster.local', 'v|2'),
      'dr.yaml': rule('shop', 'reviews', 'v1', '"«v2»"'),
      'other.yaml': rule('other', 'reviews.shop.svc.cluster.local', 'v2'),
    });
    expect(ws.shown(definition(ws.ctx, ws.uri, ws.offset))).toEqual(ws.expected);
  });

  it('goes from a host to the definitions exported to the VirtualService, and to the hidden ones when none is', () => {
    const entry = (namespace: string, exportTo: string, mark: boolean) =>
      res('ServiceEntry', namespace, 'ext', `hosts: [${mark ? '«api.example.com»' : 'api.example.com'}]\nexportTo: [${exportTo}]\nresolution: DNS`);
    const vs = res('VirtualService', 'web', 'front', 'hosts: [front]\nhttp:\n- route:\n  - destination:\n      host: api.exa|mple.com');
    const visible = workspace({ 'vs.yaml': vs, 'a.yaml': entry('shop', '.', false), 'b.yaml': entry('edge', '"*"', true) });
    expect(visible.shown(definition(visible.ctx, visible.uri, visible.offset))).toEqual(visible.expected);
    const hidden = workspace({ 'vs.yaml': vs, 'a.yaml': entry('shop', '.', true) });
    expect(hidden.shown(definition(hidden.ctx, hidden.uri, hidden.offset))).toEqual(hidden.expected);
  });

  it('goes from a mirror subset with a short host, in a file of several documents', () => {
    const ws = workspace({ 'all.yaml': `${svc('reviews')}---\n${rule('shop', 'reviews', 'v1', '«v2»')}---\n${route('shop', 'reviews', 'v1', 'v|2')}` });
    expect(ws.shown(definition(ws.ctx, ws.uri, ws.offset))).toEqual(ws.expected);
  });

  it('finds subsets in a wildcard DestinationRule, unless an exact host is more specific', () => {
    const wildcard = rule('shop', '"*.shop.svc.cluster.local"', '«stable»', 'v1');
    const ratings = workspace({ 'vs.yaml': route('shop', 'ratings', 'st|able', 'v1', 'ratings'), 'wild.yaml': wildcard, 'dr.yaml': rule('shop', 'reviews', 'stable') });
    expect(ratings.shown(definition(ratings.ctx, ratings.uri, ratings.offset))).toEqual(ratings.expected);
    const reviews = workspace({ 'vs.yaml': route('shop', 'reviews', 'v|1'), 'wild.yaml': wildcard.replace(/[«»]/g, ''), 'dr.yaml': rule('shop', 'reviews', '«v1»') });
    expect(reviews.shown(definition(reviews.ctx, reviews.uri, reviews.offset))).toEqual(reviews.expected);
  });

  it('goes from a destination host to its Service, ServiceEntry hosts and DestinationRule', () => {
    const ws = workspace({
      'vs.yaml': route('shop', 'rev|iews', 'v1'),
      'svc.yaml': `${svc('ratings')}---\n${svc('«reviews»')}`,
      'dr.yaml': rule('shop', '«reviews»', 'v1'),
      'se.yaml': res('ServiceEntry', 'shop', 'local', 'hosts: [«reviews.shop.svc.cluster.local», api.example.com]'),
    });
    expect(ws.shown(definition(ws.ctx, ws.uri, ws.offset))).toEqual(ws.expected);
    const external = workspace({
      'vs.yaml': route('shop', 'api.ex|ample.com', 'v1'),
      'se.yaml': res('ServiceEntry', 'shop', 'wild', 'hosts: ["«*.example.com»", other.org]'),
      'exact.yaml': res('ServiceEntry', 'egress', 'api', 'hosts: [«api.example.com»]'),
    });
    expect(external.shown(definition(external.ctx, external.uri, external.offset))).toEqual(external.expected);
  });

  it('goes from a DestinationRule host to the Service, not to itself', () => {
    const ws = workspace({ 'dr.yaml': rule('shop', 're|views', 'v1'), 'svc.yaml': svc('«reviews»') });
    expect(ws.shown(definition(ws.ctx, ws.uri, ws.offset))).toEqual(ws.expected);
  });

  it('goes from gateways entries, short or ns/name, to the Gateway', () => {
    const gateways = { 'gw.yaml': gateway('edge', '«public»'), 'shop-gw.yaml': gateway('shop', 'public') };
    for (const vs of [bound('edge', '[pub|lic]'), bound('shop', '[mesh, edge/pub|lic]'), bound('shop', '[edge/public]', '[edge/|public]')]) {
      const ws = workspace({ ...gateways, 'vs.yaml': vs });
      expect(ws.shown(definition(ws.ctx, ws.uri, ws.offset))).toEqual(ws.expected);
    }
  });

  it('answers nothing elsewhere', () => {
    for (const vs of [route('shop', 'reviews', 'v1').replace('weight: 100', 'weight: 1|00'), bound('edge', '[me|sh]'), '|' + gateway('edge', 'public')]) {
      const ws = workspace({ 'vs.yaml': vs, 'gw.yaml': gateway('edge', 'public'), 'dr.yaml': rule('shop', 'reviews', 'v1') });
      expect(definition(ws.ctx, ws.uri, ws.offset)).toEqual([]);
    }
  });
});

describe('references', () => {
  const files = {
    'dr.yaml': rule('shop', 'reviews', '«v|1»', 'v2'),
    'a.yaml': route('shop', 'reviews', '«v1»', '«v1»'),
    'b.yaml': `${route('front', 'reviews.shop.svc.cluster.local', '«v1»', 'v2')}---\n${route('front', 'reviews', 'v1')}`,
    // canary has its own DestinationRule for the host: it, not the shop one, governs canary's routes.
    'c.yaml': `${rule('canary', 'reviews.shop.svc.cluster.local', 'v1')}---\n${route('canary', 'reviews.shop.svc.cluster.local', 'v1')}`,
  };

  it('finds the route and mirror destinations a DestinationRule subset governs, across namespaces', () => {
    const ws = workspace(files);
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, true))).toEqual(ws.expected);
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, false))).toEqual(ws.expected.filter((l) => !l.startsWith('dr.yaml')));
  });

  it('finds the same from a subset value in a VirtualService', () => {
    const ws = workspace({ ...files, 'dr.yaml': files['dr.yaml'].replace('|', ''), 'a.yaml': files['a.yaml'].replace('subset: «v1»', 'subset: «v|1»') });
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, true))).toEqual(ws.expected);
  });

  it('finds the destinations of every host a wildcard DestinationRule governs', () => {
    const ws = workspace({
      'wild.yaml': rule('shop', '"*.shop.svc.cluster.local"', 'v|1'),
      'ratings.yaml': route('shop', 'ratings', '«v1»', '«v1»'),
      'details.yaml': route('front', 'details.shop.svc.cluster.local', '«v1»', 'v2'),
      'reviews.yaml': `${rule('shop', 'reviews', 'v1')}---\n${route('shop', 'reviews', 'v1')}`,
    });
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, false))).toEqual(ws.expected);
  });

  it('finds the gateways entries that name a Gateway', () => {
    const ws = workspace({
      'gw.yaml': gateway('edge', '«pub|lic»'),
      'a.yaml': bound('edge', '[«public», mesh]'),
      'b.yaml': bound('shop', '[«edge/public»]', '["«edge/public»"]'),
      'c.yaml': bound('shop', '[public]', '[public]'),
    });
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, true))).toEqual(ws.expected);
  });

  it('finds the hosts that name a Service', () => {
    const ws = workspace({
      'svc.yaml': svc('re|views'),
      'a.yaml': route('shop', '«reviews»', 'v1', 'v1', '«reviews»'),
      'b.yaml': route('front', '«reviews.shop.svc.cluster.local»', 'v1'),
      'c.yaml': route('front', 'reviews', 'v1'),
      'dr.yaml': rule('shop', '«reviews»', 'v1'),
    });
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, false))).toEqual(ws.expected);
  });
});

describe('rename', () => {
  it('renames a subset in its DestinationRule and every destination, across three files', () => {
    const ws = workspace({
      'dr.yaml': rule('shop', 'reviews', '"v1"', 'v2'),
      'a.yaml': route('shop', 'reviews', 'v|1'),
      'b.yaml': route('front', 'reviews.shop.svc.cluster.local', 'v1', 'v2'),
    });
    expect(prepareRename(ws.ctx, ws.uri, ws.offset)).toMatchObject({ placeholder: 'v1' });
    const edits = rename(ws.ctx, ws.uri, ws.offset, 'blue');
    expect(Array.isArray(edits) && edits.length).toBe(4);
    expect(ws.apply(edits as TextEdit[])).toEqual({
      'dr.yaml': rule('shop', 'reviews', '"blue"', 'v2'),
      'a.yaml': route('shop', 'reviews', 'blue'),
      'b.yaml': route('front', 'reviews.shop.svc.cluster.local', 'blue', 'v2'),
    });
  });

  it('quotes a new name that would read back as a number or a boolean, where the old one was plain', () => {
    const ws = workspace({
      'dr.yaml': rule('shop', 'reviews', '"v1"', 'v2'),
      'a.yaml': route('shop', 'reviews', 'v|1'),
    });
    for (const [name, written] of [
      ['1', '"1"'],
      ['true', '"true"'],
      ['1e3', '"1e3"'],
      ['v3', 'v3'],
    ]) {
      expect(ws.apply(rename(ws.ctx, ws.uri, ws.offset, name) as TextEdit[])).toEqual({ 'dr.yaml': rule('shop', 'reviews', `"${name}"`, 'v2'), 'a.yaml': route('shop', 'reviews', written) });
    }
  });

  it('renames a Gateway and its references, keeping the ns/ of ns/name', () => {
    const ws = workspace({ 'gw.yaml': gateway('edge', 'pub|lic'), 'a.yaml': bound('edge', '[public, mesh]'), 'b.yaml': bound('shop', '[edge/public, public]', '["edge/public"]') });
    expect(ws.apply(rename(ws.ctx, ws.uri, ws.offset, 'ingress') as TextEdit[])).toEqual({
      'gw.yaml': gateway('edge', 'ingress'),
      'a.yaml': bound('edge', '[ingress, mesh]'),
      'b.yaml': bound('shop', '[edge/ingress, public]', '["edge/ingress"]'),
    });
  });

  it('prepares the name under the cursor, and nothing for hosts', () => {
    const ws = workspace({ 'vs.yaml': bound('shop', '[edge/pub|lic]'), 'gw.yaml': gateway('edge', 'public') });
    const range = prepareRename(ws.ctx, ws.uri, ws.offset)!;
    expect([ws.texts[range.uri].slice(range.start, range.end), range.placeholder]).toEqual(['public', 'public']);
    for (const vs of [route('shop', 'rev|iews', 'v1'), svc('rev|iews'), route('shop', 'reviews', 'v1').replace('weight: 100', 'weight: 1|00')]) {
      const other = workspace({ 'vs.yaml': vs, 'dr.yaml': rule('shop', 'reviews', 'v1') });
      expect(prepareRename(other.ctx, other.uri, other.offset)).toBeUndefined();
      expect(typeof rename(other.ctx, other.uri, other.offset, 'x')).toBe('string');
    }
  });

  it('refuses names that are not DNS labels, or already taken', () => {
    const subset = workspace({ 'dr.yaml': rule('shop', 'reviews', 'v|1', 'v2'), 'vs.yaml': route('shop', 'reviews', 'v1') });
    for (const bad of ['V1', 'a_b', '-a', 'a-', '', 'a'.repeat(64)]) expect(typeof rename(subset.ctx, subset.uri, subset.offset, bad)).toBe('string');
    expect(rename(subset.ctx, subset.uri, subset.offset, 'v2')).toBe("DestinationRule reviews (shop) already has a subset 'v2'.");
    expect(rename(subset.ctx, subset.uri, subset.offset, 'v1')).toEqual([]);
    // Two rules for one host are merged: a subset of either one takes the name.
    const merged = workspace({ 'dr.yaml': rule('shop', 'reviews', 'v1'), 'other.yaml': rule('shop', 'reviews', 'v2'), 'vs.yaml': route('shop', 'reviews', 'v|1') });
    expect(rename(merged.ctx, merged.uri, merged.offset, 'v2')).toBe("DestinationRule reviews (shop) already has a subset 'v2'.");
    const gw = workspace({ 'gw.yaml': `${gateway('edge', 'pub|lic')}---\n${gateway('edge', 'private')}` });
    expect(rename(gw.ctx, gw.uri, gw.offset, 'private')).toBe("Gateway 'private' already exists in namespace edge.");
  });
});

describe('workspace symbols', () => {
  it('finds Istio resources by name or kind and name, ignoring case', () => {
    const ws = workspace({
      'a.yaml': `${route('shop', 'reviews', 'v1').replace('name: reviews', 'name: «reviews»')}---\n${svc('reviews')}`,
      'b.yaml': `${rule('shop', 'reviews', 'v1').replace('name: reviews', 'name: "«reviews»"')}---\n${gateway('edge', 'public')}`,
    });
    const found = workspaceSymbols(ws.ctx, 'REV');
    expect(found.map((s) => [s.name, s.containerName, s.kind])).toEqual([
      ['VirtualService reviews', 'shop', 'VirtualService'],
      ['DestinationRule reviews', 'shop', 'DestinationRule'],
    ]);
    expect(ws.shown(found)).toEqual(ws.expected);
    expect(workspaceSymbols(ws.ctx, 'gateway pub').map((s) => s.name)).toEqual(['Gateway public']);
    expect(workspaceSymbols(ws.ctx, '').map((s) => s.kind)).toEqual(['VirtualService', 'DestinationRule', 'Gateway']);
  });

  it('stops at 1000 symbols', () => {
    const many = Array.from({ length: 1001 }, (_, i) => gateway('edge', `gw-${i}`)).join('---\n');
    const ws = workspace({ 'many.yaml': many });
    expect(workspaceSymbols(ws.ctx, '')).toHaveLength(1000);
  });
});
