/**
 * Reads the findings form's text fields: a list of features and a simulated time. Pure; each
 * parser returns a value or a message that says what to type.
 */
import { featureName } from './drills-grade';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Features as typed: column indices (`36`) or, on digits, the Operate lab's names (`px_r4c4`),
 * separated by commas or spaces. Duplicates collapse; the result is sorted.
 * @param features the data set's number of columns
 */
export function parseFeatureList(
  text: string,
  dataset: string,
  features: number,
): Parsed<number[]> {
  const tokens = text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (tokens.length === 0) return { ok: false, error: 'Name at least one feature.' };
  const out = new Set<number>();
  for (const t of tokens) {
    let index: number | null = null;
    const px = /^px_r([0-7])c([0-7])$/i.exec(t);
    if (/^\d+$/.test(t)) index = Number(t);
    else if (px && dataset === 'digits') index = Number(px[1]) * 8 + Number(px[2]);
    if (index === null || index >= features) {
      const example =
        dataset === 'digits'
          ? `an index 0..63 or a name like ${featureName('digits', 36)}`
          : `an index 0..${features - 1}`;
      return { ok: false, error: `"${t}" is not a feature: type ${example}.` };
    }
    out.add(index);
  }
  return { ok: true, value: [...out].sort((a, b) => a - b) };
}

/**
 * A simulated time as the Operate lab shows it: `day 0, 06:30:00`, or `06:30` / `6:30:15` on
 * day 0. Returns ms since the start of the run.
 */
export function parseSimTime(text: string): Parsed<number> {
  const m = /^\s*(?:day\s*(\d+)\s*,?\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/i.exec(text);
  if (!m)
    return {
      ok: false,
      error: 'Type the time as the Operate screen shows it, e.g. "day 0, 06:30" or "06:30".',
    };
  const [day, h, min, s] = [m[1] ?? '0', m[2], m[3], m[4] ?? '0'].map(Number);
  if (h > 23 || min > 59 || s > 59)
    return { ok: false, error: `"${text.trim()}" is not a time of day (00:00 to 23:59).` };
  return { ok: true, value: (((day * 24 + h) * 60 + min) * 60 + s) * 1000 };
}
