// The VS Code snippets in snippets/istio.json: each expands (every placeholder at its default)
// to YAML our own checker accepts, every Istio kind has a skeleton, and the snippets keep one
// style (prefixes, tab-stop numbering, 2-space flush sequences, newest API versions).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { caret, diagnose, newService, repoRoot } from '../support';

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
  /** A fragment: the kind and the path of the map whose keys it adds (`*`: any list index); a whole document otherwise. */
  in?: { kind: string; path: string[] };
}

interface KindInfo {
  group: string;
  versions: string[];
  storageVersion: string;
}

const SCHEMA_VERSION = '1.31';
const snippets: Record<string, Snippet> = JSON.parse(readFileSync(join(repoRoot, 'snippets', 'istio.json'), 'utf8'));
const index: { kinds: Record<string, KindInfo> } = JSON.parse(readFileSync(join(repoRoot, 'schemas', SCHEMA_VERSION, 'index.json'), 'utf8'));
/** The Gateway API kinds our registry serves (the bundle Istio's Gateway API support follows). */
const gatewayApiIndex: { kinds: Record<string, KindInfo> } = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'gateway-api', 'v1.5.1', 'index.json'), 'utf8'));
/** Kubernetes kinds a snippet may write beside Istio's (a waypoint's Namespace). */
const CORE_KINDS: Record<string, KindInfo> = { Namespace: { group: '', versions: ['v1'], storageVersion: 'v1' } };

// ---------------------------------------------------------------------------------------------
// A small parser for the VS Code snippet grammar (tab stops, placeholders, choices, escapes).

type Part = { type: 'text'; value: string } | { type: 'tabstop'; index: number } | { type: 'placeholder'; index: number; children: Part[] } | { type: 'choice'; index: number; options: string[] };

