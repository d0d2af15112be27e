// A YAML node's plain value, or why it has none. `toJSON` throws on input that parses: an alias
// whose anchor comes later, a merge key (`<<`) whose value is not a map, too many aliases.
import type { Document, Node } from 'yaml';

export type Plain = { value: unknown } | { error: string };

export function plainValue(node: Node | Document | null | undefined): Plain {
  try {
    return { value: node ? node.toJSON() : undefined };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}
