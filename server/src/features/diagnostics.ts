// Diagnostics of a file: YAML syntax, the resource's identity (kind, apiVersion) and its schema
// (including the CRDs' CEL rules). Results are cached per parsed document, so an edit in one
// document of a multi-document file does not re-validate the others.
import { isMap, isScalar, type Document, type Node } from 'yaml';
import type { FeatureContext } from './context';
import { findPair, REMOVED_ISTIO_GROUPS, type ResourceDocument } from '../model/resource';
import { closest, guarded, internalProblem, problem, type Problem } from '../base/problems';
import type { SchemaRegistry } from '../schema/registry';
import type { SchemaNode } from '../schema/compile';
import type { KindEntry } from '../schema/types';
import type { IstioMetadata } from '../schema/istioMetadata';
import { applySuppressions } from '../analysis/suppress';
import { crossFileProblems, localProblems } from '../analysis/semantic';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';
import { resourceAnchor } from '../analysis/context';
import { metadataAnnotations } from '../workspace/extract';
import { validateDocument } from '../schema/validate';

export interface AnalysisSettings {
  istioVersion: string;
}

/** Per-document results, keyed by the parsed document (reused across edits of other documents). */
export class DiagnosticsCache {
  private readonly results = new WeakMap<Document.Parsed, { key: string; problems: Problem[] }>();
  private readonly local = new WeakMap<Document.Parsed, { key: string; problems: Problem[] }>();

  get(doc: Document.Parsed, key: string): Problem[] | undefined {
    const hit = this.results.get(doc);
    return hit?.key === key ? hit.problems : undefined;
  }

  set(doc: Document.Parsed, key: string, problems: Problem[]): void {
    this.results.set(doc, { key, problems });
  }

  /** The document-local semantic checks' results (they depend on the namespace and host settings too). */
  getLocal(doc: Document.Parsed, key: string): Problem[] | undefined {
    const hit = this.local.get(doc);
    return hit?.key === key ? hit.problems : undefined;
  }

  setLocal(doc: Document.Parsed, key: string, problems: Problem[]): void {
    this.local.set(doc, { key, problems });
  }
}

/**
 * Problems of a workspace file (none when the context does not know it). With `crossFile`, the
 * semantic, cross-file checks run too; their results depend on other files and are never cached.
 */
export function fileProblems(ctx: FeatureContext, uri: string, cache: DiagnosticsCache | undefined, crossFile: boolean): Problem[] {
  const model = ctx.model(uri);
  if (!model) return [];
  const { schemas: registry, settings } = ctx;
  const index = crossFile ? ctx.workspace : undefined;
  const problems: Problem[] = [];
  let indexFailure: Problem[] = [];
  let entries = new Map<ResourceDocument, IndexedResource>();
  try {
    entries = new Map(index?.entries(model.uri).map((e) => [e.resource, e]));
  } catch (e) {
    indexFailure = [internalProblem('workspace index', 0, 1, e)];
  }
  for (const resource of model.resources) {
    const entry = entries.get(resource);
    if (!resource.isOurs && !entry) {
      for (const p of removedCrdProblems(resource)) problems.push({ ...p, ...resource.fileSpan(p) });
      continue;
    }
    const relative = guarded(
      'diagnostics',
      () => resourceAnchor(resource),
      () => documentProblems(resource, registry, settings, cache, index && entry && { index, entry }),
    );
    for (const p of relative) problems.push({ ...p, ...resource.fileSpan(p) });
  }
  return [...indexFailure, ...problems];
}

/** One document's problems (relative offsets): its own, cached, then the cross-file ones. */
function documentProblems(
  resource: ResourceDocument,
  registry: SchemaRegistry,
  settings: AnalysisSettings,
  cache: DiagnosticsCache | undefined,
  workspace?: { index: WorkspaceIndex; entry: IndexedResource },
): Problem[] {
  let relative: Problem[] = [];
  if (resource.isOurs) {
    const cached = cache?.get(resource.doc, settings.istioVersion);
    relative =
      cached ??
      guarded(
        'schema validation',
        () => resourceAnchor(resource),
        () => resourceProblems(resource, registry, settings),
      );
    if (!cached) cache?.set(resource.doc, settings.istioVersion, relative);
  }
  if (resource.syntax.length > 0) return relative;
  // A webhook rule may restate a CRD rule (port ranges): one report per range and code.
  const reported = new Set(relative.map((p) => `${p.start}:${p.end}:${p.code}`));
  const semantic = workspace ? workspaceProblems(workspace.index, workspace.entry, cache, registry.metadata(settings.istioVersion)).filter((p) => !reported.has(`${p.start}:${p.end}:${p.code}`)) : [];
  const all = [...relative, ...semantic];
  // Failures are never suppressed: hiding them is what they exist to prevent.
  const failures = all.filter((p) => p.data?.type === 'internal');
  const kept = applySuppressions(
    all.filter((p) => p.data?.type !== 'internal'),
    resource.text,
    workspace?.entry.info.annotations ?? metadataAnnotations(resource),
  );
  return [...kept, ...failures].sort((a, b) => a.start - b.start);
}

