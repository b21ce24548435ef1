import type { Slo, SloVerdict } from '../core/slo';
import type { BenchSettings } from '../protocol/bench';
import { RUNTIME_IDS, type RuntimeId } from '../protocol/serve';
import {
  deleteBenchmark,
  getSetting,
  listBenchmarks,
  setSetting,
  saveBenchmark,
  type AppDb,
  type BenchmarkCell,
  type BenchmarkEnvironment,
  type BenchmarkRecord,
  type Clock,
} from '../storage';
import { benchmarkCsv, benchmarkJson, exportFileName } from './benchmark-export';
import * as ops from './benchmark-ops';
import * as prefs from './benchmark-prefs';
import { SloFormState } from './benchmark-slo.svelte';
import { loadGridLib, runGrid, type GridLib } from './benchmark-run';
import { readBenchEnvironment } from './environment-facts';
import type { RegistryState } from './registry.svelte';

/** Where a run stands. */
export type BenchStatus = 'idle' | 'running' | 'cancelling';

export type BenchmarkOptions = {
  clock?: Clock;
  isolated?: boolean;
  cores?: number;
  /** Tests only: a stand-in for the worker owner and model loader. The app never passes it. */
  lib?: () => Promise<GridLib>;
  /** Tests only: shorter timing. The app always measures with the shipped defaults. */
  settings?: BenchSettings;
  environment?: () => Promise<BenchmarkEnvironment>;
};

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** "1 cell", "4 cells". */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The benchmark lab's state: the grid (registry versions x runtimes x threads x batch sizes),
 * a run in the benchmark worker with progress and cancel, its results (saved to IndexedDB with
 * the environment), earlier results, the SLO form, and CSV/JSON export.
 */
export class BenchmarkState {
  readonly #db: AppDb;
  readonly #registry: RegistryState;
  readonly #clock: Clock;
  readonly #options: BenchmarkOptions;
  readonly threadChoices: readonly number[];
  readonly runtimeChoices: readonly RuntimeId[] = RUNTIME_IDS;
  readonly batchChoices: readonly number[] = ops.BATCH_CHOICES;

  #chosenVersions = $state<string[] | null>(null);
  /** `#chosenVersions` came from the settings store (see `prefs.keptVersions`). */
  #restored = $state(false);
  #runtimes = $state<RuntimeId[]>([...ops.DEFAULT_RUNTIMES]);
  #threads = $state<number[]>([1]);
  #batches = $state<number[]>([...ops.DEFAULT_BATCHES]);

  #environment = $state.raw<BenchmarkEnvironment | null>(null);
  #status = $state<BenchStatus>('idle');
  #progress = $state(0);
  #progressText = $state('');
  #message = $state<string | null>(null);
  #error = $state<string | null>(null);
  #shown = $state.raw<BenchmarkRecord | null>(null);
  /** The shown record is a saved one (it goes when it is deleted, here or by a restore). */
  #shownSaved = false;
  #history = $state.raw<BenchmarkRecord[]>([]);
  #historyError = $state<string | null>(null);

