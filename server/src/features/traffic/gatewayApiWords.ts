// An HTTPRoute's or GRPCRoute's rules in words, from their plain values (a half-typed document can
// hold anything: what is not the expected shape reads as absent): a match (`path prefix /api and
// method POST`), a filter (`request headers: set x-env: prod`), the rule's timeouts and retries.
// Defaults are the spec's: a path match is PathPrefix `/`, a header match Exact, a redirect 302.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** `header x = v`, `query page matches [0-9]+`. */
function valueMatchWords(what: string, item: unknown): string | undefined {
  const m = obj(item);
  const name = str(m.name);
  if (name === undefined) return undefined;
  return `${what} ${name} ${m.type === 'RegularExpression' ? 'matches' : '='} ${str(m.value) ?? ''}`.trimEnd();
}

function pathWords(path: unknown): string | undefined {
  const p = obj(path);
  const type = str(p.type) ?? 'PathPrefix';
  const value = str(p.value) ?? '/';
  if (type === 'PathPrefix') return value === '/' ? undefined : `path prefix ${value}`;
  return type === 'Exact' ? `path = ${value}` : `path matches ${value}`;
}

export function describeHttpRouteMatch(value: unknown): string {
  const m = obj(value);
  const parts = [
    pathWords(m.path),
    str(m.method) && `method ${str(m.method)}`,
    ...list(m.headers).map((h) => valueMatchWords('header', h)),
    ...list(m.queryParams).map((q) => valueMatchWords('query', q)),
  ].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' and ') : 'any request';
}

function grpcMethodWords(method: unknown): string | undefined {
  const m = obj(method);
  const service = str(m.service);
  const name = str(m.method);
  if (service === undefined && name === undefined) return undefined;
  if (m.type === 'RegularExpression') return [service && `service matches ${service}`, name && `method matches ${name}`].filter(Boolean).join(' and ');
  if (service !== undefined && name !== undefined) return `method ${service}/${name}`;
  return service !== undefined ? `service ${service} (any method)` : `method ${name} (any service)`;
}

export function describeGrpcRouteMatch(value: unknown): string {
  const m = obj(value);
  const parts = [grpcMethodWords(m.method), ...list(m.headers).map((h) => valueMatchWords('header', h))].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' and ') : 'any request';
}

function headerEdits(where: string, value: unknown): string {
  const m = obj(value);
  const pairs = (v: unknown) => list(v).map((h) => `${str(obj(h).name) ?? '?'}: ${str(obj(h).value) ?? ''}`.trimEnd());
  const parts = [
    ...pairs(m.set).map((p) => `set ${p}`),
    ...pairs(m.add).map((p) => `add ${p}`),
    ...list(m.remove)
      .map(str)
      .filter(Boolean)
      .map((n) => `remove ${n}`),
  ];
  return `${where} headers: ${parts.join('; ') || 'unchanged'}`;
}

function pathModifier(path: unknown): { full?: string; prefix?: string } {
  const p = obj(path);
  if (p.type === 'ReplacePrefixMatch') return { prefix: str(p.replacePrefixMatch) ?? '/' };
  return p.type === 'ReplaceFullPath' ? { full: str(p.replaceFullPath) ?? '/' } : {};
}

function redirectWords(value: unknown): string {
  const r = obj(value);
  const path = pathModifier(r.path);
  const target = `${r.scheme ? `${str(r.scheme)}://` : ''}${str(r.hostname) ?? ''}${r.port !== undefined ? `:${str(r.port)}` : ''}${path.full ?? ''}`;
  const prefix = path.prefix !== undefined ? `, the matched prefix replaced by ${path.prefix}` : '';
  return `redirect (${str(r.statusCode) ?? 302}) to ${target || 'the same URL'}${prefix}`;
}

function rewriteWords(value: unknown): string {
  const r = obj(value);
  const path = pathModifier(r.path);
  const parts = [
    r.hostname !== undefined ? `host to ${str(r.hostname)}` : undefined,
    path.full !== undefined ? `path to ${path.full}` : undefined,
    path.prefix !== undefined ? `the matched prefix to ${path.prefix}` : undefined,
  ].filter(Boolean);
  return `rewrite ${parts.join(', ') || 'nothing'}`;
}

