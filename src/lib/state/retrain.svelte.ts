/**
 * The retraining panel's state: the latest saved Operate session (its alerts and simulated
 * time), the editable policy (retrain-settings.ts, saved), the policy's decision, the one retrain
 * that may run at a time (retrain-run.ts, loaded on first use), its progress and result, and the
 * log of what the policy and the learner did. While the panel is shown and automatic retraining
 * is on, `watch()` re-reads the latest session every few seconds and lets the policy act.
 */
import { shouldRetrain, type RetrainDecision } from '../core/sim-retrain';
import type { AlertEvent } from '../core/sim-monitor-types';
import type { Trainer } from '../engine/trainer';
import { latestSimSession } from '../storage/sim-sessions';
import type { SimSessionRecord } from '../storage/v5-records';
import type { AppDb } from '../storage';
import { restoreSession, type RestoredSession } from './operate-session';
import type { RegistryState } from './registry.svelte';
import {
  appendLog,
  DEFAULT_RETRAIN_SETTINGS,
  lastRetrainAt,
  parseRetrainSettings,
  policyOf,
  readLog,
  readSettings,
  saveSettings,
  type RetrainLogEntry,
  type RetrainSettings,
} from './retrain-settings';
import { firingAt } from './retrain-eval';
import type { RetrainResult } from './retrain-run';

type RunLib = typeof import('./retrain-run');

export type RetrainStatus = 'idle' | 'running' | 'done' | 'failed';

