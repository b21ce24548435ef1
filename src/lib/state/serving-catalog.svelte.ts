/**
 * What the Serve screen can serve: every registry version (grouped by model, newest first), the
 * one chosen, and its model and data loaded once per version (the playground's schema and test
 * rows). The version cannot change while the endpoint is busy; ServingState says when it is.
 */
import type { InputSchema } from '../core/input-schema';
import { listModels, listVersions, type AppDb } from '../storage';
import { loadServeLib } from './serving-lib';
import type { PreparedModel } from './serving-model';
import * as ops from './serving-ops';
import type { VersionsStatus } from './serving-types';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Every version of every model in the registry, as the version picker lists them. */
export async function readServableVersions(db: AppDb): Promise<ops.ServableVersion[]> {
  const models = await listModels(db);
  const versions = (await Promise.all(models.map((m) => listVersions(db, m.name)))).flat();
  return ops.servableVersions(
    models,
    versions.map((v) => ({
      id: v.id,
      modelName: v.modelName,
      version: v.version,
      createdAt: v.createdAt,
      variant: v.variant,
      datasetId: v.lineage.datasetId,
    })),
  );
}

/** The versions list, the chosen version and its loaded model. */
export class ServingCatalog {
  #versionsStatus = $state<VersionsStatus>('loading');
  #versionsError = $state<string | null>(null);
  #versions = $state.raw<ops.ServableVersion[]>([]);
  #versionId = $state<string | null>(null);
  #modelStatus = $state<'none' | 'loading' | 'ready' | 'error'>('none');
  #modelError = $state<string | null>(null);
  #schema = $state.raw<InputSchema | null>(null);
  #datasetId = $state<string | null>(null);
  #examples = $state.raw<{ row: number; label: string }[]>([]);

  // Not reactive: the loaded model (plain data) and the load in progress.
  #prepared: PreparedModel | null = null;
  #preparing: Promise<PreparedModel> | null = null;
  readonly #db: AppDb;
  readonly #busy: () => boolean;

  /** @param busy whether the endpoint is starting or running (the version is fixed then). */
  constructor(db: AppDb, busy: () => boolean) {
    this.#db = db;
    this.#busy = busy;
  }

  get versionsStatus(): VersionsStatus {
    return this.#versionsStatus;
  }
  get versionsError(): string | null {
    return this.#versionsError;
  }
  get versions(): readonly ops.ServableVersion[] {
    return this.#versions;
  }
  get versionId(): string | null {
    return this.#versionId;
  }
  /** Ignored while busy and for an id not in the list; loads the version's model. */
  set versionId(id: string | null) {
    if (this.#busy() || id === this.#versionId) return;
    if (id !== null && !this.#versions.some((v) => v.id === id)) return;
    this.#versionId = id;
    this.loadModel().catch(() => undefined); // modelError says why
  }
  get version(): ops.ServableVersion | null {
    return this.#versions.find((v) => v.id === this.#versionId) ?? null;
  }
  get modelStatus(): 'none' | 'loading' | 'ready' | 'error' {
    return this.#modelStatus;
  }
  get modelError(): string | null {
    return this.#modelError;
  }
  get schema(): InputSchema | null {
    return this.#schema;
  }
  get datasetId(): string | null {
    return this.#datasetId;
  }
  get examples(): readonly { row: number; label: string }[] {
    return this.#examples;
  }
  /** The chosen version's model and data once loaded (plain data: never put in reactive state). */
  get prepared(): PreparedModel | null {
    return this.#prepared;
  }

  /** The features of one data set row (a copy), or null before the model is loaded. */
  rowValues(row: number): number[] | null {
    const p = this.#prepared;
    if (!p || row < 0 || row >= p.dataset.rows) return null;
    const f = p.dataset.features;
    return Array.from(p.dataset.x.subarray(row * f, (row + 1) * f));
  }

  /**
   * Re-reads the list; keeps the chosen version when it still exists (or while busy), else
   * chooses the default. @throws what storage throws (see {@link readFailed}).
   */
  async read(): Promise<void> {
    const list = await readServableVersions(this.#db);
    this.#versions = list;
    this.#versionsStatus = 'ready';
    this.#versionsError = null;
    const keep = this.#versionId !== null && list.some((v) => v.id === this.#versionId);
    if (!keep && !this.#busy()) {
      this.#versionId = ops.defaultVersionId(list);
      this.#prepared = null;
      if (this.#versionId === null) this.#clearModel();
    }
  }

  /** Marks the list unreadable, with why. */
  readFailed(err: unknown): void {
    this.#versionsStatus = 'error';
    this.#versionsError = message(err);
  }

  /** Starts loading the chosen version's model unless it is loaded (`modelError` says why not). */
  prepareChosen(): void {
    if (this.#versionId && !this.#prepared) this.loadModel().catch(() => undefined);
  }

  /** Loads the chosen version's model and data (once per version). */
  loadModel(): Promise<PreparedModel> {
    const id = this.#versionId;
    if (!id) return Promise.reject(new Error('No model version is chosen.'));
    if (this.#prepared?.versionId === id) return Promise.resolve(this.#prepared);
    if (this.#preparing) {
      const pending = this.#preparing;
      return pending.then((p) => (p.versionId === id ? p : this.loadModel()));
    }
    this.#modelStatus = 'loading';
    this.#modelError = null;
    const preparing = loadServeLib()
      .then((lib) => lib.prepareVersion(this.#db, id))
      .finally(() => {
        if (this.#preparing === preparing) this.#preparing = null;
      });
    this.#preparing = preparing;
    preparing.then(
      (p) => {
        if (this.#versionId !== p.versionId) return;
        this.#prepared = p;
        const { dataset } = p;
        this.#schema = p.schema;
        this.#datasetId = p.datasetId;
        this.#examples = Array.from(p.testRows, (row, i) => ({
          row,
          label: `Test row ${i + 1}: ${dataset.classNames[dataset.y[row]]}`,
        }));
        this.#modelStatus = 'ready';
      },
      (err: unknown) => {
        if (this.#versionId !== id) return;
        this.#modelStatus = 'error';
        this.#modelError = message(err);
      },
    );
    return preparing;
  }

  #clearModel(): void {
    this.#modelStatus = 'none';
    this.#modelError = null;
    this.#schema = null;
    this.#datasetId = null;
    this.#examples = [];
  }
}