/** The semantic checks' problems: the document-local ones from the cache when nothing they read changed. */
function workspaceProblems(index: WorkspaceIndex, entry: IndexedResource, cache: DiagnosticsCache | undefined, metadata: IstioMetadata | undefined): Problem[] {
  const { clusterDomain, defaultNamespace } = index.settings;
  const key = `${entry.namespace}|${clusterDomain}|${defaultNamespace}|${metadata?.istioVersion ?? ''}`;
  let local = cache?.getLocal(entry.resource.doc, key);
  if (!local) {
    local = localProblems(index, entry, metadata);
    cache?.setLocal(entry.resource.doc, key, local);
  }
  return [...local, ...crossFileProblems(index, entry)];
}

/** Problems of one resource, with offsets relative to its document. */
export function resourceProblems(resource: ResourceDocument, registry: SchemaRegistry, settings: AnalysisSettings): Problem[] {
  if (resource.syntax.length > 0) {
    // A document the parser had to repair has a shape the user did not write: report where the
    // YAML breaks and leave the schema for when it parses.
    return resource.syntax.map((s) => ({ ...problem('yamlSyntax', s.start, s.end, s.message), severity: s.warning ? 'warning' : 'error' }));
  }
  const identity = identityProblems(resource, registry, settings.istioVersion);
  if (identity.schema) return [...identity.problems, ...validateDocument(resource.doc, identity.schema)];
  return identity.problems;
}

type Range = [number, number];

function identityProblems(resource: ResourceDocument, registry: SchemaRegistry, istioVersion: string): { problems: Problem[]; schema?: SchemaNode } {
  const root = resource.doc.contents;
  const kindNode = isMap(root) ? findPair(root, 'kind')?.value : undefined;
  const apiNode = isMap(root) ? findPair(root, 'apiVersion')?.value : undefined;
  const at = (node: Node | null | undefined): Range => (node?.range ? [node.range[0], node.range[1]] : [0, 1]);
  if (!registry.index(istioVersion) || !resource.group || !resource.version) {
    return { problems: [problem('unsupportedApiVersion', ...at(apiNode), `'${resource.apiVersion}' is not an apiVersion of the form group/version.`, { type: 'api-version', versions: [] })] };
  }
  const removed = REMOVED_ISTIO_GROUPS[resource.group];
  if (removed) {
    return {
      problems: [problem('unsupportedApiVersion', ...at(apiNode), `${resource.group} was ${removed}; kubectl apply fails unless its old CRD is installed.`, { type: 'api-version', versions: [] })],
    };
  }
  const inGroup = registry.kindsOfGroup(istioVersion, resource.group);
  if (!resource.kind || !isScalar(kindNode)) {
    if (inGroup.length === 0) return { problems: [unknownGroup(resource, at(apiNode), registry.groups(istioVersion), istioVersion)] };
    return { problems: [problem('unknownKind', ...at(kindNode ?? root), `Missing 'kind'. Kinds of ${resource.group}: ${inGroup.join(', ')}.`, { type: 'kind', kinds: inGroup })] };
  }
  const info = registry.kind(istioVersion, resource.group, resource.kind) ?? elsewhere(registry, istioVersion, resource.kind, inGroup);
  if (!info) return { problems: [unknownKind(resource, at(kindNode), registry, istioVersion, inGroup)] };
  const version = apiVersionProblem(resource, info, at(apiNode), registry, istioVersion);
  if (version?.blocking) return { problems: [version.problem] };
  return { problems: version ? [version.problem] : [], schema: registry.schemaFor(istioVersion, info.group, resource.version, resource.kind)?.root };
}

/** The kind in another group, when the document's group has no kind of that name (`HTTPRoute` under networking.istio.io). */
function elsewhere(registry: SchemaRegistry, istioVersion: string, kind: string, inGroup: string[]): KindEntry | undefined {
  if (inGroup.includes(kind)) return undefined;
  return registry.kinds(istioVersion).find((k) => k.kind === kind);
}

