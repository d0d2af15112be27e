// One workbench per e2e file: a real VS Code (code-server) with the packaged .vsix installed, on a
// scratch copy of samples/ (and test/e2e/fixtures/ as e2e/). globalSetup.ts installed and packaged.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startCodeServer, type CodeServer } from '../../scripts/e2e/codeServer.mjs';
import { CHROMIUM, root } from '../../scripts/e2e/setup.mjs';
import { Workbench } from './harness';

export interface Session {
  /** The workbench, once beforeAll has opened it. */
  readonly wb: Workbench;
  /** The workspace folder on disk (a copy; tests may edit it). */
  readonly workspace: string;
}

export interface SessionOptions {
  /** Files to write into the workspace before the workbench opens, by relative path. */
  files?: Record<string, string>;
  /** User settings beyond the harness's defaults. */
  settings?: Record<string, unknown>;
}

/** Registers the hooks of one workbench for the calling file and returns its handle. */
export function useWorkbench(options: SessionOptions = {}): Session {
  const scratch = mkdtempSync(join(tmpdir(), 'istio-e2e-'));
  const workspace = join(scratch, 'samples');
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;

  beforeAll(async () => {
    cpSync(join(root, 'samples'), workspace, { recursive: true });
    writeFileSync(join(workspace, 'scratch.yaml'), '');
    cpSync(join(root, 'test', 'e2e', 'fixtures'), join(workspace, 'e2e'), { recursive: true });
    for (const [path, text] of Object.entries(options.files ?? {})) writeFileSync(join(workspace, path), text);
    server = await startCodeServer({ vsix: join(root, 'istio-authoring.vsix'), workspace, state: join(scratch, 'state'), settings: options.settings });
    wb = await Workbench.open(server.folderUrl, CHROMIUM);
  });

  afterEach(async (context) => {
    // A failing scenario leaves a picture of the screen it was waiting on.
    if (context.task.result?.state === 'fail') await wb?.screenshot(`failed-${context.task.name.replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await wb?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  return {
    get wb() {
      if (!wb) throw new Error('the workbench is not open yet (use it inside a test)');
      return wb;
    },
    workspace,
  };
}
