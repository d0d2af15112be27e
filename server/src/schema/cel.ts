// Evaluates the CRDs' x-kubernetes-validations rules with a CEL environment that has the
// Kubernetes extension functions the Istio CRDs use (url(), isURL()).
import { Environment, parse } from '@marcbachmann/cel-js';
import { nativeRule, type CelProgram } from './nativeRules';

export type { CelProgram };

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

/** Why a CEL expression does not parse (syntax only, as cel-go's Parse), or undefined when it does. */
export function celSyntaxError(expression: string): string | undefined {
  if (expression.trim() === '') return 'the expression is empty';
  try {
    parse(expression);
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0];
  }
}

const MEMO_LIMIT = 4096;

const isOverloadError = (e: unknown) => e instanceof Error && /no matching overload|no such overload|unknown function|is not a function/i.test(e.message);

/**
 * Compiles rules once per rule text (the CRDs repeat a few rules hundreds of times) and
 * remembers results for scalar values, which repeat too (`5s`, `80`).
 */
export class RuleCompiler {
  private environment?: Environment;
  private readonly programs = new Map<string, CelProgram | undefined>();

  compile(rule: string): CelProgram | undefined {
    if (!this.programs.has(rule)) this.programs.set(rule, nativeRule(rule) ?? this.build(rule));
    return this.programs.get(rule);
  }

  /** The CEL evaluation of a rule, bypassing the native implementations (for tests). */
  evaluator(rule: string): CelProgram | undefined {
    return this.build(rule);
  }

  private build(rule: string): CelProgram | undefined {
    // Transition rules compare with the stored object, which an editor does not have.
    if (/\boldSelf\b/.test(rule)) return undefined;
    this.environment ??= createEnvironment();
    let evaluate: (ctx: Record<string, unknown>) => unknown;
    try {
      evaluate = this.environment.parse(rule) as unknown as (ctx: Record<string, unknown>) => unknown;
    } catch {
      return undefined;
    }
    const run = (self: unknown): boolean | undefined => {
      try {
        const result = evaluate({ self });
        return typeof result === 'boolean' ? result : undefined;
      } catch (e) {
        // Rules run on values of the schema's type, so an evaluation error (an invalid duration or
        // URL, an index out of range) is the value's fault, and the API server rejects a value its
        // rule cannot evaluate: a violation. Only a missing overload stays silent: a value of
        // another type (the type check reports it) or a function this evaluator lacks.
        return isOverloadError(e) ? undefined : false;
      }
    };
    const memo = new Map<unknown, boolean | undefined>();
    return (self) => {
      if (self !== null && typeof self === 'object') return run(self);
      if (memo.has(self)) return memo.get(self);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      const result = run(self);
      memo.set(self, result);
      return result;
    };
  }
}
