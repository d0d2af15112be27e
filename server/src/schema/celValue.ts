// The value a CEL rule sees, as the API server builds it before validation: defaults applied,
// explicit nulls pruned (Kubernetes drops them for fields that are not nullable), and integers
// as CEL ints (the schema's `integer`), not doubles: `self.port + 1` needs an int.
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
    out[key] = celValue(child, schema, depth + 1);
  }
  for (const [key, schema] of node.properties ?? []) {
    const fallback = schema.schema.default;
    if (!(key in out) && fallback !== undefined) out[key] = celValue(JSON.parse(JSON.stringify(fallback)) as unknown, schema, depth + 1);
  }
  return out;
}

function isIntegerOnly(node: SchemaNode): boolean {
  return node.types?.has('integer') === true && !node.types.has('number');
}

/** The CEL values of YAML nodes, by node and by schema (a node is checked against several schemas in anyOf/oneOf). */
export type CelValueCache = Map<Node, Map<SchemaNode | undefined, unknown>>;

const isNullNode = (node: unknown) => node === null || node === undefined || (isScalar(node) && node.value === null);

/**
 * celValue(node.toJS(doc), schema), built from the values of the node's children, each computed
 * once: rules sit at every level of a route (spec, rules, each rule, each match), and converting
 * the whole subtree again at each level made the CEL checks quadratic in the nesting. Aliases,
 * merge keys and complex keys take toJS's path.
 */
export function celValueOf(node: Node, schema: SchemaNode | undefined, doc: Document, cache: CelValueCache, depth = 0): unknown {
  let bySchema = cache.get(node);
  if (bySchema?.has(schema)) return bySchema.get(schema);
  const value = computeCelValue(node, schema, doc, cache, depth);
  if (!bySchema) cache.set(node, (bySchema = new Map()));
  bySchema.set(schema, value);
  return value;
}

function computeCelValue(node: Node, schema: SchemaNode | undefined, doc: Document, cache: CelValueCache, depth: number): unknown {
  const whole = () => celValue(node.toJS(doc, { maxAliasCount: 100 }), schema, depth);
  if (!schema || depth > MAX_DEPTH || isAlias(node) || isScalar(node)) return whole();
  if (isSeq(node)) {
    const itemSchema = schema.items;
    if (!itemSchema || node.items.some((item) => !isNode(item))) return whole();
    return (node.items as Node[]).map((item) => celValueOf(item, itemSchema, doc, cache, depth + 1));
  }
  if (!isMap(node)) return whole();
  const pairs = node.items;
  if (pairs.some((p) => !isScalar(p.key) || p.key.value === null || typeof p.key.value === 'object' || p.key.value === '<<' || (p.value !== null && !isNode(p.value)))) return whole();
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const key = String((pair.key as Scalar).value);
    const child = properties(schema, key);
    if (isNullNode(pair.value)) {
      if (child?.schema.nullable === true) out[key] = null;
      continue;
    }
    out[key] = celValueOf(pair.value as Node, child, doc, cache, depth + 1);
  }
  for (const [key, property] of schema.properties ?? []) {
    const fallback = property.schema.default;
    if (!(key in out) && fallback !== undefined) out[key] = celValue(JSON.parse(JSON.stringify(fallback)) as unknown, property, depth + 1);
  }
  return out;
}

function properties(node: SchemaNode, key: string): SchemaNode | undefined {
  return node.properties?.get(key) ?? (typeof node.additional === 'object' ? node.additional : undefined);
}
