// What the workspace knows about a Gateway API resource (gateway.networking.k8s.io): a Gateway's
// listeners and addresses, a route's parentRefs, hostnames and rules with their backendRefs, a
// GatewayClass's controller, a ReferenceGrant's from and to, a ListenerSet's parent and listeners.
// Defaults are the spec's, applied here (a parentRef without `kind` is a Gateway); what is written
// keeps its span, what is defaulted has none. Ranges are relative to the resource's document.
import type { Document, YAMLMap } from 'yaml';
import { items, keySpan, map, numberAt, span, stringMap, textAt, texts, toValue, type Span, type TextRef } from './nodes';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The experimental group of the X-prefixed kinds (XListenerSet...). */
export const GATEWAY_API_X_GROUP = 'gateway.networking.x-k8s.io';

/** The apiVersions that serve each Gateway API kind the workspace indexes (the v1.5 bundle, experimental channel; XListenerSet from v1.4, for Istio 1.29). gatewayApiKinds.test.ts checks it against the generated schema index. */
export const GATEWAY_API_VERSIONS: Record<string, ReadonlySet<string>> = {
  Gateway: versions(GATEWAY_API_GROUP, 'v1', 'v1beta1'),
  GatewayClass: versions(GATEWAY_API_GROUP, 'v1', 'v1beta1'),
  HTTPRoute: versions(GATEWAY_API_GROUP, 'v1', 'v1beta1'),
  GRPCRoute: versions(GATEWAY_API_GROUP, 'v1'),
  TCPRoute: versions(GATEWAY_API_GROUP, 'v1alpha2'),
  TLSRoute: versions(GATEWAY_API_GROUP, 'v1', 'v1alpha2', 'v1alpha3'),
  UDPRoute: versions(GATEWAY_API_GROUP, 'v1alpha2'),
  ReferenceGrant: versions(GATEWAY_API_GROUP, 'v1', 'v1beta1'),
  ListenerSet: versions(GATEWAY_API_GROUP, 'v1'),
  XListenerSet: versions(GATEWAY_API_X_GROUP, 'v1alpha1'),
};

/** A GatewayClass Istio creates itself: its controller, what it is for, whether a default install has it. */
export interface IstioGatewayClass {
  controller: string;
  about: string;
  /** The agentgateway classes need PILOT_ENABLE_AGENTGATEWAY. */
  byDefault: boolean;
}

/** The GatewayClasses Istio creates itself (gatewaycommon.GetBuiltinGatewayClasses, GetAgentGatewayClasses). */
export const ISTIO_GATEWAY_CLASSES: Record<string, IstioGatewayClass> = {
  istio: { controller: 'istio.io/gateway-controller', about: 'a deployed ingress or egress gateway', byDefault: true },
  'istio-waypoint': { controller: 'istio.io/mesh-controller', about: 'an ambient waypoint proxy', byDefault: true },
  'istio-east-west': { controller: 'istio.io/eastwest-controller', about: 'an east-west gateway between clusters', byDefault: true },
  'istio-remote': { controller: 'istio.io/unmanaged-gateway', about: 'a gateway deployed in another cluster', byDefault: true },
  'istio-agentgateway': { controller: 'istio.io/agentgateway-controller', about: 'a gateway run by agentgateway (PILOT_ENABLE_AGENTGATEWAY)', byDefault: false },
  'istio-agentgateway-waypoint': { controller: 'istio.io/agentgateway-waypoint-controller', about: 'a waypoint run by agentgateway (PILOT_ENABLE_AGENTGATEWAY)', byDefault: false },
};

/** The classes of a default install. */
export const DEFAULT_ISTIO_GATEWAY_CLASSES = Object.keys(ISTIO_GATEWAY_CLASSES).filter((name) => ISTIO_GATEWAY_CLASSES[name].byDefault);

export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'] as const;
export type RouteKindName = (typeof ROUTE_KINDS)[number];

function versions(group: string, ...names: string[]): ReadonlySet<string> {
  return new Set(names.map((v) => `${group}/${v}`));
}

/** Is this apiVersion + kind a Gateway API kind the workspace indexes? */
export function isGatewayApiKind(apiVersion: string | undefined, kind: string | undefined): boolean {
  return apiVersion !== undefined && kind !== undefined && Object.hasOwn(GATEWAY_API_VERSIONS, kind) && GATEWAY_API_VERSIONS[kind].has(apiVersion);
}

