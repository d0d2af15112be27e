// The edits of the ambient checks' quick fixes: create the waypoint a use-waypoint label names
// (KIA1313 and its hint), and bind an L7 AuthorizationPolicy left to ztunnel (KIA0110) or a
// RequestAuthentication nothing enforces (KIA1115) to its Services or their waypoint with
// targetRefs. features/quickFixes.ts dispatches here on the diagnostic's data (a feature imports
// the toolkit, not another feature).
import { isMap } from 'yaml';
import type { Problem } from '../base/problems';
import type { IndexedResource, WorkspaceIndex } from '../workspace/index';
import type { Edit } from './textEdits';
import { addWaypointEdits, replaceSelectorByTargetRefs } from './waypoints';
import { writerFor, type DocumentPlace, type YamlValue } from './yamlEdit';

/** The file the problem is in: the workspace, its uri and current text. */
export interface FixFile {
  index: WorkspaceIndex;
  uri: string;
  text: string;
}

export interface AmbientFix {
  title: string;
  isPreferred?: boolean;
  edits: Edit[];
}

type WaypointData = Extract<Problem['data'], { type: 'waypoint' }>;
type TargetsData = Extract<Problem['data'], { type: 'policy-targets' }>;

function placeOf(t: FixFile, entry: IndexedResource): DocumentPlace {
  return { uri: t.uri, text: t.text, resource: entry.resource, w: writerFor(t.text, entry.resource.text) };
}

const unquote = (text: string) => (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0]) ? text.slice(1, -1) : text);

/** KIA1313: the missing waypoint, written right after the resource whose label names it. */
export function createWaypointFix(t: FixFile, p: Problem, data: WaypointData): AmbientFix[] {
  const entry = t.index.entryAt(t.uri, p.start);
  // A stale diagnostic (the label edited since) gets no fix.
  if (!entry || unquote(t.text.slice(p.start, p.end)) !== data.name) return [];
  const holderNamespace = entry.info.kind === 'Namespace' ? entry.name : entry.namespace;
  const written = entry.info.kind === 'Namespace' || entry.info.namespace !== undefined || data.namespace !== holderNamespace;
  const edits = addWaypointEdits(placeOf(t, entry), { name: data.name, namespace: written ? data.namespace : undefined, trafficType: data.trafficType, allNamespaces: data.allNamespaces }, false);
  return edits ? [{ title: `Create waypoint ${data.name} in namespace ${data.namespace}`, isPreferred: true, edits }] : [];
}

/** KIA0110, KIA1115: `selector` replaced by targetRefs to the selected workloads' Services, or to their waypoint. */
export function bindToWaypointFixes(t: FixFile, p: Problem, data: TargetsData): AmbientFix[] {
  const entry = t.index.entryAt(t.uri, p.start);
  const spec = entry?.resource.doc.get('spec', true);
  if (!entry || !isMap(spec) || t.text.slice(p.start, p.end) !== 'selector') return [];
  const place = placeOf(t, entry);
  const fixes: AmbientFix[] = [];
  const refs = (kind: string, group: string, names: string[]): YamlValue[] => names.map((name) => ({ kind, group, name }));
  if (data.services.length > 0) {
    const names = data.services.map((s) => s.name);
    const edit = replaceSelectorByTargetRefs(place, spec, refs('Service', '', names));
    if (edit) fixes.push({ title: `Bind to ${names.length > 1 ? 'Services' : 'Service'} ${names.join(', ')} with targetRefs (applied by their waypoint)`, isPreferred: true, edits: [edit] });
  }
  if (data.waypoint) {
    const edit = replaceSelectorByTargetRefs(place, spec, refs('Gateway', 'gateway.networking.k8s.io', [data.waypoint]));
    if (edit) fixes.push({ title: `Bind to waypoint ${data.waypoint} with targetRefs (all its traffic)`, edits: [edit] });
  }
  return fixes;
}
