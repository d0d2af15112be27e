// Rules of Istio's validating webhook (pkg/config/validation/validation.go) for the security,
// telemetry and extensions kinds that the CRD schemas do not carry: AuthorizationPolicy sources,
// operations and conditions, RequestAuthentication JWT rules, Telemetry tracing and access-log
// filters, WasmPlugin env, policy targetRefs and the webhook's annotation rules. Errors are IST0106
// (the API server rejects the resource), the webhook's warnings IST0133 (istioctl's SchemaWarning).
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { celSyntaxError } from '../schema/cel';
import { durationMs } from '../schema/nativeRules';
import type { Check, CheckContext } from './context';
import { ipProblem, pathTemplateProblem, portProblem, serviceAccountProblem, trustDomainProblem, wildcardProblem } from './securityValues';
import { scalarString, spanOf } from './webhook';

const GROUP_OF_KIND: Record<string, string> = {
  AuthorizationPolicy: 'security.istio.io',
  PeerAuthentication: 'security.istio.io',
  RequestAuthentication: 'security.istio.io',
  Telemetry: 'telemetry.istio.io',
  WasmPlugin: 'extensions.istio.io',
};

/** The kind, when it is one of this file's kinds in its own API group. */
function securityKind(ctx: CheckContext): string | undefined {
  const { kind, apiVersion } = ctx.entry.info;
  return kind && GROUP_OF_KIND[kind] === apiVersion?.split('/')[0] ? kind : undefined;
}

const spec = (ctx: CheckContext): Node | undefined => get(ctx.entry.resource.doc.contents, 'spec');
export const get = (node: unknown, key: string): Node | undefined => (isMap(node) ? ((node.get(key, true) as Node | undefined) ?? undefined) : undefined);
/** The key node of `key` in a map: where a report about the field goes. */
export const keyOf = (node: unknown, key: string): Node | undefined => (isMap(node) ? (node.items.find((p) => isScalar(p.key) && p.key.value === key)?.key as Node | undefined) : undefined);
export const items = (node: unknown): Node[] => (isSeq(node) ? (node.items as Node[]) : []);
/** Go's `len(list) > 0` after the JSON reaches the webhook: an empty list arrives as no list. */
export const hasItems = (node: unknown, key: string): boolean => items(get(node, key)).length > 0;
/** The string items of a list field, with their nodes. */
export const stringItems = (node: unknown, key: string): [string, Node][] => items(get(node, key)).flatMap((n) => (isScalar(n) && n.value !== null ? [[String(n.value), n] as [string, Node]] : []));
/** The string value of a map's field. */
export const textOf = (node: unknown, key: string): string | undefined => {
  const value = get(node, key);
  return value ? scalarString(value) : undefined;
};
/** Where a report about a whole map goes: its first key, else the map. */
export const anchorOf = (node: Node): Node => (isMap(node) && isScalar(node.items[0]?.key) ? (node.items[0].key as Node) : node);

const ALLOWED_TARGETS = [
  ['', 'Service'],
  ['networking.istio.io', 'ServiceEntry'],
  ['gateway.networking.k8s.io', 'Gateway'],
  ['gateway.networking.k8s.io', 'GatewayClass'],
];

/** validatePolicyTargetReference: a targetRef names a Service, ServiceEntry, Gateway or GatewayClass. */
export const checkPolicyTargets: Check = (ctx) => {
  const kind = securityKind(ctx);
  if (!kind || kind === 'PeerAuthentication') return;
  const body = spec(ctx);
  const targets = [get(body, 'targetRef'), ...items(get(body, 'targetRefs'))];
  for (const target of targets) {
    const refKind = textOf(target, 'kind');
    if (!target || refKind === undefined) continue;
    const group = textOf(target, 'group') ?? '';
    if (!ALLOWED_TARGETS.some(([g, k]) => g === group && k === refKind)) {
      const allowed = ALLOWED_TARGETS.map(([g, k]) => (g ? `${g}/${k}` : k)).join(', ');
      ctx.report('schema', spanOf(get(target, 'kind')!), `This ${kind} cannot target ${group ? `${group}/` : ''}${refKind}: targetRef must be one of ${allowed}.`);
    }
  }
};

