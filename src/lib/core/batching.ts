/**
 * Dynamic batching as a pure queue model: requests wait until either enough of them have arrived
 * to fill a batch, or the oldest has waited long enough. Time is passed in (milliseconds on any
 * monotonic clock), so the same code drives the live endpoint and a simulated one, and tests need
 * no timers.
 */

/** When a batch leaves the queue. */
export type BatchPolicy = {
  /** Largest batch sent at once (an integer >= 1; 1 means no batching). */
  maxBatch: number;
  /** Longest time the oldest queued item waits for company, milliseconds (>= 0). */
  maxWaitMs: number;
};

/** Throws when a policy is not usable; returns it otherwise. */
export function checkPolicy(policy: BatchPolicy): BatchPolicy {
  const { maxBatch, maxWaitMs } = policy;
  if (!Number.isInteger(maxBatch) || maxBatch < 1)
    throw new Error(`maxBatch must be a whole number of at least 1 (got ${maxBatch}).`);
  if (typeof maxWaitMs !== 'number' || !Number.isFinite(maxWaitMs) || maxWaitMs < 0)
    throw new Error(`maxWaitMs must be a finite number of at least 0 (got ${maxWaitMs}).`);
  return policy;
}

/**
 * A FIFO queue that hands out batches under a {@link BatchPolicy}.
 *
 * Rules: {@link takeBatch} returns the oldest `min(depth, maxBatch)` items, in arrival order, when
 * `depth >= maxBatch` (size trigger) or when the oldest item has waited `>= maxWaitMs` (time
 * trigger); otherwise it returns null. With `maxBatch` 1 every item leaves alone, at once.
 */
export class BatchQueue<T> {
  #items: T[] = [];
  #arrivals: number[] = [];
  /** Index of the oldest item still queued (items before it were taken). */
  #head = 0;
  #policy: BatchPolicy;

  constructor(policy: BatchPolicy) {
    this.#policy = { ...checkPolicy(policy) };
  }

  get policy(): BatchPolicy {
    return { ...this.#policy };
  }

  /** Changes the policy; items already queued are judged by the new one from now on. */
  setPolicy(policy: BatchPolicy): void {
    this.#policy = { ...checkPolicy(policy) };
  }

  /** Number of items waiting. */
  get depth(): number {
    return this.#items.length - this.#head;
  }

  /** Adds an item that arrived at `nowMs`. */
  push(item: T, nowMs: number): void {
    this.#items.push(item);
    this.#arrivals.push(nowMs);
  }

  /** Arrival time of the oldest queued item, or null when empty. */
  oldestArrival(): number | null {
    return this.depth > 0 ? this.#arrivals[this.#head] : null;
  }

  /** When the oldest item's wait expires (arrival + maxWaitMs), or null when empty. */
  nextDeadline(): number | null {
    const oldest = this.oldestArrival();
    return oldest === null ? null : oldest + this.#policy.maxWaitMs;
  }

  /** The next batch if a rule says one is due at `nowMs`, else null. */
  takeBatch(nowMs: number): T[] | null {
    const depth = this.depth;
    if (depth === 0) return null;
    const { maxBatch, maxWaitMs } = this.#policy;
    const due = depth >= maxBatch || nowMs - this.#arrivals[this.#head] >= maxWaitMs;
    return due ? this.#take(Math.min(depth, maxBatch)) : null;
  }

  /** Removes and returns every queued item, oldest first (for shutting down). */
  drain(): T[] {
    return this.#take(this.depth);
  }

  #take(n: number): T[] {
    const batch = this.#items.slice(this.#head, this.#head + n);
    this.#head += n;
    // Compact now and then so that a long-running queue does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#arrivals = this.#arrivals.slice(this.#head);
      this.#head = 0;
    } else if (this.#head === this.#items.length) {
      this.#items = [];
      this.#arrivals = [];
      this.#head = 0;
    }
    return batch;
  }
}
