import type { StoreNames } from 'idb';
import {
  array,
  fail,
  finite,
  integer,
  number,
  object,
  oneOf,
  optionalString,
  string,
  tag,
  time,
  type Obj,
} from './backup-checks';
import { benchmarkRecord } from './backup-benchmarks';
import { aliasEvent, modelVersion, registeredModel } from './backup-registry';
import { classReport, drillAttempt, lessonPack, simSession } from './backup-v5';
import { ImportError } from './errors';
import type { ExerciseEvent, KeyValueRecord, LessonProgress, RunRecord } from './records';
import type { AppSchema } from './schema';

/**
 * What a workspace backup holds of each store, and how records travel through JSON.
 *
 * Sections: `BACKUP_SECTIONS` has one line per object store: the store's key field and a
 * shape check. Its type lists every store of `AppSchema`, so adding a store to the schema does
 * not compile until its line is added here.
 *
 * Encoding (`encodeValue` / `decodeValue`): records are plain JSON except for values JSON
 * cannot hold, which become marker objects (keys starting with `$` mark them):
 * - binary data: `{ "$bytes": "<base64>", "$type": "ArrayBuffer" }`; `$type` may also name a
 *   typed array (`Uint8Array`, `Float32Array`, ...), whose bytes are in platform order
 *   (little-endian on every browser the app runs in). Decoding gives back the same type.
 * - non-finite numbers (a diverged loss curve): `{ "$number": "NaN" | "Infinity" | "-Infinity" }`.
 * - a stored object that itself has a key starting with `$`: `{ "$object": { ...members } }`,
 *   so user data can never be mistaken for a marker.
 * Anything else that IndexedDB can hold but JSON cannot (Date, Map, Blob, ...) is refused at
 * export rather than silently changed. As in JSON, an `undefined` member is dropped and an
 * `undefined` array item becomes null.
 */

/** Every object store of the database; a backup has one section per store. */
export type BackupStore = StoreNames<AppSchema>;

/** The records of every store, as read from (and written to) the database. */
export type BackupStores = { [S in BackupStore]: AppSchema[S]['value'][] };

/** One store's part of a backup: its key field (to refuse duplicates) and its shape check. */
export interface BackupSection<T> {
  key: keyof T & string;
  /** Returns the record when its shape is right; throws ImportError naming `path` otherwise. */
  check: (value: unknown, path: string) => T;
}

/* ------------------------------------------------------------------ encoding */

const TYPED_ARRAYS = {
  Uint8Array,
  Int8Array,
  Uint8ClampedArray,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type BinaryType = 'ArrayBuffer' | keyof typeof TYPED_ARRAYS;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short on large models.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string, path: string): Uint8Array<ArrayBuffer> {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new ImportError('expected base64 data (A-Z, a-z, 0-9, +, /, = padding)', path);
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Encodes a stored value as JSON-ready data (see the file comment).
 * @param path where the value sits, for the error message.
 * @throws Error naming `path` for a value a backup cannot hold.
 */
export function encodeValue(value: unknown, path: string): unknown {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : { $number: String(value) };
  }
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') {
      throw new Error(`${path} holds a ${typeof value}, which a backup cannot hold`);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => encodeValue(v, `${path}[${i}]`));
  const kind = tag(value);
  if (kind === 'ArrayBuffer') {
    return { $bytes: toBase64(new Uint8Array(value as ArrayBuffer)), $type: 'ArrayBuffer' };
  }
  if (kind in TYPED_ARRAYS && ArrayBuffer.isView(value)) {
    const view = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return { $bytes: toBase64(view), $type: kind };
  }
  if (kind !== 'Object') {
    throw new Error(`${path} holds a ${kind}, which a backup cannot hold`);
  }
  const out: Obj = {};
  let escaped = false;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (k.startsWith('$')) escaped = true;
    out[k] = encodeValue(v, `${path}.${k}`);
  }
  return escaped ? { $object: out } : out;
}

function decodeBytes(o: Obj, path: string): ArrayBuffer | ArrayBufferView {
  if (typeof o.$bytes !== 'string') throw new ImportError('expected a base64 string', path);
  const type = o.$type as BinaryType;
  if (typeof type !== 'string' || (type !== 'ArrayBuffer' && !(type in TYPED_ARRAYS))) {
    throw new ImportError(
      `expected "$type" to be ArrayBuffer or a typed array such as Uint8Array`,
      path,
    );
  }
  const bytes = fromBase64(o.$bytes, `${path}.$bytes`);
  if (type === 'ArrayBuffer') return bytes.buffer;
  const Type = TYPED_ARRAYS[type];
  if (bytes.byteLength % Type.BYTES_PER_ELEMENT !== 0) {
    throw new ImportError(
      `${bytes.byteLength} bytes is not a whole number of ${type} elements`,
      `${path}.$bytes`,
    );
  }
  return new Type(bytes.buffer);
}

