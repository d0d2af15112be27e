import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers, low to high. A file imports only from its own layer or lower ones (scripts/check-layers.mjs adds: no import circle).
// `name` is how a relative specifier spells the folder (or file) under server/src (`../schema/...`, `./server`).
// shared/ sits below them all. lsp < cli because the CLI prints the LSP conversions (cli/lint uses lsp/convert); server.ts
// (the LSP wiring) < node/ (the Node entry points, which start it).
const LAYERS = [
  { name: 'base', files: ['server/src/base/**'] },
  { name: 'model', files: ['server/src/model/**'] },
  { name: 'schema', files: ['server/src/schema/**'] },
  { name: 'workspace', files: ['server/src/workspace/**'] },
  { name: 'analysis', files: ['server/src/analysis/**'] },
  { name: 'edit', files: ['server/src/edit/**'] },
  { name: 'features', files: ['server/src/features/**'] },
  { name: 'service', files: ['server/src/service/**'] },
  { name: 'lsp', files: ['server/src/lsp/**'] },
  { name: 'cli', files: ['server/src/cli/**'] },
  { name: 'server', files: ['server/src/server.ts'], root: true },
  { name: 'node', files: ['server/src/node/**'] },
];
// The server core: what neither the editor protocol nor Node may reach (it runs under any host: LSP, CLI, tests, a browser).
const CORE = ['base', 'model', 'schema', 'workspace', 'analysis', 'edit', 'features', 'service'];
// Node itself only in the entry points: the adapters (lsp/, cli/, server.ts) get the file system and process from them
// (server/tsconfig.json, which has no Node types, compiles them too).
const usesNode = (layerName) => layerName === 'node';

const alt = (names) => names.join('|');
const higherThan = (i) => LAYERS.slice(i + 1).map((l) => l.name);
const order = ['shared', ...LAYERS.map((l) => l.name)].join(' < ');

const editorProtocol = {
  regex: '^vscode($|[-/])',
  caseSensitive: true,
  message: 'The server core and shared/ are editor-neutral: vscode, vscode-languageserver(-*), vscode-jsonrpc belong to server/src/lsp, server.ts, node/ and cli/.',
};
const nodeSpecifier = {
  regex: '^node:',
  caseSensitive: true,
  message: 'Only server/src/node uses Node: file system, paths and process belong there (pass what you need in).',
};
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: nodeSpecifier.message }));
const neutralGlobals = ['process', 'Buffer', 'global', '__dirname', '__filename', 'require', 'module', 'exports', 'setImmediate', 'clearImmediate'].map((name) => ({
  name,
  message: 'Only server/src/node uses Node globals: read settings, paths and the environment there and pass them in.',
}));
const neutralProperties = ['process', 'Buffer', 'require'].map((property) => ({ object: 'globalThis', property, message: neutralGlobals[0].message }));
const noClient = { regex: '^(\\.\\./)+client(/|$)', caseSensitive: true, message: 'The server never imports from client/ (shared code goes to shared/).' };

/** The no-restricted-imports patterns of one layer: no higher layer, no client, for the core no editor protocol, outside node/ no Node. */
function layerPatterns(layer, i, extra = []) {
  const higher = higherThan(i);
  const prefix = layer.root ? '\\./' : '(\\.\\./)+';
  const patterns = [...extra, noClient];
  if (higher.length > 0)
    patterns.unshift({
      regex: `^${prefix}(${alt(higher)})(/|$)`,
      caseSensitive: true,
      message: `server/src/${layer.name} imports only from its own or lower layers (${order}).`,
    });
  if (CORE.includes(layer.name)) patterns.push(editorProtocol);
  if (!usesNode(layer.name)) patterns.push(nodeSpecifier);
  return patterns;
}
const restrict = (patterns, paths = []) => ({ '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] });
const layerRules = (layerName, patterns) =>
  !usesNode(layerName)
    ? { ...restrict(patterns, nodeBuiltins), 'no-restricted-globals': ['error', ...neutralGlobals], 'no-restricted-properties': ['error', ...neutralProperties] }
    : restrict(patterns);

// A feature (a file or a folder directly under features/) builds on the toolkit floors below it and never on another feature.
const otherFeature = 'A feature never imports another feature: move what both need into a lower layer (edit/, workspace/, analysis/, model/).';
const layerConfigs = LAYERS.flatMap((layer, i) => {
  if (layer.name !== 'features') return [{ files: layer.files, rules: layerRules(layer.name, layerPatterns(layer, i)) }];
  return [
    // features/x.ts: every ./ sibling but the one feature context (features/context.ts) is another feature.
    { files: ['server/src/features/*.ts'], rules: layerRules('features', layerPatterns(layer, i, [{ regex: '^\\./(?!context$)', caseSensitive: true, message: otherFeature }])) },
    // features/f/**: ../ leaves the feature for a sibling one; ../../features/ comes back to one.
    {
      files: ['server/src/features/*/**'],
      rules: layerRules(
        'features',
        layerPatterns(layer, i, [
          { regex: '^\\.\\./(?!context$)[^.]', caseSensitive: true, message: otherFeature },
          { regex: '^(\\.\\./)+features(/|$)', caseSensitive: true, message: otherFeature },
        ]),
      ),
    },
  ];
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'schemas/', '.cache/', 'coverage/', 'test-results/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly', Buffer: 'readonly', fetch: 'readonly' },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Type-only imports say so: `import type { A }` when every name is a type, `import { a, type B }` when mixed
      // (the style the code uses; the second rule turns `import { type A }` into `import type { A }`).
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: true }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  // shared/: below everything, used by the client, the webview (a browser) and the server: only itself, no editor, no Node.
  {
    files: ['shared/**'],
    rules: {
      ...restrict([{ regex: '^\\.\\./', caseSensitive: true, message: 'shared/ imports only from shared/.' }, editorProtocol, nodeSpecifier], nodeBuiltins),
      'no-restricted-globals': ['error', ...neutralGlobals],
      'no-restricted-properties': ['error', ...neutralProperties],
    },
  },
  ...layerConfigs,
  // The extension client talks to the server only through the protocol in shared/.
  {
    files: ['client/src/**'],
    rules: restrict([{ regex: '^(\\.\\./)+(server|test)(/|$)', caseSensitive: true, message: 'The client never imports from server/ (or test/): the protocol and answers live in shared/.' }]),
  },
  // The preview's webview script runs in a browser: only itself and shared/.
  {
    files: ['client/webview/**'],
    rules: restrict([
      { regex: '^\\.\\./(?!\\.\\./shared(/|$))', caseSensitive: true, message: 'client/webview imports only from itself and shared/.' },
      { regex: '^[^.]', caseSensitive: true, message: 'client/webview imports only from itself and shared/ (it is bundled for a browser, without packages).' },
    ]),
  },
);
