/**
 * Input checks shared by the metric modules. A metric computed from a NaN score or a label past
 * the class count would look like a plausible number on screen, so bad input throws, naming the
 * function, the argument and the index.
 */

/** Throws unless `a` and `b` are non-empty and of equal length. */
export function checkSameLength(
  fn: string,
  a: ArrayLike<unknown>,
  b: ArrayLike<unknown>,
  names: [string, string],
): void {
  if (a.length === 0 || b.length === 0) {
    throw new Error(
      `${fn}: empty input (${names[0]} has ${a.length} items, ${names[1]} ${b.length})`,
    );
  }
  if (a.length !== b.length) {
    throw new Error(
      `${fn}: length mismatch, ${names[0]} has ${a.length} items and ${names[1]} has ${b.length}`,
    );
  }
}

/** Throws unless every value is an integer, and within `[0, nClasses)` when `nClasses` is given. */
export function checkLabels(
  fn: string,
  y: ArrayLike<number>,
  name: string,
  nClasses?: number,
): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v)) {
      throw new Error(`${fn}: ${name}[${i}] is ${v}, expected an integer class label`);
    }
    if (nClasses !== undefined && (v < 0 || v >= nClasses)) {
      throw new Error(`${fn}: ${name}[${i}] is ${v}, outside the classes 0..${nClasses - 1}`);
    }
  }
}

/** Throws unless `nClasses` is a positive integer. */
export function checkClassCount(fn: string, nClasses: number): void {
  if (!Number.isInteger(nClasses) || nClasses < 1) {
    throw new Error(`${fn}: nClasses must be a positive integer, got ${nClasses}`);
  }
}

/** Throws unless every label is 0 or 1 (1 is the positive class). */
export function checkBinaryLabels(fn: string, y: ArrayLike<number>): void {
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) {
      throw new Error(`${fn}: yTrue[${i}] is ${y[i]}, expected 0 or 1 (1 = positive class)`);
    }
  }
}

/** Throws on the first NaN or infinite value. */
export function checkFinite(fn: string, values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`${fn}: ${name}[${i}] is ${values[i]}; ${name} must be finite numbers`);
    }
  }
}
