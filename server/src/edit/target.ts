// What an edit at the cursor works on: the resource there, its place in the file (for the
// style-following writer), its spec and, in a VirtualService, the route and destination under the
// cursor. Refactorings and the traffic preview's weight edit start from it.
import { isMap, isSeq, type YAMLMap } from 'yaml';
import type { DestinationRef, RouteInfo } from '../workspace/extract';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';
import { writerFor, type DocumentPlace } from './yamlEdit';

export interface RouteTarget {
  info: RouteInfo;
  node: YAMLMap;
  /** The `route` list items, by destination index. */
  items: unknown[];
  /** The destination item the cursor is in, if any. */
  focused?: DestinationRef;
}

export interface EditTarget {
  /** The file the cursor is in, and its current text. */
  uri: string;
  text: string;
  entry: IndexedResource;
  place: DocumentPlace;
  spec?: YAMLMap;
  route?: RouteTarget;
}

/** The edit target at `offset` of a file whose current text is `text`; undefined when no resource is there. */
export function editTargetAt(workspace: WorkspaceIndex, uri: string, text: string, offset: number): EditTarget | undefined {
  const entry = workspace.entryAt(uri, offset);
  if (!entry) return undefined;
  const place: DocumentPlace = { uri, text, resource: entry.resource, w: writerFor(text, entry.resource.text) };
  const spec = entry.resource.doc.get('spec', true);
  const target: EditTarget = { uri, text, entry, place, spec: isMap(spec) ? spec : undefined };
  const vs = entry.info.virtualService;
  if (vs && target.spec) target.route = routeAt(target.spec, vs.routes, entry.resource.docOffset(offset));
  return target;
}

/** The route whose span holds the document offset `local` (or a VirtualService's only route), with the destination under it. */
function routeAt(spec: YAMLMap, routes: RouteInfo[], local: number): RouteTarget | undefined {
  const inside = routes.filter((r) => r.span.start <= local && local <= r.span.end);
  const info = inside[0] ?? (routes.length === 1 ? routes[0] : undefined);
  const node = info && spec.get(info.routeKind, true);
  const routeNode = isSeq(node) ? node.items[info.index] : undefined;
  if (!info || !isMap(routeNode)) return undefined;
  const list = routeNode.get('route', true);
  const items = isSeq(list) ? list.items : [];
  const focused = info.destinations.find((d) => d.itemSpan && d.itemSpan.start <= local && local <= d.itemSpan.end);
  return { info, node: routeNode, items, focused };
}