/** validateWorkloadSelector's warning: a selector without labels selects every workload. */
export const checkEmptySelector: Check = (ctx) => {
  if (!securityKind(ctx)) return;
  const body = spec(ctx);
  const selector = get(body, 'selector');
  const labels = get(selector, 'matchLabels');
  // `selector: null` reaches the webhook as no selector.
  if (isMap(selector) && !(isMap(labels) && labels.items.length > 0)) {
    ctx.report('schemaWarning', spanOf(keyOf(body, 'selector')!), 'The selector has no matchLabels, so it selects every workload of the namespace; remove it, or add labels.');
  }
};

const DRY_RUN = 'istio.io/dry-run';
const GO_BOOLS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
/**
 * validateMetadata on an AuthorizationPolicy: `istio.io/dry-run` only with action ALLOW or DENY,
 * and a value Go's ParseBool reads (internal annotations and dry-run on other kinds:
 * checkWebhookAnnotations, for every Istio kind).
 */
export const checkDryRunAnnotation: Check = (ctx) => {
  if (securityKind(ctx) !== 'AuthorizationPolicy') return;
  const annotations = get(get(ctx.entry.resource.doc.contents, 'metadata'), 'annotations');
  if (!isMap(annotations)) return;
  for (const pair of annotations.items) {
    if (!isScalar(pair.key) || String(pair.key.value) !== DRY_RUN) continue;
    const action = textOf(spec(ctx), 'action') ?? 'ALLOW';
    const value = isScalar(pair.value) ? String(pair.value.value) : '';
    if (action !== 'ALLOW' && action !== 'DENY') ctx.report('schema', spanOf(pair.key as Node), `${DRY_RUN} only supports action ALLOW or DENY, not ${action}.`);
    else if (!GO_BOOLS.includes(value)) ctx.report('schema', spanOf(pair.value as Node), `${DRY_RUN} must be "true" or "false", not '${value}'.`);
  }
};

/** validateJwtRule and warnPrivateJwksKeys, for each of a RequestAuthentication's jwtRules. */
export const checkJwtRules: Check = (ctx) => {
  if (securityKind(ctx) !== 'RequestAuthentication') return;
  for (const rule of items(get(spec(ctx), 'jwtRules'))) {
    if (!isMap(rule)) continue;
    const text = (key: string) => textOf(rule, key) ?? '';
    if (!text('issuer') && !text('jwksUri') && !text('jwks_uri')) ctx.report('schema', spanOf(anchorOf(rule)), 'A JWT rule needs an issuer or a jwksUri.');
    const jwks = get(rule, 'jwks');
    if (jwks && text('jwks')) checkJwks(ctx, jwks, text('jwks'));
    const timeout = text('timeout');
    const ms = durationMs(timeout);
    if (ms !== undefined && ms >= 1 && Math.abs(ms - Math.round(ms)) > 1e-6) {
      ctx.report('schema', spanOf(get(rule, 'timeout')!), `Timeout '${timeout}': only durations to millisecond precision are supported.`);
    }
  }
};

const KEY_TYPES = ['RSA', 'EC', 'OKP', 'oct'];

/** jwk.Parse: a JSON key set (or one key) of known key types; a private key is only warned about. */
function checkJwks(ctx: CheckContext, node: Node, jwks: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jwks);
  } catch (e) {
    ctx.report('schema', spanOf(node), `jwks is not valid JSON: ${(e as Error).message}.`);
    return;
  }
  const set = parsed as { keys?: unknown };
  const keys = typeof parsed === 'object' && parsed !== null && 'keys' in set ? set.keys : [parsed];
  if (!Array.isArray(keys)) {
    ctx.report('schema', spanOf(node), 'jwks: `keys` must be a list of JSON Web Keys.');
    return;
  }
  keys.forEach((key: unknown, i) => {
    const kty = typeof key === 'object' && key !== null ? (key as Record<string, unknown>).kty : undefined;
    if (typeof kty !== 'string' || !KEY_TYPES.includes(kty)) ctx.report('schema', spanOf(node), `jwks key ${i} has no known key type (kty ${KEY_TYPES.join(', ')}).`);
    else if (kty === 'oct' || 'd' in (key as object)) {
      ctx.report('schemaWarning', spanOf(node), `jwks key ${i} contains private key material; Envoy only needs the public keys to verify tokens, so do not publish the private one.`);
    }
  });
}

