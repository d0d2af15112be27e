// Splits a YAML stream into its documents by scanning for `---` marker lines, without parsing.
// A `---` at column 0 always starts a document in YAML 1.2 (it ends even a block scalar), so
// this is exact for well-formed streams; it lets an edit re-parse only the document it touches.

export interface Segment {
  /** Offset of the segment's first character in the file. */
  start: number;
  /** Offset just past the segment's last character. */
  end: number;
  text: string;
}

const MARKER = /^---(?:[ \t]|\r?$)/;

export function splitDocuments(text: string): Segment[] {
  const segments: Segment[] = [];
  let segmentStart = 0;
  let lineStart = 0;
  let sawContent = false;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const isMarker = text.charCodeAt(lineStart) === 45 && text.startsWith('---', lineStart) && MARKER.test(text.slice(lineStart, lineEnd));
    if (isMarker && sawContent) {
      segments.push({ start: segmentStart, end: lineStart, text: text.slice(segmentStart, lineStart) });
      segmentStart = lineStart;
      sawContent = false;
    }
    // Directives and comments before a first `---` belong to the document that follows.
    if (isMarker || !isDirectiveOrBlank(text, lineStart, lineEnd)) sawContent = true;
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  segments.push({ start: segmentStart, end: text.length, text: text.slice(segmentStart) });
  return segments;
}

function isDirectiveOrBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) continue;
    return c === 37 /* % */ || c === 35; /* # */
  }
  return true;
}
