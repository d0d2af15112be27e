// The one input every feature takes besides its position: what the workspace holds, the schemas
// and the settings, built once per request by the language service (or a test, from an
// in-memory workspace). Features read files only through it.
import type { FileModel } from '../model/fileModel';
import type { SchemaRegistry } from '../schema/registry';
import type { WorkspaceIndex } from '../workspace/index';

export interface FeatureSettings {
  istioVersion: string;
  validate: boolean;
}

export interface FeatureContext {
  /** The workspace view: every file's resources, open documents overlaying the files on disk. */
  readonly workspace: WorkspaceIndex;
  readonly schemas: SchemaRegistry;
  readonly settings: FeatureSettings;
  /** The model of a workspace file (its open document, else the file on disk); undefined when unknown. */
  model(uri: string): FileModel | undefined;
  /** The current text of a workspace file (its editor's, else the one on disk). */
  text(uri: string): string | undefined;
}
