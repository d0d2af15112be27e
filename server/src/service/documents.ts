// The documents the language service knows: the open ones (their editor's text, parsed once per
// version) and the workspace files on disk. The store keeps the workspace index in step itself on
// every change it is told of, so a reader never depends on something having been asked first.
import { buildFileModel, ModelCache, type FileModel } from '../model/fileModel';
import type { HostSettings } from '../workspace/hosts';
import { WorkspaceIndex } from '../workspace/index';

export class DocumentStore {
  private readonly models = new ModelCache();
  private readonly diskTexts = new Map<string, string>();
  private readonly diskModels = new Map<string, FileModel>();
  private index: WorkspaceIndex;

  constructor(hostSettings: HostSettings) {
    this.index = new WorkspaceIndex(hostSettings);
  }

  /** The workspace view: every known file, an open document in place of its file on disk. */
  get workspace(): WorkspaceIndex {
    return this.index;
  }

  /** Re-creates the index for new host settings (cluster domain, default namespace). */
  setHostSettings(settings: HostSettings): void {
    const current = this.index.settings;
    if (current.clusterDomain === settings.clusterDomain && current.defaultNamespace === settings.defaultNamespace) return;
    const uris = new Set([...this.diskTexts.keys(), ...this.models.uris()]);
    this.index = new WorkspaceIndex(settings);
    for (const uri of uris) {
      const model = this.model(uri);
      if (model) this.index.setFile(model);
    }
  }

  /** An editor's document now has this text (at this version); it overlays the file on disk in the index. */
  open(uri: string, version: number, text: string): FileModel {
    const before = this.models.peek(uri);
    const model = this.models.get(uri, version, text);
    if (model !== before || !this.index.hasFile(uri)) this.index.setFile(model);
    return model;
  }

  /** An editor closed the document: the file on disk (if any) takes its place again. */
  close(uri: string): void {
    this.models.evict(uri);
    const disk = this.diskModel(uri);
    if (disk) this.index.setFile(disk);
    else this.index.removeFile(uri);
  }

  /** A workspace file (or its new content on disk). While it is open, its editor's text wins. */
  setDiskFile(uri: string, text: string): void {
    this.diskTexts.set(uri, text);
    this.diskModels.delete(uri);
    if (!this.models.peek(uri)) this.index.setFile(this.diskModelOf(uri, text));
  }

  removeDiskFile(uri: string): void {
    this.diskTexts.delete(uri);
    this.diskModels.delete(uri);
    if (!this.models.peek(uri)) this.index.removeFile(uri);
  }

  /** The model of a workspace file: its open document's, else the one of its text on disk. */
  model(uri: string): FileModel | undefined {
    return this.models.peek(uri) ?? this.diskModel(uri);
  }

  /** The current text of a workspace file: its editor's, or the one on disk. */
  text(uri: string): string | undefined {
    return this.models.peek(uri)?.text ?? this.diskTexts.get(uri);
  }

  /** The model of a file's text on disk, built when first needed (not while it is open). */
  private diskModel(uri: string): FileModel | undefined {
    const text = this.diskTexts.get(uri);
    return text === undefined ? undefined : this.diskModelOf(uri, text);
  }

  private diskModelOf(uri: string, text: string): FileModel {
    let model = this.diskModels.get(uri);
    if (!model) {
      model = buildFileModel(uri, 0, text);
      this.diskModels.set(uri, model);
    }
    return model;
  }
}
