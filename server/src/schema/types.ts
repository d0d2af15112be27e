// The subset of JSON Schema (plus Kubernetes extensions) that the generated schemas use.

export interface CelRuleSpec {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
}

export interface JsonSchema {
  $id?: string;
  title?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  nullable?: boolean;
  'x-kubernetes-validations'?: CelRuleSpec[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-istio'?: { group: string; version: string; kind: string; storage: boolean; docs?: string; gatewayApi?: string };
  default?: unknown;
}

export interface KindInfo {
  group: string;
  plural: string;
  shortNames: string[];
  scope: string;
  versions: string[];
  storageVersion?: string;
  docs?: string;
}

/** Which Gateway API bundle an Istio version builds against, and which bundle the schemas were generated from. */
export interface GatewayApiRef {
  /** `sigs.k8s.io/gateway-api` in that Istio release's go.mod (null when unknown). */
  supported: string | null;
  /** The bundle version of the schemas in `folder`. */
  schemas: string;
  /** Folder of the Gateway API schemas, relative to schemas/. */
  folder: string;
}

export interface SchemaIndex {
  istioVersion: string;
  kinds: Record<string, KindInfo>;
  gatewayApi?: GatewayApiRef;
}

/** schemas/gateway-api/<bundle-version>/index.json. */
export interface GatewayApiIndex {
  bundleVersion: string;
  channel: string | null;
  kinds: Record<string, KindInfo>;
}

/** A kind of an Istio version's APIs: Istio's own and the Gateway API's it supports. */
export interface KindEntry extends KindInfo {
  kind: string;
  /** Folder of its schemas, relative to schemas/. */
  folder: string;
  gatewayApi: boolean;
}
