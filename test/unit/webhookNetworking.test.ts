// Istio's validating-webhook rules for the networking kinds (IST0106 errors, IST0133 warnings):
// for each rule a resource the webhook rejects (or warns about) and a close one it accepts; then
// Istio's own table-driven test cases (validation_test.go, virtualservice_test.go,
// envoyfilter_test.go), written out as YAML in test/fixtures/webhook-networking/: no error on
// any case Istio accepts, and the invalid ones caught.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, repoRoot } from '../support';

type Kind = 'VirtualService' | 'DestinationRule' | 'Gateway' | 'ServiceEntry' | 'Sidecar' | 'WorkloadEntry' | 'WorkloadGroup' | 'ProxyConfig' | 'EnvoyFilter';
const API: Partial<Record<Kind, string>> = { ProxyConfig: 'networking.istio.io/v1beta1', EnvoyFilter: 'networking.istio.io/v1alpha3' };

/** A resource of `kind` in namespace shop; `spec` and `metadata` in YAML flow style. */
const doc = (kind: Kind, spec: string, metadata = '{name: x, namespace: shop}') => `apiVersion: ${API[kind] ?? 'networking.istio.io/v1'}\nkind: ${kind}\nmetadata: ${metadata}\nspec: ${spec}\n`;

/** The webhook findings of a document: [code, text at the range, message]. */
function findings(text: string): [string, string, string][] {
  return diagnose(text, '1.31')
    .filter((d) => d.severity === 'error' || d.code === 'IST0133')
    .map((d) => [d.code, d.text, d.message]);
}

interface Rule {
  rule: string;
  bad: string;
  good: string;
  /** The text the finding is on, and part of its message. */
  at: string;
  message: RegExp;
  code?: 'IST0106' | 'IST0133';
}

const vs = (http: string, extra = '') => doc('VirtualService', `{hosts: [reviews.shop.svc.cluster.local]${extra}, http: [${http}]}`);
const to = '{route: [{destination: {host: reviews}}]';
const dr = (policy: string, extra = '') => doc('DestinationRule', `{host: reviews${extra}, trafficPolicy: ${policy}}`);
const gw = (server: string, metadata?: string) => doc('Gateway', `{servers: [${server}]}`, metadata);
const http80 = "port: {number: 80, name: http, protocol: HTTP}, hosts: ['*.example.com']";
const tls443 = "port: {number: 443, name: https, protocol: HTTPS}, hosts: ['*.example.com']";
const se = (spec: string, metadata?: string) => doc('ServiceEntry', spec, metadata);
const sc = (spec: string) => doc('Sidecar', spec);
const ef = (patch: string) => doc('EnvoyFilter', `{priority: 1, configPatches: [${patch}]}`);

