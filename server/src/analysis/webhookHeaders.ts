// Header rules of Istio's webhook: header names in matches and in header operations, and
// header values, which Envoy parses for `%VARIABLE%` expressions (ValidateHTTPHeaderNameOrJwtClaimRoute,
// ValidateHTTPHeader*OperationName, ValidateHTTPHeaderValue and header_value_validator.go).
import { isScalar, type Node } from 'yaml';
import { entries, field, listOf, str, type Reporter, type Y } from './webhookKit';

/** A header that routes on a JWT claim: `@request.auth.claims.sub` or `@request.auth.claims[sub]`. */
export const JWT_CLAIM = /^@request\.auth\.claims(\.(?=.)|\[.+\]$)/i;
const TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);

/** An RFC 7230 token, as header names are. */
export const isHeaderToken = (name: string): boolean => TOKEN.test(name);

export function checkMatchHeaderName(r: Reporter, name: string, at: Node): void {
  if (name === '') r.error(at, 'A header name cannot be empty.');
  else if (!JWT_CLAIM.test(name) && !PSEUDO_HEADERS.has(name) && !TOKEN.test(name)) r.error(at, `'${name}' is not a valid header name.`);
}

/** ValidateHTTPHeaderWithAuthorityOperationName / ValidateHTTPHeaderOperationName / ValidateHTTPHeaderValue. */
export function checkHeaderOperations(r: Reporter, headers: Y): void {
  for (const side of ['request', 'response']) {
    const ops = field(headers, side);
    for (const op of ['add', 'set']) {
      for (const [name, keyNode, value] of entries(field(ops, op))) {
        checkOperationName(r, name, keyNode, side === 'request');
        const text = isScalar(value) && value.value !== null ? String(value.value) : '';
        const problem = headerValueProblem(text);
        if (problem) r.error(value ?? keyNode, problem);
      }
    }
    for (const node of listOf(ops, 'remove')) checkOperationName(r, str(node) ?? '', node, false);
  }
}

function checkOperationName(r: Reporter, name: string, at: Node, authorityAllowed: boolean): void {
  const lower = name.toLowerCase();
  if (name === '') r.error(at, 'A header name cannot be empty.');
  else if (authorityAllowed ? name.startsWith(':') && lower !== ':authority' : lower === 'host')
    r.error(at, authorityAllowed ? `Invalid header '${name}': a header cannot start with ':'.` : `Invalid header '${name}': the Host header cannot be set or removed here.`);
  else if (!authorityAllowed && name.startsWith(':')) r.error(at, `Invalid header '${name}': a header cannot start with ':'.`);
}

/** Control characters other than tab, which header values must not contain. */
function isControlCharacter(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (c <= 0x1f && c !== 0x09) || c === 0x7f;
}

/** ValidateHTTPHeaderValue: no control characters, `%` escaped as `%%` or opening an Envoy `%VARIABLE(...)%`. */
export function headerValueProblem(value: string): string | undefined {
  if ([...value].some(isControlCharacter)) return `The header value '${value}' contains control characters.`;
  const problem = headerVariableProblem(value);
  return problem && `The header value '${value}' is invalid: ${problem}.`;
}

type ParserState = 'literal' | 'name' | 'expectArray' | 'expectString' | 'string' | 'delimiterOrEnd' | 'argsEnd' | 'variableEnd';

/** Envoy's custom header parser, as Istio's validateHeaderValue ports it. */
function headerVariableProblem(value: string): string | undefined {
  let state: ParserState = 'literal';
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const hasNext = pos + 1 < value.length;
    const space = ch === ' ';
    switch (state) {
      case 'literal':
        if (ch !== '%') break;
        if (!hasNext) return "an unescaped '%' (write '%%')";
        if (value[pos + 1] === '%') pos++;
        else state = 'name';
        break;
      case 'name':
        if (ch === '%') state = 'literal';
        else if (ch === '(') state = 'expectArray';
        break;
      case 'expectArray':
        if (ch === '[') state = 'expectString';
        else if (!space) state = 'string';
        break;
      case 'delimiterOrEnd':
        if (ch === ',') state = 'expectString';
        else if (ch === ']') state = 'argsEnd';
        else if (!space) return "expected ',', ']' or a space";
        break;
      case 'expectString':
        if (ch === '"') state = 'string';
        else if (!space) return "expected '\"'";
        break;
      case 'string':
        if (ch === '\\') {
          if (!hasNext) return 'an unterminated backslash';
          pos++;
        } else if (ch === ')') state = 'variableEnd';
        else if (ch === '"') state = 'delimiterOrEnd';
        break;
      case 'argsEnd':
        if (ch === ')') state = 'variableEnd';
        else if (!space) return "expected ')' or a space";
        break;
      case 'variableEnd':
        if (ch === '%') state = 'literal';
        else if (!space) return "expected '%' or a space";
        break;
    }
  }
  return state === 'literal' ? undefined : "an unterminated variable expression (close it with '%', or write '%%' for a literal '%')";
}
