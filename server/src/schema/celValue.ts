// The value a CEL rule sees, as the API server builds it before validation: defaults applied,
// explicit nulls pruned (Kubernetes drops them for fields that are not nullable), and integers
// as CEL ints (the schema's `integer`), not doubles: `self.port + 1` needs an int.
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
    const schema = node.properties?.get(key) ?? (typeof node.additional === 'object' ? node.additional : undefined);
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
