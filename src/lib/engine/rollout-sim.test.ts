import { describe, expect, it } from 'vitest';
import { fitCalibrator } from '../core/cbpe';
import {
  DEFAULT_CANARY_POLICY,
  type CanaryAction,
  type CanaryPolicy,
} from '../core/rollout-policy';
import { RolloutSimulator, type RolloutMode } from './rollout-sim';
import type { SimWorld } from './simulator';

// 40 rows, 2 features, 2 classes; the model says class = (feature 0 > 0), 90% sure.
const pool = {
  x: Float32Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? (i % 4 === 0 ? 1 : -1) : i % 7)),
  y: Int32Array.from({ length: 40 }, (_, r) => (r % 2 === 0 ? 1 : 0)),
  features: 2,
  nClasses: 2,
};
function predictSync(x: Float32Array, rows: number, flip = false): Float32Array {
  const p = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const c = x[r * 2] > 0 !== flip ? 1 : 0;
    p[r * 2 + c] = 0.9;
    p[r * 2 + 1 - c] = 0.1;
  }
  return p;
}
const world = (versionId: string): SimWorld => ({
  versionId,
  dataset: 'tabular',
  featureNames: ['a', 'b'],
  pool,
  reference: pool.x,
  referencePredictions: Int32Array.from(pool.y),
  referenceAccuracy: 0.9,
  calibrator: fitCalibrator(predictSync(pool.x, 40), pool.y, 2),
});
/** A predictor whose round trip is `fixedMs` per call plus `perRowMs` per row (simulated). */
const predictor =
  (fixedMs: number, perRowMs = 0.001, options: { flip?: boolean; fail?: boolean } = {}) =>
  (x: Float32Array, rows: number) =>
    options.fail
      ? Promise.reject(new Error('worker crashed'))
      : Promise.resolve({
          probabilities: predictSync(x, rows, options.flip),
          roundTripMs: fixedMs + perRowMs * rows,
        });

const policy: CanaryPolicy = {
  ...DEFAULT_CANARY_POLICY,
  minRequestsPerStep: 150,
  minStepMs: 60_000,
  // Enough requests that a 50/50 class mix does not drift 0.15 apart by chance (3 sd at 100).
  guards: { ...DEFAULT_CANARY_POLICY.guards, minRequests: 100, minLabelled: 100 },
};
const settings = (mode: RolloutMode) => ({
  seed: 3,
  requestsPerSecond: 100,
  durationSeconds: 1800,
  windowMs: 60_000,
  mode,
});

async function run(sim: RolloutSimulator): Promise<void> {
  for (let t = 0; !sim.done; t += 45_000) await sim.step(t, 300);
}

describe('RolloutSimulator', () => {
  it('walks the canary 1 -> 5 -> 25 -> 100% and promotes an equal challenger', async () => {
    const actions: CanaryAction[] = [];
    const sim = new RolloutSimulator(
      { world: world('m@v1'), predict: predictor(0.2) },
      { world: world('m@v2'), predict: predictor(0.2) },
      settings({ kind: 'canary', policy }),
      { onCanaryAction: (a) => actions.push(a) },
    );
    await run(sim);
    expect(actions.map((a) => a.kind)).toEqual(['promote-step', 'promote-step', 'promote-full']);
    expect(sim.canary?.phase).toBe('promoted');
    const ledger = sim.checkLedger();
    expect(ledger.ok).toBe(true);
    expect(ledger.recorded).toBe(sim.traffic.nextRequestId);
    // After the promotion the challenger answers everything; before, a share grew step by step.
    expect(ledger.byVersion.get('m@v2')).toBeGreaterThan(ledger.byVersion.get('m@v1') ?? 0);
    expect(sim.decisions.every((d) => d.readings.length === 4)).toBe(true);
  });

  it('rolls back when the challenger is slow: the p99 guard breaks', async () => {
    const actions: CanaryAction[] = [];
    const sim = new RolloutSimulator(
      { world: world('m@v1'), predict: predictor(0.2) },
      { world: world('m@v2'), predict: predictor(50) },
      settings({ kind: 'canary', policy }),
      { onCanaryAction: (a) => actions.push(a) },
    );
    await run(sim);
    expect(actions.at(-1)?.kind).toBe('rollback');
    expect(actions.at(-1)?.reason).toMatch(/p99/);
    const p99 = sim.decisions.find((d) => d.action.kind === 'rollback')?.readings[2];
    expect(p99?.status).toBe('broken');
    expect(sim.routing.state.champion).toBe('m@v1');
    expect(sim.checkLedger().ok).toBe(true);
  });

  it('rolls back a challenger that predicts the wrong classes (mix and accuracy guards)', async () => {
    const sim = new RolloutSimulator(
      { world: world('m@v1'), predict: predictor(0.2) },
      { world: world('m@v2'), predict: predictor(0.2, 0.001, { flip: true }) },
      settings({ kind: 'canary', policy }),
    );
    await run(sim);
    expect(sim.canary?.phase).toBe('rolled-back');
  });

  it('shadow: the champion answers every request once, the challenger gets a copy of each', async () => {
    const sim = new RolloutSimulator(
      { world: world('m@v1'), predict: predictor(0.2) },
      { world: world('m@v2'), predict: predictor(0.2, 0.001, { flip: true }) },
      settings({ kind: 'shadow' }),
    );
    await run(sim);
    const ledger = sim.checkLedger();
    expect(ledger.ok).toBe(true);
    expect([...ledger.byVersion.keys()]).toEqual(['m@v1']);
    expect(ledger.shadowCopies).toBe(ledger.recorded);
    const compared = sim.agreement.compared.reduce((s, v) => s + v, 0);
    expect(compared).toBe(ledger.recorded);
    expect(sim.agreement.agreed.reduce((s, v) => s + v, 0)).toBe(0); // it always disagrees
  });

  it('A/B: sticky arms by user; a failing challenger is answered by the champion, none lost', async () => {
    const sim = new RolloutSimulator(
      { world: world('m@v1'), predict: predictor(0.2) },
      { world: world('m@v2'), predict: predictor(0.2, 0, { fail: true }) },
      settings({ kind: 'ab', percentB: 50 }),
    );
    await run(sim);
    const ledger = sim.checkLedger();
    expect(ledger.ok).toBe(true);
    expect([...ledger.byVersion.keys()]).toEqual(['m@v1']);
    expect(sim.arms[1].errors).toBeGreaterThan(0);
    expect(sim.arms[0].answered).toBe(ledger.recorded);
  });
});
