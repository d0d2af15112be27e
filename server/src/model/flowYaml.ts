// The fast parser's single-line flow collections (`[a, "b"]`, `{name: a, ports: [80]}`).
import { Scalar, YAMLMap, type YAMLSeq, type Node } from 'yaml';
import { Bail, MAX_DEPTH, newMap, newPair, newScalar, newSeq, RESERVED_START, resolvePlain, TooDeep, unescapeDouble } from './yamlNodes';

/** Single-line flow collections: `[a, "b"]`, `{name: a, ports: [80]}`. */
export class FlowParser {
  private pos: number;

  /** `depth` is the number of collections enclosing the one at `start`. */
  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
    private depth = 0,
  ) {
    this.pos = start;
  }

  parse(): Node {
    const node = this.value();
    const close = this.pos;
    this.spaces();
    // Only a comment may follow, and `yaml` wants white space before it.
    if (this.pos < this.end && (this.text[this.pos] !== '#' || this.pos === close)) throw new Bail();
    return node;
  }

  private spaces(): void {
    while (this.pos < this.end && (this.text[this.pos] === ' ' || this.text[this.pos] === '\t')) this.pos++;
  }

  private value(): Node {
    this.spaces();
    const c = this.text[this.pos];
    if (c === '[') return this.collection(newSeq(), ']');
    if (c === '{') return this.collection(newMap(), '}');
    return this.scalar();
  }

  private collection(node: YAMLSeq | YAMLMap, close: string): Node {
    // Each level costs stack frames here and in every consumer of the tree.
    if (++this.depth > MAX_DEPTH) throw new TooDeep(this.pos);
    const start = this.pos++;
    const seen = new Set<string>();
    for (;;) {
      this.spaces();
      if (this.pos >= this.end) throw new Bail();
      if (this.text[this.pos] === close) break;
      const item = this.value();
      this.spaces();
      if (node instanceof YAMLMap) {
        if (this.text[this.pos] !== ':' || !(item instanceof Scalar)) throw new Bail();
        if (seen.has(String(item.value))) throw new Bail();
        seen.add(String(item.value));
        this.pos++;
        this.spaces();
        const value = this.text[this.pos] === ',' || this.text[this.pos] === close ? null : this.value();
        node.items.push(newPair(item, value));
      } else {
        if (this.text[this.pos] === ':') throw new Bail();
        node.items.push(item);
      }
      this.spaces();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) throw new Bail();
    }
    this.pos++;
    this.depth--;
    node.flow = true;
    node.range = [start, this.pos, this.pos];
    return node;
  }

  private scalar(): Scalar {
    const start = this.pos;
    const c = this.text[start];
    if (c === '"' || c === "'") {
      let i = start + 1;
      for (; i < this.end; i++) {
        if (c === '"' && this.text[i] === '\\') i++;
        else if (this.text[i] === c) {
          if (c === "'" && this.text[i + 1] === "'") i++;
          else break;
        }
      }
      if (i >= this.end) throw new Bail();
      this.pos = i + 1;
      const raw = this.text.slice(start + 1, i);
      const value = c === '"' ? unescapeDouble(raw) : raw.replace(/''/g, "'");
      return newScalar(value, start, this.pos, c === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, value);
    }
    // `-`, `?` and `:` before a blank or a flow indicator are indicators (`[-]` is an error).
    if (RESERVED_START.test(c) || ('-?:'.includes(c) && (this.pos + 1 >= this.end || ' \t,[]{}'.includes(this.text[this.pos + 1])))) throw new Bail();
    while (this.pos < this.end) {
      const ch = this.text[this.pos];
      if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
      // As in `yaml`: a `:` before a space or any flow indicator ends the scalar (`[a:]`, `[:]`).
      if (ch === ':' && (this.pos + 1 >= this.end || ' \t,[]{}'.includes(this.text[this.pos + 1]))) break;
      if (ch === '#' && (this.text[this.pos - 1] === ' ' || this.text[this.pos - 1] === '\t')) throw new Bail();
      this.pos++;
    }
    let end = this.pos;
    while (end > start && (this.text[end - 1] === ' ' || this.text[end - 1] === '\t')) end--;
    const raw = this.text.slice(start, end);
    if (raw === '') throw new Bail();
    return newScalar(resolvePlain(raw), start, end, Scalar.PLAIN, raw);
  }
}