const VIRTUAL_SERVICE: Rule[] = [
  { rule: 'delegate without gateways', bad: doc('VirtualService', `{gateways: [gw], http: [${to}}]}`), good: doc('VirtualService', `{http: [${to}}]}`), at: 'gateways', message: /delegate/ },
  {
    rule: 'JWT claim routing only on gateways',
    bad: vs(`{match: [{headers: {'@request.auth.claims.group': {exact: admin}}}], route: [{destination: {host: reviews}}]}`),
    good: vs(`{match: [{headers: {'@request.auth.claims.group': {exact: admin}}}], route: [{destination: {host: reviews}}]}`, ', gateways: [istio-system/gw]').replace(
      'reviews.shop.svc.cluster.local',
      'reviews.example.com',
    ),
    at: '@request.auth.claims.group',
    message: /JWT claim/,
  },
  {
    rule: 'duplicate hosts',
    bad: doc('VirtualService', `{hosts: ['*.example.com', 'a.example.com'], http: [${to}}]}`),
    good: doc('VirtualService', `{hosts: ['*.example.com', 'a.example.org'], http: [${to}}]}`),
    at: 'a.example.com',
    message: /overlap/,
  },
  { rule: 'routes required', bad: doc('VirtualService', '{hosts: [reviews]}'), good: doc('VirtualService', `{hosts: [reviews], http: [${to}}]}`), at: 'spec', message: /http, tcp or tls/ },
  {
    rule: 'mesh VirtualService host *',
    bad: doc('VirtualService', `{hosts: ['*'], http: [${to}}]}`),
    good: doc('VirtualService', `{hosts: ['*'], gateways: [gw], http: [${to}}]}`),
    at: '*',
    message: /bound to the mesh/,
  },
  {
    rule: 'outbound_ SNI host on a gateway',
    bad: doc('VirtualService', '{hosts: [outbound_.x_._.istiod], gateways: [gw], tls: [{match: [{sniHosts: [outbound_.x_._.istiod]}], route: [{destination: {host: istiod}}]}]}'),
    good: doc('VirtualService', '{hosts: [outbound_.15010_._.istiod], gateways: [gw], tls: [{match: [{sniHosts: [outbound_.15010_._.istiod]}], route: [{destination: {host: istiod}}]}]}'),
    at: 'outbound_.x_._.istiod',
    message: /should be a port/,
  },
  {
    rule: 'TLS route needs a match',
    bad: doc('VirtualService', '{hosts: [a.example.com], tls: [{match: [], route: [{destination: {host: a}}]}]}'),
    good: doc('VirtualService', '{hosts: [a.example.com], tls: [{match: [{sniHosts: [a.example.com]}], route: [{destination: {host: a}}]}]}'),
    at: '[]',
    message: /at least one match/,
  },
  {
    rule: 'SNI host within the hosts',
    bad: doc('VirtualService', '{hosts: [a.example.com], tls: [{match: [{sniHosts: [b.example.com]}], route: [{destination: {host: a}}]}]}'),
    good: doc('VirtualService', "{hosts: ['*.example.com'], tls: [{match: [{sniHosts: [b.example.com]}], route: [{destination: {host: a}}]}]}"),
    at: 'b.example.com',
    message: /not within/,
  },
  {
    rule: 'SNI host as IP (warning)',
    code: 'IST0133',
    bad: doc('VirtualService', "{hosts: ['*'], gateways: [gw], tls: [{match: [{sniHosts: ['10.0.0.1']}], route: [{destination: {host: a}}]}]}"),
    good: doc('VirtualService', "{hosts: ['*'], gateways: [gw], tls: [{match: [{sniHosts: [a.example.com]}], route: [{destination: {host: a}}]}]}"),
    at: '10.0.0.1',
    message: /SNI spec/,
  },
  {
    rule: 'TCP route needs a route',
    bad: doc('VirtualService', '{hosts: [a], tcp: [{match: [{port: 5000}]}]}'),
    good: doc('VirtualService', '{hosts: [a], tcp: [{match: [{port: 5000}], route: [{destination: {host: a}}]}]}'),
    at: 'match',
    message: /TCP route needs a route/,
  },
  {
    rule: 'destination subnets',
    bad: doc('VirtualService', "{hosts: [a], tcp: [{match: [{destinationSubnets: ['10.0.0.0/33']}], route: [{destination: {host: a}}]}]}"),
    good: doc('VirtualService', "{hosts: [a], tcp: [{match: [{destinationSubnets: ['10.0.0.0/8', '10.1.1.1']}], route: [{destination: {host: a}}]}]}"),
    at: '10.0.0.0/33',
    message: /CIDR/,
  },
  {
    rule: 'route with delegate sets no route',
    bad: vs('{delegate: {name: d}, route: [{destination: {host: a}}]}'),
    good: vs('{delegate: {name: d}}'),
    at: 'route',
    message: /delegate must not set route/,
  },
  {
    rule: 'no delegate in a delegate',
    bad: doc('VirtualService', '{http: [{delegate: {name: d}}]}'),
    good: doc('VirtualService', `{http: [${to}}]}`),
    at: 'delegate',
    message: /cannot delegate again/,
  },
  { rule: 'fault with redirect', bad: vs('{redirect: {uri: /a}, fault: {abort: {httpStatus: 500}}}'), good: vs('{redirect: {uri: /a}}'), at: 'fault', message: /fault and redirect/ },
  {
    rule: 'rewrite with directResponse',
    bad: vs('{directResponse: {status: 200}, rewrite: {uri: /a}}'),
    good: vs('{directResponse: {status: 200}}'),
    at: 'rewrite',
    message: /rewrite and directResponse/,
  },
  {
    rule: 'route, redirect or directResponse required',
    bad: vs('{match: [{uri: {prefix: /a}}]}'),
    good: vs(`{match: [{uri: {prefix: /a}}], route: [{destination: {host: a}}]}`),
    at: 'match',
    message: /needs a route/,
  },
  {
    rule: 'null header match',
    bad: vs(`{match: [{headers: {x-user: null}}], route: [{destination: {host: a}}]}`),
    good: vs(`{match: [{headers: {x-user: {exact: a}}}], route: [{destination: {host: a}}]}`),
    at: 'x-user',
    message: /cannot be null/,
  },
  {
    rule: 'header name',
    bad: vs(`{match: [{headers: {'x user': {exact: a}}}], route: [{destination: {host: a}}]}`),
    good: vs(`{match: [{headers: {':authority': {exact: a}}}], route: [{destination: {host: a}}]}`),
    at: 'x user',
    message: /not a valid header name/,
  },
  {
    rule: 'empty prefix match',
    bad: vs(`{match: [{method: {prefix: ''}}], route: [{destination: {host: a}}]}`),
    good: vs(`{match: [{uri: {prefix: ''}}], route: [{destination: {host: a}}]}`),
    at: "''",
    message: /prefix match must not be empty/,
  },
  {
    rule: 'empty regex match',
    bad: vs(`{match: [{uri: {regex: ''}}], route: [{destination: {host: a}}]}`),
    good: vs(`{match: [{withoutHeaders: {x-a: {regex: '*'}}}], route: [{destination: {host: a}}]}`),
    at: "''",
    message: /regex match must not be empty/,
  },
  {
    rule: 'regex length',
    bad: vs(`{match: [{uri: {regex: '${'a'.repeat(1025)}'}}], route: [{destination: {host: a}}]}`),
    good: vs(`{match: [{uri: {regex: '${'a'.repeat(1024)}'}}], route: [{destination: {host: a}}]}`),
    at: `'${'a'.repeat(1025)}'`,
    message: /too large/,
  },
  {
    rule: 'sourceNamespace',
    bad: vs(`{match: [{sourceNamespace: Shop_1}], route: [{destination: {host: a}}]}`),
    good: vs(`{match: [{sourceNamespace: shop}], route: [{destination: {host: a}}]}`),
    at: 'Shop_1',
    message: /sourceNamespace/,
  },
  {
    rule: 'header operation name',
    bad: vs(`{headers: {request: {set: {':path': /a}}}, route: [{destination: {host: a}}]}`),
    good: vs(`{headers: {request: {set: {':authority': a.example.com}}}, route: [{destination: {host: a}}]}`),
    at: ':path',
    message: /cannot start with ':'/,
  },
  {
    rule: 'Host header removal',
    bad: vs(`{headers: {request: {remove: [Host]}}, route: [{destination: {host: a}}]}`),
    good: vs(`{headers: {request: {remove: [x-debug]}}, route: [{destination: {host: a}}]}`),
    at: 'Host',
    message: /Host header/,
  },
  {
    rule: 'header value escaping',
    bad: vs(`{route: [{destination: {host: a}, headers: {response: {add: {x-rate: '100%'}}}}]}`),
    good: vs(`{route: [{destination: {host: a}, headers: {response: {add: {x-rate: '100%%', x-host: '%HOSTNAME%'}}}}]}`),
    at: "'100%'",
    message: /unescaped/,
  },
  {
    rule: 'authority set twice',
    bad: vs(`{rewrite: {authority: a.example.com}, headers: {request: {set: {host: b.example.com}}}, route: [{destination: {host: a}}]}`),
    good: vs(`{rewrite: {authority: a.example.com}, route: [{destination: {host: a}}]}`),
    at: 'host',
    message: /more than once/,
  },
  {
    rule: 'CORS origin',
    bad: vs(`{corsPolicy: {allowOrigins: [{exact: ''}]}, route: [{destination: {host: a}}]}`),
    good: vs(`{corsPolicy: {allowOrigins: [{exact: 'https://a.example.com'}]}, route: [{destination: {host: a}}]}`),
    at: "{exact: ''}",
    message: /allowOrigins/,
  },
  {
    rule: 'CORS method',
    bad: vs(`{corsPolicy: {allowMethods: [get]}, route: [{destination: {host: a}}]}`),
    good: vs(`{corsPolicy: {allowMethods: [GET, '*']}, route: [{destination: {host: a}}]}`),
    at: 'get',
    message: /not a supported HTTP method/,
  },
  {
    rule: 'CORS header name',
    bad: vs(`{corsPolicy: {allowHeaders: ['x a']}, route: [{destination: {host: a}}]}`),
    good: vs(`{corsPolicy: {allowHeaders: ['*', x-a]}, route: [{destination: {host: a}}]}`),
    at: "'x a'",
    message: /header name/,
  },
  {
    rule: 'CORS maxAge in seconds',
    bad: vs(`{corsPolicy: {maxAge: 1500ms}, route: [{destination: {host: a}}]}`),
    good: vs(`{corsPolicy: {maxAge: 2s}, route: [{destination: {host: a}}]}`),
    at: '1500ms',
    message: /seconds/,
  },
  {
    rule: 'fault needs abort or delay',
    bad: vs(`{fault: {}, route: [{destination: {host: a}}]}`),
    good: vs(`{fault: {delay: {fixedDelay: 1s}}, route: [{destination: {host: a}}]}`),
    at: 'fault',
    message: /abort, a delay/,
  },
  {
    rule: 'fault percentage',
    bad: vs(`{fault: {delay: {fixedDelay: 1s, percentage: {value: 0.00001}}}, route: [{destination: {host: a}}]}`),
    good: vs(`{fault: {delay: {fixedDelay: 1s, percentage: {value: 0.5}}}, route: [{destination: {host: a}}]}`),
    at: '{value: 0.00001}',
    message: /0.0001..100/,
  },
  {
    rule: 'gRPC status',
    bad: vs(`{fault: {abort: {grpcStatus: NOTFOUND}}, route: [{destination: {host: a}}]}`),
    good: vs(`{fault: {abort: {grpcStatus: NOT_FOUND}}, route: [{destination: {host: a}}]}`),
    at: 'NOTFOUND',
    message: /gRPC status/,
  },
  {
    rule: 'HTTP status',
    bad: vs(`{fault: {abort: {httpStatus: 99}}, route: [{destination: {host: a}}]}`),
    good: vs(`{fault: {abort: {httpStatus: 503}}, route: [{destination: {host: a}}]}`),
    at: '99',
    message: /200-599/,
  },
  {
    rule: 'http2Error abort',
    bad: vs(`{fault: {abort: {http2Error: CANCEL}}, route: [{destination: {host: a}}]}`),
    good: vs(`{fault: {abort: {httpStatus: 500}}, route: [{destination: {host: a}}]}`),
    at: 'http2Error',
    message: /not supported yet/,
  },
  {
    rule: 'abort without error type (warning)',
    code: 'IST0133',
    bad: vs(`{fault: {abort: {percentage: {value: 5}}}, route: [{destination: {host: a}}]}`),
    good: vs(`{fault: {abort: {percentage: {value: 5}, httpStatus: 500}}, route: [{destination: {host: a}}]}`),
    at: 'abort',
    message: /no error type/,
  },
  {
    rule: 'mirrorPercentage range',
    bad: vs(`{mirror: {host: b}, mirrorPercentage: {value: 101}, route: [{destination: {host: a}}]}`),
    good: vs(`{mirror: {host: b}, mirrorPercentage: {value: 100}, route: [{destination: {host: a}}]}`),
    at: '101',
    message: /0..100/,
  },
  {
    rule: 'mirrors need a destination',
    bad: vs(`{mirrors: [{percentage: {value: 5}}], route: [{destination: {host: a}}]}`),
    good: vs(`{mirrors: [{destination: {host: b}, percentage: {value: 5}}], route: [{destination: {host: a}}]}`),
    at: '{percentage: {value: 5}}',
    message: /mirror needs a destination/,
  },
  { rule: 'destination host *', bad: vs(`{route: [{destination: {host: '*'}}]}`), good: vs(`{route: [{destination: {host: '*.example.com'}}]}`), at: "'*'", message: /cannot be '\*'/ },
  { rule: 'subset name', bad: vs(`{route: [{destination: {host: a, subset: V_1}}]}`), good: vs(`{route: [{destination: {host: a, subset: v1}}]}`), at: 'V_1', message: /DNS label/ },
  {
    rule: 'redirect prefixRewrite with exact uri',
    bad: vs(`{match: [{uri: {exact: /a}}], redirect: {prefixRewrite: /b}}`),
    good: vs(`{match: [{uri: {prefix: /a}}], redirect: {prefixRewrite: /b}}`),
    at: 'prefixRewrite',
    message: /prefix match/,
  },
  { rule: 'redirect needs a target', bad: vs(`{redirect: {redirectCode: 301}}`), good: vs(`{redirect: {redirectCode: 301, scheme: https}}`), at: 'redirect', message: /must set uri/ },
  { rule: 'redirect code', bad: vs(`{redirect: {uri: /a, redirectCode: 200}}`), good: vs(`{redirect: {uri: /a, redirectCode: 308}}`), at: '200', message: /3xx/ },
  { rule: 'redirect scheme', bad: vs(`{redirect: {uri: /a, scheme: ftp}}`), good: vs(`{redirect: {uri: /a, scheme: http}}`), at: 'ftp', message: /"http" or "https"/ },
  { rule: 'direct response status', bad: vs(`{directResponse: {status: 601}}`), good: vs(`{directResponse: {status: 404, body: {string: gone}}}`), at: '601', message: /200-599/ },
  {
    rule: 'large direct response (warning)',
    code: 'IST0133',
    bad: vs(`{directResponse: {status: 200, body: {string: '${'x'.repeat(102_401)}'}}}`),
    good: vs(`{directResponse: {status: 200, body: {string: '${'x'.repeat(1000)}'}}}`),
    at: `{string: '${'x'.repeat(102_401)}'}`,
    message: /100KB/,
  },
  {
    rule: 'retries disabled but configured',
    bad: vs(`{retries: {attempts: 0, retryOn: 5xx}, route: [{destination: {host: a}}]}`),
    good: vs(`{retries: {attempts: 0}, route: [{destination: {host: a}}]}`),
    at: 'attempts',
    message: /attempts is 0/,
  },
  {
    rule: 'retryOn policy',
    bad: vs(`{retries: {attempts: 2, retryOn: '5xx,retry-please'}, route: [{destination: {host: a}}]}`),
    good: vs(`{retries: {attempts: 2, retryOn: '5xx,503,reset'}, route: [{destination: {host: a}}]}`),
    at: "'5xx,retry-please'",
    message: /retry-please/,
  },
  {
    rule: 'rewrite needs something',
    bad: vs(`{rewrite: {}, route: [{destination: {host: a}}]}`),
    good: vs(`{rewrite: {authority: b.example.com}, route: [{destination: {host: a}}]}`),
    at: 'rewrite',
    message: /must set uri/,
  },
  {
    rule: 'uriRegexRewrite needs match and rewrite',
    bad: vs(`{rewrite: {uriRegexRewrite: {match: '^/a'}}, route: [{destination: {host: a}}]}`),
    good: vs(`{rewrite: {uriRegexRewrite: {match: '^/a', rewrite: /b}}, route: [{destination: {host: a}}]}`),
    at: 'uriRegexRewrite',
    message: /both match and rewrite/,
  },
  {
    rule: 'millisecond precision',
    bad: vs(`{timeout: 1500us, route: [{destination: {host: a}}]}`),
    good: vs(`{timeout: 1500ms, route: [{destination: {host: a}}]}`),
    at: '1500us',
    message: /millisecond/,
  },
  {
    rule: 'legacy gateway name (warning)',
    code: 'IST0133',
    bad: doc('VirtualService', `{hosts: [a.example.com], gateways: [gw.istio-system], http: [${to}}]}`),
    good: doc('VirtualService', `{hosts: [a.example.com], gateways: [istio-system/gw], http: [${to}}]}`),
    at: 'gw.istio-system',
    message: /istio-system\/gw/,
  },
  {
    rule: 'exportTo duplicates',
    bad: doc('VirtualService', `{hosts: [a], exportTo: ['.', shop], http: [${to}}]}`),
    good: doc('VirtualService', `{hosts: [a], exportTo: ['.', other], http: [${to}}]}`),
    at: 'shop',
    message: /Duplicate/,
  },
];

