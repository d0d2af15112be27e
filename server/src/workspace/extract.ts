// What the workspace needs to know about one resource, read once from its YAML nodes: names,
// hosts, subsets, gateways, ports, labels, and where each reference is written. Ranges are
// relative to the resource's document; the index adds the document's offset.
import { isMap, isScalar, YAMLMap, type Document, type Node } from 'yaml';
import type { ResourceDocument } from '../model/resource';
import { items, map, span, stringMap, strings, text, texts, toValue, type Span, type TextRef } from './nodes';

import {
  GATEWAY_API_VERSIONS,
  gatewayApiFacts,
  isGatewayApiKind,
  type GatewayApiRouteInfo,
  type GatewayClassInfo,
  type KubernetesGatewayInfo,
  type ListenerSetInfo,
  type ReferenceGrantInfo,
} from './gatewayApiFacts';

export type { Span, TextRef } from './nodes';
export type { KubernetesGatewayInfo, ListenerInfo } from './gatewayApiFacts';

export type RouteKind = 'http' | 'tcp' | 'tls';

export interface DestinationRef {
  /** The destination map (`destination:` value). */
  span: Span;
  host?: TextRef;
  subset?: TextRef;
  port?: number;
  /** The `port.number` value, when it is a number. */
  portSpan?: Span;
  role: 'route' | 'mirror';
  routeKind: RouteKind;
  routeIndex: number;
  /** Index in the route's `route` list (route destinations only). */
  index: number;
  weight?: number;
  weightRef?: TextRef;
  /** A `weight` is written but is not a number (`weight: "50"`, a map): no weight can be read from it. */
  weightUnreadable?: boolean;
  /** The `- destination:` list item (route destinations only). */
  itemSpan?: Span;
}

export interface RouteInfo {
  routeKind: RouteKind;
  index: number;
  span: Span;
  /** `match` items as plain values, with the span of each. */
  matches: { value: unknown; span: Span }[];
  /** `route` list destinations. */
  destinations: DestinationRef[];
  /** The `route:` key, when present. */
  routeKey?: Span;
}

export interface VirtualServiceInfo {
  hosts: TextRef[];
  gateways: TextRef[];
  /** Gateways named in match conditions (`match[].gateways`). */
  matchGateways: TextRef[];
  exportTo?: string[];
  routes: RouteInfo[];
  mirrors: DestinationRef[];
}

/** Every destination of a VirtualService: its routes' and its mirrors'. */
export function allDestinations(vs: VirtualServiceInfo): DestinationRef[] {
  return [...vs.routes.flatMap((r) => r.destinations), ...vs.mirrors];
}

export interface SubsetInfo {
  name?: TextRef;
  labels?: Record<string, string>;
  /** The labels map, when present. */
  labelsSpan?: Span;
  span: Span;
}

export interface TlsSetting {
  mode?: TextRef;
  /** Where the setting applies: the whole host, a port, or a subset. */
  level: 'destination' | 'port' | 'subset';
  hasCaCertificates: boolean;
  hasCredentialName: boolean;
  insecureSkipVerify: boolean;
}

export interface DestinationRuleInfo {
  host?: TextRef;
  subsets: SubsetInfo[];
  tls: TlsSetting[];
  exportTo?: string[];
  /** The `subsets:` key, when present. */
  subsetsKey?: Span;
}

export interface GatewayInfo {
  selector?: Record<string, string>;
  servers: { hosts: TextRef[]; span: Span; port?: number; portSpan?: Span; credentialName?: TextRef; bind?: string }[];
}

export interface PeerAuthenticationInfo {
  mode?: string;
  hasSelector: boolean;
}

export interface ServiceEntryInfo {
  hosts: TextRef[];
  exportTo?: string[];
  ports: { number?: number; protocol?: TextRef; span: Span }[];
  /** The labels of each inline endpoint (`{}` for one without labels). */
  endpointLabels: Record<string, string>[];
  /** `workloadSelector.labels`: the pods and WorkloadEntries of its namespace are its endpoints. */
  workloadSelector?: Record<string, string>;
}

export interface ServicePortInfo {
  name?: TextRef;
  port?: number;
  /** targetPort as written (a number or a container port's name). */
  targetPort?: string;
  protocol?: string;
  appProtocol?: string;
  span: Span;
}

/**
 * The protocol a Service port declares, as Istio reads it (kube.ConvertProtocol): its
 * `appProtocol` when set, else its name; lowercased, up to the first '-' (`grpc-web` whole).
 */