function parseSnippet(source: string): Part[] {
  let pos = 0;

  function parseParts(inPlaceholder: boolean): Part[] {
    const parts: Part[] = [];
    let text = '';
    const flush = () => {
      if (text) parts.push({ type: 'text', value: text });
      text = '';
    };
    while (pos < source.length) {
      const ch = source[pos];
      if (ch === '\\' && pos + 1 < source.length && '$}\\'.includes(source[pos + 1])) {
        text += source[pos + 1];
        pos += 2;
      } else if (ch === '}' && inPlaceholder) {
        flush();
        return parts;
      } else if (ch === '$') {
        flush();
        parts.push(parseDollar());
      } else {
        text += ch;
        pos++;
      }
    }
    if (inPlaceholder) throw new Error(`unterminated placeholder in ${JSON.stringify(source)}`);
    flush();
    return parts;
  }

  function parseDollar(): Part {
    const rest = source.slice(pos);
    const bare = /^\$(\d+)/.exec(rest);
    if (bare) {
      pos += bare[0].length;
      return { type: 'tabstop', index: Number(bare[1]) };
    }
    const braced = /^\$\{(\d+)\}/.exec(rest);
    if (braced) {
      pos += braced[0].length;
      return { type: 'tabstop', index: Number(braced[1]) };
    }
    const choice = /^\$\{(\d+)\|((?:\\.|[^|\\])*)\|\}/.exec(rest);
    if (choice) {
      pos += choice[0].length;
      const options = choice[2].split(/(?<!\\),/).map((o) => o.replace(/\\(.)/g, '$1'));
      return { type: 'choice', index: Number(choice[1]), options };
    }
    const open = /^\$\{(\d+):/.exec(rest);
    if (open) {
      pos += open[0].length;
      const children = parseParts(true);
      pos++; // the closing '}'
      return { type: 'placeholder', index: Number(open[1]), children };
    }
    throw new Error(`unsupported '$' (a variable or an unescaped dollar) at ${JSON.stringify(rest.slice(0, 20))}; escape a literal dollar as \\$`);
  }

  return parseParts(false);
}

/** Tab-stop numbers in order of first appearance (outer before nested). */
function tabStopOrder(parts: Part[], order: number[] = []): number[] {
  for (const part of parts) {
    if (part.type === 'text') continue;
    if (!order.includes(part.index)) order.push(part.index);
    if (part.type === 'placeholder') tabStopOrder(part.children, order);
  }
  return order;
}

/** Expands a snippet body as if the user pressed Tab through it accepting every default. */
function expandSnippet(body: string | string[]): string {
  const parts = parseSnippet(Array.isArray(body) ? body.join('\n') : body);
  const defaults = new Map<number, Part[]>();
  const collect = (list: Part[]) => {
    for (const part of list) {
      if (part.type === 'placeholder') {
        const existing = defaults.get(part.index);
        if (existing && render(existing, []) !== render(part.children, [])) throw new Error(`tab stop $${part.index} has two different defaults`);
        if (!existing) defaults.set(part.index, part.children);
        collect(part.children);
      } else if (part.type === 'choice') {
        const choices: Part[] = [{ type: 'text', value: part.options[0] ?? '' }];
        const existing = defaults.get(part.index);
        if (existing && render(existing, []) !== part.options[0]) throw new Error(`tab stop $${part.index} has two different defaults`);
        if (!existing) defaults.set(part.index, choices);
      }
    }
  };
  const render = (list: Part[], stack: number[]): string =>
    list
      .map((part) => {
        if (part.type === 'text') return part.value;
        if (part.type === 'choice') return part.options[0] ?? '';
        if (part.type === 'tabstop' && part.index === 0) return '';
        return renderStop(part.index, stack);
      })
      .join('');
  const renderStop = (index: number, stack: number[]): string => {
    if (stack.includes(index)) throw new Error(`tab stop $${index} refers to itself`);
    const value = defaults.get(index);
    if (!value) throw new Error(`tab stop $${index} has no default anywhere in the snippet (only $0 may be empty)`);
    return render(value, [...stack, index]);
  };
  collect(parts);
  return render(parts, []);
}

// ---------------------------------------------------------------------------------------------

describe('snippet expander', () => {
  it('takes defaults, first choices, mirrors, nested placeholders and escapes', () => {
    expect(expandSnippet(['a: ${1:reviews}', 'b: $1 ${1}', 'c: ${2|STRICT,PERMISSIVE|}', 'd: $2$0'])).toBe('a: reviews\nb: reviews reviews\nc: STRICT\nd: STRICT');
    expect(expandSnippet('${1:outer ${2:inner} end} $2')).toBe('outer inner end inner');
    expect(expandSnippet('cost: \\$5 \\} ${1:a\\}b}')).toBe('cost: $5 } a}b');
    expect(expandSnippet('$1 then ${1:later}')).toBe('later then later');
    expect(expandSnippet('${1|a\\,b,c|}')).toBe('a,b');
  });

  it('refuses tab stops without a default and variables', () => {
    expect(() => expandSnippet('host: $1')).toThrow(/no default/);
    expect(() => expandSnippet('host: ${1}')).toThrow(/no default/);
    expect(() => expandSnippet('file: $TM_FILENAME')).toThrow(/unsupported/);
    expect(() => expandSnippet('a: ${1:x} b: ${1:y}')).toThrow(/two different defaults/);
  });
});

const entries = Object.entries(snippets);

/** The expansion of a snippet; throws (failing the calling test only) when it cannot be expanded. */
function expanded(name: string): string {
  return expandSnippet(snippets[name].body);
}

/**
 * Where each fragment goes, as a document with the caret on a line of that map: the fragment's
 * lines replace the caret (indented by its column). The DestinationRule gives the route's host the
 * subsets a fragment's defaults may name.
 */
const FRAGMENT_HOSTS: Record<string, string> = {
  'VirtualService spec.http.*': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
    |
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: default
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
`,
  'HTTPRoute spec.rules.*': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
  namespace: default
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
    port: 9080
  rules:
  - backendRefs:
    - name: reviews-v1
      port: 9080
    |
`,
};

function fragmentHost(name: string): string {
  const where = snippets[name].in!;
  const host = FRAGMENT_HOSTS[`${where.kind} ${where.path.join('.')}`];
  if (!host) throw new Error(`no host document in FRAGMENT_HOSTS for a fragment in ${where.kind} ${where.path.join('.')}`);
  return host;
}

/** The snippet's expansion as the documents it ends up in: a whole document as it is, a fragment inside its host document. */
function asDocuments(name: string): string {
  const text = expanded(name);
  if (!snippets[name].in) return text;
  const host = fragmentHost(name);
  const at = host.indexOf('|');
  const column = at - host.lastIndexOf('\n', at) - 1;
  return host.slice(0, at) + text.replace(/\n/g, '\n' + ' '.repeat(column)) + host.slice(at + 1);
}

/** Bookinfo's Services (also one per version of reviews, for Gateway API routes) and versioned Deployments in `default`: what the snippets' defaults refer to. */
const bookinfo = ['productpage:v1', 'reviews:v1', 'reviews:v2', 'ratings:v1', 'ratings:v2']
  .map((appVersion) => {
    const [app, version] = appVersion.split(':');
    return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}-${version}
  namespace: default
spec:
  selector:
    matchLabels: {app: ${app}, version: ${version}}
  template:
    metadata:
      labels: {app: ${app}, version: ${version}}
    spec:
      containers: [{name: ${app}, image: ${app}}]
`;
  })
  .concat(
    ['productpage', 'reviews', 'ratings', 'reviews:v1', 'reviews:v2'].map(
      (appVersion) => `apiVersion: v1
kind: Service
metadata:
  name: ${appVersion.replace(':', '-')}
  namespace: default
spec:
  selector: {app: ${appVersion.split(':')[0]}${appVersion.includes(':') ? `, version: ${appVersion.split(':')[1]}` : ''}}
  ports:
  - name: http
    port: 9080
`,
    ),
  )
  .join('---\n');

function errorsAndWarnings(problems: { severity: string; code: string; start: number; end: number; message: string }[], text: string): string[] {
  return problems
    .filter((p) => p.severity === 'error' || p.severity === 'warning')
    .map((p) => `${p.severity} ${p.code} line ${text.slice(0, p.start).split('\n').length} '${text.slice(p.start, p.end)}': ${p.message}`);
}

function resources(text: string): { apiVersion: string; kind: string }[] {
  return parseAllDocuments(text).map((doc) => doc.toJS() as { apiVersion: string; kind: string });
}

describe('snippets/istio.json', () => {
  it('has snippets', () => {
    expect(entries.length).toBeGreaterThan(Object.keys(index.kinds).length);
  });

  it('uses unique prefixes that start with istio-, and one-line descriptions', () => {
    const prefixes = entries.flatMap(([, s]) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]));
    for (const prefix of prefixes) expect(prefix).toMatch(/^istio-[a-z0-9-]+$/);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const [name, s] of entries) {
      expect(s.description, name).toMatch(/^\S.*\.$/);
      expect(s.description, name).not.toContain('\n');
    }
  });

  it('has a skeleton for every kind of the 1.31 schemas', () => {
    const kinds = new Set(entries.flatMap(([name]) => (snippets[name].in ? [] : resources(expanded(name)).map((r) => r.kind))));
    for (const kind of Object.keys(index.kinds)) expect(kinds.has(kind), `no snippet for ${kind}`).toBe(true);
  });

  it.each(entries)('%s: numbers its tab stops 1, 2, 3... in order of appearance', (_name, s) => {
    const order = tabStopOrder(parseSnippet(Array.isArray(s.body) ? s.body.join('\n') : s.body)).filter((n) => n !== 0);
    expect(order).toEqual(order.map((_, i) => i + 1));
  });

  it.each(entries)('%s: uses 2-space indentation and flush sequences, no tabs or trailing spaces', (name) => {
    const lines = expanded(name).split('\n');
    lines.forEach((line, i) => {
      expect(line, `line ${i + 1}`).not.toMatch(/\t|\s$/);
      expect(line.search(/\S|$/) % 2, `line ${i + 1} indentation`).toBe(0);
      if (!/:$/.test(line) || i + 1 >= lines.length) return;
      const next = lines[i + 1];
      if (!/^\s*- /.test(next)) return;
      // The column of the key: its indentation plus two per leading '- '.
      const keyColumn = /^(\s*(?:- )*)/.exec(line)![1].length;
      expect(next.search(/\S/), `line ${i + 2}: sequence flush with its key`).toBe(keyColumn);
    });
  });

  it.each(entries)('%s: uses the newest API version the 1.31 schemas serve', (name) => {
    for (const { apiVersion, kind } of resources(asDocuments(name))) {
      const gatewayApi = apiVersion.startsWith('gateway.networking.k8s.io/');
      const info = gatewayApi ? gatewayApiIndex.kinds[kind] : (index.kinds[kind] ?? CORE_KINDS[kind]);
      expect(info, `${kind} is not an Istio, Gateway API or listed Kubernetes kind`).toBeDefined();
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      expect(group).toBe(info.group);
      expect(info.versions).toContain(version);
      expect(version).toBe(info.versions.includes('v1') ? 'v1' : info.storageVersion);
    }
  });

  it.each(entries)('%s: expands to YAML the checker accepts', (name) => {
    const text = asDocuments(name);
    for (const doc of parseAllDocuments(text)) expect(doc.errors.map((e) => e.message)).toEqual([]);
    expect(errorsAndWarnings(diagnose(text, SCHEMA_VERSION), text), text).toEqual([]);
  });

  it.each(entries)('%s: stays clean in a workspace that defines the services it refers to', (name) => {
    const text = asDocuments(name);
    const service = newService();
    service.setDiskFile('file:///ws/bookinfo.yaml', bookinfo);
    service.setDiskFile('file:///ws/snippet.yaml', text);
    const problems = service.diagnoseDiskFile('file:///ws/snippet.yaml', { istioVersion: SCHEMA_VERSION, validate: true });
    expect(errorsAndWarnings(problems, text), text).toEqual([]);
  });

  it.each(entries)('%s: is offered as a completion item where it fits, and not elsewhere', (name) => {
    const prefix = [snippets[name].prefix].flat()[0];
    const offered = (textWithCaret: string) => {
      const { text, offset } = caret(textWithCaret);
      const service = newService();
      service.open('file:///ws/at.yaml', 1, text);
      return service.complete('file:///ws/at.yaml', offset, { istioVersion: SCHEMA_VERSION, validate: true })?.items.find((i) => i.label === prefix);
    };
    const documentStart = '|';
    if (!snippets[name].in) {
      expect(offered(documentStart)?.insertText).toBe(Array.isArray(snippets[name].body) ? snippets[name].body.join('\n') : snippets[name].body);
      expect(offered(FRAGMENT_HOSTS['VirtualService spec.http.*'])).toBeUndefined();
      return;
    }
    expect(offered(fragmentHost(name))?.kind).toBe('snippet');
    expect(offered(documentStart)).toBeUndefined();
  });
});

describe('Gateway API snippets', () => {
  const complete = (textWithCaret: string) => {
    const { text, offset } = caret(textWithCaret);
    const service = newService();
    service.open('file:///ws/at.yaml', 1, text);
    return (service.complete('file:///ws/at.yaml', offset, { istioVersion: SCHEMA_VERSION, validate: true })?.items ?? []).map((i) => i.label);
  };
  const rule = FRAGMENT_HOSTS['HTTPRoute spec.rules.*'];

  it('offers the rule fragments only inside an HTTPRoute rule that lacks them', () => {
    expect(complete(rule)).toEqual(expect.arrayContaining(['istio-httproute-mirror', 'istio-httproute-timeouts']));
    const timed = rule.replace('    |', '    timeouts:\n      request: 5s\n    |');
    expect(complete(timed)).toContain('istio-httproute-mirror');
    expect(complete(timed)).not.toContain('istio-httproute-timeouts');
    const filtered = rule.replace('    |', '    filters:\n    - type: RequestHeaderModifier\n      requestHeaderModifier:\n        set:\n        - {name: x-a, value: b}\n    |');
    expect(complete(filtered)).not.toContain('istio-httproute-mirror');
    // Neither kind's fragments in the other's routes.
    expect(complete(FRAGMENT_HOSTS['VirtualService spec.http.*'])).not.toContain('istio-httproute-timeouts');
    expect(complete(rule)).not.toContain('istio-timeout');
  });

  it('needs the ReferenceGrant the cross-namespace snippet writes', () => {
    const docs = expanded('Gateway API: cross-namespace backend').split('---\n');
    const withGrant = errorsAndWarnings(diagnose(docs.join('---\n'), SCHEMA_VERSION), docs.join('---\n'));
    expect(withGrant).toEqual([]);
    const alone = docs[0];
    expect(
      diagnose(alone, SCHEMA_VERSION)
        .map((p) => p.message)
        .join('\n'),
    ).toMatch(/ReferenceGrant/);
  });
});

describe('fragments in the file’s style', () => {
  it('indents a fragment’s sequences in a 4-space file that indents them, and keeps them flush in a flush one', () => {
    const insertText = (textWithCaret: string) => {
      const { text, offset } = caret(textWithCaret);
      const service = newService();
      service.open('file:///ws/at.yaml', 1, text);
      return service.complete('file:///ws/at.yaml', offset, { istioVersion: SCHEMA_VERSION, validate: true })?.items.find((i) => i.label === 'istio-httproute-mirror')?.insertText;
    };
    const indented = [
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata:',
      '    name: reviews',
      'spec:',
      '    parentRefs:',
      '        - name: ingress',
      '    rules:',
      '        - backendRefs:',
      '              - name: reviews-v1',
      '                port: 9080',
      '          |',
      '',
    ].join('\n');
    expect(insertText(indented)).toBe(
      [
        'filters:',
        '              - type: RequestMirror',
        '                requestMirror:',
        '                    backendRef:',
        '                        name: ${1:reviews-v2}',
        '                        port: ${2:9080}',
        '                    percent: ${3:10}',
      ].join('\n'),
    );
    expect(insertText(FRAGMENT_HOSTS['HTTPRoute spec.rules.*'])).toBe(
      ['filters:', '    - type: RequestMirror', '      requestMirror:', '        backendRef:', '          name: ${1:reviews-v2}', '          port: ${2:9080}', '        percent: ${3:10}'].join('\n'),
    );
  });
});
