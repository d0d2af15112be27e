// Every diagnostic code the extension reports: severity, message template and documentation.
// Code actions and tests dispatch on these codes, never on message text.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/**
 * Where a rule comes from: the YAML parser (kubectl refuses the file), Istio's CRDs (structural
 * schema and CEL rules: the API server refuses it), Istio's validating webhook, an `istioctl
 * analyze` analyzer, Kiali's validations, or this extension alone.
 */
export type Origin = 'parser' | 'CRD' | 'webhook' | 'CRD, webhook' | 'analyzer' | 'analyzer, CRD' | 'Kiali' | 'extension';

export interface CatalogEntry {
  code: string;
  origin: Origin;
  severity: Severity;
  title: string;
  /** What it means and how to fix it (rendered in docs/diagnostics.md and hovers). */
  doc: string;
}

export const SOURCE = 'istio';

const entries = {
  yamlSyntax: {
    code: 'yaml-syntax',
    origin: 'parser',
    severity: 'error',
    title: 'YAML syntax error',
    doc: 'The document is not valid YAML; kubectl would refuse it. The message says where the parser stopped.',
  },
  schema: {
    code: 'IST0106',
    origin: 'CRD, webhook',
    severity: 'error',
    title: 'Schema validation error',
    doc: "The resource breaks the schema of its kind (unknown field, wrong type, value outside the allowed set, a CRD CEL rule). Same code as `istioctl analyze`'s SchemaValidationError.",
  },
  schemaWarning: {
    code: 'IST0133',
    origin: 'webhook',
    severity: 'warning',
    title: 'Schema validation warning',
    doc: "Istio's validating webhook accepts the resource but warns about it (kubectl prints the warning): a setting that is ignored, deprecated or likely a mistake (a selector without labels, a DENY rule that also blocks TCP traffic, a second tracing provider, private key material in jwks...). Same code as `istioctl analyze`'s SchemaWarning.",
  },
  unknownKind: {
    code: 'istio-unknown-kind',
    origin: 'CRD',
    severity: 'error',
    title: 'Unknown Istio kind',
    doc: 'The kind does not exist in this API group for the selected Istio version (`istio.version`). The message lists the kinds that do.',
  },
  unsupportedApiVersion: {
    code: 'istio-unsupported-api-version',
    origin: 'CRD',
    severity: 'error',
    title: 'API version not served',
    doc: 'The selected Istio version does not serve this apiVersion for the kind. The message lists the versions it serves.',
  },
  olderApiVersion: {
    code: 'istio-older-api-version',
    origin: 'extension',
    severity: 'information',
    title: 'Older API version',
    doc: 'The kind is served as `v1`; older versions (v1alpha3, v1beta1) still work but `v1` is the stable API.',
  },
  analysisLimit: {
    code: 'istio-analysis-limit',
    origin: 'extension',
    severity: 'warning',
    title: 'Document too large to analyse fully',
    doc: 'The document expands to more nodes than the checker analyses (usually through YAML aliases); the rest was skipped.',
  },
  internal: {
    code: 'istio-internal',
    origin: 'extension',
    severity: 'error',
    title: 'The checker failed here',
    doc: 'A check of the extension failed on this resource (a bug in the checker, not in your YAML): its findings are missing, the other checks still ran. The message names the check and the reason; the Istio output channel has the details. Please report it with the document.',
  },
  deprecated: {
    code: 'IST0002',
    origin: 'analyzer, CRD',
    severity: 'warning',
    title: 'Deprecated field',
    doc: "The field still works but is deprecated; the message names its replacement. Same code as `istioctl analyze`'s Deprecated.",
  },
  referenceNotFound: {
    code: 'IST0101',
    origin: 'analyzer',
    severity: 'error',
    title: 'Referenced resource not found',
    doc: "A route's subset is not defined by the host's DestinationRule, a Gateway a VirtualService binds to does not exist, a destination host matches no Service or ServiceEntry (or its port is not one of theirs), or a Sidecar's or Telemetry's selector selects no workload of its namespace. Same code as `istioctl analyze`'s ReferencedResourceNotFound.",
  },
  referenceUnverifiable: {
    code: 'istio-reference-outside-workspace',
    origin: 'extension',
    severity: 'hint',
    title: 'Reference to something outside the workspace',
    doc: 'The referenced Gateway or DestinationRule may live in the cluster rather than in this workspace (its namespace has no such resources here), so it cannot be checked; or a destination host written `name.namespace`, which Istio takes as written, is defined by nothing in the workspace.',
  },
  conflictingMeshHosts: {
    code: 'IST0109',
    origin: 'analyzer',
    severity: 'error',
    title: 'Conflicting mesh gateway VirtualService hosts',
    doc: 'Two VirtualServices bound to the mesh gateway (no `gateways`, or `mesh`) route the same host; Istio merges them unpredictably.',
  },
  multipleSidecars: {
    code: 'IST0111',
    origin: 'analyzer',
    severity: 'error',
    title: 'Multiple Sidecars without workload selectors',
    doc: 'A namespace may have at most one Sidecar without a `workloadSelector`.',
  },
  conflictingSidecarSelectors: {
    code: 'IST0110',
    origin: 'analyzer',
    severity: 'error',
    title: 'Sidecars select the same workload',
    doc: "Two Sidecars' workloadSelectors select the same workload; which one applies to it is undefined. Same code as `istioctl analyze`'s ConflictingSidecarWorkloadSelectors.",
  },
  conflictingTelemetrySelectors: {
    code: 'IST0159',
    origin: 'analyzer',
    severity: 'error',
    title: 'Telemetries select the same workload',
    doc: "Two Telemetries' selectors select the same workload; which one applies to it is undefined. Same code as `istioctl analyze`'s ConflictingTelemetryWorkloadSelectors.",
  },
  noMatchingWorkloads: {
    code: 'IST0127',
    origin: 'analyzer',
    severity: 'warning',
    title: 'AuthorizationPolicy selects no workload',
    doc: "No workload of the namespace (of the mesh, for a policy in istio-system) has the labels of the AuthorizationPolicy's selector, so it applies to nothing. Same code as `istioctl analyze`'s NoMatchingWorkloadsFound.",
  },
  deploymentMultipleServices: {
    code: 'IST0116',
    origin: 'analyzer',
    severity: 'warning',
    title: "Services of a Deployment's pods use one port with different protocols",
    doc: "Services that select the Deployment's pods use the same port with different protocols (TCP, UDP). Same code as `istioctl analyze`'s DeploymentAssociatedToMultipleServices.",
  },
  deploymentConflictingPorts: {
    code: 'IST0137',
    origin: 'analyzer',
    severity: 'warning',
    title: "Services of a Deployment's pods send one targetPort from different ports",
    doc: "Services that select the Deployment's pods use the same targetPort behind different ports; they must use the same port. Same code as `istioctl analyze`'s DeploymentConflictingPorts.",
  },
  invalidApplicationUid: {
    code: 'IST0144',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Application runs as UID 1337',
    doc: "A Pod or Deployment runs an application container as user ID 1337, which is reserved for the sidecar proxy: the proxy's traffic redirection skips that user. Same code as `istioctl analyze`'s InvalidApplicationUID.",
  },
  destinationPortRequired: {
    code: 'IST0112',
    origin: 'analyzer',
    severity: 'error',
    title: 'Destination port required',
    doc: 'The destination Service or ServiceEntry exposes more than one port, so the route must say which (`port.number`).',
  },
  portName: {
    code: 'IST0118',
    origin: 'analyzer',
    severity: 'information',
    title: 'Service port name not under the naming convention',
    doc: "Istio detects a Service port's protocol from its name (`http`, `http-web`, `grpc`, `tcp-db`...) or `appProtocol`; otherwise it treats the traffic as plain TCP.",
  },
  externalNamePortName: {
    code: 'IST0150',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Invalid port name for an ExternalName Service',
    doc: "An ExternalName Service port whose protocol Istio cannot tell, or named `tcp`: the proxy may not forward its TCP traffic (istioctl's ExternalNameServiceTypeInvalidPortName).",
  },
  unreachableRule: {
    code: 'IST0130',
    origin: 'webhook',
    severity: 'warning',
    title: 'Unreachable route',
    doc: 'A route Istio never uses: an earlier route has no `match` (it takes every request), or every match of this route repeats an earlier one.',
  },
  ineffectiveMatch: {
    code: 'IST0131',
    origin: 'webhook',
    severity: 'information',
    title: 'Duplicate or covered match',
    doc: 'An earlier match is the same, or its URI prefix covers this one with the same other conditions (as istioctl compares them), so this match is never used.',
  },
  ingressIgnoresSubsets: {
    code: 'IST0140',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Subset routing has no effect on ingress requests',
    doc: "A VirtualService bound to a Gateway routes to a host without a subset, while another VirtualService splits that host's mesh traffic by subset: requests from the Gateway follow only the Gateway's VirtualService, so the split does not apply to them.",
  },
  conflictingServiceEntryProtocols: {
    code: 'IST0177',
    origin: 'analyzer',
    severity: 'warning',
    title: 'ServiceEntries disagree on a port protocol',
    doc: 'Two ServiceEntries define the same host and port with different protocols; Istio uses one of them.',
  },
  hostNotInGateway: {
    code: 'IST0132',
    origin: 'analyzer',
    severity: 'warning',
    title: 'VirtualService host not in its Gateway',
    doc: 'The VirtualService binds to a Gateway whose servers do not accept this host, so the Gateway never routes it here.',
  },
  noServerVerification: {
    code: 'IST0128',
    origin: 'analyzer',
    severity: 'warning',
    title: 'TLS without server certificate verification (destination)',
    doc: 'A DestinationRule originates TLS (SIMPLE or MUTUAL) for the whole host without caCertificates or a credentialName, so the server certificate is not verified.',
  },
  noServerVerificationPort: {
    code: 'IST0129',
    origin: 'analyzer',
    severity: 'warning',
    title: 'TLS without server certificate verification (port)',
    doc: 'Like IST0128, for one port of the host (portLevelSettings).',
  },
  duplicateCertificate: {
    code: 'IST0138',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Duplicate certificate in several Gateways',
    doc: 'Two Gateways serve the same certificate (credentialName): clients that reuse an HTTP/2 connection across them get 404s (envoyproxy/envoy#6767).',
  },
  conflictingGateways: {
    code: 'IST0145',
    origin: 'analyzer',
    severity: 'error',
    title: 'Conflicting Gateways',
    doc: 'Two Gateways for the same gateway workloads (the same selector, or one containing the other with a workload both select) declare the same port and bind for the same host; Envoy can serve only one of them.',
  },
  mtlsStrictDisabled: {
    code: 'KIA0207',
    origin: 'Kiali',
    severity: 'error',
    title: 'DestinationRule disables mTLS where a PeerAuthentication requires it',
    doc: "A STRICT namespace-wide PeerAuthentication of the host's namespace makes its workloads accept only mTLS, but the DestinationRule's tls mode DISABLE sends plain text (the mesh-wide case is KIA0208). Kiali's KIA0207.",
  },
  mtlsMeshStrictDisabled: {
    code: 'KIA0208',
    origin: 'Kiali',
    severity: 'error',
    title: 'DestinationRule disables mTLS where the mesh-wide PeerAuthentication requires it',
    doc: "The mesh-wide PeerAuthentication (istio-system, no selector) is STRICT and the host's namespace has no PeerAuthentication of its own, so the workloads accept only mTLS, but the DestinationRule's tls mode DISABLE sends plain text. Kiali's KIA0208.",
  },
  envoyFilterRelative: {
    code: 'IST0151',
    origin: 'analyzer',
    severity: 'warning',
    title: 'EnvoyFilter uses a relative operation without priority',
    doc: 'INSERT_BEFORE, INSERT_AFTER, REPLACE and REMOVE depend on another filter being present first; without a priority the patch may not apply.',
  },
  envoyFilterReplace: {
    code: 'IST0152',
    origin: 'analyzer',
    severity: 'error',
    title: 'EnvoyFilter REPLACE on the wrong target',
    doc: 'REPLACE is only valid for HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST.',
  },
  envoyFilterAdd: {
    code: 'IST0153',
    origin: 'analyzer',
    severity: 'error',
    title: 'EnvoyFilter ADD ignored',
    doc: 'ADD is ignored when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE.',
  },
  envoyFilterRemove: {
    code: 'IST0154',
    origin: 'analyzer',
    severity: 'error',
    title: 'EnvoyFilter REMOVE ignored',
    doc: 'REMOVE is ignored when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE.',
  },
  envoyFilterRelativeVersion: {
    code: 'IST0155',
    origin: 'analyzer',
    severity: 'warning',
    title: 'EnvoyFilter relative operation with proxyVersion and no priority',
    doc: 'Like IST0151, for a patch named like an earlier one with a proxyVersion match: it may stop applying during an Istio upgrade.',
  },
  serviceEntryAddressesRequired: {
    code: 'IST0134',
    origin: 'analyzer',
    severity: 'warning',
    title: 'ServiceEntry addresses required',
    doc: "A ServiceEntry port that is TCP (or has no protocol) and no `addresses`: the proxy can tell its traffic from other TCP traffic on the port only by destination IP (istioctl's ServiceEntryAddressesRequired).",
  },
  jwtClaimRouteWithoutRequestAuthn: {
    code: 'IST0149',
    origin: 'analyzer',
    severity: 'error',
    title: 'JWT claim routing without RequestAuthentication',
    doc: 'A VirtualService matches on a `@request.auth.claims` header, but a workload of the Gateway it binds to has no RequestAuthentication: the claims are never there, so the match never holds.',
  },
  invalidTelemetryProvider: {
    code: 'IST0157',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Telemetry access logging without a provider',
    doc: 'An access-logging entry of a Telemetry names no provider and the mesh config has no default one: Istio ignores the Telemetry.',
  },
  referencedInternalGateway: {
    code: 'IST0165',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Reference to a generated internal Gateway',
    doc: 'A VirtualService binds to `<gateway>~istio-autogenerated-k8s-gateway~<listener>`, the Gateway Istio generates for a Kubernetes Gateway: an implementation detail.',
  },
  ineffectivePolicy: {
    code: 'IST0167',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Policy without effect',
    doc: 'A Sidecar that applies to workloads in ambient mode, which have no sidecar: it has no effect.',
  },
  multipleTelemetries: {
    code: 'IST0160',
    origin: 'analyzer',
    severity: 'error',
    title: 'Multiple Telemetries without selectors',
    doc: 'A namespace may have at most one Telemetry without a `selector`/`targetRefs`.',
  },
  destinationRuleHostNotFound: {
    code: 'IST0174',
    origin: 'analyzer',
    severity: 'warning',
    title: 'DestinationRule host matches no service',
    doc: "The DestinationRule's host matches no Service or ServiceEntry of a namespace the workspace defines, so it applies to nothing.",
  },
  httpMethod: {
    code: 'KIA0102',
    origin: 'Kiali',
    severity: 'warning',
    title: 'Not an HTTP method',
    doc: "AuthorizationPolicy `methods` match the request's HTTP method: an upper-case HTTP method, `*`, or a prefix (`GET*`) or suffix (`*ET`) of one; anything else, a gRPC method name included (gRPC requests are POSTs: match the gRPC method in `paths`), never matches. Kiali's KIA0102.",
  },
  duplicateSubset: {
    code: 'KIA0201',
    origin: 'Kiali',
    severity: 'warning',
    title: 'More than one DestinationRule for the same host and subset',
    doc: "Two DestinationRules for overlapping hosts define the same subset, or one of them has no subsets (it covers them all); which one applies is undefined. Kiali's KIA0201.",
  },
  subsetNoWorkload: {
    code: 'KIA0203',
    origin: 'Kiali',
    severity: 'warning',
    title: "Subset's labels match no workload",
    doc: "No workload (Deployment, StatefulSet, Pod...) of the host's namespace in the workspace carries the subset's labels, so routing to it fails with 503s. Kiali's KIA0203.",
  },
  subsetNoLabels: {
    code: 'KIA0209',
    origin: 'Kiali',
    severity: 'warning',
    title: 'Subset without labels',
    doc: "A subset without labels selects every endpoint of the host, which is rarely meant. Kiali's KIA0209.",
  },
  duplicateDestination: {
    code: 'KIA1105',
    origin: 'Kiali',
    severity: 'warning',
    title: 'Same host and subset twice in one route',
    doc: "A route lists the same destination (host, subset and port) more than once; list it once with the sum of the weights. Kiali's KIA1105.",
  },
  misplacedAnnotation: {
    code: 'IST0107',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Misplaced annotation',
    doc: "An Istio annotation on a kind of resource it does not apply to (a Pod annotation on a Deployment's own metadata instead of its pod template), so Istio ignores it (istioctl's MisplacedAnnotation).",
  },
  unknownAnnotation: {
    code: 'IST0108',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Unknown annotation',
    doc: "An annotation under an Istio prefix (`*istio.io/`) that Istio's annotation registry of the selected version does not know, usually a typo (istioctl's UnknownAnnotation).",
  },
  multipleInjectionLabels: {
    code: 'IST0123',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Namespace with more than one injection label',
    doc: "A Namespace has more than one of `istio-injection`, `istio.io/rev` and `istio.io/dataplane-mode`, which may lead to undefined behaviour (istioctl's NamespaceMultipleInjectionLabels).",
  },
  invalidAnnotation: {
    code: 'IST0125',
    origin: 'analyzer',
    severity: 'warning',
    title: 'Invalid annotation value',
    doc: "The value of an Istio annotation is not one Istio accepts (a port, an integer, a CIDR list, a resource quantity, an interception mode...), as the sidecar injector validates it (istioctl's InvalidAnnotation).",
  },
  deprecatedAnnotation: {
    code: 'IST0135',
    origin: 'analyzer',
    severity: 'information',
    title: 'Deprecated annotation',
    doc: "An Istio annotation the registry marks deprecated; it may not work in future Istio versions (istioctl's DeprecatedAnnotation).",
  },
} as const satisfies Record<string, CatalogEntry>;

export const CATALOG: Record<keyof typeof entries, CatalogEntry> = entries;
export type CatalogKey = keyof typeof entries;
