// Native implementations of the CEL rules the Istio CRDs repeat most, keyed by their exact text.
// They give the same answers as the CEL evaluator (a test compares both on many values) without
// interpreting CEL for the common case; any other rule goes to the evaluator.

/**
 * true: the rule holds; false: it fails, or evaluating it on this value is an error (the API
 * server rejects a value its rule cannot evaluate); 'missing-field': it fails because it reads a
 * field the value does not have (a violation, unless the schema reports that field missing);
 * undefined: the rule does not apply to a value of this type (the schema's type check reports it)
 * or cannot be evaluated here at all.
 */
export type CelProgram = (self: unknown) => boolean | 'missing-field' | undefined;

const UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
const DURATION = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:h|ms|m|s|us|µs|ns))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/g;

/** Milliseconds of a CEL/Go duration string, or undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  if (text === '0') return 0;
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, value, unit] of text.matchAll(PART)) total += Number(value) * UNITS[unit];
  return text.startsWith('-') ? -total : total;
}

/** What the Gateway API CRDs accept as a duration (GEP-2257): up to four parts of a number and h, m, s or ms. */
const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/** A Gateway API duration in milliseconds, or undefined when the CRDs would refuse it. */
export function gatewayDurationMs(text: string): number | undefined {
  return GATEWAY_DURATION.test(text) ? durationMs(text) : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const EXACT: Record<string, CelProgram> = {
  "duration(self) >= duration('1ms')": (self) => {
    if (typeof self !== 'string') return undefined;
    // Not a duration (`30sec`): CEL's duration() fails on it, which the API server reports as a violation.
    const ms = durationMs(self);
    return ms !== undefined && ms >= 1;
  },
  '!self.contains("*")': (self) => (typeof self === 'string' ? !self.includes('*') : undefined),
  'self != "*"': (self) => (typeof self === 'string' ? self !== '*' : undefined),
  // Integers reach rules as CEL ints (bigint), other numbers as doubles.
  '0 < self && self <= 65535': (self) => (typeof self === 'number' || typeof self === 'bigint' ? self > 0 && self <= 65535 : undefined),
  'self.all(key, !key.contains("*"))': (self) => (isObject(self) ? Object.keys(self).every((k) => !k.includes('*')) : undefined),
  'self.all(key, key.size() != 0)': (self) => (isObject(self) ? Object.keys(self).every((k) => k.length !== 0) : undefined),
};

/** `(has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) + ... <= 1`: at most one of the fields. */
const AT_MOST_ONE = /^\(has\(self\.(\w+)\) \? 1 : 0\)(?: \+ \(has\(self\.\w+\) \? 1 : 0\))+ <= 1$/;

// The Gateway API's path and gRPC method rules: run on every match of every route.
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

Object.assign(EXACT, {
  [`(self.type in ['Exact','PathPrefix']) ? self.value.matches(r"""^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$""") : true`]: (self: unknown) => {
    if (!isObject(self)) return undefined;
    if (!('type' in self)) return 'missing-field';
    // CEL's `in` compares across types: a non-string type is in neither.
    if (self.type !== 'Exact' && self.type !== 'PathPrefix') return true;
    if (!('value' in self)) return 'missing-field';
    return typeof self.value === 'string' ? PATH_CHARS.test(self.value) : undefined;
  },
  [`(!has(self.type) || self.type == 'Exact') && has(self.method) ? self.method.matches(r"""^[A-Za-z_][A-Za-z_0-9]*$"""): true`]: (self: unknown) => {
    if (!isObject(self)) return undefined;
    if (!((!('type' in self) || self.type === 'Exact') && 'method' in self)) return true;
    return typeof self.method === 'string' ? GRPC_METHOD.test(self.method) : undefined;
  },
} satisfies Record<string, CelProgram>);

/**
 * The Gateway API's cap on a route's matches, written out per rule index:
 * `(self.size() > 0 ? self[0].matches.size() : 0) + ... <= 128` (HTTPRoute), or with
 * `has(self[i].matches) ? ... : 0` guards (GRPCRoute, whose matches are optional).
 */
function matchCountRule(rule: string): CelProgram | undefined {
  const limitText = / <= (\d+)$/.exec(rule)?.[1];
  const sizes = [...rule.matchAll(/self\.size\(\) > (\d+) \?/g)];
  if (!rule.startsWith('(self.size() > 0 ? ') || limitText === undefined || sizes.length === 0) return undefined;
  const last = Number(sizes[sizes.length - 1][1]);
  const limit = Number(limitText);
  const indices = Array.from({ length: last + 1 }, (_, i) => i);
  const plain = indices.map((i) => `(self.size() > ${i} ? self[${i}].matches.size() : 0)`).join(' + ') + ` <= ${limit}`;
  const guarded = indices.map((i) => `(self.size() > ${i} ? (has(self[${i}].matches) ? self[${i}].matches.size() : 0) : 0)`).join(' + ') + ` <= ${limit}`;
  if (rule !== plain && rule !== guarded) return undefined;
  const optional = rule === guarded;
  return (self) => {
    if (!Array.isArray(self)) return undefined;
    let total = 0;
    for (const item of self.slice(0, last + 1)) {
      // has() on a non-map is an overload error; reading a field of one, a missing field.
      if (!isObject(item)) return optional ? undefined : 'missing-field';
      if (!('matches' in item)) {
        if (optional) continue;
        return 'missing-field';
      }
      const size = celSize(item.matches);
      if (size === undefined) return undefined;
      total += size;
    }
    return total <= limit;
  };
}

/** CEL's size(): of a list, a map, a string (in code points); undefined for other types. */
function celSize(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'string') return [...value].length;
  return isObject(value) ? Object.keys(value).length : undefined;
}

export function nativeRule(rule: string): CelProgram | undefined {
  const exact = EXACT[rule];
  if (exact) return exact;
  const matchCount = matchCountRule(rule);
  if (matchCount) return matchCount;
  if (AT_MOST_ONE.test(rule)) {
    const fields = [...rule.matchAll(/has\(self\.(\w+)\)/g)].map((m) => m[1]);
    return (self) => (isObject(self) ? fields.filter((f) => f in self).length <= 1 : undefined);
  }
  return undefined;
}
