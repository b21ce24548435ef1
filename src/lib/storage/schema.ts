import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb';
import type { ExerciseEvent, KeyValueRecord, LessonProgress, RunRecord } from './records';
import type { BenchmarkRecord } from './benchmark-records';
import type { AliasEvent, ModelVersionRecord, RegisteredModel } from './registry-records';
import type {
  ClassReportRecord,
  DrillAttemptRecord,
  LessonPackRecord,
  SimSessionRecord,
} from './v5-records';

/** Name of the app's database. Tests and e2e pass their own name to stay isolated. */
export const DB_NAME = 'pocket-mlops';

/** The current schema version: the number of migrations shipped (`migrations.length - 1`). */
export const SCHEMA_VERSION = 5;

/** The typed shape of the database at `SCHEMA_VERSION`. */
export interface AppSchema extends DBSchema {
  lessonProgress: { key: string; value: LessonProgress };
  exerciseEvents: {
    key: number;
    value: ExerciseEvent;
    indexes: { byExercise: string; byLesson: string };
  };
  settings: { key: string; value: KeyValueRecord };
  meta: { key: string; value: KeyValueRecord };
  runs: {
    key: string;
    value: RunRecord;
    indexes: { byDataset: string; byCreatedAt: number };
  };
  models: { key: string; value: RegisteredModel };
  modelVersions: { key: string; value: ModelVersionRecord; indexes: { byModel: string } };
  aliasEvents: { key: number; value: AliasEvent; indexes: { byModel: string } };
  benchmarks: { key: string; value: BenchmarkRecord; indexes: { byCreatedAt: number } };
  simSessions: { key: string; value: SimSessionRecord; indexes: { byUpdatedAt: number } };
  drillAttempts: {
    key: string;
    value: DrillAttemptRecord;
    indexes: { byDrill: string; byStartedAt: number };
  };
  lessonPacks: { key: string; value: LessonPackRecord };
  classReports: { key: string; value: ClassReportRecord };
}

/**
 * One schema step. Migrations see an UNTYPED database on purpose: a shipped migration is
 * frozen history and must keep compiling and working when the current record types change.
 * It may only issue IndexedDB requests on `tx` (awaiting anything else would let the
 * upgrade transaction auto-commit half-way).
 */
export type Migration = (
  db: IDBPDatabase<unknown>,
  tx: IDBPTransaction<unknown, string[], 'versionchange'>,
) => void | Promise<void>;

/** v1: lesson progress and the exercise event log. */
const v1: Migration = (db) => {
  db.createObjectStore('lessonProgress', { keyPath: 'lessonId' });
  const events = db.createObjectStore('exerciseEvents', { keyPath: 'seq', autoIncrement: true });
  events.createIndex('byExercise', 'exerciseId');
  events.createIndex('byLesson', 'lessonId');
};

/** v2: settings, meta and runs; fills `attempts` (count of 'check' events) into each lesson. */
const v2: Migration = async (db, tx) => {
  db.createObjectStore('settings', { keyPath: 'key' });
  db.createObjectStore('meta', { keyPath: 'key' });
  const runs = db.createObjectStore('runs', { keyPath: 'id' });
  runs.createIndex('byDataset', 'datasetId');
  runs.createIndex('byCreatedAt', 'createdAt');

  // Count with a cursor rather than getAll: an old event log can be long.
  const checks = new Map<string, number>();
  let events = await tx.objectStore('exerciseEvents').openCursor();
  while (events) {
    const e = events.value as { lessonId: string; kind: string };
    if (e.kind === 'check') checks.set(e.lessonId, (checks.get(e.lessonId) ?? 0) + 1);
    events = await events.continue();
  }
  let lessons = await tx.objectStore('lessonProgress').openCursor();
  while (lessons) {
    const lesson = lessons.value as { lessonId: string };
    await lessons.update({ ...lesson, attempts: checks.get(lesson.lessonId) ?? 0 });
    lessons = await lessons.continue();
  }
};

/** v3: the model registry: models, their versions (the .onnx bytes) and the alias log. */
const v3: Migration = (db) => {
  db.createObjectStore('models', { keyPath: 'name' });
  const versions = db.createObjectStore('modelVersions', { keyPath: 'id' });
  versions.createIndex('byModel', 'modelName');
  const aliasEvents = db.createObjectStore('aliasEvents', { keyPath: 'seq', autoIncrement: true });
  aliasEvents.createIndex('byModel', 'modelName');
};

/** v4: benchmark results (the benchmark lab), newest found through `byCreatedAt`. */
const v4: Migration = (db) => {
  const benchmarks = db.createObjectStore('benchmarks', { keyPath: 'id' });
  benchmarks.createIndex('byCreatedAt', 'createdAt');
};

/**
 * v5: the Operate lab's simulator sessions, interview-drill attempts, imported lesson packs and
 * a class's imported progress reports. Adds stores only; no earlier record changes.
 */
const v5: Migration = (db) => {
  db.createObjectStore('simSessions', { keyPath: 'id' }).createIndex('byUpdatedAt', 'updatedAt');
  const attempts = db.createObjectStore('drillAttempts', { keyPath: 'id' });
  attempts.createIndex('byDrill', 'drillId');
  attempts.createIndex('byStartedAt', 'startedAt');
  db.createObjectStore('lessonPacks', { keyPath: 'id' });
  db.createObjectStore('classReports', { keyPath: 'id' });
};

/**
 * The ordered migrations: `migrations[v]` upgrades a database from version v-1 to v
 * (index 0 is unused: version 0 means "no database yet"). Append only; never edit a
 * shipped entry, because databases in the field already ran it.
 */
export const migrations: readonly Migration[] = [() => {}, v1, v2, v3, v4, v5];
