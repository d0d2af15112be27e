// The snippets of snippets/istio.json (bundled into the server), offered as completion items
// where they fit: a whole document where a document can start, a fragment where its keys are
// fields (`in`: a kind and the path of the map whose keys it adds, `*` for any list index).
import library from '../../../../snippets/istio.json';
import type { YamlStyle } from '../../schema/shapes';
import type { PathSegment } from '../../schema/yamlPath';
import { SORT, type CompletionEntry } from './entries';

interface SnippetDefinition {
  prefix: string;
  body: string[];
  description: string;
  in?: { kind: string; path: string[] };
}

const SNIPPETS: SnippetDefinition[] = Object.values(library as Record<string, SnippetDefinition>);

/** Where the cursor is, for snippets. */
export type SnippetPlace =
  /** Column 0 of a line where a document can start; `separator`: a document precedes it in the same segment. */
  | { type: 'document'; separator: boolean }
  /** A key of the map at `path` of a `kind` resource, whose keys `present` already has. */
  | { type: 'keys'; kind: string | undefined; path: PathSegment[]; present: Set<string> };

export function snippetItems(place: SnippetPlace, style: YamlStyle): CompletionEntry[] {
  if (place.type === 'document') return SNIPPETS.filter((s) => !s.in).map((s) => item(s, (place.separator ? '---\n' : '') + s.body.join('\n')));
  return SNIPPETS.filter((s) => s.in && s.in.kind === place.kind && pathMatches(s.in.path, place.path) && !topKeys(s).some((k) => place.present.has(k))).map((s) =>
    item(s, restyle(s.body, style).join('\n')),
  );
}

function pathMatches(pattern: string[], path: PathSegment[]): boolean {
  return pattern.length === path.length && pattern.every((segment, i) => (segment === '*' ? typeof path[i] === 'number' : segment === path[i]));
}

/** The keys a fragment adds to its map (a fragment is offered only when its map has none of them). */
function topKeys(snippet: SnippetDefinition): string[] {
  return snippet.body.flatMap((line) => /^([\w.-]+):/.exec(line)?.[1] ?? []);
}

/** A column of the body and where it goes in the file; `dash`: a sequence item's dash. */
interface Frame {
  body: number;
  file: number;
  dash: boolean;
}

/**
 * Body lines (2-space steps, flush sequences) in the file's style: its indent unit for map
 * children, its sequences flush or one step in, an item's keys two columns after its dash.
 */
function restyle(body: string[], style: YamlStyle): string[] {
  const unit = style.indent.length;
  const frames: Frame[] = [{ body: 0, file: 0, dash: false }];
  return body.map((line) => {
    const column = line.search(/\S|$/);
    const dash = line.startsWith('- ', column);
    let top = frames[frames.length - 1];
    // Back out of deeper lines, and out of a sequence when a key follows it at its key's column.
    while (frames.length > 1 && (top.body > column || (!dash && top.dash && top.body === column))) {
      frames.pop();
      top = frames[frames.length - 1];
    }
    const file = top.body !== column ? top.file + unit : dash && !top.dash ? top.file + (style.flushSequences ? 0 : unit) : top.file;
    frames.push({ body: column, file, dash });
    if (dash) frames.push({ body: column + 2, file: file + 2, dash: false });
    return ' '.repeat(file) + line.slice(column);
  });
}

function item(snippet: SnippetDefinition, insertText: string): CompletionEntry {
  return {
    label: snippet.prefix,
    kind: 'snippet',
    detail: snippet.description,
    documentation: '```yaml\n' + preview(insertText) + '\n```',
    insertText,
    snippet: true,
    sortText: `${SORT.snippet}${snippet.prefix}`,
  };
}

/** The snippet with its placeholders (and their mirrors) at their defaults, for the documentation pane. */
function preview(body: string): string {
  const defaults = new Map<string, string>();
  const withDefaults = body
    .replace(/\$\{(\d+):([^${}]*)\}/g, (_all, n: string, text: string) => (defaults.set(n, text), text))
    .replace(/\$\{(\d+)\|([^,|]*)[^}]*\|\}/g, (_all, n: string, first: string) => (defaults.set(n, first), first));
  return withDefaults.replace(/(?<!\\)\$\{?(\d+)\}?/g, (_all, n: string) => defaults.get(n) ?? '').replace(/\\([$}\\])/g, '$1');
}
