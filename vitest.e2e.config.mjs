// End-to-end tests: a real VS Code (code-server) in Chromium. One workbench per file, files one
// after another (2 cores), scenarios in order; globalSetup installs and packages once.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // What the workbench shows after an edit can take seconds on a loaded machine (a cross-file
    // refactoring is several round trips): poll as long as Playwright's waits (30 s), not 1 s.
    expect: { poll: { timeout: 30_000 } },
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