export function declaredProtocol(port: ServicePortInfo): string {
  const name = (port.appProtocol ?? port.name?.value ?? '').toLowerCase();
  return name.startsWith('grpc-web') ? 'grpc-web' : name.split('-')[0];
}

export interface ServiceInfo {
  ports: ServicePortInfo[];
  selector?: Record<string, string>;
  /** metadata.labels */
  labels: Record<string, string>;
  /** spec.type (ClusterIP when absent) */
  type?: string;
}

/** What every resource has, whatever its kind. */
export interface CommonInfo {
  apiVersion?: string;
  kind?: string;
  name?: TextRef;
  /** metadata.namespace as written (undefined: the default namespace). */
  namespace?: string;
  annotations: Record<string, string>;
  /** Selects workloads, not the whole namespace: `spec.selector` / `workloadSelector` / `targetRef(s)` present; for a Sidecar, `workloadSelector.labels` not empty. */
  hasSelector: boolean;
  /** A Sidecar's `workloadSelector.labels`, or a policy's `selector.matchLabels` (Telemetry, AuthorizationPolicy...). */
  labelSelector?: LabelSelector;
}

export interface LabelSelector {
  labels: Record<string, string>;
  /** The labels map, or the selector when it has none. */
  span: Span;
}

/** The facts of each kind that has them. */
export interface KindFacts {
  virtualService: VirtualServiceInfo;
  destinationRule: DestinationRuleInfo;
  gateway: GatewayInfo;
  /** A Gateway API Gateway; `gateway` is an Istio one. */
  kubernetesGateway: KubernetesGatewayInfo;
  /** A Gateway API route: HTTPRoute, GRPCRoute, TCPRoute, TLSRoute or UDPRoute. */
  gatewayApiRoute: GatewayApiRouteInfo;
  gatewayClass: GatewayClassInfo;
  referenceGrant: ReferenceGrantInfo;
  /** A ListenerSet or XListenerSet. */
  listenerSet: ListenerSetInfo;
  serviceEntry: ServiceEntryInfo;
  service: ServiceInfo;
  peerAuthentication: PeerAuthenticationInfo;
  /** Pod labels of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, Pod). */
  workloadLabels: Record<string, string>;
}
export type FactKey = keyof KindFacts;

/** One kind's facts, the others absent: testing `info.virtualService` narrows a ResourceInfo to it. */
export type FactsOf<K extends FactKey> = { [P in K]: KindFacts[P] } & { [P in Exclude<FactKey, K>]?: undefined };
type NoFacts = { [P in FactKey]?: undefined };
type SomeFacts = { [K in FactKey]: FactsOf<K> }[FactKey] | NoFacts;

/** A resource's facts: the common ones and, as a discriminated union, those of its kind (if any). */
export type ResourceInfo = CommonInfo & SomeFacts;

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);
/** The versions of the Gateway API that serve `Gateway` (v1alpha2 no longer does). */
export const KUBERNETES_GATEWAY_VERSIONS = GATEWAY_API_VERSIONS.Gateway;
const cache = new WeakMap<Document.Parsed, ResourceInfo>();

/** Reads a resource's info; cached per parsed document. */
export function resourceInfo(resource: ResourceDocument): ResourceInfo {
  const doc = resource.doc;
  let info = cache.get(doc);
  if (!info) {
    info = extract(doc);
    cache.set(doc, info);
  }
  return info;
}

function extract(doc: Document.Parsed): ResourceInfo {
  const root = doc.contents;
  const info: CommonInfo = { annotations: {}, hasSelector: false };
  if (!isMap(root)) return withFacts(info, {});
  info.apiVersion = text(root.get('apiVersion', true) as Node)?.value;
  info.kind = text(root.get('kind', true) as Node)?.value;
  const metadata = map(root.get('metadata', true));
  if (metadata) {
    info.name = text(metadata.get('name', true) as Node);
    info.namespace = text(metadata.get('namespace', true) as Node)?.value;
    info.annotations = stringMap(metadata.get('annotations', true)) ?? {};
  }
  const spec = map(root.get('spec', true));
  info.labelSelector = labelSelector(spec, info.kind === 'Sidecar' ? ['workloadSelector', 'labels'] : ['selector', 'matchLabels']);
  info.hasSelector = selectsWorkloads(info, spec);
  return withFacts(info, factsOf(info, doc, metadata, spec));
}

