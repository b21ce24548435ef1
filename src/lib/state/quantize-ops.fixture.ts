/**
 * Test data for the Quantize panel's tests (imported by tests only): the digits data set with the
 * app's fixed split (split seed 0), a closed-form digits model fitted on its train split, that
 * model as the parent ONNX file with run metadata, and the default quantize settings.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { digitsRidgeModel } from '../../../tests/fixtures/quantize/models';
import { DEFAULT_SPLIT, gatherRows, parseDigitsCsv, stratifiedSplit } from '../core/data';
import type { MlpWeights } from '../core/mlp';
import { mlpToOnnx } from '../core/onnx/export';
import type { QuantizeSettings } from './quantize-ops';

/** int8 weight-only, per-tensor, with 200 min/max calibration rows for when a test picks static. */
export const BASE: QuantizeSettings = {
  mode: 'int8-weight',
  perChannel: false,
  calibrationRows: 200,
  calibrationMethod: 'minmax',
  dynamicOp: 'MatMulInteger',
  staticFormat: 'qdq',
};

/** `BASE` with `over` applied. */
export const s = (over: Partial<QuantizeSettings>): QuantizeSettings => ({ ...BASE, ...over });

/** The digits data set (64 features, 10 classes) read from public/data. */
export const ds = parseDigitsCsv(
  gunzipSync(readFileSync(new URL('../../../public/data/digits.csv.gz', import.meta.url))).toString(
    'utf8',
  ),
);

/** Row indices of the app's fixed split (split seed 0). */
export const split = stratifiedSplit(ds.y, DEFAULT_SPLIT, 0);

/** The fp32 parent model, fitted in closed form on the train split. */
export const model: MlpWeights = digitsRidgeModel(gatherRows(ds, split.train));

const PARENT_META = {
  inputName: 'input',
  outputName: 'probabilities',
  properties: { run_id: 'run-1-abc', dataset: 'digits', split_seed: '0' },
  producerVersion: '0.1.0',
  graphName: 'digits-classifier',
};

/** The parent model as an ONNX file (bytes), carrying run_id, dataset and split_seed. */
export const parentBytes = mlpToOnnx(model, PARENT_META);

/** The parent's registry version id. */
export const PARENT_ID = 'digits-classifier@v1';
