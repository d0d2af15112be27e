// Suppression as users already write it: istioctl's and Kiali's annotations on the resource,
// and a `# istio-lint-disable-next-line [CODE,...]` comment above the line.
import type { Problem } from '../base/problems';

const DIRECTIVE = /#\s*istio-lint-disable-next-line\b([^\n]*)/;

function codes(list: string | undefined): Set<string> | undefined {
  if (list === undefined) return undefined;
  return new Set(list.split(/[\s,]+/).filter(Boolean));
}

/** Problems (offsets relative to the document) that the resource's annotations or comments do not silence. */
export function applySuppressions(problems: Problem[], text: string, annotations: Record<string, string>): Problem[] {
  const annotated = new Set([...(codes(annotations['galley.istio.io/analyze-suppress']) ?? []), ...(codes(annotations['kiali.io/ignore-validations']) ?? [])]);
  if (annotated.size === 0 && !text.includes('istio-lint-disable-next-line')) return problems;
  return problems.filter((p) => {
    if (annotated.has(p.code) || annotated.has('*')) return false;
    const lineStart = p.start <= 0 ? 0 : text.lastIndexOf('\n', p.start - 1) + 1;
    if (lineStart === 0) return true;
    const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    const directive = DIRECTIVE.exec(text.slice(previousStart, lineStart - 1));
    if (!directive) return true;
    const listed = codes(directive[1].trim());
    return !!listed && listed.size > 0 && !listed.has(p.code);
  });
}
