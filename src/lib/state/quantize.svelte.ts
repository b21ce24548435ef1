import type { ServeWorkerLike } from '../engine/serve-client';
import { registerVersion, RegistryError, StorageError, type AppDb } from '../storage';
import type { PreviewFigures, QuantizeMode, QuantizeSettings, TensorInfo } from './quantize-ops';
import type { ModelVersionRecord, RegistryResult, RegistryState } from './registry.svelte';

export type { PreviewFigures, QuantizeMode, QuantizeSettings, TensorInfo } from './quantize-ops';

/** The quantization code (onnx-proto), the data set loader and the agreement check, on first use. */
const loadLib = () =>
  Promise.all([
    import('./quantize-ops'),
    import('./serving-model'),
    import('../engine/serve-client'),
  ]);

/** A quantized file measured and ready to register (never reactive deep: held as `$state.raw`). */
export type QuantizePreview = {
  parentId: string;
  modelName: string;
  parentVersion: number;
  settings: QuantizeSettings;
  /** E.g. "int8 weight, per-channel". */
  description: string;
  bytes: Uint8Array;
  figures: PreviewFigures;
  /** The runtime whose outputs the figures are, after any fallback (always `ort-wasm` here). */
  runtime: string;
  tensors: TensorInfo[];
  /** The registered version's id once registered. */
  registeredAs: string | null;
};

/** A parent the picker offers: an fp32 version. */
export type ParentOption = { id: string; label: string };

export const QUANTIZE_MODE_LIST: readonly QuantizeMode[] = [
  'fp16',
  'int8-weight',
  'int8-dynamic',
  'int8-static',
];