const GATEWAY: Rule[] = [
  { rule: 'name is a DNS label', bad: gw(`{${http80}}`, '{name: a.b, namespace: shop}'), good: gw(`{${http80}}`, '{name: a-b, namespace: shop}'), at: 'a.b', message: /DNS label/ },
  { rule: 'servers required', bad: doc('Gateway', '{selector: {istio: ingressgateway}}'), good: gw(`{${http80}}`), at: 'spec', message: /at least one server/ },
  {
    rule: 'unique port names',
    bad: doc('Gateway', `{servers: [{${http80}}, {port: {number: 8080, name: http, protocol: HTTP}, hosts: ['*']}]}`),
    good: doc('Gateway', `{servers: [{${http80}}, {port: {number: 8080, name: http-alt, protocol: HTTP}, hosts: ['*']}]}`),
    at: 'http',
    message: /unique/,
  },
  {
    rule: 'short host',
    bad: gw(`{port: {number: 80, name: http, protocol: HTTP}, hosts: [reviews]}`),
    good: gw(`{port: {number: 80, name: http, protocol: HTTP}, hosts: [shop/reviews.example.com, '10.0.0.1']}`),
    at: 'reviews',
    message: /short names/,
  },
  {
    rule: 'host namespace',
    bad: gw(`{port: {number: 80, name: http, protocol: HTTP}, hosts: [sh_op/a.example.com]}`),
    good: gw(`{port: {number: 80, name: http, protocol: HTTP}, hosts: ['./a.example.com', '*/a.example.com']}`),
    at: 'sh_op/a.example.com',
    message: /namespace/,
  },
  {
    rule: 'protocol',
    bad: gw(`{port: {number: 80, name: http, protocol: HTTP3}, hosts: ['*']}`),
    good: gw(`{port: {number: 80, name: http, protocol: http2}, hosts: ['*']}`),
    at: 'HTTP3',
    message: /Invalid protocol/,
  },
  {
    rule: 'unix bind takes port 0',
    bad: gw(`{port: {number: 80, name: uds, protocol: HTTP}, bind: 'unix:///var/run/gw.sock', hosts: ['*']}`),
    good: gw(`{port: {number: 0, name: uds, protocol: HTTP}, bind: 'unix:///var/run/gw.sock', hosts: ['*']}`),
    at: '80',
    message: /must be 0/,
  },
  { rule: 'bind is an IP', bad: gw(`{${http80}, bind: localhost}`), good: gw(`{${http80}, bind: '::1'}`), at: 'localhost', message: /IP address/ },
  { rule: 'HTTPS needs TLS', bad: gw(`{${tls443}}`), good: gw(`{${tls443}, tls: {mode: SIMPLE, credentialName: cert}}`), at: 'port', message: /needs TLS settings/ },
  { rule: 'no TLS on plain HTTP', bad: gw(`{${http80}, tls: {mode: SIMPLE, credentialName: cert}}`), good: gw(`{${http80}, tls: {httpsRedirect: true}}`), at: 'tls', message: /httpsRedirect/ },
  {
    rule: 'ISTIO_MUTUAL takes no certificates',
    bad: gw(`{${tls443}, tls: {mode: ISTIO_MUTUAL, credentialName: cert}}`),
    good: gw(`{${tls443}, tls: {mode: ISTIO_MUTUAL}}`),
    at: 'credentialName',
    message: /ISTIO_MUTUAL/,
  },
  {
    rule: 'one certificate source',
    bad: gw(`{${tls443}, tls: {mode: SIMPLE, credentialName: cert, serverCertificate: /c.pem, privateKey: /k.pem}}`),
    good: gw(`{${tls443}, tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}}`),
    at: '{mode: SIMPLE, credentialName: cert, serverCertificate: /c.pem, privateKey: /k.pem}',
    message: /only one of/,
  },
  {
    rule: 'MUTUAL needs a CA',
    bad: gw(`{${tls443}, tls: {mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem}}`),
    good: gw(`{${tls443}, tls: {mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem, caCertificates: /ca.pem}}`),
    at: 'MUTUAL',
    message: /client CA/,
  },
  {
    rule: 'SIMPLE needs a private key',
    bad: gw(`{${tls443}, tls: {mode: SIMPLE, serverCertificate: /c.pem}}`),
    good: gw(`{${tls443}, tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}}`),
    at: 'SIMPLE',
    message: /private key/,
  },
  {
    rule: 'no CRL with SIMPLE',
    bad: gw(`{${tls443}, tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem, caCrl: /crl.pem}}`),
    good: gw(`{${tls443}, tls: {mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem, caCertificates: /ca.pem, caCrl: /crl.pem}}`),
    at: 'caCrl',
    message: /SIMPLE/,
  },
  {
    rule: 'invalid cipher suites (warning)',
    code: 'IST0133',
    bad: gw(`{${tls443}, tls: {mode: SIMPLE, credentialName: c, cipherSuites: [ECDHE-RSA-AES512]}}`),
    good: gw(`{${tls443}, tls: {mode: SIMPLE, credentialName: c, cipherSuites: [ECDHE-RSA-AES128-GCM-SHA256]}}`),
    at: 'cipherSuites',
    message: /invalid cipher/,
  },
  {
    rule: 'PASSTHROUGH ignores certificates (warning)',
    code: 'IST0133',
    bad: gw(`{${tls443}, tls: {mode: PASSTHROUGH, credentialName: c}}`),
    good: gw(`{${tls443}, tls: {mode: PASSTHROUGH}}`),
    at: 'PASSTHROUGH',
    message: /ignored/,
  },
  {
    rule: 'httpsRedirect on a non-HTTP server (warning)',
    code: 'IST0133',
    bad: gw(`{${tls443}, tls: {mode: SIMPLE, credentialName: c, httpsRedirect: true}}`),
    good: gw(`{${tls443}, tls: {mode: SIMPLE, credentialName: c}}`),
    at: 'httpsRedirect',
    message: /HTTP servers/,
  },
];

