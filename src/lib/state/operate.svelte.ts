/**
 * The Operate screen's state: which registry version serves the simulated traffic (through a real
 * Endpoint), the OperateSpec (seed, rate, length, window, scenarios, thresholds), the speed, and
 * the current snapshot of the run (windows, alerts, the last drift verdict, the log, counters),
 * copied from the engine's Simulator at most every 250 ms and whenever a window closes. Runs are
 * saved after each closed window (debounced) and on pause; after a reload the last run is shown
 * read-only, and Play resumes it by replaying from the start at full speed to the saved time
 * (same seed, same stream: deterministic), then goes on at the chosen speed. Helpers: the spec
 * (operate-spec), saving (operate-session), the version's world (operate-world, lazy), digits
 * previews (operate-images), and this file's runner (operate-runner).
 */
import type { DatasetDriftResult } from '../core/drift';
import {
  DEFAULT_ALERT_THRESHOLDS,
  type AlertRule,
  type AlertThresholds,
} from '../core/sim-monitor-types';
import type { Scenario } from '../core/sim-scenario-types';
import type { Speed } from '../engine/simulator-loop';
import type { RuntimeId } from '../protocol/serve';
import type { AppDb } from '../storage';
import { latestSimSession, saveSimSession } from '../storage/sim-sessions';
import type { DigitPreview } from './operate-images';
import { OperateRunner, type RunFacts } from './operate-runner.svelte';
import { restoreSession, sessionRecord, type OperateSnapshot } from './operate-session';
import {
  DEFAULT_OPERATE_SPEC,
  parseOperateSpec,
  type OperateDataset,
  type OperateSpec,
} from './operate-spec';
import { readServableVersions } from './serving-catalog.svelte';
import { defaultVersionId, type ServableVersion } from './serving-ops';

export type { OperateSnapshot } from './operate-session';
export type { OperateStatus, RunFacts } from './operate-runner.svelte';

/** The speeds offered: simulated seconds per real second. */
export const SPEEDS: readonly { value: Speed; label: string }[] = Object.freeze([
  { value: 60, label: '1 simulated minute per second' },
  { value: 600, label: '10 simulated minutes per second' },
  { value: 3600, label: '1 simulated hour per second' },
  { value: 21_600, label: '6 simulated hours per second' },
  { value: 'max', label: 'As fast as the endpoint answers' },
]);

