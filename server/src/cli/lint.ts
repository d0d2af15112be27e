// istio-lint: the checker for CI. Pure logic over an injected file system, so tests run it in
// memory; server/src/node/cli.ts is the entry point that passes the real one.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Severity } from '../catalog';
import { ISTIO_VERSIONS, DEFAULT_ISTIO_VERSION } from '../../../shared/protocol';
import { LanguageService } from '../service';
import { toRange } from '../lsp/convert';
import type { SchemaSource } from '../schema/registry';

export interface LintFileSystem {
  /** 'file', 'directory' or undefined when the path does not exist. */
  stat(path: string): 'file' | 'directory' | undefined;
  readDir(path: string): string[];
  readFile(path: string): string;
  join(...parts: string[]): string;
  /** The path as printed: relative to the working directory when inside it. */
  display(path: string): string;
}

export interface LintResult {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

interface Options {
  format: 'text' | 'json';
  istioVersion: string;
  failOn: Severity | 'none';
  paths: string[];
}

const SEVERITY_ORDER: Severity[] = ['hint', 'information', 'warning', 'error'];
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
export const USAGE = `usage: istio-lint [--format text|json] [--istio-version ${ISTIO_VERSIONS.join('|')}] [--fail-on error|warning|information|none] <path>...`;

export function parseArgs(argv: string[]): Options | string {
  const options: Options = { format: 'text', istioVersion: DEFAULT_ISTIO_VERSION, failOn: 'error', paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') return `--format must be text or json, not '${v ?? ''}'`;
      options.format = v;
    } else if (flag === '--istio-version') {
      const v = value();
      if (!(ISTIO_VERSIONS as readonly string[]).includes(v ?? '')) return `--istio-version must be one of ${ISTIO_VERSIONS.join(', ')}, not '${v ?? ''}'`;
      options.istioVersion = v;
    } else if (flag === '--fail-on') {
      const v = value();
      if (!['error', 'warning', 'information', 'none'].includes(v ?? '')) return `--fail-on must be error, warning, information or none, not '${v ?? ''}'`;
      options.failOn = v as Options['failOn'];
    } else if (flag === '--help' || flag === '-h') {
      return 'help';
    } else if (flag.startsWith('-') && flag !== '-') {
      return `unknown option '${flag}'`;
    } else {
      options.paths.push(arg);
    }
  }
  return options.paths.length > 0 ? options : 'no path given';
}

function collectFiles(fs: LintFileSystem, path: string, out: string[]): void {
  const kind = fs.stat(path);
  if (kind === 'file') out.push(path);
  else if (kind === 'directory') {
    for (const name of fs.readDir(path).sort()) {
      const child = fs.join(path, name);
      const childKind = fs.stat(child);
      if (childKind === 'directory' && !SKIPPED_DIRS.has(name)) collectFiles(fs, child, out);
      else if (childKind === 'file' && /\.ya?ml$/i.test(name)) out.push(child);
    }
  }
}

export function runLint(argv: string[], fs: LintFileSystem, schemas: SchemaSource): LintResult {
  const parsed = parseArgs(argv);
  if (parsed === 'help') return { exitCode: 0, stdout: USAGE + '\n', stderr: '' };
  if (typeof parsed === 'string') return { exitCode: 2, stdout: '', stderr: `istio-lint: ${parsed}\n${USAGE}\n` };
  const files: string[] = [];
  const errors: string[] = [];
  for (const path of parsed.paths) {
    if (!fs.stat(path)) errors.push(`istio-lint: no such file or directory: ${path}`);
    else collectFiles(fs, path, files);
  }
  const service = new LanguageService(schemas);
  const settings = { istioVersion: parsed.istioVersion, validate: true };
  const diagnostics: JsonDiagnostic[] = [];
  // Every file joins the workspace before any is checked, so references resolve across files.
  const texts = new Map<string, string>();
  for (const file of files) {
    try {
      const text = fs.readFile(file);
      texts.set(file, text);
      service.setDiskFile(file, text);
    } catch (e) {
      errors.push(`istio-lint: cannot read ${file}: ${(e as Error).message}`);
    }
  }
  for (const [file, text] of texts) {
    const doc = TextDocument.create(file, 'yaml', 1, text);
    for (const p of service.diagnoseDiskFile(file, settings)) {
      diagnostics.push({ file: fs.display(file), range: toRange(doc, p.start, p.end), severity: p.severity, code: p.code, message: p.message });
    }
  }
  const stdout = parsed.format === 'json' ? JSON.stringify({ diagnostics }, null, 2) + '\n' : formatText(diagnostics, files.length);
  const stderr = errors.map((e) => e + '\n').join('');
  if (errors.length > 0) return { exitCode: 2, stdout, stderr };
  const threshold = parsed.failOn === 'none' ? Infinity : SEVERITY_ORDER.indexOf(parsed.failOn);
  const failed = diagnostics.some((d) => SEVERITY_ORDER.indexOf(d.severity) >= threshold);
  return { exitCode: failed ? 1 : 0, stdout, stderr };
}

interface JsonDiagnostic {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: Severity;
  code: string;
  message: string;
}

function formatText(diagnostics: JsonDiagnostic[], fileCount: number): string {
  const lines = diagnostics.map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
  const counts = SEVERITY_ORDER.slice().reverse().map((s) => [s, diagnostics.filter((d) => d.severity === s).length] as const).filter(([, n]) => n > 0);
  const summary = counts.length > 0 ? counts.map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'information' ? '' : 's'}`).join(', ') : 'no problems';
  lines.push(`${fileCount} file${fileCount === 1 ? '' : 's'} checked: ${summary}.`);
  return lines.join('\n') + '\n';
}
