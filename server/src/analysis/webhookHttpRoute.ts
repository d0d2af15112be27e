// validateHTTPRoute (pkg/config/validation/virtualservice.go and validation.go): the rules for one
// HTTP route of a VirtualService that the CRD schema and webhook.ts do not already check.
import { isScalar, type Node } from 'yaml';
import { RE2JS } from 're2js';
import { durationMs } from '../schema/nativeRules';
import { checkHeaderOperations, checkMatchHeaderName, isHeaderToken } from './webhookHeaders';
import { entries, field, isDns1123Label, isSet, keyOf, listOf, num, numOr0, portProblem, reportDurationPrecision, reportLabels, str, wildcardDomainProblem, type Reporter, type Y } from './webhookKit';

const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);
const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);
// The codes Go's http.StatusText knows: a retryOn entry may be one of them.
const HTTP_STATUS = new Set(
  [100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308]
    .concat([400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451])
    .concat([500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511]),
);
const GRPC_STATUS = new Set(
  'OK CANCELLED UNKNOWN INVALID_ARGUMENT DEADLINE_EXCEEDED NOT_FOUND ALREADY_EXISTS PERMISSION_DENIED RESOURCE_EXHAUSTED FAILED_PRECONDITION ABORTED OUT_OF_RANGE UNIMPLEMENTED INTERNAL UNAVAILABLE DATA_LOSS UNAUTHENTICATED'.split(
    ' ',
  ),
);

/** Where the VirtualService applies: to the mesh (no gateways, or `mesh` among them) or to gateways only. */
export function checkGatewayBinding(spec: Node): { gateway: boolean; mesh: boolean } {
  const gateways = listOf(spec, 'gateways').map((g) => str(g));
  if (gateways.length === 0) return { gateway: false, mesh: true };
  const gateway = !gateways.includes('mesh');
  return { gateway, mesh: !gateway };
}

export function checkHttpRoute(r: Reporter, http: Node, delegateService: boolean): void {
  checkRouteConflicts(r, http, delegateService);
  for (const match of listOf(http, 'match')) checkMatch(r, match);
  checkHeaderOperations(r, field(http, 'headers'));
  checkCors(r, field(http, 'corsPolicy'));
  checkFault(r, http);
  checkMirrors(r, http);
  checkRedirect(r, http);
  checkDirectResponse(r, field(http, 'directResponse'));
  checkRetries(r, field(http, 'retries'));
  checkRewrite(r, http);
  checkAuthorityRewrite(r, http);
  for (const destination of listOf(http, 'route')) {
    if (!field(destination, 'destination')) r.error(destination, 'A route needs a destination.');
    checkDestinationHost(r, field(destination, 'destination'));
    checkHeaderOperations(r, field(destination, 'headers'));
  }
  reportDurationPrecision(r, field(http, 'timeout'));
}

/** validateHTTPRouteConflict, beyond the pairs checkRouteFieldConflicts reports. */
function checkRouteConflicts(r: Reporter, http: Node, delegateService: boolean): void {
  if (!delegateService && field(http, 'delegate')) {
    for (const key of ['redirect', 'route']) if (field(http, key)) r.error(keyOf(http, key), `A route with a delegate must not set ${key}.`);
    return;
  }
  if (delegateService && field(http, 'delegate')) r.error(keyOf(http, 'delegate'), 'A delegate VirtualService cannot delegate again.');
  const terminal = field(http, 'redirect') ? 'redirect' : field(http, 'directResponse') ? 'directResponse' : undefined;
  if (terminal) {
    for (const key of terminal === 'redirect' ? ['fault'] : ['fault', 'rewrite']) {
      if (field(http, key)) r.error(keyOf(http, key), `An HTTP route cannot set both ${key} and ${terminal}.`);
    }
  } else if (!isSet(http, 'route') && !field(http, 'delegate')) {
    r.error(keyOf(http, 'route') ?? keyOf(http, 'match') ?? http, 'An HTTP route needs a route, a redirect or a directResponse.');
  }
}

