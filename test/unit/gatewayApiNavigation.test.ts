// Navigation over Gateway API references: definition, references and rename of Gateways (from
// parentRefs), listeners (sectionName), Services (backendRefs, mirrors, mesh parentRefs),
// GatewayClasses, ReferenceGrants and certificate Secrets.
import { describe, expect, it } from 'vitest';
import { definition, prepareRename, references, rename, type Location, type TextEdit } from '../../server/src/features/navigation';
import { contextWith } from '../support';

// Files are written with a `|` caret for the cursor and «» around every range the answer should
// hold; the helper strips both and compares the texts at the ranges, file by file.
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
  const apply = (edits: TextEdit[] | string) => {
    if (typeof edits === 'string') throw new Error(edits);
    const out = { ...texts };
    for (const e of [...edits].sort((a, b) => b.start - a.start)) out[e.uri] = out[e.uri].slice(0, e.start) + e.newText + out[e.uri].slice(e.end);
    return Object.fromEntries(Object.entries(out).map(([uri, text]) => [uri.slice('file:///ws/'.length), text]));
  };
  return { ctx: contextWith(byName), uri: cursor.uri, offset: cursor.offset, expected: shown(marked), shown, apply, texts };
}

const GW = 'gateway.networking.k8s.io/v1';
const unmark = (s: string) => s.replace(/[|«»]/g, '');

