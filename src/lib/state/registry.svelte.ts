import type { Dataset, DatasetId } from '../core/data';
import {
  aliasHistory,
  deleteVersion,
  getRun,
  listModels,
  listVersions,
  previousAliasTarget,
  registerVersion,
  RegistryError,
  setAlias,
  StorageError,
  updateNote,
  type AliasEvent,
  type AppDb,
  type Clock,
  type ModelVersionRecord,
  type NewModelVersion,
  type RegisteredModel,
} from '../storage';

export type { AliasEvent, ModelVersionRecord, RegisteredModel };

/** The export and import code (onnx-proto, the data set code), loaded on the first use. */
type Ops = typeof import('./registry-ops');
const loadOps = (): Promise<Ops> => import('./registry-ops');
const loadDatasets = () => import('../engine/datasets');

/** What a registry action did: a message for the learner either way. */
export type RegistryResult<T = undefined> =
  { ok: true; value: T; message: string } | { ok: false; message: string };

/** Tells other open tabs that the registry changed, so their screens re-read it. */
const CHANNEL = 'pocket-mlops-registry';

/** The default reason for moving an alias, pre-filled in the screen's reason input. */
export const DEFAULT_ALIAS_REASON = 'promoted after review';
/** The default reason for a rollback. */
export const DEFAULT_ROLLBACK_REASON = 'rolled back to the previous version';

/**
 * The Registry screen's state: registered models, their versions (the .onnx bytes with lineage)
 * and alias histories, read from IndexedDB (the source of truth), and the actions that change
 * them. Actions never reject: each resolves to a {@link RegistryResult} whose message says what
 * happened or why nothing changed.
 */
export class RegistryState {
  readonly #db: AppDb;
  readonly #clock: Clock;
  #models = $state.raw<RegisteredModel[]>([]);
  #versions = $state.raw<Record<string, ModelVersionRecord[]>>({});
  #history = $state.raw<Record<string, AliasEvent[]>>({});
  /** Model -> alias -> the version a rollback would move it to (null: none). */
  #rollbackTargets = $state.raw<Record<string, Record<string, number | null>>>({});
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #busy = $state(false);
  #channel: BroadcastChannel | null = null;

