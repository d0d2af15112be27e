// Reading the workspace's facts out of YAML nodes: spans, scalars as text, lists and string maps,
// each tolerant of a half-typed document (a missing or mistyped node reads as absent).
import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import { plainValue } from '../model/plain';

export interface Span {
  start: number;
  end: number;
}

export interface TextRef extends Span {
  value: string;
}

export function map(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

export function items(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

export function span(node: unknown): Span {
  const range = (node as Node | undefined)?.range;
  return range ? { start: range[0], end: range[1] } : { start: 0, end: 0 };
}

export function text(node: Node | undefined | null): TextRef | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined || !node.range) return undefined;
  return { value: String(node.value), start: node.range[0], end: node.range[1] };
}

/** The scalar text of `key` in a map. */
export function textAt(parent: YAMLMap | undefined, key: string): TextRef | undefined {
  return text(parent?.get(key, true) as Node | undefined);
}

/** A number-valued scalar of `key` in a map, with its span; `ref` is the scalar whatever its value (`port: http`). */
export function numberAt(parent: YAMLMap | undefined, key: string): { value?: number; span?: Span; ref?: TextRef } {
  const node = parent?.get(key, true);
  const ref = text(node as Node | undefined);
  return isScalar(node) && typeof node.value === 'number' ? { value: node.value, span: span(node), ref } : { ref };
}

/** The key node of `key` in a map, when present. */
export function keySpan(parent: YAMLMap | undefined, key: string): Span | undefined {
  const found = parent?.items.find((p) => isScalar(p.key) && p.key.value === key)?.key as Node | undefined;
  return found ? span(found) : undefined;
}

export function texts(node: unknown): TextRef[] {
  return items(node).flatMap((n) => text(n as Node) ?? []);
}

export function strings(node: unknown): string[] | undefined {
  return isSeq(node) ? texts(node).map((t) => t.value) : undefined;
}

export function stringMap(node: unknown): Record<string, string> | undefined {
  if (!isMap(node)) return undefined;
  const out: Record<string, string> = {};
  for (const pair of node.items) {
    if (isScalar(pair.key) && isScalar(pair.value) && pair.value.value !== null) out[String(pair.key.value)] = String(pair.value.value);
  }
  return out;
}

/** A node's plain value with aliases and merge keys resolved; undefined when it has none (an unresolvable alias, a merge of a non-map). */
export function toValue(node: unknown, doc: Document.Parsed): unknown {
  if (!(isMap(node) || isSeq(node) || isScalar(node))) return undefined;
  const plain = plainValue(node, doc);
  return 'value' in plain ? plain.value : undefined;
}
