/**
 * The input schema of a served model and the per-request check the endpoint runs before a request
 * reaches a runtime: right length, numbers only, finite. Values outside the range seen in the
 * training data are flagged as outliers, not refused (the model still answers, the caller is told).
 */

/** What a request to a model must look like. */
export type InputSchema = {
  /** Values per request (one row). */
  features: number;
  nClasses: number;
  /** Length `nClasses`; names the predicted class in replies. */
  classNames: string[];
  /** Length `features`. */
  featureNames: string[];
  /** Per-feature minimum seen in the training rows (length `features`). */
  min: number[];
  /** Per-feature maximum seen in the training rows (length `features`). */
  max: number[];
};

/** Outcome of {@link validateRequest}. */
export type RequestValidation =
  | {
      ok: true;
      /** The request as one float32 row (a copy: the caller's array is never kept). */
      x: Float32Array;
      /** Indices of the features outside `[min, max]`, ascending (a flag, not a refusal). */
      outliers: number[];
    }
  | { ok: false; reason: string };

/**
 * Per-feature minimum and maximum over some rows.
 *
 * @param x row-major `[rows, features]` values.
 * @param rows row indices to scan (e.g. the train split); an empty list gives `min = +Infinity`
 *   and `max = -Infinity` for every feature (then every value is an outlier).
 * @throws when a row index is not an integer in range.
 */
export function inputRanges(
  x: Float32Array,
  features: number,
  rows: ArrayLike<number>,
): { min: number[]; max: number[] } {
  if (!Number.isInteger(features) || features < 1)
    throw new Error(`features must be a positive integer (got ${features}).`);
  const total = Math.floor(x.length / features);
  const min = new Array<number>(features).fill(Infinity);
  const max = new Array<number>(features).fill(-Infinity);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (!Number.isInteger(r) || r < 0 || r >= total)
      throw new Error(`Row index ${r} is outside [0, ${total}).`);
    const base = r * features;
    for (let j = 0; j < features; j++) {
      const v = x[base + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  return { min, max };
}

/** Checks that a schema is self-consistent; returns a reason, or null when it is fine. */
export function schemaProblem(schema: InputSchema): string | null {
  const { features, nClasses } = schema;
  if (!Number.isInteger(features) || features < 1)
    return `features must be a positive integer (got ${features}).`;
  if (!Number.isInteger(nClasses) || nClasses < 1)
    return `nClasses must be a positive integer (got ${nClasses}).`;
  if (schema.classNames.length !== nClasses)
    return `classNames has ${schema.classNames.length} names for ${nClasses} classes.`;
  for (const [name, list] of [
    ['featureNames', schema.featureNames],
    ['min', schema.min],
    ['max', schema.max],
  ] as const) {
    if (list.length !== features)
      return `${name} has ${list.length} entries for ${features} features.`;
  }
  return null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a${/^[aeiou]/.test(type) ? 'n' : ''} ${type}`;
}

/**
 * Validates one request against the schema. Never throws.
 *
 * Refused (with a reason naming the problem and, for a bad value, its 0-based index): anything
 * that is not an array or a typed array, the wrong length, a value that is not a number
 * (a string, null, a boolean...), NaN, and ±Infinity. Accepted values are converted to float32.
 */
export function validateRequest(schema: InputSchema, input: unknown): RequestValidation {
  let values: ArrayLike<unknown>;
  if (Array.isArray(input)) values = input;
  else if (ArrayBuffer.isView(input) && !(input instanceof DataView))
    values = input as unknown as ArrayLike<unknown>;
  else
    return {
      ok: false,
      reason: `expected an array of ${schema.features} numbers, got ${describe(input)}`,
    };
  if (values.length !== schema.features)
    return { ok: false, reason: `expected ${schema.features} values, got ${values.length}` };

  const x = new Float32Array(schema.features);
  const outliers: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'bigint') {
      x[i] = Number(v);
      if (!Number.isFinite(x[i]))
        return { ok: false, reason: `value ${i} (${v}) is too large for float32` };
    } else if (typeof v !== 'number') {
      return { ok: false, reason: `value ${i} is ${describe(v)}, not a number` };
    } else if (Number.isNaN(v)) {
      return { ok: false, reason: `value ${i} is NaN` };
    } else if (!Number.isFinite(v)) {
      return { ok: false, reason: `value ${i} is ${v > 0 ? '+' : '-'}Infinity` };
    } else {
      x[i] = v;
      if (!Number.isFinite(x[i]))
        return { ok: false, reason: `value ${i} (${v}) is too large for float32` };
    }
    if (x[i] < schema.min[i] || x[i] > schema.max[i]) outliers.push(i);
  }
  return { ok: true, x, outliers };
}
