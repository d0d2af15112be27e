// The value checks of Istio's pkg/config/security, which the webhook runs on AuthorizationPolicy
// sources, operations and conditions: IP addresses and CIDRs as Go's net/netip parses them, ports
// as strconv.ParseUint, service accounts, trust domains and path templates. Each returns what is
// wrong with one value, or undefined when Istio accepts it.

function ipv4Problem(s: string): boolean {
  const fields = s.split('.');
  return fields.length !== 4 || fields.some((f) => !/^\d{1,3}$/.test(f) || (f.length > 1 && f.startsWith('0')) || Number(f) > 255);
}

function ipv6Problem(s: string): boolean {
  const zone = s.indexOf('%');
  if (zone !== -1) {
    if (zone === s.length - 1) return true;
    s = s.slice(0, zone);
  }
  const halves = s.split('::');
  if (halves.length > 2) return true;
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  const groups = halves.flatMap(groupsOf);
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    // An embedded IPv4 address may only end the address and counts for two groups.
    if (g.includes('.') && i === groups.length - 1 && !(halves.length === 2 && halves[1] === '')) {
      if (ipv4Problem(g)) return true;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count++;
    else return true;
  }
  return halves.length === 2 ? count > 7 : count !== 8;
}

/** Go's netip.ParseAddr: IPv4 dotted decimal without leading zeros, or IPv6 (optionally with a zone). */
export function isIpAddress(s: string): boolean {
  const decider = /[.:%]/.exec(s)?.[0];
  if (decider === '.') return !ipv4Problem(s);
  if (decider === ':') return !ipv6Problem(s);
  return false;
}

/** Go's netip.ParsePrefix: an address without zone, `/`, and a prefix length without leading zeros. */
export function isIpPrefix(s: string): boolean {
  const slash = s.lastIndexOf('/');
  const address = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (slash === -1 || address.includes('%') || !isIpAddress(address) || !/^(0|[1-9]\d*)$/.test(bits)) return false;
  return Number(bits) <= (address.includes(':') ? 128 : 32);
}

/** security.ValidateIPs on one value. */
export function ipProblem(value: string): string | undefined {
  if (value.includes('/')) return isIpPrefix(value) ? undefined : `'${value}' is not a CIDR range (such as 10.0.0.0/16 or 2001:db8::/32).`;
  return isIpAddress(value) ? undefined : `'${value}' is not an IP address.`;
}

/** security.ValidatePorts on one value: a decimal number up to 65535, as a string. */
export function portProblem(value: string): string | undefined {
  return /^\d+$/.test(value) && Number(value) <= 65535 ? undefined : `'${value}' is not a port: use a number from 0 to 65535.`;
}

/** security.CheckServiceAccount on one value: `name` or `namespace/name`, no wildcard. */
export function serviceAccountProblem(value: string): string | undefined {
  if (value.includes('*')) return `'${value}': a service account cannot contain a wildcard.`;
  const parts = value.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) return `'${value}' is not a service account: use 'name' or 'namespace/name'.`;
  return undefined;
}

/** security.CheckWildcardValues on one value: at most one `*`, first or last. */
export function wildcardProblem(value: string): string | undefined {
  const count = value.split('*').length - 1;
  if (count > 1) return `'${value}': at most one wildcard '*' is allowed.`;
  if (count === 1 && !value.startsWith('*') && !value.endsWith('*')) return `'${value}': a wildcard '*' may only be at the start or the end.`;
  return undefined;
}

/** security.CheckTrustDomainValues on one value. */
export function trustDomainProblem(value: string): string | undefined {
  return wildcardProblem(value) ?? (value.includes('/') ? `'${value}': a trust domain cannot contain '/'.` : undefined);
}

const MATCH_ONE = '{*}';
const MATCH_ANY = '{**}';
// RFC 3986 pchar, which Envoy's URI templates accept as literal segments.
const VALID_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/** security.CheckValidPathTemplate on one path: `{*}` and `{**}` as whole segments, `{**}` last. */
export function pathTemplateProblem(path: string): string | undefined {
  const hasTemplate = path.includes(MATCH_ONE) || path.includes(MATCH_ANY);
  let foundAny = false;
  for (const glob of path.replace(/^\/+|\/+$/g, '').split('/')) {
    if (glob === MATCH_ONE || glob === MATCH_ANY) {
      if (foundAny) return `'${path}': {**} must be the last operator of a path template.`;
      foundAny = glob === MATCH_ANY;
      continue;
    }
    if (/[{}]/.test(glob)) return `'${path}': '{' and '}' are only allowed in the templates {*} and {**}, as whole segments.`;
    if (hasTemplate && !VALID_LITERAL.test(glob)) return `'${path}': segment '${glob}' is not a valid literal in a path template.`;
  }
  return undefined;
}
