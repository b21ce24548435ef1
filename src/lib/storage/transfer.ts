import type { AppDb } from './db';
import { withStorageErrors } from './errors';
import { incrementMeta } from './meta';
import {
  PROGRESS_FILE_FORMAT,
  progressFileChecksum,
  type ProgressFile,
  type ProgressFileEvent,
  type ProgressFileLesson,
} from './progress-file';
import type { Clock, ExerciseEvent, LessonProgress, LessonStatus } from './records';
import { SCHEMA_VERSION } from './schema';
import { writeTx } from './tx';

/** How `importProgress` combines a file with what is stored. */
export type ImportMode = 'replace' | 'merge';

/** What an import did. */
export interface ImportSummary {
  /** Lesson records written. */
  lessons: number;
  /** Exercise events written. */
  eventsAdded: number;
  /** Events skipped as duplicates (merge only). */
  eventsSkipped: number;
}

/** Copies only the fields of the file format, so internal fields never leak into an export. */
function lessonForFile(l: LessonProgress): ProgressFileLesson {
  const { lessonId, status, startedAt, completedAt, lastVisitedAt, attempts } = l;
  return {
    lessonId,
    status,
    startedAt,
    ...(completedAt !== undefined && { completedAt }),
    lastVisitedAt,
    attempts,
  };
}

function eventForFile(e: ExerciseEvent): ProgressFileEvent {
  const { seq, lessonId, exerciseId, kind, passed, at, detail } = e;
  return {
    seq,
    lessonId,
    exerciseId,
    kind,
    ...(passed !== undefined && { passed }),
    at,
    ...(detail !== undefined && { detail }),
  };
}

/**
 * Exports all progress (lessons and exercise events, read in one consistent snapshot) as a
 * checksummed `ProgressFile`, and counts the export in meta (`progressExports`).
 * The checksum detects corruption, not dishonesty (see `ProgressFile`).
 * @param now clock for `exportedAt`, ms since epoch.
 */
export async function exportProgress(db: AppDb, now: Clock = Date.now): Promise<ProgressFile> {
  const [lessons, events] = await withStorageErrors('read your progress', async () => {
    const tx = db.transaction(['lessonProgress', 'exerciseEvents'], 'readonly');
    return Promise.all([
      tx.objectStore('lessonProgress').getAll(),
      tx.objectStore('exerciseEvents').getAll(),
    ]);
  });
  const body: Omit<ProgressFile, 'checksum'> = {
    format: PROGRESS_FILE_FORMAT,
    version: 1,
    exportedAt: new Date(now()).toISOString(),
    app: { schemaVersion: SCHEMA_VERSION },
    lessonProgress: lessons.map(lessonForFile),
    exerciseEvents: events.map(eventForFile),
  };
  const file: ProgressFile = { ...body, checksum: await progressFileChecksum(body) };
  try {
    await incrementMeta(db, 'progressExports');
  } catch {
    // The counter is bookkeeping: a full disk must not stop a learner saving progress elsewhere.
  }
  return file;
}

/** The export as pretty JSON text, ready for a download. */
export function stringifyProgressFile(file: ProgressFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

const RANK: Record<LessonStatus, number> = { 'not-started': 0, 'in-progress': 1, completed: 2 };

/**
 * Merges two records of one lesson so no progress is lost: the further status wins
 * (completed > in-progress > not-started), with the earliest start, the earliest completion
 * and the latest visit. `attempts` is left for the caller to recompute from the events.
 */
function mergeLesson(a: ProgressFileLesson, b: ProgressFileLesson): ProgressFileLesson {
  const status = RANK[a.status] >= RANK[b.status] ? a.status : b.status;
  const completions = [a, b].flatMap((l) =>
    l.status === 'completed' && l.completedAt !== undefined ? [l.completedAt] : [],
  );
  return {
    lessonId: a.lessonId,
    status,
    startedAt: Math.min(a.startedAt, b.startedAt),
    ...(status === 'completed' && { completedAt: Math.min(...completions) }),
    lastVisitedAt: Math.max(a.lastVisitedAt, b.lastVisitedAt),
  };
}

/** Identity of an event across devices: `seq` differs between devices, these three do not. */
function eventKey(e: Pick<ExerciseEvent, 'exerciseId' | 'kind' | 'at'>): string {
  return JSON.stringify([e.exerciseId, e.kind, e.at]);
}

/**
 * Imports a parsed, validated file (from `parseProgressFile`) in ONE read-write transaction
 * over both progress stores: if any write fails, nothing changes.
 * - 'replace': the stores become exactly the file's content (events keep their `seq`).
 * - 'merge': lessons merge field by field keeping the further status (see `mergeLesson`);
 *   events are added unless one with the same (exerciseId, kind, at) exists, and get new `seq`s.
 * Each lesson's `attempts` is recomputed from the resulting events.
 */
export function importProgress(
  db: AppDb,
  file: ProgressFile,
  mode: ImportMode,
): Promise<ImportSummary> {
  return writeTx(
    db,
    ['lessonProgress', 'exerciseEvents'],
    'import the progress file',
    async (tx) => {
      const lessonStore = tx.objectStore('lessonProgress');
      const eventStore = tx.objectStore('exerciseEvents');
      const lessons = new Map<string, ProgressFileLesson>();
      const keptEvents: Pick<ExerciseEvent, 'lessonId' | 'kind'>[] = [];
      const seen = new Set<string>();
      if (mode === 'replace') {
        await lessonStore.clear();
        await eventStore.clear();
      } else {
        for (const l of await lessonStore.getAll()) lessons.set(l.lessonId, l);
        for (const e of await eventStore.getAll()) {
          keptEvents.push(e);
          seen.add(eventKey(e));
        }
      }
      const summary: ImportSummary = { lessons: 0, eventsAdded: 0, eventsSkipped: 0 };
      // Writes are awaited one by one: a request left pending when the transaction aborts
      // would reject later with nobody listening.
      for (const e of [...file.exerciseEvents].sort((x, y) => x.seq - y.seq)) {
        const copy = eventForFile(e);
        if (mode === 'merge') {
          if (seen.has(eventKey(e))) {
            summary.eventsSkipped++;
            continue;
          }
          seen.add(eventKey(e));
          const { seq: _deviceSeq, ...rest } = copy; // this device numbers its own events
          await eventStore.add(rest as ExerciseEvent);
        } else {
          await eventStore.put(copy);
        }
        keptEvents.push(copy);
        summary.eventsAdded++;
      }
      for (const l of file.lessonProgress) {
        const old = lessons.get(l.lessonId);
        lessons.set(l.lessonId, old ? mergeLesson(old, l) : l);
      }
      const checks = new Map<string, number>();
      for (const e of keptEvents)
        if (e.kind === 'check') checks.set(e.lessonId, (checks.get(e.lessonId) ?? 0) + 1);
      for (const l of lessons.values()) {
        const { attempts: _stale, ...rest } = l;
        await lessonStore.put({ ...rest, attempts: checks.get(l.lessonId) ?? 0 });
        summary.lessons++;
      }
      return summary;
    },
  );
}
