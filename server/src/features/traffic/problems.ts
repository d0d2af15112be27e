// The checker's diagnostics placed on the traffic picture: each problem of the VirtualService goes
// to the innermost element it is written in (a gateway reference, a destination or mirror, else
// its route, else the VirtualService), and the problems of a subset's definition in its
// DestinationRule (no workload carries its labels, no labels) go to the destinations using it.
// The problems come from the diagnostics engine itself, so the picture says what the editor says.
import type { ProblemMark } from '../../../../shared/protocol';
import type { Problem } from '../../base/problems';
import type { Span } from '../../workspace/extract';
import type { DestinationView, TrafficModel } from './model';

/** Is the problem written inside the span (a zero-length span still holds its own offset)? */
function inside(p: Problem, s: Span): boolean {
  return p.start >= s.start && p.start < Math.max(s.end, s.start + 1);
}

function mark(p: Problem): ProblemMark {
  return { code: p.code, severity: p.severity, message: p.message };
}

/** Places one problem of the VirtualService's file on the element it is written in. */
function place(model: TrafficModel, p: Problem): void {
  const gateway = model.gatewaySpans.find((g) => inside(p, g.span));
  if (gateway) {
    (model.gatewayProblems[gateway.name] ??= []).push(mark(p));
    return;
  }
  const route = model.routes.find((r) => inside(p, r.span));
  if (!route) return void model.problems.push(mark(p));
  const destination = [...route.destinations, ...route.mirrors].find((d) => inside(p, d.span));
  (destination ?? route).problems.push(mark(p));
}

/**
 * The model with the problems of `problemsOf(uri)` on its elements. Hints (what the checker cannot
 * see, such as a host outside the workspace) are left out: the destinations already say so.
 */
export function withProblems(model: TrafficModel, uri: string, problemsOf: (uri: string) => Problem[]): TrafficModel {
  const cache = new Map<string, Problem[]>();
  const of = (u: string): Problem[] => {
    let problems = cache.get(u);
    if (!problems) cache.set(u, (problems = problemsOf(u).filter((p) => p.severity !== 'hint')));
    return problems;
  };
  for (const p of of(uri)) if (inside(p, model.span)) place(model, p);
  const subsetOf = (d: DestinationView) => (d.subsetAt ? of(d.subsetAt.uri).filter((p) => inside(p, d.subsetAt!.span)) : []);
  for (const route of model.routes) for (const d of [...route.destinations, ...route.mirrors]) d.subsetProblems.push(...subsetOf(d).map(mark));
  return model;
}
