import { describe, expect, it } from 'vitest';
import { emptySnapshot, runCheck, type LabSnapshot } from './checks';

const withCi = (values: Record<string, number | string | boolean>): LabSnapshot => ({
  ...emptySnapshot(),
  widgetOutcomes: { 'ci-gates-sim': values },
});
const base = { seed: 1, badTotal: 6, goodTotal: 4, canaryCaught: 0, idealAccuracy: 0.962 };

describe('ci-gates-block-bad', () => {
  it('asks for a pipeline run first', () => {
    const r = runCheck('ci-gates-block-bad', {}, emptySnapshot());
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/No pipeline run saved yet.*Run the pipeline/);
  });

  it('names each bad candidate that shipped and each good one blocked, with what to change', () => {
    const r = runCheck(
      'ci-gates-block-bad',
      {},
      withCi({
        ...base,
        badShipped: 2,
        goodShipped: 1,
        shippedBad: 'schema-rename,label-leak',
        blockedGood: 'wider-model:regression,fresh-data:drift,fresh-weekly:regression',
        trafficAccuracy: 0.853,
      }),
    );
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/shipped 1 of 4 good and 2 of 6 bad/);
    expect(r.message).toMatch(/"schema-rename" shipped: turn on the schema gate/);
    expect(r.message).toMatch(/"label-leak" shipped: turn on the leakage probe/);
    expect(r.message).toMatch(
      /"fresh-data" was blocked by the drift gate: input drift is a reason to retrain/,
    );
    expect(r.message).toMatch(/"wider-model" was blocked by the regression gate/);
  });

  it('fails when only good candidates are blocked', () => {
    const r = runCheck(
      'ci-gates-block-bad',
      {},
      withCi({
        ...base,
        badShipped: 0,
        goodShipped: 3,
        shippedBad: '',
        blockedGood: 'wider-model:slices',
        trafficAccuracy: 0.95,
      }),
    );
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/raise the slice limit/);
  });

  it('passes when every good candidate shipped and no bad one did', () => {
    const r = runCheck(
      'ci-gates-block-bad',
      {},
      withCi({
        ...base,
        badShipped: 0,
        goodShipped: 4,
        shippedBad: '',
        blockedGood: '',
        canaryCaught: 2,
        trafficAccuracy: 0.9617,
      }),
    );
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(
      /all 4 good candidates and none of the 6 bad ones, 2 caught by the canary.*96\.2%/,
    );
  });
});

type Model = LabSnapshot['models'][number];
const FP = 'f'.repeat(64);
const runs: LabSnapshot['runs'] = [
  {
    id: 'r1',
    datasetId: 'digits',
    status: 'completed',
    testAccuracy: 0.97,
    fingerprint: FP,
    seed: 0,
    splitSeed: 0,
  },
  {
    id: 'r2',
    datasetId: 'digits',
    status: 'completed',
    testAccuracy: 0.972,
    fingerprint: FP,
    seed: 0,
    splitSeed: 0,
  },
  {
    id: 'r3',
    datasetId: 'digits',
    status: 'completed',
    testAccuracy: 0.95,
    fingerprint: FP,
    seed: 5,
    splitSeed: 0,
  },
];
const model = (over: Partial<Model['versions'][number]>, reason: string): Model => ({
  name: 'digits-classifier',
  aliases: { champion: 2 },
  versions: [
    {
      version: 1,
      variant: 'fp32',
      sizeBytes: 20_000,
      testAccuracy: 0.97,
      runId: 'r1',
      fingerprint: FP,
      note: '',
    },
    {
      version: 2,
      variant: 'int8-weight',
      sizeBytes: 7000,
      testAccuracy: 0.97,
      parentVersion: 1,
      note: '',
      ...over,
    },
  ],
  aliasMoves: [{ alias: 'champion', toVersion: 2, reason, actor: 'learner' }],
});

describe('champion-lineage-complete', () => {
  it('asks for a champion first', () => {
    expect(runCheck('champion-lineage-complete', {}, emptySnapshot()).message).toMatch(
      /No model has a champion/,
    );
  });
  it('names every gap: no note, no reason', () => {
    const r = runCheck(
      'champion-lineage-complete',
      {},
      { ...emptySnapshot(), runs, models: [model({}, '')] },
    );
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/no model card note: write one for v2/);
    expect(r.message).toMatch(/no move of champion to v2 records a reason/);
  });
  it('fails when the run is gone', () => {
    const r = runCheck(
      'champion-lineage-complete',
      {},
      { ...emptySnapshot(), runs: [], models: [model({ note: 'int8' }, 'smaller')] },
    );
    expect(r.message).toMatch(/its run r1 is no longer in the lab/);
  });
  it('passes through a quantized champion to its run, with a note and a reason', () => {
    const r = runCheck(
      'champion-lineage-complete',
      {},
      {
        ...emptySnapshot(),
        runs,
        models: [model({ note: 'int8 of v1' }, 'same accuracy, 35% of the size')],
      },
    );
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/digits-classifier@v2 \(champion\) traces back/);
  });
});

describe('run-reproduced', () => {
  const repro = (original: string, copy: string) => ({
    ...emptySnapshot(),
    runs,
    widgetOutcomes: {
      'lineage-explorer': { originalRunId: original, reproRunId: copy, weightsIdentical: true },
    },
  });
  it('asks for a reproduction first', () => {
    expect(runCheck('run-reproduced', { maxDiffPoints: 0.5 }, emptySnapshot()).message).toMatch(
      /No reproduction saved yet/,
    );
  });
  it('fails with other seeds, or too large a difference', () => {
    const seeds = runCheck('run-reproduced', { maxDiffPoints: 0.5 }, repro('r1', 'r3'));
    expect(seeds.passed).toBe(false);
    expect(seeds.message).toMatch(/different seeds/);
    const strict = runCheck('run-reproduced', { maxDiffPoints: 0.1 }, repro('r1', 'r2'));
    expect(strict.message).toMatch(/differ by 0\.20 points \(allowed 0\.1\)/);
  });
  it('passes within the tolerance, recomputed from the saved runs', () => {
    const r = runCheck('run-reproduced', { maxDiffPoints: 0.5 }, repro('r1', 'r2'));
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/within 0\.20 points .* identical bit for bit/);
  });
});