/** validateTelemetryTracing, validateTelemetryMetrics and validateTelemetryAccessLogging. */
export const checkTelemetry: Check = (ctx) => {
  if (securityKind(ctx) !== 'Telemetry') return;
  const body = spec(ctx);
  const tracing = items(get(body, 'tracing'));
  if (tracing.length > 1) ctx.report('schemaWarning', spanOf(anchorOf(tracing[1])), 'Only one tracing configuration is supported; the others are ignored.');
  for (const t of tracing) {
    const providers = items(get(t, 'providers'));
    if (providers.length > 1) ctx.report('schemaWarning', spanOf(anchorOf(providers[1])), 'Only one tracing provider is supported; the others are ignored.');
    const tags = get(t, 'customTags');
    const emptyTag = isMap(tags) ? tags.items.find((p) => isScalar(p.key) && p.key.value === '') : undefined;
    if (emptyTag) ctx.report('schema', spanOf(emptyTag.key as Node), 'A custom tag needs a name.');
  }
  for (const override of items(get(body, 'metrics')).flatMap((m) => items(get(m, 'overrides')))) {
    const tags = get(override, 'tagOverrides');
    const empty = isMap(tags) ? tags.items.find((p) => isScalar(p.key) && p.key.value === '') : undefined;
    if (empty) ctx.report('schemaWarning', spanOf(empty.key as Node), 'A tag override needs a tag name.');
  }
  for (const logging of items(get(body, 'accessLogging'))) {
    const filter = get(logging, 'filter');
    if (!isMap(filter)) continue;
    const expression = textOf(filter, 'expression') ?? '';
    const problem = celSyntaxError(expression);
    if (problem) ctx.report('schema', spanOf(get(filter, 'expression') ?? anchorOf(filter)), `The filter expression must be valid CEL: ${problem}.`);
  }
};

/** validateWasmPluginVMConfig: env names are unique. */
export const checkWasmPlugin: Check = (ctx) => {
  if (securityKind(ctx) !== 'WasmPlugin') return;
  const seen = new Set<string>();
  for (const env of items(get(get(spec(ctx), 'vmConfig'), 'env'))) {
    const nameNode = get(env, 'name');
    const name = nameNode && scalarString(nameNode);
    if (name === undefined || !name) continue;
    if (seen.has(name)) ctx.report('schema', spanOf(nameNode!), `The env variable '${name}' is defined twice.`);
    seen.add(name);
  }
};

type ValueCheck = (value: string) => string | undefined;

/** The value rule of each source and operation list, besides "no empty value". */
const FIELD_VALUES: Record<string, ValueCheck | undefined> = {
  ipBlocks: ipProblem,
  notIpBlocks: ipProblem,
  remoteIpBlocks: ipProblem,
  notRemoteIpBlocks: ipProblem,
  serviceAccounts: serviceAccountProblem,
  notServiceAccounts: serviceAccountProblem,
  trustDomains: trustDomainProblem,
  notTrustDomains: trustDomainProblem,
  ports: portProblem,
  notPorts: portProblem,
  paths: pathTemplateProblem,
  notPaths: pathTemplateProblem,
};
const SOURCE_FIELDS = ['principals', 'requestPrincipals', 'namespaces', 'ipBlocks', 'remoteIpBlocks', 'serviceAccounts', 'trustDomains'].flatMap((f) => [f, `not${f[0].toUpperCase()}${f.slice(1)}`]);
const OPERATION_FIELDS = ['ports', 'methods', 'paths', 'hosts'].flatMap((f) => [f, `not${f[0].toUpperCase()}${f.slice(1)}`]);
/** Source fields that make a DENY rule apply to TCP traffic, as Istio lists them (requestPrincipals and trustDomains are not among them). */
const TCP_SOURCE_FIELDS = SOURCE_FIELDS.filter((f) => !/equestPrincipals|rustDomains/.test(f));
/** Source fields and condition keys an ext-authz (CUSTOM) policy cannot use. */
const CUSTOM_UNSUPPORTED_FIELDS = SOURCE_FIELDS.filter((f) => !/pBlocks/.test(f));
const CUSTOM_UNSUPPORTED_KEYS = ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'];

/** Attribute value rules of security.ValidateAttribute, by condition key. */
const CONDITION_VALUES: Record<string, ValueCheck> = {
  'source.ip': ipProblem,
  'remote.ip': ipProblem,
  'destination.ip': ipProblem,
  'source.serviceAccount': serviceAccountProblem,
  'source.trustDomain': wildcardProblem,
  'destination.port': portProblem,
};

