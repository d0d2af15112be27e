// Istio's webhook rules for AuthorizationPolicy, PeerAuthentication, RequestAuthentication,
// Telemetry and WasmPlugin (analysis/webhookSecurity.ts): each rule with a resource it rejects
// (code and the text reported) and one it accepts; then Istio's own test cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipProblem, pathTemplateProblem, portProblem, serviceAccountProblem, trustDomainProblem } from '../../server/src/analysis/securityValues';
import { diagnose, repoRoot } from '../support';

const WEBHOOK = ['IST0106', 'IST0133'];

/** [code, reported text] of the webhook codes on one document. */
const found = (text: string) =>
  diagnose(text)
    .filter((p) => WEBHOOK.includes(p.code))
    .map((p) => [p.code, p.text]);

const policy = (spec: string, meta = '') => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: shop${meta}
spec:
${spec}`;
const rule = (body: string) => policy(`  selector: {matchLabels: {app: cart}}\n  rules:\n${body}`);
const kind = (apiVersion: string, k: string, spec: string, meta = '') => `apiVersion: ${apiVersion}
kind: ${k}
metadata:
  name: x
  namespace: shop${meta}
spec:
${spec}`;
const reqAuthn = (spec: string) => kind('security.istio.io/v1', 'RequestAuthentication', spec);
const telemetry = (spec: string) => kind('telemetry.istio.io/v1', 'Telemetry', spec);
const wasm = (spec: string) => kind('extensions.istio.io/v1alpha1', 'WasmPlugin', `  url: oci://r.example.com/p:1\n${spec}`);

type Case = [name: string, bad: string, expected: string[][], good: string];

