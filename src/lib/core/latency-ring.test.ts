import { describe, expect, it } from 'vitest';
import { LatencyRing } from './latency-ring';

describe('LatencyRing', () => {
  it('keeps everything until full, then the last `capacity` values, oldest first', () => {
    const ring = new LatencyRing(3);
    expect(ring.values()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.values()).toEqual([1, 2]);
    ring.push(3);
    ring.push(4);
    ring.push(5);
    expect(ring.values()).toEqual([3, 4, 5]);
    ring.clear();
    expect(ring.values()).toEqual([]);
    ring.push(6);
    expect(ring.values()).toEqual([6]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LatencyRing(0)).toThrow(/positive integer/);
    expect(() => new LatencyRing(1.5)).toThrow(/positive integer/);
  });
});
