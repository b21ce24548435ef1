/**
 * The training set of a retrain as ONE in-memory data set the trainer already understands: the
 * original data set's rows first (indices unchanged, so the split's indices and the Evaluate
 * view's examples keep meaning the same rows), then the production rows appended. The split:
 * - train: the original train rows and 80% of the production rows;
 * - validation: the original validation rows and the other 20% (early stopping then watches
 *   data like the traffic the model will serve, not only the data before the drift);
 * - test: the data set rows of the pool's HOLDOUT half, untransformed, which no training request
 *   came from (the pool's training half fed production rows, so its rows are left out).
 */
import { createRng, shuffleInPlace } from './rng';
import type { LabelledRows } from './retrain-data';
import { subSeed } from './sim-random';

/** Share of the production rows put in the validation split. */
export const PRODUCTION_VALIDATION_SHARE = 0.2;

export type CombinedData = {
  /** Row-major [rows, features]: the base rows, then the production rows. */
  x: Float32Array;
  y: Int32Array;
  rows: number;
  split: { train: Int32Array; validation: Int32Array; test: Int32Array };
  /** Rows of the base data set (production rows start at this index). */
  baseRows: number;
  productionRows: number;
};

/**
 * @param base the original data set.
 * @param baseSplit its train and validation rows.
 * @param testRows data set rows for the test split (the pool's holdout half).
 * @param seed seeds which production rows go to validation.
 */
export function combineTrainingData(
  base: { x: Float32Array; y: ArrayLike<number>; rows: number; features: number },
  baseSplit: { train: ArrayLike<number>; validation: ArrayLike<number> },
  testRows: ArrayLike<number>,
  prod: LabelledRows,
  seed: number,
): CombinedData {
  const f = base.features;
  if (prod.x.length !== prod.rows * f)
    throw new Error(
      `production rows have ${prod.x.length / Math.max(1, prod.rows)} features, not ${f}`,
    );
  const rows = base.rows + prod.rows;
  const x = new Float32Array(rows * f);
  x.set(base.x.subarray(0, base.rows * f));
  x.set(prod.x, base.rows * f);
  const y = new Int32Array(rows);
  for (let i = 0; i < base.rows; i++) y[i] = base.y[i];
  y.set(prod.y, base.rows);
  const order = shuffleInPlace(
    Int32Array.from({ length: prod.rows }, (_, k) => base.rows + k),
    createRng(subSeed(seed, 'retrain-validation', 0)),
  );
  const nVal = Math.round(PRODUCTION_VALIDATION_SHARE * prod.rows);
  const join = (a: ArrayLike<number>, b: Int32Array) => {
    const out = new Int32Array(a.length + b.length);
    out.set(Array.from(a));
    out.set(b, a.length);
    return out;
  };
  return {
    x,
    y,
    rows,
    split: {
      train: join(baseSplit.train, order.slice(nVal).sort()),
      validation: join(baseSplit.validation, order.slice(0, nVal).sort()),
      test: Int32Array.from(testRows),
    },
    baseRows: base.rows,
    productionRows: prod.rows,
  };
}
