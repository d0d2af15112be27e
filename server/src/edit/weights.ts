// Integer weights as Istio wants them: route weights that sum to 100, from ratios, partial
// weights or nothing at all. Shared by the refactorings, the quick fixes and the preview.

/**
 * Integer weights summing to 100, proportional to `raw` (even when all are zero); none for a
 * route without destinations (a redirect, or one being typed). YAML can read a weight as `.inf`
 * or `.nan`, or as a negative number: those count as 0.
 */
export function normalizedWeights(raw: number[]): number[] {
  if (raw.length === 0) return [];
  const weights = raw.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = Number.isFinite(total) && total > 0 ? weights.map((w) => (w * 100) / total) : weights.map(() => 100 / weights.length);
  return roundToTotal(shares, 100);
}

/** Integers from `exact` (largest remainders first) that add up to `total`. */
function roundToTotal(exact: number[], total: number): number[] {
  const out = exact.map(Math.floor);
  if (out.length === 0) return out;
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  const missing = total - out.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) out[order[k % order.length].i]++;
  return out;
}

/**
 * Is a weight of these destinations written as something else than a number (`weight: "50"`)?
 * What reads weights refuses such a route instead of taking the weight for 0: the type error
 * and its "Remove the quotes" fix come first.
 */
export function hasUnreadableWeight(destinations: readonly { weightUnreadable?: boolean }[]): boolean {
  return destinations.some((d) => d.weightUnreadable === true);
}

/** Integer parts of `total` proportional to `shares` (which sum to 100). */
export function spreadTotal(shares: number[], total: number): number[] {
  return roundToTotal(
    shares.map((s) => (s * total) / 100),
    total,
  );
}

/**
 * The weights after one of them is set to `weight` (0..100) and the others are scaled,
 * proportionally and as integers, to make up the rest of 100; others all 0 share it evenly.
 * A single weight becomes 100.
 */
export function rebalanced(current: number[], index: number, weight: number): number[] {
  if (current.length === 1) return [100];
  const others = current.filter((_, i) => i !== index).map((w) => Math.max(0, w));
  const rest = normalizedWeights(others.every((o) => o === 0) ? others.map(() => 1) : others);
  const scaled = spreadTotal(rest, 100 - weight);
  return current.map((_, i) => (i === index ? weight : scaled[i < index ? i : i - 1]));
}
