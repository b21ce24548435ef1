/**
 * The two teaching data sets and their parsers. Parsing is strict: a corrupt or truncated file
 * must fail with the line that is wrong, never yield a quietly smaller or shifted data set.
 * Splits, fingerprints and row helpers live beside this file and are re-exported here.
 */

export { stratifiedSplit, DEFAULT_SPLIT } from './split';
export { datasetFingerprint, datasetCanonicalBytes, sha256Hex } from './fingerprint';
export { gatherRows, standardizer, applyStandardizer } from './preprocess';
export type { Standardizer } from './preprocess';

/** Identifiers of the bundled data sets. */
export type DatasetId = 'digits' | 'breast_cancer';

/**
 * An in-memory classification data set.
 * Invariants: `x.length === rows * features` (row-major `[rows, features]`), `y.length === rows`,
 * every label is an integer in `[0, nClasses)`, `classNames.length === nClasses`,
 * `featureNames.length === features`.
 */
export type Dataset = {
  id: DatasetId;
  x: Float32Array;
  y: Int32Array;
  rows: number;
  features: number;
  nClasses: number;
  classNames: string[];
  featureNames: string[];
};

/** Rows in scikit-learn's digits (the UCI test part): pass as `expectedRows` to insist on it. */
export const DIGITS_ROWS = 1797;
/** Rows in breast cancer Wisconsin (diagnostic). */
export const BREAST_CANCER_ROWS = 569;

const DIGITS_FEATURES = 64;
const BREAST_CANCER_FEATURES = 30;

/** `px_r{row}c{col}` for the 8x8 image, row-major like the pixel columns. */
const DIGITS_FEATURE_NAMES = Array.from(
  { length: DIGITS_FEATURES },
  (_, i) => `px_r${Math.floor(i / 8)}c${i % 8}`,
);

const CANCER_MEASURES = [
  'radius',
  'texture',
  'perimeter',
  'area',
  'smoothness',
  'compactness',
  'concavity',
  'concave points',
  'symmetry',
  'fractal dimension',
];
/** Same names and order as scikit-learn's `load_breast_cancer().feature_names`. */
const BREAST_CANCER_FEATURE_NAMES = [
  ...CANCER_MEASURES.map((m) => `mean ${m}`),
  ...CANCER_MEASURES.map((m) => `${m} error`),
  ...CANCER_MEASURES.map((m) => `worst ${m}`),
];

/** Lines without the line ending; trailing blank lines are dropped (files end with a newline). */
function splitLines(text: string, what: string): string[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new Error(`${what}: empty text, no rows`);
  return lines;
}

/** `Number('')` is 0 and `Number('0x1')` is 1: accept only plain decimal numbers. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(field: string, what: string, lineNo: number, col: number): number {
  const s = field.trim();
  const v = DECIMAL.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(v)) {
    throw new Error(`${what}: line ${lineNo}, column ${col}: '${field}' is not a number`);
  }
  return v;
}

/** Parses rows of `features` numbers then one integer label into x and y. */
function parseRows(
  lines: string[],
  firstLineNo: number,
  features: number,
  nClasses: number,
  what: string,
  checkValue?: (v: number) => string | null,
): { x: Float32Array; y: Int32Array } {
  const rows = lines.length;
  const x = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const lineNo = firstLineNo + r;
    const fields = lines[r].split(',');
    if (fields.length !== features + 1) {
      throw new Error(
        `${what}: line ${lineNo}: expected ${features + 1} columns ` +
          `(${features} features and a label), found ${fields.length}`,
      );
    }
    for (let c = 0; c < features; c++) {
      const v = parseNumber(fields[c], what, lineNo, c + 1);
      const problem = checkValue?.(v);
      if (problem) throw new Error(`${what}: line ${lineNo}, column ${c + 1}: ${problem}`);
      x[r * features + c] = v;
    }
    const label = parseNumber(fields[features], what, lineNo, features + 1);
    if (!Number.isInteger(label) || label < 0 || label >= nClasses) {
      throw new Error(
        `${what}: line ${lineNo}: label ${fields[features].trim()} is out of range ` +
          `(expected an integer 0..${nClasses - 1})`,
      );
    }
    y[r] = label;
  }
  return { x, y };
}

/**
 * Parses the decompressed digits CSV: no header, each line 64 pixel counts (integers 0..16, an 8x8
 * image row-major) then the label 0..9.
 * @param options.expectedRows when given, any other row count is an error (use `DIGITS_ROWS` for
 *   the shipped file; left out so that tests and lessons can parse a few rows).
 * @throws Error naming the line: wrong column count, non-numeric or out-of-range value, label out
 *   of range, row count mismatch, empty text.
 */
export function parseDigitsCsv(text: string, options: { expectedRows?: number } = {}): Dataset {
  const what = 'digits.csv';
  const lines = splitLines(text, what);
  const { expectedRows } = options;
  if (expectedRows !== undefined && lines.length !== expectedRows) {
    throw new Error(`${what}: expected ${expectedRows} rows, found ${lines.length}`);
  }
  const { x, y } = parseRows(lines, 1, DIGITS_FEATURES, 10, what, (v) =>
    Number.isInteger(v) && v >= 0 && v <= 16 ? null : `pixel value ${v} is not an integer 0..16`,
  );
  return {
    id: 'digits',
    x,
    y,
    rows: lines.length,
    features: DIGITS_FEATURES,
    nClasses: 10,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    featureNames: [...DIGITS_FEATURE_NAMES],
  };
}

/**
 * Parses breast_cancer.csv: a header `rows,30,<class 0 name>,<class 1 name>` (the shipped file says
 * `569,30,malignant,benign`), then per line 30 measurements and the label (0 = malignant,
 * 1 = benign). Feature names follow scikit-learn's `load_breast_cancer`.
 * @throws Error naming the line: bad header, wrong column count, non-numeric value, label out of
 *   range, row count different from the header's, empty text.
 */
export function parseBreastCancerCsv(text: string): Dataset {
  const what = 'breast_cancer.csv';
  const lines = splitLines(text, what);
  const header = lines[0].split(',').map((s) => s.trim());
  const declaredRows = Number(header[0]);
  if (
    header.length !== 4 ||
    !/^\d+$/.test(header[0]) ||
    header[1] !== String(BREAST_CANCER_FEATURES) ||
    header[2] === '' ||
    header[3] === ''
  ) {
    throw new Error(
      `${what}: line 1: expected a header 'rows,${BREAST_CANCER_FEATURES},class0,class1', ` +
        `found '${lines[0]}'`,
    );
  }
  const body = lines.slice(1);
  if (body.length === 0) throw new Error(`${what}: line 2: no data rows after the header`);
  if (body.length !== declaredRows) {
    throw new Error(
      `${what}: line 1: the header declares ${declaredRows} rows, found ${body.length}`,
    );
  }
  const { x, y } = parseRows(body, 2, BREAST_CANCER_FEATURES, 2, what);
  return {
    id: 'breast_cancer',
    x,
    y,
    rows: body.length,
    features: BREAST_CANCER_FEATURES,
    nClasses: 2,
    classNames: [header[2], header[3]],
    featureNames: [...BREAST_CANCER_FEATURE_NAMES],
  };
}
