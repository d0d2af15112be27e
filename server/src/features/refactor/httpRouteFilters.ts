// Refactorings of the HTTPRoute (or GRPCRoute) rule under the cursor: add a request mirror, add
// timeouts, add retry. Each adds one key or filter to the rule, in the file's style. What Istio
// does with them is pilot/pkg/config/kube/gateway/conversion.go: a RequestMirror's percent or
// fraction becomes the mirror percentage, timeouts.request the route timeout, and retry (only in
// the Gateway API's experimental channel) the route's retries, with backendRequest per try.
import { isMap, isSeq } from 'yaml';
import { refNamespace } from '../../workspace/gatewayApi';
import type { WithFacts } from '../../workspace/index';
import { gatewayDurationMs as durationMs } from '../../schema/nativeRules';
import { done } from '../../edit/routeEdits';
import { addToMap, insertItemsAfter, isBlockMap, setKey, type YamlValue } from '../../edit/yamlEdit';
import type { GatewayRuleTarget } from './gatewayApiTarget';
import { NO_LONGER_APPLIES, type RefactoringProvider, type Target } from './target';

type RuleTarget = GatewayRuleTarget;

/** The HTTPRoute or GRPCRoute rule the cursor is in (or the route's only rule), when it is a block map. */
function ruleOf(t: Target): RuleTarget | undefined {
  const rule = t.gatewayRule;
  return rule && isBlockMap(rule.node) ? rule : undefined;
}

/** An HTTPRoute rule that sends traffic to backends and has no `key` yet. */
function httpRuleWithout(t: Target, key: string): RuleTarget | undefined {
  const rule = ruleOf(t);
  return rule && rule.routeKind === 'HTTPRoute' && rule.info.backendRefs.length > 0 && !rule.node.has(key) ? rule : undefined;
}

// --- Durations (GEP-2257: what the CRDs accept; Istio reads them with time.ParseDuration).

const notGatewayDuration = (value: string) => `'${value}' is not a Gateway API duration (up to four parts of a number and h, m, s or ms, such as 10s or 1m30s)`;

// --- Mirror.

interface MirrorChoice {
  name: string;
  port: number;
}

/** The Services of the route's namespace the rule sends traffic to (backendRefs of kind Service written there). */
function backendServices(t: Target, rule: RuleTarget): { name: string; port?: number; service?: WithFacts<'service'> }[] {
  const index = t.ctx.workspace;
  return rule.info.backendRefs.flatMap((ref) => {
    const name = ref.name?.value;
    if (!name || ref.group !== '' || ref.kind !== 'Service' || refNamespace(ref, t.entry) !== t.entry.namespace) return [];
    return [{ name, port: ref.port, service: index.serviceNamed(t.entry.namespace, name) }];
  });
}

const stem = (name: string) => name.replace(/-[^-]+$/, '');

/** Another version of a backend: a Service that selects the same app, or is named after the backend (`reviews-v2` for `reviews` or `reviews-v1`). */
function isVersionOf(candidate: WithFacts<'service'>, backend: { name: string; service?: WithFacts<'service'> }): boolean {
  const app = (s?: WithFacts<'service'>) => s?.info.service.selector?.app ?? s?.info.service.selector?.['app.kubernetes.io/name'];
  const sameApp = app(candidate) !== undefined && app(candidate) === app(backend.service);
  return sameApp || candidate.name.startsWith(`${backend.name}-`) || candidate.name.startsWith(`${stem(backend.name)}-`);
}

/** The port a mirror to `service` names: the backend's when the Service has it, else its only (or first) port. */
function mirrorPort(service: WithFacts<'service'>, backendPort: number | undefined): number | undefined {
  const ports = service.info.service.ports.flatMap((p) => p.port ?? []);
  return backendPort !== undefined && ports.includes(backendPort) ? backendPort : ports[0];
}

const sameSelector = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) =>
  a !== undefined && b !== undefined && Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** The Service a mirror goes to by default: another version of a backend (not its very pods) whose selector picks running pods, with a port. */
