// Every diagnostic code the extension reports: severity, message template and documentation.
// Code actions and tests dispatch on these codes, never on message text.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface CatalogEntry {
  code: string;
  severity: Severity;
  title: string;
  /** What it means and how to fix it (rendered in docs/diagnostics.md and hovers). */
  doc: string;
}

export const SOURCE = 'istio';

const entries = {
  yamlSyntax: {
    code: 'yaml-syntax',
    severity: 'error',
    title: 'YAML syntax error',
    doc: 'The document is not valid YAML; kubectl would refuse it. The message says where the parser stopped.',
  },
  schema: {
    code: 'IST0106',
    severity: 'error',
    title: 'Schema validation error',
    doc: "The resource breaks the schema of its kind (unknown field, wrong type, value outside the allowed set, a CRD CEL rule). Same code as `istioctl analyze`'s SchemaValidationError.",
  },
  schemaWarning: {
    code: 'IST0133',
    severity: 'warning',
    title: 'Schema validation warning',
    doc: "Istio's validating webhook accepts the resource but warns about it (kubectl prints the warning): a setting that is ignored, deprecated or likely a mistake. Same code as `istioctl analyze`'s SchemaWarning.",
  },
  unknownKind: {
    code: 'istio-unknown-kind',
    severity: 'error',
    title: 'Unknown Istio kind',
    doc: 'The kind does not exist in this API group for the selected Istio version (`istio.version`). The message lists the kinds that do.',
  },
  unsupportedApiVersion: {
    code: 'istio-unsupported-api-version',
    severity: 'error',
    title: 'API version not served',
    doc: 'The selected Istio version does not serve this apiVersion for the kind. The message lists the versions it serves.',
  },
  olderApiVersion: {
    code: 'istio-older-api-version',
    severity: 'information',
    title: 'Older API version',
    doc: 'The kind is served as `v1`; older versions (v1alpha3, v1beta1) still work but `v1` is the stable API.',
  },
  analysisLimit: {
    code: 'istio-analysis-limit',
    severity: 'warning',
    title: 'Document too large to analyse fully',
    doc: 'The document expands to more nodes than the checker analyses (usually through YAML aliases); the rest was skipped.',
  },
  internal: {
    code: 'istio-internal',
    severity: 'error',
    title: 'The checker failed here',
    doc: 'A check of the extension failed on this resource (a bug in the checker, not in your YAML): its findings are missing, the other checks still ran. The message names the check and the reason; the Istio output channel has the details. Please report it with the document.',
  },
  deprecated: {
    code: 'IST0002',
    severity: 'warning',
    title: 'Deprecated field',
    doc: "The field still works but is deprecated; the message names its replacement. Same code as `istioctl analyze`'s Deprecated.",
  },
  referenceNotFound: {
    code: 'IST0101',
    severity: 'error',
    title: 'Referenced resource not found',
    doc: "A route's subset is not defined by the host's DestinationRule, a Gateway a VirtualService binds to does not exist, or a destination host matches no Service or ServiceEntry. Same code as `istioctl analyze`'s ReferencedResourceNotFound.",
  },
  referenceUnverifiable: {
    code: 'istio-reference-outside-workspace',
    severity: 'hint',
    title: 'Reference to something outside the workspace',
    doc: 'The referenced Gateway, DestinationRule or host may live in the cluster rather than in this workspace (its namespace has no such resources here), so it cannot be checked.',
  },
  conflictingMeshHosts: {
    code: 'IST0109',
    severity: 'error',
    title: 'Conflicting mesh gateway VirtualService hosts',
    doc: 'Two VirtualServices bound to the mesh gateway (no `gateways`, or `mesh`) route the same host; Istio merges them unpredictably.',
  },
  multipleSidecars: {
    code: 'IST0111',
    severity: 'error',
    title: 'Multiple Sidecars without workload selectors',
    doc: 'A namespace may have at most one Sidecar without a `workloadSelector`.',
  },
  destinationPortRequired: {
    code: 'IST0112',
    severity: 'error',
    title: 'Destination port required',
    doc: 'The destination Service exposes more than one port, so the route must say which (`port.number`).',
  },
  portName: {
    code: 'IST0118',
    severity: 'information',
    title: 'Service port name not under the naming convention',
    doc: "Istio detects a Service port's protocol from its name (`http`, `http-web`, `grpc`, `tcp-db`...) or `appProtocol`; otherwise it treats the traffic as plain TCP.",
  },
  externalNamePortName: {
    code: 'IST0150',
    severity: 'warning',
    title: 'Invalid port name for an ExternalName Service',
    doc: "An ExternalName Service port whose protocol Istio cannot tell, or named `tcp`: the proxy may not forward its TCP traffic (istioctl's ExternalNameServiceTypeInvalidPortName).",
  },
  unreachableRule: {
    code: 'IST0130',
    severity: 'warning',
    title: 'Unreachable route',
    doc: 'An earlier route matches every request (no `match`), so this route is never used.',
  },
  ineffectiveMatch: {
    code: 'IST0131',
    severity: 'information',
    title: 'Duplicate match',
    doc: 'An earlier route has exactly the same match condition, so this one never matches.',
  },
  ingressIgnoresSubsets: {
    code: 'IST0140',
    severity: 'warning',
    title: 'Subset routing has no effect on ingress requests',
    doc: "A VirtualService bound to a Gateway routes to a host without a subset, while another VirtualService splits that host's mesh traffic by subset: requests from the Gateway follow only the Gateway's VirtualService, so the split does not apply to them.",
  },
  conflictingServiceEntryProtocols: {
    code: 'IST0177',
    severity: 'warning',
    title: 'ServiceEntries disagree on a port protocol',
    doc: 'Two ServiceEntries define the same host and port with different protocols; Istio uses one of them.',
  },
  hostNotInGateway: {
    code: 'IST0132',
    severity: 'warning',
    title: 'VirtualService host not in its Gateway',
    doc: 'The VirtualService binds to a Gateway whose servers do not accept this host, so the Gateway never routes it here.',
  },
  noServerVerification: {
    code: 'IST0128',
    severity: 'warning',
    title: 'TLS without server certificate verification (destination)',
    doc: 'A DestinationRule originates TLS (SIMPLE or MUTUAL) for the whole host without caCertificates or a credentialName, so the server certificate is not verified.',
  },
  noServerVerificationPort: {
    code: 'IST0129',
    severity: 'warning',
    title: 'TLS without server certificate verification (port)',
    doc: 'Like IST0128, for one port of the host (portLevelSettings).',
  },
  duplicateCertificate: {
    code: 'IST0138',
    severity: 'warning',
    title: 'Duplicate certificate in several Gateways',
    doc: 'Two Gateways serve the same certificate (credentialName): clients that reuse an HTTP/2 connection across them get 404s (envoyproxy/envoy#6767).',
  },
  conflictingGateways: {
    code: 'IST0145',
    severity: 'error',
    title: 'Conflicting Gateways',
    doc: 'Two Gateways select the same gateway workloads and use the same port for overlapping hosts; Envoy can serve only one of them.',
  },
  mtlsStrictDisabled: {
    code: 'KIA0207',
    severity: 'error',
    title: 'DestinationRule disables mTLS where a PeerAuthentication requires it',
    doc: "A STRICT PeerAuthentication (namespace-wide, or mesh-wide in istio-system) makes the workloads accept only mTLS, but the DestinationRule's tls mode DISABLE sends plain text. Kiali's KIA0207.",
  },
  envoyFilterRelative: {
    code: 'IST0151',
    severity: 'warning',
    title: 'EnvoyFilter uses a relative operation without priority',
    doc: 'INSERT_BEFORE, INSERT_AFTER, REPLACE and REMOVE depend on another filter being present first; without a priority the patch may not apply.',
  },
  envoyFilterReplace: {
    code: 'IST0152',
    severity: 'error',
    title: 'EnvoyFilter REPLACE on the wrong target',
    doc: 'REPLACE is only valid for HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST.',
  },
  envoyFilterAdd: {
    code: 'IST0153',
    severity: 'error',
    title: 'EnvoyFilter ADD ignored',
    doc: 'ADD is ignored when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE.',
  },
  envoyFilterRemove: {
    code: 'IST0154',
    severity: 'error',
    title: 'EnvoyFilter REMOVE ignored',
    doc: 'REMOVE is ignored when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE.',
  },
  envoyFilterRelativeVersion: {
    code: 'IST0155',
    severity: 'warning',
    title: 'EnvoyFilter relative operation with proxyVersion and no priority',
    doc: 'Like IST0151, for a patch named like an earlier one with a proxyVersion match: it may stop applying during an Istio upgrade.',
  },
  multipleTelemetries: {
    code: 'IST0160',
    severity: 'error',
    title: 'Multiple Telemetries without selectors',
    doc: 'A namespace may have at most one Telemetry without a `selector`/`targetRefs`.',
  },
  destinationRuleHostNotFound: {
    code: 'IST0174',
    severity: 'warning',
    title: 'DestinationRule host matches no service',
    doc: "The DestinationRule's host matches no Service or ServiceEntry of a namespace the workspace defines, so it applies to nothing.",
  },
  httpMethod: {
    code: 'KIA0102',
    severity: 'warning',
    title: 'Not an HTTP method',
    doc: "AuthorizationPolicy `methods` take upper-case HTTP methods or fully-qualified gRPC names (`/package.Service/Method`); anything else never matches. Kiali's KIA0102.",
  },
  duplicateSubset: {
    code: 'KIA0201',
    severity: 'warning',
    title: 'More than one DestinationRule for the same host and subset',
    doc: "Two DestinationRules define the same subset for one host; which one applies is undefined. Kiali's KIA0201.",
  },
  subsetNoWorkload: {
    code: 'KIA0203',
    severity: 'warning',
    title: "Subset's labels match no workload",
    doc: "No workload (Deployment, StatefulSet, Pod...) of the host's namespace in the workspace carries the subset's labels, so routing to it fails with 503s. Kiali's KIA0203.",
  },
  subsetNoLabels: {
    code: 'KIA0209',
    severity: 'warning',
    title: 'Subset without labels',
    doc: "A subset without labels selects every endpoint of the host, which is rarely meant. Kiali's KIA0209.",
  },
  duplicateDestination: {
    code: 'KIA1105',
    severity: 'warning',
    title: 'Same host and subset twice in one route',
    doc: "A weighted route lists the same destination twice; merge the weights. Kiali's KIA1105.",
  },
} as const satisfies Record<string, CatalogEntry>;

export const CATALOG: Record<keyof typeof entries, CatalogEntry> = entries;
export type CatalogKey = keyof typeof entries;
