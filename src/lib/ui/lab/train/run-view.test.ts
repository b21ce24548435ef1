import { describe, expect, it } from 'vitest';
import type { RunListItem } from '../../../state/training.svelte';
import {
  comparisonRows,
  formatElapsed,
  formatLayers,
  formatPercent,
  formatSeconds,
  resultLine,
  settingsParts,
} from './run-view';

function run(over: Partial<RunListItem> = {}): RunListItem {
  return {
    id: 'run-1-aaaaaa',
    createdAt: 1,
    finishedAt: 2,
    datasetId: 'digits',
    seed: 0,
    splitSeed: 0,
    hyperparameters: {
      hidden: [64],
      activation: 'relu',
      learningRate: 0.01,
      epochs: 30,
      batchSize: 64,
      l2: 0.001,
      patience: 5,
      seed: 0,
    },
    fingerprint: 'abcdef0123456789',
    backend: 'wasm',
    durationMs: 520,
    curves: [],
    metrics: {
      testAccuracy: 0.9721,
      validationAccuracy: 0.98,
      bestEpoch: 16,
      epochsRun: 21,
      stoppedEarly: true,
    },
    status: 'completed',
    ...over,
  };
}

describe('formatting', () => {
  it('percent, seconds, layers', () => {
    expect(formatPercent(0.9721)).toBe('97.2%');
    expect(formatPercent(undefined)).toBe('–');
    expect(formatSeconds(520)).toBe('0.52 s');
    expect(formatSeconds(12_345)).toBe('12.3 s');
    expect(formatSeconds(125_000)).toBe('2 min 5 s');
    expect(formatElapsed(420)).toBe('0.4 s');
    expect(formatLayers([128, 64])).toBe('128, 64');
    expect(formatLayers([])).toBe('none');
    expect(formatLayers(undefined)).toBe('–');
  });

  it('words the result of a run', () => {
    expect(resultLine(run())).toBe(
      'Test accuracy 97.2% · stopped early at epoch 21 (best 16) · 0.52 s on wasm',
    );
    const full = run({
      metrics: {
        testAccuracy: 0.5,
        validationAccuracy: 0.5,
        bestEpoch: 30,
        epochsRun: 30,
        stoppedEarly: false,
      },
    });
    expect(resultLine(full)).toMatch(/ran all 30 epochs \(best 30\)/);
    expect(resultLine(run({ metrics: undefined }))).toBe('');
  });
});

describe('settingsParts', () => {
  it('labels each setting for a compact cell', () => {
    expect(settingsParts(run())).toEqual([
      'hidden 64',
      'relu',
      'lr 0.01',
      '30 epochs',
      'batch 64',
      'L2 0.001',
      'patience 5',
      'init seed 0',
      'split seed 0',
    ]);
    const h = { ...run().hyperparameters, hidden: [], patience: 0 };
    const parts = settingsParts(run({ hyperparameters: h }));
    expect(parts[0]).toBe('no hidden layer');
    expect(parts[6]).toBe('no early stop');
  });
});

describe('comparisonRows', () => {
  it('lines runs up by fact and marks the rows that differ', () => {
    const a = run();
    const b = run({
      id: 'run-2-bbbbbb',
      backend: 'cpu',
      hyperparameters: { ...a.hyperparameters, learningRate: 0.1 },
    });
    const rows = comparisonRows([a, b]);
    const byLabel = Object.fromEntries(rows.map((r) => [r.label, r]));
    expect(byLabel['Learning rate']).toEqual({
      label: 'Learning rate',
      values: ['0.01', '0.1'],
      differs: true,
    });
    expect(byLabel['Backend'].differs).toBe(true);
    expect(byLabel['Hidden layers']).toEqual({
      label: 'Hidden layers',
      values: ['64', '64'],
      differs: false,
    });
    expect(byLabel['Test accuracy'].values).toEqual(['97.2%', '97.2%']);
    expect(comparisonRows([])).toEqual([]);
  });
});