function defaultMirror(t: Target, rule: RuleTarget): MirrorChoice | undefined {
  const index = t.ctx.workspace;
  const backends = backendServices(t, rule);
  const taken = (name: string, selector: Record<string, string>) => backends.some((b) => b.name === name || sameSelector(b.service?.info.service.selector, selector));
  for (const candidate of index.ofKindIn('Service', t.entry.namespace)) {
    const selector = candidate.info.service?.selector;
    const backend = backends.find((b) => isVersionOf(candidate, b));
    if (!backend || !selector || Object.keys(selector).length === 0 || taken(candidate.name, selector) || index.workloadsMatching(t.entry.namespace, selector).length === 0) continue;
    const port = mirrorPort(candidate, backend.port);
    if (port !== undefined) return { name: candidate.name, port };
  }
  return undefined;
}

/** Why there is no default mirror, for the title and the question. */
function whyNoMirror(t: Target, rule: RuleTarget): string {
  const [first] = backendServices(t, rule);
  if (!first) return 'no backend of this rule is a Service of this namespace';
  if (!first.service) return `no Service '${first.name}' in the workspace`;
  return `no other Service of ${first.name} with running pods in ${t.entry.namespace}`;
}

/** Whether a filter can be added to the rule: it has no `filters` yet (or an empty one), or a block list of them. */
function canAddFilter(rule: RuleTarget): boolean {
  const filters = rule.node.get('filters', true);
  return filters === undefined || filters === null || (isSeq(filters) && !filters.flow && filters.items.length > 0);
}

/** `percent` when the share is a whole number, else a `fraction` exact to the share's decimals (at most six). */
function mirrorShare(percent: string): { [key: string]: YamlValue } {
  const value = Number(percent);
  if (Number.isInteger(value)) return { percent: value };
  let scale = 10;
  while (scale < 1e6 && Math.abs(value * scale - Math.round(value * scale)) > 1e-9) scale *= 10;
  return { fraction: { numerator: Math.round(value * scale), denominator: 100 * scale } };
}

const mirror: RefactoringProvider = {
  id: 'httproute-mirror',
  offer(t) {
    const rule = ruleOf(t);
    if (!rule || rule.info.backendRefs.length === 0 || rule.info.filters.some((f) => f.type?.value === 'RequestMirror') || !canAddFilter(rule)) return undefined;
    const choice = defaultMirror(t, rule);
    const why = choice ? '' : whyNoMirror(t, rule);
    return {
      title: choice ? `Add request mirror to ${choice.name} (100% of requests)` : `Add request mirror (${why}: asks for the Service)`,
      inputs: [
        { name: 'service', prompt: choice ? 'Service that receives the mirrored requests' : `Service that receives the mirrored requests (${why})`, default: choice?.name ?? '', kind: 'name' },
        { name: 'percent', prompt: 'Percentage of requests mirrored', default: '100', kind: 'percent' },
      ],
    };
  },
  apply(t, values) {
    const rule = ruleOf(t);
    if (!rule) return NO_LONGER_APPLIES;
    const backends = backendServices(t, rule);
    if (backends.some((b) => b.name === values.service)) return `'${values.service}' already receives this rule's traffic; mirror to another Service`;
    const service = t.ctx.workspace.serviceNamed(t.entry.namespace, values.service);
    const port = service ? mirrorPort(service, backends[0]?.port) : (backends.find((b) => b.port !== undefined)?.port ?? rule.info.backendRefs[0]?.port);
    if (port === undefined) return `No port to mirror to: ${service ? `Service '${values.service}' has none` : `'${values.service}' is not in the workspace and the rule's backend names none`}`;
    const filter: YamlValue = { type: 'RequestMirror', requestMirror: { backendRef: { name: values.service, port }, ...mirrorShare(values.percent) } };
    const filters = rule.node.get('filters', true);
    const edit = isSeq(filters) && filters.items.length > 0 ? insertItemsAfter(t.place, filters.items[filters.items.length - 1], [filter]) : setKey(t.place, rule.node, 'filters', [filter]);
    return done([edit]);
  },
};

