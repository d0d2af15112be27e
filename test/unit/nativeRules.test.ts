// The native rule implementations must agree with the CEL evaluator on every value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support';
import { RuleCompiler } from '../../server/src/schema/cel';
import { durationMs, nativeRule } from '../../server/src/schema/nativeRules';

const compiler = new RuleCompiler();
// The validator runs a rule only on a value of its field's schema type, so each rule is compared
// on values of that type.
const strings = ['0s', '1ms', '0.5ms', '1.5s', '300ms', '1h', '2h45m', '-1s', '1m', '1us', '999us', '1000us', '', 'abc', '5', '1d', '.5s', '1.s', '*', 'a*b', 'x', '*.example.com'];
const numbers = [0, 1, 80, 65535, 65536, -1, 1.5, 0n, 80n, 65535n, 65536n, -1n];
const maps = [{}, { a: '1' }, { '*': '1' }, { '': 'x' }, { 'a*': 'b', c: 'd' }, { selector: {} }, { selector: {}, targetRef: {} }, { targetRefs: [] }, { selector: {}, targetRefs: [] }, { other: 1 }];
const rules: [string, unknown[]][] = [
  ["duration(self) >= duration('1ms')", strings],
  ['!self.contains("*")', strings],
  ['self != "*"', strings],
  ['0 < self && self <= 65535', numbers],
  ['self.all(key, !key.contains("*"))', maps],
  ['self.all(key, key.size() != 0)', maps],
  ['(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1', maps],
  ['(has(self.selector) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1', maps],
];

describe('native CEL rules', () => {
  it.each(rules)('%s agrees with the CEL evaluator', (rule, samples) => {
    const native = nativeRule(rule)!;
    const cel = compiler.evaluator(rule)!;
    expect(native).toBeDefined();
    for (const value of samples) {
      const expected = cel(value);
      // Where CEL cannot evaluate the rule (a type error), the native one may not either.
      if (expected === undefined) expect(native(value), String(value)).toBeUndefined();
      else expect(native(value), typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)).toBe(expected);
    }
  });

  it('parses durations like Go', () => {
    expect(durationMs('2h45m')).toBe(9_900_000);
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs('1d')).toBeUndefined();
  });

  it('leaves other rules to the evaluator', () => {
    expect(nativeRule('url(self).getScheme() in ["http", "https"]')).toBeUndefined();
  });
});

describe('native Gateway API rules', () => {
  const schemaRules = (file: string) =>
    [...readFileSync(join(repoRoot, 'schemas', 'gateway-api', 'v1.5.1', 'gateway.networking.k8s.io', file), 'utf8').matchAll(/"rule": ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
  const all = [...new Set(['httproute_v1.json', 'grpcroute_v1.json'].flatMap(schemaRules))];
  const natives = all.filter((r) => nativeRule(r) && (r.includes('matches') || r.includes('self.method')));
  const paths = [
    { type: 'Exact', value: '/a' },
    { type: 'PathPrefix', value: '/a b' },
    { type: 'PathPrefix', value: '/%2F' },
    { type: 'PathPrefix', value: '/%zz' },
    { type: 'RegularExpression', value: '((' },
    { value: '/x' },
    { type: 'Exact' },
    { type: 'PathPrefix', value: '' },
    { type: 1, value: '/' },
  ];
  const methods = [{ method: 'Get' }, { method: 'get-x' }, { type: 'Exact', method: '1a' }, { type: 'RegularExpression', method: '.*' }, { service: 's' }, { type: 'Exact' }, { method: 5 }, {}];
  const rule = (n: number, withMatches = true) => (withMatches ? { matches: Array.from({ length: n }, () => ({})) } : {});
  const ruleLists = [
    [],
    [{ matches: { a: 1 } }],
    [5],
    [rule(1)],
    [rule(64), rule(64)],
    [rule(64), rule(65)],
    [rule(1), rule(0, false)],
    Array.from({ length: 17 }, () => rule(10)),
    [rule(200)],
    ['x'],
    [{ matches: 'x' }],
  ];

  it('covers the path, method and match-count rules of HTTPRoute and GRPCRoute', () => {
    expect(natives.length).toBeGreaterThanOrEqual(4);
  });

  it.each(natives.map((r) => [r.slice(0, 80), r]))('%s… agrees with the CEL evaluator', (_short, text) => {
    const native = nativeRule(text)!;
    const cel = compiler.evaluator(text)!;
    const samples = text.includes('self.method') ? methods : text.includes('.value.matches') ? paths : ruleLists;
    for (const value of samples) {
      const expected = cel(value);
      if (expected === undefined) expect(native(value), JSON.stringify(value)).toBeUndefined();
      else expect(native(value), JSON.stringify(value)).toBe(expected);
    }
  });
});
