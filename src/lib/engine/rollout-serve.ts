/**
 * One batch of a two-version roll-out (rollout-sim.ts): route each request with core `route`,
 * send each version the rows it answers or shadows (one call per version, both at once), and
 * record every request ONCE in the ledger with the version that answered; shadow copies go to a
 * separate ledger and are never returned. A version whose call fails has its requests counted as
 * errors on its arm and retried once on the other version (the ledger then names the one that
 * answered). The routing is read when the batch starts: a batch in flight finishes on the
 * versions that took it, whatever the routing becomes meanwhile.
 *
 * Latency = queue wait + measured service time (CONTRACTS). Each version is one server with its
 * own queue. Both versions are called with the same number of rows (the smaller call is padded
 * with copies of its own rows, whose answers are dropped), and a request's service time is its
 * call's round trip divided by that number: the fixed cost of a worker call is shared alike, so a
 * 1% canary with three rows per call is not charged a whole call per request (which made an
 * identical model look 25x slower), while a slower model or an injected delay shows in full.
 */
import { Monitor } from '../core/monitor';
import type { RequestLedger } from '../core/prediction-log';
import { route, type RoutingPolicy, type RoutingState } from '../core/routing';
import { ServiceQueue, type PreparedBatch } from '../core/sim-step';
import type { TrafficBatch } from '../core/traffic';
import type { BatchPredictor, SimWorld } from './simulator';

/** One version in the roll-out: its endpoint, its queue and its monitor. */
export class RolloutArm {
  readonly versionId: string;
  readonly world: SimWorld;
  readonly predict: BatchPredictor;
  readonly queue = new ServiceQueue();
  readonly monitor: Monitor;
  /** Requests this version answered (returned to the caller). */
  answered = 0;
  /** Shadow copies it answered (logged, never returned). */
  copies = 0;
  /** Requests whose call to this version failed. */
  errors = 0;

  constructor(world: SimWorld, predict: BatchPredictor, windowMs: number, seed: number) {
    this.versionId = world.versionId;
    this.world = world;
    this.predict = predict;
    const { pool } = world;
    // Drift is the Operate screen's business: one sampled row per window (under the 30-row
    // minimum) keeps the per-window drift tests off, and with them their cost.
    this.monitor = new Monitor({
      windowMs,
      features: pool.features,
      nClasses: pool.nClasses,
      featureNames: world.featureNames,
      reference: world.reference,
      referenceAccuracy: world.referenceAccuracy,
      calibrator: world.calibrator,
      driftSampleSize: 1,
      seed,
    });
  }
}

/** Top-1 agreement of shadow copies with the answers returned, per window. */
export class Agreement {
  readonly compared: number[] = [];
  readonly agreed: number[] = [];
  add(window: number, same: boolean): void {
    while (this.compared.length <= window) {
      this.compared.push(0);
      this.agreed.push(0);
    }
    this.compared[window]++;
    if (same) this.agreed[window]++;
  }
}

export type Routing = { policy: RoutingPolicy; state: RoutingState };
export type BatchSinks = {
  ledger: RequestLedger;
  shadowLedger: RequestLedger;
  agreement: Agreement;
};

type Call = { ok: true; probs: Float32Array; serviceMs: number } | { ok: false };

function argmax(p: ArrayLike<number>, row: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[row * k + c] > p[row * k + best]) best = c;
  return best;
}

/** Rows `idx` of `x` stacked, then padded to `size` rows with repeats of themselves. */
function gather(x: Float32Array, f: number, idx: readonly number[], size: number): Float32Array {
  const out = new Float32Array(size * f);
  for (let r = 0; r < size; r++) {
    const i = idx[r % idx.length];
    out.set(x.subarray(i * f, (i + 1) * f), r * f);
  }
  return out;
}

async function call(arm: RolloutArm, x: Float32Array, rows: number): Promise<Call> {
  try {
    const { probabilities, roundTripMs } = await arm.predict(x, rows);
    return { ok: true, probs: probabilities, serviceMs: roundTripMs / rows };
  } catch {
    return { ok: false };
  }
}

/**
 * Serves one prepared batch on the two arms.
 * @throws when a request cannot be answered by either version (the retry failed too).
 */
