// A YAML document's resource replaced by other resources (a conversion from one kind to
// another), written in the file's style: the first takes the resource's place, the others follow
// as documents of their own. The comments written inside the old resource are kept, each on its
// own line above the new ones; everything outside the resource stays as it was.
import { isMap } from 'yaml';
import { columnOf, commentsIn, lineEndAfter, lineStart, type Edit } from './textEdits';
import { isBlockMap, mapLines, type DocumentPlace, type YamlValue } from './yamlEdit';

/** The edit, or undefined when the resource is not a block map starting a line at column 0 (a flow map, a `kind: List` item). */
export function replaceResource(place: DocumentPlace, resources: { [key: string]: YamlValue }[]): Edit | undefined {
  const contents = place.resource.doc.contents;
  if (resources.length === 0 || !isMap(contents) || !isBlockMap(contents)) return undefined;
  const start = place.resource.startOf(contents.items[0].key as never);
  const end = place.resource.endOf(contents);
  if (start === undefined || end === undefined || columnOf(place.text, start) !== 0) return undefined;
  const from = lineStart(place.text, start);
  const to = lineEndAfter(place.text, end);
  const { nl } = place.w;
  const kept = commentsIn(place.text, from, to).map((c) => c + nl);
  const body = resources.map((r, i) => [...(i > 0 ? ['---'] : []), ...mapLines(r, 0, place.w)].map((l) => l + nl).join(''));
  return { uri: place.uri, start: from, end: to, newText: kept.join('') + body.join('') };
}