export function isRouteKind(kind: string | undefined): kind is RouteKindName {
  return (ROUTE_KINDS as readonly (string | undefined)[]).includes(kind);
}

/** A group and kind, defaults applied (`""` is the core group). */
export interface GroupKind {
  group: string;
  kind: string;
  /** As written; absent when defaulted. */
  groupRef?: TextRef;
  kindRef?: TextRef;
}

/** A route's `parentRefs` item (or a ListenerSet's `parentRef`). */
export interface ParentRefInfo extends GroupKind {
  /** The list item (or the parentRef map). */
  span: Span;
  /** Position in `parentRefs`. */
  index: number;
  name?: TextRef;
  /** As written; absent: the route's namespace. */
  namespace?: TextRef;
  sectionName?: TextRef;
  port?: number;
  /** The `port` scalar, when written (a number or not). */
  portRef?: TextRef;
}

/** A `backendRefs` item, or a RequestMirror filter's `backendRef`. */
export interface BackendRefInfo extends GroupKind {
  span: Span;
  role: 'backend' | 'mirror';
  /** The rule's position in `rules`. */
  ruleIndex: number;
  /** Position in the rule's `backendRefs` (for a mirror: of the filter in its list). */
  index: number;
  /** A mirror of a backendRef's own filters: that backendRef's position; undefined for rule-level mirrors and for backends. */
  ownerIndex?: number;
  name?: TextRef;
  namespace?: TextRef;
  port?: number;
  portRef?: TextRef;
  /** Default 1 (a mirror has no weight: 1). */
  weight: number;
  weightRef?: TextRef;
}

export interface RouteFilterInfo {
  type?: TextRef;
  span: Span;
}

export interface RouteRuleInfo {
  index: number;
  span: Span;
  name?: TextRef;
  /** `matches` items as plain values, with the span of each. */
  matches: { value: unknown; span: Span }[];
  backendRefs: BackendRefInfo[];
  /** RequestMirror filters' backendRefs: the rule's and its backendRefs'. */
  mirrors: BackendRefInfo[];
  filters: RouteFilterInfo[];
  /** The `backendRefs:` key, when present. */
  backendRefsKey?: Span;
}

export interface GatewayApiRouteInfo {
  routeKind: RouteKindName;
  parentRefs: ParentRefInfo[];
  hostnames: TextRef[];
  rules: RouteRuleInfo[];
  /** The `parentRefs:` key, when present. */
  parentRefsKey?: Span;
  /** metadata.creationTimestamp, when written (the spec's precedence among conflicting routes: oldest first, then namespace/name). */
  creationTimestamp?: string;
}

/** A label selector's matchExpressions item. */
export interface SelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

export interface CertificateRefInfo extends GroupKind {
  name?: TextRef;
  namespace?: TextRef;
  span: Span;
}

/** A Gateway API listener (of a Gateway or a ListenerSet). */
export interface ListenerInfo {
  name?: TextRef;
  /** Absent: the listener accepts every host. */
  hostname?: TextRef;
  port?: number;
  protocol?: string;
  /** allowedRoutes.namespaces: `from` as written (Same when absent) and the selector's matchLabels and matchExpressions. */
  allowedNamespaces: { from: string; selector?: Record<string, string>; matchExpressions?: SelectorRequirement[]; fromRef?: TextRef };
  /** allowedRoutes.kinds (group defaulted to gateway.networking.k8s.io); undefined: the protocol's default kinds. */
  allowedKinds?: GroupKind[];
  /** tls.mode as written (Terminate when tls is set without it). */
  tlsMode?: string;
  /** tls.certificateRefs (group "" and kind Secret by default). */
  certificateRefs: CertificateRefInfo[];
  span: Span;
}

export interface GatewayAddressInfo {
  /** Default IPAddress. */
  type: string;
  value?: TextRef;
  span: Span;
}

/** A Gateway API Gateway (gateway.networking.k8s.io/v1 or v1beta1 `Gateway`). */
export interface KubernetesGatewayInfo {
  gatewayClassName?: string;
  gatewayClassRef?: TextRef;
  listeners: ListenerInfo[];
  addresses: GatewayAddressInfo[];
}