// --- Timeouts.

const timeouts: RefactoringProvider = {
  id: 'httproute-timeouts',
  offer(t) {
    const rule = httpRuleWithout(t, 'timeouts');
    if (!rule) return undefined;
    // Without retry, Istio makes backendRequest the route's timeout (it wins over request): the same value keeps the request timeout.
    const perTry = rule.node.has('retry');
    const backend = perTry ? '2s' : '10s';
    return {
      title: `Add timeouts (request 10s, backend request ${backend})`,
      inputs: [
        { name: 'request', prompt: 'Timeout of the whole request, retries included', default: '10s', kind: 'duration' },
        {
          name: 'backendRequest',
          prompt: perTry
            ? 'Timeout of each try to a backend (no longer than the request timeout)'
            : 'Timeout of the request to the backend (no longer than the request timeout; without retry Istio uses it as the route timeout)',
          default: backend,
          kind: 'duration',
        },
      ],
    };
  },
  apply(t, values) {
    const rule = httpRuleWithout(t, 'timeouts');
    if (!rule) return NO_LONGER_APPLIES;
    const request = durationMs(values.request);
    const backend = durationMs(values.backendRequest);
    if (request === undefined) return notGatewayDuration(values.request);
    if (backend === undefined) return notGatewayDuration(values.backendRequest);
    if (backend > request) return `The backend request timeout (${values.backendRequest}) cannot be longer than the request timeout (${values.request})`;
    return done([addToMap(t.place, rule.node, { timeouts: { request: values.request, backendRequest: values.backendRequest } })]);
  },
};

// --- Retry (HTTPRoute rules only; the standard channel's CRDs have no `retry` and drop it).

/** Status codes from a comma-separated answer, each 400-599 as the CRD requires, or undefined. */
function retryCodes(value: string): number[] | undefined {
  const parts = value.split(',').map((p) => p.trim());
  const codes = parts.map(Number);
  return parts.every((p) => /^\d+$/.test(p)) && codes.every((c) => c >= 400 && c <= 599) ? codes : undefined;
}

const retry: RefactoringProvider = {
  id: 'httproute-retry',
  offer(t) {
    const rule = httpRuleWithout(t, 'retry');
    if (!rule) return undefined;
    // Istio reads backendRequest as the route timeout without retry, and as the per-try timeout with it.
    const timeoutsNode = rule.node.get('timeouts', true);
    const perTry = isMap(timeoutsNode) && timeoutsNode.has('backendRequest') ? '; timeouts.backendRequest then limits each try' : '';
    return {
      title: `Add retry (Gateway API experimental channel): 3 attempts on 502, 503, 504 and connection errors, 100ms backoff${perTry}`,
      inputs: [
        { name: 'attempts', prompt: 'Most retries of a request', default: '3', kind: 'text' },
        { name: 'backoff', prompt: 'Least wait between retries', default: '100ms', kind: 'duration' },
        { name: 'codes', prompt: 'Response status codes that are retried (Istio also retries connection failures)', default: '502, 503, 504', kind: 'text' },
      ],
    };
  },
  apply(t, values) {
    const rule = httpRuleWithout(t, 'retry');
    if (!rule) return NO_LONGER_APPLIES;
    if (!/^\d{1,3}$/.test(values.attempts)) return `'${values.attempts}' is not a number of attempts such as 3`;
    if (durationMs(values.backoff) === undefined) return notGatewayDuration(values.backoff);
    const codes = retryCodes(values.codes);
    if (!codes) return `'${values.codes}' is not a list of HTTP status codes from 400 to 599 such as 502, 503`;
    return done([addToMap(t.place, rule.node, { retry: { attempts: Number(values.attempts), backoff: values.backoff, codes } })]);
  },
};

export const HTTP_ROUTE_FILTER_REFACTORINGS: RefactoringProvider[] = [mirror, timeouts, retry];
