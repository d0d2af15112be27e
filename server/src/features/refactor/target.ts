// What a refactoring works on: the resource under the cursor, the route under it (when the
// resource is a VirtualService), and the lookups and text the edits need.
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { invalidAnswer } from '../../../../shared/answers';
import type { RefactorQuestion } from '../../../../shared/protocol';
import type { DestinationRef, RouteInfo } from '../../workspace/extract';
import type { IndexedResource } from '../../workspace/index';
import type { Edit } from '../../edit/textEdits';
import { writerFor, type DocumentPlace } from '../../edit/yamlEdit';
import type { FeatureContext } from '../context';

export interface RouteTarget {
  info: RouteInfo;
  node: YAMLMap;
  /** The `route` list items, by destination index. */
  items: unknown[];
  /** The destination item the cursor is in, if any. */
  focused?: DestinationRef;
}

export interface Target {
  ctx: FeatureContext;
  /** The file the cursor is in, and its current text. */
  uri: string;
  text: string;
  entry: IndexedResource;
  place: DocumentPlace;
  spec?: YAMLMap;
  route?: RouteTarget;
}

/** One question asked before a refactoring runs; `default` is used when nobody is asked. */
export type RefactorInput = RefactorQuestion;

export interface Refactoring {
  id: string;
  title: string;
  kind: string;
  inputs: RefactorInput[];
  /** What the provider threw while deciding whether it applies: offered disabled, with the reason, rather than hidden. */
  failure?: unknown;
}

/** What `apply` answers for a target its `offer` would refuse (it runs only after an offer, on the same target). */
export const NO_LONGER_APPLIES = 'This refactoring no longer applies here (the document changed)';

export interface RefactoringProvider {
  id: string;
  /** The refactoring's title and questions when it applies to the target. */
  offer(target: Target): { title: string; inputs?: RefactorInput[] } | undefined;
  /** The edits, or a message saying why not. Runs after `offer` accepted the target, and checks what it reads again rather than assert it. */
  apply(target: Target, values: Record<string, string>): Edit[] | string;
}

/** What the refactorings work on at `offset` of a workspace file; undefined when the file is unknown or nothing is there. */
export function resolveTarget(ctx: FeatureContext, uri: string, offset: number): Target | undefined {
  const text = ctx.text(uri);
  if (text === undefined) return undefined;
  const entry = ctx.workspace.entryAt(uri, offset);
  if (!entry) return undefined;
  const place: DocumentPlace = { uri, text, resource: entry.resource, w: writerFor(text, entry.resource.text) };
  const spec = entry.resource.doc.get('spec', true);
  const target: Target = { ctx, uri, text, entry, place, spec: isMap(spec) ? spec : undefined };
  const vs = entry.info.virtualService;
  if (vs && target.spec) {
    const local = entry.resource.docOffset(offset);
    const inside = vs.routes.filter((r) => r.span.start <= local && local <= r.span.end);
    const info = inside[0] ?? (vs.routes.length === 1 ? vs.routes[0] : undefined);
    const node = info && target.spec.get(info.routeKind, true);
    const routeNode = isSeq(node) ? node.items[info.index] : undefined;
    if (info && isMap(routeNode)) {
      const list = routeNode.get('route', true);
      const items = isSeq(list) ? list.items : [];
      const focused = info.destinations.find((d) => d.itemSpan && d.itemSpan.start <= local && local <= d.itemSpan.end);
      target.route = { info, node: routeNode, items, focused };
    }
  }
  return target;
}

/** The namespace a resource's metadata names (undefined: none written). */
export function writtenNamespace(entry: IndexedResource): string | undefined {
  return entry.info.namespace;
}

/** Why an answer is not acceptable, or undefined. */
export function invalidInput(input: RefactorInput, value: string): string | undefined {
  return invalidAnswer(input.kind, value);
}
