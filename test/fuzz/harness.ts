// One language server under test: the real dist/server.js over stdio (the tests' LspClient), with
// deadlines on every wait so that a hung or dead server is a finding, not a hung test run.
import { LspClient } from '../server/lspClient';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Message = { id?: number; method?: string; params?: any; result?: any; error?: any };

/** A request or an analysis that takes this long has hung: the server is restarted. */
export const HANG_MS = 15000;

export interface Deadline {
  promise: Promise<void>;
  cancel(): void;
}

/** A promise that settles after `ms` (a bound on a wait for an event, never a sleep). */
export function deadline(ms: number): Deadline {
  let timer: NodeJS.Timeout | undefined;
  let settle = () => {};
  const promise = new Promise<void>((resolve) => {
    settle = resolve;
    timer = setTimeout(resolve, ms);
  });
  return {
    promise,
    cancel: () => {
      clearTimeout(timer);
      settle();
    },
  };
}

export interface Answer {
  /** undefined when the server hung or died before answering. */
  message?: Message;
  ms: number;
  /** Error-level logs (window/logMessage type 1) and stderr output seen while waiting. */
  logs: string[];
}

/** How an analysis wait ended: everything published, an error broke the chain, or the server hung or died. */
export type AnalysisEnd = 'done' | 'error' | 'hang' | 'exit';

export class ServerSession {
  client!: LspClient;
  private exited!: Promise<void>;
  private stderrSeen = 0;
  private logCursor = 0;

  constructor(
    private readonly root: string,
    private readonly settings?: Record<string, unknown>,
  ) {}

  async start(): Promise<void> {
    this.client = new LspClient({ rootPath: this.root, settings: this.settings });
    this.client.proc.stdin.on('error', () => undefined);
    this.client.recordServerRequests();
    this.exited = new Promise((resolve) => this.client.proc.once('exit', () => resolve()));
    this.stderrSeen = 0;
    this.logCursor = 0;
    const limit = deadline(HANG_MS);
    const init = await Promise.race([this.client.initialize(), limit.promise.then(() => undefined)]);
    if (!init) throw new Error('the language server did not answer initialize');
    const indexed = await this.client.waitForUntil((m) => m.method === 'window/logMessage' && /^Indexed \d+ YAML files/.test(m.params.message), limit.promise);
    limit.cancel();
    if (!indexed) throw new Error(`the language server did not index the workspace: ${this.client.stderr}`);
    this.takeLogs();
  }

  get alive(): boolean {
    return this.client.proc.exitCode === null && this.client.proc.signalCode === null;
  }

  get pid(): number | undefined {
    return this.client.proc.pid;
  }

  notify(method: string, params: unknown): void {
    if (this.alive) this.client.notify(method, params);
  }

  async request(method: string, params: unknown): Promise<Answer> {
    const limit = deadline(HANG_MS);
    const started = performance.now();
    const message = this.alive ? await this.client.requestUntil(method, params, Promise.race([limit.promise, this.exited])) : undefined;
    const ms = performance.now() - started;
    limit.cancel();
    return { message, ms, logs: this.takeLogs() };
  }

  /**
   * Waits for the analyses a notification starts, in the server's order (for an open: the file's own
   * problems, its cross-file pass, then each other open document). Each analysis ends with an
   * istio/documentStatus, or with a "diagnostics failed: " error log when it threw; a failed
   * notification handler means the analyses did not start.
   */
  async analysis(order: string[], since: number): Promise<{ end: AnalysisEnd; ms: number; logs: string[] }> {
    const left = [...order];
    const started = performance.now();
    let broken = false;
    const consume = (m: Message) => {
      if (m.method === 'istio/documentStatus') {
        const at = left.indexOf(m.params.uri);
        if (at !== -1) left.splice(at, 1);
      } else if (m.method === 'window/logMessage' && m.params.type === 1) {
        const message = String(m.params.message);
        // The boundary around one analysis: it ended without a status. A notification handler
        // that threw (or an uncaught error): the analyses never started. Other errors are
        // failures inside an analysis that goes on.
        if (/^diagnostics failed: /.test(message)) left.shift();
        else if (/^(Notification handler|uncaught)/.test(message)) broken = true;
      }
      return left.length === 0 || broken;
    };
    const limit = deadline(HANG_MS);
    const seen = left.length === 0 ? {} : await this.client.waitForUntil(consume, Promise.race([limit.promise, this.exited]), since);
    limit.cancel();
    const end: AnalysisEnd = !this.alive ? 'exit' : seen === undefined ? 'hang' : broken ? 'error' : 'done';
    return { end, ms: performance.now() - started, logs: this.takeLogs() };
  }

  /** Notifications since `since` (an index into the client's list). */
  notificationsSince(since: number): Message[] {
    return this.client.notifications.slice(since);
  }

  get notificationCount(): number {
    return this.client.notifications.length;
  }

  /** Error logs and stderr text that arrived since the last call. */
  takeLogs(): string[] {
    const fresh = this.client.notifications.slice(this.logCursor);
    this.logCursor = this.client.notifications.length;
    const logs = fresh.filter((m) => m.method === 'window/logMessage' && m.params.type === 1).map((m) => String(m.params.message));
    if (this.client.stderr.length > this.stderrSeen) {
      logs.push(`stderr: ${this.client.stderr.slice(this.stderrSeen)}`);
      this.stderrSeen = this.client.stderr.length;
    }
    return logs;
  }

  /** Forgets past notifications (between steps, when nothing waits), so a long run stays small. */
  forgetNotifications(): void {
    this.client.notifications.splice(0);
    this.logCursor = 0;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const limit = deadline(5000);
    const stopped = await Promise.race([this.client.stop().then(() => true), limit.promise.then(() => false)]);
    limit.cancel();
    if (!stopped) this.kill();
  }

  /** Ends the server this session started (a hang), by its own process id. */
  kill(): void {
    if (this.alive) this.client.proc.kill('SIGKILL');
  }
}
