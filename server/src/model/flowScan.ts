// Finds where a flow collection in block context ends by lexing its brackets, quotes and comments
// the way `yaml`'s lexer does, without building nodes. It runs before the fast parser builds a
// flow collection: an unclosed or mismatched bracket is then reported at once, instead of handing
// the document to `yaml`, whose error recovery on a large flow collection takes seconds; and the
// nesting depth is bounded before anything recurses. When the text needs judgement beyond
// brackets (tags, multi-line quoted scalars), the answer is 'unsure' and `yaml` decides.

export type FlowScan =
  /** The brackets balance; `end` is just past the closing one. */
  | { kind: 'closed'; end: number }
  | { kind: 'unsure' }
  /** A definite syntax error at `at`, found at offset `stop`. */
  | { kind: 'broken'; at: number; message: string; stop: number }
  /** The collection opened at `at` would nest deeper than allowed. */
  | { kind: 'tooDeep'; at: number };

const NAMES: Record<string, string> = { '[': 'sequence', '{': 'mapping' };
const CLOSERS: Record<string, string> = { '[': ']', '{': '}' };

/**
 * Scans the flow collection opening at `at`. `parentColumn` is the column of the enclosing block
 * collection (-1 at the top level): like `yaml`, a line of the collection indented no more than
 * it ends the collection. `depthLeft` is how many levels may still open.
 */
export function scanFlow(text: string, at: number, parentColumn: number, depthLeft: number): FlowScan {
  return new FlowScanner(text, parentColumn, depthLeft).scan(at);
}

const isBlank = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isFlowIndicator = (c: string | undefined) => c === ',' || c === '[' || c === ']' || c === '{' || c === '}';

class FlowScanner {
  private readonly openers: number[] = [];
  private pos = 0;
  /** After a quoted scalar or a closing bracket, `:` is an indicator even before a non-space. */
  private flowKey = false;
  /** A plain scalar ran to the end of its line: the next line's text continues it. */
  private plainContinues = false;

  constructor(
    private readonly text: string,
    private readonly parentColumn: number,
    private readonly depthLeft: number,
  ) {}

  scan(at: number): FlowScan {
    this.pos = at;
    for (;;) {
      const c = this.text[this.pos];
      const result = c === undefined ? this.unclosed(this.text.length) : this.step(c);
      if (result) return result;
    }
  }

  /** Consumes one token (or blank) starting with `c`; returns the answer once there is one. */
  private step(c: string): FlowScan | undefined {
    if (c === ' ' || c === '\t' || c === '\r') this.pos++;
    else if (c === '\n') return this.newline();
    else if (c === '#') this.skipComment();
    // Within a continued plain scalar only `: ` is an indicator; `- ` and `? ` are text.
    else if (this.plainContinues && !isFlowIndicator(c) && !(c === ':' && this.isIndicator(c))) this.plain();
    else if (c === '[' || c === '{') return this.open();
    else if (c === ']' || c === '}') return this.close(c);
    else if (c === ',') this.token(1, false);
    else if (c === '"' || c === "'") return this.quoted(c);
    else if (c === '!') return { kind: 'unsure' };
    else if (c === '&' || c === '*') this.anchorOrAlias();
    else if (this.isIndicator(c)) this.token(1, false);
    else this.plain();
    return undefined;
  }

  private token(length: number, flowKey: boolean): void {
    this.pos += length;
    this.flowKey = flowKey;
    this.plainContinues = false;
  }

  private isIndicator(c: string): boolean {
    if (c !== ':' && c !== '?' && c !== '-') return false;
    const next = this.text[this.pos + 1];
    return isBlank(next) || isFlowIndicator(next) || (c === ':' && this.flowKey);
  }

  private open(): FlowScan | undefined {
    if (this.openers.length >= this.depthLeft) return { kind: 'tooDeep', at: this.pos };
    this.openers.push(this.pos);
    this.token(1, false);
    return undefined;
  }

