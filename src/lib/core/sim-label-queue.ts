/**
 * Ground truth in transit: labels that will reach the monitor at a later simulated time, in a
 * binary min-heap on arrival time stored in typed arrays (about 17 bytes per pending label, so a
 * week of delayed labels for a million requests stays a few tens of MB at most).
 */

/** Pending labels, popped in order of arrival time (ms). */
export class LabelQueue {
  #at = new Float64Array(256);
  #window = new Int32Array(256);
  #correct = new Uint8Array(256);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Earliest pending arrival time, or Infinity when empty. */
  peekTime(): number {
    return this.#size > 0 ? this.#at[0] : Infinity;
  }

  /** Queues a label arriving at `atMs` for a request of window `window`. */
  push(atMs: number, window: number, correct: boolean): void {
    if (this.#size === this.#at.length) this.#grow();
    let i = this.#size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#at[parent] <= atMs) break;
      this.#move(parent, i);
      i = parent;
    }
    this.#put(i, atMs, window, correct ? 1 : 0);
  }

  /** Removes the earliest label: its request's window, and whether the prediction was right. */
  pop(): { window: number; correct: boolean } {
    if (this.#size === 0) throw new Error('LabelQueue.pop: empty');
    const out = { window: this.#window[0], correct: this.#correct[0] === 1 };
    const last = --this.#size;
    const [at, w, c] = [this.#at[last], this.#window[last], this.#correct[last]];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.#at[child + 1] < this.#at[child]) child++;
      if (this.#at[child] >= at) break;
      this.#move(child, i);
      i = child;
    }
    if (last > 0) this.#put(i, at, w, c);
    return out;
  }

  #move(from: number, to: number): void {
    this.#put(to, this.#at[from], this.#window[from], this.#correct[from]);
  }

  #put(i: number, at: number, w: number, c: number): void {
    this.#at[i] = at;
    this.#window[i] = w;
    this.#correct[i] = c;
  }

  #grow(): void {
    const n = this.#at.length * 2;
    const at = new Float64Array(n);
    const w = new Int32Array(n);
    const c = new Uint8Array(n);
    at.set(this.#at);
    w.set(this.#window);
    c.set(this.#correct);
    [this.#at, this.#window, this.#correct] = [at, w, c];
  }
}
