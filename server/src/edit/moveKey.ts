// Moves a key with its value to another block map of the same document: the lines are cut
// and written after the target's last entry, re-indented to its column. Everything else stays
// byte-identical.
import { isAlias, isNode, isScalar, visit, type Pair, type YAMLMap } from 'yaml';
import { columnOf, lineEndAfter, lineStart, type Edit } from './textEdits';
import { isBlockMap, mergeEdits, type DocumentPlace } from './yamlEdit';

/**
 * The edits moving `pair` into `target`. Undefined (refused) when the target already has the key,
 * either map is not a block map written one key per line (`- key:` starts a list item, which
 * would lose its first line), or the value holds anchors or aliases (their order could change).
 */
export function moveKey(place: DocumentPlace, pair: Pair, target: unknown): Edit[] | undefined {
  if (!isScalar(pair.key) || !isBlockMap(target) || hasKey(target, String(pair.key.value)) || holdsAnchors(pair)) return undefined;
  const { text } = place;
  const keyStart = place.resource.startOf(pair.key);
  const valueEnd = place.resource.endOf(isNode(pair.value) ? pair.value : null) ?? place.resource.endOf(pair.key);
  const targetColumn = firstKeyColumn(place, target);
  if (keyStart === undefined || valueEnd === undefined || targetColumn === undefined) return undefined;
  const from = lineStart(text, keyStart);
  if (!/^ *$/.test(text.slice(from, keyStart))) return undefined;
  const to = lineEndAfter(text, valueEnd);
  const at = insertionPoint(place, target);
  if (at === undefined || (at > from && at < to)) return undefined;
  const lines = reindent(text.slice(from, to), keyStart - from, targetColumn, place.w.nl);
  const lead = at > 0 && text[at - 1] !== '\n' ? place.w.nl : '';
  return mergeEdits([
    { uri: place.uri, start: from, end: to, newText: '' },
    { uri: place.uri, start: at, end: at, newText: lead + lines },
  ]);
}

function hasKey(map: YAMLMap, key: string): boolean {
  return map.items.some((p) => isScalar(p.key) && String(p.key.value) === key);
}

function holdsAnchors(pair: Pair): boolean {
  let found = false;
  visit(pair.value as never, (_key, node) => {
    if (isAlias(node) || (isNode(node) && node.anchor)) found = true;
    return found ? visit.BREAK : undefined;
  });
  return found;
}

function firstKeyColumn(place: DocumentPlace, map: YAMLMap): number | undefined {
  const start = place.resource.startOf(map.items[0].key as never);
  return start === undefined ? undefined : columnOf(place.text, start);
}

/** Just after the target's last entry (the line after its value ends). */
function insertionPoint(place: DocumentPlace, map: YAMLMap): number | undefined {
  const last = map.items[map.items.length - 1];
  const end = place.resource.endOf(isNode(last.value) ? last.value : null) ?? place.resource.endOf(last.key as never);
  return end === undefined ? undefined : lineEndAfter(place.text, end);
}

/** The lines with their indentation moved from `fromColumn` to `toColumn`; a line indented less (a comment) starts at `toColumn`. */
function reindent(block: string, fromColumn: number, toColumn: number, nl: string): string {
  const lines = block.replace(/\r?\n$/, '').split(/\r?\n/);
  const pad = ' '.repeat(toColumn);
  return lines
    .map((line) => {
      if (line.trim() === '') return '';
      const spaces = line.length - line.trimStart().length;
      return pad + (spaces >= fromColumn ? line.slice(fromColumn) : line.trimStart());
    })
    .map((l) => l + nl)
    .join('');
}
