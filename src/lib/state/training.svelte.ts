import type { DatasetId } from '../core/data';
import type { Trainer } from '../engine/trainer';
import type { EpochMetrics, TrainBackend } from '../protocol/train';
import { deleteRun, listRuns, saveRun, type AppDb, type Clock, type RunRecord } from '../storage';
import * as lists from './run-list';
import type { RunListItem } from './run-list';
import { TrainingForm } from './training-form.svelte';

/** The heavy part of a run (data, splitter, worker owner, record builders), loaded on demand. */
type RunLib = typeof import('./train-run');
const loadRunLib = (): Promise<RunLib> => import('./train-run');

export type { RunListItem };
export type { TrainingForm, TrainSettings } from './training-form.svelte';

/** Where the current (or last) training job stands. */
export type JobStatus = 'idle' | 'preparing' | 'running' | 'completed' | 'failed' | 'cancelled';

/** What was asked of the current (or last) job. */
export type JobInfo = {
  runId: string;
  datasetId: DatasetId;
  requestedBackend: TrainBackend;
  /** The configured maximum number of epochs. */
  epochs: number;
};

/** Tells other open tabs that the runs changed, so their tables re-read them. */
const CHANNEL = 'pocket-mlops-runs';

/**
 * The Train screen's state: the form, the one job that may run at a time (in a worker, through
 * the engine's `Trainer`), and the list of saved runs. IndexedDB is the source of truth for runs;
 * each run is saved as 'running' before training and saved again when it ends.
 */
export class TrainingState {
  /** The settings of the next run. */
  readonly form = new TrainingForm();

  #status = $state<JobStatus>('idle');
  #job = $state.raw<JobInfo | null>(null);
  #progress = $state.raw<EpochMetrics[]>([]);
  #outcome = $state.raw<RunListItem | null>(null);
  #failure = $state<string | null>(null);
  #runs = $state.raw<RunListItem[]>([]);
  #runsError = $state<string | null>(null);

  // Not reactive: the worker owner and the abort handle of the running job.
  #trainer: Trainer | null = null;
  #controller: AbortController | null = null;
  #channel: BroadcastChannel | null = null;
  readonly #db: AppDb;
  readonly #clock: Clock;
  readonly #pageLoadedAt: number;
  readonly #createTrainer: ((lib: RunLib) => Trainer) | undefined;

