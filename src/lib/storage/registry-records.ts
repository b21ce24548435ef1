/**
 * The shapes of the model registry's records (schema v3): registered models, their versions
 * (the .onnx bytes with lineage), and the append-only log of alias moves. Like records.ts,
 * these describe the CURRENT schema; migrations never import them.
 */

/** How a version's bytes were made: full precision, half precision, or one of the int8 schemes. */
export type ModelVariant = 'fp32' | 'fp16' | 'int8-weight' | 'int8-dynamic' | 'int8-static';

/** Every `ModelVariant`, for checks and pickers. */
export const MODEL_VARIANTS: readonly ModelVariant[] = [
  'fp32',
  'fp16',
  'int8-weight',
  'int8-dynamic',
  'int8-static',
];

/** A named model (e.g. `digits-classifier`): the home of its versions and aliases. */
export interface RegisteredModel {
  /** Key. Kebab-case, 1 to 64 characters: lowercase letters, digits, single hyphens. */
  name: string;
  /** When the first version was registered, ms since epoch. */
  createdAt: number;
  /** Free text; '' until the learner writes one. */
  description: string;
  /** Alias name (kebab-case) -> version number, e.g. `{ champion: 2, challenger: 3 }`. */
  aliases: Record<string, number>;
  /**
   * The highest version number ever assigned to this model. The next registration gets
   * `lastVersion + 1`, so a number is never reused after its version is deleted (lineage
   * such as `parentVersionId` and the alias history keep meaning what they meant).
   */
  lastVersion: number;
}

/** Where a version came from. */
export interface ModelLineage {
  /** 'run': exported from an experiment run; 'import': a .onnx file from disk; 'quantize': derived from `parentVersionId`. */
  source: 'run' | 'import' | 'quantize';
  /** The experiment run it was exported from (source 'run'). */
  runId?: string;
  /** The version it was derived from, as a `ModelVersionRecord.id` (source 'quantize'). */
  parentVersionId?: string;
  /** Data set it was trained on, e.g. 'digits'. */
  datasetId: string;
  /** Hash of the data set and split it was trained on. */
  fingerprint?: string;
  /** As recorded by the run; stored as given. */
  hyperparameters?: Record<string, unknown>;
}

/** Figures measured at registration. Accuracies and agreements are fractions in [0, 1]. */
export interface ModelVersionMetrics {
  testAccuracy?: number;
  /** Top-1 agreement with the parent version on the test split. */
  agreementWithParent?: number;
  /** Largest absolute difference of any output probability from the parent's. */
  maxAbsDiffWithParent?: number;
}

/** What a request to this model must look like. Per-feature arrays have `features` entries. */
export interface ModelInputSchema {
  /** Width of one input row. */
  features: number;
  nClasses: number;
  /** `nClasses` names, index = class id. */
  classNames: string[];
  featureNames: string[];
  /** Per-feature minimum over the training split (requests outside are flagged as outliers). */
  min: number[];
  /** Per-feature maximum over the training split. */
  max: number[];
}

/** One immutable version of a registered model: the .onnx bytes and where they came from. */
export interface ModelVersionRecord {
  /** Key: `${modelName}@v${version}`, e.g. 'digits-classifier@v2'. */
  id: string;
  /** Indexed (`byModel`). */
  modelName: string;
  /** 1, 2, ... per model, in registration order; never reused. */
  version: number;
  /** ms since epoch. */
  createdAt: number;
  /** The .onnx file. */
  bytes: Uint8Array;
  /** SHA-256 of `bytes`, 64 lowercase hex digits. */
  sha256: string;
  /** `bytes.byteLength`. */
  sizeBytes: number;
  variant: ModelVariant;
  lineage: ModelLineage;
  metrics: ModelVersionMetrics;
  inputSchema: ModelInputSchema;
  /** Free text; may be ''. The only field that changes after registration (`updateNote`). */
  note: string;
}

/** Who moved an alias: the learner by hand, or an automated rule (rollout policy, retraining trigger). */
export type AliasActor = 'learner' | 'policy';

/** One alias move, appended to `aliasEvents` in the same transaction as the move itself. */
export interface AliasEvent {
  /** Auto-incremented key: the order of moves on this device. */
  seq: number;
  /** Indexed (`byModel`). */
  modelName: string;
  alias: string;
  /** Version the alias pointed at before; null when the alias was created. */
  fromVersion: number | null;
  /** Version it points at after; null when the alias was removed. */
  toVersion: number | null;
  /** ms since epoch. */
  at: number;
  /** Why, in the actor's words (may be ''). */
  reason: string;
  actor: AliasActor;
}