/**
 * Does the resource select its workloads rather than apply to its whole namespace? A Sidecar's
 * `workloadSelector` without labels is namespace-wide (istioctl's sidecar/selector.go, and Pilot
 * selects every workload with it); for other kinds, a `selector`, `workloadSelector`,
 * `targetRef` or `targetRefs` field written at all.
 */
function selectsWorkloads(info: CommonInfo, spec: YAMLMap | undefined): boolean {
  if (!spec) return false;
  if (info.kind === 'Sidecar') return Object.keys(info.labelSelector?.labels ?? {}).length > 0;
  return spec.has('selector') || spec.has('workloadSelector') || spec.has('targetRef') || spec.has('targetRefs');
}

/**
 * Every ResourceInfo has all the keys, in this order (absent facts undefined): one object shape,
 * so the index's and the checks' reads of `info.<facts>` stay fast (per-kind key sets made them
 * megamorphic: the workspace index's rebuild took 3× longer).
 */
function withFacts(common: CommonInfo, facts: SomeFacts): ResourceInfo {
  return {
    apiVersion: common.apiVersion,
    kind: common.kind,
    name: common.name,
    namespace: common.namespace,
    annotations: common.annotations,
    hasSelector: common.hasSelector,
    labelSelector: common.labelSelector,
    virtualService: facts.virtualService,
    destinationRule: facts.destinationRule,
    gateway: facts.gateway,
    kubernetesGateway: facts.kubernetesGateway,
    gatewayApiRoute: facts.gatewayApiRoute,
    gatewayClass: facts.gatewayClass,
    referenceGrant: facts.referenceGrant,
    listenerSet: facts.listenerSet,
    serviceEntry: facts.serviceEntry,
    service: facts.service,
    peerAuthentication: facts.peerAuthentication,
    workloadLabels: facts.workloadLabels,
  } as ResourceInfo;
}

/** The facts of the resource's kind; a half-typed resource (`spec:` empty or missing) still is its kind: it gets empty facts. */
function factsOf(info: CommonInfo, doc: Document.Parsed, metadata: YAMLMap | undefined, spec: YAMLMap | undefined): SomeFacts {
  const group = info.apiVersion?.split('/')[0];
  const body = spec ?? new YAMLMap();
  if (group === 'networking.istio.io') {
    if (info.kind === 'VirtualService') return { virtualService: virtualService(body, doc) };
    if (info.kind === 'DestinationRule') return { destinationRule: destinationRule(body) };
    if (info.kind === 'Gateway') return { gateway: gateway(body) };
    if (info.kind === 'ServiceEntry') return { serviceEntry: serviceEntry(body) };
  } else if (group === 'security.istio.io' && info.kind === 'PeerAuthentication') {
    const mode = map(spec?.get('mtls', true))?.get('mode');
    return { peerAuthentication: { mode: typeof mode === 'string' ? mode : undefined, hasSelector: info.hasSelector } };
  } else if (info.kind && isGatewayApiKind(info.apiVersion, info.kind)) {
    return (gatewayApiFacts(info.kind, body, doc, metadata) ?? {}) as SomeFacts;
  } else if (info.apiVersion === 'v1' && info.kind === 'Service') {
    const type = body.get('type');
    return {
      service: {
        ports: items(body.get('ports', true)).map(servicePort),
        selector: stringMap(body.get('selector', true)),
        labels: stringMap(metadata?.get('labels', true)) ?? {},
        type: typeof type === 'string' ? type : undefined,
      },
    };
  } else if (info.kind === 'Pod') {
    return { workloadLabels: stringMap(metadata?.get('labels', true)) ?? {} };
  } else if (info.kind && WORKLOAD_KINDS.has(info.kind) && spec) {
    return { workloadLabels: stringMap(map(map(spec.get('template', true))?.get('metadata', true))?.get('labels', true)) ?? {} };
  }
  return {};
}

export interface ContainerInfo {
  name?: string;
  image?: string;
  /** securityContext.runAsUser */
  runAsUser?: TextRef;
  ports: { containerPort?: number; name?: string; span: Span }[];
}

/** The pod a workload runs: a Pod's own, or a Deployment's (StatefulSet's...) `spec.template`. */
export interface PodTemplateInfo {
  /** metadata.labels of the resource itself (the Deployment's, not its pods'). */
  ownerLabels: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The pod's securityContext.runAsUser */
  runAsUser?: TextRef;
  containers: ContainerInfo[];
}

