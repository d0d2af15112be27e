// One YAML document of a file, parsed with positions, and what it says it is. Documents of
// other tools (Deployments, Services...) are parsed only when something asks for their nodes:
// their apiVersion is read from the text, and most of a mixed file is never parsed.
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { closest } from '../base/problems';
import { parseYaml } from './parse';
import type { Segment } from './split';

export const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];

/** The Kubernetes Gateway API's groups: the standard one and the experimental `x-k8s.io` one. */
export const GATEWAY_API_GROUPS = ['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'];

/**
 * Istio API groups no Istio version we support serves, with what replaced them: a document of
 * theirs is reported (kubectl apply fails without the old CRDs), not ignored.
 */
export const REMOVED_ISTIO_GROUPS: Record<string, string> = {
  'rbac.istio.io': 'removed in Istio 1.6: ClusterRbacConfig, RbacConfig, ServiceRole and ServiceRoleBinding are replaced by security.istio.io/v1 AuthorizationPolicy',
  'authentication.istio.io': 'removed in Istio 1.6: Policy and MeshPolicy are replaced by security.istio.io/v1 PeerAuthentication and RequestAuthentication',
  'config.istio.io': 'removed in Istio 1.8 with Mixer: its adapters, handlers, instances and rules are replaced by telemetry.istio.io/v1 Telemetry and Wasm extensions',
};

export interface SyntaxProblem {
  /** Offsets relative to the document's segment. */
  start: number;
  end: number;
  message: string;
  warning: boolean;
}

interface Identity {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** API group and version, when apiVersion has the form group/version. */
  group?: string;
  version?: string;
}

/** A YAML node, or anything with its range (`[start, value end, node end]`, document offsets). */
export interface Positioned {
  readonly range?: readonly number[] | null;
}

/** The parse of one segment's text, shared by every ResourceDocument with that text. */
class ParsedText {
  private parsed?: { doc: Document.Parsed; syntax: SyntaxProblem[]; identity: Identity };
  /** The apiVersion read from the text: computed once, as moving the document re-creates its ResourceDocument. */
  readonly peekedApiVersion: string | undefined;

  constructor(readonly text: string) {
    this.peekedApiVersion = peekApiVersion(text);
  }

  get value() {
    this.parsed ??= parseText(this.text);
    return this.parsed;
  }

  private listItems?: { offset: number; parsed: ParsedText }[];

  /** A `kind: List`'s items: each one's text from its line's start (what precedes it there blanked) and that offset. */
  get items(): { offset: number; parsed: ParsedText }[] {
    this.listItems ??= mayBeList(this.text) ? readListItems(this.text, this.value.doc, this.value.identity) : [];
    return this.listItems;
  }
}

