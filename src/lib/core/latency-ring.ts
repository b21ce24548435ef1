/**
 * A bounded ring of latency samples: keeps the last `capacity` values, so that a long-running
 * endpoint or simulation reports recent percentiles in constant memory.
 */

/** The last `capacity` samples pushed (milliseconds or any unit), oldest first. */
export class LatencyRing {
  #values: Float64Array;
  #next = 0;
  #size = 0;
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`capacity must be a positive integer (got ${capacity}).`);
    this.#values = new Float64Array(capacity);
  }
  push(value: number): void {
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.#values.length;
    this.#size = Math.min(this.#size + 1, this.#values.length);
  }
  values(): number[] {
    const n = this.#values.length;
    const start = (this.#next - this.#size + n) % n;
    return Array.from({ length: this.#size }, (_, i) => this.#values[(start + i) % n]);
  }
  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }
}