const DESTINATION_RULE: Rule[] = [
  { rule: 'traffic policy sets something', bad: dr('{}'), good: dr('{tls: {mode: ISTIO_MUTUAL}}'), at: 'trafficPolicy', message: /at least one field/ },
  {
    rule: 'tunnel with proxyProtocol',
    bad: dr('{tunnel: {targetHost: a.example.com, targetPort: 8443}, proxyProtocol: {version: V1}}'),
    good: dr('{tunnel: {targetHost: a.example.com, targetPort: 8443}}'),
    at: 'proxyProtocol',
    message: /not be set together/,
  },
  {
    rule: 'tunnel protocol and target',
    bad: dr('{tunnel: {protocol: GET, targetHost: a.example.com, targetPort: 8443}}'),
    good: dr('{tunnel: {protocol: POST, targetHost: 10.0.0.1, targetPort: 8443}}'),
    at: 'GET',
    message: /CONNECT/,
  },
  {
    rule: 'port-level settings need a port',
    bad: dr('{portLevelSettings: [{tls: {mode: SIMPLE}}]}'),
    good: dr('{portLevelSettings: [{port: {number: 80}, tls: {mode: SIMPLE}}]}'),
    at: '{tls: {mode: SIMPLE}}',
    message: /needs a port/,
  },
  {
    rule: 'local origin failures need split errors',
    bad: dr('{outlierDetection: {consecutiveLocalOriginFailures: 3}}'),
    good: dr('{outlierDetection: {consecutiveLocalOriginFailures: 3, splitExternalLocalOriginErrors: true}}'),
    at: 'consecutiveLocalOriginFailures',
    message: /splitExternalLocalOriginErrors/,
  },
  { rule: 'connection pool sets something', bad: dr('{connectionPool: {}}'), good: dr('{connectionPool: {tcp: {maxConnections: 10}}}'), at: 'connectionPool', message: /http or tcp/ },
  {
    rule: 'useClientProtocol with UPGRADE',
    bad: dr('{connectionPool: {http: {h2UpgradePolicy: UPGRADE, useClientProtocol: true}}}'),
    good: dr('{connectionPool: {http: {h2UpgradePolicy: UPGRADE}}}'),
    at: 'useClientProtocol',
    message: /UPGRADE/,
  },
  {
    rule: 'http2 keepalive needs interval and timeout',
    bad: dr('{connectionPool: {http: {http2KeepAlive: {interval: 10s}}}}'),
    good: dr('{connectionPool: {http: {http2KeepAlive: {interval: 10s, timeout: 3s}}}}'),
    at: 'http2KeepAlive',
    message: /timeout/,
  },
  {
    rule: 'maglev table size is prime',
    bad: dr('{loadBalancer: {consistentHash: {httpHeaderName: x, maglev: {tableSize: 1000}}}}'),
    good: dr('{loadBalancer: {consistentHash: {httpHeaderName: x, maglev: {tableSize: 65537}}}}'),
    at: '1000',
    message: /prime/,
  },
  {
    rule: 'cookie attributes are unique',
    bad: dr('{loadBalancer: {consistentHash: {httpCookie: {name: c, ttl: 1s, attributes: [{name: SameSite, value: Lax}, {name: SameSite, value: Strict}]}}}}'),
    good: dr('{loadBalancer: {consistentHash: {httpCookie: {name: c, ttl: 1s, attributes: [{name: SameSite, value: Lax}]}}}}'),
    at: 'SameSite',
    message: /Duplicate cookie/,
  },
  {
    rule: 'locality and zone-aware settings exclusive',
    bad: dr("{loadBalancer: {localityLbSetting: {enabled: true}, zoneAwareLbSetting: {failoverPriority: ['x']}}, outlierDetection: {interval: 1s}}"),
    good: dr('{loadBalancer: {localityLbSetting: {enabled: true}}}'),
    at: 'zoneAwareLbSetting',
    message: /only one of/,
  },
  {
    rule: 'locality weights add up to 100',
    bad: dr("{loadBalancer: {localityLbSetting: {distribute: [{from: 'us/*', to: {'us/a/*': 60, 'us/b/*': 30}}]}}}"),
    good: dr("{loadBalancer: {localityLbSetting: {distribute: [{from: 'us/*', to: {'us/a/*': 70, 'us/b/*': 30}}]}}}"),
    at: 'to',
    message: /add up to 90/,
  },
  {
    rule: 'failover to another region',
    bad: dr('{loadBalancer: {localityLbSetting: {failover: [{from: us, to: us}]}}, outlierDetection: {interval: 1s}}'),
    good: dr('{loadBalancer: {localityLbSetting: {failover: [{from: us, to: eu}]}}, outlierDetection: {interval: 1s}}'),
    at: '{from: us, to: us}',
    message: /different region/,
  },
  {
    rule: 'failover needs outlier detection (warning)',
    code: 'IST0133',
    bad: dr('{loadBalancer: {localityLbSetting: {failover: [{from: us, to: eu}]}}}'),
    good: dr('{loadBalancer: {localityLbSetting: {failover: [{from: us, to: eu}]}}, outlierDetection: {interval: 1s}}'),
    at: 'failover',
    message: /outlier detection/,
  },
  {
    rule: 'warmup aggression',
    bad: dr('{loadBalancer: {simple: ROUND_ROBIN, warmup: {duration: 10s, aggression: 0}}}'),
    good: dr('{loadBalancer: {simple: ROUND_ROBIN, warmup: {duration: 10s, aggression: 1.5}}}'),
    at: '0',
    message: /aggression/,
  },
  {
    rule: 'insecureSkipVerify with a CA',
    bad: dr('{tls: {mode: SIMPLE, insecureSkipVerify: true, caCertificates: /ca.pem}}'),
    good: dr('{tls: {mode: SIMPLE, insecureSkipVerify: true}}'),
    at: 'insecureSkipVerify',
    message: /insecureSkipVerify/,
  },
  {
    rule: 'credentialName with certificates',
    bad: dr('{tls: {mode: MUTUAL, credentialName: c, privateKey: /k.pem}}'),
    good: dr('{tls: {mode: MUTUAL, credentialName: c}}'),
    at: 'privateKey',
    message: /credentialName/,
  },
  {
    rule: 'MUTUAL needs a client certificate',
    bad: dr('{tls: {mode: MUTUAL, privateKey: /k.pem}}'),
    good: dr('{tls: {mode: MUTUAL, privateKey: /k.pem, clientCertificate: /c.pem}}'),
    at: 'MUTUAL',
    message: /clientCertificate/,
  },
  {
    rule: 'duplicate subsets',
    bad: doc('DestinationRule', '{host: r, subsets: [{name: v1, labels: {v: "1"}}, {name: v1, labels: {v: "2"}}]}'),
    good: doc('DestinationRule', '{host: r, subsets: [{name: v1, labels: {v: "1"}}, {name: v2, labels: {v: "2"}}]}'),
    at: 'v1',
    message: /Duplicate subset/,
  },
  {
    rule: 'subset labels',
    bad: doc('DestinationRule', '{host: r, subsets: [{name: v1, labels: {version: "-1"}}]}'),
    good: doc('DestinationRule', '{host: r, subsets: [{name: v1, labels: {version: "1"}}]}'),
    at: '"-1"',
    message: /label value/,
  },
  {
    rule: 'workloadSelector keeps exportTo local',
    bad: doc('DestinationRule', "{host: r, workloadSelector: {matchLabels: {app: a}}, exportTo: ['*']}"),
    good: doc('DestinationRule', "{host: r, workloadSelector: {matchLabels: {app: a}}, exportTo: ['.']}"),
    at: 'exportTo',
    message: /beyond its own namespace/,
  },
  {
    rule: 'selector without labels (warning)',
    code: 'IST0133',
    bad: doc('DestinationRule', '{host: r, workloadSelector: {}}'),
    good: doc('DestinationRule', '{host: r, workloadSelector: {matchLabels: {app: a}}}'),
    at: 'workloadSelector',
    message: /no labels/,
  },
];