/** The share a RequestMirror copies: `percent`, else `fraction` (denominator 100 by default), else all. */
export function mirrorPercent(value: unknown): number {
  const m = obj(value);
  if (typeof m.percent === 'number') return Math.max(0, Math.min(100, m.percent));
  const f = obj(m.fraction);
  const denominator = typeof f.denominator === 'number' && f.denominator > 0 ? f.denominator : 100;
  if (typeof f.numerator === 'number') return Math.max(0, Math.min(100, Math.round((f.numerator * 10000) / denominator) / 100));
  return 100;
}

function backendWords(ref: unknown): string {
  const b = obj(ref);
  return `${b.namespace ? `${str(b.namespace)}/` : ''}${str(b.name) ?? '?'}${b.port !== undefined ? `:${str(b.port)}` : ''}`;
}

function corsWords(value: unknown): string {
  const c = obj(value);
  const names = (v: unknown) => list(v).map(str).filter(Boolean).join(', ');
  const parts = [
    names(c.allowOrigins) && `origins ${names(c.allowOrigins)}`,
    names(c.allowMethods) && `methods ${names(c.allowMethods)}`,
    names(c.allowHeaders) && `headers ${names(c.allowHeaders)}`,
    c.allowCredentials === true ? 'credentials allowed' : '',
    c.maxAge !== undefined ? `max age ${str(c.maxAge)}s` : '',
  ].filter(Boolean);
  return `CORS: ${parts.join('; ') || 'no origins allowed'}`;
}

/** One filter in words; undefined for an item that is not a filter yet. */
export function filterWords(filter: unknown): string | undefined {
  const f = obj(filter);
  const type = str(f.type);
  switch (type) {
    case undefined:
      return undefined;
    case 'RequestHeaderModifier':
      return headerEdits('request', f.requestHeaderModifier);
    case 'ResponseHeaderModifier':
      return headerEdits('response', f.responseHeaderModifier);
    case 'RequestRedirect':
      return redirectWords(f.requestRedirect);
    case 'URLRewrite':
      return rewriteWords(f.urlRewrite);
    case 'RequestMirror':
      return `mirror ${mirrorPercent(f.requestMirror)}% to ${backendWords(obj(f.requestMirror).backendRef)}`;
    case 'CORS':
      return corsWords(f.cors);
    case 'ExtensionRef':
      return `extension ${str(obj(f.extensionRef).kind) ?? '?'} ${str(obj(f.extensionRef).name) ?? '?'}`;
    case 'ExternalAuth':
      return `external auth by ${backendWords(obj(f.externalAuth).backendRef)}`;
  }
  return `filter ${type}`;
}

/** The rule's filters, timeouts, retries and session persistence, then each backendRef's own filters. */
export function ruleDetails(rule: unknown): string[] {
  const r = obj(rule);
  const out = list(r.filters).flatMap((f) => filterWords(f) ?? []);
  const timeouts = obj(r.timeouts);
  if (timeouts.request !== undefined) out.push(`timeout ${str(timeouts.request)}`);
  if (timeouts.backendRequest !== undefined) out.push(`backend request timeout ${str(timeouts.backendRequest)}`);
  if (r.retry !== undefined) {
    const retry = obj(r.retry);
    const codes = list(retry.codes).map(str).filter(Boolean).join(', ');
    out.push(`retries: ${str(retry.attempts) ?? 'default'} attempts${codes ? ` on ${codes}` : ''}${retry.backoff !== undefined ? `, backoff ${str(retry.backoff)}` : ''}`);
  }
  if (r.sessionPersistence !== undefined) out.push(`session persistence (${str(obj(r.sessionPersistence).type) ?? 'Cookie'})`);
  for (const b of list(r.backendRefs)) for (const f of list(obj(b).filters)) out.push(...[filterWords(f)].filter((w): w is string => !!w).map((w) => `for ${backendWords(b)}: ${w}`));
  return out;
}
