// Document symbols: one per Istio or Gateway API resource (`Kind name`), with its YAML structure below.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ResourceDocument } from '../model/resource';
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
    if (!resource.isOurs || !isMap(root)) continue;
    const range = resource.rangeOf(root);
    if (!range) continue;
    const nameNode = resource.doc.getIn(['metadata', 'name'], true) as Node | undefined;
    const selection = resource.rangeOf(nameNode) ?? range;
    symbols.push({
      name: `${resource.kind ?? 'Unknown'} ${resource.name ?? '(no name)'}`,
      kind: 'class',
      detail: [resource.apiVersion, resource.namespace].filter(Boolean).join(' · ') || undefined,
      start: range[0],
      end: range[1],
      selectionStart: selection[0],
      selectionEnd: selection[1],
      children: childSymbols(root, resource, 0),
    });
  }
  return symbols;
}

function childSymbols(node: Node, resource: ResourceDocument, depth: number): SymbolModel[] {
  if (depth >= MAX_DEPTH) return [];
  if (isMap(node)) {
    return node.items.flatMap((pair) => {
      const key = pair.key as Node | null;
      const keyRange = isScalar(key) ? resource.rangeOf(key) : undefined;
      if (!isScalar(key) || !keyRange) return [];
      const value = pair.value as Node | null;
      const end = resource.endOf(value) ?? keyRange[1];
      return [symbolFor(symbolName(key.value), value, resource, keyRange[0], end, keyRange, depth)];
    });
  }
  if (isSeq(node)) {
    return node.items.flatMap((item, i) => {
      const child = item as Node | null;
      const range = resource.rangeOf(child);
      if (!child || !range) return [];
      return [symbolFor(itemName(child, i), child, resource, range[0], range[1], range, depth)];
    });
  }
  return [];
}

/** `start`, `end` and `selection` are file offsets. */
function symbolFor(name: string, value: Node | null, resource: ResourceDocument, start: number, end: number, selection: [number, number], depth: number): SymbolModel {
  const scalar = isScalar(value) ? value.value : undefined;
  const kind: SymbolKind = isMap(value)
    ? 'object'
    : isSeq(value)
      ? 'array'
      : scalar === null || scalar === undefined
        ? 'null'
        : typeof scalar === 'number'
          ? 'number'
          : typeof scalar === 'boolean'
            ? 'boolean'
            : 'string';
  return {
    name,
    kind,
    detail: isScalar(value) && scalar !== null ? String(scalar) : undefined,
    start,
    end,
    selectionStart: selection[0],
    selectionEnd: selection[1],
    children: value ? childSymbols(value, resource, depth + 1) : [],
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
