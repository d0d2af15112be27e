// Validates one YAML document against its compiled schema, walking the YAML nodes directly so
// every problem lands on the exact range: the unknown key, the wrong value, the parent of a
// missing field. Messages say what is wrong and what would be right.
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { closest, problem, shown, type Problem } from '../base/problems';
import { resolvePlain } from '../model/yamlNodes';
import { allProperties, propertySchema, type SchemaNode } from './compile';
import { checkFormat, checkScalarBounds } from './constraints';
import { durationMs } from './nativeRules';
import { celValueOf, type CelValueCache } from './celValue';
import type { CelRuleSpec } from './types';
import { misplacedKeyHint, placementOf, type MapFrame, type PathSegment } from './placement';

/** Nodes visited per document at most: an alias bomb stops here instead of hanging. */
export const NODE_BUDGET = 200_000;

interface Context {
  doc: Document.Parsed;
  problems: Problem[];
  budget: { left: number };
  /** The path of keys and indices to the node being checked. */
  path: PathSegment[];
  /** The maps being checked around it, outermost first, with their schemas and paths: where a misplaced key belongs. */
  maps: MapFrame[];
  /** The CEL values of the document's nodes, shared by every level's rules. */
  celValues: CelValueCache;
}

/** Where to report a problem about a collection: its key, or the first line of a list item. */
interface Anchor {
  key?: Node;
  node?: Node;
}

/** The document's problems, at offsets in the document (cached per document; the caller moves them into its file). */
export function validateDocument(doc: Document.Parsed, root: SchemaNode): Problem[] {
  const ctx: Context = { doc, problems: [], budget: { left: NODE_BUDGET }, path: [], maps: [], celValues: new Map() };
  check(ctx, doc.contents, root, {});
  if (ctx.budget.left <= 0 && doc.contents?.range) {
    const [start] = doc.contents.range;
    ctx.problems.push(problem('analysisLimit', start, start + 1, `The document expands to more than ${NODE_BUDGET} nodes (YAML aliases?); the rest was not checked.`));
  }
  return ctx.problems;
}

type ValueKind = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

