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

export function nativeRule(rule: string): CelProgram | undefined {
  const exact = EXACT[rule];
  if (exact) return exact;
  if (AT_MOST_ONE.test(rule)) {
    const fields = [...rule.matchAll(/has\(self\.(\w+)\)/g)].map((m) => m[1]);
    return (self) => (isObject(self) ? fields.filter((f) => f in self).length <= 1 : undefined);
  }
  return undefined;
}
