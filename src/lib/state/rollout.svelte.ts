/**
 * The Roll out screen's state: which registered model rolls out (its `champion` and `challenger`
 * aliases are the source of truth), the form (rollout-ops.ts), and the live run: two real
 * endpoints (operate-world's openWorld), the engine's RolloutSimulator paced by playRollout, and
 * reactive copies of what it produced (at most every 250 ms and at every canary decision). The
 * canary's promotion moves `champion` in the registry (actor "policy"); a manual rollback moves
 * it back (registry previousAliasTarget) and, mid-run, routes every later batch to that version.
 * The decision log of the last roll-out is kept in the settings store under one key (bounded).
 */
import { canaryCompatible } from '../core/canary-compat';
import type { CanaryAction } from '../core/rollout-policy';
import type { RolloutSimulator } from '../engine/rollout-sim';
import type { Speed } from '../engine/simulator-loop';
import { getSetting, setAlias, setSetting, versionId, type AppDb } from '../storage';
import type { ModelVersionRecord, RegistryState } from './registry.svelte';
import {
  DEFAULT_ROLLOUT_FORM,
  planFromForm,
  readSavedRollout,
  SAVED_EVENTS,
  type RolloutEvent,
  type RolloutForm,
  type SavedRollout,
} from './rollout-ops';
import type { OpenWorld } from './rollout-world';
import { ROLLOUT_SAVE_KEY as SAVE_KEY } from './rollout-saved';
import { snapshotOf, type RolloutSnapshot } from './rollout-snapshot';
import { UserAudit } from './rollout-users';

export type { RolloutSnapshot } from './rollout-snapshot';

export type RolloutStatus = 'idle' | 'starting' | 'playing' | 'paused' | 'done' | 'failed';

const COPY_INTERVAL_MS = 250;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const short = (id: string) => id.replace(/^.*@/, '');