  constructor(db: AppDb, options: { clock?: Clock; createTrainer?: () => Trainer } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? Date.now;
    this.#pageLoadedAt = this.#clock();
    this.#createTrainer = options.createTrainer;
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(CHANNEL);
      this.#channel.onmessage = () => void this.loadRuns();
    }
  }

  // The job.
  get status(): JobStatus {
    return this.#status;
  }
  /** True while a job prepares or trains (the form's Train button waits). */
  get busy(): boolean {
    return this.#status === 'preparing' || this.#status === 'running';
  }
  get job(): JobInfo | null {
    return this.#job;
  }
  /** One entry per finished epoch of the current (or last) job. */
  get progress(): readonly EpochMetrics[] {
    return this.#progress;
  }
  /** Milliseconds of training so far (backend start-up excluded), from the last epoch. */
  get elapsedMs(): number {
    return this.#progress.at(-1)?.elapsedMs ?? 0;
  }
  /** Time left if every epoch runs at the mean pace so far; null before the first epoch. */
  get etaMs(): number | null {
    const last = this.#progress.at(-1);
    if (!last) return null;
    return ((last.epochs - last.epoch) * last.elapsedMs) / last.epoch;
  }
  /** The saved record of the last job once it ended (its `backend` is the one that ran). */
  get outcome(): RunListItem | null {
    return this.#outcome;
  }
  /** Why the last job failed, in words for the learner. */
  get failure(): string | null {
    return this.#failure;
  }

  // Saved runs.
  /** Saved runs, newest first, without their weights and predictions. */
  get runs(): readonly RunListItem[] {
    return this.#runs;
  }
  /** Why the runs could not be read or changed, if they could not. */
  get runsError(): string | null {
    return this.#runsError;
  }

  /** Re-reads the runs; marks runs left 'running' by a page that is gone as failed. */
  async loadRuns(): Promise<void> {
    try {
      const all = await listRuns(this.#db);
      const now = this.#clock();
      const runs: RunListItem[] = [];
      for (let run of all) {
        if (lists.isInterrupted(run, this.#pageLoadedAt)) {
          run = lists.interruptedRecord(run, now);
          await saveRun(this.#db, run);
        }
        runs.push(lists.listItem(run));
      }
      this.#runs = runs;
      this.#runsError = null;
    } catch (err) {
      this.#runsError = message(err);
    }
  }

  /** Trains with the form's settings; resolves when the run has ended and been saved. */
  async start(): Promise<void> {
    const settings = this.busy ? null : this.form.settings();
    if (!settings) return;
    const { hyperparameters: h, splitSeed } = settings;
    const createdAt = this.#clock();
    const job: JobInfo = {
      runId: lists.newRunId(createdAt),
      datasetId: settings.datasetId,
      requestedBackend: settings.backend,
      epochs: h.epochs,
    };
    const controller = new AbortController();
    const { signal } = controller;
    this.#controller = controller;
    this.#job = job;
    this.#status = 'preparing';
    this.#progress = [];
    this.#outcome = null;
    this.#failure = null;
    let running: RunRecord | null = null;
    let lib: RunLib | null = null;
    try {
      lib = await loadRunLib();
      const ds = await lib.loadDataset(job.datasetId);
      const split = lib.stratifiedSplit(ds.y, lib.DEFAULT_SPLIT, splitSeed);
      const fingerprint = await lib.datasetFingerprint(ds, split);
      signal.throwIfAborted();
      running = lib.runningRecord({
        id: job.runId,
        createdAt,
        datasetId: job.datasetId,
        splitSeed,
        hyperparameters: h,
        fingerprint,
        backend: job.requestedBackend,
      });
      await saveRun(this.#db, running);
      this.#runs = [lists.listItem(running), ...this.#runs];
      signal.throwIfAborted();
      this.#status = 'running';
      const { x, y, rows, features, nClasses } = ds;
      const input = { x, y, rows, features, nClasses, split, hyperparameters: h };
      const onProgress = (m: EpochMetrics) => {
        if (!signal.aborted) this.#progress = [...this.#progress, m];
      };
      const result = await this.#getTrainer(lib).train(
        { ...input, backend: job.requestedBackend },
        { onProgress },
        signal,
      );
      signal.throwIfAborted();
      const done = lib.completedRecord(running, result, {
        nClasses,
        testIndices: split.test,
        finishedAt: this.#clock(),
      });
      await saveRun(this.#db, done);
      this.#outcome = lists.listItem(done);
      this.#status = 'completed';
    } catch (err) {
      await this.#stopped(job, lib, running, err, signal.aborted, h.learningRate);
    } finally {
      if (this.#controller === controller) this.#controller = null;
      await this.loadRuns();
      this.#channel?.postMessage('changed');
    }
  }

  /** Stops the running job: the worker stops within about a second; the run is saved cancelled. */
  cancel(): void {
    if (!this.busy) return;
    this.#controller?.abort();
    this.#status = 'cancelled';
  }

  /** Deletes a saved run (not the one training now). */
  async deleteRun(id: string): Promise<void> {
    if (this.busy && this.#job?.runId === id) return;
    try {
      await deleteRun(this.#db, id);
      if (this.#outcome?.id === id) this.#outcome = null;
      this.#channel?.postMessage('changed');
    } catch (err) {
      this.#runsError = message(err);
    }
    await this.loadRuns();
  }

  /** Cancels any job and shuts the worker down. */
  dispose(): void {
    this.#controller?.abort();
    this.#trainer?.dispose();
    this.#trainer = null;
    this.#channel?.close();
    this.#channel = null;
  }

  #getTrainer(lib: RunLib): Trainer {
    this.#trainer ??= this.#createTrainer?.(lib) ?? new lib.Trainer();
    return this.#trainer;
  }

  /** Records a job that ended without a result: cancelled, or failed with a reason. */
  async #stopped(
    job: JobInfo,
    lib: RunLib | null,
    running: RunRecord | null,
    err: unknown,
    aborted: boolean,
    learningRate: number,
  ): Promise<void> {
    const reason = aborted
      ? null
      : lib === null
        ? `the training code could not load: ${message(err)}`
        : lib.failureReason(
            err instanceof lib.TrainError ? err.reason : null,
            message(err),
            learningRate,
            this.#progress.length,
          );
    this.#status = reason === null ? 'cancelled' : 'failed';
    this.#failure = reason;
    if (!running || !lib) return;
    const outcome =
      reason === null ? { status: 'cancelled' as const } : { status: 'failed' as const, reason };
    const record = lib.stoppedRecord(running, outcome, this.#progress, this.#clock());
    try {
      await saveRun(this.#db, record);
      if (this.#job === job) this.#outcome = lists.listItem(record); // unless a new job started
    } catch (saveErr) {
      this.#runsError = message(saveErr);
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
