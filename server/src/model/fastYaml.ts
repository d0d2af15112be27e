// A fast parser for the block-style YAML that Kubernetes manifests are written in. It builds
// the same node classes as the `yaml` package (so every feature works on either) at several
// times its speed, and gives up (returns undefined) on anything outside its subset: anchors,
// aliases, tags, multi-line flow or quoted scalars, complex keys, duplicate keys, odd
// indentation. The caller then parses the document with `yaml`, which also reports errors.
// Two errors it reports itself, because `yaml` would pay dearly for them: a broken flow
// collection (reported, and parsed as null so the rest of the document still parses) and
// nesting deeper than MAX_DEPTH (the whole document then has no contents).
import { Document, Scalar, YAMLParseError, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { scanFlow, type FlowScan } from './flowScan';
import { FlowParser } from './flowYaml';
import { Bail, emptyDocument, MAX_DEPTH, newMap, newPair, newScalar, newSeq, nullScalar, RESERVED_START, resolvePlain, TooDeep, unescapeDouble } from './yamlNodes';

interface Line {
  start: number;
  /** Column of the first non-space character; -1 for blank and comment-only lines. */
  indent: number;
  end: number;
}

/** A broken flow collection: the text it spans (value start to resume line) and its error. */
export interface Damage {
  start: number;
  end: number;
  error: YAMLParseError;
}

export interface FastResult {
  /** Undefined when the text leaves the fast parser's subset. */
  doc?: Document.Parsed;
  /** The broken flow collections found (before giving up, when it did). */
  damage: Damage[];
}

export function fastParse(text: string): Document.Parsed | undefined {
  return tryFastParse(text).doc;
}

export function tryFastParse(text: string): FastResult {
  // A byte-order mark is not content: the yaml package skips it (and keeps the offsets).
  if (text.charCodeAt(0) === 0xfeff) return { damage: [] };
  let parser: FastParser | undefined;
  try {
    parser = new FastParser(text);
    return { doc: parser.parse(), damage: parser.damage };
  } catch (e) {
    if (e instanceof TooDeep) return { doc: emptyDocument(text, [new YAMLParseError([e.at, e.at + 1], 'RESOURCE_EXHAUSTION', e.message)]), damage: [] };
    if (e instanceof Bail) return { damage: parser?.damage ?? [] };
    throw e;
  }
}

class FastParser {
  readonly damage: Damage[] = [];
  private readonly lines: Line[] = [];
  private index = 0;
  /** Collections open around the current position. */
  private depth = 0;

  constructor(private readonly text: string) {
    // A carriage return that does not end a line is a line break to `yaml` but not to us.
    for (let cr = text.indexOf('\r'); cr !== -1; cr = text.indexOf('\r', cr + 1)) if (text.charCodeAt(cr + 1) !== 10) throw new Bail();
    let start = 0;
    let sawContent = false;
    while (start <= text.length) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      const line = { start, end: text.charCodeAt(end - 1) === 13 ? end - 1 : end, indent: this.indentOf(start, end) };
      // A `...` line ends the document and a `---` line after content starts another: `yaml` decides.
      if (line.indent === 0 && this.isMarker(start) && (text[start] === '.' || sawContent)) throw new Bail();
      sawContent ||= line.indent !== -1;
      this.lines.push(line);
      if (newline === -1) break;
      start = newline + 1;
    }
  }

  private isMarker(at: number): boolean {
    const c = this.text.charCodeAt(at + 3);
    return (this.text.startsWith('---', at) || this.text.startsWith('...', at)) && (Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13);
  }

  private indentOf(start: number, end: number): number {
    for (let i = start; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 32) continue;
      if (c === 9) throw new Bail();
      if (c === 35 /* # */ || c === 13) return -1;
      return i - start;
    }
    return -1;
  }

  parse(): Document.Parsed {
    const marker = this.skipDocumentStart();
    this.skipBlank();
    // An explicit but empty document holds a null scalar just after its marker, as in `yaml`.
    let contents: Node | null = marker === undefined ? null : nullScalar(marker);
    if (this.index < this.lines.length) {
      const line = this.lines[this.index];
      if (line.indent !== 0) throw new Bail();
      // A document that is one flow collection (JSON, often on one huge line) has no parent column.
      const c = this.text[line.start];
      contents = c === '[' || c === '{' ? this.flowValue(line.start, -1) : this.block(line.start);
      this.skipBlank();
      if (this.index < this.lines.length) throw new Bail();
    }
    const doc = new Document(undefined, { logLevel: 'error' }) as Document.Parsed;
    doc.contents = contents as Document.Parsed['contents'];
    doc.range = [0, this.text.length, this.text.length];
    for (const d of this.damage) doc.errors.push(d.error);
    return doc;
  }

  /** Skips a `---` line; returns the offset just after the marker and its spaces. */
  private skipDocumentStart(): number | undefined {
    this.skipBlank();
    const line = this.lines[this.index];
    if (!line || !this.text.startsWith('---', line.start)) return undefined;
    const rest = this.text.slice(line.start + 3, line.end).trim();
    if (rest !== '' && !rest.startsWith('#')) throw new Bail();
    this.index++;
    return this.skipSpaces(line.start + 3, line.end);
  }

  private skipBlank(): void {
    while (this.index < this.lines.length && this.lines[this.index].indent === -1) this.index++;
  }

  /** A block collection or scalar starting at offset `at` of the current line. */
  private block(at: number): Node {
    return this.isSeqItem(at) ? this.sequence(at) : this.mapping(at);
  }

  private isSeqItem(at: number): boolean {
    const next = this.text.charCodeAt(at + 1);
    return this.text.charCodeAt(at) === 45 /* - */ && (at + 1 >= this.lines[this.index].end || next === 32);
  }

  private column(at: number): number {
    return at - this.lines[this.index].start;
  }

  /** Counts a collection opening at `at`: every level costs stack frames here and in each consumer. */
  private enter(at: number): void {
    if (++this.depth > MAX_DEPTH) throw new TooDeep(at);
  }

  private sequence(at: number): YAMLSeq {
    this.enter(at);
    const seq = newSeq();
    const column = this.column(at);
    let end = at;
    for (;;) {
      const line = this.lines[this.index];
      const itemAt = line.start + column;
      const content = this.skipSpaces(itemAt + 1, line.end);
      // A tab there indents the item's content, which YAML forbids: `yaml` reports it.
      for (let i = itemAt + 1; i < content; i++) if (this.text.charCodeAt(i) === 9) throw new Bail();
      let item: Node | null;
      if (content >= line.end || this.text.charCodeAt(content) === 35) {
        this.index++;
        item = this.nestedBlock(column) ?? nullScalar(content);
      } else if (this.isSeqItem(content)) {
        throw new Bail();
      } else if (this.keyEnd(content, line.end) !== -1) {
        item = this.mapping(content);
      } else {
        item = this.inlineValue(content, column);
      }
      seq.items.push(item);
      end = item?.range ? item.range[1] : line.end;
      this.skipBlank();
      const next = this.lines[this.index];
      if (!next || next.indent !== column || !this.isSeqItem(next.start + column)) break;
    }
    seq.range = [at, end, end];
    this.depth--;
    return seq;
  }

  private mapping(at: number): YAMLMap {
    this.enter(at);
    const map = newMap();
    const column = this.column(at);
    const seen = new Set<string>();
    let end = at;
    let keyAt = at;
    for (;;) {
      const line = this.lines[this.index];
      const colon = this.keyEnd(keyAt, line.end);
      if (colon === -1) throw new Bail();
      const key = this.key(keyAt, colon);
      if (seen.has(String(key.value)) || key.value === '<<') throw new Bail();
      seen.add(String(key.value));
      const valueAt = this.skipSpaces(colon + 1, line.end);
      let value: Node | null;
      if (valueAt >= line.end || this.text.charCodeAt(valueAt) === 35) {
        this.index++;
        value = this.nestedBlock(column, true) ?? nullScalar(valueAt);
      } else {
        value = this.inlineValue(valueAt, column);
      }
      map.items.push(newPair(key, value));
      end = value?.range ? value.range[1] : key.range![1];
      this.skipBlank();
      const next = this.lines[this.index];
      if (!next || next.indent !== column) {
        if (next && next.indent > column) throw new Bail();
        break;
      }
      keyAt = next.start + column;
      if (this.isSeqItem(keyAt)) break;
    }
    map.range = [at, end, end];
    this.depth--;
    return map;
  }

  /** The block nested under a key or `-` at `column`, or undefined when there is none (null). */
  private nestedBlock(column: number, allowFlushSequence = false): Node | undefined {
    this.skipBlank();
    const line = this.lines[this.index];
    if (!line) return undefined;
    const at = line.start + line.indent;
    if (line.indent > column) return this.block(at);
    if (allowFlushSequence && line.indent === column && this.isSeqItem(at)) return this.sequence(at);
    return undefined;
  }

  /** Offset of the `:` ending a simple key that starts at `at`, or -1. */
  private keyEnd(at: number, end: number): number {
    const first = this.text[at];
    if (first === '"' || first === "'") {
      const close = this.text.indexOf(first, at + 1);
      if (close === -1 || close >= end || this.text.slice(at + 1, close).includes('\\')) return -1;
      const colon = this.skipSpaces(close + 1, end);
      return this.text[colon] === ':' && (colon + 1 >= end || isBlank(this.text.charCodeAt(colon + 1))) ? colon : -1;
    }
    if (RESERVED_START.test(first) || this.isIndicator(at, end)) return -1;
    for (let i = at; i < end; i++) {
      const c = this.text[i];
      if (c === ':' && (i + 1 >= end || isBlank(this.text.charCodeAt(i + 1)))) return i;
      if (c === '#' && isBlank(this.text.charCodeAt(i - 1))) return -1;
    }
    return -1;
  }

  /** A `-`, `?` or `:` followed by a blank is an indicator, not the start of a scalar. */
  private isIndicator(at: number, end: number): boolean {
    const c = this.text[at];
    return (c === '-' || c === '?' || c === ':') && (at + 1 >= end || isBlank(this.text.charCodeAt(at + 1)));
  }

  private key(at: number, colon: number): Scalar {
    let last = colon;
    while (last > at && isBlank(this.text.charCodeAt(last - 1))) last--;
    const raw = this.text.slice(at, last);
    if (raw === '') throw new Bail();
    const quote = raw[0];
    const scalar = quote === '"' || quote === "'" ? this.quoted(at, last) : this.plain(raw, at, last);
    if (typeof scalar.value !== 'string' && scalar.value !== null && typeof scalar.value !== 'number' && typeof scalar.value !== 'boolean') throw new Bail();
    return scalar;
  }

  /** A value on the same line as its key or dash: scalar, flow collection or block scalar. */
  private inlineValue(at: number, parentColumn: number): Node {
    const line = this.lines[this.index];
    const c = this.text[at];
    if (c === '|' || c === '>') return this.blockScalar(at, parentColumn);
    if (c === '[' || c === '{') return this.flowValue(at, parentColumn);
    if (c === '"' || c === "'") {
      const close = this.closingQuote(at, line.end);
      const after = this.skipSpaces(close + 1, line.end);
      if (after < line.end && (this.text[after] !== '#' || after === close + 1)) throw new Bail();
      this.index++;
      return this.quoted(at, close + 1);
    }
    if (RESERVED_START.test(c) || this.isIndicator(at, line.end)) throw new Bail();
    let end = at;
    while (end < line.end && !(this.text.charCodeAt(end) === 35 && isBlank(this.text.charCodeAt(end - 1)))) end++;
    while (end > at && isBlank(this.text.charCodeAt(end - 1))) end--;
    const raw = this.text.slice(at, end);
    if (/:[ \t]|:$/.test(raw)) throw new Bail();
    this.index++;
    // A plain scalar continued on a more-indented line: leave folding to the full parser.
    const next = this.nextContentLine();
    if (next && next.indent > parentColumn && !this.isSeqItem(next.start + next.indent) && this.keyEnd(next.start + next.indent, next.end) === -1) throw new Bail();
    return this.plain(raw, at, end);
  }

  /** A flow collection starting at `at`: built when it fits on its line, else scanned for errors. */
  private flowValue(at: number, parentColumn: number): Node {
    const scan = scanFlow(this.text, at, parentColumn, MAX_DEPTH - this.depth);
    if (scan.kind === 'tooDeep') throw new TooDeep(scan.at);
    if (scan.kind === 'broken') return this.brokenFlow(at, parentColumn, scan);
    const line = this.lines[this.index];
    if (scan.kind === 'unsure' || scan.end > line.end) throw new Bail();
    const node = new FlowParser(this.text, at, line.end, this.depth).parse();
    this.index++;
    return node;
  }

  /**
   * A broken flow collection parses as null, and parsing resumes at the next line indented no
   * more than its parent, where `yaml` would also end the collection.
   */
  private brokenFlow(at: number, parentColumn: number, scan: Extract<FlowScan, { kind: 'broken' }>): Node {
    while (this.index < this.lines.length) {
      const line = this.lines[this.index];
      if (line.start >= scan.stop && line.indent !== -1 && line.indent <= parentColumn) break;
      this.index++;
    }
    const resume = this.index < this.lines.length ? this.lines[this.index].start : this.text.length;
    this.damage.push({ start: at, end: resume, error: new YAMLParseError([scan.at, scan.at + 1], 'MISSING_CHAR', scan.message) });
    return nullScalar(at);
  }

  private nextContentLine(): Line | undefined {
    for (let i = this.index; i < this.lines.length; i++) if (this.lines[i].indent !== -1) return this.lines[i];
    return undefined;
  }

  private closingQuote(at: number, end: number): number {
    const quote = this.text[at];
    for (let i = at + 1; i < end; i++) {
      const c = this.text[i];
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && this.text[i + 1] === "'") i++;
        else return i;
      }
    }
    throw new Bail();
  }

  private plain(raw: string, start: number, end: number): Scalar {
    return newScalar(resolvePlain(raw), start, end, Scalar.PLAIN, raw);
  }

  private quoted(start: number, end: number): Scalar {
    const raw = this.text.slice(start + 1, end - 1);
    const double = this.text[start] === '"';
    const value = double ? unescapeDouble(raw) : raw.replace(/''/g, "'");
    // Like `yaml`: the source of a quoted scalar is its unquoted, unescaped text.
    return newScalar(value, start, end, double ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, value);
  }

  private blockScalar(at: number, parentColumn: number): Scalar {
    const line = this.lines[this.index];
    const header = stripComment(this.text.slice(at, line.end)).trimEnd();
    if (!/^[|>][+-]?$/.test(header)) throw new Bail();
    const folded = header[0] === '>';
    const chomp = header[1];
    this.index++;
    let blockIndent = -1;
    const contentLines: string[] = [];
    let last = this.index;
    let i = this.index;
    for (; i < this.lines.length; i++) {
      const l = this.lines[i];
      const raw = this.text.slice(l.start, l.end);
      const spaces = raw.length - raw.trimStart().length;
      if (raw.trim() === '') {
        contentLines.push('');
        continue;
      }
      if (blockIndent === -1) {
        if (spaces <= parentColumn) break;
        blockIndent = spaces;
      }
      if (spaces < blockIndent) break;
      if (folded && spaces > blockIndent) throw new Bail();
      contentLines.push(raw.slice(blockIndent));
      last = i + 1;
    }
    const trailingBlank = contentLines.length - (last - this.index);
    const body = contentLines.slice(0, contentLines.length - trailingBlank);
    this.index = last;
    let value = folded ? foldLines(body) : body.join('\n');
    const trailing = contentLines.slice(body.length).length;
    if (chomp === '-') value = trimNewlines(value);
    else if (chomp === '+') value += '\n'.repeat(1 + trailing);
    else if (body.length > 0) value += '\n';
    // Like `yaml`: the value runs past its last content line's newline (past the trailing blank
    // lines too when they are kept).
    const endLine = chomp === '+' ? i : last;
    const end = endLine < this.lines.length ? this.lines[endLine].start : this.text.length;
    return newScalar(value, at, end, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, value);
  }

  private skipSpaces(from: number, end: number): number {
    let i = from;
    while (i < end && isBlank(this.text.charCodeAt(i))) i++;
    return i;
  }
}

/** Separation whitespace inside a line: YAML allows tabs there, though not in indentation. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

// The two helpers below replace regular expressions (/\s+#.*$/, /\n*$/) that backtrack
// quadratically on long runs of spaces or blank lines.
function stripComment(header: string): string {
  for (let i = 1; i < header.length; i++) {
    if (header[i] === '#' && (header[i - 1] === ' ' || header[i - 1] === '\t')) return header.slice(0, i);
  }
  return header;
}

function trimNewlines(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 10) end--;
  return value.slice(0, end);
}

function foldLines(lines: string[]): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i === 0) out = line;
    else if (line === '') out += '\n';
    else out += lines[i - 1] === '' ? line : ' ' + line;
  }
  return out;
}