/** metadata.labels of a resource (a Namespace's, say). */
export function metadataLabels(resource: ResourceDocument): Record<string, string> {
  return stringMap(map(map(resource.doc.contents)?.get('metadata', true))?.get('labels', true)) ?? {};
}

/** metadata.annotations of a resource, without the rest of resourceInfo (the first diagnostics pass needs only these). */
export function metadataAnnotations(resource: ResourceDocument): Record<string, string> {
  return cache.get(resource.doc)?.annotations ?? stringMap(map(map(resource.doc.contents)?.get('metadata', true))?.get('annotations', true)) ?? {};
}

/** The pod template of a workload resource (Pod, Deployment, StatefulSet, ...), read when a check asks. */
export function podTemplate(resource: ResourceDocument): PodTemplateInfo | undefined {
  const root = map(resource.doc.contents);
  const kind = resource.kind;
  if (!root || !kind || !(kind === 'Pod' || WORKLOAD_KINDS.has(kind))) return undefined;
  const template = kind === 'Pod' ? root : map(map(root.get('spec', true))?.get('template', true));
  const metadata = map(template?.get('metadata', true));
  const spec = map(template?.get('spec', true));
  return {
    ownerLabels: metadataLabels(resource),
    labels: stringMap(metadata?.get('labels', true)) ?? {},
    annotations: stringMap(metadata?.get('annotations', true)) ?? {},
    runAsUser: text(map(spec?.get('securityContext', true))?.get('runAsUser', true) as Node),
    containers: items(spec?.get('containers', true)).map((c) => ({
      name: text(map(c)?.get('name', true) as Node)?.value,
      image: text(map(c)?.get('image', true) as Node)?.value,
      runAsUser: text(map(map(c)?.get('securityContext', true))?.get('runAsUser', true) as Node),
      ports: items(map(c)?.get('ports', true)).map((p) => {
        const number = map(p)?.get('containerPort');
        return { containerPort: typeof number === 'number' ? number : undefined, name: text(map(p)?.get('name', true) as Node)?.value, span: span(map(p)?.get('containerPort', true) ?? p) };
      }),
    })),
  };
}

function labelSelector(spec: YAMLMap | undefined, [selectorKey, labelsKey]: [string, string]): LabelSelector | undefined {
  const selector = map(spec?.get(selectorKey, true));
  if (!selector) return undefined;
  const labels = selector.get(labelsKey, true);
  return { labels: stringMap(labels) ?? {}, span: span(labels ?? selector) };
}

function serviceEntry(spec: YAMLMap): ServiceEntryInfo {
  const ports = items(spec.get('ports', true)).map((p) => {
    const number = map(p)?.get('number');
    return { number: typeof number === 'number' ? number : undefined, protocol: text(map(p)?.get('protocol', true) as Node), span: span(p) };
  });
  const endpointLabels = items(spec.get('endpoints', true)).map((e) => stringMap(map(e)?.get('labels', true)) ?? {});
  const workloadSelector = stringMap(spec.getIn(['workloadSelector', 'labels'], true));
  return { hosts: texts(spec.get('hosts', true)), exportTo: strings(spec.get('exportTo', true)), ports, endpointLabels, workloadSelector };
}

function virtualService(spec: YAMLMap, doc: Document.Parsed): VirtualServiceInfo {
  const info: VirtualServiceInfo = {
    hosts: texts(spec.get('hosts', true)),
    gateways: texts(spec.get('gateways', true)),
    matchGateways: [],
    exportTo: strings(spec.get('exportTo', true)),
    routes: [],
    mirrors: [],
  };
  for (const routeKind of ['http', 'tcp', 'tls'] as const) {
    items(spec.get(routeKind, true)).forEach((routeNode, index) => {
      const route = map(routeNode);
      if (!route) return;
      const matches = items(route.get('match', true)).map((m) => ({ value: toValue(m, doc), span: span(m) }));
      for (const m of items(route.get('match', true))) info.matchGateways.push(...texts(map(m)?.get('gateways', true)));
      const routeList = route.get('route', true);
      const destinations = items(routeList).map((item, i) => destination(map(item)?.get('destination', true), { role: 'route', routeKind, routeIndex: index, index: i }, map(item), item));
      const routeKey = route.items.find((p) => isScalar(p.key) && p.key.value === 'route')?.key as Node | undefined;
      info.routes.push({ routeKind, index, span: span(routeNode), matches, destinations, routeKey: routeKey ? span(routeKey) : undefined });
      const mirror = route.get('mirror', true);
      if (mirror) info.mirrors.push(destination(mirror, { role: 'mirror', routeKind, routeIndex: index, index: 0 }));
      items(route.get('mirrors', true)).forEach((m, i) => info.mirrors.push(destination(map(m)?.get('destination', true), { role: 'mirror', routeKind, routeIndex: index, index: i })));
    });
  }
  return info;
}

