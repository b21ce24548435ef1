/**
 * The Pareto front of latency against accuracy: the points no other point beats on both at
 * once. Lower latency is better, higher accuracy is better. A point on the front is one worth
 * choosing: anything off the front is slower, less accurate, or both, than some point on it.
 */

/** One candidate: a latency (any unit, e.g. ms) and an accuracy (any scale, e.g. [0, 1]). */
export type ParetoPoint = { latency: number; accuracy: number };

/**
 * True when `a` dominates `b`: `a` is at least as fast AND at least as accurate, and strictly
 * better in one of the two. Equal points do not dominate each other.
 */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  return (
    a.latency <= b.latency &&
    a.accuracy >= b.accuracy &&
    (a.latency < b.latency || a.accuracy > b.accuracy)
  );
}

function usable(p: ParetoPoint): boolean {
  return Number.isFinite(p.latency) && Number.isFinite(p.accuracy);
}

/**
 * Indices of the points on the Pareto front (minimizing latency, maximizing accuracy), in order
 * of increasing latency (ties: higher accuracy first, then index). Points whose latency or
 * accuracy is not a finite number are never on the front and dominate nothing. Equal points are
 * all on the front when one of them is. O(n^2): meant for a benchmark grid's few dozen cells.
 */
export function paretoFront(points: readonly ParetoPoint[]): number[] {
  const candidates = points.map((p, i) => i).filter((i) => usable(points[i]));
  return candidates
    .filter((i) => !candidates.some((j) => j !== i && dominates(points[j], points[i])))
    .sort(
      (a, b) =>
        points[a].latency - points[b].latency || points[b].accuracy - points[a].accuracy || a - b,
    );
}
