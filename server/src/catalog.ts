// Every diagnostic code the extension reports: severity, message template and documentation.
// Code actions and tests dispatch on these codes, never on message text.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface CatalogEntry {
  code: string;
  severity: Severity;
  title: string;
  /** What it means and how to fix it (rendered in docs/diagnostics.md and hovers). */
  doc: string;
}

export const SOURCE = 'istio';

const entries = {
  yamlSyntax: {
    code: 'yaml-syntax',
    severity: 'error',
    title: 'YAML syntax error',
    doc: 'The document is not valid YAML; kubectl would refuse it. The message says where the parser stopped.',
  },
  schema: {
    code: 'IST0106',
    severity: 'error',
    title: 'Schema validation error',
    doc: "The resource breaks the schema of its kind (unknown field, wrong type, value outside the allowed set, a CRD CEL rule). Same code as `istioctl analyze`'s SchemaValidationError.",
  },
  unknownKind: {
    code: 'istio-unknown-kind',
    severity: 'error',
    title: 'Unknown Istio kind',
    doc: 'The kind does not exist in this API group for the selected Istio version (`istio.version`). The message lists the kinds that do.',
  },
  unsupportedApiVersion: {
    code: 'istio-unsupported-api-version',
    severity: 'error',
    title: 'API version not served',
    doc: 'The selected Istio version does not serve this apiVersion for the kind. The message lists the versions it serves.',
  },
  olderApiVersion: {
    code: 'istio-older-api-version',
    severity: 'information',
    title: 'Older API version',
    doc: 'The kind is served as `v1`; older versions (v1alpha3, v1beta1) still work but `v1` is the stable API.',
  },
  analysisLimit: {
    code: 'istio-analysis-limit',
    severity: 'warning',
    title: 'Document too large to analyse fully',
    doc: 'The document expands to more nodes than the checker analyses (usually through YAML aliases); the rest was skipped.',
  },
} as const satisfies Record<string, CatalogEntry>;

export const CATALOG: Record<keyof typeof entries, CatalogEntry> = entries;
export type CatalogKey = keyof typeof entries;
