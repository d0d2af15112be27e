// Evaluates the CRDs' x-kubernetes-validations rules with a CEL environment that has the
// Kubernetes extension functions the Istio CRDs use (url(), isURL()).
import { Environment } from '@marcbachmann/cel-js';

class UrlValue {
  constructor(readonly url: URL) {}
}

function createEnvironment(): Environment {
  return new Environment({ unlistedVariablesAreDyn: true })
    .registerType('URL', UrlValue)
    .registerFunction('url(string): URL', (s: string) => new UrlValue(new URL(s)))
    .registerFunction('isURL(string): bool', (s: string) => URL.canParse(s))
    .registerFunction({ name: 'getScheme', receiverType: 'URL', returnType: 'string', params: [], handler: (u: UrlValue) => u.url.protocol.replace(/:$/, '') })
    .registerFunction({ name: 'getHost', receiverType: 'URL', returnType: 'string', params: [], handler: (u: UrlValue) => u.url.host })
    .registerFunction({ name: 'getHostname', receiverType: 'URL', returnType: 'string', params: [], handler: (u: UrlValue) => u.url.hostname })
    .registerFunction({ name: 'getEscapedPath', receiverType: 'URL', returnType: 'string', params: [], handler: (u: UrlValue) => u.url.pathname });
}

export type CelProgram = (self: unknown) => boolean | undefined;

let environment: Environment | undefined;

/**
 * Compiles a rule. The program returns undefined when the rule cannot be evaluated on this
 * value (a runtime type error): the API server would reject such a value for another reason,
 * which the schema checks report, so the rule itself stays silent.
 */
export function compileRule(rule: string): CelProgram | undefined {
  // Transition rules compare with the stored object, which an editor does not have.
  if (/\boldSelf\b/.test(rule)) return undefined;
  environment ??= createEnvironment();
  let evaluate: (ctx: Record<string, unknown>) => unknown;
  try {
    evaluate = environment.parse(rule) as unknown as (ctx: Record<string, unknown>) => unknown;
  } catch {
    return undefined;
  }
  return (self) => {
    try {
      const result = evaluate({ self });
      return typeof result === 'boolean' ? result : undefined;
    } catch {
      return undefined;
    }
  };
}
