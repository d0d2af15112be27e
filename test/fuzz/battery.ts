// Which requests a document gets, and where: positions on tokens, values, line ends and past them.
import type { LineMap, Position, Range } from './checks';
import type { Diagnostic, DiagnosticPick, Recipe } from './recipes';
import type { Rng } from './rng';

const REFERENCE = /(?:\b(?:host|subset|name|gateways|hosts|namespace)\b:\s*(?:\[\s*)?|^\s+-\s+(?=["']?[\w*./-]+["']?\s*$))/;
const TOKEN = /[^\s:,[\]{}"'#&*!|>-][^\s:,[\]{}"'#]*/g;

const RENAMES = [
  'v3',
  'stable',
  'canary-2',
  'gw-new',
  'v9',
  'blue',
  'a'.repeat(63),
  'No Way',
  '',
  'v1',
  ' x',
  'a/b',
  'é',
  '*',
  'a:b',
  '#x',
  '-x',
  'x'.repeat(300),
  'reviews',
  'UPPER',
  'v1\nkind: x',
  "it's",
  'null',
  'true',
  '1',
];
const QUERIES = ['', 'r', 'review', 'Gateway', 'VirtualService rev', 'zzz', '*', '.', 'é', ' '];

/** A position an editor could send: mostly on tokens and after keys, sometimes anywhere or past the line end. */
export function randomPosition(rng: Rng, map: LineMap): Position {
  const lines = map.text.split(/\r\n|\r|\n/);
  const line = rng.int(0, map.lineCount - 1);
  const content = lines[line] ?? '';
  const mode = rng.weighted<string>([
    [30, 'token'],
    [25, 'reference'],
    [15, 'any'],
    [10, 'value'],
    [8, 'eol'],
    [4, 'indent'],
    [4, 'far'],
    [4, 'origin'],
  ]);
  switch (mode) {
    case 'reference': {
      // Values navigation, rename and the preview act on: hosts, subsets, gateways, names.
      const refs = lines.flatMap((l, i) => (REFERENCE.test(l) ? [i] : []));
      if (refs.length === 0) return { line, character: rng.int(0, content.length) };
      const at = rng.pick(refs);
      const m = REFERENCE.exec(lines[at])!;
      return { line: at, character: m.index + m[0].length + rng.int(0, Math.max(0, lines[at].length - m.index - m[0].length)) };
    }
    case 'token': {
      const tokens = [...content.matchAll(TOKEN)];
      if (tokens.length === 0) return { line, character: rng.int(0, content.length) };
      const t = rng.pick(tokens);
      return { line, character: t.index! + rng.pick([0, Math.floor(t[0].length / 2), t[0].length]) };
    }
    case 'value': {
      const colon = content.indexOf(': ');
      return { line, character: colon === -1 ? content.length : colon + 2 };
    }
    case 'eol':
      return { line, character: content.length };
    case 'indent':
      return { line, character: content.search(/\S|$/) };
    case 'far':
      return rng.chance(0.5) ? { line, character: content.length + rng.int(1, 20) } : { line: map.lineCount + rng.int(0, 3), character: 0 };
    case 'origin':
      return rng.chance(0.5) ? { line: 0, character: 0 } : { line: map.lineCount - 1, character: map.lengths[map.lineCount - 1] };
    default:
      return { line, character: rng.int(0, content.length) };
  }
}

function codeActionRange(rng: Rng, map: LineMap, diagnostics: Diagnostic[]): Range {
  if (diagnostics.length && rng.chance(0.7)) {
    const d = rng.pick(diagnostics);
    return rng.chance(0.5) ? d.range : { start: d.range.start, end: d.range.start };
  }
  const pos = randomPosition(rng, map);
  return { start: pos, end: pos };
}

/** The requests for one document. Follow-ups (resolving an action, simulating) come from the answers. */
export function chooseRecipes(rng: Rng, map: LineMap, diagnostics: Diagnostic[], hasStale: boolean): Recipe[] {
  const pos = () => randomPosition(rng, map);
  const recipes: Recipe[] = [
    { method: 'textDocument/completion', pos: pos(), trigger: rng.chance(0.3) },
    { method: 'textDocument/completion', pos: pos(), trigger: false },
    { method: 'textDocument/hover', pos: pos() },
    { method: 'textDocument/hover', pos: pos() },
    { method: 'textDocument/documentSymbol' },
    { method: 'textDocument/definition', pos: pos() },
    { method: 'textDocument/references', pos: pos(), includeDeclaration: rng.chance(0.5) },
    { method: 'textDocument/prepareRename', pos: pos() },
    { method: 'textDocument/codeLens' },
    { method: 'istio/trafficModel', pos: pos() },
  ];
  const pick = rng.weighted<DiagnosticPick>([
    [6, 'overlapping'],
    [2, 'all'],
    [1, 'none'],
    [hasStale ? 2 : 0, 'stale'],
    [1, 'mangled'],
  ]);
  recipes.push({ method: 'textDocument/codeAction', range: codeActionRange(rng, map, diagnostics), pick });
  recipes.push({ method: 'textDocument/codeAction', range: codeActionRange(rng, map, []), pick: 'overlapping', only: ['refactor.rewrite'] });
  if (rng.chance(0.3)) recipes.push({ method: 'textDocument/codeAction', range: codeActionRange(rng, map, diagnostics), pick: 'overlapping', only: ['quickfix'] });
  if (rng.chance(0.3)) recipes.push({ method: 'workspace/symbol', query: rng.pick(QUERIES) });
  return recipes;
}

/** The rename that follows a prepareRename: at its range when it found one, else (sometimes) anyway. */
export function renameAfter(rng: Rng, prepared: { range?: Range; start?: Position } | null | undefined, at: Position): Recipe | undefined {
  const range = prepared && ('range' in prepared ? prepared.range : (prepared as unknown as Range));
  if (!range && !rng.chance(0.2)) return undefined;
  return { method: 'textDocument/rename', pos: range ? range.start : at, newName: rng.pick(RENAMES) };
}
