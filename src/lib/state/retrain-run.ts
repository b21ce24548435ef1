/**
 * `retrainFromSession`: the retraining trigger acting on a saved Operate session. It asks the
 * policy (core shouldRetrain, reason kept), regenerates the labelled traffic available at the
 * session's simulated time T and a fresh holdout after T (core retrain-data), trains on the
 * original training split plus those production rows (one in-memory data set through the usual
 * train protocol: no protocol change), saves the run, exports it to ONNX (registry-ops
 * runVersion), evaluates it AND the champion on the holdout the same way (the plain TypeScript
 * forward pass on weights read back from each version's ONNX bytes), registers it and points the
 * `challenger` alias at it with the reason. Loaded lazily by RetrainState (onnx-proto, tfjs's
 * worker owner, the data sets).
 */
import { DEFAULT_SPLIT, datasetFingerprint, gatherRows, stratifiedSplit } from '../core/data';
import type { Dataset } from '../core/data';
import {
  DEFAULT_HYPERPARAMETERS,
  validateHyperparameters,
  type Hyperparameters,
} from '../core/mlp';
import { onnxToMlp } from '../core/onnx/import';
import { buildHoldout, holdoutMask, type TrafficSource } from '../core/retrain-data';
import { combineTrainingData } from '../core/retrain-data-combine';
import { selectTrainingRows } from '../core/retrain-data-select';
import { shouldRetrain, type RetrainDecision } from '../core/sim-retrain';
import { SEASONALITY, USERS } from '../engine/simulator';
import type { Trainer } from '../engine/trainer';
import type { EpochMetrics } from '../protocol/train';
import {
  getModel,
  getRun,
  getVersion,
  registerVersion,
  saveRun,
  setAlias,
  versionId as idOf,
  type AliasEvent,
  type AppDb,
  type ModelVersionRecord,
} from '../storage';
import type { SimSessionRecord } from '../storage/v5-records';
import { restoreSession } from './operate-session';
import { runVersion } from './registry-ops';
import { aliasReason, holdoutAccuracy, lineageText } from './retrain-eval';
import { policyOf, type RetrainSettings } from './retrain-settings';
import { completedRecord, newRunId, runningRecord } from './run-record';
import { prepareVersion } from './serving-model';
import { copyHyperparameters } from './train-form';

export { Trainer } from '../engine/trainer';

/** At most this many requests are regenerated for the lookback window (main-thread time). */
export const MAX_SCANNED_REQUESTS = 400_000;
/** The holdout is looked for in at most this much simulated time after T. */
const HOLDOUT_MAX_WINDOW_MS = 7 * 86_400_000;

export type RetrainOptions = {
  settings: RetrainSettings;
  actor: 'policy' | 'learner';
  /** Simulated time of the session's last retrain, or null. */
  lastRetrainAtMs: number | null;
  trainer: Pick<Trainer, 'train'>;
  appVersion: string;
  clock?: () => number;
  /** Short progress lines ("regenerating traffic", "training", ...). */
  onStage?: (stage: string) => void;
  onEpoch?: (m: EpochMetrics) => void;
  signal?: AbortSignal;
};

export type RetrainResult = {
  kind: 'retrained';
  decision: RetrainDecision;
  runId: string;
  version: ModelVersionRecord;
  /** The version compared with: the `champion` alias, else the served version. */
  championId: string;
  championIsAlias: boolean;
  newAccuracy: number;
  championAccuracy: number;
  holdoutRows: number;
  productionRows: number;
  lineage: string;
  reason: string;
  aliasEvent: AliasEvent;
};

export type RetrainOutcome = { kind: 'skipped'; decision: RetrainDecision } | RetrainResult;

/** A failure the learner can act on. */
export class RetrainError extends Error {
  override readonly name = 'RetrainError';
}

function hyperparametersOf(raw: Record<string, unknown> | undefined): Hyperparameters {
  if (!raw) return copyHyperparameters(DEFAULT_HYPERPARAMETERS);
  const h = copyHyperparameters(raw as unknown as Hyperparameters);
  return validateHyperparameters(h).ok ? h : copyHyperparameters(DEFAULT_HYPERPARAMETERS);
}

/**
 * Retrains from a saved session when the policy says so (or always, for the learner's "Retrain
 * now", which still records the policy's decision).
 * @throws RetrainError saying what is missing (no labelled rows, an empty holdout, a version
 *   gone from the registry); TrainError/AbortError from the trainer.
 */
