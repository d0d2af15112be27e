// Reads generated schemas from a folder on disk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaSource } from '../schema/registry';

export function folderSchemaSource(folder: string): SchemaSource {
  return {
    read(relativePath) {
      try {
        return readFileSync(join(folder, relativePath), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