function doc(apiVersion: string, kind: string, namespace: string, name: string, spec: string): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${spec.replace(/^(?=.)/gm, '  ')}\n`;
}

/** A Gateway with listeners `name:port[:hostname]`. */
const gateway = (namespace: string, name: string, listeners: string[], className = 'istio') =>
  doc(
    GW,
    'Gateway',
    namespace,
    name,
    `gatewayClassName: ${className}\nlisteners:\n${listeners
      .map((l) => {
        const [listener, port, hostname] = l.split(':');
        return `- name: ${listener}\n  port: ${port}\n  protocol: HTTP\n${hostname ? `  hostname: "${hostname}"\n` : ''}  allowedRoutes: {namespaces: {from: All}}\n`;
      })
      .join('')}`,
  );

/** An HTTPRoute with parentRefs (YAML flow maps, one per line) and one rule's backendRefs, and a RequestMirror filter's backendRef when given. */
const route = (namespace: string, name: string, parents: string[], backends: string[] = [], mirror?: string) =>
  doc(
    GW,
    'HTTPRoute',
    namespace,
    name,
    `parentRefs:\n${parents.map((p) => `- ${p}\n`).join('')}rules:\n- ${mirror ? `filters:\n  - type: RequestMirror\n    requestMirror:\n      backendRef: ${mirror}\n  ` : ''}backendRefs:\n${backends.map((b) => `  - ${b}\n`).join('') || '  []\n'}`,
  );

const service = (namespace: string, name: string, ports = '[{name: http, port: 80}]') => doc('v1', 'Service', namespace, name, `selector: {app: ${unmark(name)}}\nports: ${ports}`);

describe('definition', () => {
  it('goes from a parentRef name to the Gateway, from a sectionName to the listener', () => {
    const gw = gateway('ingress', '«edge»', ['http:80', 'https:443']).replace('name: «edge»', 'name: «edge»');
    const fromName = workspace({ 'gw.yaml': gw, 'r.yaml': route('shop', 'web', ['{name: ed|ge, namespace: ingress}']) });
    expect(fromName.shown(definition(fromName.ctx, fromName.uri, fromName.offset))).toEqual(fromName.expected);
    const fromSection = workspace({
      'gw.yaml': gateway('ingress', 'edge', ['http:80', 'https:443']).replace('name: https', 'name: «https»'),
      'r.yaml': route('shop', 'web', ['{name: edge, namespace: ingress, sectionName: htt|ps}']),
    });
    expect(fromSection.shown(definition(fromSection.ctx, fromSection.uri, fromSection.offset))).toEqual(fromSection.expected);
  });

  it('goes from a backendRef name and a mirror to the Service, from its port to the Service port', () => {
    const ws = workspace({
      'svc.yaml': `${service('shop', '«web»')}---\n${service('shop', 'shadow')}`,
      'r.yaml': route('shop', 'web', ['{name: edge}'], ['{name: we|b, port: 80}'], '{name: shadow, port: 80}'),
    });
    expect(ws.shown(definition(ws.ctx, ws.uri, ws.offset))).toEqual(ws.expected);
    const m = workspace({
      'svc.yaml': `${service('shop', 'web')}---\n${service('shop', '«shadow»')}`,
      'r.yaml': route('shop', 'web', ['{name: edge}'], ['{name: web, port: 80}'], '{name: shad|ow, port: 80}'),
    });
    expect(m.shown(definition(m.ctx, m.uri, m.offset))).toEqual(m.expected);
    const port = workspace({
      'svc.yaml': service('shop', 'web', '[{name: grpc, port: 90}, «{name: http, port: 80}»]'),
      'r.yaml': route('shop', 'web', ['{name: edge}'], ['{name: web, port: 8|0}']),
    });
    expect(port.shown(definition(port.ctx, port.uri, port.offset))).toEqual(port.expected);
  });

  it('goes from a mesh parentRef to the Service, from gatewayClassName to the GatewayClass', () => {
    const mesh = workspace({ 'svc.yaml': service('shop', '«reviews»'), 'r.yaml': route('shop', 'split', ['{group: "", kind: Service, name: revi|ews}']) });
    expect(mesh.shown(definition(mesh.ctx, mesh.uri, mesh.offset))).toEqual(mesh.expected);
    const cls = workspace({
      'gw.yaml': gateway('ingress', 'edge', ['http:80'], 'cust|om'),
      'class.yaml': `apiVersion: ${GW}\nkind: GatewayClass\nmetadata:\n  name: «custom»\nspec:\n  controllerName: example.com/gw\n`,
    });
    expect(cls.shown(definition(cls.ctx, cls.uri, cls.offset))).toEqual(cls.expected);
  });

  it('goes from a ReferenceGrant to what it names, and from a certificateRef to the Secret', () => {
    const grant = (to: string, from: string) =>
      doc(
        'gateway.networking.k8s.io/v1beta1',
        'ReferenceGrant',
        'shop',
        'allow',
        `from:\n- {group: ${GW.split('/')[0]}, kind: HTTPRoute, namespace: ${from}}\nto:\n- {group: "", kind: Service, name: ${to}}`,
      );
    const ns = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: «front»\n`;
    const to = workspace({ 'svc.yaml': service('shop', '«web»'), 'g.yaml': grant('w|eb', 'front') });
    expect(to.shown(definition(to.ctx, to.uri, to.offset))).toEqual(to.expected);
    const from = workspace({ 'ns.yaml': ns, 'g.yaml': grant('web', 'fr|ont') });
    expect(from.shown(definition(from.ctx, from.uri, from.offset))).toEqual(from.expected);
    const tls = gateway('ingress', 'edge', ['https:443']).replace('  allowedRoutes', '  tls: {certificateRefs: [{name: ce|rt}]}\n  allowedRoutes');
    const secret = workspace({ 'gw.yaml': tls, 's.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: «cert»\n  namespace: ingress\n` });
    expect(secret.shown(definition(secret.ctx, secret.uri, secret.offset))).toEqual(secret.expected);
  });

  it('answers nothing for a Gateway or Service the workspace does not hold, nor on other values', () => {
    for (const r of [route('shop', 'web', ['{name: nowh|ere}']), route('shop', 'web', ['{name: edge}'], ['{name: miss|ing, port: 80}']), route('shop', 'web', ['{name: edge, po|rt: 80}'])]) {
      const ws = workspace({ 'gw.yaml': gateway('shop', 'edge', ['http:80']), 'r.yaml': r });
      expect(definition(ws.ctx, ws.uri, ws.offset)).toEqual([]);
    }
  });
});