const REGISTRY_ID: Record<OperateDataset, string> = {
  digits: 'digits',
  'breast-cancer': 'breast_cancer',
};
const SAVED_AT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class OperateState {
  #versions = $state.raw<ServableVersion[]>([]);
  #versionsLoaded = $state(false);
  #versionId = $state<string | null>(null);
  #runtime = $state<RuntimeId>('ort-wasm');
  #spec = $state.raw<OperateSpec>(DEFAULT_OPERATE_SPEC);
  #speed = $state<Speed>(3600);
  #notice = $state<string | null>(null);
  #saveError = $state<string | null>(null);
  #preview = $state.raw<DigitPreview | null>(null);
  #pool: { versionId: string; x: Float32Array; y: Int32Array } | null = null;
  #session: { id: string; createdAt: number } | null = null;
  /** A scenario link or file chose the spec: the last saved run is not restored over it. */
  #opened = false;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #db: AppDb;
  readonly #runner: OperateRunner;
  readonly #clock: () => number;

  constructor(db: AppDb, options: { clock?: () => number } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? Date.now;
    this.#runner = new OperateRunner(db, {
      speed: () => this.#speed,
      onWindowClosed: () => this.#scheduleSave(),
      onStopped: () => this.#saveNow(),
    });
  }

  // The run.
  get status() {
    return this.#runner.status;
  }
  get error(): string | null {
    return this.#runner.error;
  }
  get snapshot(): OperateSnapshot {
    return this.#runner.snapshot;
  }
  get lastDrift(): DatasetDriftResult | null {
    return this.#runner.lastDrift;
  }
  get activeAlerts(): readonly AlertRule[] {
    return this.#runner.activeAlerts;
  }
  /** The served version's facts once a run has started (pool size, reference, runtime). */
  get facts(): RunFacts | null {
    return this.#runner.facts;
  }
  /** The snapshot comes from storage; Play resumes it by replaying to its time. */
  get restored(): boolean {
    return this.#runner.restored;
  }
  /** Settings that shape the stream (version, seed, rate...) are fixed while a run exists. */
  get locked(): boolean {
    return this.#runner.hasRun;
  }
  /** What was restored, or why a saved run could not be. */
  get notice(): string | null {
    return this.#notice;
  }
  get saveError(): string | null {
    return this.#saveError;
  }
  get preview(): DigitPreview | null {
    return this.#preview;
  }

  // Settings.
  get spec(): OperateSpec {
    return this.#spec;
  }
  get thresholds(): AlertThresholds {
    return { ...DEFAULT_ALERT_THRESHOLDS, ...this.#spec.thresholds };
  }
  get speed(): Speed {
    return this.#speed;
  }
  set speed(s: Speed) {
    if (SPEEDS.some((x) => x.value === s)) this.#speed = s;
  }
  get runtime(): RuntimeId {
    return this.#runtime;
  }
  set runtime(r: RuntimeId) {
    if (!this.locked) this.#runtime = r;
  }
  get versionsLoaded(): boolean {
    return this.#versionsLoaded;
  }
  /** Registry versions trained on the spec's data set. */
  get versions(): readonly ServableVersion[] {
    return this.#versions.filter((v) => v.datasetId === REGISTRY_ID[this.#spec.dataset]);
  }
  get versionId(): string | null {
    return this.#versionId;
  }
  set versionId(id: string | null) {
    if (this.locked || !this.versions.some((v) => v.id === id)) return;
    this.#versionId = id;
    this.#refreshPreview();
  }

  /** Reads the registry and the last saved run (shown read-only until Play). */
  async load(): Promise<void> {
    this.#versions = await readServableVersions(this.#db);
    this.#versionsLoaded = true;
    if (!this.#versionId || !this.versions.some((v) => v.id === this.#versionId))
      this.#versionId = defaultVersionId(this.versions);
    if (this.#runner.hasRun || this.#session || this.#opened) return this.#refreshPreview();
    const saved = await latestSimSession(this.#db);
    if (saved) {
      const r = restoreSession(saved);
      if (!r.ok) this.#notice = `The last simulation could not be restored: ${r.error}`;
      else if (!this.#versions.some((v) => v.id === r.session.versionId))
        this.#notice = `The last simulation served ${r.session.versionId}, which is no longer in the registry.`;
      else {
        const { session } = r;
        this.#spec = session.spec;
        this.#versionId = session.versionId;
        this.#session = { id: session.id, createdAt: session.createdAt };
        this.#runner.restore(session.snapshot);
        this.#notice = `Restored the last simulation (saved ${SAVED_AT.format(saved.updatedAt)}). Press Play to resume it: it replays from the start to where it stopped, then goes on.`;
      }
    }
    this.#refreshPreview();
  }

  /** After a workspace restore or reset: forgets the run on screen and reads storage again. */
  async reload(): Promise<void> {
    this.#runner.leave();
    this.#runner.reset();
    this.#session = null;
    this.#notice = null;
    this.#pool = null;
    this.#opened = false;
    await this.load();
  }

  /**
   * Loads a spec handed out as a scenario link or file into the setup, without playing it: the
   * run on screen is put aside (saved runs stay saved). Call it after `load()`. The spec already
   * in force (the link opened again, or a reload that restored the link's run) changes nothing.
   * @returns whether the spec was loaded (false: it was already the one in force).
   */
  openScenario(spec: OperateSpec): boolean {
    if (JSON.stringify(spec) === JSON.stringify(this.#spec)) return false;
    this.#runner.reset();
    this.#session = null;
    this.#opened = true;
    this.#spec = spec;
    if (!this.versions.some((v) => v.id === this.#versionId))
      this.#versionId = defaultVersionId(this.versions);
    this.#notice =
      'Loaded the simulation from the scenario link: its data set, seed, traffic, scenarios and thresholds are set below. Press Play to start it.';
    this.#refreshPreview();
    return true;
  }

  /** Chooses the data set (clears the scenarios, which depend on it). */
  setDataset(dataset: OperateDataset): void {
    if (this.locked || dataset === this.#spec.dataset) return;
    this.#spec = { ...this.#spec, dataset, scenarios: [] };
    this.#versionId = defaultVersionId(this.versions);
    this.#refreshPreview();
  }

  /**
   * Changes settings; a change that shapes the stream waits for Reset.
   * @returns null, or what is wrong (nothing changes then).
   */
  updateSpec(patch: Partial<OperateSpec>): string | null {
    const shapes = ['dataset', 'seed', 'requestsPerSecond', 'durationSeconds', 'windowMinutes'];
    if (this.locked && Object.keys(patch).some((k) => shapes.includes(k)))
      return 'Reset the simulation before changing its seed, rate, length or window.';
    const parsed = parseOperateSpec({ ...this.#spec, ...patch });
    if (!parsed.ok) return parsed.error;
    const live = this.#runner.applyLive(parsed.spec);
    if (live) return live;
    this.#spec = parsed.spec;
    if ('scenarios' in patch) this.#refreshPreview();
    return null;
  }

  addScenario(s: Scenario): string | null {
    return this.updateSpec({ scenarios: [...this.#spec.scenarios, s] });
  }

  removeScenario(index: number): void {
    this.updateSpec({ scenarios: this.#spec.scenarios.filter((_, i) => i !== index) });
  }

  setThresholds(t: Partial<AlertThresholds>): string | null {
    return this.updateSpec({ thresholds: { ...this.#spec.thresholds, ...t } });
  }

  async play(): Promise<void> {
    const id = this.#versionId;
    if (!id) return;
    if (!this.#session) this.#session = { id: `sim-${this.#clock()}`, createdAt: this.#clock() };
    this.#notice = null;
    await this.#runner.play(id, this.#runtime, this.#spec);
  }

  pause(): void {
    this.#runner.pause();
  }

  /** Forgets the run on screen (saved runs stay saved); settings stay. */
  reset(): void {
    this.#runner.reset();
    this.#session = null;
    this.#notice = null;
  }

  /** @returns null, or why the jump did not happen. */
  async jumpTo(ms: number): Promise<string | null> {
    const id = this.#versionId;
    if (!id) return 'Choose a model version first.';
    if (!this.#session) this.#session = { id: `sim-${this.#clock()}`, createdAt: this.#clock() };
    return this.#runner.jumpTo(ms, id, this.#runtime, this.#spec);
  }

  /** Stops the run and the endpoint (leaving the screen); the last state stays saved. */
  leave(): void {
    this.#runner.leave();
  }

  /** For ExplainDrift: a feature's reference column and its values in the last served requests. */
  featureSample(feature: number): { reference: Float64Array; current: Float64Array } | null {
    return this.#runner.featureSample(feature);
  }

  #refreshPreview(): void {
    const id = this.#versionId;
    if (this.#spec.dataset !== 'digits' || !id) return void (this.#preview = null);
    const spec = this.#spec;
    // The pool and the image code load with the simulator's module, not with the first paint.
    import('./operate-world')
      .then(async (lib) => {
        const pool =
          this.#pool?.versionId === id
            ? this.#pool
            : (this.#pool = { versionId: id, ...(await lib.loadPool(this.#db, id)) });
        if (this.#spec === spec)
          this.#preview = lib.digitPreview(pool.x, pool.y, spec.scenarios, spec.seed);
      })
      .catch(() => (this.#preview = null)); // no preview rather than a broken screen
  }

  #scheduleSave(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => this.#saveNow(), 1000);
  }

  #saveNow(): void {
    clearTimeout(this.#saveTimer);
    const session = this.#session;
    const id = this.#versionId;
    if (!session || !id || this.#runner.snapshot.served === 0) return;
    const record = sessionRecord(
      { ...session, versionId: id, spec: this.#spec },
      this.#runner.snapshot,
      this.#clock(),
    );
    saveSimSession(this.#db, record).then(
      () => (this.#saveError = null),
      (err: unknown) => (this.#saveError = `The simulation could not be saved: ${message(err)}`),
    );
  }
}
