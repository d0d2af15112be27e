// Small helpers for edits that change only what they must: line boundaries, indentation, the one
// scalar writer (every value spliced into YAML text goes through it), replacing a scalar while
// keeping its quotes, and removing a list item while keeping its comments.
import { CST, Lexer, parseDocument, stringify } from 'yaml';

export interface Edit {
  uri: string;
  start: number;
  end: number;
  newText: string;
}

export type Quote = '"' | "'";
export type ScalarValue = string | number | boolean;

export function lineStart(text: string, offset: number): number {
  // lastIndexOf treats a negative start as 0, which would find a line break at offset 0 itself.
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line holding `offset - 1` (a range's end), i.e. the next line's start. */
export function lineEndAfter(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const newline = text.indexOf('\n', end);
  return newline === -1 ? text.length : newline + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The line break the text uses. */
export function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The quote character the text mostly uses for values. */
export function quoteStyle(text: string): Quote {
  const doubles = (text.match(/:\s+"/g) ?? []).length;
  const singles = (text.match(/:\s+'/g) ?? []).length;
  return singles > doubles ? "'" : '"';
}

/**
 * A character a single-quoted scalar cannot carry as it is (it folds line breaks) and that a
 * double-quoted one writes as an escape, so the file stays printable: C0 and C1 controls, DEL,
 * the Unicode line and paragraph separators, the byte order mark.
 */
function isUnprintable(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff;
}

function needsEscape(value: string): boolean {
  return [...value].some(isUnprintable);
}

// A plain scalar holding one of these ends early when written inside `[...]` or `{...}`.
const FLOW_INDICATOR = /[,[\]{}]/;

/**
 * Does YAML read `value` written plain back as the same string? Checked as YAML 1.1 too, which
 * Kubernetes tools speak (`yes`, `on`, `1:20`, `2001-12-14` are not strings there), and as 1.2
 * (`0o17`, `1e3`). `<<` and `=` are merge and value keys in 1.1.
 */
function readsBackPlain(value: string, inFlow: boolean): boolean {
  if ((inFlow && FLOW_INDICATOR.test(value)) || needsEscape(value) || value === '<<' || value === '=') return false;
  return (['1.1', '1.2'] as const).every((version) => {
    if (stringify(value, { lineWidth: 0, version }).trimEnd() !== value) return false;
    const doc = parseDocument(value, { version });
    return doc.errors.length === 0 && doc.toJS() === value;
  });
}

/** The inside of a double-quoted scalar: JSON's escapes, which YAML shares, and the C1 and Unicode ones JSON leaves raw. */
function doubleQuotedBody(value: string): string {
  const json = JSON.stringify(value).slice(1, -1);
  return [...json].map((c) => (isUnprintable(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
}

function quoted(value: string, quote: Quote): string {
  if (quote === "'" && !needsEscape(value)) return `'${value.replace(/'/g, "''")}'`;
  return `"${doubleQuotedBody(value)}"`;
}

/**
 * A scalar as YAML text: plain when YAML reads it back as the same value, quoted otherwise.
 * `inFlow`: it goes inside `[...]` or `{...}`, where a comma or bracket ends a plain scalar.
 */
export function writeScalar(value: ScalarValue, quote: Quote = '"', inFlow = false): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  if (typeof value === 'boolean') return String(value);
  return readsBackPlain(value, inFlow) ? value : quoted(value, quote);
}

/** Is `offset` inside a flow collection? Asked only for values a flow context would cut short. */
function inFlowAt(text: string, offset: number, value: ScalarValue): boolean {
  if (typeof value !== 'string' || !FLOW_INDICATOR.test(value)) return false;
  let depth = 0;
  for (const { token, at } of sourceTokens(text)) {
    if (at >= offset) break;
    const type = CST.tokenType(token);
    if (type === 'flow-map-start' || type === 'flow-seq-start') depth++;
    else if ((type === 'flow-map-end' || type === 'flow-seq-end') && depth > 0) depth--;
    else if (type === 'doc-start') depth = 0;
  }
  return depth > 0;
}

/** Text for an empty value (`key:` with nothing after it) at `at`: apart from the colon and from a comment. */
function fillEmpty(text: string, at: number, written: string): string {
  return `${text[at - 1] === ':' ? ' ' : ''}${written}${text[at] === '#' ? ' ' : ''}`;
}

/**
 * Replaces a scalar written at [start, end) (empty: a key with no value yet) with `value`. A
 * string keeps the scalar's quotes, escaped for them; a number or boolean drops them, since
 * quoted it would read as a string.
 */
export function replaceScalar(uri: string, text: string, start: number, scalarEnd: number, value: ScalarValue): Edit {
  const inFlow = inFlowAt(text, start, value);
  if (start === scalarEnd) return { uri, start, end: start, newText: fillEmpty(text, start, writeScalar(value, quoteStyle(text), inFlow)) };
  // A block scalar's range takes in the line break after it, which must stay.
  const written = text.slice(start, scalarEnd).replace(/\s+$/, '');
  const end = start + written.length;
  const quote = written[0];
  const isQuoted = (quote === '"' || quote === "'") && written.length > 1 && written.endsWith(quote);
  if (!isQuoted || typeof value !== 'string' || (quote === "'" && needsEscape(value))) return { uri, start, end, newText: writeScalar(value, isQuoted ? '"' : quoteStyle(text), inFlow) };
  return { uri, start: start + 1, end: end - 1, newText: quote === '"' ? doubleQuotedBody(value) : value.replace(/'/g, "''") };
}

// Tokens the lexer yields that are not in the source: document, flow-end and scalar markers.
const SYNTHETIC_TOKENS = new Set(['\x02', '\x18', '\x1f']);

/** YAML's own tokens of `text` with their offsets. */
function* sourceTokens(text: string): Generator<{ token: string; at: number }> {
  let at = 0;
  for (const token of new Lexer().lex(text)) {
    if (SYNTHETIC_TOKENS.has(token)) continue;
    yield { token, at };
    at += token.length;
  }
}

/** The comments written in [start, end) of `text`, found by YAML's lexer (so none inside strings or block scalars). */
export function commentsIn(text: string, start: number, end: number): string[] {
  const out: string[] = [];
  for (const { token, at } of sourceTokens(text)) {
    if (at >= end) break;
    if (at >= start && CST.tokenType(token) === 'comment') out.push(token);
  }
  return out;
}

/**
 * Deletes the whole lines of a block list item whose content starts at `itemStart` (right after
 * its `- `). The comments written inside it stay, each on its own line at the item's dash column.
 */
export function deleteListItem(uri: string, text: string, itemStart: number, itemEnd: number, nl = eol(text)): Edit | undefined {
  const start = lineStart(text, itemStart);
  const prefix = text.slice(start, itemStart);
  if (!/^\s*-\s+$/.test(prefix)) return undefined;
  const end = lineEndAfter(text, itemEnd);
  const pad = ' '.repeat(prefix.indexOf('-'));
  return {
    uri,
    start,
    end,
    newText: commentsIn(text, start, end)
      .map((c) => pad + c + nl)
      .join(''),
  };
}