  constructor(db: AppDb, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? Date.now;
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(CHANNEL);
      this.#channel.onmessage = () => void this.load();
    }
  }

  /** Registered models, by name. */
  get models(): readonly RegisteredModel[] {
    return this.#models;
  }
  /** Model name -> its versions, oldest first. */
  get versions(): Readonly<Record<string, readonly ModelVersionRecord[]>> {
    return this.#versions;
  }
  /** Model name -> its alias moves, newest first. */
  get history(): Readonly<Record<string, readonly AliasEvent[]>> {
    return this.#history;
  }
  /** True once the registry has been read at least once. */
  get loaded(): boolean {
    return this.#loaded;
  }
  /** Why the registry could not be read, if it could not. */
  get error(): string | null {
    return this.#error;
  }
  /** True while an action writes. */
  get busy(): boolean {
    return this.#busy;
  }

  /** The versions of one model, oldest first ([] for an unknown model). */
  versionsOf(modelName: string): readonly ModelVersionRecord[] {
    return this.#versions[modelName] ?? [];
  }
  /** The alias moves of one model, newest first. */
  historyOf(modelName: string): readonly AliasEvent[] {
    return this.#history[modelName] ?? [];
  }
  /** The version a rollback of `alias` would point it at, or null when there is none. */
  rollbackTarget(modelName: string, alias: string): number | null {
    return this.#rollbackTargets[modelName]?.[alias] ?? null;
  }

  /** The file name of a version's download, e.g. `digits-classifier-v2.onnx`. */
  downloadName(version: Pick<ModelVersionRecord, 'modelName' | 'version'>): string {
    return `${version.modelName}-v${version.version}.onnx`;
  }

  /** Re-reads every model, version and alias history; never rejects (errors land in `error`). */
  async load(): Promise<void> {
    try {
      const models = (await listModels(this.#db)).sort((a, b) => a.name.localeCompare(b.name));
      const versions: Record<string, ModelVersionRecord[]> = {};
      const history: Record<string, AliasEvent[]> = {};
      const targets: Record<string, Record<string, number | null>> = {};
      for (const model of models) {
        versions[model.name] = await listVersions(this.#db, model.name);
        history[model.name] = await aliasHistory(this.#db, model.name);
        targets[model.name] = {};
        for (const alias of Object.keys(model.aliases)) {
          const previous = await previousAliasTarget(this.#db, model.name, alias);
          targets[model.name][alias] = previous?.version ?? null;
        }
      }
      this.#models = models;
      this.#versions = versions;
      this.#history = history;
      this.#rollbackTargets = targets;
      this.#error = null;
    } catch (err) {
      this.#error = `The model registry could not be read: ${message(err)}`;
    } finally {
      this.#loaded = true;
    }
  }

  /**
   * Exports a completed run to ONNX and registers it as the next version of `modelName`.
   * The input schema's ranges come from the run's train split, recomputed from its split seed.
   */
  registerRun(
    runId: string,
    options: { modelName: string; note: string },
  ): Promise<RegistryResult<ModelVersionRecord>> {
    return this.#act(async () => {
      const run = await getRun(this.#db, runId);
      if (!run) throw new UserError(`There is no run "${runId}" in this browser any more`);
      const [ops, datasets] = await Promise.all([loadOps(), loadDatasets()]);
      if (!ops.isDatasetId(run.datasetId))
        throw new UserError(`Run "${runId}" was trained on an unknown data set "${run.datasetId}"`);
      const ds = await loadDatasetFor(datasets, run.datasetId);
      const next = ops.runVersion(run, ds, {
        modelName: options.modelName.trim(),
        note: options.note,
        appVersion: __APP_VERSION__,
      });
      return this.#register(next, `from ${run.id}`);
    });
  }

  /**
   * Validates an `.onnx` file and registers it as the next version of `modelName`. The data set
   * comes from the file's metadata, else from the model's existing versions, else `datasetId`
   * (the form's choice). Every refusal leaves the registry unchanged.
   */
  importOnnx(
    fileName: string,
    bytes: Uint8Array,
    options: { modelName: string; note: string; datasetId: DatasetId },
  ): Promise<RegistryResult<ModelVersionRecord>> {
    return this.#act(async () => {
      const ops = await loadOps();
      const parsed = ops.parseImport(fileName, bytes); // size limit first, then the file
      const modelName = options.modelName.trim();
      const existing = (await listVersions(this.#db, modelName))[0]?.lineage.datasetId;
      const datasetId = ops.importDatasetId(parsed, existing, options.datasetId);
      const ds = await loadDatasetFor(await loadDatasets(), datasetId);
      const next = ops.importVersion(parsed, ds, { modelName, note: options.note });
      return this.#register(next, `from ${fileName}`);
    });
  }

  /** Points `alias` of a model at `version`, logged with `reason`. */
  setAlias(
    modelName: string,
    alias: string,
    version: number,
    reason: string,
  ): Promise<RegistryResult<AliasEvent>> {
    return this.#act(async () => {
      const event = await setAlias(
        this.#db,
        { modelName, alias, version, reason: reason.trim(), actor: 'learner' },
        this.#clock,
      );
      return this.#done(event, `${alias} of ${modelName} now points at v${version}.`);
    });
  }

  /** Moves `alias` back to the version it pointed at before its current one. */
  rollback(modelName: string, alias: string, reason: string): Promise<RegistryResult<AliasEvent>> {
    return this.#act(async () => {
      const target = await previousAliasTarget(this.#db, modelName, alias);
      if (!target) {
        throw new UserError(
          `${alias} of ${modelName} has no earlier version to roll back to (it was never moved, or its earlier versions were deleted)`,
        );
      }
      const event = await setAlias(
        this.#db,
        { modelName, alias, version: target.version, reason: reason.trim(), actor: 'learner' },
        this.#clock,
      );
      return this.#done(
        event,
        `Rolled back: ${alias} of ${modelName} points at v${target.version} again.`,
      );
    });
  }

  /** Replaces a version's note (the one field of a version that may change). */
  updateNote(versionId: string, note: string): Promise<RegistryResult<ModelVersionRecord>> {
    return this.#act(async () => {
      const record = await updateNote(this.#db, versionId, note);
      return this.#done(record, `Saved the note of ${record.modelName} v${record.version}.`);
    });
  }

  /** Deletes a version; refused (with the reason) while an alias points at it. */
  deleteVersion(versionId: string): Promise<RegistryResult> {
    return this.#act(async () => {
      await deleteVersion(this.#db, versionId);
      return this.#done(undefined, `Deleted ${versionId.replace('@', ' ')}.`);
    });
  }

  /** Stops listening to other tabs. */
  dispose(): void {
    this.#channel?.close();
    this.#channel = null;
  }

  async #register(
    next: NewModelVersion,
    from: string,
  ): Promise<RegistryResult<ModelVersionRecord>> {
    const record = await registerVersion(this.#db, next, this.#clock);
    return this.#done(record, `Registered ${record.modelName} v${record.version} ${from}.`);
  }

  /** After a write: re-read, tell other tabs, and report. */
  async #done<T>(value: T, text: string): Promise<RegistryResult<T>> {
    await this.load();
    this.#channel?.postMessage('changed');
    return { ok: true, value, message: text };
  }

  /** Runs one action at a time and turns every failure into a message. */
  async #act<T>(action: () => Promise<RegistryResult<T>>): Promise<RegistryResult<T>> {
    if (this.#busy) return { ok: false, message: 'Another registry change is still running.' };
    this.#busy = true;
    try {
      return await action();
    } catch (err) {
      return { ok: false, message: sentence(userMessage(err)) };
    } finally {
      this.#busy = false;
    }
  }
}

/** A refusal written for the learner by this module. */
class UserError extends Error {}

async function loadDatasetFor(
  datasets: Awaited<ReturnType<typeof loadDatasets>>,
  id: DatasetId,
): Promise<Dataset> {
  try {
    return await datasets.loadDataset(id);
  } catch (err) {
    throw new UserError(`The ${id} data set could not be loaded: ${message(err)}`);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Messages the learner can read as they are; anything else gets context. */
function userMessage(err: unknown): string {
  if (
    err instanceof UserError ||
    err instanceof RegistryError ||
    err instanceof StorageError ||
    (err instanceof Error && err.name === 'RegistryRefusal')
  )
    return err.message;
  return `Something went wrong: ${message(err)}`;
}

/** Ends a message with a full stop unless it already ends with punctuation. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
