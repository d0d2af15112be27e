// The parsed model of one file: its YAML documents in order. Parsing is cached per
// (uri, version) and, inside a file, per document text, so an edit re-parses only the
// document it touches.
import { ResourceDocument } from './resource';
import { splitDocuments } from './split';

export interface FileModel {
  uri: string;
  version: number;
  text: string;
  resources: ResourceDocument[];
}

export function buildFileModel(uri: string, version: number, text: string, previous?: FileModel): FileModel {
  const reusable = new Map<string, ResourceDocument>();
  for (const old of previous?.resources ?? []) reusable.set(old.text, old);
  // A `kind: List` is followed by its items, each analysed as a document (resourceAt finds them).
  const resources = splitDocuments(text).flatMap((segment) => {
    const old = reusable.get(segment.text);
    if (old) reusable.delete(segment.text);
    const doc = old ? old.at(segment.start) : ResourceDocument.parse(segment);
    return [doc, ...doc.items];
  });
  return { uri, version, text, resources };
}

/** Parse cache owned by whoever owns the documents (the server or the CLI); evicts on close. */
export class ModelCache {
  private readonly models = new Map<string, FileModel>();

  get(uri: string, version: number, text: string): FileModel {
    const current = this.models.get(uri);
    if (current && current.version === version && current.text === text) return current;
    const model = buildFileModel(uri, version, text, current);
    this.models.set(uri, model);
    return model;
  }

  /** The current model of a document, without building one. */
  peek(uri: string): FileModel | undefined {
    return this.models.get(uri);
  }

  uris(): string[] {
    return [...this.models.keys()];
  }

  evict(uri: string): void {
    this.models.delete(uri);
  }
}

/** The resource whose segment contains the offset (the last one starting at or before it). */
export function resourceAt(model: FileModel, offset: number): ResourceDocument | undefined {
  let found: ResourceDocument | undefined;
  for (const resource of model.resources) {
    if (resource.base <= offset) found = resource;
    else break;
  }
  return found;
}
