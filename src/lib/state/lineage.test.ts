import { describe, expect, it } from 'vitest';
import type { AliasEvent, ModelVersionRecord, RegisteredModel } from '../storage';
import { buildLineage, reproductionSettings } from './lineage';
import type { RunListItem } from './run-list';

const FP = 'a'.repeat(64);
const run = (id: string, createdAt: number, over: Partial<RunListItem> = {}): RunListItem => ({
  id,
  createdAt,
  datasetId: 'digits',
  seed: 3,
  splitSeed: 0,
  hyperparameters: { hidden: [64], epochs: 30, seed: 3 },
  fingerprint: FP,
  backend: 'wasm',
  durationMs: 1000,
  curves: [],
  metrics: {
    testAccuracy: 0.97,
    validationAccuracy: 0.96,
    bestEpoch: 30,
    epochsRun: 30,
    stoppedEarly: false,
  },
  status: 'completed',
  ...over,
});
const version = (
  n: number,
  lineage: ModelVersionRecord['lineage'],
  variant = 'fp32',
): ModelVersionRecord =>
  ({
    id: `m@v${n}`,
    modelName: 'm',
    version: n,
    createdAt: n,
    sha256: 'b'.repeat(64),
    sizeBytes: 1000,
    variant,
    lineage,
    metrics: { testAccuracy: 0.97 },
    note: n === 1 ? 'first' : '',
  }) as ModelVersionRecord;
const model: RegisteredModel = {
  name: 'm',
  createdAt: 1,
  description: '',
  aliases: { champion: 2 },
  lastVersion: 3,
};
const event = (seq: number, toVersion: number, reason: string): AliasEvent => ({
  seq,
  modelName: 'm',
  alias: 'champion',
  fromVersion: seq === 1 ? null : 1,
  toVersion,
  at: seq,
  reason,
  actor: 'learner',
});

describe('buildLineage', () => {
  const tree = buildLineage({
    models: [model],
    versions: {
      m: [
        version(1, { source: 'run', runId: 'r1', datasetId: 'digits', fingerprint: FP }),
        version(
          2,
          { source: 'quantize', parentVersionId: 'm@v1', datasetId: 'digits' },
          'int8-weight',
        ),
        version(3, { source: 'import', datasetId: 'digits' }),
      ],
    },
    history: { m: [event(2, 2, 'smaller, same accuracy'), event(1, 1, 'first model')] },
    runs: [run('r1', 10), run('r2', 20, { fingerprint: 'c'.repeat(64) })],
  });

  it('groups runs under their data fingerprint, newest first', () => {
    expect(tree.datasets.map((d) => d.fingerprint)).toEqual(['c'.repeat(64), FP]);
    expect(tree.datasets[1].runs.map((r) => r.id)).toEqual(['r1']);
    expect(tree.datasets[1].runs[0]).toMatchObject({
      seed: 3,
      splitSeed: 0,
      hidden: '64',
      epochs: 30,
    });
  });

  it('hangs versions under their run and quantized versions under their parent, with aliases and moves', () => {
    const v1 = tree.datasets[1].runs[0].versions[0];
    expect(v1).toMatchObject({ id: 'm@v1', note: 'first', aliases: [] });
    expect(v1.moves.map((m) => m.reason)).toEqual(['first model']);
    expect(v1.children.map((c) => c.id)).toEqual(['m@v2']);
    expect(v1.children[0]).toMatchObject({ aliases: ['champion'], variant: 'int8-weight' });
    expect(v1.children[0].moves[0]).toMatchObject({
      fromVersion: 1,
      reason: 'smaller, same accuracy',
    });
  });

  it('lists imported versions, and versions whose run is gone, as detached', () => {
    expect(tree.detached.map((v) => v.id)).toEqual(['m@v3']);
    const gone = buildLineage({
      models: [model],
      versions: { m: [version(1, { source: 'run', runId: 'x', datasetId: 'digits' })] },
      history: {},
      runs: [],
    });
    expect(gone.detached.map((v) => v.id)).toEqual(['m@v1']);
  });
});

describe('reproductionSettings', () => {
  it('copies the recorded seeds and settings of a completed run', () => {
    expect(reproductionSettings(run('r1', 1))).toEqual({
      datasetId: 'digits',
      splitSeed: 0,
      backend: 'wasm',
      hyperparameters: { hidden: [64], epochs: 30, seed: 3 },
    });
  });
  it('refuses a run that did not complete or lacks its seed', () => {
    expect(reproductionSettings(run('r1', 1, { status: 'failed' }))).toBeNull();
    expect(reproductionSettings(run('r1', 1, { hyperparameters: { hidden: [64] } }))).toBeNull();
  });
});
