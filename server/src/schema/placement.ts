// Where a known field written in the wrong map belongs, from the schemas of the maps around it:
// the nearest enclosing map whose schema has the field (a mis-indented `mirror:` under a
// destination belongs to the HTTP route), else a map just below (a `host:` written in a route
// item belongs in its `destination`).
import { isMap, isScalar, type YAMLMap } from 'yaml';
import { allProperties, type SchemaNode } from './compile';
import type { PathSegment } from './yamlPath';

export type { PathSegment };

/** A map being validated: its node, schema and path in the document. */
export interface MapFrame {
  map: YAMLMap;
  schema: SchemaNode;
  path: PathSegment[];
}

export interface Placement {
  /** The path of the map the field belongs to. */
  path: PathSegment[];
  /** What that map is, for a message: `the HTTP route (spec.http[0])`. */
  label: string;
  /** How many maps up (positive) or down (-1) it is from the map the field is written in. */
  levels: number;
}

/** What an item of these lists is called. */
const ITEM_NAMES: Record<string, string> = {
  http: 'HTTP route',
  tcp: 'TCP route',
  tls: 'TLS route',
  route: 'route destination',
  match: 'match',
  mirrors: 'mirror',
  servers: 'server',
  subsets: 'subset',
  portLevelSettings: 'port-level setting',
  ports: 'port',
  rules: 'rule',
  egress: 'egress listener',
  ingress: 'ingress listener',
  listeners: 'listener',
  endpoints: 'endpoint',
};

/** `frames` are the maps around the key, outermost first; the last is the one it is written in. */
export function placementOf(frames: readonly MapFrame[], key: string): Placement | undefined {
  const here = frames[frames.length - 1];
  if (!here) return undefined;
  for (let i = frames.length - 2; i >= 0; i--) {
    if (allProperties(frames[i].schema).has(key)) return { path: frames[i].path, label: labelOf(frames[i].path), levels: frames.length - 1 - i };
  }
  // Named properties only: a map of arbitrary keys (labels) would take any key.
  const properties = allProperties(here.schema);
  for (const pair of here.map.items) {
    if (!isScalar(pair.key) || !isMap(pair.value)) continue;
    const name = String(pair.key.value);
    const child = properties.get(name);
    if (child && allProperties(child).has(key)) {
      const path = [...here.path, name];
      return { path, label: labelOf(path), levels: -1 };
    }
  }
  return undefined;
}

const LEVELS = ['', 'one level up', 'two levels up', 'three levels up', 'four levels up'];

/** "`mirror` is a field of the HTTP route (spec.http[0]), two levels up." */
export function misplacedKeyHint(key: string, home: Placement): string {
  const where = home.levels < 0 ? 'just below' : (LEVELS[home.levels] ?? `${home.levels} levels up`);
  return `\`${key}\` is a field of ${home.label}, ${where}.`;
}

/** `spec.http[0].route` */
export function pathText(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function labelOf(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the resource (top level)';
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === 'number' && typeof parent === 'string') return `the ${ITEM_NAMES[parent] ?? `${parent} item`} (${pathText(path)})`;
  return `\`${pathText(path)}\``;
}
