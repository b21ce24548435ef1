import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { LabelQueue } from './sim-label-queue';

describe('LabelQueue', () => {
  it('pops labels in arrival-time order, growing as needed', () => {
    const q = new LabelQueue();
    const rng = createRng(3);
    const times = Array.from({ length: 5000 }, () => Math.floor(rng.next() * 1000));
    times.forEach((t, i) => q.push(t, i, i % 2 === 0));
    expect(q.size).toBe(5000);
    const popped: number[] = [];
    while (q.size > 0) {
      const t = q.peekTime();
      const { window, correct } = q.pop();
      expect(times[window]).toBe(t);
      expect(correct).toBe(window % 2 === 0);
      popped.push(t);
    }
    expect(popped).toEqual([...times].sort((a, b) => a - b));
    expect(q.peekTime()).toBe(Infinity);
    expect(() => q.pop()).toThrow(/empty/);
  });
});