describe('references', () => {
  it('finds every parentRef naming a Gateway API Gateway, and the VirtualService gateways resolving to it', () => {
    const vs = doc('networking.istio.io/v1', 'VirtualService', 'shop', 'legacy', 'hosts: [a.example.com]\ngateways: [«ingress/edge», other]\nhttp:\n- route:\n  - destination: {host: web}');
    const ws = workspace({
      'gw.yaml': gateway('ingress', '«ed|ge»', ['http:80']),
      'a.yaml': route('shop', 'a', ['{name: «edge», namespace: ingress}', '{name: edge}']),
      'b.yaml': `${route('ingress', 'b', ['{name: «edge»}'])}---\n${route('other', 'c', ['{name: edge, namespace: shop}'])}`,
      'vs.yaml': vs,
    });
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, true))).toEqual(ws.expected);
  });

  it('finds the sectionNames naming a listener, from its name or from one of them', () => {
    const files = (caretInRoute: boolean) => ({
      'gw.yaml': gateway('ingress', 'edge', ['http:80', 'https:443']).replace('name: https', caretInRoute ? 'name: «https»' : 'name: «ht|tps»'),
      'a.yaml': route('shop', 'a', [`{name: edge, namespace: ingress, sectionName: «${caretInRoute ? 'htt|ps' : 'https'}»}`, '{name: edge, namespace: ingress, sectionName: http}']),
      'b.yaml': route('ingress', 'b', ['{name: edge, sectionName: «https»}', '{name: other, sectionName: https}']),
    });
    for (const caretInRoute of [false, true]) {
      const ws = workspace(files(caretInRoute));
      expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, true))).toEqual(ws.expected);
    }
  });

  it("finds a Service's backendRefs, mirrors and mesh parentRefs besides its hosts", () => {
    const withMirror = route('front', 'mirror', ['{name: edge}'], [], '{name: «web», namespace: shop, port: 80}');
    const ws = workspace({
      'svc.yaml': service('shop', '«w|eb»'),
      'a.yaml': route('shop', 'a', ['{kind: Service, group: "", name: «web»}'], ['{name: «web», port: 80}', '{name: api, port: 80}']),
      'b.yaml': withMirror,
      'c.yaml': route('front', 'c', ['{name: edge}'], ['{name: web, port: 80}', '{group: networking.istio.io, kind: Hostname, name: «web.shop.svc.cluster.local»}']),
      'vs.yaml': doc('networking.istio.io/v1', 'VirtualService', 'shop', 'web', 'hosts: [«web»]\nhttp:\n- route:\n  - destination: {host: «web»}'),
    });
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, true))).toEqual(ws.expected);
  });

  it('finds the cross-namespace references a ReferenceGrant allows', () => {
    const grant = doc(
      'gateway.networking.k8s.io/v1beta1',
      'ReferenceGrant',
      'shop',
      'al|low',
      'from:\n- {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: front}\nto:\n- {group: "", kind: Service}',
    );
    const ws = workspace({
      'g.yaml': grant,
      'svc.yaml': service('shop', 'web'),
      'a.yaml': route('front', 'a', ['{name: edge}'], ['{name: «web», namespace: shop, port: 80}', '{name: web, port: 80}']),
      'b.yaml': route('other', 'b', ['{name: edge}'], ['{name: web, namespace: shop, port: 80}']),
      'c.yaml': route('shop', 'c', ['{name: edge}'], ['{name: web, port: 80}']),
    });
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, false))).toEqual(ws.expected);
  });

  it('finds the Gateways of a GatewayClass', () => {
    const ws = workspace({
      'class.yaml': `apiVersion: ${GW}\nkind: GatewayClass\nmetadata:\n  name: «cus|tom»\nspec:\n  controllerName: example.com/gw\n`,
      'gw.yaml': `${gateway('a', 'one', ['http:80'], '«custom»')}---\n${gateway('b', 'two', ['http:80'], 'istio')}`,
    });
    expect(ws.shown(references(ws.ctx, ws.uri, ws.offset, true))).toEqual(ws.expected);
  });
});

