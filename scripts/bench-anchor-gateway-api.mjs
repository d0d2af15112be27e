// Gives the benchmark's anchor (yaml-language-server, set up by ../shared/bench/anchor) the Gateway
// API schemas, which the shared setup does not prepare (it has Istio's CRDs only), in its two
// configurations, from the same CRD bundle our schemas come from:
// - A (kubernetes + CRD store): crds/<group>/<kind>_<version>.json, laid out and converted like the
//   datreeio CRDs-catalog the store fetches from (the CRD's openAPIV3Schema, additionalProperties:
//   false on nested objects with properties), so the store's URLs for Gateway API kinds resolve;
// - B (by-kind schema): by-kind-gateway-api.json, choosing the kind's schema with if/then on `kind`
//   as the shared by-kind.json does, with the Gateway API kinds instead of Istio's (both have a
//   `Gateway`).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const GROUPS = ['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'];

/** The catalog's conversion: nested objects with properties reject other fields. */
function strict(node, top = true) {
  if (Array.isArray(node)) return node.map((n) => strict(n, false));
  if (!node || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strict(s, false)])) : strict(v, false)]));
  if (!top && out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

function writeCrdStore(bundle, crdsDir) {
  const kinds = {};
  for (const doc of parseAllDocuments(readFileSync(bundle, 'utf8'))) {
    const crd = doc.toJS({ maxAliasCount: -1 });
    if (crd?.kind !== 'CustomResourceDefinition' || !GROUPS.includes(crd.spec?.group)) continue;
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const schema = version.schema.openAPIV3Schema;
      // the catalog's files describe spec and status only
      const properties = Object.fromEntries(Object.entries(schema.properties).filter(([k]) => !['apiVersion', 'kind', 'metadata'].includes(k)));
      const file = join(crd.spec.group, `${crd.spec.names.kind.toLowerCase()}_${version.name}.json`);
      mkdirSync(join(crdsDir, crd.spec.group), { recursive: true });
      writeFileSync(join(crdsDir, file), JSON.stringify(strict({ ...schema, properties })));
      if (version.storage || !kinds[crd.spec.names.kind]) kinds[crd.spec.names.kind] = `crds/${file}`;
    }
  }
  return kinds;
}

/**
 * Writes the anchor's Gateway API schemas (once per bundle) and returns the settings file of
 * configuration B for the Gateway API workspace.
 */
export function prepareAnchorForGatewayApi({ anchorDir, bundle, cache, sharedSettings }) {
  const schemas = join(anchorDir, 'schemas');
  const marker = join(schemas, 'crds', 'gateway.networking.k8s.io', '.bundle');
  const byKind = join(schemas, 'by-kind-gateway-api.json');
  const stamp = `${bundle}\n${readFileSync(bundle).length}\n`;
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== stamp || !existsSync(byKind)) {
    const kinds = writeCrdStore(bundle, join(schemas, 'crds'));
    const defs = 'k8s/v1.12.2-standalone-strict/_definitions.json#/definitions';
    Object.assign(kinds, { Service: `${defs}/io.k8s.api.core.v1.Service`, Deployment: `${defs}/io.k8s.api.apps.v1.Deployment` });
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Kubernetes/Gateway API resource (schema chosen by kind)',
      type: 'object',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string', enum: Object.keys(kinds) } },
      allOf: Object.entries(kinds).map(([kind, ref]) => ({ if: { properties: { kind: { const: kind } }, required: ['kind'] }, then: { $ref: ref } })),
    };
    writeFileSync(byKind, JSON.stringify(schema, null, 1));
    writeFileSync(marker, stamp);
  }
  const settings = JSON.parse(readFileSync(sharedSettings, 'utf8'));
  settings.settings.yaml.schemas = { [byKind]: ['*.yaml', '*.yml'] };
  const out = join(cache, 'anchorB-gateway-api-settings.json');
  writeFileSync(out, JSON.stringify(settings, null, 2) + '\n');
  return out;
}
