// Rewrites a CRD's CEL rule into the same rule in what our evaluator (cel-js) implements:
// - `has(e.f)` on a base that is not a plain name (`has(self[0].matches)`): cel-js accepts only
//   name chains there; on the maps a YAML document gives, it means `'f' in e`;
// - `s.matches(re)`: Kubernetes evaluates RE2 (`(?i)` flags and all), cel-js a JavaScript RegExp;
//   the rule calls our RE2 function instead.
import { parse } from '@marcbachmann/cel-js';

interface AstNode {
  op: string;
  args: unknown;
  start: number;
  end: number;
}

/** The RE2 `matches` our environment registers (receiver, pattern). */
export const RE2_MATCHES = 're2Matches';

const isNode = (value: unknown): value is AstNode => typeof value === 'object' && value !== null && typeof (value as AstNode).op === 'string';

function children(node: AstNode): AstNode[] {
  if (!Array.isArray(node.args)) return isNode(node.args) ? [node.args] : [];
  return (node.args as unknown[]).flatMap((a) => (Array.isArray(a) ? a.filter(isNode) : isNode(a) ? [a] : []));
}

/** The replacement text of one node, or undefined when the evaluator takes it as it is. */
function replacement(source: string, node: AstNode): string | undefined {
  const args = node.args as unknown[];
  if (node.op === 'call' && args[0] === 'has') {
    const [field] = args[1] as AstNode[];
    const [base, name] = (field?.op === '.' ? field.args : []) as [AstNode | undefined, string | undefined];
    if (!base || typeof name !== 'string' || isNameChain(base)) return undefined;
    return `(${JSON.stringify(name)} in ${source.slice(base.start, base.end)})`;
  }
  if (node.op === 'rcall' && args[0] === 'matches') {
    const receiver = args[1] as AstNode;
    const [pattern] = args[2] as AstNode[];
    if (!pattern) return undefined;
    return `${RE2_MATCHES}(${source.slice(receiver.start, receiver.end)}, ${source.slice(pattern.start, pattern.end)})`;
  }
  return undefined;
}

function isNameChain(node: AstNode): boolean {
  if (node.op === 'id') return true;
  return node.op === '.' && isNode((node.args as unknown[])[0]) && isNameChain((node.args as AstNode[])[0]);
}

function firstRewrite(source: string, node: AstNode, depth = 0): { node: AstNode; text: string } | undefined {
  if (depth > 200) return undefined;
  for (const child of children(node)) {
    const inner = firstRewrite(source, child, depth + 1);
    if (inner) return inner;
  }
  const text = replacement(source, node);
  return text === undefined ? undefined : { node, text };
}

/** The rule as our evaluator runs it (the same rule when nothing needs rewriting). Throws when the rule does not parse. */
export function portableRule(rule: string): string {
  let source = rule;
  // Each rewrite removes one rewritable node (innermost first), so this ends; the bound is for safety.
  for (let i = 0; i < 1000; i++) {
    const found = firstRewrite(source, parse(source).ast as unknown as AstNode);
    if (!found) return source;
    source = source.slice(0, found.node.start) + found.text + source.slice(found.node.end);
  }
  return source;
}
