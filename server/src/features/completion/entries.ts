// What completion answers: the entries and the span they replace (LSP-free).

export interface CompletionEntry {
  label: string;
  kind: 'property' | 'value' | 'enum' | 'module' | 'class' | 'reference' | 'snippet';
  filterText?: string;
  detail?: string;
  documentation?: string;
  /**
   * The text as the document will hold it: its second and later lines carry their whole
   * indentation (the editor inserts it as is; lsp/convert.ts rewrites it for editors that re-indent).
   */
  insertText: string;
  snippet: boolean;
  sortText?: string;
  deprecated?: boolean;
  /** Accepting it leaves the cursor where a closed set of values can be offered: ask for them again. */
  retrigger?: boolean;
}

export interface CompletionResult {
  items: CompletionEntry[];
  /** File offsets of the text the chosen item replaces. */
  replaceStart: number;
  replaceEnd: number;
}

/** Sort groups: required fields, then the others, then deprecated ones, then snippets. */
export const SORT = { required: '0', field: '1', deprecated: '2', snippet: '3' } as const;

/** Indents the second and later lines of text written relative to `column` (blank lines stay empty). */
export function atColumn(text: string, column: number): string {
  if (column === 0) return text;
  const pad = ' '.repeat(column);
  return text.replace(/\n(?=[^\n])/g, `\n${pad}`);
}
