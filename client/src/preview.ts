// The traffic preview panel: a webview beside the editor that follows the VirtualService (or
// HTTPRoute, GRPCRoute) under the cursor. The server computes the model; the webview renders it. Strict CSP: no inline
// script, scripts and styles only from the bundle by nonce, nothing remote.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  SetWeightRequest,
  SimulateRequest,
  TrafficModelRequest,
  type FromPreview,
  type Position,
  type PreviewState,
  type SetWeightParams,
  type SimulateParams,
  type ToPreview,
  type TrafficModelParams,
  type TrafficView,
} from '../../shared/protocol';
import type { ClientContext } from './context';

/** How long typing must pause before the preview asks the server again. */
const SETTLE_MS = 250;

/** The preview's webview panel type: `onWebviewPanel:istio.trafficPreview` in package.json activates the extension to restore it. */
export const PREVIEW_VIEW_TYPE = 'istio.trafficPreview';

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
  };
}

export class TrafficPreview implements vscode.Disposable {
  static current: TrafficPreview | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private view: TrafficView | undefined;
  /** The document and position the preview follows. */
  private target: { uri: vscode.Uri; position: Position } | undefined;

  static show(ctx: ClientContext, extensionUri: vscode.Uri, uri?: vscode.Uri, position?: Position): TrafficPreview {
    const editor = vscode.window.activeTextEditor;
    const target = uri && position ? { uri, position } : editor ? { uri: editor.document.uri, position: editor.selection.active } : undefined;
    if (TrafficPreview.current) {
      TrafficPreview.current.panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Traffic Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
      TrafficPreview.current = new TrafficPreview(ctx, extensionUri, panel);
    }
    const preview = TrafficPreview.current;
    if (target) preview.follow(target.uri, target.position);
    return preview;
  }

  /** Restores the panel of a reloaded window: the webview's saved state names the VirtualService it showed. */
  static registerSerializer(ctx: ClientContext): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => TrafficPreview.revive(ctx, panel, state as PreviewState | undefined),
    });
  }

  private static async revive(ctx: ClientContext, panel: vscode.WebviewPanel, state: PreviewState | undefined): Promise<void> {
    panel.webview.options = webviewOptions(ctx.extensionUri);
    TrafficPreview.current?.dispose();
    const preview = new TrafficPreview(ctx, ctx.extensionUri, panel);
    TrafficPreview.current = preview;
    const view = state?.view;
    if (!view || typeof view.uri !== 'string' || !view.range?.start) return;
    preview.view = view;
    panel.title = `Traffic: ${view.name}`;
    const uri = vscode.Uri.parse(view.uri);
    try {
      // The server answers for open documents: open it (without an editor) if the window did not restore one.
      await vscode.workspace.openTextDocument(uri);
    } catch (error) {
      preview.post({ type: 'error', message: `${uri.fsPath} cannot be opened: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    preview.follow(uri, view.range.start);
  }

  private constructor(
    private readonly ctx: ClientContext,
    extensionUri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
  ) {
    panel.webview.html = shellHtml(panel.webview, extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromPreview) => void this.receive(m).catch((e) => ctx.reportError('Traffic preview', e))),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.languageId === 'yaml') this.follow(e.textEditor.document.uri, e.selections[0].active, true);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.target && e.document.uri.toString() === this.target.uri.toString() && e.contentChanges.length > 0) this.schedule();
      }),
    );
  }

  private follow(uri: vscode.Uri, position: Position, settle = false): void {
    this.target = { uri, position: { line: position.line, character: position.character } };
    if (settle) this.schedule();
    else void this.refresh();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), SETTLE_MS);
  }

  private post(message: ToPreview): void {
    void this.panel.webview.postMessage(message);
  }

  private async refresh(): Promise<void> {
    await this.ctx.whenStarted();
    const target = this.target;
    if (!target) return;
    const params: TrafficModelParams = { uri: target.uri.toString(), position: target.position };
    const result = await this.ctx.request(TrafficModelRequest, params);
    if (result === undefined) return this.post({ type: 'error', message: 'The Istio language server is not running.' });
    if (result.problems.length > 0) return this.post({ type: 'problems', problems: result.problems });
    if (!result.view)
      return this.post({
        type: 'idle',
        message: this.view
          ? `The cursor is not on a VirtualService, HTTPRoute or GRPCRoute; showing ${this.view.name}.`
          : 'Put the cursor in a VirtualService, HTTPRoute or GRPCRoute to preview its traffic.',
      });
    this.view = result.view;
    this.panel.title = `Traffic: ${result.view.name}`;
    this.post({ type: 'view', view: result.view });
  }

  private async receive(message: FromPreview): Promise<void> {
    const view = this.view;
    switch (message.type) {
      case 'ready':
        return this.refresh();
      case 'reveal': {
        if (!view) return;
        const range = new vscode.Range(message.range.start.line, message.range.start.character, message.range.end.line, message.range.end.character);
        const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === view.uri);
        const editor = await vscode.window.showTextDocument(vscode.Uri.parse(view.uri), {
          viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
          selection: new vscode.Range(range.start, range.start),
        });
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case 'simulate': {
        if (!view) return;
        const params: SimulateParams = { uri: view.uri, position: view.range.start, request: message.request };
        const result = await this.ctx.request(SimulateRequest, params);
        if (result) this.post({ type: 'simulation', result });
        return;
      }
      case 'setWeight': {
        if (!view) return;
        const params: SetWeightParams = { uri: view.uri, position: message.position, weight: message.weight };
        const result = await this.ctx.request(SetWeightRequest, params);
        if (!result || 'error' in result) return this.post({ type: 'error', message: result ? result.error : 'The Istio language server is not running.' });
        const edit = await this.ctx.workspaceEdit(result.edit);
        if (edit && !(await vscode.workspace.applyEdit(edit))) this.post({ type: 'error', message: 'The editor refused the edit (the document changed?)' });
        return this.refresh();
      }
    }
  }

  dispose(): void {
    if (TrafficPreview.current === this) TrafficPreview.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    vscode.Disposable.from(...this.disposables).dispose();
    this.panel.dispose();
  }
}

/** The page: CSP with a fresh nonce, the bundle's stylesheet and script, empty containers. */
function shellHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'preview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'preview.css'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Traffic Preview</title>
</head>
<body>
<div id="banner" hidden></div>
<div id="simulator-host"></div>
<main id="content"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