const tcp = '{number: 5432, name: tcp, protocol: TCP}';
const SERVICE_ENTRY: Rule[] = [
  {
    rule: 'addresses are IPs or CIDRs',
    bad: se(`{hosts: [db.example.com], addresses: ['10.0.0.300'], ports: [${tcp}]}`),
    good: se(`{hosts: [db.example.com], addresses: ['10.0.0.3', '2001:db8::/32'], ports: [${tcp}]}`),
    at: "'10.0.0.300'",
    message: /IP address/,
  },
  {
    rule: 'unique port names',
    bad: se(`{hosts: [db.example.com], addresses: [10.0.0.3], ports: [${tcp}, {number: 5433, name: tcp, protocol: TCP}]}`),
    good: se(`{hosts: [db.example.com], addresses: [10.0.0.3], ports: [${tcp}, {number: 5433, name: tcp-2, protocol: TCP}]}`),
    at: 'tcp',
    message: /already defined/,
  },
  {
    rule: 'port protocol',
    bad: se('{hosts: [a.example.com], ports: [{number: 80, name: http, protocol: HTTP3}], resolution: DNS}'),
    good: se('{hosts: [a.example.com], ports: [{number: 80, name: http, protocol: grpc-web}], resolution: DNS}'),
    at: 'HTTP3',
    message: /Unsupported protocol/,
  },
  {
    rule: 'TCP port without addresses nor auto-allocation (warning)',
    code: 'IST0133',
    bad: se(`{hosts: [db.example.com], ports: [${tcp}], resolution: NONE}`),
    good: se(`{hosts: [db.example.com], ports: [${tcp}], resolution: DNS}`),
    at: 'TCP',
    message: /auto-allocation/,
  },
  {
    rule: 'STATIC endpoints are IPs',
    bad: se('{hosts: [a.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, endpoints: [{address: b.example.com}]}'),
    good: se('{hosts: [a.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, endpoints: [{address: 10.0.0.1}]}'),
    at: 'b.example.com',
    message: /not a valid IP/,
  },
  {
    rule: 'endpoint ports are service ports',
    bad: se('{hosts: [a.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS, endpoints: [{address: b.example.com, ports: {web: 8080}}]}'),
    good: se('{hosts: [a.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS, endpoints: [{address: b.example.com, ports: {http: 8080}}]}'),
    at: 'web',
    message: /not a port of the ServiceEntry/,
  },
  {
    rule: 'DNS without endpoints needs FQDN hosts',
    bad: se("{hosts: ['*.example.com'], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}"),
    good: se("{hosts: ['*.example.com'], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS, endpoints: [{address: lb.example.com}]}"),
    at: "'*.example.com'",
    message: /FQDN hosts/,
  },
  {
    rule: 'DYNAMIC_DNS hosts are wildcards',
    bad: se('{hosts: [a.example.com], ports: [{number: 443, name: tls, protocol: TLS}], resolution: DYNAMIC_DNS}'),
    good: se("{hosts: ['*.example.com'], ports: [{number: 443, name: tls, protocol: TLS}], resolution: DYNAMIC_DNS}"),
    at: 'a.example.com',
    message: /wildcard hosts/,
  },
  {
    rule: 'DYNAMIC_DNS protocols',
    bad: se(`{hosts: ['*.example.com'], ports: [${tcp}], resolution: DYNAMIC_DNS}`),
    good: se("{hosts: ['*.example.com'], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DYNAMIC_DNS}"),
    at: 'TCP',
    message: /only HTTP, TLS/,
  },
  {
    rule: 'several hosts need HTTP or TLS ports',
    bad: se(`{hosts: [a.example.com, b.example.com], addresses: [10.0.0.1], ports: [${tcp}], resolution: STATIC, endpoints: [{address: 10.0.0.2}]}`),
    good: se(`{hosts: [a.example.com, b.example.com], addresses: [10.0.0.1], ports: [${tcp}], resolution: NONE}`),
    at: 'hosts',
    message: /Several hosts/,
  },
  {
    rule: 'exportTo ~ alone',
    bad: se("{hosts: [a.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS, exportTo: ['~', '.']}"),
    good: se("{hosts: [a.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS, exportTo: ['~']}"),
    at: 'exportTo',
    message: /no one/,
  },
  {
    rule: 'partial wildcard host (warning)',
    code: 'IST0133',
    bad: se("{hosts: ['*example.com'], ports: [{number: 80, name: http, protocol: HTTP}], resolution: NONE}"),
    good: se("{hosts: ['*.example.com'], ports: [{number: 80, name: http, protocol: HTTP}], resolution: NONE}"),
    at: "'*example.com'",
    message: /partial wildcard/,
  },
];

