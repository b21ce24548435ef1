/**
 * Seeded stratified splits. Every class is cut in the same proportions, so a 10-class test set of
 * 20% holds about 20% of each digit, and the same seed always gives the same rows (lineage and the
 * benchmark depend on it).
 */
import { createRng, shuffleInPlace } from './rng';

/**
 * The app's default split: train 70%, validation 10%, test 20%, so train+validation is 80% and
 * test 20%. The benchmark split is digits with this split and split seed 0.
 */
export const DEFAULT_SPLIT: Readonly<{ train: number; validation: number; test: number }> =
  Object.freeze({ train: 0.7, validation: 0.1, test: 0.2 });

/**
 * Part sizes for one class of `n` rows. Each part gets `floor(fraction * n)` or one more, so sizes
 * differ from `fraction * n` by less than 1 and sum to exactly `n`. The spare rows go to the parts
 * furthest below their share of all rows allocated so far (`deficit`, updated in place), so that
 * overall part sizes also stay close to `fraction * total` instead of drifting class by class.
 */
function allocate(n: number, fractions: number[], deficit: number[]): number[] {
  // The epsilon keeps 0.1 * 30 = 3.0000000000000004 and 0.29 * 100 = 28.999999999999996 exact.
  const quotas = fractions.map((f) => f * n);
  const sizes = quotas.map((q) => Math.floor(q + 1e-9));
  let left = n - sizes.reduce((a, b) => a + b, 0);
  // A part whose quota is whole gets no spare row: that would put it a full row off its share.
  // Keys on a 1e-9 grid so that float noise cannot break a tie; equal keys go to the first part.
  const order = quotas
    .map((q, i) => ({
      i,
      spare: q - sizes[i] > 1e-9,
      key: Math.round((deficit[i] + q - sizes[i]) * 1e9),
    }))
    .filter((c) => c.spare)
    .sort((a, b) => b.key - a.key || a.i - b.i);
  for (let k = 0; left > 0 && k < order.length; k++, left--) sizes[order[k].i]++;
  // Only reachable when fractions sum to 1 +- 1e-9 and rounding runs out of candidates.
  for (let k = 0; left !== 0; k = (k + 1) % sizes.length) {
    const step = left > 0 ? 1 : -1;
    if (sizes[k] + step >= 0) {
      sizes[k] += step;
      left -= step;
    }
  }
  sizes.forEach((size, i) => (deficit[i] += quotas[i] - size));
  return sizes;
}

/**
 * Splits row indices into named parts, stratified by label.
 *
 * Per class (in ascending label order), the class's row indices are shuffled with a generator
 * seeded by `seed`, then cut into consecutive chunks: each part gets `floor(fraction * classSize)`
 * rows or one more (the spare rows go to the parts furthest below their overall share so far,
 * ties to the part named first). Each part is finally shuffled as a whole, so **parts are in
 * shuffled order, not sorted**, and classes are interleaved. Parts follow the key order of
 * `fractions`.
 *
 * Invariants: the parts are disjoint and together hold every index `0..labels.length-1` once;
 * per class, a part's count is within 1 of `fraction * classSize`; a part's overall size is
 * guaranteed within (number of classes) of `fraction * labels.length` and in practice within 1
 * (digits, default split, seed 0: train 1258, validation 180, test 359); the result is a pure
 * function of (labels, fractions with their key order, seed).
 *
 * @param labels integer class labels, one per row.
 * @param fractions part name -> share of the rows; each > 0, summing to 1 within 1e-9.
 * @param seed a safe integer (see `createRng`).
 * @throws Error on empty labels, non-integer labels, no parts, or bad fractions.
 */
export function stratifiedSplit<K extends string>(
  labels: ArrayLike<number>,
  fractions: Readonly<Record<K, number>>,
  seed: number,
): Record<K, Int32Array> {
  const n = labels.length;
  if (n === 0) throw new Error('stratifiedSplit: empty input, no labels to split');
  const names = Object.keys(fractions) as K[];
  if (names.length === 0) throw new Error('stratifiedSplit: no parts given in fractions');
  const fracs = names.map((name) => fractions[name]);
  fracs.forEach((f, k) => {
    if (!Number.isFinite(f) || f <= 0) {
      throw new Error(`stratifiedSplit: fraction '${names[k]}' must be > 0, got ${f}`);
    }
  });
  const total = fracs.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-9) {
    throw new Error(`stratifiedSplit: fractions must sum to 1, got ${total}`);
  }

  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (!Number.isInteger(label)) {
      throw new Error(`stratifiedSplit: label at index ${i} is not an integer: ${label}`);
    }
    let members = byClass.get(label);
    if (!members) byClass.set(label, (members = []));
    members.push(i);
  }

  const rng = createRng(seed);
  const deficit = fracs.map(() => 0);
  const parts: number[][] = names.map(() => []);
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  for (const label of classes) {
    const members = shuffleInPlace(Int32Array.from(byClass.get(label) ?? []), rng);
    const sizes = allocate(members.length, fracs, deficit);
    let start = 0;
    sizes.forEach((size, k) => {
      for (let j = start; j < start + size; j++) parts[k].push(members[j]);
      start += size;
    });
  }

  const result = {} as Record<K, Int32Array>;
  names.forEach((name, k) => {
    result[name] = shuffleInPlace(Int32Array.from(parts[k]), rng);
  });
  return result;
}
