// The native rule implementations must agree with the CEL evaluator on every value.
import { describe, expect, it } from 'vitest';
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