function checkMatch(r: Reporter, match: Node): void {
  for (const [name, keyNode, value] of entries(field(match, 'headers'))) {
    if (!value || (isScalar(value) && value.value === null)) r.error(keyNode, `The header match '${name}' cannot be null.`);
    checkMatchHeaderName(r, name, keyNode);
    checkStringMatch(r, value, 'headers', true);
  }
  for (const [name, keyNode, value] of entries(field(match, 'withoutHeaders'))) {
    checkMatchHeaderName(r, name, keyNode);
    if (str(value, 'regex') !== '*') checkStringMatch(r, value, 'withoutHeaders', true);
  }
  checkStringMatch(r, field(match, 'uri'), 'uri', false);
  for (const key of ['scheme', 'method', 'authority']) checkStringMatch(r, field(match, key), key, true);
  for (const [, , value] of entries(field(match, 'queryParams'))) checkStringMatch(r, value, 'queryParams', true);
  reportLabels(r, field(match, 'sourceLabels'));
  const ns = str(match, 'sourceNamespace');
  if (ns && !isDns1123Label(ns)) r.error(field(match, 'sourceNamespace'), `sourceNamespace '${ns}' is not a valid namespace name.`);
}

/** validateStringMatch: an empty prefix (except for uri) or regex; a regex over 1024 characters. */
function checkStringMatch(r: Reporter, match: Y, where: string, prefixMatters: boolean): void {
  if (prefixMatters && str(match, 'prefix') === '') r.error(field(match, 'prefix'), `${where}: a prefix match must not be empty.`);
  const regex = str(match, 'regex');
  if (regex === '') r.error(field(match, 'regex'), `${where}: a regex match must not be empty.`);
  if (regex !== undefined && regex.length > 1024) r.error(field(match, 'regex'), `${where}: the regex is too large (at most 1024 characters).`);
}

function checkCors(r: Reporter, cors: Y): void {
  if (!cors) return;
  for (const origin of listOf(cors, 'allowOrigins')) {
    const value = str(origin, 'exact') ?? str(origin, 'prefix') ?? str(origin, 'regex');
    if (!value) r.error(origin, 'A CORS allowOrigins entry needs a non-empty exact, prefix or regex.');
  }
  for (const method of listOf(cors, 'allowMethods')) if (!CORS_METHODS.has(str(method) ?? '')) r.error(method, `'${str(method)}' is not a supported HTTP method for CORS.`);
  for (const key of ['allowHeaders', 'exposeHeaders']) {
    for (const header of listOf(cors, key)) {
      const name = str(header) ?? '';
      if (name === '' || (name !== '*' && !isHeaderToken(name))) r.error(header, `'${name}' is not a valid header name.`);
    }
  }
  const maxAge = field(cors, 'maxAge');
  reportDurationPrecision(r, maxAge);
  const ms = str(maxAge) === undefined ? undefined : durationMs(str(maxAge)!);
  if (ms !== undefined && ms >= 1 && ms % 1000 !== 0) r.error(maxAge, 'maxAge is accurate only to seconds: use whole seconds.');
}

function percentageProblem(p: Y): string | undefined {
  const value = num(p, 'value');
  if (value === undefined) return undefined;
  return value < 0 || value > 100 || (value > 0 && value < 0.0001) ? `Percentage ${value} is neither 0 nor in the range 0.0001..100.` : undefined;
}

function checkFault(r: Reporter, http: Node): void {
  const fault = field(http, 'fault');
  if (!fault) return;
  const abort = field(fault, 'abort');
  const delay = field(fault, 'delay');
  if (!abort && !delay) r.error(keyOf(http, 'fault'), 'A fault needs an abort, a delay or both.');
  for (const part of [abort, delay]) {
    const problem = percentageProblem(field(part, 'percentage'));
    if (problem) r.error(field(part, 'percentage'), problem);
  }
  if (abort) {
    const grpc = str(abort, 'grpcStatus');
    if (grpc !== undefined && !GRPC_STATUS.has(grpc)) r.error(field(abort, 'grpcStatus'), `gRPC status '${grpc}' is not supported: use a code name such as NOT_FOUND or UNAVAILABLE.`);
    else if (field(abort, 'http2Error')) r.error(keyOf(abort, 'http2Error'), 'HTTP/2 abort fault injection is not supported yet.');
    else if (field(abort, 'httpStatus')) checkStatus(r, field(abort, 'httpStatus'));
    else if (grpc === undefined) r.warning(keyOf(fault, 'abort'), 'The abort sets no error type (httpStatus, grpcStatus): it does nothing.');
  }
  reportDurationPrecision(r, field(delay, 'fixedDelay'));
  if (field(delay, 'exponentialDelay')) r.error(keyOf(delay, 'exponentialDelay'), 'exponentialDelay is not supported yet.');
}

