// One YAML document of a file, parsed with positions, and what it says it is.
import { Document, isMap, isScalar, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { closest } from '../problems';
import type { Segment } from './split';

export const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];

export interface SyntaxProblem {
  /** Offsets relative to the document's segment. */
  start: number;
  end: number;
  message: string;
  warning: boolean;
}

export interface ResourceDocument {
  /** Offset of the segment in its file: node ranges are relative to it. */
  base: number;
  text: string;
  doc: Document.Parsed;
  syntax: SyntaxProblem[];
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** API group and version, when apiVersion has the form group/version. */
  group?: string;
  version?: string;
  /** The document's apiVersion names an Istio API group: we answer for it. */
  isIstio: boolean;
}

export function parseResource(segment: Segment): ResourceDocument {
  const doc = parseDocument(segment.text, { keepSourceTokens: false, merge: true, prettyErrors: false, uniqueKeys: true });
  const syntax: SyntaxProblem[] = [
    ...doc.errors.map((e) => ({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: e.message, warning: false })),
    ...doc.warnings.map((e) => ({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: e.message, warning: true })),
  ];
  const resource: ResourceDocument = { base: segment.start, text: segment.text, doc, syntax, isIstio: false };
  const root = doc.contents;
  if (isMap(root)) {
    resource.apiVersion = scalarString(root, 'apiVersion');
    resource.kind = scalarString(root, 'kind');
    const metadata = root.get('metadata', true);
    if (isMap(metadata)) {
      resource.name = scalarString(metadata, 'name');
      resource.namespace = scalarString(metadata, 'namespace');
    }
  }
  if (resource.apiVersion) {
    const slash = resource.apiVersion.indexOf('/');
    if (slash > 0) {
      resource.group = resource.apiVersion.slice(0, slash);
      resource.version = resource.apiVersion.slice(slash + 1);
    }
    resource.isIstio = isIstioGroup(resource.group ?? resource.apiVersion);
  } else if (syntax.length > 0) {
    // Broken YAML may hide the apiVersion from the parser; the text still tells whose it is.
    resource.isIstio = /^apiVersion:[ \t]*["']?[\w.-]*\.istio\.io\//m.test(segment.text);
  }
  return resource;
}

/** One of Istio's API groups, or a likely misspelling of one (reported, not ignored). */
export function isIstioGroup(group: string): boolean {
  return ISTIO_GROUPS.includes(group) || closest(group, ISTIO_GROUPS, 2) !== undefined;
}

function scalarString(map: YAMLMap, key: string): string | undefined {
  const node = map.get(key, true);
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

export function findPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value === key) return pair as Pair<Node, Node | null>;
  }
  return undefined;
}
