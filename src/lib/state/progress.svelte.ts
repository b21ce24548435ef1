import { lessonExercises } from '../lessons/exercises';
import type { LabSnapshot } from '../lessons/checks';
import type { Lesson } from '../lessons/types';
import {
  exportProgress,
  getAllProgress,
  getExerciseEvents,
  getMeta,
  importProgress,
  markLessonCompleted,
  markLessonVisited,
  parseProgressFile,
  recordExerciseEvent,
  stringifyProgressFile,
  type AppDb,
  type ExerciseEventKind,
  type ImportMode,
  type ImportSummary,
  type LessonProgress,
} from '../storage';
import { summarizeEvents, type ExerciseSummary } from './exercise-summary';

/** Tells other open tabs that saved progress changed, so they re-read it instead of going stale. */
const CHANNEL = 'pocket-mlops-progress';

/**
 * The learner's progress as the UI sees it. IndexedDB (through storage) is the source of truth;
 * this class holds a read copy and re-reads it after each write and when another tab writes.
 */
export class ProgressState {
  // Immutable snapshots replaced whole on each load, so plain Maps in $state.raw are right here.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #lessons = $state.raw<ReadonlyMap<string, LessonProgress>>(new Map());
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #exercises = $state.raw<ReadonlyMap<string, ExerciseSummary>>(new Map());
  #exports = $state(0);
  #channel: BroadcastChannel | null = null;
  readonly #db: AppDb;
  readonly #course: readonly Lesson[];

  constructor(db: AppDb, course: readonly Lesson[]) {
    this.#db = db;
    this.#course = course;
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(CHANNEL);
      this.#channel.onmessage = () => void this.load();
    }
  }

  get lessons(): ReadonlyMap<string, LessonProgress> {
    return this.#lessons;
  }

  /** Number of progress files exported from this browser. */
  get exports(): number {
    return this.#exports;
  }

  exercise(id: string): ExerciseSummary | undefined {
    return this.#exercises.get(id);
  }

  /** The lesson the learner most recently worked in that is not completed, if any. */
  get continueLessonId(): string | null {
    let best: LessonProgress | null = null;
    for (const p of this.#lessons.values()) {
      if (p.status !== 'completed' && (!best || p.lastVisitedAt > best.lastVisitedAt)) best = p;
    }
    return best?.lessonId ?? null;
  }

  /** Re-reads everything from storage. */
  async load(): Promise<void> {
    const [lessons, events, exports] = await Promise.all([
      getAllProgress(this.#db),
      getExerciseEvents(this.#db),
      getMeta(this.#db, 'progressExports'),
    ]);
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    this.#lessons = new Map(lessons.map((p) => [p.lessonId, p]));
    this.#exercises = summarizeEvents(events);
    this.#exports = exports ?? 0;
  }

  /** Re-reads storage after an outside change (restore, reset) and tells the other tabs. */
  reload(): Promise<void> {
    return this.#changed();
  }

  async visit(lessonId: string): Promise<void> {
    await markLessonVisited(this.#db, lessonId);
    await this.#changed();
  }

  /**
   * Records a check, hint or solution event; when every exercise of the lesson has passed,
   * marks the lesson completed.
   */
  async record(
    lesson: Lesson,
    exerciseId: string,
    kind: ExerciseEventKind,
    outcome?: { passed: boolean; detail?: string },
  ): Promise<void> {
    await recordExerciseEvent(this.#db, {
      lessonId: lesson.meta.id,
      exerciseId,
      kind,
      passed: outcome?.passed,
      detail: outcome?.detail,
    });
    await this.load();
    const done = lessonExercises(lesson).every((e) => this.#exercises.get(e.id)?.passed);
    if (done && this.#lessons.get(lesson.meta.id)?.status !== 'completed') {
      await markLessonCompleted(this.#db, lesson.meta.id);
    }
    await this.#changed();
  }

  /** Builds the progress file (JSON text) and counts the export. */
  async exportFile(): Promise<{ fileName: string; text: string }> {
    const file = await exportProgress(this.#db);
    await this.#changed();
    const day = file.exportedAt.slice(0, 10);
    return { fileName: `pocket-mlops-progress-${day}.json`, text: stringifyProgressFile(file) };
  }

  /** Validates then imports a progress file; throws ImportError and changes nothing when bad. */
  async importFile(text: string, mode: ImportMode): Promise<ImportSummary> {
    const file = await parseProgressFile(text);
    const summary = await importProgress(this.#db, file, mode);
    await this.#changed();
    return summary;
  }

  /** The progress part of what exercise checks see (lab-snapshot.ts adds the rest). */
  snapshot(): Pick<LabSnapshot, 'progressExports' | 'completedLessons'> {
    const completedLessons = [...this.#lessons.values()]
      .filter((p) => p.status === 'completed')
      .map((p) => p.lessonId);
    return { progressExports: this.#exports, completedLessons };
  }

  /** Lessons of the course in order, each with its saved progress (if any). */
  get courseProgress(): { lesson: Lesson; progress: LessonProgress | undefined }[] {
    return this.#course.map((lesson) => ({ lesson, progress: this.#lessons.get(lesson.meta.id) }));
  }

  async #changed(): Promise<void> {
    await this.load();
    this.#channel?.postMessage('changed');
  }
}
