// A small LSP client for tests: starts dist/server.js over stdio, frames messages, answers the
// server's requests, and lets a test wait for a notification (no sleeps: waits end on events;
// vitest's timeout bounds them).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support';

type Message = { id?: number; method?: string; params?: any; result?: any; error?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ClientOptions {
  rootPath?: string;
  settings?: Record<string, unknown>;
  /** The client's textDocument.completion capabilities (none by default). */
  completion?: Record<string, unknown>;
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly notifications: Message[] = [];
  settings: Record<string, unknown>;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  stderr = '';

  constructor(private readonly options: ClientOptions = {}) {
    this.settings = options.settings ?? { version: '1.30', validate: { enable: true } };
    this.proc = spawn(process.execPath, [join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  async initialize(): Promise<Message> {
    const rootUri = this.options.rootPath ? pathToFileURL(this.options.rootPath).href : null;
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true }, completion: this.options.completion },
      },
    });
    this.notify('initialized', {});
    return result;
  }

  request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** Resolves with the first notification (already received or future) that passes the test. */
  waitFor(test: (m: Message) => boolean, since = 0): Promise<Message> {
    const seen = this.notifications.slice(since).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  diagnostics(uri: string, version?: number, since = 0): Promise<Message> {
    return this.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && (version === undefined || m.params.version === version), since);
  }

  /** Like waitFor, but settles with undefined when `until` settles first (a deadline, the server's exit): a harness must not hang. */
  waitForUntil(test: (m: Message) => boolean, until: Promise<unknown>, since = 0): Promise<Message | undefined> {
    const seen = this.notifications.slice(since).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = { test, resolve };
      this.waiters.push(waiter);
      void until.finally(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      });
    });
  }

  /** Like request, but settles with undefined when `until` settles first. */
  requestUntil(method: string, params: unknown, until: Promise<unknown>): Promise<Message | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      void until.finally(() => {
        if (this.pending.delete(id)) resolve(undefined);
      });
      this.send({ id, method, params });
    });
  }

  /** From now on, the server's own requests (window/showMessageRequest...) are kept in `notifications` too. */
  recordServerRequests(): void {
    const handle = this.onMessage.bind(this);
    this.onMessage = (message: Message) => {
      if (message.id !== undefined && message.method) this.notifications.push(message);
      handle(message);
    };
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.proc.on('exit', resolve));
    await this.request('shutdown', null);
    this.notify('exit', null);
    await exited;
  }

  private send(message: Message): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const head = this.buffer.indexOf('\r\n\r\n');
      if (head === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, head).toString())?.[1]);
      if (this.buffer.length < head + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(head + 4, head + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(head + 4 + length);
      this.onMessage(message);
    }
  }

  private onMessage(message: Message): void {
    if (message.id !== undefined && message.method) {
      const result = message.method === 'workspace/configuration' ? message.params.items.map(() => this.settings) : null;
      this.send({ id: message.id, result });
    } else if (message.id !== undefined) {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    } else {
      this.notifications.push(message);
      const ready = this.waiters.filter((w) => w.test(message));
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(message);
    }
  }
}