type DestinationPlace = Pick<DestinationRef, 'role' | 'routeKind' | 'routeIndex' | 'index'>;

function destination(node: unknown, place: DestinationPlace, item?: YAMLMap, itemNode?: unknown): DestinationRef {
  const dest = map(node);
  const ref: DestinationRef = { ...place, span: span(node ?? itemNode) };
  if (dest) {
    ref.host = text(dest.get('host', true) as Node);
    ref.subset = text(dest.get('subset', true) as Node);
    const port = map(dest.get('port', true))?.get('number', true);
    if (isScalar(port) && typeof port.value === 'number') {
      ref.port = port.value;
      ref.portSpan = span(port);
    }
  }
  if (item) {
    ref.itemSpan = span(itemNode);
    const weight = item.get('weight', true);
    ref.weightRef = text(weight as Node);
    const value = isScalar(weight) ? weight.value : undefined;
    if (typeof value === 'number') ref.weight = value;
    else if (weight !== undefined && weight !== null && value !== null) ref.weightUnreadable = true;
  }
  return ref;
}

function gateway(spec: YAMLMap): GatewayInfo {
  return {
    selector: stringMap(spec.get('selector', true)),
    servers: items(spec.get('servers', true)).map((s) => {
      const port = map(map(s)?.get('port', true))?.get('number', true);
      const number = isScalar(port) && typeof port.value === 'number' ? port.value : undefined;
      const credentialName = text(map(map(s)?.get('tls', true))?.get('credentialName', true) as Node);
      const bind = text(map(s)?.get('bind', true) as Node)?.value;
      return { hosts: texts(map(s)?.get('hosts', true)), span: span(s), port: number, portSpan: port ? span(port) : undefined, credentialName, bind };
    }),
  };
}

function tlsSettings(policy: YAMLMap | undefined, level: TlsSetting['level']): TlsSetting[] {
  const tls = map(policy?.get('tls', true));
  const own: TlsSetting[] = tls
    ? [
        {
          mode: text(tls.get('mode', true) as Node),
          level,
          hasCaCertificates: tls.has('caCertificates'),
          hasCredentialName: tls.has('credentialName'),
          insecureSkipVerify: tls.get('insecureSkipVerify') === true,
        },
      ]
    : [];
  const ports = items(policy?.get('portLevelSettings', true)).flatMap((p) => tlsSettings(map(p), 'port'));
  return [...own, ...ports];
}

function destinationRule(spec: YAMLMap): DestinationRuleInfo {
  const subsetsKey = spec.items.find((p) => isScalar(p.key) && p.key.value === 'subsets')?.key as Node | undefined;
  return {
    host: text(spec.get('host', true) as Node),
    exportTo: strings(spec.get('exportTo', true)),
    tls: [
      ...tlsSettings(map(spec.get('trafficPolicy', true)), 'destination'),
      ...items(spec.get('subsets', true)).flatMap((s) =>
        tlsSettings(map(map(s)?.get('trafficPolicy', true)), 'subset').map((t) => ({ ...t, level: t.level === 'port' ? t.level : ('subset' as const) })),
      ),
    ],
    subsets: items(spec.get('subsets', true)).map((s) => {
      const labels = map(s)?.get('labels', true);
      return { name: text(map(s)?.get('name', true) as Node), labels: stringMap(labels), labelsSpan: labels ? span(labels) : undefined, span: span(s) };
    }),
    subsetsKey: subsetsKey ? span(subsetsKey) : undefined,
  };
}

function servicePort(node: unknown): ServicePortInfo {
  const port = map(node);
  const number = port?.get('port');
  return {
    name: text(port?.get('name', true) as Node),
    port: typeof number === 'number' ? number : undefined,
    targetPort: text(port?.get('targetPort', true) as Node)?.value,
    protocol: text(port?.get('protocol', true) as Node)?.value,
    appProtocol: text(port?.get('appProtocol', true) as Node)?.value,
    span: span(node),
  };
}