/** The marker keys and, for each, the keys its object may hold. */
const MARKERS: Record<string, readonly string[]> = {
  $bytes: ['$bytes', '$type'],
  $number: ['$number'],
  $object: ['$object'],
};

/**
 * Decodes what `encodeValue` wrote, checking every marker.
 * @throws ImportError naming the path of a malformed marker.
 */
export function decodeValue(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => decodeValue(v, `${path}[${i}]`));
  const o = value as Obj;
  const keys = Object.keys(o);
  if (!keys.some((k) => k.startsWith('$'))) {
    const out: Obj = {};
    for (const k of keys) out[k] = decodeValue(o[k], `${path}.${k}`);
    return out;
  }
  const marker = Object.keys(MARKERS).find((m) => m in o);
  if (marker === undefined) {
    const found = keys.find((k) => k.startsWith('$'));
    throw new ImportError(`unknown marker "${found}"`, path);
  }
  const extra = keys.find((k) => !MARKERS[marker].includes(k));
  if (extra !== undefined)
    throw new ImportError(`unexpected field "${extra}" beside "${marker}"`, path);
  if (marker === '$bytes') return decodeBytes(o, path);
  if (marker === '$number') {
    const n = o.$number;
    if (n !== 'NaN' && n !== 'Infinity' && n !== '-Infinity') {
      throw new ImportError('expected "NaN", "Infinity" or "-Infinity"', `${path}.$number`);
    }
    return Number(n);
  }
  const inner = o.$object;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw new ImportError('expected an object', `${path}.$object`);
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(inner)) out[k] = decodeValue(v, `${path}.${k}`);
  return out;
}

/* ------------------------------------------------------------ shape checks */

function lessonProgress(value: unknown, path: string): LessonProgress {
  const o = object(value, path);
  string(o.lessonId, `${path}.lessonId`);
  oneOf(o.status, `${path}.status`, ['not-started', 'in-progress', 'completed']);
  time(o.startedAt, `${path}.startedAt`);
  time(o.lastVisitedAt, `${path}.lastVisitedAt`);
  integer(o.attempts, `${path}.attempts`, 0);
  if (o.status === 'completed') time(o.completedAt, `${path}.completedAt`);
  else if (o.completedAt !== undefined)
    fail(`${path}.completedAt`, `only a completed lesson has one (status is "${o.status}")`);
  return o as unknown as LessonProgress;
}

function exerciseEvent(value: unknown, path: string): ExerciseEvent {
  const o = object(value, path);
  integer(o.seq, `${path}.seq`, 1);
  string(o.lessonId, `${path}.lessonId`);
  string(o.exerciseId, `${path}.exerciseId`);
  oneOf(o.kind, `${path}.kind`, ['check', 'hint', 'solution']);
  time(o.at, `${path}.at`);
  if (o.passed !== undefined && typeof o.passed !== 'boolean')
    fail(`${path}.passed`, 'expected true or false');
  optionalString(o, 'detail', path);
  return o as unknown as ExerciseEvent;
}

function keyValue(value: unknown, path: string): KeyValueRecord {
  const o = object(value, path);
  string(o.key, `${path}.key`);
  return o as unknown as KeyValueRecord;
}

function run(value: unknown, path: string): RunRecord {
  const o = object(value, path);
  string(o.id, `${path}.id`);
  time(o.createdAt, `${path}.createdAt`);
  if (o.finishedAt !== undefined) time(o.finishedAt, `${path}.finishedAt`);
  string(o.datasetId, `${path}.datasetId`);
  finite(o.seed, `${path}.seed`);
  finite(o.splitSeed, `${path}.splitSeed`);
  object(o.hyperparameters, `${path}.hyperparameters`);
  string(o.fingerprint, `${path}.fingerprint`);
  string(o.backend, `${path}.backend`);
  finite(o.durationMs, `${path}.durationMs`);
  array(o.curves, `${path}.curves`).forEach((point, i) => {
    const p = object(point, `${path}.curves[${i}]`);
    integer(p.epoch, `${path}.curves[${i}].epoch`, 0);
    for (const f of ['loss', 'valLoss', 'acc', 'valAcc']) number(p[f], `${path}.curves[${i}].${f}`);
  });
  if (o.metrics !== undefined) object(o.metrics, `${path}.metrics`);
  if (o.evaluation !== undefined) object(o.evaluation, `${path}.evaluation`);
  if (o.threshold !== undefined) finite(o.threshold, `${path}.threshold`);
  if (o.weights !== undefined && tag(o.weights as object) !== 'ArrayBuffer')
    fail(`${path}.weights`, 'expected binary data ({ "$bytes": ..., "$type": "ArrayBuffer" })');
  oneOf(o.status, `${path}.status`, ['running', 'completed', 'failed', 'cancelled']);
  optionalString(o, 'failureReason', path);
  return o as unknown as RunRecord;
}

