// Match conditions in words: `uri prefix /api`, `header end-user = jason`, `port 9080`.

type StringMatch = { exact?: unknown; prefix?: unknown; regex?: unknown };

/** `= v`, `prefix v`, `matches re`; an empty matcher means "present". */
export function stringMatchWords(m: unknown): string {
  const s = (m ?? {}) as StringMatch;
  if (s.exact !== undefined) return `= ${String(s.exact)}`;
  if (s.prefix !== undefined) return `prefix ${String(s.prefix)}`;
  if (s.regex !== undefined) return `matches ${String(s.regex)}`;
  return 'present';
}

function entries(value: unknown): [string, unknown][] {
  return value && typeof value === 'object' ? Object.entries(value) : [];
}

function labels(value: unknown): string {
  return entries(value)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

export function describeMatch(kind: 'http' | 'tcp' | 'tls', value: unknown): string {
  const m = (value ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (kind === 'http') {
    if (m.uri) parts.push(`uri ${stringMatchWords(m.uri)}${m.ignoreUriCase ? ' (any case)' : ''}`);
    if (m.scheme) parts.push(`scheme ${stringMatchWords(m.scheme)}`);
    if (m.method) parts.push(`method ${stringMatchWords(m.method)}`);
    if (m.authority) parts.push(`authority ${stringMatchWords(m.authority)}`);
    for (const [name, matcher] of entries(m.headers)) parts.push(`header ${name} ${stringMatchWords(matcher)}`);
    for (const [name, matcher] of entries(m.queryParams)) parts.push(`query ${name} ${stringMatchWords(matcher)}`);
    for (const [name, matcher] of entries(m.withoutHeaders)) parts.push(`no header ${name} ${stringMatchWords(matcher)}`.replace(/ present$/, ''));
  }
  if (Array.isArray(m.sniHosts)) parts.push(`SNI ${m.sniHosts.join(' or ')}`);
  if (Array.isArray(m.destinationSubnets)) parts.push(`destination subnet ${m.destinationSubnets.join(' or ')}`);
  if (m.port !== undefined) parts.push(`port ${String(m.port)}`);
  if (m.sourceLabels) parts.push(`from workloads ${labels(m.sourceLabels)}`);
  if (m.sourceNamespace) parts.push(`from namespace ${String(m.sourceNamespace)}`);
  if (Array.isArray(m.gateways)) parts.push(`via ${m.gateways.join(' or ')}`);
  return parts.length > 0 ? parts.join(' and ') : 'any request';
}
