// One inclusion rule: istio-lint checks the files of a folder that the editor's workspace index
// takes (Helm chart templates and templated files left out, node_modules and .git skipped).
import { describe, expect, it } from 'vitest';
import { runLint } from '../../server/src/cli/lint';
import { WorkspaceSync } from '../../server/src/lsp/workspaceSync';
import { isTemplate, listWorkspaceFiles } from '../../server/src/workspace/files';
import { schemaSource } from '../support';
import { MemoryFs } from './memoryFs';

const BAD = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  bogus: 1\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n';
const TEMPLATE = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  hosts: [{{ .Values.host }}]\n';

const tree: Record<string, string> = {
  '/w/chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
  '/w/chart/values.yaml': 'name: shop\n',
  '/w/chart/templates/vs.yaml': TEMPLATE,
  '/w/chart/templates/gw.yaml': BAD,
  '/w/k8s/gateway.yaml': BAD,
  '/w/k8s/templated.yaml': TEMPLATE,
  '/w/templates/gw.yaml': BAD,
  '/w/node_modules/x/gw.yaml': BAD,
  '/w/.git/gw.yaml': BAD,
};

function checkedByLint(paths: string[]): string[] {
  const fs = new MemoryFs();
  for (const [path, text] of Object.entries(tree)) fs.file(path, text);
  const r = runLint(['--format', 'json', ...paths], fs, schemaSource);
  return [...new Set((JSON.parse(r.stdout) as { diagnostics: { file: string }[] }).diagnostics.map((d) => d.file))].sort();
}

function indexedByEditor(): string[] {
  const folders = new Map<string, { name: string; isDirectory: boolean }[]>();
  for (const path of Object.keys(tree)) {
    const parts = path.split('/').slice(1);
    for (let i = 0; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`.replace(/^\/$/, '/');
      const list = folders.get(dir) ?? [];
      if (!list.some((e) => e.name === parts[i])) list.push({ name: parts[i], isDirectory: i < parts.length - 1 });
      folders.set(dir, list);
    }
  }
  const join = (a: string, b: string) => (a === '/' ? `/${b}` : `${a}/${b}`);
  return listWorkspaceFiles('/w', (dir) => folders.get(dir), join, [])
    .map((rel) => `/w/${rel}`)
    .filter((path) => !isTemplate(tree[path]));
}

describe('which files count', () => {
  it('is the same for istio-lint on a folder and for the editor', () => {
    const withProblems = indexedByEditor().filter((p) => tree[p] === BAD);
    expect(withProblems).toEqual(['/w/k8s/gateway.yaml', '/w/templates/gw.yaml']);
    expect(checkedByLint(['/w'])).toEqual(withProblems);
  });

  it('checks a template named on the command line: the user asked for it', () => {
    expect(checkedByLint(['/w/chart/templates/gw.yaml'])).toEqual(['/w/chart/templates/gw.yaml']);
  });

  it('is the same for the file watcher: each created file counts when the scan would take it', () => {
    const indexed = new Set<string>();
    const host = { listFiles: () => [], readFile: (uri: string) => tree[decodeURIComponent(uri.replace('file://', ''))] };
    const sync = new WorkspaceSync({ setDiskFile: (uri) => void indexed.add(uri), removeDiskFile: (uri) => void indexed.delete(uri) }, host);
    sync.scan(['file:///w'], []);
    sync.apply(Object.keys(tree).map((path) => ({ uri: `file://${path}`, type: 'created' as const })));
    expect([...indexed].map((uri) => uri.replace('file://', '')).sort()).toEqual(indexedByEditor());
    sync.scan(['file:///w'], ['k8s/**']);
    sync.apply([{ uri: 'file:///w/k8s/gateway.yaml', type: 'changed' }]);
    expect(indexed.has('file:///w/k8s/gateway.yaml')).toBe(false);
  });
});
