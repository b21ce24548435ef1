import { getContext, setContext } from 'svelte';
import { openAppDb, StorageError, type AppDb } from '../storage';
import { BenchmarkState } from './benchmark.svelte';
import { COURSE } from './course';
import { OperateState } from './operate.svelte';
import { readEnvironment, type EnvironmentFacts } from './environment';
import { ProgressState } from './progress.svelte';
import { PwaState } from './pwa.svelte';
import { RegistryState } from './registry.svelte';
import { Router } from './router.svelte';
import { ServingState } from './serving.svelte';
import { StorageStatus } from './storage-status.svelte';
import { ThemeState } from './theme.svelte';
import { TrainingState } from './training.svelte';
import { WorkspaceActions } from './workspace.svelte';

/** Everything that needs the database, available once it has opened. */
export interface Ready {
  db: AppDb;
  bench: BenchmarkState;
  operate: OperateState;
  progress: ProgressState;
  registry: RegistryState;
  serving: ServingState;
  storage: StorageStatus;
  training: TrainingState;
  workspace: WorkspaceActions;
}

/**
 * The root of app state, handed down by context. Owns the database connection and the
 * per-feature state objects; screens read from it and call its methods.
 */
export class AppState {
  readonly router = new Router();
  readonly theme = new ThemeState();
  readonly pwa = new PwaState();
  readonly env: EnvironmentFacts = readEnvironment();
  readonly course = COURSE;
  #ready = $state.raw<Ready | null>(null);
  #fatal = $state<string | null>(null);
  #warning = $state<string | null>(null);

  /** null while the database opens or when it failed (then `fatal` says why). */
  get ready(): Ready | null {
    return this.#ready;
  }

  /** An error that stops the app from working (e.g. storage unavailable). */
  get fatal(): string | null {
    return this.#fatal;
  }

  /** A message the learner must act on (e.g. close another tab, reload). */
  get warning(): string | null {
    return this.#warning;
  }

  dismissWarning(): void {
    this.#warning = null;
  }

  /**
   * Shows a failed background write (e.g. storage full) instead of losing it in a promise.
   * StorageError messages already say what to do; anything else is prefixed with context.
   */
  report = (err: unknown): void => {
    this.#warning =
      err instanceof StorageError
        ? err.message
        : `Something went wrong while saving: ${err instanceof Error ? err.message : String(err)}`;
  };

  async start(dbName?: string): Promise<void> {
    try {
      const db = await openAppDb({
        name: dbName,
        onBlocked: (e) => (this.#warning = e.message),
        onVersionChange: (e) => (this.#warning = e.message),
      });
      const progress = new ProgressState(db, COURSE);
      const storage = new StorageStatus(db);
      const training = new TrainingState(db);
      const registry = new RegistryState(db);
      const serving = new ServingState(db);
      const bench = new BenchmarkState(db, registry);
      const operate = new OperateState(db);
      await progress.load();
      // After a restore or reset every view re-reads storage (and tells other tabs via its channel).
      const workspace = new WorkspaceActions(db, async () => {
        await Promise.all([
          progress.reload(),
          training.loadRuns(),
          registry.load(),
          serving.refresh(),
          bench.loadHistory(),
          operate.reload(),
          storage.refresh(),
        ]);
      });
      this.#ready = {
        db,
        bench,
        operate,
        progress,
        registry,
        serving,
        storage,
        training,
        workspace,
      };
      void storage.refresh();
    } catch (err) {
      this.#fatal =
        err instanceof StorageError
          ? err.message
          : `Storage could not be opened: ${err instanceof Error ? err.message : String(err)}. ` +
            'Private browsing modes may block IndexedDB; open the app in a normal window.';
    }
  }
}

const KEY = Symbol('app');

export function provideApp(app: AppState): void {
  setContext(KEY, app);
}

/** The app state from context; only valid inside the component tree under App.svelte. */
export function useApp(): AppState {
  return getContext<AppState>(KEY);
}
