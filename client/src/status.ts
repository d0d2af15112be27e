// The language status items: which Istio version is in use and how many Istio resources the
// active file holds, as last reported by the server's istio/documentStatus notification; and the
// workspace's background check and its problems (istio/workspaceStatus).
import * as vscode from 'vscode';
import type { DocumentStatusParams, IstioVersion, WorkspaceStatusParams } from '../../shared/protocol';
import { CommandId } from '../../shared/commands';
import { yamlDocuments } from './languageClient';
import { isIstioVersion, type ExtensionSettings } from './settings';

const STATUS_DETAIL = 'Istio resources in this file';
/** Context key: the active editor's file holds Istio resources (package.json menus use it). */
export const ISTIO_FILE_CONTEXT = 'istio.activeFileHasIstioResources';

export type ServerState = 'starting' | 'running' | 'stopped';

/** What the item shows for one file; `resourceCount` is undefined until the server reports. */
export interface StatusView {
  version: IstioVersion;
  resourceCount: number | undefined;
  validateEnabled: boolean;
  server: ServerState;
}

export function formatStatusText(view: StatusView): string {
  const version = `Istio ${view.version}`;
  if (view.resourceCount === undefined) return version;
  if (view.resourceCount === 0) return `${version} · no Istio resources`;
  const noun = view.resourceCount === 1 ? 'resource' : 'resources';
  return `${version} · ${view.resourceCount} ${noun}`;
}

export function formatStatusDetail(view: StatusView): string {
  if (view.server === 'stopped') return 'The Istio language server is not running';
  if (!view.validateEnabled) return `${STATUS_DETAIL} · validation off`;
  if (view.resourceCount === undefined) return 'Waiting for the Istio language server';
  return STATUS_DETAIL;
}

export class DocumentStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  /** Keyed by the normalised `Uri.toString()`, so the server's spelling of a URI does not matter. */
  private readonly statuses = new Map<string, DocumentStatusParams>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private server: ServerState = 'starting';
  private activeHasIstio: boolean | undefined;

  constructor(private readonly settings: ExtensionSettings) {
    this.item = vscode.languages.createLanguageStatusItem('istio.documentStatus', yamlDocuments);
    this.item.name = 'Istio';
    this.item.command = { title: 'Restart', command: CommandId.restartServer, tooltip: 'Restart the Istio language server' };
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidChangeConfiguration((event) => this.onConfigurationChanged(event)),
    );
    this.refresh();
  }

  /** Handles istio/documentStatus. The payload crosses a process boundary, so check its shape. */
  update(params: DocumentStatusParams): void {
    if (typeof params?.uri !== 'string' || typeof params.resourceCount !== 'number') return;
    const key = vscode.Uri.parse(params.uri).toString();
    this.statuses.set(key, params);
    if (key === this.activeKey()) this.refresh();
  }

  /** A spinner while the server starts; an error state when it is down, with Restart at hand. */
  setServerState(server: ServerState): void {
    this.server = server;
    this.refresh();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.statuses.clear();
  }

  private onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    const versionChanged = this.settings.affects(event, 'version');
    if (!versionChanged && !this.settings.affects(event, 'validate.enable')) return;
    if (versionChanged) this.retagVersions(this.settings.version);
    this.refresh();
  }

  /**
   * The server re-reads its configuration and re-reports every open file; until it does, the
   * counts stay valid but the version shown must already be the new one.
   */
  private retagVersions(version: IstioVersion): void {
    for (const [key, status] of this.statuses) this.statuses.set(key, { ...status, istioVersion: version });
  }

  private forget(uri: vscode.Uri): void {
    this.statuses.delete(uri.toString());
  }

  private refresh(): void {
    const key = this.activeKey();
    const status = key === undefined ? undefined : this.statuses.get(key);
    const view: StatusView = {
      version: status !== undefined && isIstioVersion(status.istioVersion) ? status.istioVersion : this.settings.version,
      resourceCount: status?.resourceCount,
      validateEnabled: this.settings.validateEnabled,
      server: this.server,
    };
    this.item.text = formatStatusText(view);
    this.item.detail = formatStatusDetail(view);
    this.item.busy = view.server === 'starting';
    this.item.severity = view.server === 'stopped' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    // Shows the preview's editor-title button only on files with Istio resources.
    const hasIstio = (view.resourceCount ?? 0) > 0;
    if (hasIstio !== this.activeHasIstio) {
      this.activeHasIstio = hasIstio;
      void vscode.commands.executeCommand('setContext', ISTIO_FILE_CONTEXT, hasIstio);
    }
  }

  private activeKey(): string | undefined {
    return vscode.window.activeTextEditor?.document.uri.toString();
  }
}

/** What the workspace item shows: the background pass, then the problems of the whole workspace. */
export function formatWorkspaceText(status: WorkspaceStatusParams | undefined): string {
  if (status === undefined) return 'Workspace: waiting';
  if (status.state === 'off') return 'Workspace: open files only';
  if (status.state === 'checking') return `Checking workspace ${status.checked}/${status.total}`;
  if (status.problems === 0) return 'Workspace: no problems';
  const problems = `${status.problems} ${status.problems === 1 ? 'problem' : 'problems'}`;
  return `Workspace: ${problems} in ${status.files} ${status.files === 1 ? 'file' : 'files'}`;
}

export function formatWorkspaceDetail(status: WorkspaceStatusParams | undefined, validateEnabled: boolean): string {
  if (!validateEnabled) return 'validation off (istio.validate.enable)';
  if (status?.state === 'off') return 'istio.diagnostics.scope: openFiles';
  if (status === undefined || status.problems === 0) return 'Istio files of the workspace';
  return `${status.errors} ${status.errors === 1 ? 'error' : 'errors'} · Istio files of the workspace`;
}

/** The language status item of the workspace: istio/workspaceStatus, with Problems a click away. */
export class WorkspaceStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private status: WorkspaceStatusParams | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly settings: ExtensionSettings) {
    this.item = vscode.languages.createLanguageStatusItem('istio.workspaceStatus', yamlDocuments);
    this.item.name = 'Istio workspace';
    this.item.command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (this.settings.affects(event, 'validate.enable')) this.refresh();
    });
    this.refresh();
  }

  /** Handles istio/workspaceStatus. The payload crosses a process boundary, so check its shape. */
  update(params: WorkspaceStatusParams): void {
    const counts = [params?.checked, params?.total, params?.problems, params?.errors, params?.files];
    if (!['checking', 'done', 'off'].includes(params?.state) || !counts.every((n) => typeof n === 'number')) return;
    this.status = params;
    this.refresh();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private refresh(): void {
    const status = this.status;
    this.item.text = formatWorkspaceText(status);
    this.item.detail = formatWorkspaceDetail(status, this.settings.validateEnabled);
    this.item.busy = status?.state === 'checking';
    this.item.severity = status !== undefined && status.errors > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  }
}
