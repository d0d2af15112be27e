// Checks of the answers to a refactoring's questions. The client checks as the user types;
// the server checks again before it edits. One module, so both say the same.
import type { RefactorQuestion } from './protocol';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DURATION = /^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/;

/** The port numbers of a comma-separated list (at least one, each 1-65535), or undefined. */
export function portList(value: string): number[] | undefined {
  const parts = value.split(',').map((p) => p.trim());
  const ports = parts.map(Number);
  return parts.every((p) => /^\d+$/.test(p)) && ports.every((n) => n >= 1 && n <= 65535) ? ports : undefined;
}

/** Why an answer is not acceptable, or undefined. */
export function invalidAnswer(kind: RefactorQuestion['kind'], value: string): string | undefined {
  const v = value.trim();
  const n = Number(v);
  switch (kind) {
    case 'name':
      return DNS_LABEL.test(v) && v.length <= 63 ? undefined : `'${v}' is not a valid name: lowercase letters, digits and '-', starting and ending with a letter or digit`;
    case 'percent':
      return v !== '' && Number.isFinite(n) && n >= 0 && n <= 100 ? undefined : `'${v}' is not a percentage from 0 to 100`;
    case 'duration':
      return DURATION.test(v) && !/^0+(\.0+)?[a-zµ]+$/.test(v) ? undefined : `'${v}' is not a duration such as 5s or 250ms`;
    case 'header':
      return /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(v) ? undefined : `'${v}' is not a lowercase HTTP header name`;
    case 'url':
      return /^https?:\/\/[^\s/]+/.test(v) ? undefined : `'${v}' is not an http(s) URL`;
    case 'status':
      return Number.isInteger(n) && n >= 200 && n <= 599 ? undefined : `'${v}' is not an HTTP status from 200 to 599`;
    case 'text':
      return v !== '' ? undefined : 'A value is required';
    case 'ports':
      return portList(v) ? undefined : `'${v}' is not a list of port numbers such as 8080, 9090`;
  }
}
