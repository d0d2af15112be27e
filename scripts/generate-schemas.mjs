#!/usr/bin/env node
// Generates schemas/<istio-minor>/<group>/<kind>_<version>.json (one JSON Schema per
// group/version/kind) and schemas/<istio-minor>/index.json from Istio's CRD files, and
// schemas/<istio-minor>/annotations.json and labels.json from Istio's annotation and label
// registries (annotations.yaml, labels.yaml) when they sit next to the CRD file. The Gateway API
// bundle is generated once, into schemas/gateway-api/<bundle-version>/<group>/<kind>_<version>.json
// and its own index.json; each Istio index records which bundle version that Istio supports and
// which one the schemas come from.
//
//   node scripts/generate-schemas.mjs                       # 1.29, 1.30, 1.31 from ../shared/istio, Gateway API from ../shared/gateway-api
//   node scripts/generate-schemas.mjs --crds path/to/crd-all.gen.yaml --istio-version 1.30 [--gateway-api FILE] [--out schemas]
//
// The CRD schemas are tightened to what users need: apiVersion/kind/metadata are added,
// unknown fields are rejected (except under x-kubernetes-preserve-unknown-fields) and
// x-kubernetes-int-or-string becomes a plain integer|string type. Descriptions and
// x-kubernetes-validations (CEL) rules are kept.
import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];
const GATEWAY_API_GROUPS = ['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'];
const DOCS_BASE = 'https://istio.io/latest/docs/reference/config';
const GATEWAY_API_DOCS = 'https://gateway-api.sigs.k8s.io/reference';
/**
 * The Gateway API version each Istio release builds against: `sigs.k8s.io/gateway-api` in the
 * go.mod of Istio's release branches (release-1.29: v1.4.1, release-1.30: v1.5.1, release-1.31: v1.6.0).
 */
const GATEWAY_API_SUPPORTED = { 1.29: 'v1.4.1', '1.30': 'v1.5.1', 1.31: 'v1.6.0' };
const DOCS_PAGES = {
  VirtualService: 'networking/virtual-service',
  DestinationRule: 'networking/destination-rule',
  Gateway: 'networking/gateway',
  ServiceEntry: 'networking/service-entry',
  Sidecar: 'networking/sidecar',
  WorkloadEntry: 'networking/workload-entry',
  WorkloadGroup: 'networking/workload-group',
  EnvoyFilter: 'networking/envoy-filter',
  ProxyConfig: 'networking/proxy-config',
  AuthorizationPolicy: 'security/authorization-policy',
  PeerAuthentication: 'security/peer_authentication',
  RequestAuthentication: 'security/request_authentication',
  Telemetry: 'telemetry',
  WasmPlugin: 'proxy_extensions/wasm-plugin',
  TrafficExtension: 'proxy_extensions/traffic-extension',
};

const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
const QUALIFIED_NAME = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';

function metadataSchema() {
  const stringMap = (description, keyPattern, valueSchema) => ({
    description,
    type: 'object',
    propertyNames: { pattern: keyPattern, maxLength: 316 },
    additionalProperties: valueSchema,
  });
  return {
    description: "Standard Kubernetes object metadata: the resource's name, namespace, labels and annotations.",
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: {
        description: 'Name of the resource, unique within its namespace. A DNS-1123 subdomain: lowercase letters, digits, `-` and `.`, at most 253 characters.',
        type: 'string',
        maxLength: 253,
        pattern: DNS1123_SUBDOMAIN,
      },
      generateName: { description: 'Prefix the API server uses to generate a unique name when `name` is not set.', type: 'string' },
      namespace: {
        description: 'Namespace of the resource. A DNS-1123 label: lowercase letters, digits and `-`, at most 63 characters. Omitted: the namespace of the kubectl context (usually `default`).',
        type: 'string',
        maxLength: 63,
        pattern: DNS1123_LABEL,
      },
      labels: stringMap('Key/value pairs used to select and organise resources. Keys are qualified names (optional DNS prefix and `/`); values at most 63 characters.', QUALIFIED_NAME, {
        type: 'string',
        maxLength: 63,
        pattern: LABEL_VALUE,
      }),
      annotations: stringMap('Non-identifying metadata, for tools such as istioctl (`galley.istio.io/analyze-suppress`) or Kiali (`kiali.io/ignore-validations`).', QUALIFIED_NAME, { type: 'string' }),
      uid: { type: 'string', description: 'Set by the API server.' },
      resourceVersion: { type: 'string', description: 'Set by the API server.' },
      generation: { type: 'integer', description: 'Set by the API server.' },
      creationTimestamp: { type: ['string', 'null'], description: 'Set by the API server.' },
      deletionTimestamp: { type: 'string', format: 'date-time', description: 'Set by the API server.' },
      deletionGracePeriodSeconds: { type: 'integer', description: 'Set by the API server.' },
      finalizers: { type: 'array', items: { type: 'string' }, description: 'Keys that must be removed before the resource is deleted.' },
      ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, description: 'Objects this resource depends on.' },
      managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, description: 'Set by the API server (server-side apply).' },
    },
  };
}