/** How often `watch()` re-reads the latest session, ms. */
export const WATCH_INTERVAL_MS = 3000;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class RetrainState {
  #settings = $state.raw<RetrainSettings>({ ...DEFAULT_RETRAIN_SETTINGS });
  #settingsError = $state<string | null>(null);
  #record = $state.raw<SimSessionRecord | null>(null);
  #session = $state.raw<RestoredSession | null>(null);
  #sessionError = $state<string | null>(null);
  #log = $state.raw<RetrainLogEntry[]>([]);
  #status = $state<RetrainStatus>('idle');
  #stage = $state<string>('');
  #epochs = $state(0);
  #result = $state.raw<RetrainResult | null>(null);
  #error = $state<string | null>(null);
  #loaded = $state(false);
  #canaryFor = $state<number | null>(null);
  #trainer: Trainer | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #db: AppDb;
  readonly #registry: RegistryState | null;

  constructor(db: AppDb, registry: RegistryState | null = null) {
    this.#db = db;
    this.#registry = registry;
  }

  get settings(): RetrainSettings {
    return this.#settings;
  }
  get settingsError(): string | null {
    return this.#settingsError;
  }
  /** The latest saved Operate session, read back; null when none. */
  get session(): RestoredSession | null {
    return this.#session;
  }
  /** Why the latest session could not be read. */
  get sessionError(): string | null {
    return this.#sessionError;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  /** Newest first. */
  get log(): readonly RetrainLogEntry[] {
    return this.#log;
  }
  get status(): RetrainStatus {
    return this.#status;
  }
  get stage(): string {
    return this.#stage;
  }
  /** Epochs finished in the running retrain. */
  get epochs(): number {
    return this.#epochs;
  }
  get result(): RetrainResult | null {
    return this.#result;
  }
  get error(): string | null {
    return this.#error;
  }
  /**
   * The challenger version number the automatic policy just registered and wants canaried
   * (logged); the panel then opens the Roll out screen's canary. Null otherwise.
   */
  get canaryFor(): number | null {
    return this.#canaryFor;
  }

  /** Alerts firing at the session's simulated time (latest event per rule is 'firing'). */
  get firing(): AlertEvent[] {
    const s = this.#session;
    return s ? firingAt(s.snapshot.alerts, s.snapshot.simTimeMs) : [];
  }

  /** What the policy decides for the latest session now. */
  get decision(): RetrainDecision | null {
    const s = this.#session;
    if (!s) return null;
    return shouldRetrain(
      s.snapshot.alerts,
      lastRetrainAt(this.#log, s.id),
      s.snapshot.simTimeMs,
      policyOf(this.#settings),
    );
  }

  /** Reads the settings, the log and the latest session. */
  async load(): Promise<void> {
    try {
      this.#settings = await readSettings(this.#db);
      this.#log = await readLog(this.#db);
      await this.#readSession();
    } catch (err) {
      this.#sessionError = message(err);
    } finally {
      this.#loaded = true;
    }
  }

  /** Applies a change to the policy: saved when valid, else `settingsError` says why. */
  async updateSettings(patch: Partial<RetrainSettings>): Promise<boolean> {
    const parsed = parseRetrainSettings({ ...this.#settings, ...patch });
    if (!parsed.ok) {
      this.#settingsError = parsed.error;
      return false;
    }
    this.#settingsError = null;
    this.#settings = parsed.settings;
    try {
      await saveSettings(this.#db, parsed.settings);
    } catch (err) {
      this.#settingsError = `The policy could not be saved: ${message(err)}`;
      return false;
    }
    await this.check();
    return true;
  }

  /** The learner's "Retrain now": retrains whatever the policy says (its decision is logged). */
  retrainNow(): Promise<void> {
    return this.#run('learner');
  }

  /**
   * Lets the automatic policy act on the latest session: retrains when it says so, and logs a
   * skip when its reason changed since the last entry for the session (not on every poll).
   */
  async check(): Promise<void> {
    const s = this.#session;
    const d = this.decision;
    if (!s || !d || this.#status === 'running' || !this.#settings.enabled) return;
    const last = this.#log.find((e) => e.sessionId === s.id);
    // A failed automatic retrain is not retried at the same simulated time (no retry loop).
    if (last?.action === 'failed' && last.simTimeMs === s.snapshot.simTimeMs) return;
    if (d.retrain) return this.#run('policy');
    const kind = (r: string) => r.replace(/\d[\d.]*/g, '#');
    if (last?.action === 'skipped' && kind(last.reason) === kind(d.reason)) return;
    await this.#append({ action: 'skipped', actor: 'policy', reason: d.reason });
  }

  /** Re-reads the latest session every few seconds and checks the policy; returns a stop. */
  watch(): () => void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => {
      if (this.#status === 'running') return;
      void this.#readSession().then(() => this.check());
    }, WATCH_INTERVAL_MS);
    return () => clearInterval(this.#timer);
  }

  dispose(): void {
    clearInterval(this.#timer);
    this.#trainer?.dispose();
    this.#trainer = null;
  }

  async #readSession(): Promise<void> {
    const rec = (await latestSimSession(this.#db)) ?? null;
    if (
      rec &&
      this.#record &&
      rec.id === this.#record.id &&
      rec.updatedAt === this.#record.updatedAt
    )
      return;
    this.#record = rec;
    if (!rec) return void (this.#session = null);
    const r = restoreSession(rec);
    this.#session = r.ok ? r.session : null;
    this.#sessionError = r.ok ? null : `The latest saved simulation cannot be read: ${r.error}`;
  }

  async #append(e: Omit<RetrainLogEntry, 'at' | 'sessionId' | 'simTimeMs'>): Promise<void> {
    const s = this.#session;
    if (!s) return;
    const entry = { at: Date.now(), sessionId: s.id, simTimeMs: s.snapshot.simTimeMs, ...e };
    try {
      this.#log = await appendLog(this.#db, entry);
    } catch (err) {
      this.#error = `The retraining log could not be saved: ${message(err)}`;
    }
  }

  async #run(actor: 'policy' | 'learner'): Promise<void> {
    const record = this.#record;
    if (!record || !this.#session || this.#status === 'running') return;
    const decision = this.decision;
    this.#status = 'running';
    this.#error = null;
    this.#epochs = 0;
    this.#stage = 'Loading the retraining code';
    const why =
      actor === 'learner' ? `"Retrain now" by the learner (the policy: ${decision?.reason})` : '';
    try {
      const lib: RunLib = await import('./retrain-run');
      this.#trainer ??= new lib.Trainer();
      const out = await lib.retrainFromSession(this.#db, record, {
        settings: this.#settings,
        actor,
        lastRetrainAtMs: lastRetrainAt(this.#log, record.id),
        trainer: this.#trainer,
        appVersion: __APP_VERSION__,
        onStage: (s) => (this.#stage = s),
        onEpoch: (m) => (this.#epochs = m.epoch),
      });
      if (out.kind === 'skipped') {
        this.#status = 'idle';
        return;
      }
      this.#result = out;
      this.#status = 'done';
      await this.#append({
        action: 'retrained',
        actor,
        reason: actor === 'policy' ? out.decision.reason : why,
        runId: out.runId,
        versionId: out.version.id,
        championId: out.championId,
        newAccuracy: out.newAccuracy,
        championAccuracy: out.championAccuracy,
        lineage: out.lineage,
      });
      await this.#registry?.load();
      // The automatic loop goes on by itself: its challenger goes straight to a canary.
      if (actor === 'policy') {
        const v = out.version.version;
        await this.#append({
          action: 'canary',
          actor,
          reason: `canary started for challenger v${v} after retrain`,
          versionId: out.version.id,
        });
        this.#canaryFor = v;
      }
    } catch (err) {
      this.#status = 'failed';
      this.#error = message(err);
      await this.#append({
        action: 'failed',
        actor,
        reason: `${message(err)} (${why || decision?.reason})`,
      });
    } finally {
      this.#stage = '';
    }
  }
}
