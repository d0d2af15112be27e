// Completion from the schema at any depth, in half-typed documents. The cursor's line is
// replaced by a placeholder key or value and the document re-parsed, so the placeholder's path
// is known even when the text around it does not parse as the user means yet.
import { lineStart as lineStartOf } from '../../edit/textEdits';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { resourceAt } from '../../model/fileModel';
import type { ResourceDocument } from '../../model/resource';
import { allProperties, type SchemaNode } from '../../schema/compile';
import type { KindEntry } from '../../schema/types';
import { fieldMarkdown, typeLabel } from '../../schema/docs';
import { schemaAtPath, type PathSegment } from '../../schema/yamlPath';
import { detectStyle, keySnippet, type FirstStop, type YamlStyle } from '../../schema/shapes';
import { atColumn, SORT, type CompletionEntry, type CompletionResult } from './entries';
import { takesWorkspaceValues, workspaceValues } from './workspaceValues';
import { snippetItems, type SnippetPlace } from './snippets';
import { metadataItems } from './annotations';
import type { FeatureContext } from '../context';

const PLACEHOLDER = '__istio_cursor__';
const KEY_LINE = /^(\s*(?:-\s+)*)([\w.\-/]*)$/;
const VALUE_LINE = /^(\s*(?:-\s+)*)([\w.\-/]+):[ \t]+(["']?)([^"'#]*)$/;

interface CursorLine {
  mode: 'key' | 'value';
  /** Offsets in the document of the partial word being replaced. */
  wordStart: number;
  wordEnd: number;
  /** The column of the key or value being typed (after any `- `): what the inserted lines are relative to. */
  column: number;
  patched: string;
}

export function complete(ctx: FeatureContext, uri: string, offset: number): CompletionResult | undefined {
  const model = ctx.model(uri);
  const resource = model && resourceAt(model, offset);
  if (!resource) return undefined;
  const cursor = readCursorLine(resource.text, resource.docOffset(offset));
  if (!cursor) return undefined;
  const path = placeholderPath(cursor.patched);
  if (!path) return undefined;
  const quoted = /["']/.test(resource.text[cursor.wordStart - 1] ?? '');
  const metadata = metadataItems(ctx, resource, path, { mode: cursor.mode, quoted, present: () => presentKeys(resource, path.slice(0, -1)) });
  const schemaItems = metadata ?? (cursor.mode === 'key' ? keyItems(resource, path, ctx) : valueItems(resource, path, ctx));
  const place = cursor.mode === 'key' ? snippetPlace(resource, path, cursor) : undefined;
  const snippets = place ? snippetItems(place, detectStyle(resource.text)) : [];
  if (!schemaItems && snippets.length === 0) return undefined;
  const items = [...(schemaItems ?? []), ...snippets].map((item) => ({ ...item, insertText: atColumn(item.insertText, cursor.column) }));
  return { items, replaceStart: resource.fileOffset(cursor.wordStart), replaceEnd: resource.fileOffset(cursor.wordEnd) };
}

/** Where snippets could go: a document start (column 0 with nothing of the document after it), or the keys of a map. */
function snippetPlace(resource: ResourceDocument, path: PathSegment[], cursor: CursorLine): SnippetPlace | undefined {
  const parentPath = path.slice(0, -1);
  if (parentPath.length > 0) return { type: 'keys', kind: resource.kind, path: parentPath, present: presentKeys(resource, parentPath) };
  if (cursor.column !== 0) return undefined;
  const text = resource.text;
  const lineStart = lineStartOf(text, cursor.wordStart);
  const lineEnd = text.indexOf('\n', cursor.wordStart);
  if (lineEnd !== -1 && hasContent(text.slice(lineEnd))) return undefined;
  return { type: 'document', separator: hasContent(text.slice(0, lineStart)) };
}

/** Lines other than blank ones, comments and document markers. */
function hasContent(text: string): boolean {
  return text.split('\n').some((line) => !/^\s*(#.*)?$/.test(line) && !/^(---|\.\.\.)(\s.*)?$/.test(line));
}

function readCursorLine(text: string, offset: number): CursorLine | undefined {
  const lineStart = lineStartOf(text, offset);
  const newline = text.indexOf('\n', offset);
  const lineEnd = newline === -1 ? text.length : newline;
  const before = text.slice(lineStart, offset);
  const wordTail = /^[\w.\-/]*/.exec(text.slice(offset, lineEnd))?.[0] ?? '';
  const patch = (from: number, replacement: string) => text.slice(0, from) + replacement + text.slice(lineEnd);
  const value = VALUE_LINE.exec(before);
  if (value) {
    const wordStart = offset - value[4].length;
    return { mode: 'value', wordStart, wordEnd: offset + wordTail.length, column: wordStart - lineStart, patched: patch(lineStart + before.length - value[4].length - value[3].length, PLACEHOLDER) };
  }
  const key = KEY_LINE.exec(before);
  if (key) {
    const wordStart = lineStart + key[1].length;
    return { mode: 'key', wordStart, wordEnd: offset + wordTail.length, column: key[1].length, patched: patch(wordStart, `${PLACEHOLDER}:`) };
  }
  return undefined;
}

/** Path of the placeholder in the patched text; a key placeholder's path ends with it. */
function placeholderPath(patched: string): PathSegment[] | undefined {
  const doc = parseDocument(patched, { uniqueKeys: false });
  const search = (node: Node | null | undefined, path: PathSegment[]): PathSegment[] | undefined => {
    if (!node) return undefined;
    if (isScalar(node)) return node.value === PLACEHOLDER ? path : undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === PLACEHOLDER) return [...path, PLACEHOLDER];
        const found = key !== undefined ? search(pair.value as Node | null, [...path, key]) : undefined;
        if (found) return found;
      }
    }
    if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = search(node.items[i] as Node | null, [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(doc.contents as Node | null, []);
}

function rootSchema(resource: ResourceDocument, ctx: FeatureContext): SchemaNode | undefined {
  if (!resource.group || !resource.version || !resource.kind) return undefined;
  return ctx.schemas.schemaFor(ctx.settings.istioVersion, resource.group, resource.version, resource.kind)?.root;
}

/** Ours: Istio and Gateway API documents, and documents that do not say yet what they are. */
function answersFor(resource: ResourceDocument): boolean {
  return resource.isOurs || resource.apiVersion === undefined;
}

function keyItems(resource: ResourceDocument, path: PathSegment[], ctx: FeatureContext): CompletionEntry[] | undefined {
  if (!answersFor(resource)) return undefined;
  const parentPath = path.slice(0, -1);
  const root = rootSchema(resource, ctx);
  if (parentPath.length === 0 && !root) return rootKeyItems(resource);
  const parent = root && schemaAtPath(root, parentPath);
  if (!parent) return undefined;
  if (!parent.types?.has('object') && !parent.properties) {
    // A list of scalars: the placeholder became a map inside an item; offer the item's values.
    return workspaceValues(ctx.workspace, resource, parentPath) ?? scalarValueItems(parent);
  }
  const present = presentKeys(resource, parentPath);
  const style = detectStyle(resource.text);
  const required = new Set(parent.required);
  const opensValues = (stop: FirstStop | undefined) => !!stop && !stop.choice && takesWorkspaceValues(resource, [...parentPath, ...stop.path]);
  return [...allProperties(parent)].filter(([name]) => !present.has(name)).map(([name, child]) => propertyItem(name, child, required.has(name), style, opensValues));
}

function presentKeys(resource: ResourceDocument, parentPath: PathSegment[]): Set<string> {
  const node = parentPath.length === 0 ? resource.doc.contents : resource.doc.getIn(parentPath, true);
  const keys = new Set<string>();
  if (isMap(node)) for (const pair of node.items) if (isScalar(pair.key) && pair.value !== null) keys.add(String(pair.key.value));
  return keys;
}

function propertyItem(name: string, child: SchemaNode, required: boolean, style: YamlStyle, opensValues: (stop: FirstStop | undefined) => boolean): CompletionEntry {
  const { text, firstStop } = keySnippet(name, child, style);
  const deprecated = !!child.deprecation;
  return {
    label: name,
    kind: 'property',
    detail: `${typeLabel(child)}${required ? ' (required)' : deprecated ? ' (deprecated)' : ''}`,
    documentation: fieldMarkdown(child, { rules: false }),
    insertText: text,
    snippet: true,
    sortText: `${required ? SORT.required : deprecated ? SORT.deprecated : SORT.field}${name}`,
    deprecated,
    retrigger: opensValues(firstStop),
  };
}

/** The keys of a document that does not say its kind yet; apiVersion and kind then offer their values. */
function rootKeyItems(resource: ResourceDocument): CompletionEntry[] {
  const present = presentKeys(resource, []);
  const indent = detectStyle(resource.text).indent;
  const texts: Record<string, string> = { apiVersion: 'apiVersion: ', kind: 'kind: ', metadata: `metadata:\n${indent}name: $1`, spec: `spec:\n${indent}$0` };
  return Object.entries(texts)
    .filter(([k]) => !present.has(k))
    .map(([k, insertText], i) => ({
      label: k,
      kind: 'property',
      detail: k === 'spec' ? undefined : '(required)',
      insertText,
      snippet: true,
      sortText: `${SORT.required}${i}`,
      retrigger: k === 'apiVersion' || k === 'kind',
    }));
}

function valueItems(resource: ResourceDocument, path: PathSegment[], ctx: FeatureContext): CompletionEntry[] | undefined {
  const istioVersion = ctx.settings.istioVersion;
  const kinds = ctx.schemas.kinds(istioVersion);
  // Offering Istio's and the Gateway API's apiVersions is how a new document becomes ours, whatever it says so far.
  if (path.length === 1 && path[0] === 'apiVersion' && kinds.length > 0) return apiVersionItems(kinds, istioVersion, ctx.schemas.index(istioVersion)?.gatewayApi?.schemas);
  if (!answersFor(resource)) return undefined;
  if (path.length === 1 && path[0] === 'kind' && kinds.length > 0) return kindItems(kinds, resource);
  const fromWorkspace = workspaceValues(ctx.workspace, resource, path);
  if (fromWorkspace) return fromWorkspace;
  const root = rootSchema(resource, ctx);
  const schema = root && schemaAtPath(root, path);
  return schema ? scalarValueItems(schema) : undefined;
}

function scalarValueItems(schema: SchemaNode): CompletionEntry[] {
  const values = schema.schema.enum?.map(String) ?? (schema.types?.has('boolean') ? ['true', 'false'] : []);
  return values.map((v) => ({ label: v, kind: 'enum', insertText: v, snippet: false, documentation: schema.schema.description }));
}

function apiVersionItems(kinds: KindEntry[], istioVersion: string, gatewayApi: string | undefined): CompletionEntry[] {
  const byApiVersion = new Map<string, { kinds: string[]; gatewayApi: boolean }>();
  for (const info of kinds) {
    for (const version of info.versions) {
      const key = `${info.group}/${version}`;
      const entry = byApiVersion.get(key) ?? { kinds: [], gatewayApi: info.gatewayApi };
      entry.kinds.push(info.kind);
      byApiVersion.set(key, entry);
    }
  }
  return [...byApiVersion].map(([apiVersion, { kinds: names, gatewayApi: isGatewayApi }]) => ({
    label: apiVersion,
    kind: 'module',
    detail: names.join(', '),
    documentation: isGatewayApi
      ? `The Gateway API ${gatewayApi ?? ''} serves ${names.join(', ')} at \`${apiVersion}\` (Istio ${istioVersion} implements it).`
      : `Istio ${istioVersion} serves ${names.join(', ')} at \`${apiVersion}\`.`,
    insertText: apiVersion,
    snippet: false,
    // Istio's first, then the Gateway API's; v1 first within each.
    sortText: `${isGatewayApi ? '1' : '0'}${apiVersion.endsWith('/v1') ? '0' : '1'}${apiVersion}`,
  }));
}

function kindItems(kinds: KindEntry[], resource: ResourceDocument): CompletionEntry[] {
  return kinds
    .filter((info) => !resource.group || (info.group === resource.group && (!resource.version || info.versions.includes(resource.version))))
    .map((info) => ({
      label: info.kind,
      kind: 'class',
      detail: `${info.group} (${info.versions.join(', ')})`,
      documentation: info.docs ? `[${info.kind} reference](${info.docs})` : undefined,
      insertText: info.kind,
      snippet: false,
    }));
}
