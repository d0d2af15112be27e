// Protocol input checked at the edge: custom request params and the `Diagnostic.data` a client
// sends back. A client bug, an old client or a hand-written request gets InvalidParams (or its
// stale data ignored), never an exception inside a feature.
import type { ProblemData } from '../base/problems';

/** Why a value does not have the shape, or undefined when it does. */
export type Shape = (value: unknown, path: string) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const str: Shape = (v, p) => (typeof v === 'string' ? undefined : `${p} must be a string`);
export const bool: Shape = (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be a boolean`);
export const num: Shape = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `${p} must be a finite number`);
export const count: Shape = (v, p) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? undefined : `${p} must be a non-negative integer`);

export const optional =
  (shape: Shape): Shape =>
  (v, p) =>
    v === undefined || v === null ? undefined : shape(v, p);

export const object =
  (fields: Record<string, Shape>): Shape =>
  (v, p) => {
    if (!isObject(v)) return `${p} must be an object`;
    for (const [key, shape] of Object.entries(fields)) {
      const why = shape(v[key], `${p}.${key}`);
      if (why) return why;
    }
    return undefined;
  };

export const record =
  (shape: Shape): Shape =>
  (v, p) => {
    if (!isObject(v)) return `${p} must be an object`;
    for (const [key, value] of Object.entries(v)) {
      const why = shape(value, `${p}.${key}`);
      if (why) return why;
    }
    return undefined;
  };

export const list =
  (shape: Shape): Shape =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p} must be an array`;
    for (let i = 0; i < v.length; i++) {
      const why = shape(v[i], `${p}[${i}]`);
      if (why) return why;
    }
    return undefined;
  };

const oneOf =
  (...values: string[]): Shape =>
  (v, p) =>
    typeof v === 'string' && values.includes(v) ? undefined : `${p} must be one of ${values.join(', ')}`;

export const position = object({ line: count, character: count });
export const range = object({ start: position, end: position });
const textDocument = object({ uri: str });

export const positionParams = object({ textDocument, position });
export const documentParams = object({ textDocument });
export const referenceParams = object({ textDocument, position, context: optional(object({ includeDeclaration: optional(bool) })) });
export const renameParams = object({ textDocument, position, newName: str });
export const workspaceSymbolParams = object({ query: str });
export const watchedFilesParams = object({ changes: list(object({ uri: str })) });

const simulatedRequest = object({
  authority: str,
  method: optional(str),
  path: str,
  headers: optional(record(str)),
  scheme: optional(str),
  port: optional(count),
  gateway: optional(str),
  sourceLabels: optional(record(str)),
  sourceNamespace: optional(str),
});

export const trafficModelParams = object({ uri: str, position });
export const simulateParams = object({ uri: str, position, request: simulatedRequest });
export const setWeightParams = object({ uri: str, position, weight: num });
export const refactorParams = object({ uri: str, position, id: str, answers: record(str) });
export const codeActionParams = object({ textDocument, range, context: object({ diagnostics: list(object({ range, message: str })), only: optional(list(str)), triggerKind: optional(num) }) });
const resolveData = object({ uri: str, position, id: str });
export const codeActionResolveParams = object({ title: str, data: optional(resolveData) });

const strings = list(str);
const segment: Shape = (v, p) => (typeof v === 'string' || count(v, p) === undefined ? undefined : `${p} must be a key or an index`);
const PROBLEM_DATA: Record<ProblemData['type'], Shape> = {
  'unknown-field': object({ field: str, suggestion: optional(str), allowed: strings, home: optional(object({ path: list(segment), label: str })) }),
  enum: object({ value: str, allowed: strings, suggestion: optional(str) }),
  type: object({ expected: strings, unquoted: optional(str) }),
  required: object({ field: str }),
  exclusive: object({ fields: strings }),
  cel: object({ rule: str }),
  constraint: object({}),
  kind: object({ kinds: strings, suggestion: optional(str) }),
  'api-version': object({ versions: strings, preferred: optional(str) }),
  'subset-not-found': object({ host: str, subset: str, defined: strings, suggestion: optional(str), ruleUri: optional(str), ruleName: optional(str), ruleNamespace: optional(str) }),
  reference: object({ target: oneOf('gateway', 'host', 'port', 'destination-rule'), name: str }),
  'gateway-api-ref': object({ target: oneOf('gateway', 'listener', 'service', 'serviceEntry'), name: str, suggestion: optional(str), candidates: strings }),
  weights: object({ routeKind: str, routeIndex: count }),
  duplicate: object({ what: str, names: optional(strings) }),
  'backend-port': object({ port: count, ports: list(count) }),
  'reference-grant': object({ from: object({ group: str, kind: str, namespace: str }), to: object({ group: str, kind: str, namespace: str, name: str }) }),
  waypoint: object({ name: str, namespace: str, trafficType: str, allNamespaces: bool }),
  'policy-targets': object({ services: list(object({ kind: str, name: str })), waypoint: optional(str) }),
  semantic: object({}),
  internal: object({ where: str }),
};

/** The data of a diagnostic we published, or undefined when it is not what we sent (stale, foreign, tampered). */
export function problemData(data: unknown): ProblemData | undefined {
  if (!isObject(data) || typeof data.type !== 'string' || !Object.hasOwn(PROBLEM_DATA, data.type)) return undefined;
  return PROBLEM_DATA[data.type as ProblemData['type']](data, 'data') === undefined ? (data as unknown as ProblemData) : undefined;
}
