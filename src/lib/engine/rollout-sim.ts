/**
 * A roll-out on simulated traffic: the champion and the challenger, each served by its own real
 * endpoint, on one seeded stream of requests (core traffic, scenarios and per-request draws
 * shared with the Operate simulator through core/sim-step.ts). Routing is core `route`: a canary
 * percentage, a shadow copy, or a sticky A/B split. Per version a Monitor keeps the windows
 * (requests, errors, latency p50/p99, predicted-class mix, accuracy on arrived labels); a ledger
 * proves every request answered once. In canary mode core's rollout-policy state machine judges
 * each closed window and moves the percentage; `onCanaryAction` tells the caller (who moves the
 * registry's aliases). Driven by simulated time: `step(untilMs)` as in simulator.ts.
 */
import { RequestLedger, type LedgerCheck } from '../core/prediction-log';
import {
  startCanary,
  step as canaryStep,
  type CanaryAction,
  type CanaryPolicy,
  type CanaryState,
} from '../core/rollout-policy';
import { compileScenarios, type ScenarioSet } from '../core/scenarios';
import { requestRngs } from '../core/sim-random';
import { BatchBuffers, prepareBatch } from '../core/sim-step';
import { createTraffic, type Traffic, type TrafficBatch } from '../core/traffic';
import { armMetrics, guardReadings, type GuardReading } from './rollout-guards';
import { Agreement, RolloutArm, serveRollout, type Routing } from './rollout-serve';
import { halfOpen, SEASONALITY, USERS, type BatchPredictor, type SimWorld } from './simulator';

export { RolloutArm, Agreement } from './rollout-serve';

export type RolloutMode =
  | { kind: 'canary'; policy: CanaryPolicy }
  | { kind: 'shadow' }
  /** `percentB` of users (0..100) see the challenger. */
  | { kind: 'ab'; percentB: number };

export type RolloutSettings = {
  seed: number;
  requestsPerSecond: number;
  durationSeconds: number;
  windowMs: number;
  mode: RolloutMode;
};

/** One canary decision with the guard figures of the window that led to it. */
export type CanaryDecision = { window: number; action: CanaryAction; readings: GuardReading[] };

export type RolloutOptions = {
  /** Requests per traffic batch (default 256). */
  batchSize?: number;
  /** After every canary decision that is not 'hold' (a step, the promotion, a rollback). */
  onCanaryAction?: (action: CanaryAction) => void;
};

export class RolloutSimulator {
  readonly settings: Readonly<RolloutSettings>;
  /** [champion, challenger] when the roll-out started. */
  readonly arms: readonly [RolloutArm, RolloutArm];
  readonly traffic: Traffic;
  readonly ledger = new RequestLedger({ onDuplicate: 'flag' });
  /** Shadow copies, kept apart: they are answered but never returned. */
  readonly shadowLedger = new RequestLedger({ onDuplicate: 'flag' });
  readonly agreement = new Agreement();
  /** Every window the canary judged, with its readings (holds included). */
  readonly decisions: CanaryDecision[] = [];
  #canary: CanaryState | null = null;
  #routing: Routing;
  readonly #scenarios: ScenarioSet;
  readonly #buf: BatchBuffers;
  readonly #rngFor: ReturnType<typeof requestRngs>;
  readonly #onAction: (a: CanaryAction) => void;
  #held: TrafficBatch | null = null;
  #heldPos = 0;
  #clockMs = 0;
  #judged = 0;
  /** False once routing was taken out of the canary's hands (serveOnly). */
  #canaryOn = true;
  #busy = false;

