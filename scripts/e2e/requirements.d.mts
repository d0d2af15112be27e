export interface Requirement {
  id: string;
  what: string;
  debian: string;
}
export const CODE_SERVER_VERSION: string;
export const NODE_PACKAGES: Record<string, { name: string; version: string }>;
export const BUILD_REQUIREMENTS: Requirement[];
export function nodePackageFor(platform: string, arch: string, musl?: boolean): { name: string; version: string } | { unsupported: string };
export function missingRequirements(found: ReadonlySet<string>): Requirement[];
export function installAdvice(missing: { what: string; debian: string }[], machine: { platform: string; apt: boolean; root: boolean }): string;
export function editorState(found: { exists: boolean; stamp: unknown; wanted: Record<string, string>; files: boolean[] }): 'missing' | 'ready' | 'outdated' | 'broken';
export function staleLeftovers(names: string[], alive: (pid: number) => boolean): string[];