/**
 * Tightens one CRD OpenAPI node (recursively) and returns the new node. Inside a oneOf / anyOf /
 * allOf / not branch nothing is closed: a branch constrains the object its parent declares (the
 * Gateway API's `addresses` items: `type: IPAddress` needs an IP `value`), it lists no fields.
 */
function tighten(node, inBranch = false) {
  if (Array.isArray(node)) return node.map((n) => tighten(n, inBranch));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tighten(v, inBranch)]));
    } else if (['items', 'additionalProperties'].includes(key) && value && typeof value === 'object') {
      out[key] = tighten(value, inBranch);
    } else if (key === 'not' && value && typeof value === 'object') {
      out[key] = tighten(value, true);
    } else if (['oneOf', 'anyOf', 'allOf'].includes(key)) {
      out[key] = value.map((v) => tighten(v, true));
    } else {
      out[key] = value;
    }
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.anyOf;
    out.type = ['integer', 'string'];
  }
  const isObject = out.type === 'object' || (out.properties && !out.type);
  if (!inBranch && isObject && out.properties && !out['x-kubernetes-preserve-unknown-fields'] && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function resourceSchema(crd, version, where) {
  const { group, names } = crd.spec;
  const apiVersion = `${group}/${version.name}`;
  const top = version.schema.openAPIV3Schema;
  const spec = tighten(top.properties.spec);
  const properties = {
    apiVersion: { description: `API version of this resource: \`${apiVersion}\`.`, type: 'string', enum: [apiVersion] },
    kind: { description: `Kind of this resource: \`${names.kind}\`.`, type: 'string', enum: [names.kind] },
    metadata: metadataSchema(),
    spec,
  };
  if (top.properties.status) properties.status = tighten(top.properties.status);
  const gatewayApi = where.gatewayApi !== undefined;
  const docs = gatewayApi ? gatewayApiDocs(group, names.kind) : DOCS_PAGES[names.kind] ? `${DOCS_BASE}/${DOCS_PAGES[names.kind]}/` : undefined;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `istio-authoring://schemas/${where.folder}/${group}/${names.kind.toLowerCase()}_${version.name}.json`,
    title: `${names.kind} (${apiVersion})`,
    description: (gatewayApi ? top.description : undefined) ?? spec.description ?? `Istio ${names.kind}.`,
    type: 'object',
    // The Gateway API CRDs require `spec` (so does the API server); the Istio schemas keep their historical shape.
    required: ['apiVersion', 'kind', 'metadata', ...(gatewayApi ? (top.required ?? []).filter((k) => !['apiVersion', 'kind', 'metadata'].includes(k)) : [])],
    additionalProperties: false,
    properties,
    ...(top['x-kubernetes-validations'] ? { 'x-kubernetes-validations': top['x-kubernetes-validations'] } : {}),
    'x-istio': {
      group,
      version: version.name,
      kind: names.kind,
      storage: version.storage === true,
      docs,
      ...(gatewayApi ? { gatewayApi: where.gatewayApi } : {}),
    },
  };
}

