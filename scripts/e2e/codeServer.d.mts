export interface CodeServer {
  url: string;
  folderUrl: string;
  port: number;
  state: string;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startCodeServer(options: {
  vsix: string;
  workspace: string;
  port?: number;
  host?: string;
  state?: string;
  settings?: Record<string, unknown>;
  log?: (line: string) => void;
}): Promise<CodeServer>;
