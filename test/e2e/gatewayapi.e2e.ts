// Gateway API documents in VS Code: an HTTPRoute whose backendRef names a port its Service does not
// have is squiggled and listed in Problems with its code, and "Use port N" fixes the saved file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Workbench } from './harness';
import { useWorkbench } from './session';

/** Written into this workbench only (an error at rest would change other e2e files' Problems). */
const FILE = 'gateway-api-route.yaml';
const TEXT = `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: bookshop
spec:
  selector: {app: reviews}
  ports:
  - name: http
    port: 9080
---
# The route sends its traffic to a port reviews does not serve.
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
  namespace: bookshop
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
    port: 9080
  rules:
  - backendRefs:
    - name: reviews
      port: 8080
`;

describe('Gateway API routes', () => {
  const session = useWorkbench({ files: { [FILE]: TEXT } });
  let wb: Workbench;
  beforeEach(() => {
    wb = session.wb;
  });

  it('flags a backendRef port the Service does not have and fixes it with one of its ports', async () => {
    await wb.openFile(FILE);
    await wb.editor.locator('.squiggly-error').first().waitFor();
    await wb.filterProblems(FILE);
    const problem = wb.page.locator('.markers-panel .monaco-list-row', { hasText: '8080' }).first();
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/istio-backend-port-not-found[\s\S]*\[Ln 27, Col 13\]/);
    await wb.screenshot('gatewayapi-1-problems');
    await wb.goTo(27, 14);
    const fix = await wb.codeActionRow('Use port 9080');
    await wb.screenshot('gatewayapi-2-fix-menu');
    await fix.click();
    await problem.waitFor({ state: 'detached' });
    await wb.editor.locator('.squiggly-error').first().waitFor({ state: 'detached' });
    await wb.save();
    const text = readFileSync(join(session.workspace, FILE), 'utf8');
    // Only the port changed: the comment and the other lines are byte-identical.
    expect(text).toBe(TEXT.replace('      port: 8080\n', '      port: 9080\n'));
    await wb.screenshot('gatewayapi-3-fixed');
  });
});
