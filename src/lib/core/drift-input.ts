/**
 * Input checks and counting shared by the drift statistics. Evidently drops NaN and +-inf
 * silently (legacy/calculations/data_drift.py::get_one_column_drift); here a NaN, an infinite
 * value or an empty sample is a bug upstream and is refused with a message that names the
 * function, the sample and the index.
 */
import { sortedCopy } from './stats-sort';

/** A categorical value: a number (class id, small integer feature) or a string label. */
export type Category = number | string;

/** Throws unless `values` is a non-empty sample of finite numbers. */
export function checkNumbers(fn: string, values: ArrayLike<number>, name: string): void {
  if (values.length === 0) throw new Error(`${fn}: ${name} is empty; a drift test needs data`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${fn}: ${name}[${i}] is ${String(v)}, expected a finite number`);
    }
  }
}

/** A sorted Float64Array copy of a checked numeric sample. */
export function sortedNumbers(fn: string, values: ArrayLike<number>, name: string): Float64Array {
  checkNumbers(fn, values, name);
  return sortedCopy(values);
}

/**
 * Throws unless `values` is non-empty and every value is a finite number or every value is a
 * string (Python cannot order a column that mixes them, and Evidently's Z test sorts).
 * @returns which of the two the column holds.
 */
export function checkCategories(
  fn: string,
  values: ArrayLike<Category>,
  name: string,
): 'number' | 'string' {
  if (values.length === 0) throw new Error(`${fn}: ${name} is empty; a drift test needs data`);
  const type = typeof values[0] === 'string' ? 'string' : 'number';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' ? type !== 'string' : type !== 'number') {
      throw new Error(`${fn}: ${name}[${i}] is ${JSON.stringify(v)}, but ${name}[0] is a ${type}`);
    }
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') {
      throw new Error(`${fn}: ${name}[${i}] is ${String(v)}, expected a finite number or a string`);
    }
  }
  return type;
}

/** Checks both samples of a categorical test and that they hold the same type. */
export function checkCategoryPair(
  fn: string,
  ref: ArrayLike<Category>,
  cur: ArrayLike<Category>,
): void {
  const a = checkCategories(fn, ref, 'ref');
  const b = checkCategories(fn, cur, 'cur');
  if (a !== b) throw new Error(`${fn}: ref holds ${a}s and cur holds ${b}s; use one type`);
}

/** Occurrences of each value (pandas `value_counts`; 0 and -0 are one value). */
export function valueCounts(values: ArrayLike<Category>): Map<Category, number> {
  const counts = new Map<Category, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
  return counts;
}

/**
 * The distinct values of both samples in ascending order (numbers numerically, strings by UTF-16
 * code units, which is Python's order outside the astral planes).
 */
export function sortedKeys(a: Map<Category, number>, b: Map<Category, number>): Category[] {
  const keys = new Set<Category>(a.keys());
  for (const k of b.keys()) keys.add(k);
  return [...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** Number of distinct values in a sorted numeric sample. */
export function countDistinctSorted(sorted: Float64Array): number {
  let count = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) count++;
  return count;
}
