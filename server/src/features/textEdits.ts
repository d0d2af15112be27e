// Small helpers for edits that change only what they must: line boundaries, indentation, and
// replacing a scalar while keeping its quotes.

export interface Edit {
  uri: string;
  start: number;
  end: number;
  newText: string;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
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

/** Replaces a scalar written at [start, end) with `value`, keeping its quotes. */
export function replaceScalar(uri: string, text: string, start: number, end: number, value: string): Edit {
  const written = text.slice(start, end);
  const quote = written[0] === '"' || written[0] === "'" ? written[0] : '';
  return quote && written.endsWith(quote) ? { uri, start: start + 1, end: end - 1, newText: value } : { uri, start, end, newText: value };
}

/** Deletes the whole lines of a block list item whose content starts at `itemStart`. */
export function deleteListItem(uri: string, text: string, itemStart: number, itemEnd: number): Edit | undefined {
  const start = lineStart(text, itemStart);
  if (!/^\s*-\s/.test(text.slice(start, itemStart + 1)) && !/^\s*-\s*$/.test(text.slice(start, itemStart))) return undefined;
  return { uri, start, end: lineEndAfter(text, itemEnd), newText: '' };
}
