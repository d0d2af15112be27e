// Compiles a generated JSON Schema once into a tree the validator, completion and hover walk:
// property maps, Istio's proto-oneof groups, regexes and CEL programs, all prepared up front.
import { isTransitionRule, type CelProgram, type RuleCompiler } from './cel';
import type { CelRuleSpec, JsonSchema } from './types';

export interface CompiledRule {
  spec: CelRuleSpec;
  program: CelProgram;
  /** The rule's messageExpression on a value, when it evaluates to a message. */
  messageOf: (self: unknown) => string | undefined;
}

export interface SchemaNode {
  schema: JsonSchema;
  types?: Set<string>;
  properties?: Map<string, SchemaNode>;
  /** false: unknown keys rejected; true: anything; a node: schema of every other key. */
  additional: SchemaNode | boolean;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  required: string[];
  /** Groups of keys of which at most one may be set (Istio encodes proto oneofs this way). */
  exclusiveGroups: string[][];
  /** oneOf / anyOf / allOf / not that are not the proto-oneof pattern. */
  oneOf: SchemaNode[];
  anyOf: SchemaNode[];
  allOf: SchemaNode[];
  not?: SchemaNode;
  pattern?: RegExp;
  /** Set on a deprecated property: what to use instead, or why. */
  deprecation?: string;
  rules: CompiledRule[];
  preserveUnknown: boolean;
}

export function compileSchema(schema: JsonSchema, rules: RuleCompiler): SchemaNode {
  const compile = (child: JsonSchema) => compileSchema(child, rules);
  const node: SchemaNode = {
    schema,
    additional: true,
    required: schema.required ?? [],
    exclusiveGroups: [],
    oneOf: [],
    anyOf: [],
    allOf: [],
    rules: [],
    preserveUnknown: schema['x-kubernetes-preserve-unknown-fields'] === true,
  };
  if (schema.type) node.types = new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
  if (schema.properties) {
    node.properties = new Map(Object.entries(schema.properties).map(([k, v]) => [k, withDeprecation(k, compile(v))]));
  }
  if (schema.additionalProperties === false) node.additional = node.preserveUnknown;
  else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') node.additional = compile(schema.additionalProperties);
  if (schema.propertyNames) node.propertyNames = compile(schema.propertyNames);
  if (schema.items) node.items = compile(schema.items);
  if (schema.not) node.not = compile(schema.not);
  if (schema.pattern) node.pattern = compilePattern(schema.pattern);
  addCombinators(node, schema, compile);
  for (const spec of schema['x-kubernetes-validations'] ?? []) {
    if (isTransitionRule(spec.rule)) continue;
    const expression = spec.messageExpression;
    const messageOf = (self: unknown) => (expression ? rules.message(expression, self) : undefined);
    node.rules.push({ spec, program: lazyProgram(rules, spec.rule), messageOf });
  }
  return node;
}

function addCombinators(node: SchemaNode, schema: JsonSchema, compile: (child: JsonSchema) => SchemaNode): void {
  if (schema.oneOf) {
    const group = protoOneofKeys(schema.oneOf);
    if (group) node.exclusiveGroups.push(group);
    else node.oneOf = schema.oneOf.map(compile);
  }
  if (schema.anyOf) node.anyOf = schema.anyOf.map(compile);
  for (const member of schema.allOf ?? []) {
    const group = member.oneOf && Object.keys(member).length === 1 ? protoOneofKeys(member.oneOf) : undefined;
    if (group) node.exclusiveGroups.push(group);
    else node.allOf.push(compile(member));
  }
}

/**
 * Recognises `oneOf: [{not: {anyOf: [{required: [a]}, ...]}}, {required: [a]}, ...]`, the
 * encoding of "at most one of a, b, ..." in Istio's CRDs, and returns [a, b, ...].
 */
function protoOneofKeys(branches: JsonSchema[]): string[] | undefined {
  const keys: string[] = [];
  for (const branch of branches) {
    if (branch.not) continue;
    if (branch.required?.length !== 1 || Object.keys(branch).length !== 1) return undefined;
    keys.push(branch.required[0]);
  }
  return keys.length > 0 ? keys : undefined;
}

function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/**
 * Fields Istio deprecated. Most say so in their description; a few lost their documentation in
 * the CRDs, so their replacement is listed here (only when the schema has no description).
 */
const UNDOCUMENTED_DEPRECATIONS: Record<string, string> = {
  mirrorPercent: 'mirrorPercentage',
  mirror_percent: 'mirrorPercentage',
  allowOrigin: 'allowOrigins',
  consecutiveErrors: 'consecutive5xxErrors',
};

function withDeprecation(key: string, node: SchemaNode): SchemaNode {
  const description = node.schema.description;
  const replacement = description === undefined ? UNDOCUMENTED_DEPRECATIONS[key] : undefined;
  if (replacement) node.deprecation = `use \`${replacement}\` instead.`;
  else if (description && /^Deprecated\b/.test(description)) node.deprecation = description.replace(/^Deprecated[.:]?\s*/, '') || 'it may be removed in a future Istio release.';
  return node;
}

/** The schema of a child key of an object node, looking through allOf members. */
export function propertySchema(node: SchemaNode, key: string): SchemaNode | undefined {
  const direct = node.properties?.get(key);
  if (direct) return direct;
  for (const member of node.allOf) {
    const found = propertySchema(member, key);
    if (found) return found;
  }
  return typeof node.additional === 'object' ? node.additional : undefined;
}

/** Every named property of an object node, including allOf members'. */
export function allProperties(node: SchemaNode): Map<string, SchemaNode> {
  const result = new Map(node.properties ?? []);
  for (const member of node.allOf) for (const [k, v] of allProperties(member)) if (!result.has(k)) result.set(k, v);
  return result;
}

/**
 * A rule compiled when a value first reaches it: a document meets only the rules of the fields it
 * has, and the Gateway API's kinds carry hundreds (filters, retry, CORS...) that most never use.
 * A rule that does not compile (the CEL rules test proves there are none) then holds for every value.
 */
function lazyProgram(rules: RuleCompiler, rule: string): CelProgram {
  let program: CelProgram | undefined | null = null;
  return (self) => {
    if (program === null) program = rules.compile(rule);
    return program ? program(self) : undefined;
  };
}