function checkStatus(r: Reporter, node: Y): void {
  const status = num(node) ?? 0;
  if (status < 200 || status > 600) r.error(node, `HTTP status ${status} is not in the range 200-599.`);
}

function checkMirrors(r: Reporter, http: Node): void {
  const percent = num(http, 'mirrorPercent');
  if (percent !== undefined && percent > 100) r.error(field(http, 'mirrorPercent'), `mirrorPercent must be at most 100 (it is ${percent}).`);
  checkMirrorPercentage(r, field(http, 'mirrorPercentage'));
  checkDestinationHost(r, field(http, 'mirror'));
  for (const mirror of listOf(http, 'mirrors')) {
    if (!field(mirror, 'destination')) r.error(mirror, 'A mirror needs a destination.');
    checkDestinationHost(r, field(mirror, 'destination'));
    checkMirrorPercentage(r, field(mirror, 'percentage'));
  }
}

function checkMirrorPercentage(r: Reporter, p: Y): void {
  const value = num(p, 'value');
  if (value !== undefined && (value < 0 || value > 100)) r.error(field(p, 'value'), `A mirror percentage must be in the range 0..100 (it is ${value}).`);
}

/** validateDestination: host (not `*`), subset, port. */
export function checkDestinationHost(r: Reporter, destination: Y): void {
  if (!destination) return;
  const host = str(destination, 'host') ?? '';
  const problem = host === '*' ? "A destination host cannot be '*'." : wildcardDomainProblem(host);
  if (problem) r.error(field(destination, 'host') ?? keyOf(destination, 'host') ?? destination, problem);
  const subset = str(destination, 'subset');
  if (subset !== undefined && subset !== '' && !isDns1123Label(subset)) r.error(field(destination, 'subset'), `Subset name '${subset}' is not a valid DNS label.`);
  const port = field(destination, 'port');
  if (port && num(port, 'number') === undefined) r.error(keyOf(destination, 'port'), 'port.number must be set: port 0 is out of range 1-65535.');
}

function checkRedirect(r: Reporter, http: Node): void {
  const redirect = field(http, 'redirect');
  if (!redirect) return;
  const at = keyOf(http, 'redirect');
  if (str(redirect, 'prefixRewrite')) {
    if (str(redirect, 'uri')) return r.error(keyOf(redirect, 'prefixRewrite'), 'A redirect may set only one of uri and prefixRewrite.');
    const exact = listOf(http, 'match').find((m) => field(m, 'uri') && !isSet(field(m, 'uri'), 'prefix'));
    if (exact) return r.error(keyOf(redirect, 'prefixRewrite'), 'A redirect with prefixRewrite needs every uri match to be a prefix match.');
  }
  if (!['uri', 'prefixRewrite', 'authority', 'scheme'].some((k) => str(redirect, k)) && !field(redirect, 'port') && !field(redirect, 'derivePort')) {
    return r.error(at, 'A redirect must set uri, prefixRewrite, authority, scheme or port.');
  }
  const code = numOr0(redirect, 'redirectCode');
  if (code !== 0 && (code < 300 || code > 399)) return r.error(field(redirect, 'redirectCode'), `${code} is not a redirect code: use a 3xx code.`);
  const scheme = str(redirect, 'scheme');
  if (scheme && scheme !== 'http' && scheme !== 'https') return r.error(field(redirect, 'scheme'), 'The redirect scheme must be "http" or "https".');
  const port = num(redirect, 'port');
  if (port !== undefined && port > 0 && portProblem(port)) r.error(field(redirect, 'port'), portProblem(port)!);
}

