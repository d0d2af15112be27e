// The typed protocol: command ids agree with package.json, and every message has its own method.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CommandId } from '../../shared/commands';
import * as protocol from '../../shared/protocol';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { contributes: { commands: { command: string }[] } };

describe('protocol', () => {
  it('declares every command id under contributes.commands, and nothing else', () => {
    expect(Object.values(CommandId).sort()).toEqual(manifest.contributes.commands.map((c) => c.command).sort());
  });

  it('gives every custom message a distinct istio/ method', () => {
    const methods = Object.values(protocol).flatMap((v) => (typeof v === 'object' && v !== null && 'method' in v ? [(v as { method: string }).method] : []));
    expect(methods.length).toBe(6);
    expect(new Set(methods).size).toBe(methods.length);
    for (const m of methods) expect(m).toMatch(/^istio\/[a-z][A-Za-z]+$/);
  });
});