export async function retrainFromSession(
  db: AppDb,
  record: SimSessionRecord,
  o: RetrainOptions,
): Promise<RetrainOutcome> {
  const clock = o.clock ?? Date.now;
  const restored = restoreSession(record);
  if (!restored.ok)
    throw new RetrainError(`The saved simulation cannot be read: ${restored.error}`);
  const { spec, snapshot } = restored.session;
  const T = snapshot.simTimeMs;
  const decision = shouldRetrain(snapshot.alerts, o.lastRetrainAtMs, T, policyOf(o.settings));
  if (o.actor === 'policy' && !decision.retrain) return { kind: 'skipped', decision };
  const stage = (s: string) => o.onStage?.(s);

  stage('Reading the served version and its data');
  const served = await getVersion(db, record.versionId);
  if (!served) throw new RetrainError(`${record.versionId} is no longer in the registry.`);
  const model = await prepareVersion(db, record.versionId);
  const ds = model.dataset;
  const baseRun = served.lineage.runId ? await getRun(db, served.lineage.runId) : undefined;
  const splitSeed = baseRun?.splitSeed ?? 0;
  const split = stratifiedSplit(ds.y, DEFAULT_SPLIT, splitSeed);
  const pool = { ...gatherRows(ds, model.testRows), features: ds.features, nClasses: ds.nClasses };
  const expected = spec.requestsPerSecond * o.settings.lookbackHours * 3600;
  if (expected > MAX_SCANNED_REQUESTS)
    throw new RetrainError(
      `The lookback window holds about ${Math.round(expected).toLocaleString('en')} requests at ${spec.requestsPerSecond} requests/s; at most ${MAX_SCANNED_REQUESTS.toLocaleString('en')} are regenerated. Shorten the lookback.`,
    );
  const src = (extraMs: number): TrafficSource => ({
    traffic: {
      seed: spec.seed,
      ratePerSecond: spec.requestsPerSecond,
      durationSeconds: spec.durationSeconds + extraMs / 1000,
      seasonality: SEASONALITY,
      users: USERS,
      poolSize: pool.y.length,
    },
    scenarios: spec.scenarios,
    dataset: spec.dataset === 'digits' ? 'digits' : 'tabular',
    pool,
  });
  const mask = holdoutMask(pool.y, spec.seed);

  stage('Regenerating the labelled traffic before the retrain time');
  const lookbackMs = o.settings.lookbackHours * 3_600_000;
  const sel = selectTrainingRows(src(0), mask, T, lookbackMs, o.settings.maxProductionRows);
  if (sel.rows.rows === 0)
    throw new RetrainError(
      `No labelled production rows by the retrain time: of ${sel.counts.scanned} requests in the lookback window, ${sel.counts.pending} labels had not arrived yet and ${sel.counts.missing} never arrive. Lengthen the lookback or let the simulation run on.`,
    );
  stage('Drawing a fresh holdout from the traffic after the retrain time');
  const maxWindow = Math.min(
    HOLDOUT_MAX_WINDOW_MS,
    (MAX_SCANNED_REQUESTS / spec.requestsPerSecond) * 1000,
  );
  const holdout = buildHoldout(
    src(Math.max(0, T + maxWindow - spec.durationSeconds * 1000)),
    mask,
    T,
    o.settings.holdoutSize,
    maxWindow,
  );
  if (holdout.rows < 20)
    throw new RetrainError(
      `Only ${holdout.rows} labelled holdout requests follow the retrain time (labels missing?): too few to compare models.`,
    );

  const testRows = model.testRows.filter((_, r) => mask[r] === 1);
  const combined = combineTrainingData(ds, split, testRows, sel.rows, spec.seed);
  const data: Dataset = { ...ds, x: combined.x, y: combined.y, rows: combined.rows };
  const h = hyperparametersOf(baseRun?.hyperparameters);
  const createdAt = clock();
  const running = runningRecord({
    id: newRunId(createdAt),
    createdAt,
    datasetId: ds.id,
    splitSeed,
    hyperparameters: h,
    fingerprint: await datasetFingerprint(data, combined.split),
    backend: 'wasm',
  });
  await saveRun(db, running);
  stage(`Training on ${split.train.length} + ${sel.rows.rows} rows`);
  const result = await o.trainer.train(
    {
      x: combined.x,
      y: combined.y,
      rows: combined.rows,
      features: ds.features,
      nClasses: ds.nClasses,
      split: combined.split,
      hyperparameters: h,
      backend: 'wasm',
    },
    { onProgress: o.onEpoch },
    o.signal,
  );
  const run = completedRecord(running, result, {
    nClasses: ds.nClasses,
    testIndices: combined.split.test,
    finishedAt: clock(),
  });
  await saveRun(db, run);

  stage('Evaluating the new model and the champion on the holdout');
  const lineage = lineageText({
    baseFingerprint: await datasetFingerprint(ds, split),
    datasetId: ds.id,
    splitSeed,
    baseTrainRows: split.train.length,
    counts: sel.counts,
    sessionId: record.id,
    trainingWindowMs: sel.rows.windowMs,
    usedSpanMs: sel.usedSpanMs,
    holdout,
    testRows: testRows.length,
  });
  const next = runVersion(run, ds, {
    modelName: served.modelName,
    note: `${o.actor === 'policy' ? 'Retrained by the retraining policy' : 'Retrained by the learner'}. ${lineage}`,
    appVersion: o.appVersion,
  });
  const champNumber = (await getModel(db, served.modelName))?.aliases.champion;
  const aliased =
    champNumber !== undefined
      ? await getVersion(db, idOf(served.modelName, champNumber))
      : undefined;
  const champion = aliased ?? served;
  const championIsAlias = aliased !== undefined;
  const newAccuracy = holdoutAccuracy(onnxToMlp(next.bytes).model, holdout);
  const championAccuracy = holdoutAccuracy(onnxToMlp(champion.bytes).model, holdout);
  const reason = aliasReason(decision.alert, T, newAccuracy, championAccuracy, championIsAlias);

  stage('Registering the challenger');
  const version = await registerVersion(db, next, clock);
  const aliasEvent = await setAlias(
    db,
    {
      modelName: served.modelName,
      alias: 'challenger',
      version: version.version,
      reason,
      actor: o.actor,
    },
    clock,
  );
  return {
    kind: 'retrained',
    decision,
    runId: run.id,
    version,
    championId: champion.id,
    championIsAlias,
    newAccuracy,
    championAccuracy,
    holdoutRows: holdout.rows,
    productionRows: sel.rows.rows,
    lineage,
    reason,
    aliasEvent,
  };
}