const CASES: Case[] = [
  ['from entry without source', rule('  - from:\n    - {}'), [['IST0106', '{}']], rule('  - from:\n    - source: {principals: [a]}')],
  ['empty source', rule('  - from:\n    - source: {}'), [['IST0106', '{}']], rule('  - from:\n    - source: {notNamespaces: [x]}')],
  ['to entry without operation', rule('  - to:\n    - {}'), [['IST0106', '{}']], rule('  - to:\n    - operation: {hosts: [a.example.com]}')],
  ['empty operation', rule('  - to:\n    - operation: {methods: []}'), [['IST0106', 'methods']], rule('  - to:\n    - operation: {notPaths: [/x]}')],
  ['empty value in a list', rule('  - from:\n    - source: {principals: ["a", ""]}'), [['IST0106', '""']], rule('  - from:\n    - source: {principals: ["a"]}')],
  ['IP address', rule('  - from:\n    - source: {ipBlocks: ["1.2.3.4/33"]}'), [['IST0106', '"1.2.3.4/33"']], rule('  - from:\n    - source: {remoteIpBlocks: ["1.2.3.4/32", "fe80::1"]}')],
  ['port', rule('  - to:\n    - operation: {ports: ["70000"]}'), [['IST0106', '"70000"']], rule('  - to:\n    - operation: {notPorts: ["0", "65535"]}')],
  ['service account', rule('  - from:\n    - source: {serviceAccounts: ["ns/"]}'), [['IST0106', '"ns/"']], rule('  - from:\n    - source: {serviceAccounts: ["ns/sa", "sa"]}')],
  [
    'trust domain',
    rule('  - from:\n    - source: {trustDomains: ["a*b.com", "a/b"]}'),
    [
      ['IST0106', '"a*b.com"'],
      ['IST0106', '"a/b"'],
    ],
    rule('  - from:\n    - source: {notTrustDomains: ["*.com", "td*", "*"]}'),
  ],
  ['path template', rule('  - to:\n    - operation: {paths: ["/a/{x}"]}'), [['IST0106', '"/a/{x}"']], rule('  - to:\n    - operation: {paths: ["/a/{*}/b/{**}", "/c/*"]}')],
  [
    'condition values by key',
    rule('  - when:\n    - {key: destination.port, values: ["http"]}\n    - {key: source.serviceAccount, notValues: ["*"]}'),
    [
      ['IST0106', '"http"'],
      ['IST0106', '"*"'],
    ],
    rule('  - when:\n    - {key: destination.ip, values: ["10.0.0.0/8"]}\n    - {key: source.trustDomain, values: ["*.local"]}'),
  ],
  ['condition without values', rule('  - when:\n    - {key: source.ip, values: []}'), [['IST0106', 'key']], rule('  - when:\n    - {key: source.ip, notValues: ["1.1.1.1"]}')],
  [
    'retired and malformed keys',
    rule('  - when:\n    - {key: "destination.labels[app]", values: [a]}\n    - {key: "request.headers[]", values: [a]}'),
    [
      ['IST0106', '"destination.labels[app]"'],
      ['IST0106', '"request.headers[]"'],
    ],
    rule('  - when:\n    - {key: "experimental.envoy.filters.a.b[c]", values: [a]}'),
  ],
  ['DENY without rules', policy('  action: DENY'), [['IST0106', 'DENY']], policy('  action: DENY\n  rules:\n  - {}')],
  ['CUSTOM without rules', policy('  action: CUSTOM\n  provider: {name: authz}'), [['IST0106', 'CUSTOM']], policy('  action: CUSTOM\n  provider: {name: authz}\n  rules:\n  - {}')],
  [
    'CUSTOM with an empty provider name',
    policy('  action: CUSTOM\n  provider: {name: ""}\n  rules:\n  - {}'),
    [['IST0106', 'provider']],
    policy('  action: CUSTOM\n  provider: {name: authz}\n  rules:\n  - {}'),
  ],
  [
    'CUSTOM with source identities',
    policy('  action: CUSTOM\n  provider: {name: authz}\n  rules:\n  - from:\n    - source: {principals: [a], ipBlocks: ["1.1.1.1"]}\n    when:\n    - {key: "request.auth.claims[iss]", values: [x]}'),
    [
      ['IST0106', 'principals'],
      ['IST0106', '"request.auth.claims[iss]"'],
    ],
    policy('  action: CUSTOM\n  provider: {name: authz}\n  rules:\n  - from:\n    - source: {ipBlocks: ["1.1.1.1"]}\n    when:\n    - {key: "request.headers[x]", values: [x]}'),
  ],
  [
    'DENY on HTTP attributes only (warning)',
    policy('  action: DENY\n  rules:\n  - from:\n    - source: {requestPrincipals: ["*"]}'),
    [['IST0133', 'from']],
    policy('  action: DENY\n  rules:\n  - from:\n    - source: {principals: ["*"]}'),
  ],
  [
    'dry-run on another kind',
    reqAuthn('  jwtRules:\n  - issuer: a').replace('namespace: shop', 'namespace: shop\n  annotations: {istio.io/dry-run: "true"}'),
    [['IST0106', 'istio.io/dry-run']],
    policy('  action: DENY\n  rules:\n  - {}', '\n  annotations: {istio.io/dry-run: "false"}'),
  ],
  [
    'dry-run value and action',
    policy('  action: AUDIT\n  rules:\n  - {}', '\n  annotations: {istio.io/dry-run: "true"}'),
    [['IST0106', 'istio.io/dry-run']],
    policy('  rules:\n  - {}', '\n  annotations: {istio.io/dry-run: "1"}'),
  ],
  ['dry-run value', policy('  rules:\n  - {}', '\n  annotations: {istio.io/dry-run: "yes"}'), [['IST0106', '"yes"']], policy('  rules:\n  - {}', '\n  annotations: {istio.io/dry-run: "T"}')],
  [
    'internal annotations',
    policy('  rules:\n  - {}', '\n  annotations: {internal.istio.io/parents: x}'),
    [['IST0106', 'internal.istio.io/parents']],
    policy('  rules:\n  - {}', '\n  annotations: {istio.io/rev: canary}'),
  ],
  [
    'targetRef kinds',
    reqAuthn('  targetRef: {group: networking.istio.io, kind: Gateway, name: gw}'),
    [['IST0106', 'Gateway']],
    reqAuthn('  targetRefs:\n  - {group: networking.istio.io, kind: ServiceEntry, name: se}\n  - {group: gateway.networking.k8s.io, kind: GatewayClass, name: istio}'),
  ],
  ['selector without labels (warning)', reqAuthn('  selector: {matchLabels: {}}'), [['IST0133', 'selector']], reqAuthn('  selector: {matchLabels: {app: cart}}')],
  ['JWT rule without issuer or jwksUri', reqAuthn('  jwtRules:\n  - audiences: [a]'), [['IST0106', 'audiences']], reqAuthn('  jwtRules:\n  - jwks_uri: https://a.example.com/keys')],
  [
    'jwks key type',
    reqAuthn(`  jwtRules:\n  - issuer: a\n    jwks: '{"keys":[{"kty":"DSA"}]}'`),
    [['IST0106', `'{"keys":[{"kty":"DSA"}]}'`]],
    reqAuthn(`  jwtRules:\n  - issuer: a\n    jwks: '{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}'`),
  ],
  [
    'jwks private key (warning)',
    reqAuthn(`  jwtRules:\n  - issuer: a\n    jwks: '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}'`),
    [['IST0133', `'{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}'`]],
    reqAuthn(`  jwtRules:\n  - issuer: a\n    jwks: '{"keys":[{"kty":"RSA","e":"AQAB","n":"xAE7"}]}'`),
  ],
  ['JWT timeout precision', reqAuthn('  jwtRules:\n  - issuer: a\n    timeout: 1500us'), [['IST0106', '1500us']], reqAuthn('  jwtRules:\n  - issuer: a\n    timeout: 1.5s')],
  [
    'several tracing entries (warning)',
    telemetry('  tracing:\n  - randomSamplingPercentage: 1\n  - randomSamplingPercentage: 2'),
    [['IST0133', 'randomSamplingPercentage']],
    telemetry('  tracing:\n  - randomSamplingPercentage: 1'),
  ],
  ['several tracing providers (warning)', telemetry('  tracing:\n  - providers:\n    - name: a\n    - name: b'), [['IST0133', 'name']], telemetry('  tracing:\n  - providers:\n    - name: a')],
  [
    'custom tag without name',
    telemetry('  tracing:\n  - customTags:\n      "": {literal: {value: x}}'),
    [['IST0106', '""']],
    telemetry('  tracing:\n  - customTags:\n      team: {literal: {value: x}}'),
  ],
  [
    'tag override without name (warning)',
    telemetry('  metrics:\n  - overrides:\n    - tagOverrides:\n        "": {operation: REMOVE}'),
    [['IST0133', '""']],
    telemetry('  metrics:\n  - overrides:\n    - tagOverrides:\n        team: {operation: REMOVE}'),
  ],
  [
    'access-log filter',
    telemetry('  accessLogging:\n  - filter:\n      expression: ")++++"'),
    [['IST0106', '")++++"']],
    telemetry('  accessLogging:\n  - filter:\n      expression: "connection.mtls && request.url_path.contains(\'v1beta3\')"'),
  ],
  [
    'WasmPlugin env defined twice',
    wasm('  vmConfig:\n    env:\n    - {name: A, value: x}\n    - {name: A, value: y}'),
    [['IST0106', 'A']],
    wasm('  vmConfig:\n    env:\n    - {name: A, value: x}\n    - {name: B, valueFrom: HOST}'),
  ],
];

