// Native answers for the Gateway API's CEL rules that every route, filter, match and listener
// meets. Each gives the evaluator's answer for the values it understands (the fields it reads
// present with their schema's types, or absent where the rule guards them with has()) and
// returns undefined for any other value, which then goes to the CEL evaluator: only the common,
// well-typed case is answered here, so the rare shapes keep CEL's exact error semantics.
// Property names arrive escaped as Kubernetes escapes them (`namespace` is `__namespace__`).
import { gatewayDurationMs } from './nativeRules';

/** true or false: the rule's answer; undefined: ask the CEL evaluator. */
export type FastRule = (self: unknown) => boolean | undefined;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
/** Every item an object: the rules' list items are. */
const objects = (v: unknown): Obj[] | undefined => (Array.isArray(v) && v.every(isObj) ? v : undefined);
/** A string field that may be absent (has() guards it): its value, '' standing for absent too where the rule says so. */
const optStr = (o: Obj, key: string): string | undefined | null => (!(key in o) ? undefined : isStr(o[key]) ? o[key] : null);

const count = <T>(items: T[], test: (item: T) => boolean) => items.reduce((n, item) => n + (test(item) ? 1 : 0), 0);

// `!(has(self.cors) && self.type != 'CORS')` and `!(!has(self.cors) && self.type == 'CORS')`: a filter's type and its field.
const FIELD_NOT_OF_TYPE = /^!\(has\(self\.(\w+)\) && self\.type != '(\w+)'\)$/;
const TYPE_WITHOUT_FIELD = /^!\(!has\(self\.(\w+)\) && self\.type == '(\w+)'\)$/;
// `self.filter(f, f.type == 'CORS').size() <= 1`: at most one filter of a type.
const ONE_OF_TYPE = /^self\.filter\(f, f\.type == '(\w+)'\)\.size\(\) <= 1$/;
// `!(self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite'))`
const NOT_BOTH_TYPES = /^!\(self\.exists\(f, f\.type == '(\w+)'\) && self\.exists\(f, f\.type == '(\w+)'\)\)$/;
// `(self.type in ['Exact','PathPrefix']) ? !self.value.contains('//') : true` and its startsWith/endsWith kin.
const PATH_VALUE = /^\(self\.type in \['Exact','PathPrefix'\]\) \? (!?)self\.value\.(startsWith|endsWith|contains)\('([^'\\]*)'\) : true$/;
// `(has(self.filters) && self.filters.exists_one(f, has(f.requestRedirect) && ...)) ? (...) : true`, the rule's and its backendRefs' forms.
const PREFIX_REWRITE = /^\(has\(self\.filters\) && self\.filters\.exists_one\(f, has\(f\.(requestRedirect|urlRewrite)\) && /;
const BACKEND_PREFIX_REWRITE = /^\(has\(self\.backendRefs\) && self\.backendRefs\.exists_one\(b, \(has\(b\.filters\) && b\.filters\.exists_one\(f, has\(f\.(requestRedirect|urlRewrite)\) && /;

const fieldNotOfType =
  (field: string, type: string): FastRule =>
  (self) => {
    if (!isObj(self)) return undefined;
    if (!(field in self)) return true;
    return isStr(self.type) ? self.type === type : undefined;
  };

const typeWithoutField =
  (field: string, type: string): FastRule =>
  (self) => {
    if (!isObj(self)) return undefined;
    if (field in self) return true;
    return isStr(self.type) ? self.type !== type : undefined;
  };

/** The filters' types, when every filter is an object with a string type. */
function filterTypes(self: unknown): string[] | undefined {
  const filters = objects(self);
  if (!filters || !filters.every((f) => isStr(f.type))) return undefined;
  return filters.map((f) => f.type as string);
}

const oneOfType =
  (type: string): FastRule =>
  (self) => {
    const types = filterTypes(self);
    return types && count(types, (t) => t === type) <= 1;
  };

const notBothTypes =
  (a: string, b: string): FastRule =>
  (self) => {
    const types = filterTypes(self);
    return types && !(types.includes(a) && types.includes(b));
  };

const pathValue =
  (negated: boolean, method: 'startsWith' | 'endsWith' | 'contains', text: string): FastRule =>
  (self) => {
    if (!isObj(self) || !isStr(self.type)) return undefined;
    if (self.type !== 'Exact' && self.type !== 'PathPrefix') return true;
    if (!isStr(self.value)) return undefined;
    const holds = method === 'contains' ? self.value.includes(text) : self.value[method](text);
    return negated ? !holds : holds;
  };

/**
 * The ReplacePrefixMatch rules hold for a rule none of whose filters (or, in the backendRefs form,
 * whose backends' filters) has the field: the common case. A rule with one asks the evaluator.
 */
const noPrefixRewrite =
  (field: string, inBackends: boolean): FastRule =>
  (self) => {
    if (!isObj(self)) return undefined;
    const filterLists = inBackends ? backendFilterLists(self) : 'filters' in self ? [self.filters] : [];
    if (!filterLists) return undefined;
    for (const list of filterLists) {
      const filters = objects(list);
      if (!filters || filters.some((f) => field in f)) return undefined;
    }
    return true;
  };

function backendFilterLists(rule: Obj): unknown[] | undefined {
  if (!('backendRefs' in rule)) return [];
  const backends = objects(rule.backendRefs);
  return backends?.flatMap((b) => ('filters' in b ? [b.filters] : []));
}

/** A parentRef's fields as the uniqueness rules compare them; undefined when one is not of its type. */
interface ParentKey {
  group: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  sectionName: string | undefined;
  port: bigint | undefined;
}

function parentKeys(self: unknown): ParentKey[] | undefined {
  const refs = objects(self);
  if (!refs) return undefined;
  const keys: ParentKey[] = [];
  for (const r of refs) {
    const [namespace, sectionName] = [optStr(r, '__namespace__'), optStr(r, 'sectionName')];
    if (!isStr(r.group) || !isStr(r.kind) || !isStr(r.name) || namespace === null || sectionName === null) return undefined;
    if ('port' in r && typeof r.port !== 'bigint') return undefined;
    keys.push({ group: r.group, kind: r.kind, name: r.name, namespace, sectionName, port: r.port as bigint | undefined });
  }
  return keys;
}

const emptyOrAbsent = (v: string | undefined) => v === undefined || v === '';
const sameParent = (a: ParentKey, b: ParentKey) =>
  a.group === b.group &&
  a.kind === b.kind &&
  a.name === b.name &&
  ((emptyOrAbsent(a.namespace) && emptyOrAbsent(b.namespace)) || (a.namespace !== undefined && b.namespace !== undefined && a.namespace === b.namespace));
const noPort = (k: ParentKey) => k.port === undefined || k.port === 0n;
/** Equal as the rule compares an optional field: both absent or empty, or both present and equal. */
const sameOptional = <T>(a: T | undefined, b: T | undefined, empty: T) => (a === undefined || a === empty ? b === undefined || b === empty : b !== undefined && a === b);

const listeners = (self: unknown, check: (l: Obj) => boolean | undefined): boolean | undefined => {
  const items = objects(self);
  if (!items) return undefined;
  let result = true;
  for (const l of items) {
    const holds = check(l);
    if (holds === undefined) return undefined;
    result &&= holds;
  }
  return result;
};

const EXACT: Record<string, FastRule> = {
  "self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression'": (self) => (isObj(self) && isStr(self.type) ? ['Exact', 'PathPrefix', 'RegularExpression'].includes(self.type) : undefined),
  "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true": (self) => {
    if (!isObj(self) || !isStr(self.group)) return undefined;
    if (self.group !== '') return true;
    return isStr(self.kind) ? self.kind !== 'Service' || 'port' in self : undefined;
  },
  "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))": (self) => {
    if (!isObj(self)) return undefined;
    if (!('request' in self && 'backendRequest' in self)) return true;
    // The CRD's duration form (`1h30m`, `500ms`); any other text goes to the evaluator's duration().
    const [request, backend] = [self.request, self.backendRequest].map((d) => (isStr(d) ? gatewayDurationMs(d) : undefined));
    // Whole milliseconds compare exactly as CEL's nanoseconds do; anything finer goes to the evaluator.
    if (request === undefined || backend === undefined || !Number.isSafeInteger(request) || !Number.isSafeInteger(backend)) return undefined;
    return !(request !== 0 && backend > request);
  },
  '(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true': (self) => {
    if (!isObj(self)) return undefined;
    if (!('backendRefs' in self)) return true;
    if (!Array.isArray(self.backendRefs)) return undefined;
    if (self.backendRefs.length === 0 || !('filters' in self)) return true;
    const filters = objects(self.filters);
    return filters && filters.every((f) => !('requestRedirect' in f));
  },
  'self.all(l1, !has(l1.name) || self.exists_one(l2, has(l2.name) && l1.name == l2.name))': (self) => {
    const rules = objects(self);
    if (!rules || rules.some((r) => optStr(r, 'name') === null)) return undefined;
    const names = rules.flatMap((r) => ('name' in r ? [r.name as string] : []));
    return names.every((n) => count(names, (m) => m === n) === 1);
  },
  "self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__)) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '') && (!has(p1.port) || p1.port == 0) == (!has(p2.port) || p2.port == 0)): true))":
    (self) => {
      const keys = parentKeys(self);
      return keys && keys.every((a) => keys.every((b) => !sameParent(a, b) || (emptyOrAbsent(a.sectionName) === emptyOrAbsent(b.sectionName) && noPort(a) === noPort(b))));
    },
  "self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || ( has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName)) && (((!has(p1.port) || p1.port == 0) && (!has(p2.port) || p2.port == 0)) || (has(p1.port) && has(p2.port) && p1.port == p2.port))))":
    (self) => {
      const keys = parentKeys(self);
      return keys && keys.every((a) => count(keys, (b) => sameParent(a, b) && sameOptional(a.sectionName, b.sectionName, '') && sameOptional(a.port, b.port, 0n)) === 1);
    },
  'has(self.type) ? has(self.service) || has(self.method) : true': (self) => (isObj(self) ? !('type' in self) || 'service' in self || 'method' in self : undefined),
  [`(!has(self.type) || self.type == 'Exact') && has(self.service) ? self.service.matches(r"""^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$"""): true`]: (self) => {
    if (!isObj(self)) return undefined;
    const type = optStr(self, 'type');
    if (type === null) return undefined;
    if ((type !== undefined && type !== 'Exact') || !('service' in self)) return true;
    // ASCII only: there RE2's (?i) and JavaScript's i flag fold the same letters.
    return isStr(self.service) && /^[\x20-\x7e]*$/.test(self.service) ? /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i.test(self.service) : undefined;
  },
  "self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)": (self) =>
    listeners(self, (l) => (isStr(l.protocol) ? !['HTTP', 'TCP', 'UDP'].includes(l.protocol) || !('tls' in l) : undefined)),
  "self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true)": (self) =>
    listeners(self, (l) => {
      if (!isStr(l.protocol)) return undefined;
      if (l.protocol !== 'HTTPS' || !('tls' in l)) return true;
      return isObj(l.tls) && isStr(l.tls.mode) ? l.tls.mode === '' || l.tls.mode === 'Terminate' : undefined;
    }),
  "self.all(l, (l.protocol == 'TLS' ? has(l.tls) && has(l.tls.mode) && l.tls.mode != '' : true))": (self) =>
    listeners(self, (l) => {
      if (!isStr(l.protocol)) return undefined;
      if (l.protocol !== 'TLS') return true;
      if (!('tls' in l)) return false;
      if (!isObj(l.tls)) return undefined;
      if (!('mode' in l.tls)) return false;
      return isStr(l.tls.mode) ? l.tls.mode !== '' : undefined;
    }),
  "self.all(l, l.protocol in ['TCP', 'UDP']  ? (!has(l.hostname) || l.hostname == '') : true)": (self) =>
    listeners(self, (l) => {
      const hostname = optStr(l, 'hostname');
      if (!isStr(l.protocol) || hostname === null) return undefined;
      return !['TCP', 'UDP'].includes(l.protocol) || emptyOrAbsent(hostname);
    }),
  'self.all(l1, self.exists_one(l2, l1.name == l2.name))': (self) => {
    const items = objects(self);
    if (!items || !items.every((l) => isStr(l.name))) return undefined;
    return items.every((a) => count(items, (b) => a.name === b.name) === 1);
  },
  'self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol && (has(l1.hostname) && has(l2.hostname) ? l1.hostname == l2.hostname : !has(l1.hostname) && !has(l2.hostname))))':
    (self) => {
      const items = objects(self);
      if (!items || !items.every((l) => typeof l.port === 'bigint' && isStr(l.protocol) && optStr(l, 'hostname') !== null)) return undefined;
      return items.every((a) => count(items, (b) => a.port === b.port && a.protocol === b.protocol && a.hostname === b.hostname) === 1);
    },
};

/** The native answer of a rule, when it is one of those above. */
export function fastRule(rule: string): FastRule | undefined {
  const exact = EXACT[rule];
  if (exact) return exact;
  let m: RegExpExecArray | null;
  if ((m = FIELD_NOT_OF_TYPE.exec(rule))) return fieldNotOfType(m[1], m[2]);
  if ((m = TYPE_WITHOUT_FIELD.exec(rule))) return typeWithoutField(m[1], m[2]);
  if ((m = ONE_OF_TYPE.exec(rule))) return oneOfType(m[1]);
  if ((m = NOT_BOTH_TYPES.exec(rule))) return notBothTypes(m[1], m[2]);
  if ((m = PATH_VALUE.exec(rule))) return pathValue(m[1] === '!', m[2] as 'startsWith' | 'endsWith' | 'contains', m[3]);
  if (rule.endsWith(': true') && (m = PREFIX_REWRITE.exec(rule))) return noPrefixRewrite(m[1], false);
  if (rule.endsWith(': true') && (m = BACKEND_PREFIX_REWRITE.exec(rule))) return noPrefixRewrite(m[1], true);
  return undefined;
}