/**
 * One line per store: its key field and shape check. Checks look at the fields the app reads
 * and keep any other field as it was, so a restore puts back exactly what was exported.
 */
export const BACKUP_SECTIONS: {
  readonly [S in BackupStore]: BackupSection<AppSchema[S]['value']>;
} = {
  lessonProgress: { key: 'lessonId', check: lessonProgress },
  exerciseEvents: { key: 'seq', check: exerciseEvent },
  settings: { key: 'key', check: keyValue },
  meta: { key: 'key', check: keyValue },
  runs: { key: 'id', check: run },
  models: { key: 'name', check: registeredModel },
  modelVersions: { key: 'id', check: modelVersion },
  aliasEvents: { key: 'seq', check: aliasEvent },
  benchmarks: { key: 'id', check: benchmarkRecord },
  simSessions: { key: 'id', check: simSession },
  drillAttempts: { key: 'id', check: drillAttempt },
  lessonPacks: { key: 'id', check: lessonPack },
  classReports: { key: 'id', check: classReport },
};

/** The stores a backup holds, in a fixed order. */
export const BACKUP_STORES = Object.keys(BACKUP_SECTIONS) as BackupStore[];

/** The first schema version whose backups exist (backups shipped with schema v2). */
export const FIRST_BACKUP_SCHEMA_VERSION = 2;

/** Some stores' sections: what a backup of an older schema version holds. */
export type SectionsAt = Partial<{
  readonly [S in BackupStore]: BackupSection<AppSchema[S]['value']>;
}>;

/**
 * The sections of backups made at each OLDER schema version (>= 2): the stores that version
 * had, with the checks of their records as that version wrote them. Such a backup is checked
 * with these, then upgraded by the real migrations (backup-upgrade.ts). Append a line when
 * `SCHEMA_VERSION` moves on; when a migration changes a store's records, give the older lines
 * a frozen copy of the old check rather than today's.
 */
export const OLDER_BACKUP_SECTIONS: Readonly<Record<number, SectionsAt>> = {
  // v3 added the registry stores and v4 the benchmarks; neither changed a v2 record.
  2: {
    lessonProgress: BACKUP_SECTIONS.lessonProgress,
    exerciseEvents: BACKUP_SECTIONS.exerciseEvents,
    settings: BACKUP_SECTIONS.settings,
    meta: BACKUP_SECTIONS.meta,
    runs: BACKUP_SECTIONS.runs,
  },
  // v4 added the benchmarks store (v5 more stores) and changed no v3 record.
  3: {
    lessonProgress: BACKUP_SECTIONS.lessonProgress,
    exerciseEvents: BACKUP_SECTIONS.exerciseEvents,
    settings: BACKUP_SECTIONS.settings,
    meta: BACKUP_SECTIONS.meta,
    runs: BACKUP_SECTIONS.runs,
    models: BACKUP_SECTIONS.models,
    modelVersions: BACKUP_SECTIONS.modelVersions,
    aliasEvents: BACKUP_SECTIONS.aliasEvents,
  },
  // v5 added the simulator, drill, lesson-pack and class-report stores; no v4 record changed.
  4: {
    lessonProgress: BACKUP_SECTIONS.lessonProgress,
    exerciseEvents: BACKUP_SECTIONS.exerciseEvents,
    settings: BACKUP_SECTIONS.settings,
    meta: BACKUP_SECTIONS.meta,
    runs: BACKUP_SECTIONS.runs,
    models: BACKUP_SECTIONS.models,
    modelVersions: BACKUP_SECTIONS.modelVersions,
    aliasEvents: BACKUP_SECTIONS.aliasEvents,
    benchmarks: BACKUP_SECTIONS.benchmarks,
  },
};

/**
 * Decodes and checks one store's section of a parsed file, with `section` (by default the
 * store's line of `BACKUP_SECTIONS`).
 * @throws ImportError naming the path (e.g. `stores.runs[2].createdAt`) of the first problem.
 */
export function decodeSection<S extends BackupStore>(
  store: S,
  value: unknown,
  section: BackupSection<AppSchema[S]['value']> = BACKUP_SECTIONS[store] as BackupSection<
    AppSchema[S]['value']
  >,
): AppSchema[S]['value'][] {
  const path = `stores.${store}`;
  const records = array(value, path).map((raw, i) =>
    section.check(decodeValue(raw, `${path}[${i}]`), `${path}[${i}]`),
  );
  const seen = new Map<unknown, number>();
  records.forEach((record, i) => {
    const key = record[section.key];
    const first = seen.get(key);
    if (first !== undefined)
      fail(
        `${path}[${i}].${section.key}`,
        `duplicate ${JSON.stringify(key)} (also at ${path}[${first}])`,
      );
    seen.set(key, i);
  });
  return records;
}
