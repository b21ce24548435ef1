/**
 * The lesson list's view of installed lesson packs: titles and ids only, read from the index
 * stored at import, so the list needs no lesson parser (which would weigh on first paint).
 */
import { listLessonPacks, type AppDb } from '../storage';

/** One pack's group in the lesson list: "From your instructor: <title>". */
export interface PackGroup {
  id: string;
  title: string;
  author: string;
  lessons: { id: string; title: string; minutes: number; level: string }[];
}

/** Installed packs, oldest import first, each with its lessons in pack order. */
export async function loadPackGroups(db: AppDb): Promise<PackGroup[]> {
  const packs = await listLessonPacks(db);
  return packs
    .sort((a, b) => a.importedAt - b.importedAt)
    .map((p) => ({ id: p.id, title: p.title, author: p.author, lessons: p.index ?? [] }));
}
