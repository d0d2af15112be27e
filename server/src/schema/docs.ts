// Human-readable descriptions of schema nodes, shared by hover and completion.
import type { SchemaNode } from './compile';

export function typeLabel(node: SchemaNode): string {
  const types = node.types ? [...node.types] : [];
  if (types.includes('array')) return `${node.items ? typeLabel(node.items) : 'any'}[]`;
  if (types.includes('object') && typeof node.additional === 'object' && !node.properties) return `map<string, ${typeLabel(node.additional)}>`;
  if (types.length === 0) return node.preserveUnknown ? 'any' : 'object';
  const label = types.join(' | ');
  return node.schema.format && !types.includes('object') ? `${label} (${node.schema.format})` : label;
}

/** Markdown: description, allowed values, CEL rules and exclusive groups of a field. */
export function fieldMarkdown(node: SchemaNode, options: { rules: boolean }): string {
  const parts: string[] = [];
  if (node.schema.description) parts.push(node.schema.description);
  if (node.schema.enum) parts.push(`Allowed values: ${node.schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  const bounds = describeBounds(node);
  if (bounds) parts.push(bounds);
  if (options.rules) {
    const rules = node.rules.map((r) => `- ${r.spec.message ?? 'Rule'}: \`${r.spec.rule}\``);
    for (const group of node.exclusiveGroups) rules.push(`- Set at most one of ${group.map((k) => `\`${k}\``).join(', ')}`);
    if (rules.length > 0) parts.push(`Validation rules:\n${rules.join('\n')}`);
  }
  return parts.join('\n\n');
}

function describeBounds(node: SchemaNode): string | undefined {
  const s = node.schema;
  const bits: string[] = [];
  if (s.minimum !== undefined) bits.push(`minimum ${s.minimum}`);
  if (s.maximum !== undefined) bits.push(`maximum ${s.maximum}`);
  if (s.maxLength !== undefined) bits.push(`at most ${s.maxLength} characters`);
  if (s.maxItems !== undefined) bits.push(`at most ${s.maxItems} items`);
  if (s.pattern) bits.push(`pattern \`${s.pattern}\``);
  return bits.length > 0 ? `Constraints: ${bits.join(', ')}` : undefined;
}