const SIDECAR: Rule[] = [
  {
    rule: 'something to configure',
    bad: sc('{workloadSelector: {labels: {app: a}}}'),
    good: sc("{workloadSelector: {labels: {app: a}}, egress: [{hosts: ['./*']}]}"),
    at: 'spec',
    message: /needs egress/,
  },
  {
    rule: 'unique ingress ports',
    bad: sc('{ingress: [{port: {number: 80, name: a, protocol: HTTP}}, {port: {number: 80, name: b, protocol: HTTP}}]}'),
    good: sc('{ingress: [{port: {number: 80, name: a, protocol: HTTP}}, {port: {number: 81, name: b, protocol: HTTP}}]}'),
    at: '80',
    message: /unique/,
  },
  {
    rule: 'defaultEndpoint',
    bad: sc("{ingress: [{port: {number: 80, name: a, protocol: HTTP}, defaultEndpoint: '10.0.0.1:8080'}]}"),
    good: sc("{ingress: [{port: {number: 80, name: a, protocol: HTTP}, defaultEndpoint: '[::1]:8080'}]}"),
    at: "'10.0.0.1:8080'",
    message: /defaultEndpoint must be/,
  },
  {
    rule: 'ingress TLS unsupported fields',
    bad: sc('{ingress: [{port: {number: 443, name: a, protocol: HTTPS}, tls: {mode: SIMPLE, credentialName: c}}]}'),
    good: sc('{ingress: [{port: {number: 443, name: a, protocol: HTTPS}, tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}}]}'),
    at: 'credentialName',
    message: /not supported/,
  },
  {
    rule: 'ingress TLS mode',
    bad: sc('{ingress: [{port: {number: 443, name: a, protocol: HTTPS}, tls: {mode: ISTIO_MUTUAL}}]}'),
    good: sc('{ingress: [{port: {number: 443, name: a, protocol: HTTPS}, tls: {mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem, caCertificates: /ca.pem}}]}'),
    at: 'ISTIO_MUTUAL',
    message: /cannot use mode/,
  },
  {
    rule: 'ingress TLS on a TLS port',
    bad: sc('{ingress: [{port: {number: 80, name: a, protocol: HTTP}, tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}}]}'),
    good: sc('{ingress: [{port: {number: 443, name: a, protocol: TLS}, tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}}]}'),
    at: 'tls',
    message: /HTTPS or TLS port/,
  },
  {
    rule: 'HTTP pool on a TCP port (warning)',
    code: 'IST0133',
    bad: sc('{ingress: [{port: {number: 5432, name: a, protocol: TCP}, connectionPool: {http: {maxRetries: 1}}}]}'),
    good: sc('{ingress: [{port: {number: 5432, name: a, protocol: TCP}, connectionPool: {tcp: {maxConnections: 1}}}]}'),
    at: 'http',
    message: /only the TCP settings/,
  },
  {
    rule: 'catch-all egress last',
    bad: sc("{egress: [{hosts: ['./*']}, {port: {number: 80, name: a, protocol: HTTP}, hosts: ['./*']}]}"),
    good: sc("{egress: [{port: {number: 80, name: a, protocol: HTTP}, hosts: ['./*']}, {hosts: ['./*']}]}"),
    at: "{hosts: ['./*']}",
    message: /must be the last/,
  },
  {
    rule: 'port 0 needs a unix bind',
    bad: sc("{egress: [{port: {number: 0, name: a, protocol: HTTP}, hosts: ['./*']}]}"),
    good: sc("{egress: [{port: {number: 0, name: a, protocol: HTTP}, bind: 'unix:///var/run/a.sock', hosts: ['./*']}]}"),
    at: 'port',
    message: /unix domain socket bind/,
  },
  {
    rule: 'egress hosts are namespace/dnsName',
    bad: sc('{egress: [{hosts: [reviews.shop.svc.cluster.local]}]}'),
    good: sc("{egress: [{hosts: ['./reviews.shop.svc.cluster.local', '~/*.example.com']}]}"),
    at: 'reviews.shop.svc.cluster.local',
    message: /namespace\/dnsName/,
  },
  {
    rule: 'duplicate egress host (warning)',
    code: 'IST0133',
    bad: sc("{egress: [{hosts: ['shop/*', 'shop/a.example.com']}]}"),
    good: sc("{egress: [{hosts: ['shop/a.example.com', 'other/a.example.com']}]}"),
    at: 'shop/a.example.com',
    message: /Duplicate egress host/,
  },
  {
    rule: 'egressProxy needs ALLOW_ANY',
    bad: sc('{outboundTrafficPolicy: {mode: REGISTRY_ONLY, egressProxy: {host: proxy.example.com, port: {number: 3128}}}}'),
    good: sc('{outboundTrafficPolicy: {mode: REGISTRY_ONLY}}'),
    at: 'egressProxy',
    message: /ALLOW_ANY/,
  },
];