function kindOf(node: Node): ValueKind {
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  const value = isScalar(node) ? node.value : undefined;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return Number.isInteger(Number(value)) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map (key: value)',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

function check(ctx: Context, raw: Node | null | undefined, schema: SchemaNode, anchor: Anchor): void {
  if (--ctx.budget.left <= 0) return;
  const node = raw && isAlias(raw) ? (raw.resolve(ctx.doc) as Node | undefined) : raw;
  if (!node) return;
  const kind = kindOf(node);
  // Kubernetes treats an explicit null as an absent field.
  if (kind === 'null') return;
  if (!checkType(ctx, node, kind, schema, anchor)) return;
  const before = ctx.problems.length;
  if (isScalar(node)) checkScalar(ctx, node, kind, schema);
  else if (isMap(node)) checkObject(ctx, node, schema, anchor);
  else if (isSeq(node)) checkArray(ctx, node, schema, anchor);
  checkCombinators(ctx, node, schema, anchor);
  // A rule failing on a field the value lacks says again what a missing-field report below says.
  checkRules(
    ctx,
    node,
    schema,
    anchor,
    ctx.problems.slice(before).some((p) => p.data?.type === 'required'),
  );
}

function checkType(ctx: Context, node: Node, kind: ValueKind, schema: SchemaNode, anchor: Anchor): boolean {
  const types = schema.types;
  if (!types || types.has(kind) || (kind === 'integer' && types.has('number'))) return true;
  const expected = [...types];
  const words = expected.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
  let message = `Expected ${words}, got ${describeValue(node, kind)}.`;
  if (types.has('string') && isScalar(node) && (kind === 'integer' || kind === 'number' || kind === 'boolean')) {
    message += ` Quote it to make it a string: "${scalarSource(node)}".`;
  }
  const unquoted = unquotedValue(node, schema);
  if (unquoted !== undefined) message += ` Remove the quotes to write ${unquoted.kind === 'boolean' ? 'the boolean' : 'the number'} ${unquoted.text}.`;
  const [start, end] = rangeOf(node, anchor, kind === 'object' || kind === 'array');
  ctx.problems.push(problem('schema', start, end, message, { type: 'type', expected, ...(unquoted ? { unquoted: unquoted.text } : {}) }));
  return false;
}

function describeValue(node: Node, kind: ValueKind): string {
  if (kind === 'object') return 'a map';
  if (kind === 'array') return 'a list';
  if (kind === 'string') return `the string ${shown(isScalar(node) ? String(node.value) : '')}`;
  return `${kind === 'boolean' ? 'the boolean' : 'the number'} ${scalarSource(node)}`;
}

/** Written plain, these read back as the same number or boolean in YAML 1.1 and 1.2 (no octal `010`, no `yes`). */
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/**
 * A quoted string that the field would accept written plain (`attempts: "3"`): its text and
 * what YAML reads it as then. Only when that value is of an expected type and within the
 * field's bounds and allowed values, so removing the quotes leaves no error on it.
 */
function unquotedValue(node: Node, schema: SchemaNode): { text: string; kind: 'integer' | 'number' | 'boolean' } | undefined {
  if (!isScalar(node) || (node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE') || typeof node.value !== 'string') return undefined;
  const text = node.value;
  if (!PLAIN_NUMBER.test(text) && text !== 'true' && text !== 'false') return undefined;
  const value = resolvePlain(text);
  const kind = typeof value === 'boolean' ? 'boolean' : Number.isInteger(value) ? 'integer' : 'number';
  const types = schema.types;
  if (!types || !(types.has(kind) || (kind === 'integer' && types.has('number')))) return undefined;
  if (schema.schema.enum && !schema.schema.enum.includes(value)) return undefined;
  if (checkScalarBounds(value, kind, schema) ?? checkFormat(value, schema.schema.format)) return undefined;
  return { text, kind };
}

function scalarSource(node: Node): string {
  return isScalar(node) ? (node.source ?? String(node.value)) : '';
}

function checkScalar(ctx: Context, node: Node, kind: ValueKind, schema: SchemaNode): void {
  const value = isScalar(node) ? node.value : undefined;
  const report = (message: string, data: Problem['data'] = { type: 'constraint' }) => {
    const [start, end] = rangeOf(node, {}, false);
    ctx.problems.push(problem('schema', start, end, message, data));
  };
  const allowed = schema.schema.enum;
  if (allowed && !allowed.includes(value)) {
    const names = allowed.map(String);
    const suggestion = closest(String(value), names);
    report(`'${String(value)}' is not an allowed value. Allowed: ${names.join(', ')}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`, {
      type: 'enum',
      value: String(value),
      allowed: names,
      suggestion,
    });
    return;
  }
  const message = checkScalarBounds(value, kind, schema) ?? checkFormat(value, schema.schema.format);
  if (message) report(message);
}

function checkObject(ctx: Context, map: YAMLMap, schema: SchemaNode, anchor: Anchor): void {
  ctx.maps.push({ map, schema, path: [...ctx.path] });
  try {
    checkEntries(ctx, map, schema, anchor);
  } finally {
    ctx.maps.pop();
  }
}

function checkEntries(ctx: Context, map: YAMLMap, schema: SchemaNode, anchor: Anchor): void {
  const present = new Set<string>();
  for (const pair of map.items as Pair<Node, Node | null>[]) {
    if (!isScalar(pair.key)) continue;
    if (isMergeKey(pair.key)) {
      for (const merged of mergedKeys(ctx, pair.value)) present.add(merged);
      continue;
    }
    const key = String(pair.key.value);
    if (!isNullish(ctx, pair.value)) present.add(key);
    checkKeyName(ctx, pair.key, key, schema);
    const child = propertySchema(schema, key);
    if (child) {
      checkDeprecated(ctx, pair.key, key, child);
      ctx.path.push(key);
      check(ctx, pair.value, child, { key: pair.key });
      ctx.path.pop();
    } else if (schema.additional === false) reportUnknownKey(ctx, pair.key, key, schema);
  }
  const missing = schema.required.filter((k) => !present.has(k));
  if (missing.length > 0) {
    const [start, end] = rangeOf(map, anchor, true);
    for (const field of missing) {
      ctx.problems.push(problem('schema', start, end, `Missing required field '${field}'.`, { type: 'required', field }));
    }
  }
  for (const group of schema.exclusiveGroups) checkExclusive(ctx, map, group, present);
  const count = present.size;
  const { minProperties, maxProperties } = schema.schema;
  if ((minProperties !== undefined && count < minProperties) || (maxProperties !== undefined && count > maxProperties)) {
    const [start, end] = rangeOf(map, anchor, true);
    const limit = minProperties !== undefined && count < minProperties ? `at least ${minProperties}` : `at most ${maxProperties}`;
    ctx.problems.push(problem('schema', start, end, `Expected ${limit} entries, found ${count}.`, { type: 'constraint' }));
  }
}

function isMergeKey(key: Scalar): boolean {
  return typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN');
}

function isNullish(ctx: Context, value: Node | null): boolean {
  const node = value && isAlias(value) ? value.resolve(ctx.doc) : value;
  return !node || (isScalar(node) && node.value === null);
}

function mergedKeys(ctx: Context, value: Node | null): string[] {
  const sources = value && isSeq(value) ? (value.items as Node[]) : [value];
  const keys: string[] = [];
  for (const source of sources) {
    const map = source && isAlias(source) ? source.resolve(ctx.doc) : source;
    if (isMap(map)) for (const pair of map.items) if (isScalar(pair.key)) keys.push(String(pair.key.value));
  }
  return keys;
}

function checkKeyName(ctx: Context, keyNode: Node, key: string, schema: SchemaNode): void {
  const names = schema.propertyNames;
  if (!names) return;
  const tooLong = names.schema.maxLength !== undefined && key.length > names.schema.maxLength;
  if (tooLong || (names.pattern && !names.pattern.test(key))) {
    const [start, end] = rangeOf(keyNode, {}, false);
    ctx.problems.push(
      problem(
        'schema',
        start,
        end,
        `'${key}' is not a valid key here: Kubernetes label and annotation keys are an optional DNS prefix and '/', then letters, digits, '-', '_' and '.', starting and ending with a letter or digit.`,
        { type: 'constraint' },
      ),
    );
  }
}

function checkDeprecated(ctx: Context, keyNode: Node, key: string, child: SchemaNode): void {
  if (!child.deprecation) return;
  const [start, end] = rangeOf(keyNode, {}, false);
  ctx.problems.push(problem('deprecated', start, end, `'${key}' is deprecated: ${child.deprecation}`, { type: 'constraint' }));
}

function reportUnknownKey(ctx: Context, keyNode: Node, key: string, schema: SchemaNode): void {
  const allowed = [...allProperties(schema).keys()];
  const suggestion = closest(key, allowed);
  const home = placementOf(ctx.maps, key);
  const typo = suggestion ? ` Did you mean '${suggestion}'?` : '';
  const hint = home
    ? ` ${misplacedKeyHint(key, home)}${suggestion ? ` Or did you mean '${suggestion}'?` : ''}`
    : typo || (allowed.length > 0 && allowed.length <= 12 ? ` Allowed: ${allowed.join(', ')}.` : '');
  const [start, end] = rangeOf(keyNode, {}, false);
  const data = { type: 'unknown-field' as const, field: key, suggestion, allowed, ...(home ? { home: { path: home.path, label: home.label } } : {}) };
  ctx.problems.push(problem('schema', start, end, `Unknown field '${key}'.${hint}`, data));
}

function checkExclusive(ctx: Context, map: YAMLMap, group: string[], present: Set<string>): void {
  const set = group.filter((k) => present.has(k));
  if (set.length <= 1) return;
  for (const pair of map.items) {
    if (!isScalar(pair.key) || !set.slice(1).includes(String(pair.key.value))) continue;
    const [start, end] = rangeOf(pair.key as Node, {}, false);
    const message = `Set only one of ${group.join(', ')} (found ${set.join(' and ')}).`;
    ctx.problems.push(problem('schema', start, end, message, { type: 'exclusive', fields: set }));
  }
}

function checkArray(ctx: Context, seq: YAMLSeq, schema: SchemaNode, anchor: Anchor): void {
  const items = seq.items as (Node | null)[];
  if (schema.items) {
    const itemSchema = schema.items;
    items.forEach((item, i) => {
      ctx.path.push(i);
      check(ctx, item, itemSchema, { node: item ?? undefined });
      ctx.path.pop();
    });
  }
  const { minItems, maxItems } = schema.schema;
  if ((minItems !== undefined && items.length < minItems) || (maxItems !== undefined && items.length > maxItems)) {
    const [start, end] = rangeOf(seq, anchor, true);
    const limit = minItems !== undefined && items.length < minItems ? `at least ${minItems}` : `at most ${maxItems}`;
    ctx.problems.push(problem('schema', start, end, `Expected ${limit} items, found ${items.length}.`, { type: 'constraint' }));
  }
}

function checkCombinators(ctx: Context, node: Node, schema: SchemaNode, anchor: Anchor): void {
  for (const member of schema.allOf) check(ctx, node, member, anchor);
  if (schema.anyOf.length > 0) {
    const attempts = schema.anyOf.map((branch) => silently(ctx, node, branch, anchor));
    if (!attempts.some((a) => a.length === 0)) ctx.problems.push(...attempts.reduce((a, b) => (b.length < a.length ? b : a)));
  }
  if (schema.oneOf.length > 0) {
    const attempts = schema.oneOf.map((branch) => silently(ctx, node, branch, anchor));
    const passing = attempts.filter((a) => a.length === 0).length;
    // None: the problems of the closest shape say what is wrong (`10.0.0.300` is not an IPv4 address).
    if (passing === 0) ctx.problems.push(...attempts.reduce((a, b) => (b.length < a.length ? b : a)));
    else if (passing > 1) {
      const [start, end] = rangeOf(node, anchor, true);
      ctx.problems.push(problem('schema', start, end, 'The value matches more than one of the allowed shapes; it must match exactly one.', { type: 'constraint' }));
    }
  }
  if (schema.not && silently(ctx, node, schema.not, anchor).length === 0) {
    const [start, end] = rangeOf(node, anchor, true);
    ctx.problems.push(problem('schema', start, end, 'This value is not allowed here.', { type: 'constraint' }));
  }
}

function silently(ctx: Context, node: Node, schema: SchemaNode, anchor: Anchor): Problem[] {
  const sub: Context = { ...ctx, problems: [] };
  check(sub, node, schema, anchor);
  return sub.problems;
}

function checkRules(ctx: Context, node: Node, schema: SchemaNode, anchor: Anchor, missingReported: boolean): void {
  if (schema.rules.length === 0) return;
  let value: unknown;
  try {
    value = celValueOf(node, schema, ctx.doc, ctx.celValues);
  } catch {
    return;
  }
  for (const { spec, program, messageOf } of schema.rules) {
    const outcome = program(value);
    if (outcome !== false && (outcome !== 'missing-field' || missingReported)) continue;
    const at = fieldPathNode(node, spec.fieldPath);
    const [start, end] = at ? rangeOf(at.node, { key: at.key }, !isScalar(at.node)) : rangeOf(node, anchor, !isScalar(node));
    ctx.problems.push(problem('schema', start, end, ruleMessage(spec, value, messageOf), { type: 'cel', rule: spec.rule }));
  }
}

/** The node a rule's `fieldPath` (`.spec.port`, `.items[0]`, `['a.b']`) names below the rule's node, with its key. */
function fieldPathNode(node: Node, fieldPath: string | undefined): { node: Node; key?: Node } | undefined {
  if (!fieldPath) return undefined;
  let current: Node | undefined = node;
  let key: Node | undefined;
  for (const [, name, quoted, index] of fieldPath.matchAll(/\.([A-Za-z_$][\w$-]*)|\[['"]([^'"]*)['"]\]|\[(\d+)\]/g)) {
    if (index !== undefined) {
      current = isSeq(current) ? ((current.items[Number(index)] as Node | undefined) ?? undefined) : undefined;
      key = undefined;
    } else {
      const pair: Pair<Node, Node | null> | undefined = isMap(current) ? (current.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && p.key.value === (name ?? quoted)) : undefined;
      current = pair?.value ?? undefined;
      key = pair?.key;
    }
    if (!current) return undefined;
  }
  return current === node ? undefined : { node: current, key };
}

/** The rule's message (its messageExpression's when that evaluates); for a value that is not a duration at all, also what a duration looks like. */
function ruleMessage(spec: CelRuleSpec, value: unknown, messageOf: (self: unknown) => string | undefined): string {
  const evaluated = spec.messageExpression ? messageOf(value) : undefined;
  const message = evaluated ? sentence(evaluated) : spec.message ? sentence(spec.message) : `Must satisfy the rule \`${spec.rule}\`.`;
  if (!spec.rule.includes('duration(self)') || typeof value !== 'string' || durationMs(value) !== undefined) return message;
  return `${message} ${shown(value)} is not a duration: write a number and a unit (h, m, s, ms, us, ns), e.g. 30s, 1m30s, 500ms.`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + (/[.!?]$/.test(trimmed) ? '' : '.');
}

/**
 * Range (relative to the document) to report on: a scalar's own text; for a collection its
 * key, or when it has none (a list item, the root) its first line.
 */
function rangeOf(node: Node, anchor: Anchor, collection: boolean): [number, number] {
  if (collection && anchor.key?.range) return [anchor.key.range[0], anchor.key.range[1]];
  const range = node.range ?? anchor.node?.range;
  if (!range) return [0, 1];
  if (!collection) return [range[0], Math.max(range[1], range[0] + 1)];
  const first = (isMap(node) ? node.items[0]?.key : isSeq(node) ? node.items[0] : undefined) as Node | undefined;
  const firstRange = first?.range;
  if (isMap(node) && firstRange) return [firstRange[0], firstRange[1]];
  return [range[0], Math.max(range[0] + 1, Math.min(range[1], firstRange ? firstRange[1] : range[1]))];
}