describe('webhook rules of the security, telemetry and extensions kinds', () => {
  it.each(CASES)('%s', (_name, bad, expected, good) => {
    expect(found(bad)).toEqual(expected);
    expect(found(good)).toEqual([]);
  });

  it('takes a null selector as none', () => {
    expect(found(reqAuthn('  selector: null'))).toEqual([]);
  });

  it('accepts source.trustDomain, which 1.30 knows', () => {
    expect(found(rule('  - when:\n    - {key: source.trustDomain, values: ["cluster.local"]}'))).toEqual([]);
  });
});

describe("security values as Istio's Go code parses them", () => {
  it.each(['1.2.3.4', '0.0.0.0', '::', '::1', 'fe80::1%eth0', '2001:db8::1', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '10.0.0.0/8', '::/0', '2001:db8::/128'])('%s is an address or CIDR', (v) =>
    expect(ipProblem(v)).toBeUndefined(),
  );
  it.each(['01.2.3.4', '1.2.3', '256.1.1.1', '1.2.3.4.5', 'a.b.c.d', '1:2:3:4:5:6:7:8:9', '1::2::3', '1:2:3:4:5:6:7::8', 'fe80::1%', '10.0.0.0/08', '10.0.0.0/33', 'fe80::1%eth0/64', '1.2.3.4/', ''])(
    '%s is not',
    (v) => expect(ipProblem(v)).toBeDefined(),
  );
  it('checks ports, service accounts, trust domains and path templates', () => {
    expect(['0', '80', '65535'].map(portProblem)).toEqual([undefined, undefined, undefined]);
    expect(['-1', '+1', '65536', 'http', ' 80'].every((p) => portProblem(p))).toBe(true);
    expect(['sa', 'ns/sa'].map(serviceAccountProblem)).toEqual([undefined, undefined]);
    expect(['a/b/c', '/sa', 'ns/', 'ns/*'].every((v) => serviceAccountProblem(v))).toBe(true);
    expect(['*', '*.local', 'td*'].map(trustDomainProblem)).toEqual([undefined, undefined, undefined]);
    expect(['a*b', '**', 'a/b'].every((v) => trustDomainProblem(v))).toBe(true);
    expect(['/a/{*}/{**}', '/{**}/', '/a/b*', '/a b'].map(pathTemplateProblem)).toEqual([undefined, undefined, undefined, undefined]);
    expect(['/{**}/{*}', '/a{*}', '/a/{x}', '/a b/{*}', '/a//{*}'].every((v) => pathTemplateProblem(v))).toBe(true);
  });
});

// validation_test.go of Istio 1.30.3, case by case as YAML (test/fixtures/webhook-security/).
const corpus = readFileSync(join(repoRoot, 'test', 'fixtures', 'webhook-security', 'istio-1.30-cases.yaml'), 'utf8')
  .split(/^---\n/m)
  .slice(1)
  .map((doc) => {
    const [, name, outcome, warning] = /^# case: (.*): (valid|invalid)( warning)?$/m.exec(doc) ?? [];
    return { name, valid: outcome === 'valid', warning: !!warning, doc };
  });

/** Invalid cases no YAML can express: an empty list reaches the webhook as no list, which Istio accepts. */
const UNREACHABLE = ['AuthorizationPolicy/from-empty', 'AuthorizationPolicy/to-empty'];

describe("Istio's own webhook test cases", () => {
  it.each(corpus.filter((c) => c.valid).map((c) => [c.name, c] as const))('valid: %s', (_name, c) => {
    const problems = diagnose(c.doc);
    expect(problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.message}`)).toEqual([]);
    expect(problems.some((p) => p.code === 'IST0133')).toBe(c.warning);
  });

  it.each(corpus.filter((c) => !c.valid).map((c) => [c.name, c] as const))('invalid: %s', (name, c) => {
    const errors = diagnose(c.doc).filter((p) => p.severity === 'error');
    expect(errors.length > 0).toBe(!UNREACHABLE.includes(name));
  });
});
