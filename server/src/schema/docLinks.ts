// Links to a field on Istio's reference page. The pages anchor each field as
// `#<ProtoMessage>-<field_in_snake_case>`; the CRDs do not carry message names, so the message
// is found from the field that holds the object (kind-specific where the same name differs).
import type { PathSegment } from './yamlPath';

const MESSAGES: Record<string, Record<string, string>> = {
  '*': {
    selector: 'WorkloadSelector',
    workloadSelector: 'WorkloadSelector',
    targetRef: 'PolicyTargetReference',
    targetRefs: 'PolicyTargetReference',
    port: 'PortSelector',
    tls: 'ClientTLSSettings',
  },
  VirtualService: {
    http: 'HTTPRoute',
    tcp: 'TCPRoute',
    tls: 'TLSRoute',
    route: 'HTTPRouteDestination',
    destination: 'Destination',
    retries: 'HTTPRetry',
    fault: 'HTTPFaultInjection',
    delay: 'HTTPFaultInjection-Delay',
    abort: 'HTTPFaultInjection-Abort',
    corsPolicy: 'CorsPolicy',
    rewrite: 'HTTPRewrite',
    redirect: 'HTTPRedirect',
    headers: 'Headers',
    request: 'Headers-HeaderOperations',
    response: 'Headers-HeaderOperations',
    mirror: 'Destination',
    mirrorPercentage: 'Percent',
    mirrors: 'HTTPMirrorPolicy',
    directResponse: 'HTTPDirectResponse',
    match: 'HTTPMatchRequest',
    uri: 'StringMatch',
    scheme: 'StringMatch',
    method: 'StringMatch',
    authority: 'StringMatch',
    delegate: 'Delegate',
  },
  DestinationRule: {
    trafficPolicy: 'TrafficPolicy',
    subsets: 'Subset',
    loadBalancer: 'LoadBalancerSettings',
    consistentHash: 'LoadBalancerSettings-ConsistentHashLB',
    connectionPool: 'ConnectionPoolSettings',
    outlierDetection: 'OutlierDetection',
    portLevelSettings: 'TrafficPolicy-PortTrafficPolicy',
    localityLbSetting: 'LocalityLoadBalancerSetting',
    tunnel: 'TrafficPolicy-TunnelSettings',
    proxyProtocol: 'TrafficPolicy-ProxyProtocol',
  },
  Gateway: { servers: 'Server', port: 'Port', tls: 'ServerTLSSettings' },
  ServiceEntry: { ports: 'ServicePort', endpoints: 'WorkloadEntry' },
  Sidecar: { ingress: 'IstioIngressListener', egress: 'IstioEgressListener', outboundTrafficPolicy: 'OutboundTrafficPolicy', port: 'SidecarPort' },
  AuthorizationPolicy: { rules: 'Rule', from: 'Rule-From', to: 'Rule-To', source: 'Source', operation: 'Operation', when: 'Condition', provider: 'AuthorizationPolicy-ExtensionProvider' },
  PeerAuthentication: { mtls: 'PeerAuthentication-MutualTLS', portLevelMtls: 'PeerAuthentication-MutualTLS' },
  RequestAuthentication: { jwtRules: 'JWTRule', fromHeaders: 'JWTHeader' },
  Telemetry: { tracing: 'Tracing', metrics: 'Metrics', accessLogging: 'AccessLogging', providers: 'ProviderRef' },
};

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** URL of the field at `path` (starting with `spec`), or of the page when the message is unknown. */
export function fieldDocsUrl(kind: string, docsPage: string | undefined, path: PathSegment[]): string | undefined {
  if (!docsPage || path[0] !== 'spec') return docsPage;
  const keys = path.filter((p): p is string => typeof p === 'string');
  const field = keys[keys.length - 1];
  if (keys.length === 1) return docsPage;
  if (keys.length === 2) return `${docsPage}#${kind}-${snake(field)}`;
  const holder = keys[keys.length - 2];
  const message = MESSAGES[kind]?.[holder] ?? MESSAGES['*'][holder];
  return message ? `${docsPage}#${message}-${snake(field)}` : docsPage;
}
