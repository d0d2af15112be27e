// IP address syntax as Go's net/netip reads it, which the Kubernetes CEL `isIP()`/`isCIDR()`
// functions and the `ipv4`/`ipv6` formats use: no leading zeros in IPv4, no zones.

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => IPV4_OCTET.test(p) && Number(p) <= 255);
}

/** The groups of one side of `::`, an IPv4 tail allowed at the end (as two groups); undefined when malformed. */
function groupsOf(side: string, last: boolean): number[] | undefined {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (last && i === parts.length - 1 && isIPv4(part)) {
      const [a, b, c, d] = part.split('.').map(Number);
      groups.push(a * 256 + b, c * 256 + d);
    } else if (HEXTET.test(part)) groups.push(parseInt(part, 16));
    else return undefined;
  }
  return groups;
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one (zones are not allowed). */
function ipv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1], true) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}

export function isIPv6(text: string): boolean {
  return ipv6(text) !== undefined;
}

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`), which Kubernetes' isIP() rejects. */
function isIPv4Mapped(groups: number[]): boolean {
  return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

/** Kubernetes' CEL `isIP(string)`: an IPv4 or IPv6 address, not IPv4-mapped, without a zone. */
export function isIP(text: string): boolean {
  if (isIPv4(text)) return true;
  const groups = ipv6(text);
  return groups !== undefined && !isIPv4Mapped(groups);
}

/** Kubernetes' CEL `isCIDR(string)`: an address and a prefix length within its family's bits. */
export function isCIDR(text: string): boolean {
  const slash = text.indexOf('/');
  const bits = text.slice(slash + 1);
  if (slash < 0 || !/^(?:0|[1-9]\d{0,2})$/.test(bits)) return false;
  const address = text.slice(0, slash);
  if (isIPv4(address)) return Number(bits) <= 32;
  return isIP(address) && Number(bits) <= 128;
}
