/**
 * The serving worker's injected faults (the fault injector), kept apart from the runtimes they
 * spoil: whatever runtime serves, a `latency` fault waits after its call and a `corrupt` fault
 * rewrites its output. A `crash` has no state: the worker throws at once (serve.worker.ts).
 */
import type { CorruptMode, ServeFault } from '../../protocol/serve';

/** The faults active in one worker. */
export type FaultState = {
  /** Added to every infer, milliseconds (0: none). */
  latencyMs: number;
  /** How outputs are spoiled, or null when they are not. */
  corrupt: CorruptMode | null;
};

export const NO_FAULT: Readonly<FaultState> = Object.freeze({ latencyMs: 0, corrupt: null });

/** The state after `fault` (`crash` changes nothing here: the worker dies instead). */
export function applyFault(state: FaultState, fault: ServeFault): FaultState {
  switch (fault.kind) {
    case 'clear':
      return { ...NO_FAULT };
    case 'latency':
      return { ...state, latencyMs: fault.ms };
    case 'corrupt':
      return { ...state, corrupt: fault.mode };
    case 'crash':
      return state;
  }
}

/**
 * Spoils `[rows, nClasses]` probabilities in place, deterministically (a learner who repeats a
 * drill sees the same garbage). `nan`: the first value of every row is NaN. `unnormalized`: every
 * value is multiplied by 2.5 and shifted by 0.1, so each row sums to 2.5 + 0.1 * nClasses and
 * confident rows leave [0, 1]: the argmax is unchanged, which is why only a validity check, not
 * the predicted class, gives it away.
 */
export function corruptOutput(p: Float32Array, nClasses: number, mode: CorruptMode): void {
  if (mode === 'nan') {
    for (let i = 0; i < p.length; i += nClasses) p[i] = NaN;
  } else {
    for (let i = 0; i < p.length; i++) p[i] = p[i] * 2.5 + 0.1;
  }
}

/** Waits `ms` milliseconds (a `latency` fault); resolves at once for 0. */
export function faultDelay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
