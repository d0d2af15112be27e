// Mutations that keep a parsing file parsing, in another style: what refactorings must follow.
import { isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import { indentOf, lines, pickLine, type Mutation } from './text';

export const lineEndings: Mutation = (rng, text) => (rng.chance(0.7) ? text.replace(/\r?\n/g, '\r\n') : `\ufeff${text}`);

/** The same data in another style (the yaml package re-renders it): flow collections, quoting, 4-space indents, folded lines. */
export const restyle: Mutation = (rng, text) => {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) return text;
  const options = { indent: rng.pick([2, 2, 3, 4]), indentSeq: rng.chance(0.5), lineWidth: rng.pick([0, 40, 80]), flowCollectionPadding: rng.chance(0.5) };
  const rendered = docs.map((doc) => {
    visit(doc, (_, node) => {
      if (isScalar(node) && typeof node.value === 'string' && rng.chance(0.25))
        node.type = rng.pick(['QUOTE_DOUBLE', 'QUOTE_SINGLE', 'PLAIN', node.value.includes('\n') ? 'BLOCK_LITERAL' : 'PLAIN'] as const);
      if ((isMap(node) || isSeq(node)) && rng.chance(0.12)) node.flow = true;
    });
    return doc.toString(options).replace(/^---\n/, '');
  });
  return rendered.join('---\n');
};

/** The manifests as JSON (which is YAML), as `kubectl get -o json` prints them. */
export const asJson: Mutation = (rng, text) => {
  try {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) return text;
    return docs.map((d) => JSON.stringify(d.toJSON(), null, rng.pick([0, 2, 4]))).join('\n---\n') + '\n';
  } catch {
    return text;
  }
};

/** A comment where YAML allows one: a line of its own at the next line's indent, or after a plain value. */
export const validComment: Mutation = (rng, text) => {
  const ls = lines(text);
  const at = pickLine(rng, ls);
  if (at === undefined) return text;
  if (rng.chance(0.5) && /^[^#'"|>]*:\s+[\w.-]+\s*$/.test(ls[at])) ls[at] += rng.pick([' # why', '  # set by the platform team', ' #']);
  else ls.splice(at, 0, ' '.repeat(indentOf(ls[at])) + rng.pick(['# note', '# TODO: revisit', '#', '# - name: v9']));
  return ls.join('\n');
};

export const markers: Mutation = (rng, text) => rng.pick(['---\n' + text, '%YAML 1.2\n---\n' + text, text.replace(/\n?$/, '\n...\n'), '# header\n---\n' + text]);
