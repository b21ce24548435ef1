import { ImportError } from './errors';
import type { ProgressFile, ProgressFileEvent, ProgressFileLesson } from './progress-file';

/**
 * Strict structural validation of a parsed progress file (after `format` and `version` were
 * checked). Every error names the JSON path of the offending value, e.g. `exerciseEvents[3].at`.
 * Unknown fields are refused: version 1 of the format has exactly these fields.
 */

type Obj = Record<string, unknown>;

const LESSON_STATUSES = ['not-started', 'in-progress', 'completed'];
const EVENT_KINDS = ['check', 'hint', 'solution'];

function fail(path: string, message: string): never {
  throw new ImportError(message, path);
}

function object(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(path, 'expected an object');
  return value as Obj;
}

function onlyKeys(obj: Obj, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(path ? `${path}.${key}` : key, 'unexpected field');
  }
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'expected a string');
  if (value === '') fail(path, 'expected a non-empty string');
  return value;
}

function oneOf(value: unknown, path: string, allowed: readonly string[]): string {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    fail(path, `expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  return value;
}

/** A time in ms since epoch: finite and not negative. */
function time(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'expected a number');
  if (value < 0) fail(path, 'expected a time in ms since 1970, not a negative number');
  return value;
}

function count(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(path, `expected an integer >= ${min}`);
  }
  return value;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'expected an array');
  return value;
}

function lesson(value: unknown, path: string): ProgressFileLesson {
  const o = object(value, path);
  onlyKeys(o, path, [
    'lessonId',
    'status',
    'startedAt',
    'completedAt',
    'lastVisitedAt',
    'attempts',
  ]);
  const status = oneOf(o.status, `${path}.status`, LESSON_STATUSES) as ProgressFileLesson['status'];
  const result: ProgressFileLesson = {
    lessonId: string(o.lessonId, `${path}.lessonId`),
    status,
    startedAt: time(o.startedAt, `${path}.startedAt`),
    lastVisitedAt: time(o.lastVisitedAt, `${path}.lastVisitedAt`),
  };
  if (status === 'completed') result.completedAt = time(o.completedAt, `${path}.completedAt`);
  else if (o.completedAt !== undefined)
    fail(`${path}.completedAt`, `only a completed lesson has one (status is "${status}")`);
  if (o.attempts !== undefined) result.attempts = count(o.attempts, `${path}.attempts`, 0);
  return result;
}

function event(value: unknown, path: string): ProgressFileEvent {
  const o = object(value, path);
  onlyKeys(o, path, ['seq', 'lessonId', 'exerciseId', 'kind', 'passed', 'at', 'detail']);
  const result: ProgressFileEvent = {
    seq: count(o.seq, `${path}.seq`, 1),
    lessonId: string(o.lessonId, `${path}.lessonId`),
    exerciseId: string(o.exerciseId, `${path}.exerciseId`),
    kind: oneOf(o.kind, `${path}.kind`, EVENT_KINDS) as ProgressFileEvent['kind'],
    at: time(o.at, `${path}.at`),
  };
  if (o.passed !== undefined) {
    if (typeof o.passed !== 'boolean') fail(`${path}.passed`, 'expected true or false');
    result.passed = o.passed;
  }
  if (o.detail !== undefined) {
    if (typeof o.detail !== 'string') fail(`${path}.detail`, 'expected a string');
    result.detail = o.detail;
  }
  return result;
}

/** Refuses a second record with the same key: importing it would silently drop one. */
function unique<T>(
  items: T[],
  key: (item: T) => string | number,
  path: string,
  field: string,
): void {
  const seen = new Map<string | number, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined)
      fail(`${path}[${i}].${field}`, `duplicate ${JSON.stringify(k)} (also at ${path}[${first}])`);
    seen.set(k, i);
  });
}

/**
 * Validates the whole file shape and returns a clean copy holding only known fields.
 * @throws ImportError naming the path of the first problem found.
 */
export function validateProgressFile(root: Obj): ProgressFile {
  onlyKeys(root, '', [
    'format',
    'version',
    'exportedAt',
    'app',
    'lessonProgress',
    'exerciseEvents',
    'checksum',
  ]);
  const exportedAt = string(root.exportedAt, 'exportedAt');
  if (Number.isNaN(Date.parse(exportedAt)))
    fail('exportedAt', 'expected an ISO 8601 date, e.g. 2024-05-01T12:00:00.000Z');
  const app = object(root.app, 'app');
  onlyKeys(app, 'app', ['schemaVersion']);
  const lessonProgress = array(root.lessonProgress, 'lessonProgress').map((l, i) =>
    lesson(l, `lessonProgress[${i}]`),
  );
  const exerciseEvents = array(root.exerciseEvents, 'exerciseEvents').map((e, i) =>
    event(e, `exerciseEvents[${i}]`),
  );
  unique(lessonProgress, (l) => l.lessonId, 'lessonProgress', 'lessonId');
  unique(exerciseEvents, (e) => e.seq, 'exerciseEvents', 'seq');
  const checksum = root.checksum;
  if (typeof checksum !== 'string' || !/^[0-9a-f]{64}$/.test(checksum)) {
    fail('checksum', 'expected 64 lowercase hex digits (a SHA-256)');
  }
  return {
    format: 'pocket-mlops-progress',
    version: 1,
    exportedAt,
    app: { schemaVersion: count(app.schemaVersion, 'app.schemaVersion', 1) },
    lessonProgress,
    exerciseEvents,
    checksum,
  };
}