describe('rename', () => {
  it('renames a Gateway API Gateway from a parentRef: its name, every parentRef and the VirtualService gateways naming it, keeping quotes', () => {
    const vs = (gw: string) =>
      doc('networking.istio.io/v1', 'VirtualService', 'shop', 'legacy', `hosts: [a.example.com] # keep\ngateways: [${gw}, mesh]\nhttp:\n- route:\n  - destination: {host: web}`);
    const files = (name: string, caret = '') => ({
      'gw.yaml': gateway('ingress', name, ['http:80']),
      'a.yaml': route('shop', 'a', [`{name: "${caret ? `ed${caret}ge` : name}", namespace: ingress} # first`, `{name: ${name === 'edge' ? 'edge' : 'edge'}, namespace: other}`]),
      'b.yaml': `${route('ingress', 'b', [`{name: '${name}'}`])}---\n${doc(GW, 'ListenerSet', 'ingress', 'extra', `parentRef: {name: ${name}}\nlisteners: []`)}`,
      'vs.yaml': vs(`ingress/${name}`),
    });
    const ws = workspace(files('edge', '|'));
    expect(prepareRename(ws.ctx, ws.uri, ws.offset)?.placeholder).toBe('edge');
    expect(ws.apply(rename(ws.ctx, ws.uri, ws.offset, 'front'))).toEqual(files('front'));
  });

  it('renames a listener and every sectionName naming it, and nothing of another Gateway', () => {
    const gw = (name: string, caret = false) => gateway('ingress', 'edge', ['http:80', `${caret ? 'we|b' : name}:443`]);
    const files = (name: string, caret = false) => ({
      'gw.yaml': gw(name, caret),
      'a.yaml': route('shop', 'a', [`{name: edge, namespace: ingress, sectionName: ${name}}`, '{name: other, namespace: ingress, sectionName: web}']),
    });
    const ws = workspace(files('web', true));
    expect(ws.apply(rename(ws.ctx, ws.uri, ws.offset, 'secure.web'))).toEqual(files('secure.web'));
    expect(rename(ws.ctx, ws.uri, ws.offset, 'http')).toBe("Gateway ingress/edge already has a listener 'http'.");
    expect(typeof rename(ws.ctx, ws.uri, ws.offset, 'Web_1')).toBe('string');
  });

  it('refuses when a parentRef comes from an alias or merge key, or the new name is taken', () => {
    const aliased = route('shop', 'a', ['&ref {name: edge, namespace: ingress}', '*ref']);
    const merged = route('shop', 'a', ['{<<: {name: edge}, namespace: ingress}']);
    for (const r of [aliased, merged]) {
      const ws = workspace({ 'gw.yaml': gateway('ingress', 'ed|ge', ['http:80']), 'a.yaml': r });
      expect(rename(ws.ctx, ws.uri, ws.offset, 'front')).toMatch(/through an alias or merge key/);
    }
    const elsewhere = workspace({ 'gw.yaml': gateway('ingress', 'ed|ge', ['http:80']), 'a.yaml': route('other', 'a', ['{<<: {name: edge}, namespace: other}']) });
    expect(typeof elsewhere.apply(rename(elsewhere.ctx, elsewhere.uri, elsewhere.offset, 'front'))).toBe('object');
    const taken = workspace({ 'gw.yaml': `${gateway('ingress', 'ed|ge', ['http:80'])}---\n${gateway('ingress', 'front', ['http:80'])}` });
    expect(rename(taken.ctx, taken.uri, taken.offset, 'front')).toBe("Gateway 'front' already exists in namespace ingress.");
  });

  it('does not rename Services, ports, classes or grants from Gateway API references', () => {
    for (const r of [route('shop', 'a', ['{name: edge}'], ['{name: we|b, port: 80}']), route('shop', 'a', ['{name: edge}'], ['{name: web, port: 8|0}'])]) {
      const ws = workspace({ 'svc.yaml': service('shop', 'web'), 'a.yaml': r });
      expect(prepareRename(ws.ctx, ws.uri, ws.offset)).toBeUndefined();
      expect(typeof rename(ws.ctx, ws.uri, ws.offset, 'x')).toBe('string');
    }
  });
});
