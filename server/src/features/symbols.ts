// Document symbols: one per Istio resource (`Kind name`), with its YAML structure below.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { FeatureContext } from './context';

export type SymbolKind = 'class' | 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface SymbolModel {
  name: string;
  kind: SymbolKind;
  detail?: string;
  /** File offsets: the whole node, and the part to select (the key, or the resource's name). */
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  children: SymbolModel[];
}

const MAX_DEPTH = 12;

export function documentSymbols(ctx: FeatureContext, uri: string): SymbolModel[] {
  const symbols: SymbolModel[] = [];
  for (const resource of ctx.model(uri)?.resources ?? []) {
    const root = resource.doc.contents;
    if (!resource.isIstio || !isMap(root) || !root.range) continue;
    const base = resource.base;
    const nameNode = resource.doc.getIn(['metadata', 'name'], true) as Node | undefined;
    const selection = nameNode?.range ?? root.range;
    symbols.push({
      name: `${resource.kind ?? 'Unknown'} ${resource.name ?? '(no name)'}`,
      kind: 'class',
      detail: [resource.apiVersion, resource.namespace].filter(Boolean).join(' · ') || undefined,
      start: base + root.range[0],
      end: base + root.range[1],
      selectionStart: base + selection[0],
      selectionEnd: base + selection[1],
      children: childSymbols(root, base, 0),
    });
  }
  return symbols;
}

function childSymbols(node: Node, base: number, depth: number): SymbolModel[] {
  if (depth >= MAX_DEPTH) return [];
  if (isMap(node)) {
    return node.items.flatMap((pair) => {
      const key = pair.key as Node | null;
      if (!isScalar(key) || !key.range) return [];
      const value = pair.value as Node | null;
      const end = value?.range?.[1] ?? key.range[1];
      return [symbolFor(symbolName(key.value), value, base, key.range[0], end, key.range, depth)];
    });
  }
  if (isSeq(node)) {
    return node.items.flatMap((item, i) => {
      const child = item as Node | null;
      if (!child?.range) return [];
      return [symbolFor(itemName(child, i), child, base, child.range[0], child.range[1], child.range, depth)];
    });
  }
  return [];
}

function symbolFor(name: string, value: Node | null, base: number, start: number, end: number, selection: [number, number, number] | readonly number[], depth: number): SymbolModel {
  const scalar = isScalar(value) ? value.value : undefined;
  const kind: SymbolKind = isMap(value) ? 'object' : isSeq(value) ? 'array' : scalar === null || scalar === undefined ? 'null' : typeof scalar === 'number' ? 'number' : typeof scalar === 'boolean' ? 'boolean' : 'string';
  return {
    name,
    kind,
    detail: isScalar(value) && scalar !== null ? String(scalar) : undefined,
    start: base + start,
    end: base + end,
    selectionStart: base + selection[0],
    selectionEnd: base + selection[1],
    children: value ? childSymbols(value, base, depth + 1) : [],
  };
}

/** A key as a symbol name: VS Code rejects the whole outline for one empty name, so blank keys show quoted. */
function symbolName(key: unknown): string {
  const name = String(key);
  return name.trim() === '' ? JSON.stringify(name) : name;
}

function itemName(item: Node, index: number): string {
  if (isMap(item)) {
    for (const key of ['name', 'host', 'hosts']) {
      const value = item.get(key, true) as Node | undefined;
      if (isScalar(value) && value.value !== null) return `${index}: ${String(value.value)}`;
    }
  }
  return String(index);
}
