// Locates the YAML node under an offset and the path of keys and indices that leads to it.
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import { propertySchema, type SchemaNode } from './compile';

export type PathSegment = string | number;

export interface NodeAt {
  path: PathSegment[];
  /** The scalar or collection under the offset (the key scalar when inKey). */
  node: Node;
  inKey: boolean;
}

/** Finds the innermost node at a document-relative offset. */
export function nodeAt(doc: Document.Parsed, offset: number): NodeAt | undefined {
  let current = doc.contents as Node | null;
  const path: PathSegment[] = [];
  while (current && !isAlias(current)) {
    if (isMap(current)) {
      const pair = (current.items as Pair<Node, Node | null>[]).find((p) => containsPair(p, offset));
      if (!pair || !isScalar(pair.key)) return withinNode(current, offset) ? { path, node: current, inKey: false } : undefined;
      path.push(String(pair.key.value));
      if (pair.key.range && offset >= pair.key.range[0] && offset <= pair.key.range[1]) return { path, node: pair.key, inKey: true };
      if (!pair.value) return { path, node: pair.key, inKey: true };
      current = pair.value;
    } else if (isSeq(current)) {
      const index = current.items.findIndex((item) => withinNode(item as Node, offset));
      if (index === -1) return { path, node: current, inKey: false };
      path.push(index);
      current = current.items[index] as Node;
    } else {
      return withinNode(current, offset) ? { path, node: current, inKey: false } : undefined;
    }
  }
  return undefined;
}

function withinNode(node: Node | null, offset: number): boolean {
  return !!node?.range && offset >= node.range[0] && offset <= node.range[1];
}

function containsPair(pair: Pair<Node, Node | null>, offset: number): boolean {
  const start = pair.key?.range?.[0];
  const end = pair.value?.range?.[1] ?? pair.key?.range?.[1];
  return start !== undefined && end !== undefined && offset >= start && offset <= end;
}

/** The schema reached by following a path from the root schema. */
export function schemaAtPath(root: SchemaNode, path: PathSegment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    node = typeof segment === 'number' ? node.items : propertySchema(node, segment);
  }
  return node;
}