function checkDirectResponse(r: Reporter, response: Y): void {
  if (!response) return;
  const body = field(response, 'body');
  const text = str(body, 'string');
  const bytes = str(body, 'bytes');
  const size = text !== undefined ? utf8Length(text) : bytes !== undefined ? Math.floor((bytes.replace(/=+$/, '').length * 3) / 4) : 0;
  if (size > 1024 * 1024) r.error(body, 'A direct response body must be smaller than 1MB: large direct responses burden the control plane.');
  else if (size > 100 * 1024) r.warning(body, 'A direct response body over 100KB may burden the control plane.');
  checkStatus(r, field(response, 'status'));
}

function checkRetries(r: Reporter, retries: Y): void {
  if (!retries) return;
  // An attempts that is not a number is the schema's to report (IST0106 wrong type), not a 0.
  const unreadable = field(retries, 'attempts') !== undefined && num(retries, 'attempts') === undefined;
  const attempts = unreadable ? undefined : numOr0(retries, 'attempts');
  if (attempts !== undefined && attempts < 0) r.error(field(retries, 'attempts'), 'attempts cannot be negative.');
  if (attempts === 0 && (field(retries, 'perTryTimeout') || str(retries, 'retryOn') || field(retries, 'retryRemoteLocalities'))) {
    r.error(
      keyOf(retries, 'attempts') ?? keyOf(retries, 'perTryTimeout') ?? keyOf(retries, 'retryOn') ?? keyOf(retries, 'retryRemoteLocalities'),
      'The retry policy is set but attempts is 0 (retries disabled): set attempts.',
    );
  }
  reportDurationPrecision(r, field(retries, 'perTryTimeout'));
  reportDurationPrecision(r, field(retries, 'backoff'));
  const retryOn = str(retries, 'retryOn');
  for (const policy of retryOn ? retryOn.split(',') : []) {
    const asStatus = /^[-+]?\d+$/.test(policy) ? Number(policy) : NaN;
    if (!HTTP_STATUS.has(asStatus) && !RETRY_ON.has(policy)) r.error(field(retries, 'retryOn'), `'${policy}' is not a retryOn policy. Use ${[...RETRY_ON].join(', ')} or an HTTP status code.`);
  }
}

/** validateAuthorityRewrite: the authority is set at most once, by rewrite.authority or a request header. */
function checkAuthorityRewrite(r: Reporter, http: Node): void {
  const request = field(field(http, 'headers'), 'request');
  const authority = [...entries(field(request, 'set')), ...entries(field(request, 'add'))].filter(([name]) => /^(:authority|host)$/i.test(name));
  const limit = str(field(http, 'rewrite'), 'authority') ? 0 : 1;
  if (authority.length > limit) r.error(authority[limit][1], 'The authority is set more than once (by rewrite.authority or the :authority/host request headers).');
}

function checkRewrite(r: Reporter, http: Node): void {
  const rewrite = field(http, 'rewrite');
  if (!rewrite) return;
  const regexRewrite = field(rewrite, 'uriRegexRewrite');
  if (str(rewrite, 'uri') && regexRewrite) r.error(keyOf(rewrite, 'uriRegexRewrite'), 'A rewrite may set only one of uri and uriRegexRewrite.');
  else if (!str(rewrite, 'uri') && !regexRewrite && !str(rewrite, 'authority')) r.error(keyOf(http, 'rewrite'), 'A rewrite must set uri, uriRegexRewrite or authority.');
  else if (regexRewrite) {
    if (!str(regexRewrite, 'match') || !str(regexRewrite, 'rewrite')) r.error(keyOf(rewrite, 'uriRegexRewrite'), 'uriRegexRewrite needs both match and rewrite.');
    else checkRegex(r, field(regexRewrite, 'match'));
  }
}

function checkRegex(r: Reporter, node: Y): void {
  const regex = str(node) ?? '';
  if (regex.length > 1024) return r.error(node, 'The regex is too large (at most 1024 characters).');
  try {
    RE2JS.compile(regex);
  } catch (e) {
    r.error(node, `Not a valid RE2 regex (Envoy's dialect): ${(e as Error).message}.`);
  }
}

function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
