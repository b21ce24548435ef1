import { describe, expect, it } from 'vitest';
import { randomModel } from '../../../../../tests/fixtures/onnx/models';
import { mlpToOnnx } from '../../../core/onnx/export';
import { readOnnx } from '../../../core/onnx/inspect';
import type { AliasEvent, ModelVersionRecord } from '../../../state/registry.svelte';
import {
  aliasesOf,
  compareRows,
  describeMetadata,
  formatPercent,
  historyCells,
  metadataRows,
  shortRunId,
  shortSha,
  versionSource,
} from './registry-view';

function version(n: number, overrides: Partial<ModelVersionRecord> = {}): ModelVersionRecord {
  const bytes = mlpToOnnx(
    randomModel({
      inputSize: 4,
      sizes: [n + 1, 3],
      activations: ['relu', 'softmax'],
      preprocess: false,
      seed: n,
    }),
    { inputName: 'input', outputName: 'probabilities', properties: { run_id: `run-${n}` } },
  );
  return {
    id: `m@v${n}`,
    modelName: 'm',
    version: n,
    createdAt: 0,
    bytes,
    sha256: 'ab'.repeat(32),
    sizeBytes: bytes.byteLength,
    variant: 'fp32',
    lineage: {
      source: 'run',
      runId: 'run-1714550400000-abc123',
      datasetId: 'digits',
      hyperparameters: { seed: n, hidden: [n + 1] },
    },
    metrics: { testAccuracy: 0.9 },
    inputSchema: {
      features: 4,
      nClasses: 3,
      classNames: ['a', 'b', 'c'],
      featureNames: ['f0', 'f1', 'f2', 'f3'],
      min: [0, 0, 0, 0],
      max: [16, 16, 16, 16],
    },
    note: '',
    ...overrides,
  };
}

describe('small formats', () => {
  it('formats percentages, hashes and run ids', () => {
    expect(formatPercent(0.9721)).toBe('97.2%');
    expect(formatPercent(undefined)).toBe('–');
    expect(shortSha('0123456789abcdef0123')).toBe('0123456789');
    expect(shortRunId('run-1714550400000-abc123')).toBe('abc123');
    expect(shortRunId('odd')).toBe('odd');
  });

  it('says where a version came from', () => {
    expect(versionSource(version(1))).toEqual({
      kind: 'run',
      runId: 'run-1714550400000-abc123',
      label: 'run abc123',
    });
    expect(
      versionSource(version(1, { lineage: { source: 'import', datasetId: 'digits' } })),
    ).toEqual({ kind: 'import', label: 'imported' });
    expect(
      versionSource(
        version(3, {
          lineage: { source: 'quantize', parentVersionId: 'm@v2', datasetId: 'digits' },
        }),
      ),
    ).toEqual({ kind: 'quantize', label: 'quantized from v2' });
  });

  it('lists the aliases of a version and describes alias moves', () => {
    expect(aliasesOf({ challenger: 2, champion: 2, canary: 1 }, 2)).toEqual([
      'challenger',
      'champion',
    ]);
    const e: AliasEvent = {
      seq: 1,
      modelName: 'm',
      alias: 'champion',
      fromVersion: null,
      toVersion: 2,
      at: 0,
      reason: '',
      actor: 'learner',
    };
    expect(historyCells(e)).toEqual({ from: 'none', to: 'v2', actor: 'you' });
    expect(historyCells({ ...e, fromVersion: 2, toVersion: null, actor: 'policy' })).toEqual({
      from: 'v2',
      to: 'removed',
      actor: 'policy',
    });
  });
});

describe('metadataRows', () => {
  it("puts the app's keys first with labels, and JSON values in words", () => {
    const rows = metadataRows({
      zeta: 'z',
      class_names: '["0","1"]',
      run_id: 'run-1',
      hyperparameters: '{"hidden":[64,32],"learningRate":0.01}',
      preprocessing: '{"formula":"(x - offset) * scale"}',
    });
    expect(rows).toEqual([
      { key: 'run_id', label: 'Run id', value: 'run-1' },
      { key: 'class_names', label: 'Class names', value: '0, 1' },
      { key: 'preprocessing', label: 'Preprocessing', value: 'formula: (x - offset) * scale' },
      {
        key: 'hyperparameters',
        label: 'Hyperparameters',
        value: 'hidden: 64, 32; learningRate: 0.01',
      },
      { key: 'zeta', label: 'zeta', value: 'z' },
    ]);
    expect(describeMetadata('{not json')).toBe('{not json');
  });
});

describe('compareRows', () => {
  it('flags what differs, down to the ONNX structure', () => {
    const a = version(1);
    const b = version(2, { metrics: { testAccuracy: 0.95 }, sha256: 'cd'.repeat(32) });
    const rows = compareRows(a, b, readOnnx(a.bytes), readOnnx(b.bytes));
    const row = (label: string) => rows.find((r) => r.label === label);
    expect(row('Test accuracy')).toMatchObject({ a: '90.0%', b: '95.0%', differs: true });
    expect(row('Data set')).toMatchObject({ a: 'digits', differs: false });
    expect(row('seed')).toMatchObject({ a: '1', b: '2', differs: true });
    expect(row('Opset')).toMatchObject({ a: '13', b: '13', differs: false });
    expect(row('IR version')).toMatchObject({ a: '8', differs: false });
    expect(row('Input')).toMatchObject({ a: 'input float32 [batch, 4]', differs: false });
    expect(row('Nodes')).toMatchObject({
      a: 'MatMul → Add → Relu → MatMul → Add → Softmax',
      differs: false,
    });
    expect(row('layer0.weight')).toMatchObject({
      a: '[4, 2] float32, 32 bytes',
      b: '[4, 3] float32, 48 bytes',
      differs: true,
    });
    expect(row('Size')?.differs).toBe(true);
    expect(new Set(rows.map((r) => r.group))).toEqual(
      new Set(['Metrics', 'File', 'Lineage', 'Input schema', 'ONNX structure']),
    );
  });

  it('leaves the ONNX rows out when a file cannot be read', () => {
    const rows = compareRows(version(1), version(2), null, null);
    expect(rows.some((r) => r.group === 'ONNX structure')).toBe(false);
  });
});
