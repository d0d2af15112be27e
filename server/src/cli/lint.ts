// istio-lint: the checker for CI. Pure logic over an injected file system, so tests run it in
// memory; server/src/node/cli.ts is the entry point that passes the real one.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Severity } from '../base/catalog';
import { ISTIO_VERSIONS, DEFAULT_ISTIO_VERSION } from '../../../shared/protocol';
import { LanguageService, type ServiceSettings } from '../service/service';
import { toRange } from '../lsp/convert';
import type { SchemaSource } from '../schema/registry';
import { isTemplate } from '../workspace/files';
import { collectFiles, isIoFailure, type FoundFile, type LintFileSystem } from './collect';

export type { LintFileSystem, PathStat, IoFailure } from './collect';

/**
 * Files above this size are reported and not read (MB here are MiB). Measured on generated Istio
 * YAML (samples/ repeated, one namespace per copy): 1 MB takes 1.1 s of CPU and 120 MB of memory,
 * 5 MB 3.3 s and 230 MB, 9.9 MB 9.3 s and 360 MB; the time grows faster than the size (some
 * cross-file checks compare pairs), and 100 MB had not finished after 30 minutes at 2.8 GB.
 * Hand-written Istio YAML stays far below 1 MB; 10 MB still fits a CI job.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

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

export interface LintEnvironment {
  /** Print the stack of an internal error (ISTIO_LINT_DEBUG=1). */
  debug?: boolean;
}

export function runLint(argv: string[], fs: LintFileSystem, schemas: SchemaSource, env: LintEnvironment = {}): LintResult {
  const parsed = parseArgs(argv);
  if (parsed === 'help') return { exitCode: 0, stdout: USAGE + '\n', stderr: '' };
  if (typeof parsed === 'string') return { exitCode: 2, stdout: '', stderr: `istio-lint: ${parsed}\n${USAGE}\n` };
  const found = collectFiles(fs, parsed.paths);
  // Paths that could not be read (missing, unreadable, too large), then files the checker failed on.
  const unread = found.errors;
  const crashed: string[] = [];
  const service = new LanguageService(schemas);
  // Every file joins the workspace before any is checked, so references resolve across files.
  const texts = new Map<string, string>();
  for (const file of found.files) {
    const text = readWithinLimit(fs, file, unread);
    // Found in a folder, a template (`{{ .Values.x }}`) is left out, as the editor's index leaves it.
    if (text === undefined || (!file.named && isTemplate(text))) continue;
    if (!isFailed(guard(fs, file.path, crashed, env, () => service.setDiskFile(file.path, text)))) texts.set(file.path, text);
  }
  const settings = { istioVersion: parsed.istioVersion, validate: true };
  const diagnostics: JsonDiagnostic[] = [];
  let checked = 0;
  for (const [file, text] of texts) {
    const ofFile = guard(fs, file, crashed, env, () => diagnoseFile(service, fs, file, text, settings));
    if (isFailed(ofFile)) continue;
    diagnostics.push(...ofFile);
    checked++;
  }
  const outcome = { checked, unread: unread.length, failed: crashed.length };
  const stdout = parsed.format === 'json' ? JSON.stringify({ diagnostics }, null, 2) + '\n' : formatText(diagnostics, outcome);
  const stderr = [...unread, ...crashed].map((e) => `istio-lint: ${e}\n`).join('');
  if (unread.length + crashed.length > 0) return { exitCode: 2, stdout, stderr };
  const threshold = parsed.failOn === 'none' ? Infinity : SEVERITY_ORDER.indexOf(parsed.failOn);
  const failed = diagnostics.some((d) => SEVERITY_ORDER.indexOf(d.severity) >= threshold);
  return { exitCode: failed ? 1 : 0, stdout, stderr };
}

/** The text of a file, or undefined after reporting why not. The size is checked before reading. */
function readWithinLimit(fs: LintFileSystem, file: FoundFile, errors: string[]): string | undefined {
  if (file.size > MAX_FILE_BYTES) {
    errors.push(`${fs.display(file.path)}: file too large (${megabytes(file.size)} MB; the limit is ${megabytes(MAX_FILE_BYTES)} MB)`);
    return undefined;
  }
  const text = fs.readFile(file.path);
  if (!isIoFailure(text)) return text;
  errors.push(`cannot read ${fs.display(file.path)}: ${text.failure}`);
  return undefined;
}

/** Rounded up to a tenth, so a file just over the limit never reads as the limit itself. */
function megabytes(bytes: number): string {
  return String(Math.ceil((bytes / (1024 * 1024)) * 10) / 10);
}

function diagnoseFile(service: LanguageService, fs: LintFileSystem, file: string, text: string, settings: ServiceSettings): JsonDiagnostic[] {
  const doc = TextDocument.create(file, 'yaml', 1, text);
  return service.diagnoseDiskFile(file, settings).map((p) => ({ file: fs.display(file), range: toRange(doc, p.start, p.end), severity: p.severity, code: p.code, message: p.message }));
}

const FAILED = Symbol('failed');

function isFailed<T>(value: T | typeof FAILED): value is typeof FAILED {
  return value === FAILED;
}

/**
 * Runs one file's step. A checker that throws (a bug) loses that file only: one line names the
 * file and the error, the other files are still checked, and the exit code is 2, never a
 * clean-looking result.
 */
function guard<T>(fs: LintFileSystem, file: string, errors: string[], env: LintEnvironment, step: () => T): T | typeof FAILED {
  try {
    return step();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const stack = env.debug && e instanceof Error && e.stack ? `\n${e.stack}` : '';
    errors.push(`internal error while checking ${fs.display(file)}: ${message.split('\n')[0]}; please report${stack}`);
    return FAILED;
  }
}

interface JsonDiagnostic {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: Severity;
  code: string;
  message: string;
}

/** How many files were checked, and how many paths and files were not (each reported on stderr). */
interface Outcome {
  checked: number;
  unread: number;
  failed: number;
}

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function formatText(diagnostics: JsonDiagnostic[], outcome: Outcome): string {
  const lines = diagnostics.map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
  const counts = SEVERITY_ORDER.slice()
    .reverse()
    .map((s) => [s, diagnostics.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0);
  const found = counts.length > 0 ? counts.map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'information' ? '' : 's'}`).join(', ') : 'no problems';
  lines.push(summary(found, outcome));
  return lines.join('\n') + '\n';
}

/**
 * '3 files checked: no problems.' when everything was checked. Otherwise what could not be, first,
 * so a clean-looking count never hides it: '1 path could not be read; no problems in the 3 files
 * checked.'
 */
function summary(found: string, { checked, unread, failed }: Outcome): string {
  const missed = [...(unread > 0 ? [`${counted(unread, 'path')} could not be read`] : []), ...(failed > 0 ? [`${counted(failed, 'file')} could not be checked (internal error)`] : [])];
  if (missed.length === 0) return `${counted(checked, 'file')} checked: ${found}.`;
  const rest = checked === 0 ? 'no file checked' : `${found} in the ${checked === 1 ? 'file' : `${checked} files`} checked`;
  return `${missed.join(', ')}; ${rest}.`;
}