  /**
   * @param champion and `challenger`: the two versions' worlds and predictors; the traffic
   *   draws from the champion's production pool (both must take the same inputs: check
   *   `canaryCompatible` first).
   * @throws Error naming the field when the settings are invalid.
   */
  constructor(
    champion: { world: SimWorld; predict: BatchPredictor },
    challenger: { world: SimWorld; predict: BatchPredictor },
    settings: RolloutSettings,
    options: RolloutOptions = {},
  ) {
    if (champion.world.versionId === challenger.world.versionId)
      throw new Error('The champion and the challenger are the same version.');
    if (!(settings.windowMs > 0)) throw new Error('The window must be longer than 0 ms.');
    this.settings = { ...settings };
    const { pool } = champion.world;
    this.arms = [
      new RolloutArm(champion.world, champion.predict, settings.windowMs, settings.seed),
      new RolloutArm(challenger.world, challenger.predict, settings.windowMs, settings.seed),
    ];
    this.traffic = createTraffic({
      seed: settings.seed,
      ratePerSecond: settings.requestsPerSecond,
      durationSeconds: settings.durationSeconds,
      seasonality: SEASONALITY,
      users: USERS,
      poolSize: pool.y.length,
    });
    this.#scenarios = compileScenarios([], {
      dataset: champion.world.dataset,
      features: pool.features,
      nClasses: pool.nClasses,
      poolLabels: pool.y,
    });
    this.#buf = new BatchBuffers(options.batchSize ?? 256, pool.features);
    this.#rngFor = requestRngs(settings.seed);
    this.#onAction = options.onCanaryAction ?? (() => undefined);
    const state = { champion: this.arms[0].versionId, challenger: this.arms[1].versionId };
    const m = settings.mode;
    if (m.kind === 'canary') {
      this.#canary = startCanary(m.policy, 0);
      const salt = `rollout-${settings.seed}`;
      this.#routing = { policy: { kind: 'canary', percent: this.#canary.percent, salt }, state };
    } else if (m.kind === 'shadow') {
      this.#routing = { policy: { kind: 'shadow' }, state };
    } else {
      const salt = `ab-${settings.seed}`;
      this.#routing = { policy: { kind: 'ab', percentB: m.percentB, salt }, state };
    }
  }

  get canary(): CanaryState | null {
    return this.#canary;
  }
  get routing(): Routing {
    return this.#routing;
  }
  get simTimeMs(): number {
    return this.#clockMs;
  }
  get endMs(): number {
    return this.traffic.endMs;
  }
  get done(): boolean {
    return this.#clockMs >= this.traffic.endMs;
  }

  /**
   * From the next batch on, every request goes to `versionId` alone (a rollback, or the end of
   * a canary); a batch in flight finishes on the versions that took it. Stops the canary.
   * @throws when the version is not one of the two served here.
   */
  serveOnly(versionId: string): void {
    if (!this.arms.some((a) => a.versionId === versionId))
      throw new Error(`${versionId} is not served in this roll-out.`);
    this.#routing = { policy: { kind: 'single' }, state: { champion: versionId } };
    this.#canaryOn = false;
  }

  /** "None lost, none answered twice" over the requests handed out so far. */
  checkLedger(): LedgerCheck & { byVersion: Map<string, number>; shadowCopies: number } {
    const pending = this.#held ? this.#held.count - this.#heldPos : 0;
    return {
      ...this.ledger.verify(this.traffic.nextRequestId - pending),
      byVersion: this.ledger.countsByVersion(),
      shadowCopies: this.shadowLedger.recorded,
    };
  }

  #next(): TrafficBatch | null {
    if (this.#held && this.#heldPos < this.#held.count) return this.#held;
    if (this.traffic.done) return null;
    this.#held = this.traffic.next(this.#buf.capacity);
    this.#heldPos = 0;
    return this.#held;
  }

  /**
   * Serves the requests that arrive before `untilMs` (at most about `maxRequests`, in whole
   * batches), then moves the clock and judges the windows that closed.
   * @returns requests served in this call.
   * @throws when neither version can answer a request.
   */
  async step(untilMs: number, maxRequests = Infinity): Promise<number> {
    if (this.#busy) throw new Error('The roll-out is already stepping.');
    this.#busy = true;
    try {
      const until = Math.min(untilMs, this.traffic.endMs);
      let handled = 0;
      while (handled < maxRequests) {
        const held = this.#next();
        if (!held) break;
        let end = this.#heldPos;
        const cap = Math.min(held.count, this.#heldPos + (maxRequests - handled));
        while (end < cap && held.timeMs[end] < until) end++;
        if (end === this.#heldPos) break;
        const b = halfOpen(held, this.#heldPos, end);
        const p = prepareBatch(
          b,
          this.arms[0].world.pool,
          this.#scenarios,
          this.#rngFor,
          this.#buf,
        );
        const sinks = {
          ledger: this.ledger,
          shadowLedger: this.shadowLedger,
          agreement: this.agreement,
        };
        await serveRollout(b, p, this.#routing, this.arms, sinks, this.settings.windowMs);
        this.#heldPos = end;
        handled += b.count;
        this.#clockMs = b.timeMs[b.count - 1];
        this.#judge();
      }
      const more = this.#next();
      if (!more || more.timeMs[this.#heldPos] >= until) {
        this.#clockMs = Math.max(this.#clockMs, until);
        for (const arm of this.arms) arm.monitor.advanceTo(this.#clockMs);
        this.#judge();
      }
      return handled;
    } finally {
      this.#busy = false;
    }
  }

  /** Feeds every window both monitors have closed to the canary state machine. */
  #judge(): void {
    const [h, c] = this.arms.map((a) => a.monitor.windows);
    for (const arm of this.arms) arm.monitor.advanceTo(this.#clockMs);
    while (this.#judged < Math.min(h.length, c.length)) {
      const i = this.#judged++;
      const state = this.#canary;
      if (!state || state.phase !== 'canary' || !this.#canaryOn) continue;
      const window = { atMs: h[i].endMs, champion: armMetrics(h[i]), challenger: armMetrics(c[i]) };
      const readings = guardReadings(state.totals, window, state.policy.guards);
      const next = canaryStep(state, window);
      this.#canary = next.state;
      this.decisions.push({ window: i, action: next.action, readings });
      const a = next.action;
      if (a.kind === 'promote-step' && this.#routing.policy.kind === 'canary') {
        this.#routing = {
          ...this.#routing,
          policy: { ...this.#routing.policy, percent: a.percent },
        };
      } else if (a.kind === 'promote-full') this.serveOnly(this.arms[1].versionId);
      else if (a.kind === 'rollback') this.serveOnly(this.arms[0].versionId);
      if (a.kind !== 'hold') this.#onAction(a);
    }
  }
}
