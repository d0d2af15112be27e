// A YAML node's plain value, or why it has none. `toJSON` throws on input that parses: an alias
// whose anchor comes later, a merge key (`<<`) whose value is not a map, too many aliases.
import { isDocument, type Document, type Node } from 'yaml';

export type Plain = { value: unknown } | { error: string };

/** With `doc`, aliases and merge keys of a node are resolved against it (at most 100 aliases). */
export function plainValue(node: Node | Document | null | undefined, doc?: Document): Plain {
  try {
    if (!node) return { value: undefined };
    return { value: doc && !isDocument(node) ? node.toJS(doc, { maxAliasCount: 100 }) : node.toJSON() };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}
