// Evaluates the CRDs' x-kubernetes-validations rules with a CEL environment that has the
// Kubernetes extension functions the Istio and Gateway API CRDs use (url(), isURL(), isIP(),
// isCIDR(), RE2 matches()). Rules are rewritten first where the evaluator differs (celSource.ts).
import { Environment, parse } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import { portableRule, RE2_MATCHES } from './celSource';
import { isCIDR, isIP } from './ipAddress';
import { fastRule } from './gatewayApiRules';
import { nativeRule, type CelProgram } from './nativeRules';

export type { CelProgram };

class UrlValue {
  constructor(readonly url: URL) {}
}

const RE2_LIMIT = 256;
const re2Cache = new Map<string, RE2JS>();

/** CEL's matches(): RE2 semantics, searching anywhere in the string unless anchored. */
function re2Matches(text: string, pattern: string): boolean {
  let compiled = re2Cache.get(pattern);
  if (!compiled) {
    compiled = RE2JS.compile(pattern);
    if (re2Cache.size >= RE2_LIMIT) re2Cache.clear();
    re2Cache.set(pattern, compiled);
  }
  return compiled.matcher(text).find();
}

function createEnvironment(): Environment {
  return new Environment({ unlistedVariablesAreDyn: true })
    .registerType('URL', UrlValue)
    .registerFunction('url(string): URL', (s: string) => new UrlValue(new URL(s)))
    .registerFunction('isURL(string): bool', (s: string) => URL.canParse(s))
    .registerFunction('isIP(string): bool', (s: string) => isIP(s))
    .registerFunction('isCIDR(string): bool', (s: string) => isCIDR(s))
    .registerFunction(`${RE2_MATCHES}(string, string): bool`, re2Matches)
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
    return firstLine(e);
  }
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** Transition rules compare with the stored object (`oldSelf`), which an editor does not have: they do not apply to a new object. */
export const isTransitionRule = (rule: string) => /\boldSelf\b/.test(rule);

const MEMO_LIMIT = 4096;

const isOverloadError = (e: unknown) => e instanceof Error && /no matching overload|no such overload|unknown function|is not a function/i.test(e.message);

/** A rule that reads a field the value does not have (`l.protocol` on a listener without one). */
const isMissingKey = (e: unknown) => e instanceof Error && /no such key: (?!index out of bounds)/i.test(e.message);

type Evaluate = (ctx: Record<string, unknown>) => unknown;

/**
 * Compiles rules once per rule text (the CRDs repeat a few rules hundreds of times) and
 * remembers results for scalar values, which repeat too (`5s`, `80`).
 */
export class RuleCompiler {
  private environment?: Environment;
  private readonly programs = new Map<string, CelProgram | undefined>();
  private readonly messages = new Map<string, Evaluate | undefined>();

  compile(rule: string): CelProgram | undefined {
    if (!this.programs.has(rule)) this.programs.set(rule, nativeRule(rule) ?? this.withFastPath(rule));
    return this.programs.get(rule);
  }

  /** The rule's native answer where it has one (gatewayApiRules.ts), else the evaluator's, compiled when first needed. */
  private withFastPath(rule: string): CelProgram | undefined {
    const fast = fastRule(rule);
    if (!fast) return this.build(rule);
    let evaluator: CelProgram | undefined | null = null;
    return (self) => {
      const answer = fast(self);
      if (answer !== undefined) return answer;
      if (evaluator === null) evaluator = this.build(rule);
      return evaluator ? evaluator(self) : undefined;
    };
  }

  /** The CEL evaluation of a rule, bypassing the native implementations (for tests). */
  evaluator(rule: string): CelProgram | undefined {
    return this.build(rule);
  }

  /** Why a rule does not compile (parse and type check), or undefined when it does; transition rules are the caller's to skip. */
  compileError(rule: string): string | undefined {
    try {
      const result = this.env().parse(portableRule(rule)).check();
      return result.valid ? undefined : firstLine(result.error);
    } catch (e) {
      return firstLine(e);
    }
  }

  /** A rule's messageExpression evaluated on the value, when it gives a non-empty string. */
  message(expression: string, self: unknown): string | undefined {
    if (!this.messages.has(expression)) this.messages.set(expression, this.parseChecked(expression));
    try {
      const text = this.messages.get(expression)?.({ self });
      return typeof text === 'string' && text.trim() !== '' ? text : undefined;
    } catch {
      return undefined;
    }
  }

  private env(): Environment {
    this.environment ??= createEnvironment();
    return this.environment;
  }

  private parseChecked(expression: string): Evaluate | undefined {
    try {
      const parsed = this.env().parse(portableRule(expression));
      return parsed.check().valid ? (parsed as unknown as Evaluate) : undefined;
    } catch {
      return undefined;
    }
  }

  private build(rule: string): CelProgram | undefined {
    if (isTransitionRule(rule)) return undefined;
    const evaluate = this.parseChecked(rule);
    if (!evaluate) return undefined;
    const run = (self: unknown): ReturnType<CelProgram> => {
      try {
        const result = evaluate({ self });
        return typeof result === 'boolean' ? result : undefined;
      } catch (e) {
        // Rules run on values of the schema's type, so an evaluation error (an invalid duration or
        // URL, an index out of range) is the value's fault, and the API server rejects a value its
        // rule cannot evaluate: a violation. Only a missing overload stays silent: a value of
        // another type (the type check reports it) or a function this evaluator lacks.
        if (isOverloadError(e)) return undefined;
        return isMissingKey(e) ? 'missing-field' : false;
      }
    };
    const memo = new Map<unknown, ReturnType<CelProgram>>();
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
