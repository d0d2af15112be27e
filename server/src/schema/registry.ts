// Finds and compiles the schema of a (Istio version, group, version, kind), lazily and once.
import { RuleCompiler } from './cel';
import { compileSchema, type SchemaNode } from './compile';
import { markAnalyzerDeprecations } from './deprecations';
import { IstioMetadata } from './istioMetadata';
import type { JsonSchema, SchemaIndex } from './types';

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
}

export class SchemaRegistry {
  private readonly indexes = new Map<string, SchemaIndex | undefined>();
  private readonly kinds = new Map<string, KindSchema | undefined>();
  private readonly rules = new RuleCompiler();
  private readonly groupKinds = new Map<string, Map<string, string[]>>();
  private readonly metadataByVersion = new Map<string, IstioMetadata | undefined>();

  constructor(private readonly source: SchemaSource) {}

  index(istioVersion: string): SchemaIndex | undefined {
    if (!this.indexes.has(istioVersion)) {
      const text = this.source.read(`${istioVersion}/index.json`);
      this.indexes.set(istioVersion, text ? (JSON.parse(text) as SchemaIndex) : undefined);
    }
    return this.indexes.get(istioVersion);
  }

  /** Kinds of an API group in an Istio version (empty when the group is unknown). */
  kindsOfGroup(istioVersion: string, group: string): string[] {
    let byGroup = this.groupKinds.get(istioVersion);
    if (!byGroup) {
      byGroup = new Map();
      for (const [kind, info] of Object.entries(this.index(istioVersion)?.kinds ?? {})) byGroup.set(info.group, [...(byGroup.get(info.group) ?? []), kind]);
      this.groupKinds.set(istioVersion, byGroup);
    }
    return byGroup.get(group) ?? [];
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
    const key = `${istioVersion}/${group}/${version}/${kind}`;
    if (!this.kinds.has(key)) this.kinds.set(key, this.load(istioVersion, group, version, kind));
    return this.kinds.get(key);
  }

  private load(istioVersion: string, group: string, version: string, kind: string): KindSchema | undefined {
    const info = this.index(istioVersion)?.kinds[kind];
    if (!info || info.group !== group || !info.versions.includes(version)) return undefined;
    const text = this.source.read(`${istioVersion}/${group}/${kind.toLowerCase()}_${version}.json`);
    if (!text) return undefined;
    const schema = JSON.parse(text) as JsonSchema;
    return { istioVersion, group, version, kind, root: markAnalyzerDeprecations(kind, compileSchema(schema, this.rules)), docs: info.docs };
  }
}
