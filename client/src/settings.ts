// Typed access to the `istio.*` settings. The server reads the same section itself through
// workspace/configuration; the client only needs the values for display and logging.
import * as vscode from 'vscode';
import { DEFAULT_ISTIO_VERSION, ISTIO_VERSIONS, type IstioVersion } from '../../shared/protocol';

export const SETTINGS_SECTION = 'istio';

export type ServerTrace = 'off' | 'messages' | 'verbose';
const SERVER_TRACES: readonly ServerTrace[] = ['off', 'messages', 'verbose'];

/** Keys under `istio.` that the client reacts to. */
export type SettingKey = 'version' | 'validate.enable' | 'trace.server';

export class ExtensionSettings {
  /** The Istio version whose schemas the server validates against. */
  get version(): IstioVersion {
    const value = this.section().get<unknown>('version');
    // A hand-edited settings.json can hold anything; fall back like the server does.
    return isIstioVersion(value) ? value : DEFAULT_ISTIO_VERSION;
  }

  get validateEnabled(): boolean {
    const value = this.section().get<unknown>('validate.enable');
    return typeof value === 'boolean' ? value : true;
  }

  /** Read by vscode-languageclient itself (client id `istio`); exposed here for logging. */
  get traceServer(): ServerTrace {
    const value = this.section().get<unknown>('trace.server');
    return SERVER_TRACES.find((trace) => trace === value) ?? 'off';
  }

  affects(event: vscode.ConfigurationChangeEvent, key: SettingKey): boolean {
    return event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`);
  }

  private section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION);
  }
}

export function isIstioVersion(value: unknown): value is IstioVersion {
  return ISTIO_VERSIONS.some((version) => version === value);
}
