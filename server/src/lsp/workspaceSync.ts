// Keeps the workspace index in step with the files on disk: the initial scan of the workspace
// folders, and file-watcher events. I/O goes through the host the entry point provides.
import type { LanguageService } from '../service/service';
import { globToRegExp, isIncludedFile, isTemplate } from '../workspace/files';

export interface WorkspaceFileHost {
  /** URIs of the YAML files of a workspace folder, minus the excluded ones. */
  listFiles(folderUri: string, exclude: string[]): string[];
  /** File content, or undefined when it cannot be read. */
  readFile(uri: string): string | undefined;
}

export type FileEvent = { uri: string; type: 'created' | 'changed' | 'deleted' };

export class WorkspaceSync {
  private readonly known = new Set<string>();
  private folders: string[] = [];
  private exclude: RegExp[] = [];

  constructor(
    private readonly service: Pick<LanguageService, 'setDiskFile' | 'removeDiskFile'>,
    private readonly host: WorkspaceFileHost,
  ) {}

  /** (Re)scans the folders; files no longer listed leave the index. Returns the file count. */
  scan(folders: string[], exclude: string[]): number {
    this.folders = folders.map((f) => (f.endsWith('/') ? f : `${f}/`));
    this.exclude = exclude.map(globToRegExp);
    const listed = new Set(folders.flatMap((f) => this.host.listFiles(f, exclude)));
    for (const uri of this.known) if (!listed.has(uri)) this.forget(uri);
    for (const uri of listed) this.load(uri);
    return this.known.size;
  }

  /** Applies file-watcher events; returns the files that left the workspace. */
  apply(events: FileEvent[]): string[] {
    const removed: string[] = [];
    for (const event of events) {
      if (event.type !== 'deleted' && this.includes(event.uri)) this.load(event.uri);
      else this.forget(event.uri);
      if (!this.known.has(event.uri)) removed.push(event.uri);
    }
    return removed;
  }

  /** The workspace files the index holds from disk. */
  files(): string[] {
    return [...this.known];
  }

  has(uri: string): boolean {
    return this.known.has(uri);
  }

  /** The text on disk of a workspace file, for when its editor closes. */
  reload(uri: string): void {
    if (this.known.has(uri)) this.load(uri);
  }

  private includes(uri: string): boolean {
    const folder = this.folders.find((f) => uri.startsWith(f));
    if (!folder) return false;
    const relative = decodeURIComponent(uri.slice(folder.length));
    return isIncludedFile(relative, this.exclude, (rel) => this.host.readFile(folder + rel.split('/').map(encodeURIComponent).join('/')) !== undefined);
  }

  private load(uri: string): void {
    const text = this.host.readFile(uri);
    if (text === undefined || isTemplate(text)) {
      this.forget(uri);
      return;
    }
    this.known.add(uri);
    this.service.setDiskFile(uri, text);
  }

  private forget(uri: string): void {
    this.known.delete(uri);
    this.service.removeDiskFile(uri);
  }
}
