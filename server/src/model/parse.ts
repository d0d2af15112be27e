// Parses one YAML document: the fast parser where it can, else the `yaml` package, in both cases
// within bounds that hostile text cannot break (see MAX_DEPTH). Whatever goes wrong ends up in
// the document's `errors`, which the model reports as YAML syntax problems; nothing here throws.
import { Composer, isMap, isScalar, isSeq, Parser, YAMLParseError, type CST, type Document, type Node } from 'yaml';
import { tryFastParse, type Damage } from './fastYaml';
import { emptyDocument, MAX_DEPTH, tooDeepMessage } from './yamlNodes';

// Duplicate keys are checked by reportDuplicateKeys: `yaml`'s own check compares each key with
// every earlier one, which takes minutes on a map of 100,000 keys.
// logLevel 'error': toJS on a document must not print yaml's warnings ("Keys with collection values...").
const OPTIONS = { keepSourceTokens: false, merge: true, prettyErrors: false, uniqueKeys: false, logLevel: 'error' } as const;

export function parseYaml(text: string): Document.Parsed {
  try {
    return parseBounded(text);
  } catch (e) {
    // Last resort, for a parser bug: the document shows an error instead of going dark.
    const message = `The YAML parser failed on this document (${e instanceof Error ? e.message : String(e)}); it is not analysed.`;
    return emptyDocument(text, [new YAMLParseError([0, Math.min(1, text.length)], 'IMPOSSIBLE', message)]);
  }
}

function parseBounded(text: string): Document.Parsed {
  const fast = tryFastParse(text);
  if (fast.doc) return fast.doc;
  // `yaml` does not see the broken flow collections the fast parser already reported: its error
  // recovery on them is what costs seconds.
  const doc = parseWithYaml(blankOut(text, fast.damage));
  if (fast.damage.length > 0) {
    for (const d of fast.damage) doc.errors.push(d.error);
    doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
  }
  return doc;
}

/** The text with each damaged span replaced by spaces, keeping line breaks and so every offset. */
function blankOut(text: string, damage: Damage[]): string {
  if (damage.length === 0) return text;
  let out = '';
  let from = 0;
  for (const d of damage) {
    out += text.slice(from, d.start) + text.slice(d.start, d.end).replace(/[^\r\n]/g, ' ');
    from = d.end;
  }
  return out + text.slice(from);
}

/** What `parseDocument` does, with the depth bounded before `yaml`'s recursive composer runs. */
function parseWithYaml(text: string): Document.Parsed {
  const tokens = [...new Parser().parse(text)];
  const deep = firstTooDeep(tokens);
  if (deep !== undefined) return emptyDocument(text, [new YAMLParseError([deep, deep + 1], 'RESOURCE_EXHAUSTION', tooDeepMessage())]);
  let doc: Document.Parsed | undefined;
  for (const next of new Composer(OPTIONS).compose(tokens, true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  // compose(…, forceDoc = true) always yields a document.
  reportDuplicateKeys(doc!);
  return doc!;
}

/** Start of the first collection (in document order) nested deeper than MAX_DEPTH, walking the CST without recursion. */
function firstTooDeep(tokens: CST.Token[]): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((t): [CST.Token, number] => [t, 0]).reverse();
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [token, depth] = top;
    if (token.type === 'document') {
      if (token.value) stack.push([token.value, depth]);
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > MAX_DEPTH) return token.offset;
      for (let i = token.items.length - 1; i >= 0; i--) {
        const item = token.items[i];
        if (item.value) stack.push([item.value, depth + 1]);
        if ('key' in item && item.key) stack.push([item.key, depth + 1]);
      }
    }
  }
  return undefined;
}

/** `yaml`'s duplicate-key error ('Map keys must be unique' at the later key), in linear time. */
function reportDuplicateKeys(doc: Document.Parsed): void {
  const found: YAMLParseError[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    // A loop, not push(...items): spreading 100,000 arguments overflows the stack.
    if (isSeq(node)) for (const item of node.items) stack.push(item);
    if (!isMap(node)) continue;
    const keys = new Set<unknown>();
    for (const pair of node.items) {
      stack.push(pair.key, pair.value);
      const key = pair.key as Node | null;
      // Like `yaml`: scalar keys are equal when their values are (===), other keys never.
      if (!isScalar(key) || Number.isNaN(key.value)) continue;
      if (keys.has(key.value) && key.range) found.push(new YAMLParseError([key.range[0], key.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
      keys.add(key.value);
    }
  }
  if (found.length === 0) return;
  for (const error of found) doc.errors.push(error);
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}