function checkValues(ctx: CheckContext, owner: Node, fields: string[]): void {
  for (const field of fields) {
    for (const [value, node] of stringItems(owner, field)) {
      const problem = value === '' ? `An empty value is not allowed in ${field}.` : FIELD_VALUES[field]?.(value);
      if (problem) ctx.report('schema', spanOf(node), problem);
    }
  }
}

/** What one rule's from/to entries say, for the DENY warning. */
interface RuleShape {
  hasSource: boolean;
  tcpSource: boolean;
  hasOperation: boolean;
  tcpOperation: boolean;
}

function checkSources(ctx: CheckContext, rule: Node, custom: boolean, shape: RuleShape): void {
  for (const from of items(get(rule, 'from'))) {
    const source = get(from, 'source');
    if (!isMap(source)) {
      ctx.report('schema', spanOf(anchorOf(from)), 'A from entry needs a source.');
      continue;
    }
    shape.hasSource = true;
    shape.tcpSource ||= TCP_SOURCE_FIELDS.some((f) => hasItems(source, f));
    if (!SOURCE_FIELDS.some((f) => hasItems(source, f))) ctx.report('schema', spanOf(anchorOf(source)), `A source must set at least one of ${SOURCE_FIELDS.join(', ')}.`);
    checkValues(ctx, source, SOURCE_FIELDS);
    for (const field of custom ? CUSTOM_UNSUPPORTED_FIELDS : []) {
      if (hasItems(source, field)) ctx.report('schema', spanOf(keyOf(source, field)!), `${field} is not supported with action CUSTOM.`);
    }
  }
}

function checkOperations(ctx: CheckContext, rule: Node, shape: RuleShape): void {
  for (const to of items(get(rule, 'to'))) {
    const operation = get(to, 'operation');
    if (!isMap(operation)) {
      ctx.report('schema', spanOf(anchorOf(to)), 'A to entry needs an operation.');
      continue;
    }
    shape.hasOperation = true;
    shape.tcpOperation ||= hasItems(operation, 'ports') || hasItems(operation, 'notPorts');
    if (!OPERATION_FIELDS.some((f) => hasItems(operation, f))) ctx.report('schema', spanOf(anchorOf(operation)), `An operation must set at least one of ${OPERATION_FIELDS.join(', ')}.`);
    checkValues(ctx, operation, OPERATION_FIELDS);
  }
}

function checkConditions(ctx: CheckContext, rule: Node, custom: boolean): void {
  for (const condition of items(get(rule, 'when'))) {
    const key = textOf(condition, 'key') ?? '';
    if (custom && (CUSTOM_UNSUPPORTED_KEYS.includes(key) || key.startsWith('request.auth.'))) {
      ctx.report('schema', spanOf(get(condition, 'key')!), `The condition key ${key} is not supported with action CUSTOM.`);
    }
    for (const field of ['values', 'notValues']) {
      for (const [value, node] of stringItems(condition, field)) {
        const problem = value === '' ? `An empty value is not allowed in ${field}.` : CONDITION_VALUES[key]?.(value);
        if (problem) ctx.report('schema', spanOf(node), problem);
      }
    }
  }
}

/** The rules of ValidateAuthorizationPolicy that read its rules: sources, operations, conditions. */
export const checkAuthorizationRules: Check = (ctx) => {
  if (securityKind(ctx) !== 'AuthorizationPolicy') return;
  const body = spec(ctx);
  const action = textOf(body, 'action') ?? 'ALLOW';
  const rules = items(get(body, 'rules'));
  if (action === 'DENY' && rules.length === 0 && keyOf(body, 'action')) {
    ctx.report('schema', spanOf(get(body, 'action')!), 'A DENY policy without rules never applies; add an empty rule `{}` to deny every request.');
  }
  for (const rule of rules) {
    const shape: RuleShape = { hasSource: false, tcpSource: false, hasOperation: false, tcpOperation: false };
    checkSources(ctx, rule, action === 'CUSTOM', shape);
    checkOperations(ctx, rule, shape);
    checkConditions(ctx, rule, action === 'CUSTOM');
    const httpOnly = (shape.hasSource && !shape.hasOperation && !shape.tcpSource) || (shape.hasOperation && !shape.tcpOperation);
    if (action === 'DENY' && httpOnly) {
      ctx.report(
        'schemaWarning',
        spanOf(anchorOf(rule)),
        'This DENY rule uses only HTTP attributes, so it denies all traffic to TCP ports the policy applies to; name the ports (to.operation.ports) to limit it.',
      );
    }
  }
};
