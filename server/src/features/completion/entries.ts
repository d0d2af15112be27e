// What completion answers: the entries and the span they replace (LSP-free).

export interface CompletionEntry {
  label: string;
  kind: 'property' | 'value' | 'enum' | 'module' | 'class' | 'reference';
  filterText?: string;
  detail?: string;
  documentation?: string;
  insertText: string;
  snippet: boolean;
  sortText?: string;
}

export interface CompletionResult {
  items: CompletionEntry[];
  /** File offsets of the text the chosen item replaces. */
  replaceStart: number;
  replaceEnd: number;
}
