/**
 * The fallback lab's state (lesson 9): the chain's versions (primary, secondary; the baseline is
 * fitted when the lab starts), the running session (fallback-lab-run.ts, loaded on first start,
 * held as a plain field), its figures copied into runes every 250 ms and after each burst, the
 * traffic (one burst, or bursts back to back until stopped), the fault injector, and the outcome
 * saved after each burst for the `fallback-no-loss` check.
 */
import type { AppDb } from '../storage';
import type { ServeFault } from '../protocol/serve';
import {
  chainProblem,
  defaultChain,
  LAB_BURST,
  LAB_MAX_LATENCY_MS,
  outcomeValues,
} from './fallback-lab';
import type { FallbackLabRun, LabView } from './fallback-lab-run';
import { readServableVersions } from './serving-catalog.svelte';
import type { ServableVersion } from './serving-ops';
import { saveWidgetOutcome } from './widget-outcomes';

export type LabStatus = 'loading' | 'empty' | 'ready' | 'starting' | 'running' | 'failed';

const REFRESH_MS = 250;
/** Pause between bursts of continuous traffic, ms (lets probes and the page run). */
const TRAFFIC_PAUSE_MS = 150;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class FallbackLabState {
  #status = $state<LabStatus>('loading');
  #error = $state<string | null>(null);
  #versions = $state.raw<ServableVersion[]>([]);
  #primary = $state<string | null>(null);
  #secondary = $state<string | null>(null);
  #view = $state.raw<LabView | null>(null);
  #traffic = $state(false);
  #bursting = $state(false);
  #latencyMs = $state(400);
  #faultError = $state<string | null>(null);
  #saved = $state<'idle' | 'saved' | 'failed'>('idle');
  /** A crash asked for while traffic runs, waiting for the next burst to be in flight. */
  #crashNext = $state(false);

  // Not reactive: the engine session, the refresh timer, the save in progress.
  #run: FallbackLabRun | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #saving: Promise<void> = Promise.resolve();
  readonly #db: () => AppDb | null;

  /** @param db the app's database once open (outcomes are saved there). */
  constructor(db: () => AppDb | null) {
    this.#db = db;
  }

  get status(): LabStatus {
    return this.#status;
  }
  get error(): string | null {
    return this.#error;
  }
  get versions(): readonly ServableVersion[] {
    return this.#versions;
  }
  get primary(): string | null {
    return this.#primary;
  }
  /** Ignored while the lab runs. */
  set primary(id: string | null) {
    if (!this.#locked) this.#primary = id;
  }
  get secondary(): string | null {
    return this.#secondary;
  }
  set secondary(id: string | null) {
    if (!this.#locked) this.#secondary = id;
  }
  /** Why the chosen versions cannot form a chain, or null. */
  get problem(): string | null {
    return chainProblem(this.#versions, {
      primary: this.#primary ?? undefined,
      secondary: this.#secondary ?? undefined,
    });
  }
  get view(): LabView | null {
    return this.#view;
  }
  get traffic(): boolean {
    return this.#traffic;
  }
  /** True while a burst is in flight. */
  get bursting(): boolean {
    return this.#bursting;
  }
  get latencyMs(): number {
    return this.#latencyMs;
  }
  /** 0..LAB_MAX_LATENCY_MS; anything else is ignored. */
  set latencyMs(ms: number) {
    if (Number.isFinite(ms) && ms >= 0 && ms <= LAB_MAX_LATENCY_MS) this.#latencyMs = ms;
  }
  get faultError(): string | null {
    return this.#faultError;
  }
  get saved(): 'idle' | 'saved' | 'failed' {
    return this.#saved;
  }
  /** True while a crash waits for the next burst. */
  get crashPending(): boolean {
    return this.#crashNext;
  }

  get #locked(): boolean {
    return this.#status === 'starting' || this.#status === 'running';
  }

  /** Reads the registry and picks the default chain. */
  async load(): Promise<void> {
    const db = this.#db();
    if (!db) return;
    try {
      const list = await readServableVersions(db);
      this.#versions = list;
      if (this.#locked) return;
      const choice = defaultChain(list);
      this.#primary = choice?.primary ?? null;
      this.#secondary = choice?.secondary ?? null;
      this.#status = choice ? 'ready' : 'empty';
    } catch (err) {
      this.#status = 'failed';
      this.#error = `The registry could not be read: ${message(err)}`;
    }
  }

  /** Starts both endpoints and the baseline (a new ledger: request ids start at 0). */
  async start(): Promise<void> {
    const db = this.#db();
    if (this.#locked || !db || !this.#primary || !this.#secondary) return;
    const problem = this.problem;
    if (problem) {
      this.#error = problem;
      return;
    }
    this.#status = 'starting';
    this.#error = null;
    this.#faultError = null;
    this.#saved = 'idle';
    this.#view = null;
    try {
      const { FallbackLabRun } = await import('./fallback-lab-run');
      const run = await FallbackLabRun.start(db, this.#primary, this.#secondary, () =>
        this.#refresh(),
      );
      if (this.#status !== 'starting') return run.stop(); // stopped meanwhile
      this.#run = run;
      this.#status = 'running';
      this.#refresh();
      this.#timer = setInterval(() => this.#refresh(), REFRESH_MS);
    } catch (err) {
      this.#status = 'failed';
      this.#error = `The lab could not start: ${message(err)}`;
    }
  }

  /** Stops the traffic, the probes and both endpoints (the figures stay on screen). */
  stop(): void {
    this.#traffic = false;
    this.#crashNext = false;
    clearInterval(this.#timer);
    const run = this.#run;
    this.#run = null;
    if (run) {
      this.#view = run.view();
      run.stop();
    }
    if (this.#locked || this.#status === 'failed') this.#status = 'ready';
  }

  /** One burst of LAB_BURST test-split requests (not while continuous traffic runs). */
  async sendBurst(): Promise<void> {
    const run = this.#run;
    if (!run || this.#bursting || this.#traffic) return;
    await this.#burst(run);
  }

  /** Bursts back to back until `stopTraffic` (or `stop`). */
  async startTraffic(): Promise<void> {
    const run = this.#run;
    if (!run || this.#traffic) return;
    this.#traffic = true;
    while (this.#traffic && this.#run === run) {
      if (!this.#bursting) await this.#burst(run);
      await sleep(TRAFFIC_PAUSE_MS);
    }
  }

  stopTraffic(): void {
    this.#traffic = false;
  }

  /** Injects a fault into the primary; latency uses `latencyMs`. */
  async inject(kind: 'crash' | 'latency' | 'nan' | 'unnormalized' | 'clear'): Promise<void> {
    const run = this.#run;
    if (!run) return;
    const fault: ServeFault =
      kind === 'latency'
        ? { kind: 'latency', ms: this.#latencyMs }
        : kind === 'nan' || kind === 'unnormalized'
          ? { kind: 'corrupt', mode: kind }
          : { kind };
    this.#faultError = null;
    // With traffic on, the crash lands on the next burst's requests in flight, as real crashes
    // do under load; without traffic it lands at once (and costs only a restart).
    if (fault.kind === 'crash' && this.#traffic) {
      this.#crashNext = true;
      return;
    }
    await this.#inject(run, fault);
  }

  async #inject(run: FallbackLabRun, fault: ServeFault): Promise<void> {
    try {
      await run.inject(fault);
    } catch (err) {
      this.#faultError = `The fault was not injected: ${message(err)}`;
    }
    this.#refresh();
  }

  /** Stops everything; call when the widget goes away. */
  dispose(): void {
    this.stop();
  }

  async #burst(run: FallbackLabRun): Promise<void> {
    this.#bursting = true;
    const crash = this.#crashNext;
    this.#crashNext = false;
    try {
      await run.burst(LAB_BURST, crash ? () => this.#inject(run, { kind: 'crash' }) : undefined);
    } finally {
      this.#bursting = false;
    }
    if (this.#run !== run) return;
    this.#refresh();
    this.#save(run);
  }

  #refresh(): void {
    if (this.#run) this.#view = this.#run.view();
  }

  /** Saves the session's outcome after the save in progress (saves never overlap). */
  #save(run: FallbackLabRun): void {
    const db = this.#db();
    if (!db || !this.#primary || !this.#secondary) return;
    const v = run.view();
    const values = outcomeValues({ ...v, primary: this.#primary, secondary: this.#secondary });
    this.#saving = this.#saving.then(() =>
      saveWidgetOutcome(db, 'fallback-lab', values).then(
        () => void (this.#saved = 'saved'),
        () => void (this.#saved = 'failed'),
      ),
    );
  }
}
