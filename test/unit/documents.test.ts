// The document store keeps the workspace index in step by itself: every open, change, close and
// disk change shows in the index at once, with nothing read first.
import { describe, expect, it } from 'vitest';
import { DocumentStore } from '../../server/src/service/documents';
import { DEFAULT_HOST_SETTINGS } from '../../server/src/workspace/hosts';

const gateway = (name: string) => `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: ${name}, namespace: edge}\nspec:\n  servers: []\n`;
const names = (store: DocumentStore, uri: string) => store.workspace.entries(uri).map((e) => e.name);

describe('document store', () => {
  it('indexes a disk file, lets an open document overlay it, and restores it on close', () => {
    const store = new DocumentStore(DEFAULT_HOST_SETTINGS);
    const uri = 'file:///ws/gw.yaml';
    store.setDiskFile(uri, gateway('disk'));
    expect(names(store, uri)).toEqual(['disk']);
    store.open(uri, 1, gateway('typed'));
    expect(names(store, uri)).toEqual(['typed']);
    expect(store.text(uri)).toBe(gateway('typed'));
    store.setDiskFile(uri, gateway('disk2'));
    expect(names(store, uri)).toEqual(['typed']);
    store.close(uri);
    expect(names(store, uri)).toEqual(['disk2']);
    expect(store.model(uri)?.text).toBe(gateway('disk2'));
    store.removeDiskFile(uri);
    expect(store.workspace.hasFile(uri)).toBe(false);
    expect(store.model(uri)).toBeUndefined();
  });

  it('drops an open document that has no file on disk from the index when it closes', () => {
    const store = new DocumentStore(DEFAULT_HOST_SETTINGS);
    const uri = 'file:///ws/new.yaml';
    store.open(uri, 1, gateway('a'));
    store.open(uri, 2, gateway('b'));
    expect(names(store, uri)).toEqual(['b']);
    store.close(uri);
    expect(store.workspace.hasFile(uri)).toBe(false);
    expect(store.text(uri)).toBeUndefined();
  });

  it('re-indexes every known file under new host settings', () => {
    const store = new DocumentStore(DEFAULT_HOST_SETTINGS);
    store.setDiskFile('file:///ws/a.yaml', gateway('a'));
    store.open('file:///ws/b.yaml', 1, gateway('b'));
    const before = store.workspace;
    store.setHostSettings({ ...DEFAULT_HOST_SETTINGS, clusterDomain: 'example.org' });
    expect(store.workspace).not.toBe(before);
    expect(
      store.workspace
        .resources()
        .map((e) => e.name)
        .sort(),
    ).toEqual(['a', 'b']);
  });
});
