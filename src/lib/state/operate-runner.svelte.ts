/**
 * The running part of the Operate screen: the version's world and endpoint (opened once per
 * version and runtime), the engine's Simulator and its play loop, and the reactive copy of what
 * the run produced. OperateState owns the settings and saving; this owns the lifecycle.
 */
import type { DatasetDriftResult } from '../core/drift';
import type { AlertRule } from '../core/sim-monitor-types';
import type { Simulator } from '../engine/simulator';
import type { Speed } from '../engine/simulator-loop';
import type { RuntimeId } from '../protocol/serve';
import type { AppDb } from '../storage';
import { EMPTY_SNAPSHOT, SAVED_LOG_ENTRIES, type OperateSnapshot } from './operate-session';
import type { OperateSpec } from './operate-spec';
import type { OpenWorld } from './operate-world';

type Lib = typeof import('./operate-world');

export type OperateStatus = 'idle' | 'starting' | 'playing' | 'paused' | 'done' | 'failed';

/** What the served version brings to the run, for the "about this simulation" text. */
export type RunFacts = {
  versionId: string;
  runtime: string;
  poolRows: number;
  referenceRows: number;
  referenceAccuracy: number;
  featureNames: readonly string[];
  nClasses: number;
};

/** Copies of the live run reach the screen at most this often (and at every window close). */
const COPY_INTERVAL_MS = 250;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class OperateRunner {
  #status = $state<OperateStatus>('idle');
  #error = $state<string | null>(null);
  #snapshot = $state.raw<OperateSnapshot>(EMPTY_SNAPSHOT);
  #lastDrift = $state.raw<DatasetDriftResult | null>(null);
  #active = $state.raw<AlertRule[]>([]);
  #facts = $state.raw<RunFacts | null>(null);
  #restored = $state(false);
  // Not reactive: the world (endpoint inside), the simulator and the loop.
  #open: OpenWorld | null = null;
  #openKey = '';
  #sim: Simulator | null = null;
  #controller: AbortController | null = null;
  #loop: Promise<void> | null = null;
  #resumeAtMs = 0;
  #lastCopy = 0;
  readonly #db: AppDb;
  readonly #hooks: { speed: () => Speed; onWindowClosed: () => void; onStopped: () => void };

  constructor(
    db: AppDb,
    hooks: { speed: () => Speed; onWindowClosed: () => void; onStopped: () => void },
  ) {
    this.#db = db;
    this.#hooks = hooks;
  }

  get status(): OperateStatus {
    return this.#status;
  }
  get error(): string | null {
    return this.#error;
  }
  get snapshot(): OperateSnapshot {
    return this.#snapshot;
  }
  get lastDrift(): DatasetDriftResult | null {
    return this.#lastDrift;
  }
  get activeAlerts(): readonly AlertRule[] {
    return this.#active;
  }
  get facts(): RunFacts | null {
    return this.#facts;
  }
  get restored(): boolean {
    return this.#restored;
  }
  get hasRun(): boolean {
    return this.#sim !== null || this.#restored;
  }

  /** Shows a saved run read-only. */
  restore(snapshot: OperateSnapshot): void {
    this.reset();
    this.#snapshot = snapshot;
    this.#restored = true;
    this.#status = 'paused';
  }

  /** Applies scenarios and thresholds to the running simulation; returns why not, or null. */
  applyLive(spec: OperateSpec): string | null {
    const sim = this.#sim;
    if (!sim) return null;
    try {
      sim.setScenarios(spec.scenarios);
      sim.monitor.setThresholds(spec.thresholds ?? {});
      return null;
    } catch (err) {
      return message(err);
    }
  }

  async #ensureSim(versionId: string, runtime: RuntimeId, spec: OperateSpec): Promise<Simulator> {
    if (this.#sim) return this.#sim;
    const lib: Lib = await import('./operate-world');
    const key = `${versionId}|${runtime}`;
    if (!this.#open || this.#openKey !== key) {
      this.#open?.endpoint.stop();
      this.#open = null;
      this.#open = await lib.openWorld(this.#db, versionId, runtime);
      this.#openKey = key;
    }
    const { world, info } = this.#open;
    this.#facts = {
      versionId,
      runtime: info.runtime,
      poolRows: world.pool.y.length,
      referenceRows: world.reference.length / world.pool.features,
      referenceAccuracy: world.referenceAccuracy,
      featureNames: world.featureNames,
      nClasses: world.pool.nClasses,
    };
    const endpoint = this.#open.endpoint;
    this.#sim = new lib.Simulator(
      world,
      {
        seed: spec.seed,
        requestsPerSecond: spec.requestsPerSecond,
        durationSeconds: spec.durationSeconds,
        windowMs: spec.windowMinutes * 60_000,
        scenarios: spec.scenarios,
        thresholds: spec.thresholds,
      },
      (x, rows) => endpoint.predictBatch(x, rows),
    );
    return this.#sim;
  }

  async play(versionId: string, runtime: RuntimeId, spec: OperateSpec): Promise<void> {
    if (this.#status === 'starting' || this.#status === 'playing' || this.#status === 'done')
      return;
    this.#error = null;
    const resuming = this.#restored && !this.#sim;
    this.#status = 'starting';
    let sim: Simulator;
    try {
      sim = await this.#ensureSim(versionId, runtime, spec);
    } catch (err) {
      this.#status = 'failed';
      this.#error = `The simulation could not start: ${message(err)}`;
      return;
    }
    if (this.#status !== 'starting') return; // reset or left meanwhile
    if (resuming) this.#resumeAtMs = this.#snapshot.simTimeMs;
    this.#restored = false;
    this.#status = 'playing';
    const controller = new AbortController();
    this.#controller = controller;
    const lib: Lib = await import('./operate-world');
    const loop = lib
      .playSimulation(sim, {
        speed: () => (sim.simTimeMs < this.#resumeAtMs ? 'max' : this.#hooks.speed()),
        signal: controller.signal,
        onProgress: () => this.#progress(sim),
      })
      .then(
        (r) => {
          if (this.#sim !== sim) return;
          this.#copy(sim, true);
          this.#status = r === 'done' ? 'done' : 'paused';
          this.#hooks.onStopped();
        },
        (err: unknown) => {
          if (this.#sim !== sim) return;
          this.#copy(sim, true);
          this.#status = 'failed';
          this.#error = `The endpoint failed during the simulation: ${message(err)}`;
          this.#hooks.onStopped();
        },
      );
    this.#loop = loop;
    await loop;
  }

  pause(): void {
    this.#controller?.abort();
  }

  async #halt(): Promise<void> {
    this.#controller?.abort();
    this.#controller = null;
    await this.#loop;
    this.#loop = null;
  }

  reset(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.#sim = null;
    this.#restored = false;
    this.#resumeAtMs = 0;
    this.#snapshot = EMPTY_SNAPSHOT;
    this.#lastDrift = null;
    this.#active = [];
    this.#status = 'idle';
    this.#error = null;
  }

  async jumpTo(
    ms: number,
    versionId: string,
    runtime: RuntimeId,
    spec: OperateSpec,
  ): Promise<string | null> {
    if (!Number.isFinite(ms) || ms < 0) return 'The time to jump to must be a number >= 0.';
    if (this.#status === 'starting') return 'Wait for the simulation to start.';
    const wasPlaying = this.#status === 'playing';
    await this.#halt();
    // Backwards (or from a restored run): a fresh run from the start, then forward.
    if (this.#restored || (this.#sim && ms < this.#sim.simTimeMs)) this.reset();
    try {
      const sim = await this.#ensureSim(versionId, runtime, spec);
      sim.jumpForward(ms);
      this.#copy(sim, true);
      this.#status = sim.done ? 'done' : 'paused';
      this.#hooks.onStopped();
    } catch (err) {
      this.#status = 'failed';
      this.#error = message(err);
      return this.#error;
    }
    if (wasPlaying) void this.play(versionId, runtime, spec);
    return null;
  }

  /** Stops the loop and the endpoint; the snapshot stays (as a restored run). */
  leave(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.#open?.endpoint.stop();
    this.#open = null;
    this.#openKey = '';
    if (this.#sim) {
      // Saved now: the loop's own end (after the abort) no longer belongs to this run.
      if (this.#status === 'playing') {
        this.#copy(this.#sim, true);
        this.#hooks.onStopped();
      }
      this.#sim = null;
      this.#restored = this.#snapshot.served > 0;
      if (this.#status !== 'done') this.#status = this.#restored ? 'paused' : 'idle';
    }
  }

  featureSample(feature: number): { reference: Float64Array; current: Float64Array } | null {
    const sim = this.#sim;
    if (!sim) return null;
    const { reference, pool } = sim.world;
    const f = pool.features;
    if (!(Number.isInteger(feature) && feature >= 0 && feature < f)) return null;
    const rows = reference.length / f;
    const ref = new Float64Array(rows);
    for (let r = 0; r < rows; r++) ref[r] = reference[r * f + feature];
    return { reference: ref, current: sim.recentColumn(feature) };
  }

  #progress(sim: Simulator): void {
    const closed = sim.monitor.windows.length !== this.#snapshot.windows.length;
    if (!closed && performance.now() - this.#lastCopy < COPY_INTERVAL_MS) return;
    this.#copy(sim, false);
    if (closed) this.#hooks.onWindowClosed();
  }

  #copy(sim: Simulator, full: boolean): void {
    this.#lastCopy = performance.now();
    const m = sim.monitor;
    this.#snapshot = {
      simTimeMs: sim.simTimeMs,
      endMs: sim.endMs,
      served: sim.served,
      skipped: sim.skipped,
      windows: m.windows.slice(),
      alerts: m.alerts.slice(),
      log: sim.log.records().slice(-SAVED_LOG_ENTRIES),
      ledger: full
        ? sim.checkLedger()
        : { ...this.#snapshot.ledger, recorded: sim.ledger.recorded },
    };
    this.#lastDrift = m.lastDrift;
    this.#active = m.activeAlerts;
  }
}
