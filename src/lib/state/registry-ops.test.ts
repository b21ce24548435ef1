import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { editModel, graphOf, randomModel } from '../../../tests/fixtures/onnx/models';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { parseBreastCancerCsv, parseDigitsCsv, stratifiedSplit, DEFAULT_SPLIT } from '../core/data';
import { inputRanges } from '../core/input-schema';
import type { MlpWeights } from '../core/mlp';
import { encodeMlp } from '../core/mlp-codec';
import { mlpToOnnx } from '../core/onnx/export';
import { readOnnx } from '../core/onnx/inspect';
import { onnxToMlp } from '../core/onnx/import';
import { listModels, registerVersion, type RunRecord } from '../storage';
import {
  accuracyOn,
  datasetWords,
  defaultModelName,
  exportProperties,
  importDatasetId,
  importSizeProblem,
  importSplitSeed,
  importVersion,
  isDatasetId,
  MAX_IMPORT_BYTES,
  parseImport,
  PREPROCESSING_DESCRIPTION,
  RegistryRefusal,
  runVersion,
} from './registry-ops';

const root = new URL('../../../', import.meta.url);
const digits = parseDigitsCsv(
  gunzipSync(readFileSync(new URL('public/data/digits.csv.gz', root))).toString('utf8'),
);
const cancer = parseBreastCancerCsv(
  readFileSync(new URL('public/data/breast_cancer.csv', root), 'utf8'),
);

const MODEL: MlpWeights = randomModel({
  inputSize: 64,
  sizes: [16, 10],
  activations: ['relu', 'softmax'],
  preprocess: true,
  seed: 3,
});
const HYPER = { hidden: [16], activation: 'relu', learningRate: 0.01, seed: 7 };

function run(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-1714550400000-abc123',
    createdAt: 1_714_550_400_000,
    finishedAt: 1_714_550_401_000,
    datasetId: 'digits',
    seed: 7,
    splitSeed: 2,
    hyperparameters: HYPER,
    fingerprint: 'sha256:feedbeef',
    backend: 'wasm',
    durationMs: 900,
    curves: [],
    metrics: {
      testAccuracy: 0.912,
      validationAccuracy: 0.9,
      bestEpoch: 3,
      epochsRun: 4,
      stoppedEarly: false,
    },
    weights: encodeMlp(MODEL),
    status: 'completed',
    ...overrides,
  };
}

const OPTIONS = { modelName: 'digits-classifier', note: 'first', appVersion: '9.9.9' };

