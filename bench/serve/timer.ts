/**
 * The resolution of `performance.now()` here: the smallest positive step between two successive
 * readings, over about 20 ms of readings. Chromium coarsens the clock to 5 us in a cross-origin
 * isolated context and to 100 us otherwise; a call shorter than the step can read as 0.
 */
export function timerResolutionMs(spanMs = 20): number {
  const start = performance.now();
  let last = start;
  let step = Infinity;
  for (let now = start; now - start < spanMs; now = performance.now()) {
    if (now > last) {
      step = Math.min(step, now - last);
      last = now;
    }
  }
  return step;
}
