// Every x-kubernetes-validations rule of the Gateway API bundle and of Istio's CRDs compiles in
// our CEL environment (parse and type check), and the Kubernetes library functions and
// rewrites they need behave like Kubernetes'. Only transition rules (`oldSelf`) are skipped: they
// compare with a stored object, which a new one does not have.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isTransitionRule, RuleCompiler } from '../../server/src/schema/cel';
import { portableRule } from '../../server/src/schema/celSource';
import { isCIDR, isIP, isIPv4, isIPv6 } from '../../server/src/schema/ipAddress';
import { ISTIO_VERSIONS } from '../../shared/protocol';
import { sharedDir } from '../support';

interface Rule {
  rule: string;
  messageExpression?: string;
}

function rulesOf(file: string): Rule[] {
  const rules: Rule[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-kubernetes-validations') rules.push(...(value as Rule[]));
      walk(value);
    }
  };
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const crd = doc.toJS({ maxAliasCount: -1 }) as { kind?: string } | null;
    if (crd?.kind === 'CustomResourceDefinition') walk(crd);
  }
  return rules;
}

const bundle = join(sharedDir, 'gateway-api', 'gateway-api-crd.yaml');
const files = [bundle, ...ISTIO_VERSIONS.map((v) => join(sharedDir, 'istio', v, 'crd-all.gen.yaml'))];

describe('CEL rules of the CRDs', () => {
  const compiler = new RuleCompiler();

  it.each(files)('all compile: %s', (file) => {
    const rules = rulesOf(file);
    const transition = rules.filter((r) => isTransitionRule(r.rule));
    const failures = rules
      .filter((r) => !isTransitionRule(r.rule))
      .flatMap((r) => [r.rule, ...(r.messageExpression ? [r.messageExpression] : [])])
      .map((expression) => ({ expression, error: compiler.compileError(expression) }))
      .filter((f) => f.error !== undefined);
    expect(failures).toEqual([]);
    expect(rules.length).toBeGreaterThan(300);
    // Counted, not hidden: the bundle has 3 transition rules (`self == oldSelf`), Istio's CRDs none.
    expect(transition.length).toBe(file === bundle ? 3 : 0);
    expect(rules.every((r) => isTransitionRule(r.rule) || compiler.compile(r.rule) !== undefined)).toBe(true);
  });
});

describe('rewrites for the evaluator', () => {
  const compiler = new RuleCompiler();
  const run = (rule: string, self: unknown) => compiler.evaluator(rule)!(self);

  it('has() on an indexed base means the key is present', () => {
    expect(portableRule('has(self[0].matches)')).toBe('("matches" in self[0])');
    expect(portableRule('has(self.a.b)')).toBe('has(self.a.b)');
    expect(run('has(self[0].matches)', [{ matches: [] }])).toBe(true);
    expect(run('has(self[0].matches)', [{ path: {} }])).toBe(false);
  });

  it('matches() is RE2, with inline flags', () => {
    expect(run("self.matches('^(?i)abc$')", 'ABC')).toBe(true);
    expect(run("self.matches('^/')", 'foo')).toBe(false);
    // Unanchored: a match anywhere, as in cel-go.
    expect(run("self.matches('b')", 'abc')).toBe(true);
    expect(run("self.all(h, h.matches('^a'))", ['ab', 'ac'])).toBe(true);
  });

  it('integers are CEL ints', () => {
    expect(run('self.a + 1 == 2', { a: 1n })).toBe(true);
  });
});

describe("Kubernetes' IP library", () => {
  it('isIP accepts addresses as Go netip does', () => {
    for (const ip of ['1.2.3.4', '0.0.0.0', '255.255.255.255', '::', '::1', '2001:db8::1', 'fe80::1:2:3:4', '1:2:3:4:5:6:7:8', '::1.2.3.4', '64:ff9b::1.2.3.4']) expect(isIP(ip), ip).toBe(true);
    for (const ip of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4/24', 'fe80::1%eth0', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', 'example.com', '*.example.com', '12345::'])
      expect(isIP(ip), ip).toBe(false);
    expect(isIPv4('10.0.0.1')).toBe(true);
    expect(isIPv6('10.0.0.1')).toBe(false);
    expect(isIPv6('::ffff:1.2.3.4')).toBe(true);
  });

  it('isCIDR checks the prefix against the family', () => {
    expect(isCIDR('10.0.0.0/8')).toBe(true);
    expect(isCIDR('10.0.0.0/33')).toBe(false);
    expect(isCIDR('2001:db8::/32')).toBe(true);
    expect(isCIDR('2001:db8::/129')).toBe(false);
    expect(isCIDR('10.0.0.0')).toBe(false);
  });
});
