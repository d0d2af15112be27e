// The edits that give a Namespace, Service or workload an ambient waypoint: the waypoint Gateway
// (class istio-waypoint, the HBONE listener on 15008, `istio.io/waypoint-for`) written as a new
// document right after the resource's own, and the `istio.io/use-waypoint` label on the resource.
// The "add a waypoint" refactoring and the KIA1313 quick fix share them.
import { isMap } from 'yaml';
import { HBONE_PORT, USE_WAYPOINT, WAYPOINT_CLASS, WAYPOINT_FOR } from '../workspace/waypoints';
import { columnOf, type Edit } from './textEdits';
import { mapLines, setKey, type DocumentPlace, type YamlValue } from './yamlEdit';

export interface WaypointSpec {
  name: string;
  namespace: string;
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
    metadata: { name: spec.name, namespace: spec.namespace, labels: { [WAYPOINT_FOR]: spec.trafficType } },
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
