// Edits of the HTTPRoute or GRPCRoute rule under the cursor that its refactorings share: which
// rule can be edited, the Service backendRef the choices start from, a new backendRef written
// like an existing one, and a weight set.
import { isMap } from 'yaml';
import type { Edit } from '../../edit/textEdits';
import { Flow, setKey, type YamlValue } from '../../edit/yamlEdit';
import { refNamespace } from '../../workspace/gatewayApi';
import { hasUnreadableWeight, isEditableRule, isServiceRef, type GatewayRuleTarget, type ServiceRef } from './gatewayApiTarget';
import { portFor } from './serviceChoice';
import type { Target } from './target';

/** The rule under the cursor, when the writer can edit it and its weights read as numbers. */
export function editableRule(t: Target): GatewayRuleTarget | undefined {
  const rule = t.gatewayRule;
  return rule && isEditableRule(t.place, rule) && !hasUnreadableWeight(rule) ? rule : undefined;
}

/** The Service backendRef the Service choices start from: the one under the cursor, else the rule's first. */
export function baseRef(rule: GatewayRuleTarget): ServiceRef | undefined {
  return isServiceRef(rule.focused) ? rule.focused : rule.info.backendRefs.find(isServiceRef);
}

/** The names of the rule's Service backendRefs in `namespace`, in order, once each. */
export function usedServices(rule: GatewayRuleTarget, namespace: string): string[] {
  const names = rule.info.backendRefs.filter((r): r is ServiceRef => isServiceRef(r) && refNamespace(r, rule.route) === namespace).map((r) => r.name.value);
  return [...new Set(names)];
}

/** A backendRef to Service `name` like `like` (its namespace as written, its port), as a flow map when `like` is one. */
export function backendRefLike(t: Target, rule: GatewayRuleTarget, like: ServiceRef, name: string, weight?: number): YamlValue {
  const item = rule.items[like.index];
  const port = portFor(t, refNamespace(like, rule.route), name, like.port);
  const value = { name, ...(like.namespace ? { namespace: like.namespace.value } : {}), ...(port !== undefined ? { port } : {}), ...(weight !== undefined ? { weight } : {}) };
  return isMap(item) && item.flow ? new Flow(value) : value;
}

/** Sets a backendRef's weight (an empty edit when it is written so already). */
export function setWeight(t: Target, rule: GatewayRuleTarget, index: number, weight: number): Edit | undefined {
  const ref = rule.info.backendRefs[index];
  if (ref.weightRef && ref.weight === weight) return { uri: t.uri, start: 0, end: 0, newText: '' };
  return setKey(t.place, rule.items[index], 'weight', weight);
}