export interface GatewayClassInfo {
  controllerName?: TextRef;
}

export interface ReferenceGrantInfo {
  from: (GroupKind & { namespace?: TextRef; span: Span })[];
  to: (GroupKind & { name?: TextRef; span: Span })[];
}

/** A ListenerSet (or XListenerSet): listeners added to a parent Gateway. */
export interface ListenerSetInfo {
  parentRef?: ParentRefInfo;
  listeners: ListenerInfo[];
}

/** The Gateway API facts of a resource of that kind (one key set), or undefined for another kind. */
export type GatewayApiFacts =
  | { gatewayApiRoute: GatewayApiRouteInfo }
  | { kubernetesGateway: KubernetesGatewayInfo }
  | { gatewayClass: GatewayClassInfo }
  | { referenceGrant: ReferenceGrantInfo }
  | { listenerSet: ListenerSetInfo };

/** The facts of a Gateway API resource (`isGatewayApiKind`); `spec` empty for a half-typed one. */
export function gatewayApiFacts(kind: string, spec: YAMLMap, doc: Document.Parsed, metadata?: YAMLMap): GatewayApiFacts | undefined {
  if (isRouteKind(kind)) return { gatewayApiRoute: { ...route(kind, spec, doc), creationTimestamp: textAt(metadata, 'creationTimestamp')?.value } };
  switch (kind) {
    case 'Gateway':
      return { kubernetesGateway: kubernetesGateway(spec) };
    case 'GatewayClass':
      return { gatewayClass: { controllerName: textAt(spec, 'controllerName') } };
    case 'ReferenceGrant':
      return { referenceGrant: referenceGrant(spec) };
    case 'ListenerSet':
    case 'XListenerSet': {
      const parent = map(spec.get('parentRef', true));
      return { listenerSet: { parentRef: parent ? parentRef(parent, 0) : undefined, listeners: items(spec.get('listeners', true)).map(listener) } };
    }
  }
  return undefined;
}

function groupKind(node: YAMLMap | undefined, defaults: { group: string; kind: string }): GroupKind {
  const groupRef = textAt(node, 'group');
  const kindRef = textAt(node, 'kind');
  return { group: groupRef?.value ?? defaults.group, kind: kindRef?.value ?? defaults.kind, groupRef, kindRef };
}

const PARENT_DEFAULTS = { group: GATEWAY_API_GROUP, kind: 'Gateway' };
const BACKEND_DEFAULTS = { group: '', kind: 'Service' };

function parentRef(node: YAMLMap, index: number): ParentRefInfo {
  const port = numberAt(node, 'port');
  return {
    ...groupKind(node, PARENT_DEFAULTS),
    span: span(node),
    index,
    name: textAt(node, 'name'),
    namespace: textAt(node, 'namespace'),
    sectionName: textAt(node, 'sectionName'),
    port: port.value,
    portRef: port.ref,
  };
}

function route(routeKind: RouteKindName, spec: YAMLMap, doc: Document.Parsed): GatewayApiRouteInfo {
  return {
    routeKind,
    parentRefs: items(spec.get('parentRefs', true)).flatMap((p, i) => {
      const node = map(p);
      return node ? [parentRef(node, i)] : [];
    }),
    hostnames: texts(spec.get('hostnames', true)),
    rules: items(spec.get('rules', true)).map((r, i) => rule(r, i, doc)),
    parentRefsKey: keySpan(spec, 'parentRefs'),
  };
}

type BackendPlace = Pick<BackendRefInfo, 'role' | 'ruleIndex' | 'index' | 'ownerIndex'>;

function backendRef(node: YAMLMap | undefined, place: BackendPlace, itemNode: unknown): BackendRefInfo {
  const port = numberAt(node, 'port');
  const weight = numberAt(node, 'weight');
  return {
    ...groupKind(node, BACKEND_DEFAULTS),
    ...place,
    span: span(node ?? itemNode),
    name: textAt(node, 'name'),
    namespace: textAt(node, 'namespace'),
    port: port.value,
    portRef: port.ref,
    weight: weight.value ?? 1,
    weightRef: weight.ref,
  };
}