function message(err: unknown): string {
  if (err instanceof RegistryError || err instanceof StorageError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The Quantize panel's state: which fp32 version to quantize and how, `run()` (build the file,
 * run it in onnxruntime-web in a worker on the test split, measure), and `register(note)` (store
 * the preview as the next version of the same model, with lineage, then reload the registry).
 * Actions never reject; failures land in `error` or in the returned message.
 */
export class QuantizeState {
  readonly #db: AppDb;
  readonly #registry: RegistryState;
  readonly #createWorker: (() => ServeWorkerLike) | undefined;

  #parentId = $state<string | null>(null);
  #mode = $state<QuantizeMode>('int8-weight');
  #perChannel = $state(false);
  #calibrationRows = $state(200);
  #calibrationMethod = $state<'minmax' | 'percentile'>('minmax');
  #dynamicOp = $state<QuantizeSettings['dynamicOp']>('MatMulInteger');
  #staticFormat = $state<QuantizeSettings['staticFormat']>('qdq');

  #running = $state(false);
  #registering = $state(false);
  #phase = $state<string | null>(null);
  #error = $state<string | null>(null);
  #preview = $state.raw<QuantizePreview | null>(null);
  #tensor = $state<string | null>(null);
  // Not reactive: the handle that cancels the run in progress.
  #controller: AbortController | null = null;

  #parents = $derived.by((): ParentOption[] =>
    this.#registry.models.flatMap((m) =>
      [...this.#registry.versionsOf(m.name)]
        .filter((v) => v.variant === 'fp32')
        .reverse()
        .map((v) => ({ id: v.id, label: parentLabel(v) })),
    ),
  );

  constructor(
    db: AppDb,
    registry: RegistryState,
    options: { createWorker?: () => ServeWorkerLike } = {},
  ) {
    this.#db = db;
    this.#registry = registry;
    this.#createWorker = options.createWorker;
  }

  /** fp32 versions of every model, newest first per model. */
  get parents(): readonly ParentOption[] {
    return this.#parents;
  }
  /** The chosen parent, or the first offered; null when there is none. */
  get parentId(): string | null {
    const chosen = this.#parentId;
    return this.#parents.some((p) => p.id === chosen) ? chosen : (this.#parents[0]?.id ?? null);
  }
  set parentId(id: string | null) {
    this.#parentId = id;
    this.#invalidate();
  }
  get mode(): QuantizeMode {
    return this.#mode;
  }
  set mode(mode: QuantizeMode) {
    this.#mode = mode;
    this.#invalidate();
  }
  get perChannel(): boolean {
    return this.#perChannel;
  }
  set perChannel(on: boolean) {
    this.#perChannel = on;
    this.#invalidate();
  }
  get calibrationRows(): number {
    return this.#calibrationRows;
  }
  set calibrationRows(n: number) {
    this.#calibrationRows = n;
    this.#invalidate();
  }
  get calibrationMethod(): 'minmax' | 'percentile' {
    return this.#calibrationMethod;
  }
  set calibrationMethod(m: 'minmax' | 'percentile') {
    this.#calibrationMethod = m;
    this.#invalidate();
  }
  get dynamicOp(): QuantizeSettings['dynamicOp'] {
    return this.#dynamicOp;
  }
  set dynamicOp(op: QuantizeSettings['dynamicOp']) {
    this.#dynamicOp = op;
    this.#invalidate();
  }
  get staticFormat(): QuantizeSettings['staticFormat'] {
    return this.#staticFormat;
  }
  set staticFormat(f: QuantizeSettings['staticFormat']) {
    this.#staticFormat = f;
    this.#invalidate();
  }

  /** The settings as they stand. */
  get settings(): QuantizeSettings {
    return {
      mode: this.#mode,
      perChannel: this.#perChannel,
      calibrationRows: this.#calibrationRows,
      calibrationMethod: this.#calibrationMethod,
      dynamicOp: this.#dynamicOp,
      staticFormat: this.#staticFormat,
    };
  }

  get running(): boolean {
    return this.#running;
  }
  get registering(): boolean {
    return this.#registering;
  }
  /** What the run is doing now, in words. */
  get phase(): string | null {
    return this.#phase;
  }
  /** Why the last run failed. */
  get error(): string | null {
    return this.#error;
  }
  /** The last run's result (cleared when a setting changes). */
  get preview(): QuantizePreview | null {
    return this.#preview;
  }
  /** The tensor the scale / zero-point explainer shows (default: the first). */
  get tensor(): TensorInfo | null {
    const tensors = this.#preview?.tensors ?? [];
    return tensors.find((t) => t.name === this.#tensor) ?? tensors[0] ?? null;
  }
  /** Shows `name` in the explainer. */
  selectTensor(name: string): void {
    this.#tensor = name;
  }

  /** Stops the run in progress (its worker is terminated). */
  cancel(): void {
    this.#controller?.abort();
  }

  /** Builds the quantized file of the chosen version and measures it in onnxruntime-web. */
  async run(): Promise<void> {
    const parentId = this.parentId;
    if (this.#running) return;
    if (!parentId) {
      this.#error = 'There is no fp32 version to quantize: register a run first.';
      return;
    }
    const parent = this.#record(parentId);
    if (!parent) {
      this.#error = `${parentId} is no longer in the registry.`;
      return;
    }
    const settings = this.settings;
    const controller = new AbortController();
    this.#controller = controller;
    this.#running = true;
    this.#error = null;
    this.#preview = null;
    try {
      this.#phase = 'Loading the model and its data set…';
      const [ops, serving, client] = await loadLib();
      const prepared = await serving.prepareVersion(this.#db, parentId);
      const model = ops.decodeMlp(prepared.weights);
      const summary = ops.readOnnx(parent.bytes);
      const ds = prepared.dataset;
      const train = ops.trainRows(ds, ops.importSplitSeed(summary.metadata));
      const problem = ops.settingsProblem(settings, train.length);
      if (problem) throw new Error(problem);

      this.#phase = 'Quantizing the weights and writing the ONNX file…';
      const calibration =
        settings.mode === 'int8-static' ? ops.calibrationSet(ds, train, settings) : undefined;
      const meta = ops.candidateMeta(summary, parentId, settings.mode);
      const bytes = ops.buildCandidate(model, settings, meta, calibration);

      this.#phase = `Running it in ONNX Runtime Web (WebAssembly) on ${prepared.testRows.length} test rows…`;
      const tap = ops.tapOutputs(this.#createWorker ?? client.createServeWorker);
      const report = await serving.checkAgreement({
        runtime: 'ort-wasm',
        onnx: bytes,
        weights: prepared.weights,
        x: ds.x,
        rows: prepared.testRows,
        variant: ops.toleranceVariant(settings.mode),
        threads: 1,
        batchSize: ops.rowsPerCall(settings.mode),
        signal: controller.signal,
        createWorker: tap.createWorker,
      });
      if (report.actualRuntime !== 'ort-wasm')
        throw new Error(
          `ONNX Runtime Web did not run the file (it fell back to ${report.actualRuntime}${report.fallbackReason ? `: ${report.fallbackReason}` : ''}).`,
        );
      const test = ops.gatherRows(ds, prepared.testRows);
      const nClasses = ds.nClasses;
      const reference = ops.forward(model, test.x, test.rows);
      const figures = ops.previewFigures({
        mode: settings.mode,
        sizeBytes: bytes.byteLength,
        parentSizeBytes: parent.sizeBytes,
        agreement: report.agreement,
        accuracy: ops.accuracyOf(tap.outputs(), test.y, nClasses),
        fp32Accuracy: ops.accuracyOf(reference, test.y, nClasses),
      });
      this.#tensor = null;
      this.#preview = {
        parentId,
        modelName: parent.modelName,
        parentVersion: parent.version,
        settings,
        description: ops.describeSettings(settings),
        bytes,
        figures,
        runtime: report.actualRuntime,
        tensors: ops.quantizedTensors(model, settings, calibration),
        registeredAs: null,
      };
    } catch (err) {
      this.#error = controller.signal.aborted
        ? 'Cancelled: nothing was measured.'
        : `Quantizing ${parentId} failed: ${message(err)}`;
    } finally {
      this.#running = false;
      this.#phase = null;
      if (this.#controller === controller) this.#controller = null;
    }
  }

  /**
   * Registers the preview as the next version of the parent's model (variant = mode, lineage
   * `quantize` to the parent, the measured metrics), then reloads the registry.
   */
  async register(note: string): Promise<RegistryResult<ModelVersionRecord>> {
    const preview = this.#preview;
    if (!preview) return { ok: false, message: 'Quantize a version first.' };
    if (preview.registeredAs)
      return { ok: false, message: `This file is already registered as ${preview.registeredAs}.` };
    const parent = this.#record(preview.parentId);
    if (!parent) return { ok: false, message: `${preview.parentId} is no longer in the registry.` };
    if (this.#registering) return { ok: false, message: 'A registration is still running.' };
    this.#registering = true;
    try {
      const ops = await import('./quantize-ops');
      const record = await registerVersion(this.#db, ops.quantizedVersion(parent, preview, note));
      if (this.#preview === preview) this.#preview = { ...preview, registeredAs: record.id };
      await this.#registry.load();
      return {
        ok: true,
        value: record,
        message: `Registered ${record.modelName} v${record.version} (${record.variant}), quantized from v${parent.version}.`,
      };
    } catch (err) {
      return { ok: false, message: `Nothing was registered: ${message(err)}` };
    } finally {
      this.#registering = false;
    }
  }

  #record(id: string): ModelVersionRecord | undefined {
    for (const m of this.#registry.models) {
      const found = this.#registry.versionsOf(m.name).find((v) => v.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** A setting changed: the preview no longer describes it. */
  #invalidate(): void {
    if (this.#running) return;
    this.#preview = null;
    this.#error = null;
  }
}

/** "digits-classifier v1 (fp32, test 97.2%)". */
function parentLabel(v: ModelVersionRecord): string {
  const acc = v.metrics.testAccuracy;
  const tail = acc === undefined ? '' : `, test ${(acc * 100).toFixed(1)}%`;
  return `${v.modelName} v${v.version} (fp32${tail})`;
}
