// The value a CEL rule sees, as the API server builds it before validation: defaults applied,
// explicit nulls pruned (Kubernetes drops them for fields that are not nullable), and integers
// as CEL ints (the schema's `integer`), not doubles: `self.port + 1` needs an int. Property names
// are escaped as Kubernetes escapes them for CEL (`namespace` is `__namespace__` in a rule).
import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import type { SchemaNode } from './compile';

const MAX_DEPTH = 64;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function celValue(value: unknown, node: SchemaNode | undefined, depth = 0): unknown {
  if (!node || depth > MAX_DEPTH) return value;
  if (typeof value === 'number') return Number.isInteger(value) && isIntegerOnly(node) ? BigInt(value) : value;
  if (Array.isArray(value)) return node.items ? value.map((item) => celValue(item, node.items, depth + 1)) : value;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const schema = properties(node, key);
    if (child === null && schema?.schema.nullable !== true) continue;
    out[celName(node, key)] = celValue(child, schema, depth + 1);
  }
  for (const [name, fallback] of defaultsOf(node)) if (!(name in out)) out[name] = fallback;
  return out;
}

/** CEL's reserved words: a property named so is `__word__` in a rule (k8s.io/apiserver/pkg/cel's escaping). */
const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);
const ESCAPES: Record<string, string> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/**
 * The name a rule reads a key by: a declared property's escaped as the API server escapes it
 * (`namespace` → `__namespace__`, `a-b` → `a__dash__b`); a map's keys (additionalProperties) as they are.
 */
export function celName(schema: SchemaNode, key: string): string {
  if (!schema.properties?.has(key)) return key;
  if (RESERVED.has(key)) return `__${key}__`;
  return /__|[./-]/.test(key) ? key.replace(/__|[./-]/g, (m) => ESCAPES[m]) : key;
}

function isIntegerOnly(node: SchemaNode): boolean {
  return node.types?.has('integer') === true && !node.types.has('number');
}

/**
 * The CEL values of YAML nodes, by node and by schema (a node is checked against several schemas
 * in anyOf/oneOf, rarely): the first schema's value inline, any other in a map.
 */
export type CelValueCache = Map<Node, CachedValue>;

interface CachedValue {
  schema: SchemaNode | undefined;
  value: unknown;
  others?: Map<SchemaNode | undefined, unknown>;
}

const isNullNode = (node: unknown) => node === null || node === undefined || (isScalar(node) && node.value === null);

/**
 * celValue(node.toJS(doc), schema), built from the values of the node's children, each computed
 * once: rules sit at every level of a route (spec, rules, each rule, each match), and converting
 * the whole subtree again at each level made the CEL checks quadratic in the nesting. Aliases,
 * merge keys and complex keys take toJS's path.
 */
export function celValueOf(node: Node, schema: SchemaNode | undefined, doc: Document, cache: CelValueCache, depth = 0): unknown {
  const hit = cache.get(node);
  if (hit) {
    if (hit.schema === schema) return hit.value;
    if (hit.others?.has(schema)) return hit.others.get(schema);
  }
  const value = computeCelValue(node, schema, doc, cache, depth);
  if (!hit) cache.set(node, { schema, value });
  else (hit.others ??= new Map()).set(schema, value);
  return value;
}

function computeCelValue(node: Node, schema: SchemaNode | undefined, doc: Document, cache: CelValueCache, depth: number): unknown {
  // A scalar's value is what toJS gives for it, but for the tags that build objects (!!binary, !!timestamp).
  if (isScalar(node) && schema && (node.value === null || typeof node.value !== 'object')) return celValue(node.value, schema, depth);
  const whole = () => celValue(node.toJS(doc, { maxAliasCount: 100 }), schema, depth);
  if (!schema || depth > MAX_DEPTH || isAlias(node) || isScalar(node)) return whole();
  if (isSeq(node)) {
    const itemSchema = schema.items;
    if (!itemSchema) return whole();
    const items = node.items;
    const out: unknown[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (!isNode(item)) return whole();
      out[i] = celValueOf(item, itemSchema, doc, cache, depth + 1);
    }
    return out;
  }
  if (!isMap(node)) return whole();
  const pairs = node.items;
  for (const p of pairs) {
    const key = p.key;
    if (!isScalar(key) || key.value === null || typeof key.value === 'object' || key.value === '<<' || (p.value !== null && !isNode(p.value))) return whole();
  }
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const key = String((pair.key as Scalar).value);
    const child = properties(schema, key);
    const name = celName(schema, key);
    if (isNullNode(pair.value)) {
      if (child?.schema.nullable === true) out[name] = null;
      continue;
    }
    out[name] = celValueOf(pair.value as Node, child, doc, cache, depth + 1);
  }
  for (const [name, fallback] of defaultsOf(schema)) if (!(name in out)) out[name] = fallback;
  return out;
}

/**
 * The CEL values of a schema's property defaults, converted once: rules only read values, so
 * every object without the property shares the same one.
 */
const defaults = new WeakMap<SchemaNode, [string, unknown][]>();

function defaultsOf(schema: SchemaNode): [string, unknown][] {
  let list = defaults.get(schema);
  if (!list) {
    list = [];
    for (const [key, property] of schema.properties ?? []) {
      const fallback = property.schema.default;
      if (fallback !== undefined) list.push([celName(schema, key), deepFreeze(celValue(JSON.parse(JSON.stringify(fallback)) as unknown, property, 1))]);
    }
    defaults.set(schema, list);
  }
  return list;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function properties(node: SchemaNode, key: string): SchemaNode | undefined {
  return node.properties?.get(key) ?? (typeof node.additional === 'object' ? node.additional : undefined);
}
