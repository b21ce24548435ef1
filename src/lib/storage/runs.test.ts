import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import type { RunRecord } from './records';
import { deleteRun, getRun, listRuns, saveRun } from './runs';

function run(id: string, createdAt: number, datasetId = 'digits'): RunRecord {
  return {
    id,
    createdAt,
    datasetId,
    seed: 1,
    splitSeed: 2,
    hyperparameters: { hidden: [64], lr: 0.01 },
    fingerprint: 'abc123',
    backend: 'wasm',
    durationMs: 1234,
    curves: [{ epoch: 1, loss: 1.2, valLoss: 1.3, acc: 0.6, valAcc: 0.55 }],
    status: 'completed',
  };
}

describe('runs', () => {
  it('saves and reads back a run, weights included', async () => {
    const db = await openTestDb();
    const weights = new Float32Array([0.5, -1.25, 3]).buffer;
    const r = {
      ...run('r1', 10),
      finishedAt: 20,
      metrics: {
        testAccuracy: 0.97,
        validationAccuracy: 0.96,
        bestEpoch: 12,
        epochsRun: 17,
        stoppedEarly: true,
      },
      weights,
    };
    await saveRun(db, r);
    const back = await getRun(db, 'r1');
    expect(back).toMatchObject({ ...r, weights: expect.any(ArrayBuffer) });
    expect(Array.from(new Float32Array(back!.weights!))).toEqual([0.5, -1.25, 3]);
    expect(await getRun(db, 'missing')).toBeUndefined();
  });

  it('lists newest first, optionally by data set', async () => {
    const db = await openTestDb();
    await saveRun(db, run('a', 100));
    await saveRun(db, run('b', 300, 'breast-cancer'));
    await saveRun(db, run('c', 200));
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['b', 'c', 'a']);
    expect((await listRuns(db, { datasetId: 'digits' })).map((r) => r.id)).toEqual(['c', 'a']);
    expect(await listRuns(db, { datasetId: 'none' })).toEqual([]);
  });

  it('saving again replaces the run (a running run finishing)', async () => {
    const db = await openTestDb();
    await saveRun(db, { ...run('r', 1), status: 'running' });
    await saveRun(db, { ...run('r', 1), status: 'failed', failureReason: 'NaN loss' });
    expect(await listRuns(db)).toEqual([
      { ...run('r', 1), status: 'failed', failureReason: 'NaN loss' },
    ]);
  });

  it('deletes a run, and deleting a missing one is fine', async () => {
    const db = await openTestDb();
    await saveRun(db, run('r', 1));
    await deleteRun(db, 'r');
    await deleteRun(db, 'r');
    expect(await listRuns(db)).toEqual([]);
  });
});
