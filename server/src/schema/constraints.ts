// Scalar constraints of JSON Schema (bounds, lengths, patterns) and the formats the CRDs use.
import type { SchemaNode } from './compile';
import { isIPv4, isIPv6 } from './ipAddress';

const INT32 = [-(2 ** 31), 2 ** 31 - 1];
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** What the patterns the CRDs repeat most ask for, in words (with the pattern kept for the rest). */
const PATTERN_WORDS: Record<string, string> = {
  '^([0-9]{1,5}(h|m|s|ms)){1,4}$': 'a Gateway API duration: one to four parts of a number (at most 5 digits) and a unit h, m, s or ms, e.g. 10s, 1m30s, 500ms',
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$': 'a DNS label: lowercase letters, digits and `-`, starting and ending with a letter or digit',
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$': 'a DNS subdomain: lowercase letters, digits, `-` and `.`',
  '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$': 'an API group: empty (the core group) or a DNS subdomain such as gateway.networking.k8s.io',
  '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$': 'a kind: letters, digits and `-`, starting with a letter (e.g. Service, Gateway)',
  '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$': 'a hostname: lowercase DNS labels, optionally after a leading `*.`',
};

export function checkScalarBounds(value: unknown, kind: string, schema: SchemaNode): string | undefined {
  const s = schema.schema;
  if (kind === 'integer' || kind === 'number') {
    const n = Number(value);
    const exclusiveMin = s.exclusiveMinimum === true;
    const exclusiveMax = s.exclusiveMaximum === true;
    if (s.minimum !== undefined && (exclusiveMin ? n <= s.minimum : n < s.minimum)) return `${n} is too small: the minimum is ${s.minimum}${exclusiveMin ? ' (exclusive)' : ''}.`;
    if (s.maximum !== undefined && (exclusiveMax ? n >= s.maximum : n > s.maximum)) return `${n} is too large: the maximum is ${s.maximum}${exclusiveMax ? ' (exclusive)' : ''}.`;
  }
  if (kind === 'string' && typeof value === 'string') {
    const length = [...value].length;
    if (s.minLength !== undefined && length < s.minLength) return s.minLength === 1 ? 'Must not be empty.' : `Must be at least ${s.minLength} characters long.`;
    if (s.maxLength !== undefined && length > s.maxLength) return `Too long (${length} characters): at most ${s.maxLength}.`;
    if (schema.pattern && !schema.pattern.test(value)) {
      const words = PATTERN_WORDS[s.pattern ?? ''];
      return words ? `'${value}' is not ${words}.` : `'${value}' does not match the required pattern ${s.pattern}.`;
    }
  }
  return undefined;
}

export function checkFormat(value: unknown, format: string | undefined): string | undefined {
  switch (format) {
    case 'int32':
      return typeof value === 'number' && (value < INT32[0] || value > INT32[1]) ? `${value} does not fit in a 32-bit integer.` : undefined;
    case 'date-time':
      return typeof value === 'string' && !DATE_TIME.test(value) ? `'${value}' is not an RFC 3339 date-time (e.g. 2026-01-31T12:00:00Z).` : undefined;
    case 'ipv4':
      return typeof value === 'string' && !isIPv4(value) ? `'${value}' is not an IPv4 address (four numbers 0-255, e.g. 10.0.0.1).` : undefined;
    case 'ipv6':
      return typeof value === 'string' && !isIPv6(value) ? `'${value}' is not an IPv6 address (e.g. 2001:db8::1).` : undefined;
    case 'byte':
      return typeof value === 'string' && !BASE64.test(value.replace(/\s/g, '')) ? 'Must be base64-encoded bytes.' : undefined;
    default:
      return undefined;
  }
}
