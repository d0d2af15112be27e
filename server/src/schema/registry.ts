// Finds and compiles the schema of a (Istio version, group, version, kind), lazily and once.
// An Istio version's kinds are Istio's own (schemas/<minor>/) and the Gateway API's
// (schemas/gateway-api/<bundle>/, shared by every Istio version that uses the bundle). Kinds are
// looked up by group and kind: `Gateway` is both networking.istio.io's and gateway.networking.k8s.io's.
import { RuleCompiler } from './cel';
import { compileSchema, type SchemaNode } from './compile';
import { markAnalyzerDeprecations } from './deprecations';
import { IstioMetadata } from './istioMetadata';
import type { GatewayApiIndex, JsonSchema, KindEntry, SchemaIndex } from './types';

/** Reads a file of the schemas/ folder (path relative to it); undefined when missing. */
export interface SchemaSource {
  read(relativePath: string): string | undefined;
}

export interface KindSchema {
  istioVersion: string;
  group: string;
  version: string;
  kind: string;
  root: SchemaNode;
  docs?: string;
  /** Set for a Gateway API kind: the bundle version its schema comes from. */
  gatewayApi?: string;
}

/** The kinds of one Istio version, by `group/kind` and by group. */
interface KindTable {
  byKey: Map<string, KindEntry>;
  byGroup: Map<string, KindEntry[]>;
  all: KindEntry[];
}

const key = (group: string, kind: string) => `${group}/${kind}`;

export class SchemaRegistry {
  private readonly indexes = new Map<string, SchemaIndex | undefined>();
  private readonly gatewayIndexes = new Map<string, GatewayApiIndex | undefined>();
  private readonly tables = new Map<string, KindTable>();
  /** Compiled schemas by file: the Gateway API's are compiled once for every Istio version. */
  private readonly compiled = new Map<string, SchemaNode | undefined>();
  private readonly rules = new RuleCompiler();
  private readonly metadataByVersion = new Map<string, IstioMetadata | undefined>();

  constructor(private readonly source: SchemaSource) {}

  /** The Istio version's own index (its Istio kinds, and which Gateway API bundle it uses). */
  index(istioVersion: string): SchemaIndex | undefined {
    if (!this.indexes.has(istioVersion)) this.indexes.set(istioVersion, this.readJson<SchemaIndex>(`${istioVersion}/index.json`));
    return this.indexes.get(istioVersion);
  }

  /** The index of the Gateway API bundle an Istio version uses (undefined when none was generated). */
  gatewayApiIndex(istioVersion: string): GatewayApiIndex | undefined {
    const folder = this.index(istioVersion)?.gatewayApi?.folder;
    if (!folder) return undefined;
    if (!this.gatewayIndexes.has(folder)) this.gatewayIndexes.set(folder, this.readJson<GatewayApiIndex>(`${folder}/index.json`));
    return this.gatewayIndexes.get(folder);
  }

  /** Every kind of an Istio version: Istio's, then the Gateway API's. */
  kinds(istioVersion: string): KindEntry[] {
    return this.table(istioVersion).all;
  }

  /** A kind by its API group and name. */
  kind(istioVersion: string, group: string, kind: string): KindEntry | undefined {
    return this.table(istioVersion).byKey.get(key(group, kind));
  }

  /** Kinds of an API group in an Istio version (empty when the group is unknown). */
  kindsOfGroup(istioVersion: string, group: string): string[] {
    return (this.table(istioVersion).byGroup.get(group) ?? []).map((k) => k.kind);
  }

  /** The API groups of an Istio version, sorted. */
  groups(istioVersion: string): string[] {
    return [...this.table(istioVersion).byGroup.keys()].sort();
  }

  /** Istio's annotation and label registries of a version (undefined when not generated). */
  metadata(istioVersion: string): IstioMetadata | undefined {
    if (!this.metadataByVersion.has(istioVersion)) {
      const read = (which: string) => this.source.read(`${istioVersion}/${which}.json`);
      this.metadataByVersion.set(istioVersion, IstioMetadata.fromFiles(istioVersion, read('annotations'), read('labels')));
    }
    return this.metadataByVersion.get(istioVersion);
  }

  schemaFor(istioVersion: string, group: string, version: string, kind: string): KindSchema | undefined {
    const info = this.kind(istioVersion, group, kind);
    if (!info || !info.versions.includes(version)) return undefined;
    const file = `${info.folder}/${group}/${kind.toLowerCase()}_${version}.json`;
    if (!this.compiled.has(file)) this.compiled.set(file, this.load(file, info.gatewayApi ? undefined : kind));
    const root = this.compiled.get(file);
    if (!root) return undefined;
    const gatewayApi = info.gatewayApi ? this.index(istioVersion)?.gatewayApi?.schemas : undefined;
    return { istioVersion, group, version, kind, root, docs: info.docs, ...(gatewayApi ? { gatewayApi } : {}) };
  }

  /** Compiles a schema file; `istioKind` marks the deprecations istioctl reports on an Istio kind. */
  private load(file: string, istioKind: string | undefined): SchemaNode | undefined {
    const schema = this.readJson<JsonSchema>(file);
    if (!schema) return undefined;
    const root = compileSchema(schema, this.rules);
    return istioKind ? markAnalyzerDeprecations(istioKind, root) : root;
  }

  private readJson<T>(relativePath: string): T | undefined {
    const text = this.source.read(relativePath);
    return text ? (JSON.parse(text) as T) : undefined;
  }

  private table(istioVersion: string): KindTable {
    let table = this.tables.get(istioVersion);
    if (!table) {
      table = { byKey: new Map(), byGroup: new Map(), all: [] };
      const add = (kinds: Record<string, KindEntry | Omit<KindEntry, 'kind' | 'folder' | 'gatewayApi'>> | undefined, folder: string, gatewayApi: boolean) => {
        for (const [kind, info] of Object.entries(kinds ?? {})) {
          const entry: KindEntry = { ...info, kind, folder, gatewayApi };
          table!.byKey.set(key(info.group, kind), entry);
          table!.byGroup.set(info.group, [...(table!.byGroup.get(info.group) ?? []), entry]);
          table!.all.push(entry);
        }
      };
      add(this.index(istioVersion)?.kinds, istioVersion, false);
      const folder = this.index(istioVersion)?.gatewayApi?.folder;
      if (folder) add(this.gatewayApiIndex(istioVersion)?.kinds, folder, true);
      this.tables.set(istioVersion, table);
    }
    return table;
  }
}
