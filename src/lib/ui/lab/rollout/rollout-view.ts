/** Formatting for the Roll out screen (pure, so it is unit tested). */
import { fmtMs, type GuardReading } from '../../../engine/rollout-guards';

/** A guard value against its limit, in words: "1.20x (limit 1.5x)", "waiting". */
export function readingText(r: GuardReading): string {
  if (r.value === null) return 'waiting';
  const v = (x: number) =>
    r.unit === 'x'
      ? `${x === Infinity ? '∞' : x.toFixed(2)}x`
      : r.unit === 'ms'
        ? fmtMs(x)
        : r.unit === 'points'
          ? `${x.toFixed(2)} pt`
          : x.toFixed(3);
  return `${v(r.value)} (limit ${v(r.limit)})`;
}

/** A share as a percentage with one decimal, or a dash. */
export const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`;

export { fmtMs };
