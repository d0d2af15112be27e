// The workspace pass as LSP work-done progress (a client that supports it shows it in the status
// bar) and as istio/workspaceStatus, which the extension's language status item shows.
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { WorkspaceStatusNotification, type WorkspaceStatusParams } from '../../../shared/protocol';
import { notify } from './messages';

const TITLE = 'Checking Istio files';

export class WorkspaceProgress {
  /** The progress of the pass under way; a promise while the client is asked to create it. */
  private progress?: Promise<WorkDoneProgressServerReporter | undefined>;

  constructor(private readonly connection: Connection) {}

  readonly status = (status: WorkspaceStatusParams): void => {
    notify(this.connection, WorkspaceStatusNotification, status);
    if (status.state === 'checking') this.report(status);
    else this.end();
  };

  private report(status: WorkspaceStatusParams): void {
    const message = `${status.checked}/${status.total}`;
    const percentage = status.total === 0 ? 0 : Math.floor((100 * status.checked) / status.total);
    this.progress ??= this.connection.window.createWorkDoneProgress().then(
      (reporter) => {
        reporter.begin(TITLE, percentage, message);
        return reporter;
      },
      () => undefined,
    );
    void this.progress.then((reporter) => reporter?.report(percentage, message));
  }

  private end(): void {
    const progress = this.progress;
    this.progress = undefined;
    void progress?.then((reporter) => reporter?.done());
  }
}
