/**
 * What a lesson's small simulation widgets (caching, skew, CI gates, ...) achieved, saved in the
 * settings store so that a lesson check grades saved work, as it does for runs and models.
 * One setting holds every widget's latest outcome; a widget overwrites only its own entry.
 */
import { getSetting, setSetting, type AppDb } from '../storage';

/** A widget's latest outcome: plain values only (numbers in the units the widget documents). */
export type WidgetOutcome = Record<string, number | string | boolean>;

/** Every widget's latest outcome, by widget name, with when it was saved (ms since epoch). */
export type WidgetOutcomes = Record<string, { savedAt: number; values: WidgetOutcome }>;

const KEY = 'widgetOutcomes';

/** The saved outcomes; entries with a bad shape (a hand-edited backup) are dropped. */
export async function readWidgetOutcomes(db: AppDb): Promise<WidgetOutcomes> {
  const raw = await getSetting<unknown>(db, KEY, {});
  const out: WidgetOutcomes = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (!isEntry(entry)) continue;
    out[name] = { savedAt: entry.savedAt, values: { ...entry.values } };
  }
  return out;
}

/** Saves `values` as widget `name`'s latest outcome, keeping the other widgets' entries. */
export async function saveWidgetOutcome(
  db: AppDb,
  name: string,
  values: WidgetOutcome,
  now: () => number = Date.now,
): Promise<void> {
  const all = await readWidgetOutcomes(db);
  all[name] = { savedAt: now(), values: { ...values } };
  await setSetting(db, KEY, all);
}

function isEntry(v: unknown): v is { savedAt: number; values: WidgetOutcome } {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as { savedAt?: unknown; values?: unknown };
  if (typeof e.savedAt !== 'number' || typeof e.values !== 'object' || e.values === null)
    return false;
  return Object.values(e.values).every((x) => ['number', 'string', 'boolean'].includes(typeof x));
}