/** The Gateway API reference anchors each type by its lowercased name; the x-k8s.io group has a page of its own. */
function gatewayApiDocs(group, kind) {
  return `${GATEWAY_API_DOCS}/${group === 'gateway.networking.x-k8s.io' ? 'specx' : 'spec'}/#${kind.toLowerCase()}`;
}

function readCrds(file, groups) {
  const text = readFileSync(file, 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS({ maxAliasCount: -1 }))
    .filter((d) => d && d.kind === 'CustomResourceDefinition' && groups.includes(d.spec?.group));
}

/** The registry's own words for a deprecation's replacement: "deprecated in favor of the `x` label". */
function replacementOf(description) {
  const found = /in favou?r of (?:the )?`([^`]+)`(\s+label|\s+annotation)?/i.exec(description);
  return found ? { name: found[1], ...(found[2] ? { kind: found[2].trim().toLowerCase() } : {}) } : undefined;
}

/** Values the description enumerates: "Valid values are 'a', 'b'", "Possible values: `a`, `b`", "Accepted values:" + a list. */
function valuesOf(description) {
  const intro = /(?:supported|valid|possible|accepted) (?:values|options)(?: are|:)/i.exec(description);
  if (!intro) return undefined;
  const rest = description.slice(intro.index + intro[0].length);
  const listed = [...rest.matchAll(/^\s*[*-]\s+`([^`]+)`/gm)].map((m) => m[1]);
  if (listed.length > 0) return listed;
  const sentence = rest.split(/\.(?:\s|$)/)[0];
  const quoted = [...sentence.matchAll(/`([^`]+)`|'([^']+)'/g)].map((m) => m[1] ?? m[2]);
  return quoted.length > 0 ? quoted : undefined;
}

/** One registry entry, compact: what completion, hover and the annotation checks read. */
function metadataEntry(item) {
  const description = String(item.description ?? item.descriptions ?? '').trim();
  const entry = { name: item.name, description, featureStatus: item.featureStatus ?? null, hidden: item.hidden === true, deprecated: item.deprecated === true, resources: item.resources ?? [] };
  const replacement = entry.deprecated ? replacementOf(description) : undefined;
  if (replacement) entry.replacement = replacement;
  const values = valuesOf(description);
  if (values) entry.values = values;
  return entry;
}

/** Writes annotations.json and labels.json of one Istio version from the registries in registryDir (those present). */
function generateMetadata(registryDir, istioVersion, target) {
  for (const which of ['annotations', 'labels']) {
    const file = join(registryDir, `${which}.yaml`);
    if (!existsSync(file)) continue;
    const items = parse(readFileSync(file, 'utf8'))?.[which] ?? [];
    const out = { istioVersion, [which]: items.map(metadataEntry).sort((a, b) => a.name.localeCompare(b.name)) };
    writeFileSync(join(target, `${which}.json`), JSON.stringify(out, null, 1) + '\n');
  }
}

/** Index entry of a CRD and its served versions. */
function kindEntry(crd, docs) {
  const { group, names } = crd.spec;
  const served = crd.spec.versions.filter((v) => v.served);
  return {
    info: {
      group,
      plural: names.plural,
      shortNames: names.shortNames ?? [],
      scope: crd.spec.scope,
      versions: served.map((v) => v.name),
      storageVersion: served.find((v) => v.storage)?.name,
      docs,
    },
    served,
  };
}

/** Writes one schema per served version of each CRD into target and returns the index's kinds, sorted. */
function writeKinds(crds, target, where, docsOf) {
  const kinds = {};
  for (const crd of crds) {
    const { group, names } = crd.spec;
    const { info, served } = kindEntry(crd, docsOf(group, names.kind));
    kinds[names.kind] = info;
    for (const version of served) {
      const file = join(target, group, `${names.kind.toLowerCase()}_${version.name}.json`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(resourceSchema(crd, version, where), null, 1) + '\n');
    }
  }
  return Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Generates the schema set of one Istio version into outDir/<istioVersion>. With `gatewayApi`
 * (the bundle version generated by generateGatewayApi), its index records that the Gateway API
 * schemas come from that bundle, next to the version this Istio release supports.
 */
export function generate(crdFile, istioVersion, outDir, gatewayApi) {
  const target = join(outDir, istioVersion);
  rmSync(target, { recursive: true, force: true });
  const docsOf = (_group, kind) => (DOCS_PAGES[kind] ? `${DOCS_BASE}/${DOCS_PAGES[kind]}/` : undefined);
  const index = { istioVersion, kinds: writeKinds(readCrds(crdFile, ISTIO_GROUPS), target, { folder: istioVersion }, docsOf) };
  if (gatewayApi) index.gatewayApi = { supported: GATEWAY_API_SUPPORTED[istioVersion] ?? null, schemas: gatewayApi, folder: `gateway-api/${gatewayApi}` };
  writeFileSync(join(target, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  generateMetadata(dirname(crdFile), istioVersion, target);
  return index;
}

/**
 * Generates the Gateway API bundle's schemas into outDir/gateway-api/<bundle-version> (the
 * version its CRDs' `gateway.networking.k8s.io/bundle-version` annotation states) and returns
 * its index.
 */
export function generateGatewayApi(bundleFile, outDir) {
  const crds = readCrds(bundleFile, GATEWAY_API_GROUPS);
  const annotations = crds[0]?.metadata?.annotations ?? {};
  const bundleVersion = annotations['gateway.networking.k8s.io/bundle-version'];
  if (!bundleVersion) throw new Error(`${bundleFile}: no Gateway API CRD with a gateway.networking.k8s.io/bundle-version annotation`);
  const folder = `gateway-api/${bundleVersion}`;
  const target = join(outDir, folder);
  rmSync(target, { recursive: true, force: true });
  const channel = annotations['gateway.networking.k8s.io/channel'] ?? null;
  const index = { bundleVersion, channel, kinds: writeKinds(crds, target, { folder, gatewayApi: bundleVersion }, gatewayApiDocs) };
  writeFileSync(join(target, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  return index;
}

function parseArgs(argv) {
  const args = { out: join(root, 'schemas'), crds: undefined, istioVersion: undefined, gatewayApi: undefined, shared: process.env.ISTIO_SHARED ?? join(root, '..', 'shared') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--out') args.out = resolve(value);
    else if (flag === '--crds') args.crds = resolve(value);
    else if (flag === '--istio-version') args.istioVersion = value;
    else if (flag === '--shared') args.shared = resolve(value);
    else if (flag === '--gateway-api') args.gatewayApi = resolve(value);
    else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`generate-schemas: ${e.message}\nusage: generate-schemas [--crds FILE --istio-version V] [--gateway-api FILE] [--out DIR] [--shared DIR]`);
    process.exit(2);
  }
  const bundle = args.gatewayApi ?? join(args.shared, 'gateway-api', 'gateway-api-crd.yaml');
  const jobs = args.crds ? [[args.crds, args.istioVersion ?? 'custom']] : ['1.29', '1.30', '1.31'].map((v) => [join(args.shared, 'istio', v, 'crd-all.gen.yaml'), v]);
  for (const file of [bundle, ...jobs.map(([f]) => f)]) {
    if (!existsSync(file)) {
      console.error(`generate-schemas: CRD file not found: ${file}`);
      process.exit(2);
    }
  }
  const gateway = generateGatewayApi(bundle, args.out);
  console.log(`Gateway API ${gateway.bundleVersion}: ${summary(gateway)} -> ${join(args.out, 'gateway-api', gateway.bundleVersion)}`);
  for (const [file, version] of jobs) {
    const index = generate(file, version, args.out, gateway.bundleVersion);
    console.log(`${version}: ${summary(index)} -> ${join(args.out, version)}`);
  }
}

function summary(index) {
  const kinds = Object.values(index.kinds);
  return `${kinds.length} kinds, ${kinds.reduce((n, k) => n + k.versions.length, 0)} schemas`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
