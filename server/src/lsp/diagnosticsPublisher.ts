// Every publishDiagnostics goes through here, for open documents and closed workspace files alike:
// it remembers what each file last showed, so a closed file's unchanged result is not sent again
// (a workspace pass re-checks thousands of files) and the workspace's problem count is known.
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';

export interface ProblemSummary {
  problems: number;
  errors: number;
  files: number;
}

export class DiagnosticsPublisher {
  /** Per file with diagnostics shown: their serialised form and counts. */
  private readonly shown = new Map<string, { key: string; problems: number; errors: number }>();

  constructor(
    private readonly send: (params: PublishDiagnosticsParams) => void,
    /** Runs when the set of problems shown changed. */
    private readonly onChange: () => void = () => undefined,
  ) {}

  /**
   * An open document's diagnostics carry its version and always go out (the editor matches them
   * to its text); a closed file's go out only when they differ from what it shows.
   */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    const key = JSON.stringify(diagnostics);
    const before = this.shown.get(uri);
    const same = (before?.key ?? '[]') === key;
    if (same && version === undefined) return;
    if (diagnostics.length === 0) this.shown.delete(uri);
    else this.shown.set(uri, { key, problems: diagnostics.length, errors: diagnostics.filter((d) => d.severity === 1).length });
    this.send(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
    if (!same) this.onChange();
  }

  /** The file shows nothing from us (it was deleted, excluded, or closed outside the workspace). */
  clear(uri: string): void {
    this.publish(uri, []);
  }

  /** Files that show diagnostics now. */
  uris(): string[] {
    return [...this.shown.keys()];
  }

  summary(): ProblemSummary {
    let problems = 0;
    let errors = 0;
    for (const s of this.shown.values()) {
      problems += s.problems;
      errors += s.errors;
    }
    return { problems, errors, files: this.shown.size };
  }
}