const OTHERS: Rule[] = [
  {
    rule: 'WorkloadEntry address',
    bad: doc('WorkloadEntry', '{address: -a.example.com}'),
    good: doc('WorkloadEntry', '{address: a.example.com}'),
    at: '-a.example.com',
    message: /neither a valid FQDN/,
  },
  {
    rule: 'WorkloadEntry without address (warning)',
    code: 'IST0133',
    bad: doc('WorkloadEntry', '{network: net-2}'),
    good: doc('WorkloadEntry', '{network: net-2, address: 10.0.0.1}'),
    at: 'network',
    message: /address is unset/,
  },
  {
    rule: 'WorkloadEntry port names',
    bad: doc('WorkloadEntry', '{address: 10.0.0.1, ports: {HTTP_1: 8080}}'),
    good: doc('WorkloadEntry', '{address: 10.0.0.1, ports: {http-1: 8080}}'),
    at: 'HTTP_1',
    message: /port name/,
  },
  {
    rule: 'WorkloadGroup probe method',
    bad: doc('WorkloadGroup', '{template: {}, probe: {periodSeconds: 5}}'),
    good: doc('WorkloadGroup', '{template: {}, probe: {periodSeconds: 5, tcpSocket: {port: 80}}}'),
    at: 'probe',
    message: /health check method/,
  },
  {
    rule: 'WorkloadGroup probe header names',
    bad: doc('WorkloadGroup', "{template: {}, probe: {httpGet: {port: 80, httpHeaders: [{name: 'x_y', value: a}]}}}"),
    good: doc('WorkloadGroup', '{template: {}, probe: {httpGet: {port: 80, httpHeaders: [{name: x-y, value: a}]}}}'),
    at: "'x_y'",
    message: /header name/,
  },
  {
    rule: 'EnvoyFilter patch value',
    bad: ef('{applyTo: CLUSTER, patch: {operation: MERGE}}'),
    good: ef('{applyTo: CLUSTER, patch: {operation: MERGE, value: {connect_timeout: 1s}}}'),
    at: 'patch',
    message: /needs a patch value/,
  },
  {
    rule: 'EnvoyFilter patch operation',
    bad: ef('{applyTo: CLUSTER, patch: {value: {connect_timeout: 1s}}}'),
    good: ef('{applyTo: CLUSTER, patch: {operation: REMOVE}}'),
    at: 'patch',
    message: /needs an operation/,
  },
  {
    rule: 'EnvoyFilter proxyVersion regex',
    bad: ef("{applyTo: CLUSTER, match: {proxy: {proxyVersion: '1.2(3'}}, patch: {operation: REMOVE}}"),
    good: ef("{applyTo: CLUSTER, match: {proxy: {proxyVersion: '^1\\.2.*'}}, patch: {operation: REMOVE}}"),
    at: "'1.2(3'",
    message: /RE2/,
  },
  {
    rule: 'EnvoyFilter match class',
    bad: ef('{applyTo: HTTP_FILTER, match: {cluster: {service: a}}, patch: {operation: REMOVE}}'),
    good: ef('{applyTo: CLUSTER, match: {cluster: {service: a}}, patch: {operation: REMOVE}}'),
    at: 'cluster',
    message: /listener match/,
  },
  {
    rule: 'EnvoyFilter subFilter needs the HCM',
    bad: ef('{applyTo: HTTP_FILTER, match: {listener: {filterChain: {filter: {name: envoy.filters.network.tcp_proxy, subFilter: {name: envoy.filters.http.router}}}}}, patch: {operation: REMOVE}}'),
    good: ef(
      '{applyTo: HTTP_FILTER, match: {listener: {filterChain: {filter: {name: envoy.filters.network.http_connection_manager, subFilter: {name: envoy.filters.http.router}}}}}, patch: {operation: REMOVE}}',
    ),
    at: 'subFilter',
    message: /http_connection_manager/,
  },
  {
    rule: 'EnvoyFilter filter match on a listener (warning)',
    code: 'IST0133',
    bad: ef('{applyTo: LISTENER, match: {listener: {filterChain: {filter: {name: envoy.filters.network.tcp_proxy}}}}, patch: {operation: REMOVE}}'),
    good: ef('{applyTo: LISTENER, match: {listener: {portNumber: 80}}, patch: {operation: REMOVE}}'),
    at: 'filter',
    message: /no effect/,
  },
  {
    rule: 'istio.io/dry-run only on AuthorizationPolicy',
    bad: doc('WorkloadEntry', '{address: 10.0.0.1}', "{name: x, annotations: {istio.io/dry-run: 'true'}}"),
    good: doc('WorkloadEntry', '{address: 10.0.0.1}', "{name: x, annotations: {istio.io/rev: 'canary'}}"),
    at: 'istio.io/dry-run',
    message: /AuthorizationPolicy/,
  },
];

