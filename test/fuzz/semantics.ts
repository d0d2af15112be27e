// A clean edit also keeps the file as valid as it was: no new syntax or schema error. Checked with
// the language service in-process (the same checks as the server's, one file at a time).
import { newService } from '../support';

const ERROR_CODES = ['yaml-syntax', 'IST0106'];
const ANY_ERROR = '*';
const service = newService();
let version = 0;
const counted = new Map<string, Map<string, number>>();

function errorCounts(text: string): Map<string, number> | undefined {
  let counts = counted.get(text);
  if (counts) return counts;
  try {
    const problems = service.diagnose('file:///fuzz/edit-check.yaml', ++version, text, { istioVersion: '1.30', validate: true }, false);
    counts = new Map();
    for (const p of problems) {
      if (p.severity !== 'error') continue;
      counts.set(ANY_ERROR, (counts.get(ANY_ERROR) ?? 0) + 1);
      if (ERROR_CODES.includes(p.code)) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
    }
  } catch {
    return undefined; // the checker's own failures are the server's findings, not this check's
  }
  if (counted.size > 32) counted.delete(counted.keys().next().value!);
  counted.set(text, counts);
  return counts;
}

/**
 * The first error code the edit adds to a file without errors, if any. (A file with errors may
 * hide others: an unknown apiVersion stops its schema check, a copied route copies its errors.)
 */
export function addedError(before: string, after: string): string | undefined {
  const was = errorCounts(before);
  const now = errorCounts(after);
  if (!was || !now || was.get(ANY_ERROR)) return undefined;
  for (const [code, n] of now) if (code !== ANY_ERROR && n > (was.get(code) ?? 0)) return `${code}: ${n - (was.get(code) ?? 0)} more (${was.get(code) ?? 0} → ${n})`;
  return undefined;
}
