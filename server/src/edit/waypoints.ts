// The edits that give a Namespace, Service or workload an ambient waypoint: the waypoint Gateway
// (class istio-waypoint, the HBONE listener on 15008, `istio.io/waypoint-for`) written as a new
// document right after the resource's own, and the `istio.io/use-waypoint` label on the resource.
// The "add a waypoint" refactoring and the KIA1313 quick fix share them.
import { isMap, isNode, isScalar, type YAMLMap } from 'yaml';
import { HBONE_PORT, USE_WAYPOINT, WAYPOINT_CLASS, WAYPOINT_FOR } from '../workspace/waypoints';
import { columnOf, lineEndAfter, lineStart, type Edit } from './textEdits';
import { isBlockMap, mapLines, mergeEdits, setKey, type DocumentPlace, type YamlValue } from './yamlEdit';

export interface WaypointSpec {
  name: string;
  /** Undefined: none written (the default namespace, as the labelled resource's). */
  namespace?: string;
  /** `istio.io/waypoint-for`: service, workload or all. */
  trafficType: string;
  /** Admit resources of every namespace (a waypoint used through istio.io/use-waypoint-namespace). */
  allNamespaces?: boolean;
}

/** The waypoint Gateway, as `istioctl waypoint generate` writes it. */
export function waypointDocument(spec: WaypointSpec): { [key: string]: YamlValue } {
  const listener: { [key: string]: YamlValue } = { name: 'mesh', port: HBONE_PORT, protocol: 'HBONE' };
  if (spec.allNamespaces) listener.allowedRoutes = { namespaces: { from: 'All' } };
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: spec.name, ...(spec.namespace ? { namespace: spec.namespace } : {}), labels: { [WAYPOINT_FOR]: spec.trafficType } },
    spec: { gatewayClassName: WAYPOINT_CLASS, listeners: [listener] },
  };
}

/**
 * New documents right after the place's document (before the next `---`, or at the end of the
 * file), in the file's style. Undefined when the document is not a top-level one (a `kind: List`
 * item), where a document cannot be inserted.
 */
export function insertDocumentsAfter(place: DocumentPlace, documents: { [key: string]: YamlValue }[]): Edit | undefined {
  const root = place.resource.doc.contents;
  const first = isMap(root) ? place.resource.startOf(root.items[0]?.key as never) : undefined;
  if (first === undefined || columnOf(place.text, first) !== 0) return undefined;
  const at = place.resource.end;
  const lead = at > 0 && place.text[at - 1] !== '\n' ? place.w.nl : '';
  const body = documents.map((d) => ['---', ...mapLines(d, 0, place.w)].map((l) => l + place.w.nl).join('')).join('');
  return { uri: place.uri, start: at, end: at, newText: lead + body };
}

/** `istio.io/use-waypoint: <name>` in the resource's metadata.labels (the map created when absent). */
export function useWaypointLabel(place: DocumentPlace, name: string): Edit | undefined {
  const root = place.resource.doc.contents;
  const metadata = isMap(root) ? root.get('metadata', true) : undefined;
  if (!isMap(metadata)) return undefined;
  const labels = metadata.get('labels', true);
  // An empty `labels:` is filled; a labels value that is not a map is left alone (setKey refuses it).
  return isMap(labels) ? setKey(place, labels, USE_WAYPOINT, name) : setKey(place, metadata, 'labels', { [USE_WAYPOINT]: name });
}

/**
 * The waypoint written after the resource's document and, with `label`, the resource's
 * `istio.io/use-waypoint` label naming it. Undefined when either cannot be written in this file's form.
 */
export function addWaypointEdits(place: DocumentPlace, spec: WaypointSpec, label: boolean): Edit[] | undefined {
  const document = insertDocumentsAfter(place, [waypointDocument(spec)]);
  const labelEdit = label ? useWaypointLabel(place, spec.name) : undefined;
  if (!document || (label && !labelEdit)) return undefined;
  return mergeEdits(labelEdit ? [labelEdit, document] : [document]);
}

/**
 * `selector` of a block map (a policy's spec) replaced by `targetRefs` with these items, at the
 * selector's place and column; the lines of the selector (its comments included) go, nothing else
 * changes. Undefined when the spec is not a block map or the selector is not written on lines of its own.
 */
export function replaceSelectorByTargetRefs(place: DocumentPlace, spec: YAMLMap, refs: YamlValue[]): Edit | undefined {
  const pair = spec.items.find((p) => isScalar(p.key) && p.key.value === 'selector');
  if (!pair || !isBlockMap(spec) || spec.has('targetRefs')) return undefined;
  const keyStart = place.resource.startOf(pair.key as never);
  const valueEnd = place.resource.endOf(isNode(pair.value) ? pair.value : null) ?? place.resource.endOf(pair.key as never);
  if (keyStart === undefined || valueEnd === undefined) return undefined;
  const from = lineStart(place.text, keyStart);
  if (!/^ *$/.test(place.text.slice(from, keyStart))) return undefined;
  const lines = mapLines({ targetRefs: refs }, keyStart - from, place.w);
  return { uri: place.uri, start: from, end: lineEndAfter(place.text, valueEnd), newText: lines.map((l) => l + place.w.nl).join('') };
}
