import { describe, expect, it } from 'vitest';
import { digitPreview } from './operate-images';

// Ten blank-ish rows (one per class), each with pixel 36 at 10.
const y = Int32Array.from({ length: 10 }, (_, i) => i);
const x = new Float32Array(640);
for (let r = 0; r < 10; r++) x[r * 64 + 36] = 10;

describe('digitPreview', () => {
  it('shows chosen classes before and after the scenarios at full strength', () => {
    const p = digitPreview(
      x,
      y,
      [{ kind: 'brightness', params: { factor: 0.5 }, startMs: 3600_000, rampMs: 600_000 }],
      1,
    );
    expect(p?.atMs).toBe(4_200_000);
    expect(p?.labels).toEqual([0, 2, 3, 5, 7, 8]);
    expect(p?.reference[0][36]).toBe(10);
    expect(p?.drifted[0][36]).toBe(5);
  });

  it('is null when no scenario changes the inputs', () => {
    expect(digitPreview(x, y, [], 1)).toBeNull();
    const relabel = {
      kind: 'relabel' as const,
      params: { from: 1, to: 2, share: 1 },
      startMs: 0,
      rampMs: 0,
    };
    expect(digitPreview(x, y, [relabel], 1)).toBeNull();
  });
});
