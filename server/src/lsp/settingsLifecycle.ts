// The settings lifecycle: `istio.*` pulled from the client (or taken from the change notification
// of a client that cannot be asked), applied to the language service, and the workspace rescanned
// when the excluded files change. Applying settings ends in a diagnostics refresh.
import type { Connection, DidChangeConfigurationParams, InitializeParams } from 'vscode-languageserver';
import type { IstioSettings } from '../../../shared/protocol';
import type { LanguageService, ServiceSettings } from '../service/service';
import type { Boundary } from './boundary';
import { readSettings, type RawSettings } from './settings';
import type { WorkspaceSync } from './workspaceSync';

export class SettingsLifecycle {
  private settings: IstioSettings = readSettings(null);
  private folders: string[] = [];
  private canPullConfiguration = false;
  private scanned = false;
  private readonly scanWorkspace: (_: void) => void;

  constructor(
    private readonly connection: Connection,
    private readonly service: LanguageService,
    private readonly sync: WorkspaceSync,
    boundary: Boundary,
    /** Runs when settings were applied or the workspace was first scanned: the diagnostics refresh. */
    private readonly refresh: () => void,
  ) {
    this.scanWorkspace = boundary.run('workspace scan', (_: void) => {
      this.scanned = true;
      const count = this.sync.scan(this.folders, this.settings.exclude);
      this.connection.console.info(`Indexed ${count} YAML files of ${this.folders.length} workspace folder(s).`);
    });
  }

  get current(): IstioSettings {
    return this.settings;
  }

  /** Whether the client answers `workspace/configuration` (then settings are pulled, not pushed). */
  get pullsConfiguration(): boolean {
    return this.canPullConfiguration;
  }

  serviceSettings(): ServiceSettings {
    return { istioVersion: this.settings.version, validate: this.settings.validate.enable };
  }

  /** From `initialize`: whether the client can be asked for settings, and the workspace folders. */
  initialize(params: InitializeParams): void {
    this.canPullConfiguration = !!params.capabilities.workspace?.configuration;
    this.folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  }

  /** After `initialized`: the first settings, then the first workspace scan. */
  start(): void {
    void this.pull().then(() => {
      this.scanWorkspace();
      this.refresh();
    });
  }

  /** `workspace/didChangeConfiguration`. */
  changed(change: DidChangeConfigurationParams): void {
    if (this.canPullConfiguration) void this.pull();
    else this.apply(readSettings((change.settings as { istio?: RawSettings } | null)?.istio));
  }

  private apply(next: IstioSettings): void {
    const rescan = this.scanned && next.exclude.join('\n') !== this.settings.exclude.join('\n');
    this.settings = next;
    this.service.setHostSettings({ clusterDomain: next.clusterDomain, defaultNamespace: next.defaultNamespace });
    if (rescan) this.scanWorkspace();
    this.refresh();
  }

  private async pull(): Promise<void> {
    if (!this.canPullConfiguration) return;
    try {
      this.apply(readSettings((await this.connection.workspace.getConfiguration({ section: 'istio' })) as RawSettings));
    } catch (e) {
      this.connection.console.error(`reading settings failed: ${(e as Error).message}`);
    }
  }
}
