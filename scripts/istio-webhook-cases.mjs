// Writes Istio's table-driven webhook test cases for the networking kinds as YAML resources:
// test/fixtures/webhook-networking/istio-valid.yaml (cases the webhook accepts) and
// istio-invalid.yaml (cases it rejects), which test/unit/webhookNetworking.test.ts runs. It reads
// the Go composite literals of validation_test.go, virtualservice_test.go and envoyfilter_test.go
// and writes them as a user would: Go field names as JSON names, oneof wrappers flattened, enum
// constants and durations as YAML; a case testing one part (a server, an HTTP route, a connection
// pool) is wrapped in the smallest resource that holds it. Cases built by Go code are skipped.
//   node scripts/istio-webhook-cases.mjs <istio git dir> [ref, default release-1.31]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const [gitDir, ref = 'release-1.31'] = process.argv.slice(2);
if (!gitDir) throw new Error('usage: node scripts/istio-webhook-cases.mjs <istio git dir> [ref]');
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'webhook-networking');
const goSource = (path) => execFileSync('git', ['-C', gitDir, 'show', `${ref}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
const V = 'pkg/config/validation/validation_test.go';
const VS = 'pkg/config/validation/virtualservice_test.go';
const EF = 'pkg/config/validation/envoyfilter/envoyfilter_test.go';

function tokenize(src) {
  const toks = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      i = src.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (src.startsWith('/*', i)) {
      i = src.indexOf('*/', i) + 2;
      continue;
    }
    if (c === '"') {
      let j = i + 1,
        s = '';
      while (src[j] !== '"') {
        if (src[j] === '\\') {
          s += src.slice(j, j + 2);
          j += 2;
        } else s += src[j++];
      }
      toks.push({ t: 'str', v: JSON.parse('"' + s.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1') + '"') });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      toks.push({ t: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if (c === "'") {
      const j = src.indexOf("'", i + 1);
      toks.push({ t: 'num', v: src.charCodeAt(i + 1) });
      i = j + 1;
      continue;
    }
    let m = /^(0x[0-9a-fA-F]+|\d+(\.\d+)?(e[-+]?\d+)?)/.exec(src.slice(i, i + 40));
    if (m) {
      toks.push({ t: 'num', v: Number(m[1]) });
      i += m[1].length;
      continue;
    }
    m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200));
    if (m) {
      toks.push({ t: 'id', v: m[0] });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if ([':=', '==', '!=', '&&', '||', '<-', '<=', '>=', '++', '--'].includes(two)) {
      toks.push({ t: 'p', v: two });
      i += 2;
      continue;
    }
    toks.push({ t: 'p', v: c });
    i++;
  }
  return toks;
}

class Unsupported extends Error {}
const DUR = { Nanosecond: 1e-9, Microsecond: 1e-6, Millisecond: 1e-3, Second: 1, Minute: 60, Hour: 3600 };
const fmtDur = (s) => `${+s.toFixed(9)}s`;

class Parser {
  constructor(toks, pos = 0) {
    this.toks = toks;
    this.pos = pos;
  }
  peek(o = 0) {
    return this.toks[this.pos + o];
  }
  next() {
    return this.toks[this.pos++];
  }
  is(v, o = 0) {
    const t = this.peek(o);
    return t && t.v === v && t.t !== 'str';
  }
  expect(v) {
    const t = this.next();
    if (!t || t.v !== v) throw new Unsupported(`expected ${v} got ${t?.v}`);
    return t;
  }
  // type expression: []*pkg.T, map[K]V, pkg.T, T, *pkg.T
  parseType() {
    let s = '';
    for (;;) {
      if (this.is('[')) {
        this.next();
        if (this.is(']')) {
          this.next();
          s += '[]';
          continue;
        }
        throw new Unsupported('array');
      }
      if (this.is('*')) {
        this.next();
        s += '*';
        continue;
      }
      if (this.is('map')) {
        this.next();
        this.expect('[');
        const k = this.parseType();
        this.expect(']');
        return s + `map[${k}]` + this.parseType();
      }
      if (this.is('struct')) throw new Unsupported('struct');
      const id = this.next().v;
      s += id;
      if (this.is('.') && this.peek(1)?.t === 'id') {
        this.next();
        s += '.' + this.next().v;
      }
      return s;
    }
  }
  parseExpr() {
    let v = this.parseUnary();
    while (this.is('*') || this.is('+') || this.is('-')) {
      const op = this.next().v;
      const r = this.parseUnary();
      if (typeof v !== 'number' || typeof r !== 'number') {
        if (op === '+' && typeof v === 'string' && typeof r === 'string') {
          v = v + r;
          continue;
        }
        throw new Unsupported('arith');
      }
      v = op === '*' ? v * r : op === '+' ? v + r : v - r;
    }
    return v;
  }
  parseUnary() {
    const t = this.peek();
    if (!t) throw new Unsupported('eof');
    if (t.t === 'str') {
      this.next();
      return t.v;
    }
    if (t.t === 'num') {
      this.next();
      return t.v;
    }
    if (t.v === '-') {
      this.next();
      return -this.parseUnary();
    }
    if (t.v === '(') {
      this.next();
      const v = this.parseExpr();
      this.expect(')');
      return v;
    }
    if (t.v === '&') {
      this.next();
      return this.parseUnary();
    }
    if (t.v === '{') return this.parseBody(null);
    if (t.v === 'true' || t.v === 'false') {
      this.next();
      return t.v === 'true';
    }
    if (t.v === 'nil') {
      this.next();
      return undefined;
    }
    if (t.v === '[' || t.v === 'map' || t.v === '*') {
      const ty = this.parseType();
      return this.parseBody(ty);
    }
    if (t.t === 'id') {
      const save = this.pos;
      const ty = this.parseType();
      if (this.is('{')) return this.parseBody(ty);
      if (this.is('(')) return this.parseCall(ty);
      return this.constant(ty, save);
    }
    throw new Unsupported(`token ${t.v}`);
  }
  constant(name) {
    const [pkg, id] = name.includes('.') ? name.split('.') : ['', name];
    if (pkg === 'time' && id in DUR) return { __dur: DUR[id] };
    const m = /^[A-Za-z0-9]+?(?:_[A-Za-z0-9]*[a-z][A-Za-z0-9]*)*_([A-Z][A-Z0-9_]*)$/.exec(id);
    if (m && pkg) return m[1];
    if (/^[A-Z_]+$/.test(id) && pkg) return id;
    if (name === 'someName') return 'foo';
    if (name === 'someNamespace') return 'bar';
    throw new Unsupported(`ident ${name}`);
  }
  parseCall(fn) {
    this.expect('(');
    const args = [];
    while (!this.is(')')) {
      args.push(this.parseExpr());
      if (this.is(',')) this.next();
    }
    this.next();
    const dur = (a) => (typeof a === 'object' && a.__dur !== undefined ? a.__dur : typeof a === 'number' ? a * 1e-9 : NaN);
    if (/durationpb\.New|ptypes\.DurationProto|durationpb.New/.test(fn)) return fmtDur(dur(args[0]));
    if (fn === 'time.Duration') return { __dur: args[0] * 1e-9 };
    if (/^(wrappers|wrapperspb)\.(UInt32|Int32|UInt64|Int64|Bool|String|Double|Float)$/.test(fn)) return args[0];
    if (fn === 'buildPatchStruct' || fn === 'newStruct') return JSON.parse(args[0]);
    if (fn === 'uint32' || fn === 'int32' || fn === 'int64' || fn === 'uint64' || fn === 'float64' || fn === 'float32') return args[0];
    if (fn === 'ptr.Of') return args[0];
    throw new Unsupported(`call ${fn}`);
  }
  parseBody(type) {
    this.expect('{');
    const isList = type === null ? null : type.startsWith('[]');
    const isMap = type?.startsWith('map[');
    const elems = [];
    let keyed = false;
    while (!this.is('}')) {
      let key;
      if ((this.peek().t === 'id' || this.peek().t === 'str' || this.peek().t === 'num') && this.is(':', 1)) {
        key = this.next().v;
        this.next();
        keyed = true;
      } else if (isMap) {
        key = this.parseExpr();
        this.expect(':');
        keyed = true;
      }
      const v = this.parseExpr();
      elems.push([key, v]);
      if (this.is(',')) this.next();
    }
    this.next();
    if (isList || (type === null && !keyed)) return elems.map(([, v]) => v);
    if (isMap) return Object.fromEntries(elems.map(([k, v]) => [k, v === undefined ? null : v]));
    return this.struct(type, elems);
  }
  struct(type, elems) {
    const short = (type ?? '').replace(/^\*/, '').split('.').pop();
    if (/^(UInt32Value|Int32Value|BoolValue|StringValue|DoubleValue|UInt64Value|Int64Value|FloatValue)$/.test(short))
      return elems[0]?.[1] ?? (short === 'BoolValue' ? false : short === 'StringValue' ? '' : 0);
    if (short === 'Duration') {
      const o = Object.fromEntries(elems);
      return fmtDur((o.Seconds ?? 0) + (o.Nanos ?? 0) * 1e-9);
    }
    const out = { __type: type };
    for (const [k, v] of elems) {
      if (v === undefined) continue;
      if (k === 'Meta' || k === 'Spec' || (k === 'Labels' && type === 'config.Meta')) {
        out[k] = v;
        continue;
      }
      // oneof wrapper: Parent_Field{Field: x}
      if (v && typeof v === 'object' && !Array.isArray(v) && v.__type) {
        const suffix = v.__type.split('_').pop();
        const keys = Object.keys(v).filter((x) => x !== '__type');
        if (v.__type.includes('_') && keys.length === 1 && keys[0] === lower(suffix) && isOneofName(k, suffix)) {
          out[keys[0]] = v[keys[0]];
          continue;
        }
      }
      out[typeof k === 'string' && /^[A-Z]/.test(k) ? lower(k) : k] = v;
    }
    return out;
  }
}
const lower = (s) => s[0].toLowerCase() + s.slice(1);
const isOneofName = (k, suffix) => k !== suffix;

function clean(v) {
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === 'object') {
    if (v.__dur !== undefined) throw new Unsupported('bare dur');
    const o = {};
    for (const [k, x] of Object.entries(v)) if (k !== '__type' && x !== undefined && !(Array.isArray(x) && x.length === 0)) o[k] = clean(x);
    return o;
  }
  return v;
}

/** Finds `tests := []struct{...}{` in a function and returns the parsed elements with field names. */
function cases(src, fnName) {
  const start = src.indexOf(`func ${fnName}(`);
  if (start < 0) throw new Error(fnName);
  const toks = tokenize(src.slice(start, src.indexOf('\nfunc ', start + 5) > 0 ? src.indexOf('\nfunc ', start + 5) : undefined));
  let i = toks.findIndex((t, j) => t.v === 'struct' && toks[j - 1]?.v === ']' && toks[j + 1]?.v === '{');
  const fields = [];
  i += 2;
  while (toks[i].v !== '}') {
    const names = [toks[i++].v];
    while (toks[i].v === ',') {
      i++;
      names.push(toks[i++].v);
    }
    // skip type until newline-equivalent: next token that is an identifier followed by a type start, heuristically: skip to next field by depth
    let depth = 0;
    for (;;) {
      const t = toks[i];
      if (t.v === '{' || t.v === '[' || t.v === '(') depth++;
      if (t.v === '}' || t.v === ']' || t.v === ')') {
        if (depth === 0) break;
        depth--;
      }
      i++;
      if (depth === 0 && toks[i].t === 'id' && toks[i - 1].t === 'id' && toks[i - 1].v !== 'map' && !['.', '*'].includes(toks[i - 1].v)) {
        // previous token ended a type (identifier); current starts a new field if it is followed by an identifier or [] or *
        if (['id', 'p'].includes(toks[i + 1]?.t) && (toks[i + 1].t === 'id' || ['[', '*', ','].includes(toks[i + 1].v)) && toks[i - 2]?.v !== 'map') break;
      }
      if (depth === 0 && toks[i].t === 'id' && (toks[i - 1].v === '}' || toks[i - 1].v === ')')) break;
    }
    fields.push(...names);
  }
  i++; // past struct's }
  const p = new Parser(toks, i);
  p.expect('{');
  const out = [];
  while (!p.is('}')) {
    const save = p.pos;
    try {
      p.expect('{');
      const vals = {};
      let n = 0;
      while (!p.is('}')) {
        let key;
        if (p.peek().t === 'id' && p.is(':', 1)) {
          key = p.next().v;
          p.next();
        } else key = fields[n];
        n++;
        vals[key] = p.parseExpr();
        if (p.is(',')) p.next();
      }
      p.next();
      out.push({ ok: true, vals });
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      // skip to the end of this element
      p.pos = save;
      let depth = 0;
      do {
        const t = p.next();
        if (t.v === '{') depth++;
        if (t.v === '}') depth--;
      } while (depth > 0);
      out.push({ ok: false, why: e.message });
    }
    if (p.is(',')) p.next();
  }
  return out.map((c) => ({ ...c, vals: c.vals && Object.fromEntries(Object.entries(c.vals).map(([k, v]) => [k, v])) }));
}

const api = { ProxyConfig: 'networking.istio.io/v1beta1', EnvoyFilter: 'networking.istio.io/v1alpha3' };
const wrapDR = (tp) => ({ host: 'reviews', trafficPolicy: tp });
const T = [
  ['TestValidateGateway', V, 'Gateway'],
  ['TestValidateServer', V, 'Gateway', (s) => ({ servers: [s] })],
  ['TestValidateServerPort', V, 'Gateway', (p) => ({ servers: [{ hosts: ['foo.bar.com'], port: p }] })],
  ['TestValidateVirtualService', V, 'VirtualService'],
  ['TestValidateHTTPRoute', V, 'VirtualService', (r) => ({ hosts: ['foo.bar'], http: [r] })],
  ['TestValidateRootHTTPRoute', VS, 'VirtualService', (r) => ({ hosts: ['foo.bar'], http: [r] })],
  ['TestValidateChainingVirtualService', VS, 'VirtualService'],
  ['TestValidateDestinationRule', V, 'DestinationRule'],
  ['TestValidateTrafficPolicy', V, 'DestinationRule', wrapDR],
  ['TestValidateConnectionPool', V, 'DestinationRule', (c) => wrapDR({ connectionPool: c })],
  ['TestValidateLoadBalancer', V, 'DestinationRule', (c) => wrapDR({ loadBalancer: c })],
  ['TestValidateOutlierDetection', V, 'DestinationRule', (c) => wrapDR({ outlierDetection: c })],
  ['TestValidateServiceEntries', V, 'ServiceEntry'],
  ['TestValidateSidecar', V, 'Sidecar'],
  ['TestValidateWorkloadEntry', V, 'WorkloadEntry'],
  ['TestValidateWorkloadGroup', V, 'WorkloadGroup'],
  ['TestValidateProxyConfig', V, 'ProxyConfig'],
  ['TestValidateEnvoyFilter', EF, 'EnvoyFilter'],
];
const out = { valid: [], invalid: [] };
const stats = {};
for (const [fn, file, kind, wrap] of T) {
  const all = cases(goSource(file), fn);
  stats[fn] = { total: all.length, converted: 0 };
  for (const c of all) {
    if (!c.ok) continue;
    const v = clean(c.vals);
    let spec = v.in ?? v.route ?? v.input ?? v.config ?? v.server ?? v.policy ?? v.settings ?? v.port;
    if (spec && spec.spec) spec = spec.spec;
    if (spec === undefined) {
      spec = {};
    }
    if (typeof spec !== 'object' || Array.isArray(spec)) continue;
    if (wrap) spec = wrap(spec);
    const errKey = ['out', 'error', 'err'].find((k) => k in v);
    const valid = 'valid' in v ? v.valid : errKey ? v[errKey] === '' : undefined;
    if (valid === undefined) continue;
    if (['invalid message', 'cannot cast'].some((s) => String(v.name).includes(s))) continue;
    const warning = v.warning === true || (typeof v.warning === 'string' && v.warning !== '') || v.warn === true;
    stats[fn].converted++;
    const doc = {
      apiVersion: api[kind] ?? 'networking.istio.io/v1',
      kind,
      metadata: { name: 'foo', namespace: 'bar', ...(v.labels && Object.keys(v.labels).length ? { labels: v.labels } : {}) },
      spec,
    };
    out[valid ? 'valid' : 'invalid'].push(`# ${fn}: ${v.name}${warning ? ' (webhook warning)' : ''}\n` + YAML.stringify(doc, { lineWidth: 0 }));
  }
}
mkdirSync(outDir, { recursive: true });
for (const k of ['valid', 'invalid']) writeFileSync(join(outDir, `istio-${k}.yaml`), out[k].join('---\n'));
console.log(JSON.stringify(stats), out.valid.length, out.invalid.length);