export class RolloutState {
  #form = $state.raw<RolloutForm>(DEFAULT_ROLLOUT_FORM);
  #modelName = $state<string | null>(null);
  #status = $state<RolloutStatus>('idle');
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);
  #snapshot = $state.raw<RolloutSnapshot | null>(null);
  #events = $state.raw<RolloutEvent[]>([]);
  #saved = $state.raw<SavedRollout | null>(null);
  #speed = $state<Speed>(600);
  #sim: RolloutSimulator | null = null;
  #audit: UserAudit | null = null;
  #opens: OpenWorld[] = [];
  #controller: AbortController | null = null;
  #pair: { champion: ModelVersionRecord; challenger: ModelVersionRecord } | null = null;
  #lastCopy = 0;
  readonly #db: AppDb;
  readonly #registry: RegistryState;

  constructor(db: AppDb, registry: RegistryState) {
    this.#db = db;
    this.#registry = registry;
  }

  get form(): RolloutForm {
    return this.#form;
  }
  get status(): RolloutStatus {
    return this.#status;
  }
  get error(): string | null {
    return this.#error;
  }
  get notice(): string | null {
    return this.#notice;
  }
  get snapshot(): RolloutSnapshot | null {
    return this.#snapshot;
  }
  get events(): readonly RolloutEvent[] {
    return this.#events;
  }
  /** The last roll-out saved in storage (shown after a reload). */
  get saved(): SavedRollout | null {
    return this.#saved;
  }
  get speed(): Speed {
    return this.#speed;
  }
  set speed(s: Speed) {
    this.#speed = s;
  }
  get running(): boolean {
    return this.#status === 'starting' || this.#status === 'playing';
  }

  /** Models with versions, by name; those with both aliases can roll out. */
  get models(): string[] {
    return this.#registry.models.map((m) => m.name);
  }
  get modelName(): string | null {
    const names = this.models;
    if (this.#modelName && names.includes(this.#modelName)) return this.#modelName;
    const ready = this.#registry.models.find(
      (m) => 'champion' in m.aliases && 'challenger' in m.aliases,
    );
    return ready?.name ?? names[0] ?? null;
  }
  set modelName(name: string | null) {
    if (!this.running) this.#modelName = name;
  }

  /** The chosen model's champion and challenger records (undefined when an alias is missing). */
  get aliases(): { champion?: ModelVersionRecord; challenger?: ModelVersionRecord } {
    const name = this.modelName;
    const model = this.#registry.models.find((m) => m.name === name);
    if (!model || !name) return {};
    const find = (alias: string) =>
      Object.hasOwn(model.aliases, alias)
        ? this.#registry.versionsOf(name).find((v) => v.version === model.aliases[alias])
        : undefined;
    return { champion: find('champion'), challenger: find('challenger') };
  }

  /** Where a rollback of `champion` would go (registry history), or null. */
  get rollbackTarget(): number | null {
    const name = this.modelName;
    return name ? this.#registry.rollbackTarget(name, 'champion') : null;
  }

  /** Why the chosen pair cannot roll out, or null. */
  get refusal(): string | null {
    const { champion, challenger } = this.aliases;
    if (!champion || !challenger)
      return `${this.modelName ?? 'This model'} needs both a champion and a challenger alias: set them in the model registry.`;
    if (champion.id === challenger.id)
      return 'The champion and the challenger are the same version: point the challenger at another one.';
    const c = canaryCompatible(champion, challenger);
    return c.ok ? null : `This roll-out is refused: ${c.reason}.`;
  }

  /** Changes form fields (checked when the run starts). */
  update(patch: Partial<RolloutForm>): void {
    if (!this.running) this.#form = { ...this.#form, ...patch };
  }

  /** Reads the saved decision log of the last roll-out. */
  async load(): Promise<void> {
    await this.#registry.load();
    try {
      this.#saved = readSavedRollout(await getSetting<unknown>(this.#db, SAVE_KEY, null));
    } catch (err) {
      this.#notice = `The last roll-out could not be read: ${message(err)}`;
    }
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.#error = null;
    const planned = planFromForm(this.#form);
    if (!planned.ok) return void (this.#error = planned.error);
    const refusal = this.refusal;
    const { champion, challenger } = this.aliases;
    if (refusal || !champion || !challenger) return void (this.#error = refusal);
    const { plan } = planned;
    this.leave();
    this.#status = 'starting';
    this.#events = [];
    this.#pair = { champion, challenger };
    try {
      const lib = await import('./rollout-world');
      // One after the other: each start loads a runtime and predicts the reference rows.
      this.#opens.push(await lib.openWorld(this.#db, champion.id, 'ort-wasm'));
      this.#opens.push(await lib.openWorld(this.#db, challenger.id, 'ort-wasm'));
      const [a, b] = this.#opens;
      const mode = this.#form.mode;
      this.#sim = new lib.RolloutSimulator(
        { world: a.world, predict: (x, rows) => a.endpoint.predictBatch(x, rows) },
        { world: b.world, predict: (x, rows) => b.endpoint.predictBatch(x, rows) },
        {
          seed: plan.seed,
          requestsPerSecond: plan.requestsPerSecond,
          durationSeconds: plan.durationSeconds,
          windowMs: plan.windowMs,
          mode:
            mode === 'canary'
              ? { kind: 'canary', policy: plan.policy }
              : mode === 'shadow'
                ? { kind: 'shadow' }
                : { kind: 'ab', percentB: plan.percentB },
        },
        { onCanaryAction: (act) => void this.#onAction(act) },
      );
      const sim = this.#sim;
      this.#audit =
        mode === 'ab'
          ? new UserAudit(sim.traffic.config, [a.world.versionId, b.world.versionId])
          : null;
    } catch (err) {
      this.leave();
      this.#status = 'failed';
      this.#error = `The roll-out could not start: ${message(err)}`;
      return;
    }
    const words = { canary: 'Canary', shadow: 'Shadow', ab: 'A/B test' }[this.#form.mode];
    this.#log(
      'start',
      `${words} started: champion ${short(champion.id)}, challenger ${short(challenger.id)}.`,
    );
    await this.play();
  }

  /**
   * The retraining loop's hand-off (route #/rollout/canary): picks the model whose `challenger`
   * alias moved last (the registry's alias history), selects the canary strategy and starts it.
   */
  async startLatestCanary(): Promise<void> {
    if (this.running) return;
    let latest: { name: string; seq: number } | null = null;
    for (const m of this.#registry.models) {
      for (const e of this.#registry.historyOf(m.name))
        if (e.alias === 'challenger' && (!latest || e.seq > latest.seq))
          latest = { name: m.name, seq: e.seq };
    }
    if (!latest)
      return void (this.#error =
        'No challenger has been registered yet: retrain a model or set its challenger alias first.');
    this.#modelName = latest.name;
    this.#form = { ...this.#form, mode: 'canary' };
    await this.start();
  }

  /** Plays (or resumes) the run at the chosen speed until it ends or is paused. */
  async play(): Promise<void> {
    const sim = this.#sim;
    if (!sim || this.#status === 'playing' || sim.done) return;
    this.#status = 'playing';
    const controller = new AbortController();
    this.#controller = controller;
    const lib = await import('./rollout-world');
    try {
      const r = await lib.playRollout(sim, {
        speed: () => this.#speed,
        signal: controller.signal,
        onProgress: () => this.#copy(sim, false),
      });
      if (this.#sim !== sim) return;
      this.#copy(sim, true);
      this.#status = r === 'done' ? 'done' : 'paused';
      if (r === 'done') this.#log('end', `The run ended: ${this.#ledgerText()}.`);
    } catch (err) {
      if (this.#sim !== sim) return;
      this.#copy(sim, true);
      this.#status = 'failed';
      this.#error = `The roll-out failed: ${message(err)}`;
      this.#log('error', this.#error);
    }
    await this.#save();
  }

  pause(): void {
    this.#controller?.abort();
  }

  /** Makes every call to the challenger's endpoint slower by `ms` (the fault injector). */
  async injectLatency(ms: number): Promise<void> {
    const ep = this.#opens[1]?.endpoint;
    if (!ep)
      return void (this.#error = 'Start a roll-out first: the fault goes to its challenger.');
    if (!(Number.isFinite(ms) && ms > 0 && ms <= 60_000))
      return void (this.#error = `The added latency must be between 1 and 60,000 ms, got ${ms}.`);
    try {
      await ep.injectFault({ kind: 'latency', ms });
      this.#error = null;
      this.#log('fault', `Injected ${ms} ms of latency into every call to the challenger.`);
    } catch (err) {
      this.#error = `The fault could not be injected: ${message(err)}`;
    }
  }

  /** Moves `champion` back to its previous version; mid-run, later batches go to it. */
  async rollback(reason: string): Promise<void> {
    const name = this.modelName;
    if (!name) return;
    if (reason.trim() === '')
      return void (this.#error = 'Give a reason for the rollback: the alias history keeps it.');
    const res = await this.#registry.rollback(name, 'champion', reason);
    if (!res.ok) return void (this.#error = res.message);
    this.#error = null;
    const target = versionId(name, res.value.toVersion ?? 0);
    let text = `Manual rollback: champion moved from v${res.value.fromVersion} back to ${short(target)} (${reason.trim()}).`;
    const sim = this.#sim;
    if (sim && !sim.done) {
      if (sim.arms.some((a) => a.versionId === target)) {
        sim.serveOnly(target);
        text += ` From the next batch on ${short(target)} answers every request; the batch in flight finishes on the version that took it.`;
      } else {
        this.pause();
        text += ` ${short(target)} is not loaded in this run, so the run stops here.`;
      }
      this.#copy(sim, true);
    }
    this.#log('manual-rollback', text);
    await this.#save();
  }

  /** Stops the run and both endpoints (the screen is left, or a new run starts). */
  leave(): void {
    this.#controller?.abort();
    this.#controller = null;
    for (const o of this.#opens) o.endpoint.stop();
    this.#opens = [];
    this.#sim = null;
    this.#audit = null;
    if (this.running) this.#status = 'paused';
  }

  async #onAction(a: CanaryAction): Promise<void> {
    const pair = this.#pair;
    if (!pair) return;
    const [h, c] = [short(pair.champion.id), short(pair.challenger.id)];
    if (a.kind === 'promote-step') return this.#log('step', `${a.reason}.`, a.atMs);
    if (a.kind === 'rollback') {
      this.#log(
        'rollback',
        `Automatic rollback: ${a.reason}. The challenger ${c} gets no more traffic; champion stays on ${h}.`,
        a.atMs,
      );
      return this.#save();
    }
    if (a.kind !== 'promote-full') return;
    try {
      await setAlias(this.#db, {
        modelName: pair.champion.modelName,
        alias: 'champion',
        version: pair.challenger.version,
        reason: `canary passed: ${a.reason}`,
        actor: 'policy',
      });
      this.#log(
        'promote',
        `Promoted: ${a.reason}. The rollout policy moved champion from ${h} to ${c}.`,
        a.atMs,
      );
      await this.#registry.load();
    } catch (err) {
      this.#log(
        'error',
        `The canary passed but champion could not be moved: ${message(err)}`,
        a.atMs,
      );
    }
    await this.#save();
  }

  #log(kind: RolloutEvent['kind'], text: string, simMs = this.#sim?.simTimeMs ?? 0): void {
    this.#events = [...this.#events, { kind, text, simMs, at: Date.now() }].slice(-SAVED_EVENTS);
  }

  #ledgerText(): string {
    const l = this.#snapshot?.ledger;
    if (!l) return 'no requests';
    return `${l.recorded} of ${l.expected} requests answered, ${l.lost} lost, ${l.doubled} answered twice`;
  }

  async #save(): Promise<void> {
    const pair = this.#pair;
    if (!pair) return;
    const record: SavedRollout = {
      modelName: pair.champion.modelName,
      mode: this.#form.mode,
      champion: pair.champion.id,
      challenger: pair.challenger.id,
      savedAt: Date.now(),
      events: this.#events.slice(-SAVED_EVENTS),
      ledger: this.#ledgerText(),
    };
    try {
      await setSetting(this.#db, SAVE_KEY, record);
      this.#saved = record;
    } catch (err) {
      this.#notice = `The decision log could not be saved: ${message(err)}`;
    }
  }

  #copy(sim: RolloutSimulator, force: boolean): void {
    const decided = sim.decisions.length !== (this.#snapshot?.decisions.length ?? 0);
    if (!force && !decided && performance.now() - this.#lastCopy < COPY_INTERVAL_MS) return;
    this.#lastCopy = performance.now();
    this.#snapshot = snapshotOf(sim, this.#audit);
  }
}
