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
  'x-istio'?: { group: string; version: string; kind: string; storage: boolean; docs?: string };
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

export interface SchemaIndex {
  istioVersion: string;
  kinds: Record<string, KindInfo>;
}