/** The message of the RegistryRefusal that `fn` throws. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryRefusal);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('names', () => {
  it('suggests kebab-case model names and names data sets in words', () => {
    expect(defaultModelName('digits')).toBe('digits-classifier');
    expect(defaultModelName('breast_cancer')).toBe('breast-cancer-classifier');
    expect(datasetWords('breast_cancer')).toBe('breast cancer');
    expect(datasetWords('iris')).toBe('iris');
    expect(isDatasetId('digits')).toBe(true);
    expect(isDatasetId('iris')).toBe(false);
  });
});

describe('runVersion', () => {
  const next = runVersion(run(), digits, OPTIONS);

  it('exports the run as ONNX opset 13, IR 8, input [batch, 64], with its metadata', () => {
    const s = readOnnx(next.bytes);
    expect(s.irVersion).toBe(8);
    expect(s.opsets).toEqual([{ domain: '', version: 13 }]);
    expect(s.inputs).toEqual([{ name: 'input', elemType: 'float32', shape: ['batch', 64] }]);
    expect(s.outputs).toEqual([
      { name: 'probabilities', elemType: 'float32', shape: ['batch', 10] },
    ]);
    expect(s.producerVersion).toBe('9.9.9');
    expect(s.metadata).toEqual(exportProperties(run(), digits, MODEL, '9.9.9'));
    expect(s.metadata.run_id).toBe('run-1714550400000-abc123');
    expect(s.metadata.dataset).toBe('digits');
    expect(s.metadata.data_fingerprint).toBe('sha256:feedbeef');
    expect(s.metadata.split_seed).toBe('2');
    expect(JSON.parse(s.metadata.class_names)).toEqual(digits.classNames);
    expect(s.metadata.feature_count).toBe('64');
    expect(JSON.parse(s.metadata.preprocessing).formula).toBe(PREPROCESSING_DESCRIPTION);
    expect(s.metadata.app_version).toBe('9.9.9');
    expect(JSON.parse(s.metadata.hyperparameters)).toEqual(HYPER);
    expect(onnxToMlp(next.bytes).model).toEqual(MODEL);
  });

  it('records lineage and metrics from the run, and input ranges of its train split', () => {
    expect(next.lineage).toEqual({
      source: 'run',
      runId: 'run-1714550400000-abc123',
      datasetId: 'digits',
      fingerprint: 'sha256:feedbeef',
      hyperparameters: HYPER,
    });
    expect(next.metrics).toEqual({ testAccuracy: 0.912 });
    expect(next.variant).toBe('fp32');
    expect(next.note).toBe('first');
    const train = stratifiedSplit(digits.y, DEFAULT_SPLIT, 2).train;
    const { min, max } = inputRanges(digits.x, 64, train);
    expect(next.inputSchema).toEqual({
      features: 64,
      nClasses: 10,
      classNames: digits.classNames,
      featureNames: digits.featureNames,
      min,
      max,
    });
  });

  it('is accepted by the registry as is', async () => {
    const db = await openTestDb();
    const record = await registerVersion(db, next);
    expect(record.version).toBe(1);
    expect(record.sizeBytes).toBe(next.bytes.byteLength);
    expect((await listModels(db)).map((m) => m.name)).toEqual(['digits-classifier']);
  });

  it('refuses runs that did not complete, have no weights, or do not fit the data set', () => {
    expect(refusal(() => runVersion(run({ status: 'failed' }), digits, OPTIONS))).toBe(
      'Run abc123 is failed, not completed: only a completed run has weights worth registering. Train it again, then register it',
    );
    expect(refusal(() => runVersion(run({ weights: undefined }), digits, OPTIONS))).toMatch(
      /saved no weights/,
    );
    expect(
      refusal(() => runVersion(run({ weights: new ArrayBuffer(2) }), digits, OPTIONS)),
    ).toMatch(/^The weights of run abc123 cannot be read: /);
    expect(refusal(() => runVersion(run(), cancer, OPTIONS))).toMatch(
      /trained on "digits", not on the breast cancer data set/,
    );
  });
});

describe('parseImport', () => {
  const good = runVersion(run(), digits, OPTIONS).bytes;

  it('reads a file the app exported', () => {
    const parsed = parseImport('m.onnx', good);
    expect(parsed.model).toEqual(MODEL);
    expect(parsed.metadata.run_id).toBe('run-1714550400000-abc123');
    expect(parsed.summary.nodes.map((n) => n.opType)).toEqual([
      'Sub',
      'Mul',
      'MatMul',
      'Add',
      'Relu',
      'MatMul',
      'Add',
      'Softmax',
    ]);
  });

  it('checks the size first', () => {
    expect(importSizeProblem('big.onnx', MAX_IMPORT_BYTES)).toBeNull();
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1);
    expect(refusal(() => parseImport('big.onnx', big))).toBe(
      '"big.onnx" was not imported: it is 10.0 MB, over the 10 MB limit for an .onnx file in this lab (its models are a few hundred KB at most)',
    );
  });

  it('refuses files that are not ONNX, or truncated', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(refusal(() => parseImport('image.png', png))).toMatch(
      /^"image.png" was not imported: not an ONNX model/,
    );
    const text = new TextEncoder().encode('hello, this is a text file\n');
    expect(refusal(() => parseImport('notes.txt', text))).toMatch(
      /^"notes.txt" was not imported: not an ONNX model/,
    );
    const half = good.slice(0, good.length >> 1);
    expect(refusal(() => parseImport('half.onnx', half))).toMatch(
      /^"half.onnx" was not imported: truncated/,
    );
    expect(refusal(() => parseImport('empty.onnx', new Uint8Array()))).toMatch(/empty file/);
  });

  it('lists the graph problems the ONNX checker would find', () => {
    const swapped = editModel(good, (m) => {
      const nodes = graphOf(m).node ?? [];
      [nodes[0], nodes[1]] = [nodes[1], nodes[0]];
    });
    expect(refusal(() => parseImport('swapped.onnx', swapped))).toMatch(
      /^"swapped.onnx" was not imported: its graph breaks the ONNX checker's rules \(1 problem\): node 'preprocess\/Mul' \(Mul\) uses 'preprocess\/centered' before node 'preprocess\/Sub' produces it\.$/,
    );
  });

  it('refuses an operator outside the allowlist, naming it', () => {
    const conv = editModel(good, (m) => {
      const g = graphOf(m);
      g.initializer?.push({ name: 'w', dataType: 1, dims: [1], floatData: [1] });
      g.node?.splice(2, 0, {
        name: 'conv1',
        opType: 'Conv',
        input: ['preprocess/scaled', 'w'],
        output: ['conv'],
      });
    });
    expect(refusal(() => parseImport('conv.onnx', conv))).toMatch(
      /^"conv.onnx" was not imported: unsupported model: operator Conv \(node 'conv1'\)/,
    );
  });
});

describe('importing', () => {
  const exported = runVersion(run(), digits, OPTIONS).bytes;
  const wide = mlpToOnnx(
    randomModel({
      inputSize: 30,
      sizes: [2],
      activations: ['softmax'],
      preprocess: false,
      seed: 1,
    }),
    { inputName: 'x', outputName: 'p', properties: {} },
  );

  it('takes the data set from the file, else the model, else the form', () => {
    const parsed = parseImport('a.onnx', exported);
    expect(importDatasetId(parsed, 'breast_cancer', 'breast_cancer')).toBe('digits');
    const bare = parseImport('b.onnx', wide);
    expect(importDatasetId(bare, 'digits', 'breast_cancer')).toBe('digits');
    expect(importDatasetId(bare, undefined, 'breast_cancer')).toBe('breast_cancer');
    const odd = { fileName: 'c.onnx', metadata: { dataset: 'iris' } };
    expect(refusal(() => importDatasetId(odd, undefined, 'digits'))).toMatch(
      /its metadata says it was trained on data set "iris", which this lab does not have/,
    );
  });

  it('reads the split seed from the metadata, else 0', () => {
    expect(importSplitSeed({ split_seed: '4' })).toBe(4);
    expect(importSplitSeed({})).toBe(0);
    expect(importSplitSeed({ split_seed: '-1' })).toBe(0);
    expect(importSplitSeed({ split_seed: '1e3' })).toBe(0);
  });

  it('refuses the wrong input width or class count', () => {
    const bare = parseImport('wide.onnx', wide);
    expect(refusal(() => importVersion(bare, digits, { modelName: 'm', note: '' }))).toBe(
      '"wide.onnx" was not imported: the wrong input width. Its input takes 30 features per row, but the digits data set has 64, so m could never be served with it',
    );
    const ok = importVersion(bare, cancer, { modelName: 'c', note: '' });
    expect(ok.inputSchema.features).toBe(30);
    const three = parseImport(
      't.onnx',
      mlpToOnnx(
        randomModel({
          inputSize: 30,
          sizes: [3],
          activations: ['softmax'],
          preprocess: false,
          seed: 2,
        }),
        { inputName: 'x', outputName: 'p', properties: {} },
      ),
    );
    expect(refusal(() => importVersion(three, cancer, { modelName: 'c', note: '' }))).toMatch(
      /outputs 3 class probabilities, but the breast cancer data set has 2 classes/,
    );
  });

  it('builds an imported version: lineage from the metadata, accuracy measured on the test split', async () => {
    const parsed = parseImport('digits-classifier-v1.onnx', exported);
    const next = importVersion(parsed, digits, { modelName: 'digits-classifier', note: '' });
    const split = stratifiedSplit(digits.y, DEFAULT_SPLIT, 2);
    expect(next.lineage).toEqual({
      source: 'import',
      datasetId: 'digits',
      fingerprint: 'sha256:feedbeef',
      hyperparameters: HYPER,
    });
    expect(next.metrics.testAccuracy).toBe(accuracyOn(MODEL, digits, split.test));
    expect(next.inputSchema).toEqual(runVersion(run(), digits, OPTIONS).inputSchema);
    expect(next.note).toBe('Imported from digits-classifier-v1.onnx');
    expect(next.bytes).toBe(exported);
    const db = await openTestDb();
    expect((await registerVersion(db, next)).lineage.source).toBe('import');
  });
});

describe('accuracyOn', () => {
  it('counts argmax hits', () => {
    // A model that always predicts class 0 scores the share of zeros.
    const zero: MlpWeights = {
      inputSize: 64,
      layers: [
        {
          weights: new Float32Array(640),
          bias: Float32Array.from({ length: 10 }, (_, i) => (i === 0 ? 1 : 0)),
          activation: 'softmax',
        },
      ],
    };
    const rows = [0, 1, 10, 20];
    const zeros = rows.filter((r) => digits.y[r] === 0).length;
    expect(accuracyOn(zero, digits, rows)).toBe(zeros / rows.length);
    expect(accuracyOn(zero, digits, [])).toBe(0);
  });
});