export async function serveRollout(
  b: TrafficBatch,
  p: PreparedBatch,
  routing: Routing,
  arms: readonly [RolloutArm, RolloutArm],
  sinks: BatchSinks,
  windowMs: number,
): Promise<void> {
  const n = b.count;
  const f = p.x.length / Math.max(1, n);
  const k = arms[0].world.pool.nClasses;
  const armOf = (id: string) => (id === arms[1].versionId ? 1 : 0);
  const primary = new Uint8Array(n);
  const shadowed = new Uint8Array(n);
  const sent: [number[], number[]] = [[], []];
  for (let i = 0; i < n; i++) {
    const d = route(String(b.requestId[i]), String(b.userId[i]), routing.policy, routing.state);
    primary[i] = armOf(d.primary);
    sent[primary[i]].push(i);
    if (d.shadow !== undefined && armOf(d.shadow) !== primary[i]) {
      shadowed[i] = 1;
      sent[1 - primary[i]].push(i);
    }
  }
  for (const s of sent) s.sort((a, c) => a - c);
  const size = Math.max(sent[0].length, sent[1].length);
  const calls = await Promise.all(
    sent.map((idx, a) =>
      idx.length === 0 ? null : call(arms[a], gather(p.x, f, idx, size), size),
    ),
  );
  // Where each sent row sits in its arm's call, and the retries of failed primaries.
  const slot: [Int32Array, Int32Array] = [new Int32Array(n).fill(-1), new Int32Array(n).fill(-1)];
  sent.forEach((idx, a) => idx.forEach((i, r) => (slot[a][i] = r)));
  const retries: [number[], number[]] = [[], []];
  for (let i = 0; i < n; i++) {
    const a = primary[i];
    if (!calls[a]?.ok) retries[1 - a].push(i);
  }
  const retried = await Promise.all(
    retries.map((idx, a) =>
      idx.length === 0 ? null : call(arms[a], gather(p.x, f, idx, idx.length), idx.length),
    ),
  );
  const retrySlot = new Int32Array(n).fill(-1);
  retries.forEach((idx) => idx.forEach((i, r) => (retrySlot[i] = r)));
  for (let a = 0; a < 2; a++) {
    const r = retried[a];
    if (retries[a].length > 0 && !r?.ok) {
      throw new Error(
        `${arms[1 - a].versionId} failed and the retry on ${arms[a].versionId} failed too`,
      );
    }
  }
  // Per arm, in arrival order (a monitor's clock only moves forward).
  const firstLatency = new Float64Array(n);
  for (let a = 0; a < 2; a++) {
    const arm = arms[a];
    const c = calls[a];
    for (let i = 0; i < n; i++) {
      const t = b.timeMs[i];
      const arrived = !Number.isNaN(p.arrivals[i]);
      const label = arrived ? { label: p.labels[i], labelAtMs: p.arrivals[i] } : {};
      if (slot[a][i] >= 0 && c) {
        const latencyMs = arm.queue.latency(t, c.ok ? c.serviceMs : 0);
        firstLatency[i] = latencyMs;
        if (!c.ok) {
          arm.errors++;
          arm.monitor.record({ timeMs: t, outcome: 'error', latencyMs });
          continue;
        }
        const row = slot[a][i];
        const predicted = argmax(c.probs, row, k);
        const confidence = Math.min(1, c.probs[row * k + predicted]);
        const mine = primary[i] === a;
        arm.monitor.record({
          timeMs: t,
          features: p.x,
          featuresOffset: i * f,
          predicted,
          confidence,
          latencyMs,
          ...label,
        });
        if (mine) {
          arm.answered++;
          sinks.ledger.record(b.requestId[i], arm.versionId);
        } else {
          arm.copies++;
          sinks.shadowLedger.record(b.requestId[i], arm.versionId);
          const other = calls[1 - a];
          if (other?.ok) {
            const same = argmax(other.probs, slot[1 - a][i], k) === predicted;
            sinks.agreement.add(Math.floor(t / windowMs), same);
          }
        }
      }
    }
  }
  // Retries last: recorded on the arm that answered, after its own rows of the batch only when
  // they arrive later (an arm's clock may not go back), so they are merged in arrival order.
  for (let a = 0; a < 2; a++) {
    const r = retried[a];
    if (!r?.ok) continue;
    const arm = arms[a];
    for (const i of retries[a]) {
      const row = retrySlot[i];
      const predicted = argmax(r.probs, row, k);
      arm.answered++;
      sinks.ledger.record(b.requestId[i], arm.versionId);
      arm.monitor.record({
        timeMs: Math.max(b.timeMs[i], lastTime(b, slot[a], n)),
        features: p.x,
        featuresOffset: i * f,
        predicted,
        confidence: Math.min(1, r.probs[row * k + predicted]),
        latencyMs: firstLatency[i] + r.serviceMs,
      });
    }
  }
}

/** Arrival of the last row an arm saw in this batch (its monitor's clock), or -Infinity. */
function lastTime(b: TrafficBatch, slot: Int32Array, n: number): number {
  for (let i = n - 1; i >= 0; i--) if (slot[i] >= 0) return b.timeMs[i];
  return -Infinity;
}
