/**
 * Public API of the storage module: the only code in the app that opens IndexedDB.
 * Repository functions take the `AppDb` from `openAppDb` and reject with `StorageError`;
 * registry functions also reject with `RegistryError` when they refuse a request.
 */
export { DB_NAME, SCHEMA_VERSION } from './schema';
export type { AppSchema } from './schema';
export { openAppDb, deleteAppDb } from './db';
export type { AppDb, OpenAppDbOptions } from './db';
export { StorageError, ImportError, isQuotaError } from './errors';
export type { StorageErrorKind } from './errors';
export type {
  Clock,
  ExerciseEvent,
  ExerciseEventKind,
  LessonProgress,
  LessonStatus,
  RunCurvePoint,
  RunEvaluation,
  RunMetrics,
  RunRecord,
  RunStatus,
} from './records';
export {
  getAllProgress,
  getLessonProgress,
  markLessonVisited,
  markLessonCompleted,
  recordExerciseEvent,
  getExerciseEvents,
  exerciseStatus,
} from './progress';
export type { ExerciseStatus, NewExerciseEvent } from './progress';
export {
  PROGRESS_FILE_FORMAT,
  SUPPORTED_PROGRESS_FILE_VERSIONS,
  DEFAULT_MAX_PROGRESS_FILE_BYTES,
  parseProgressFile,
  progressFileChecksum,
} from './progress-file';
export type { ProgressFile, ProgressFileEvent, ProgressFileLesson } from './progress-file';
export { exportProgress, importProgress, stringifyProgressFile } from './transfer';
export type { ImportMode, ImportSummary } from './transfer';
export { saveRun, getRun, listRuns, deleteRun } from './runs';
export { getSetting, setSetting } from './settings';
export { getMeta, setMeta, incrementMeta } from './meta';
export type { MetaValues, CounterKey, PersistenceAnswer } from './meta';
export { storageEstimate, requestPersistence } from './quota';
export type { StorageEstimateBytes, StorageManagerLike, RequestPersistenceOptions } from './quota';
export {
  BACKUP_FILE_FORMAT,
  SUPPORTED_BACKUP_FILE_VERSIONS,
  DEFAULT_MAX_BACKUP_FILE_BYTES,
  exportWorkspace,
  stringifyBackup,
  parseBackupFile,
  restoreWorkspace,
  backupCounts,
} from './backup';
export type { WorkspaceBackup, BackupCounts } from './backup';
export type { BackupStore, BackupStores } from './backup-schema';
export { clearWorkspace, deleteAllRuns } from './reset';
export { RegistryError } from './errors';
export type { RegistryErrorCode } from './errors';
export { MODEL_VARIANTS } from './registry-records';
export type {
  AliasActor,
  AliasEvent,
  ModelInputSchema,
  ModelLineage,
  ModelVariant,
  ModelVersionMetrics,
  ModelVersionRecord,
  RegisteredModel,
} from './registry-records';
export {
  registerVersion,
  listModels,
  getModel,
  listVersions,
  getVersion,
  updateNote,
  setModelDescription,
  deleteVersion,
  deleteModel,
} from './registry';
export {
  setAlias,
  removeAlias,
  aliasHistory,
  resolveAlias,
  previousAliasTarget,
} from './registry-aliases';
export type { SetAliasRequest, RemoveAliasRequest } from './registry-aliases';
export { isKebabName, versionId, MAX_REGISTRY_NAME_LENGTH } from './registry-validate';
export type { NewModelVersion } from './registry-validate';
export { saveBenchmark, getBenchmark, listBenchmarks, deleteBenchmark } from './benchmarks';
export type {
  BenchmarkCell,
  BenchmarkEnvironment,
  BenchmarkFailure,
  BenchmarkRecord,
  BenchmarkSlo,
  BenchmarkTiming,
  BenchmarkWebGpu,
} from './benchmark-records';
export { canonicalJson, sha256Hex } from './canonical';
export { readJsonFile, formatSize } from './json-file';
export { listLessonPacks, getLessonPack, saveLessonPack, deleteLessonPack } from './lesson-packs';
export {
  listClassReports,
  addClassReports,
  deleteClassReport,
  clearClassReports,
} from './class-reports';
export {
  saveDrillAttempt,
  getDrillAttempt,
  listDrillAttempts,
  deleteDrillAttempt,
} from './drill-attempts';
export type {
  ClassReportRecord,
  DrillAttemptRecord,
  JsonObject,
  LessonPackRecord,
  SimSessionRecord,
} from './v5-records';
