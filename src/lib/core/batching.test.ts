import { describe, expect, it } from 'vitest';
import { BatchQueue, checkPolicy } from './batching';

describe('checkPolicy', () => {
  it('accepts sane policies and refuses the rest', () => {
    expect(checkPolicy({ maxBatch: 1, maxWaitMs: 0 })).toEqual({ maxBatch: 1, maxWaitMs: 0 });
    expect(() => checkPolicy({ maxBatch: 0, maxWaitMs: 1 })).toThrow(/maxBatch/);
    expect(() => checkPolicy({ maxBatch: 2.5, maxWaitMs: 1 })).toThrow(/maxBatch/);
    expect(() => checkPolicy({ maxBatch: 2, maxWaitMs: -1 })).toThrow(/maxWaitMs/);
    expect(() => checkPolicy({ maxBatch: 2, maxWaitMs: NaN })).toThrow(/maxWaitMs/);
    expect(() => new BatchQueue({ maxBatch: 0, maxWaitMs: 1 })).toThrow(/maxBatch/);
  });
});

describe('BatchQueue', () => {
  it('is empty at first', () => {
    const q = new BatchQueue<string>({ maxBatch: 4, maxWaitMs: 5 });
    expect(q.depth).toBe(0);
    expect(q.nextDeadline()).toBeNull();
    expect(q.takeBatch(1e9)).toBeNull();
  });

  it('releases a batch as soon as maxBatch items are queued (size trigger)', () => {
    const q = new BatchQueue<number>({ maxBatch: 3, maxWaitMs: 100 });
    q.push(1, 0);
    q.push(2, 1);
    expect(q.takeBatch(2)).toBeNull();
    q.push(3, 2);
    expect(q.depth).toBe(3);
    expect(q.takeBatch(2)).toEqual([1, 2, 3]);
    expect(q.depth).toBe(0);
  });

  it('never releases more than maxBatch, and keeps the rest in order', () => {
    const q = new BatchQueue<number>({ maxBatch: 2, maxWaitMs: 100 });
    for (let i = 0; i < 5; i++) q.push(i, 0);
    expect(q.takeBatch(0)).toEqual([0, 1]);
    expect(q.takeBatch(0)).toEqual([2, 3]);
    expect(q.takeBatch(0)).toBeNull(); // one left, not waited long enough
    expect(q.takeBatch(100)).toEqual([4]);
  });

  it('releases a partial batch once the oldest has waited maxWaitMs (time trigger)', () => {
    const q = new BatchQueue<string>({ maxBatch: 8, maxWaitMs: 5 });
    q.push('a', 10);
    q.push('b', 12);
    expect(q.nextDeadline()).toBe(15);
    expect(q.takeBatch(14.9)).toBeNull();
    expect(q.takeBatch(15)).toEqual(['a', 'b']);
    expect(q.nextDeadline()).toBeNull();
  });

  it('moves the deadline to the next oldest item after a batch leaves', () => {
    const q = new BatchQueue<string>({ maxBatch: 2, maxWaitMs: 5 });
    q.push('a', 0);
    q.push('b', 1);
    q.push('c', 3);
    expect(q.takeBatch(3)).toEqual(['a', 'b']);
    expect(q.nextDeadline()).toBe(8);
    expect(q.oldestArrival()).toBe(3);
  });

  it('with maxBatch 1 sends every item alone at once (no batching)', () => {
    const q = new BatchQueue<number>({ maxBatch: 1, maxWaitMs: 1000 });
    q.push(7, 0);
    expect(q.takeBatch(0)).toEqual([7]);
    q.push(8, 1);
    q.push(9, 1);
    expect(q.takeBatch(1)).toEqual([8]);
    expect(q.takeBatch(1)).toEqual([9]);
  });

  it('with maxWaitMs 0 sends whatever is queued at once, up to maxBatch', () => {
    const q = new BatchQueue<number>({ maxBatch: 4, maxWaitMs: 0 });
    q.push(1, 5);
    q.push(2, 5);
    expect(q.takeBatch(5)).toEqual([1, 2]);
  });

  it('judges queued items by a policy changed at run time', () => {
    const q = new BatchQueue<number>({ maxBatch: 10, maxWaitMs: 100 });
    q.push(1, 0);
    q.push(2, 0);
    q.push(3, 0);
    expect(q.takeBatch(1)).toBeNull();
    q.setPolicy({ maxBatch: 2, maxWaitMs: 100 });
    expect(q.policy).toEqual({ maxBatch: 2, maxWaitMs: 100 });
    expect(q.takeBatch(1)).toEqual([1, 2]);
    q.setPolicy({ maxBatch: 2, maxWaitMs: 1 });
    expect(q.nextDeadline()).toBe(1);
    expect(q.takeBatch(1)).toEqual([3]);
  });

  it('keeps arrival order across many pushes and takes, and drains', () => {
    const q = new BatchQueue<number>({ maxBatch: 7, maxWaitMs: 3 });
    const out: number[] = [];
    let next = 0;
    for (let t = 0; t < 5000; t++) {
      for (let k = 0; k < t % 4; k++) q.push(next++, t);
      for (let b = q.takeBatch(t); b; b = q.takeBatch(t)) {
        expect(b.length).toBeLessThanOrEqual(7);
        out.push(...b);
      }
    }
    out.push(...q.drain());
    expect(q.depth).toBe(0);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });
});
