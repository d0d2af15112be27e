#!/usr/bin/env node
// Generates schemas/<istio-minor>/<group>/<kind>_<version>.json (one JSON Schema per
// group/version/kind) and schemas/<istio-minor>/index.json from Istio's CRD files, and
// schemas/<istio-minor>/annotations.json and labels.json from Istio's annotation and label
// registries (annotations.yaml, labels.yaml) when they sit next to the CRD file.
//
//   node scripts/generate-schemas.mjs                       # 1.29, 1.30, 1.31 from ../shared/istio
//   node scripts/generate-schemas.mjs --crds path/to/crd-all.gen.yaml --istio-version 1.30 [--out schemas]
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
const DOCS_BASE = 'https://istio.io/latest/docs/reference/config';
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

/** Tightens one CRD OpenAPI node (recursively) and returns the new node. */
function tighten(node) {
  if (Array.isArray(node)) return node.map(tighten);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tighten(v)]));
    } else if (['items', 'additionalProperties', 'not'].includes(key) && value && typeof value === 'object') {
      out[key] = tighten(value);
    } else if (['oneOf', 'anyOf', 'allOf'].includes(key)) {
      out[key] = value.map(tighten);
    } else {
      out[key] = value;
    }
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.anyOf;
    out.type = ['integer', 'string'];
  }
  const isObject = out.type === 'object' || (out.properties && !out.type);
  if (isObject && out.properties && !out['x-kubernetes-preserve-unknown-fields'] && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function resourceSchema(crd, version, istioVersion) {
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
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `istio-authoring://schemas/${istioVersion}/${group}/${names.kind.toLowerCase()}_${version.name}.json`,
    title: `${names.kind} (${apiVersion})`,
    description: spec.description ?? `Istio ${names.kind}.`,
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    additionalProperties: false,
    properties,
    'x-istio': {
      group,
      version: version.name,
      kind: names.kind,
      storage: version.storage === true,
      docs: DOCS_PAGES[names.kind] ? `${DOCS_BASE}/${DOCS_PAGES[names.kind]}/` : undefined,
    },
  };
}

function readCrds(file) {
  const text = readFileSync(file, 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS({ maxAliasCount: -1 }))
    .filter((d) => d && d.kind === 'CustomResourceDefinition' && ISTIO_GROUPS.includes(d.spec?.group));
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

/** Generates the schema set of one Istio version into outDir/<istioVersion>. */
export function generate(crdFile, istioVersion, outDir) {
  const target = join(outDir, istioVersion);
  rmSync(target, { recursive: true, force: true });
  const index = { istioVersion, kinds: {} };
  for (const crd of readCrds(crdFile)) {
    const { group, names } = crd.spec;
    const served = crd.spec.versions.filter((v) => v.served);
    index.kinds[names.kind] = {
      group,
      plural: names.plural,
      shortNames: names.shortNames ?? [],
      scope: crd.spec.scope,
      versions: served.map((v) => v.name),
      storageVersion: served.find((v) => v.storage)?.name,
      docs: DOCS_PAGES[names.kind] ? `${DOCS_BASE}/${DOCS_PAGES[names.kind]}/` : undefined,
    };
    for (const version of served) {
      const file = join(target, group, `${names.kind.toLowerCase()}_${version.name}.json`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(resourceSchema(crd, version, istioVersion), null, 1) + '\n');
    }
  }
  index.kinds = Object.fromEntries(Object.entries(index.kinds).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(join(target, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  generateMetadata(dirname(crdFile), istioVersion, target);
  return index;
}

function parseArgs(argv) {
  const args = { out: join(root, 'schemas'), crds: undefined, istioVersion: undefined, shared: process.env.ISTIO_SHARED ?? join(root, '..', 'shared') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--out') args.out = resolve(value);
    else if (flag === '--crds') args.crds = resolve(value);
    else if (flag === '--istio-version') args.istioVersion = value;
    else if (flag === '--shared') args.shared = resolve(value);
    else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`generate-schemas: ${e.message}\nusage: generate-schemas [--crds FILE --istio-version V] [--out DIR] [--shared DIR]`);
    process.exit(2);
  }
  const jobs = args.crds ? [[args.crds, args.istioVersion ?? 'custom']] : ['1.29', '1.30', '1.31'].map((v) => [join(args.shared, 'istio', v, 'crd-all.gen.yaml'), v]);
  for (const [file, version] of jobs) {
    if (!existsSync(file)) {
      console.error(`generate-schemas: CRD file not found: ${file}`);
      process.exit(2);
    }
    const index = generate(file, version, args.out);
    const kinds = Object.values(index.kinds);
    console.log(`${version}: ${kinds.length} kinds, ${kinds.reduce((n, k) => n + k.versions.length, 0)} schemas -> ${join(args.out, version)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