const LIST_KIND_LINE = /^kind:[ \t]*(["']?)List\1[ \t]*(?:#.*)?\r?$/;

/** Cheap test before parsing: a top-level `kind: List` line. */
function mayBeList(text: string): boolean {
  for (const line of topLevelLines(text, 'kind:')) if (LIST_KIND_LINE.test(line)) return true;
  return false;
}

function readListItems(text: string, doc: Document.Parsed, identity: Identity): { offset: number; parsed: ParsedText }[] {
  if (identity.apiVersion !== 'v1' || identity.kind !== 'List' || !isMap(doc.contents)) return [];
  const items = doc.contents.get('items', true);
  if (!isSeq(items)) return [];
  return items.items.flatMap((item) => {
    const range = (item as Positioned | null)?.range;
    if (!isMap(item) || !range) return [];
    const lineStart = text.lastIndexOf('\n', range[0] - 1) + 1;
    const itemText = ' '.repeat(range[0] - lineStart) + text.slice(range[0], range[2]);
    return [{ offset: lineStart, parsed: new ParsedText(itemText) }];
  });
}

export class ResourceDocument {
  /** The document's apiVersion names an Istio API group: we answer for it. */
  readonly isIstio: boolean;
  /** The document's apiVersion names a Gateway API group: its schema is ours too (Istio-only behaviour is not). */
  readonly isGatewayApi: boolean;
  private readonly peekedApiVersion?: string;

  private constructor(
    /**
     * Offset of the segment in its file: node ranges are relative to it. Outside the model, read
     * file offsets through the methods below instead of adding it.
     */
    readonly base: number,
    private readonly parsed: ParsedText,
    /** An item of a `kind: List` (indented: its apiVersion line is not at column 0). */
    private readonly listItem = false,
  ) {
    const peeked = listItem ? undefined : parsed.peekedApiVersion;
    if (peeked !== undefined) {
      this.peekedApiVersion = peeked;
      this.isIstio = isIstioApiVersion(peeked);
      this.isGatewayApi = isGatewayApiVersion(peeked);
    } else if (this.identity.apiVersion !== undefined) {
      this.isIstio = isIstioApiVersion(this.identity.apiVersion);
      this.isGatewayApi = isGatewayApiVersion(this.identity.apiVersion);
    } else {
      const broken = this.syntax.length > 0;
      this.isIstio = broken && hasApiVersionLine(parsed.text, listItem, ISTIO_API_VERSION_LINE);
      this.isGatewayApi = broken && hasApiVersionLine(parsed.text, listItem, GATEWAY_API_VERSION_LINE);
    }
  }

  /** Ours, for schema-driven features (validation, completion, hover, outline): an Istio or a Gateway API document. */
  get isOurs(): boolean {
    return this.isIstio || this.isGatewayApi;
  }

  /**
   * The items of a `kind: List` (what `kubectl get -o yaml` writes), each a document of its own at
   * its place in the file, analysed like the documents of a stream; none for any other document.
   */
  get items(): ResourceDocument[] {
    return this.parsed.items.map(({ offset, parsed }) => new ResourceDocument(this.base + offset, parsed, true));
  }

  static parse(segment: Segment): ResourceDocument {
    return new ResourceDocument(segment.start, new ParsedText(segment.text));
  }

  /** The same document, moved to another offset of its file (an edit before it). */
  at(base: number): ResourceDocument {
    return base === this.base ? this : new ResourceDocument(base, this.parsed, this.listItem);
  }

  get text(): string {
    return this.parsed.text;
  }

  /** The file offset just past the document's text. */
  get end(): number {
    return this.base + this.parsed.text.length;
  }

  /** Does the document hold this file offset (its end included)? */
  contains(fileOffset: number): boolean {
    return fileOffset >= this.base && fileOffset <= this.end;
  }

  /** The file offset of an offset in the document. */
  fileOffset(docOffset: number): number {
    return this.base + docOffset;
  }

  /** The offset in the document of a file offset. */
  docOffset(fileOffset: number): number {
    return fileOffset - this.base;
  }

  /** A span of the document (a fact's, a problem's) at file offsets: only `start` and `end` are kept. */
  fileSpan(span: { start: number; end: number }): { start: number; end: number } {
    return { start: this.base + span.start, end: this.base + span.end };
  }

  /** The file offsets of a node of the document: its start and the end of its value (before a trailing comment). */
  rangeOf(node: Positioned | null | undefined): [number, number] | undefined {
    const range = node?.range;
    return range ? [this.base + range[0], this.base + range[1]] : undefined;
  }

  /** The file offset where a node of the document starts. */
  startOf(node: Positioned | null | undefined): number | undefined {
    return this.rangeOf(node)?.[0];
  }

  /** The file offset where a node's value ends (before a trailing comment). */
  endOf(node: Positioned | null | undefined): number | undefined {
    return this.rangeOf(node)?.[1];
  }
  get doc(): Document.Parsed {
    return this.parsed.value.doc;
  }
  get syntax(): SyntaxProblem[] {
    return this.parsed.value.syntax;
  }
  private get identity(): Identity {
    return this.parsed.value.identity;
  }
  get apiVersion(): string | undefined {
    return this.peekedApiVersion ?? this.identity.apiVersion;
  }
  get kind(): string | undefined {
    return this.identity.kind;
  }
  get name(): string | undefined {
    return this.identity.name;
  }
  get namespace(): string | undefined {
    return this.identity.namespace;
  }
  get group(): string | undefined {
    return this.identity.group;
  }
  get version(): string | undefined {
    return this.identity.version;
  }
}

function parseText(text: string) {
  const doc = parseYaml(text);
  const syntax: SyntaxProblem[] = [
    ...doc.errors.map((e) => ({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: e.message, warning: false })),
    ...doc.warnings.map((e) => ({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: e.message, warning: true })),
  ];
  return { doc, syntax, identity: readIdentity(doc) };
}

function readIdentity(doc: Document.Parsed): Identity {
  const identity: Identity = {};
  const root = doc.contents;
  if (!isMap(root)) return identity;
  identity.apiVersion = scalarString(root, 'apiVersion');
  identity.kind = scalarString(root, 'kind');
  const metadata = root.get('metadata', true);
  if (isMap(metadata)) {
    identity.name = scalarString(metadata, 'name');
    identity.namespace = scalarString(metadata, 'namespace');
  }
  const slash = identity.apiVersion?.indexOf('/') ?? -1;
  if (identity.apiVersion && slash > 0) {
    identity.group = identity.apiVersion.slice(0, slash);
    identity.version = identity.apiVersion.slice(slash + 1);
  }
  return identity;
}

const API_VERSION_LINE = /^apiVersion:[ \t]*(["']?)([^\s"'#]+)\1[ \t]*(?:#.*)?\r?$/;
const ISTIO_API_VERSION_LINE = /^apiVersion:[ \t]*["']?[\w.-]*\.istio\.io\//;
const GATEWAY_API_VERSION_LINE = /^apiVersion:[ \t]*["']?gateway\.networking\.(?:x-)?k8s\.io\//;
/** Longer top-level lines state no apiVersion or kind plainly; not matching them keeps the regexes' backtracking short. */
const MAX_TOP_LEVEL_LINE = 1000;

/** The top-level lines starting with `key` (`apiVersion:`, `kind:`), found with indexOf (a /^…/m regex tries every offset of a 5 MB line); longer lines state nothing plainly. */
function* topLevelLines(text: string, key: string): Generator<string> {
  for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + 1)) {
    // A line start, or the file's start after a byte-order mark (editors on Windows write one).
    if (at > 0 && text.charCodeAt(at - 1) !== 10 && !(at === 1 && text.charCodeAt(0) === 0xfeff)) continue;
    const end = text.indexOf('\n', at);
    if ((end === -1 ? text.length : end) - at <= MAX_TOP_LEVEL_LINE) yield text.slice(at, end === -1 ? text.length : end);
  }
}

/**
 * The apiVersion read from the text, when exactly one top-level line states it plainly. Lines
 * at column 0 are top-level keys in block YAML, so this does not need a parse.
 */
function peekApiVersion(text: string): string | undefined {
  let found: string | undefined;
  for (const line of topLevelLines(text, 'apiVersion:')) {
    const plain = API_VERSION_LINE.exec(line);
    if (!plain) continue;
    if (found !== undefined) return undefined;
    found = plain[2];
  }
  return found;
}

function hasApiVersionLine(text: string, indented: boolean, pattern: RegExp): boolean {
  // Broken YAML may hide the apiVersion from the parser; the text still tells whose it is.
  if (indented) return text.split('\n').some((line) => pattern.test(line.trimStart()));
  for (const line of topLevelLines(text, 'apiVersion:')) if (pattern.test(line)) return true;
  return false;
}

function isGatewayApiVersion(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  const group = slash > 0 ? apiVersion.slice(0, slash) : apiVersion;
  // A likely misspelling is ours too: reported, not ignored.
  return GATEWAY_API_GROUPS.includes(group) || closest(group, GATEWAY_API_GROUPS, 2) !== undefined;
}

function isIstioApiVersion(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  return isIstioGroup(slash > 0 ? apiVersion.slice(0, slash) : apiVersion);
}

/** One of Istio's API groups, or a likely misspelling of one (reported, not ignored). */
function isIstioGroup(group: string): boolean {
  return ISTIO_GROUPS.includes(group) || group in REMOVED_ISTIO_GROUPS || closest(group, ISTIO_GROUPS, 2) !== undefined;
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