describe.each([
  ['VirtualService', VIRTUAL_SERVICE],
  ['Gateway', GATEWAY],
  ['DestinationRule', DESTINATION_RULE],
  ['ServiceEntry', SERVICE_ENTRY],
  ['Sidecar', SIDECAR],
  ['WorkloadEntry, WorkloadGroup, ProxyConfig, EnvoyFilter, metadata', OTHERS],
])('%s webhook rules', (_kind, rules) => {
  it.each(rules.map((r) => [r.rule, r] as const))('%s', (_name, r) => {
    const code = r.code ?? 'IST0106';
    const bad = findings(r.bad);
    expect(
      bad.some(([c, text, message]) => c === code && text.replace(/^'(.*)'$/, '$1') === r.at.replace(/^'(.*)'$/, '$1') && r.message.test(message)),
      `no ${code} on '${r.at}' matching ${r.message}: ${JSON.stringify(bad)}`,
    ).toBe(true);
    expect(findings(r.good)).toEqual([]);
  });
});

describe('the webhook accepts what Istio accepts', () => {
  it('follows aliases and merge keys', () => {
    const text = doc(
      'DestinationRule',
      '{host: r, trafficPolicy: &p {connectionPool: {tcp: {maxConnections: 1}}}, subsets: [{name: v1, labels: &l {v: "1"}, trafficPolicy: *p}, {name: v2, labels: {<<: *l, w: "2"}}]}',
    );
    expect(findings(text)).toEqual([]);
  });
});

const corpus = (name: string) =>
  readFileSync(join(repoRoot, 'test', 'fixtures', 'webhook-networking', name), 'utf8')
    .split(/^---\n/m)
    .map((text) => ({ name: text.split('\n')[0].replace(/^# /, ''), text }));

describe("Istio's own webhook test cases (networking kinds)", () => {
  it('raises no error on a case the webhook accepts', () => {
    const wrong = corpus('istio-valid.yaml').flatMap(({ name, text }) =>
      diagnose(text, '1.31')
        .filter((d) => d.severity === 'error')
        .map((d) => `${name}: ${d.code} ${d.message}`),
    );
    expect(wrong).toEqual([]);
  });

  it('rejects the invalid cases, but for two that need Envoy’s protos', () => {
    const missed = corpus('istio-invalid.yaml')
      .filter(({ text }) => !diagnose(text, '1.31').some((d) => d.severity === 'error'))
      .map(({ name }) => name);
    expect(missed).toEqual(['TestValidateEnvoyFilter: invalid patch value', 'TestValidateEnvoyFilter: deprecated config']);
  });
});
