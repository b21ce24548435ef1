/**
 * Installed lesson packs (the Classroom page, and the pack lesson view): import a pack file
 * (validated all-or-nothing, then saved in one transaction), list, open a lesson, remove.
 */
import { parseLesson } from '../lessons/parse';
import type { Lesson } from '../lessons/types';
import {
  deleteLessonPack,
  getLessonPack,
  listLessonPacks,
  saveLessonPack,
  type AppDb,
  type LessonPackRecord,
} from '../storage';
import { parseLessonPackFile } from './lesson-packs-file';

/** A stored pack's lessons, parsed again with the current app's validator. */
export function parsePackLessons(pack: LessonPackRecord): Lesson[] {
  return pack.lessons.map((l) => parseLesson(l.fileName, l.source));
}

/** What an import did, for the message the instructor or learner sees. */
export interface PackImportResult {
  pack: LessonPackRecord;
  /** True when an installed pack with the same id was replaced by this file. */
  replaced: boolean;
}

/** A pack lesson and its pack, for the lesson view; null when the pack or lesson is gone. */
export async function loadPackLesson(
  db: AppDb,
  packId: string,
  lessonId: string,
): Promise<{ pack: LessonPackRecord; lessons: Lesson[]; lesson: Lesson } | null> {
  const pack = await getLessonPack(db, packId);
  if (!pack) return null;
  const lessons = parsePackLessons(pack);
  const lesson = lessons.find((l) => l.meta.id === lessonId);
  return lesson ? { pack, lessons, lesson } : null;
}

export class LessonPacksState {
  #packs = $state.raw<LessonPackRecord[]>([]);
  readonly #db: AppDb;
  readonly #builtIn: readonly Lesson[];

  constructor(db: AppDb, builtIn: readonly Lesson[]) {
    this.#db = db;
    this.#builtIn = builtIn;
  }

  /** Installed packs, oldest import first. */
  get packs(): readonly LessonPackRecord[] {
    return this.#packs;
  }

  async load(): Promise<void> {
    this.#packs = (await listLessonPacks(this.#db)).sort((a, b) => a.importedAt - b.importedAt);
  }

  /**
   * Validates a pack file against the course and the installed packs, then saves it in one
   * transaction. Throws (ImportError or LessonValidationError) and saves nothing when bad.
   */
  async importFile(text: string, now: () => number = Date.now): Promise<PackImportResult> {
    const installed = await listLessonPacks(this.#db);
    const packs = installed.map((p) => ({ id: p.id, title: p.title, lessons: safeParse(p) }));
    const { record } = await parseLessonPackFile(text, { builtIn: this.#builtIn, packs });
    const pack: LessonPackRecord = { ...record, importedAt: now() };
    const replaced = await saveLessonPack(this.#db, pack);
    await this.load();
    return { pack, replaced };
  }

  /** Removes a pack; progress on its exercises is kept (ids are stable). */
  async remove(id: string): Promise<void> {
    await deleteLessonPack(this.#db, id);
    await this.load();
  }
}

/** A stored pack that no longer parses (an app update removed a widget) claims no ids. */
function safeParse(pack: LessonPackRecord): Lesson[] {
  try {
    return parsePackLessons(pack);
  } catch {
    return [];
  }
}