  private close(c: string): FlowScan | undefined {
    const opener = this.openers.pop()!;
    const open = this.text[opener];
    if (CLOSERS[open] !== c) {
      return this.broken(opener, `This '${open}' is never closed: a '${c}' comes before its '${CLOSERS[open]}'. Add the missing '${CLOSERS[open]}' or remove the '${open}'.`);
    }
    this.token(1, true);
    return this.openers.length === 0 ? { kind: 'closed', end: this.pos } : undefined;
  }

  /** At a line break: skips blank lines and ends the collection at a line that is not indented enough. */
  private newline(): FlowScan | undefined {
    const lineStart = this.pos + 1;
    let i = lineStart;
    while (this.text[i] === ' ') i++;
    const indent = i - lineStart;
    while (this.text[i] === ' ' || this.text[i] === '\t' || this.text[i] === '\r') i++;
    this.pos = i;
    const c = this.text[i];
    if (c === undefined || c === '\n' || c === '#') return undefined;
    return this.endsCollection(indent, lineStart, c) ? this.unclosed(lineStart) : undefined;
  }

  private endsCollection(indent: number, lineStart: number, first: string): boolean {
    const marker = this.text.slice(lineStart, lineStart + 3);
    if (indent === 0 && (marker === '---' || marker === '...') && isBlank(this.text[lineStart + 3])) return true;
    if (indent > this.parentColumn) return false;
    // `yaml` accepts a lone closing bracket at the parent's column, as users expect.
    return !(indent === this.parentColumn && this.openers.length === 1 && (first === ']' || first === '}'));
  }

  private unclosed(stop: number): FlowScan {
    const opener = this.openers[this.openers.length - 1];
    const open = this.text[opener];
    return this.broken(opener, `This '${open}' is never closed: end the flow ${NAMES[open]} with '${CLOSERS[open]}'.`, stop);
  }

  private broken(at: number, message: string, stop = this.pos): FlowScan {
    return { kind: 'broken', at, message, stop };
  }

  private skipComment(): void {
    const newline = this.text.indexOf('\n', this.pos);
    this.pos = newline === -1 ? this.text.length : newline;
    this.plainContinues = false;
  }

  private anchorOrAlias(): void {
    let i = this.pos + 1;
    while (!isBlank(this.text[i]) && !isFlowIndicator(this.text[i])) i++;
    this.token(i - this.pos, false);
  }

  /** A quoted scalar; one that spans lines is left to `yaml` unless it is never closed at all. */
  private quoted(quote: string): FlowScan | undefined {
    const close = this.closingQuote(quote, this.pos + 1, true);
    if (close !== -1) {
      this.token(close + 1 - this.pos, true);
      return undefined;
    }
    if (this.closingQuote(quote, this.pos + 1, false) !== -1) return { kind: 'unsure' };
    return this.broken(this.pos, `This ${quote === '"' ? 'double' : 'single'} quote is never closed: add the closing ${quote}.`);
  }

  /** Offset of the quote closing a scalar whose content starts at `from`, or -1. */
  private closingQuote(quote: string, from: number, sameLine: boolean): number {
    for (let i = from; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '\n' && sameLine) return -1;
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && this.text[i + 1] === "'") i++;
        else return i;
      }
    }
    return -1;
  }

  /**
   * A plain scalar (or the part of one on this line), ended as `yaml` ends one in flow context;
   * the line break is left to newline(), and the next line continues the scalar.
   */
  private plain(): void {
    let i = this.pos + 1;
    for (; i < this.text.length; i++) {
      const c = this.text[i];
      const next = this.text[i + 1];
      if (c === '\n' || isFlowIndicator(c)) break;
      if (c === ':' && (isBlank(next) || isFlowIndicator(next))) break;
      if ((c === ' ' || c === '\t' || c === '\r') && (next === '#' || isFlowIndicator(next))) break;
    }
    this.pos = i;
    this.flowKey = false;
    this.plainContinues = this.text[i] === '\n';
  }
}