function rule(node: unknown, index: number, doc: Document.Parsed): RouteRuleInfo {
  const body = map(node);
  const filters = items(body?.get('filters', true));
  const backendRefs: BackendRefInfo[] = [];
  const mirrors = mirrorsOf(filters, { role: 'mirror', ruleIndex: index, index: 0 });
  items(body?.get('backendRefs', true)).forEach((item, i) => {
    const ref = map(item);
    backendRefs.push(backendRef(ref, { role: 'backend', ruleIndex: index, index: i }, item));
    mirrors.push(...mirrorsOf(items(ref?.get('filters', true)), { role: 'mirror', ruleIndex: index, index: 0, ownerIndex: i }));
  });
  return {
    index,
    span: span(node),
    name: textAt(body, 'name'),
    matches: items(body?.get('matches', true)).map((m) => ({ value: toValue(m, doc), span: span(m) })),
    backendRefs,
    mirrors,
    filters: filters.map((f) => ({ type: textAt(map(f), 'type'), span: span(f) })),
    backendRefsKey: keySpan(body, 'backendRefs'),
  };
}

/** The backendRefs of the RequestMirror filters among `filters`. */
function mirrorsOf(filters: unknown[], place: BackendPlace): BackendRefInfo[] {
  return filters.flatMap((f, i) => {
    const filter = map(f);
    const mirror = map(filter?.get('requestMirror', true));
    const ref = mirror?.get('backendRef', true);
    if (textAt(filter, 'type')?.value !== 'RequestMirror' || !ref) return [];
    return [backendRef(map(ref), { ...place, index: i }, ref)];
  });
}

function listener(node: unknown): ListenerInfo {
  const body = map(node);
  const allowed = map(body?.get('allowedRoutes', true));
  const namespaces = map(allowed?.get('namespaces', true));
  const selector = map(namespaces?.get('selector', true));
  const kinds = allowed?.get('kinds', true);
  const tls = map(body?.get('tls', true));
  const fromRef = textAt(namespaces, 'from');
  return {
    name: textAt(body, 'name'),
    hostname: textAt(body, 'hostname'),
    port: numberAt(body, 'port').value,
    protocol: textAt(body, 'protocol')?.value,
    allowedNamespaces: {
      from: fromRef?.value ?? 'Same',
      selector: stringMap(selector?.get('matchLabels', true)),
      matchExpressions: selector?.has('matchExpressions') ? items(selector.get('matchExpressions', true)).map(requirement) : undefined,
      fromRef,
    },
    allowedKinds: items(kinds).length > 0 ? items(kinds).map((k) => groupKind(map(k), { group: GATEWAY_API_GROUP, kind: '' })) : undefined,
    tlsMode: tls ? (textAt(tls, 'mode')?.value ?? 'Terminate') : undefined,
    certificateRefs: items(tls?.get('certificateRefs', true)).map((c) => ({
      ...groupKind(map(c), { group: '', kind: 'Secret' }),
      name: textAt(map(c), 'name'),
      namespace: textAt(map(c), 'namespace'),
      span: span(c),
    })),
    span: span(node),
  };
}

function requirement(node: unknown): SelectorRequirement {
  const body = map(node);
  return { key: textAt(body, 'key')?.value ?? '', operator: textAt(body, 'operator')?.value ?? '', values: texts(body?.get('values', true)).map((v) => v.value) };
}

function kubernetesGateway(spec: YAMLMap): KubernetesGatewayInfo {
  const gatewayClassRef = textAt(spec, 'gatewayClassName');
  return {
    gatewayClassName: gatewayClassRef?.value,
    gatewayClassRef,
    listeners: items(spec.get('listeners', true)).map(listener),
    addresses: items(spec.get('addresses', true)).map((a) => ({ type: textAt(map(a), 'type')?.value ?? 'IPAddress', value: textAt(map(a), 'value'), span: span(a) })),
  };
}

function referenceGrant(spec: YAMLMap): ReferenceGrantInfo {
  return {
    from: items(spec.get('from', true)).map((f) => ({ ...groupKind(map(f), { group: '', kind: '' }), namespace: textAt(map(f), 'namespace'), span: span(f) })),
    to: items(spec.get('to', true)).map((t) => ({ ...groupKind(map(t), { group: '', kind: '' }), name: textAt(map(t), 'name'), span: span(t) })),
  };
}