  /** The SLO form (saved with the grid). */
  readonly sloForm = new SloFormState(() => this.#changed());

  #versions = $derived.by(() => ops.versionChoices(this.#registry));
  #plan = $derived(
    ops.planGrid(this.selectedVersions, this.#runtimes, this.#threads, this.#batches),
  );

  // Not reactive: the worker owner and the abort handle.
  #lib: Promise<GridLib> | null = null;
  #controller: AbortController | null = null;
  #environmentRead: Promise<BenchmarkEnvironment> | null = null;
  #prefsRead: Promise<void> | null = null;
  /** The learner changed a choice before the saved ones were read: those are not applied. */
  #touched = false;

  constructor(db: AppDb, registry: RegistryState, options: BenchmarkOptions = {}) {
    this.#db = db;
    this.#registry = registry;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    const isolated = options.isolated ?? globalThis.crossOriginIsolated === true;
    const cores = options.cores ?? globalThis.navigator?.hardwareConcurrency ?? 1;
    this.threadChoices = isolated && cores > 1 ? [1, cores] : [1];
  }

  // The grid.
  /** Every registered version, newest model first, versions newest first. */
  get versions(): readonly ops.VersionChoice[] {
    return this.#versions;
  }
  /** The chosen versions (by default the newest version of the newest model). */
  get selectedVersions(): string[] {
    const ids = this.#versions.map((v) => v.id);
    return prefs.keptVersions(this.#chosenVersions, ids, this.#restored) ?? ids.slice(0, 1);
  }
  set selectedVersions(ids: string[]) {
    if (this.busy) return;
    this.#chosenVersions = [...ids];
    this.#restored = false;
    this.#changed();
  }
  get runtimes(): RuntimeId[] {
    return this.#runtimes;
  }
  set runtimes(list: RuntimeId[]) {
    if (this.busy) return;
    this.#runtimes = RUNTIME_IDS.filter((r) => list.includes(r));
    this.#changed();
  }
  get threads(): number[] {
    return this.#threads;
  }
  set threads(list: number[]) {
    if (this.busy) return;
    this.#threads = this.threadChoices.filter((t) => list.includes(t));
    this.#changed();
  }
  get batches(): number[] {
    return this.#batches;
  }
  set batches(list: number[]) {
    if (this.busy) return;
    this.#batches = this.batchChoices.filter((b) => list.includes(b));
    this.#changed();
  }

  /**
   * Restores the grid and the SLO form saved by an earlier session (once; later calls return the
   * same promise). Unknown or deleted entries are dropped; nothing is applied over a choice the
   * learner already made. Never rejects: unreadable settings leave the defaults.
   */
  restorePrefs(): Promise<void> {
    this.#prefsRead ??= getSetting<unknown>(this.#db, prefs.BENCH_PREFS_KEY, null)
      .then((saved) => {
        if (this.#touched || this.busy) return;
        const p = prefs.readPrefs(saved, this);
        if (p.versions !== undefined) [this.#chosenVersions, this.#restored] = [p.versions, true];
        if (p.runtimes) this.#runtimes = p.runtimes;
        if (p.threads) this.#threads = p.threads;
        if (p.batches) this.#batches = p.batches;
        if (p.slo) this.sloForm.restore(p.slo);
      })
      .catch(() => undefined);
    return this.#prefsRead;
  }
  /** What Run will measure. */
  get plan(): readonly ops.PlannedGroup[] {
    return this.#plan;
  }
  get cellCount(): number {
    return ops.cellCount(this.#plan);
  }

  // The environment.
  get environment(): BenchmarkEnvironment | null {
    return this.#environment;
  }
  /** Reads the environment once (later calls return the same answer). */
  readEnvironment(): Promise<BenchmarkEnvironment> {
    this.#environmentRead ??= (this.#options.environment ?? readBenchEnvironment)().then((env) => {
      this.#environment = env;
      return env;
    });
    return this.#environmentRead;
  }

  // A run.
  get status(): BenchStatus {
    return this.#status;
  }
  get busy(): boolean {
    return this.#status !== 'idle';
  }
  /** Of the whole run, in [0, 1]. */
  get progress(): number {
    return this.#progress;
  }
  /** E.g. "Cell 3 of 6: digits-classifier v1 on Plain TypeScript, batch 16 (timing)". */
  get progressText(): string {
    return this.#progressText;
  }
  /** What the last run did, for the learner. */
  get message(): string | null {
    return this.#message;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Measures the planned grid, cell by cell; saves the record when every group has run. */
  async run(): Promise<void> {
    const plan = this.#plan;
    if (this.busy || plan.length === 0) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#status = 'running';
    this.#progress = 0;
    this.#message = null;
    this.#error = null;
    const startedAt = this.#clock();
    let record: BenchmarkRecord | null = null;
    try {
      this.#progressText = 'Reading the environment…';
      const environment = await this.readEnvironment();
      record = {
        id: `bench-${startedAt}-${globalThis.crypto.randomUUID().slice(0, 8)}`,
        createdAt: startedAt,
        environment,
        cells: [],
      };
      this.#shown = record;
      this.#shownSaved = false;
      this.#lib ??= (this.#options.lib ?? loadGridLib)();
      const { cells, failures } = await runGrid(
        {
          db: this.#db,
          lib: await this.#lib,
          plan,
          versions: this.#versions,
          signal: controller.signal,
          ...(this.#options.settings ? { settings: this.#options.settings } : {}),
        },
        {
          onProgress: (fraction, text) => {
            this.#progress = fraction;
            if (text) this.#progressText = text;
          },
          onChange: (cells, failures) => {
            record = { ...record!, cells, ...(failures.length ? { failures } : {}) };
            this.#shown = record;
          },
        },
      );
      record = {
        ...record,
        cells,
        ...(failures.length ? { failures } : {}),
        createdAt: this.#clock(),
        ...(this.slo ? { slo: this.slo } : {}),
      };
      this.#shown = record;
      await saveBenchmark(this.#db, record);
      this.#shownSaved = true;
      this.#progress = 1;
      this.#message =
        `Measured ${plural(cells.length, 'cell')}` +
        (failures.length ? `; ${failures.length} could not be measured (see below).` : '.') +
        ' Saved with the environment.';
      await this.loadHistory();
    } catch (err) {
      if (controller.signal.aborted) {
        const measured = record?.cells.length ?? 0;
        this.#message = `Cancelled after ${plural(measured, 'cell')}; nothing was saved.`;
      } else {
        this.#error = `The benchmark stopped: ${message(err)}`;
      }
    } finally {
      this.#controller = null;
      this.#status = 'idle';
      this.#progressText = '';
    }
  }

  /** Stops the run at once (the worker is told, then shut down); nothing of it is saved. */
  cancel(): void {
    if (!this.#controller) return;
    this.#status = 'cancelling';
    this.#controller.abort();
  }

  // Results and history.
  /** The record on screen: the run in progress or just finished, or one picked from history. */
  get shown(): BenchmarkRecord | null {
    return this.#shown;
  }
  /** Saved records, newest first. */
  get history(): readonly BenchmarkRecord[] {
    return this.#history;
  }
  get historyError(): string | null {
    return this.#historyError;
  }
  /** Re-reads saved records; shows the newest when nothing is on screen. Never rejects. */
  async loadHistory(): Promise<void> {
    try {
      this.#history = await listBenchmarks(this.#db);
      this.#historyError = null;
      const shown = this.#shown;
      const gone = shown && this.#shownSaved && !this.#history.some((r) => r.id === shown.id);
      if ((!shown || gone) && !this.busy) {
        this.#shown = this.#history[0] ?? null;
        this.#shownSaved = this.#shown !== null;
      }
    } catch (err) {
      this.#historyError = `Earlier results could not be read: ${message(err)}`;
    }
  }
  /** Puts a saved record on screen. */
  show(id: string): void {
    if (this.busy) return;
    const record = this.#history.find((r) => r.id === id);
    if (record) {
      this.#shown = record;
      this.#shownSaved = true;
    }
  }
  /** Deletes a saved record (and takes it off screen). */
  async remove(id: string): Promise<void> {
    try {
      await deleteBenchmark(this.#db, id);
      await this.loadHistory(); // a deleted record on screen gives way to the newest one
    } catch (err) {
      this.#historyError = message(err);
    }
  }

  // The SLO form.
  /** The form as an SLO, or null while a field is invalid. */
  get slo(): Slo | null {
    return this.sloForm.slo;
  }
  /** How a cell fares against the form's SLO (null while the form is invalid). */
  verdict(cell: BenchmarkCell): SloVerdict | null {
    return this.sloForm.verdict(cell);
  }

  // Export.
  /** The shown record as CSV (with the SLO verdicts), and its file name; null when none. */
  csv(): { fileName: string; text: string } | null {
    const r = this.#shown;
    return r ? { fileName: exportFileName(r, 'csv'), text: benchmarkCsv(r, this.slo) } : null;
  }
  json(): { fileName: string; text: string } | null {
    const r = this.#shown;
    return r ? { fileName: exportFileName(r, 'json'), text: benchmarkJson(r) } : null;
  }

  /** Cancels a run and releases the worker. */
  dispose(): void {
    this.cancel();
    void this.#lib?.then((lib) => lib.runner.dispose());
  }

  /** Saves the choices (an invalid SLO form keeps the last valid one saved). Never rejects. */
  #changed(): void {
    this.#touched = true;
    const ids = this.#versions.map((v) => v.id);
    const saved: prefs.BenchPrefs = {
      versions: this.#registry.loaded
        ? prefs.keptVersions(this.#chosenVersions, ids, this.#restored)
        : this.#chosenVersions,
      runtimes: this.#runtimes,
      threads: this.#threads,
      batches: this.#batches,
      slo: this.sloForm.saved,
    };
    void setSetting(this.#db, prefs.BENCH_PREFS_KEY, $state.snapshot(saved)).catch(() => undefined);
  }
}