/** Where the version's kinds come from, for messages: Istio's release, or the Gateway API bundle it uses. */
function apiName(registry: SchemaRegistry, istioVersion: string, gatewayApi: boolean): string {
  const bundle = registry.index(istioVersion)?.gatewayApi?.schemas;
  return gatewayApi ? `the Gateway API ${bundle ?? ''}`.trimEnd() : `Istio ${istioVersion}`;
}

function unknownKind(resource: ResourceDocument, range: Range, registry: SchemaRegistry, istioVersion: string, inGroup: string[]): Problem {
  const kind = resource.kind ?? '';
  const suggestion = closest(kind, inGroup.length > 0 ? inGroup : registry.kinds(istioVersion).map((k) => k.kind));
  const gatewayApi = registry.kind(istioVersion, resource.group ?? '', inGroup[0] ?? '')?.gatewayApi === true;
  const where = inGroup.length > 0 ? `${resource.group} (${apiName(registry, istioVersion, gatewayApi)}). Kinds: ${inGroup.join(', ')}.` : `any API group of Istio ${istioVersion} or its Gateway API.`;
  return problem('unknownKind', ...range, `Kind '${kind}' does not exist in ${where}${suggestion ? ` Did you mean '${suggestion}'?` : ''}`, { type: 'kind', kinds: inGroup, suggestion });
}

/** The apiVersion's problem: another group's kind or a version not served (blocking: no schema to check against), or an older one than v1 (a hint). */
function apiVersionProblem(resource: ResourceDocument, info: KindEntry, range: Range, registry: SchemaRegistry, istioVersion: string): { problem: Problem; blocking: boolean } | undefined {
  const version = resource.version ?? '';
  const valid = info.versions.map((v) => `${info.group}/${v}`);
  const preferred = info.versions.includes('v1') ? `${info.group}/v1` : `${info.group}/${info.storageVersion ?? info.versions[0]}`;
  if (info.group !== resource.group || !info.versions.includes(version)) {
    const reason =
      info.group !== resource.group
        ? `${resource.kind} belongs to ${info.group}`
        : `${capitalized(apiName(registry, istioVersion, info.gatewayApi))} does not serve ${resource.apiVersion} for ${resource.kind}`;
    return { problem: problem('unsupportedApiVersion', ...range, `${reason}. Valid apiVersions: ${valid.join(', ')}.`, { type: 'api-version', versions: valid, preferred }), blocking: true };
  }
  if (version === 'v1' || !info.versions.includes('v1')) return undefined;
  const older = info.gatewayApi ? `${resource.apiVersion} is an older version` : `${resource.apiVersion} is an older version of the same schema`;
  return {
    problem: problem('olderApiVersion', ...range, `${resource.kind} is served as ${info.group}/v1, the stable API; ${older}.`, { type: 'api-version', versions: valid, preferred }),
    blocking: false,
  };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function unknownGroup(resource: ResourceDocument, range: Range, groups: string[], istioVersion: string): Problem {
  const group = resource.group ?? '';
  const suggestion = closest(group, groups, 2);
  const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
  return problem('unsupportedApiVersion', ...range, `'${group}' is not an API group of Istio ${istioVersion} or its Gateway API.${hint} Groups: ${groups.join(', ')}.`, {
    type: 'api-version',
    versions: [],
  });
}

/** Istio's CRDs that istioctl's deprecation analyzer reports as removed (deprecatedCRDs: rbac.istio.io's), defined by a CustomResourceDefinition. */
const REMOVED_CRDS = new Set(['rbac.istio.io/ClusterRbacConfig', 'rbac.istio.io/RbacConfig', 'rbac.istio.io/ServiceRole', 'rbac.istio.io/ServiceRoleBinding']);

/** IST0002 on a CustomResourceDefinition of a removed Istio type (read without parsing any other document). */
function removedCrdProblems(resource: ResourceDocument): Problem[] {
  if (!resource.apiVersion?.startsWith('apiextensions.k8s.io/') || resource.kind !== 'CustomResourceDefinition') return [];
  const spec = resource.doc.get('spec', true);
  if (!isMap(spec)) return [];
  const group = spec.get('group');
  const names = spec.get('names', true);
  const kindNode = isMap(names) ? names.get('kind', true) : undefined;
  const kind = isScalar(kindNode) ? kindNode.value : undefined;
  if (!REMOVED_CRDS.has(`${String(group)}/${String(kind)}`) || !isScalar(kindNode) || !kindNode.range) return [];
  const message = `Custom resource type ${String(group)} ${String(kind)} is removed (Istio 1.6); use security.istio.io/v1 AuthorizationPolicy.`;
  return [problem('deprecated', kindNode.range[0], kindNode.range[1], message)];
}
