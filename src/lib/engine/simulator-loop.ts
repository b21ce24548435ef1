/**
 * Paces a Simulator against the wall clock: at speed s the simulated clock may run s simulated
 * seconds per real second ('max': as fast as the endpoint answers). The simulation itself is
 * driven by simulated timestamps (Simulator.step), never by timer cadence: a slow machine runs
 * behind the allowed pace, not differently. Work comes in small steps (one model call each) so
 * that no main-thread task is long, and the loop yields to the page between them.
 */
import type { Simulator } from './simulator';

/** Simulated seconds per real second, or 'max'. */
export type Speed = number | 'max';

export type LoopOptions = {
  /** Read before every step, so a change applies at once (the pace restarts from there). */
  speed: () => Speed;
  signal: AbortSignal;
  /** After every step (cheap callers throttle their own copies). */
  onProgress: () => void;
  /** Requests per step (default 256). */
  stepRequests?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs until the traffic ends or the signal aborts.
 * @returns 'done' at the end of the run, 'aborted' when stopped.
 * @throws what a step throws (the endpoint failed).
 */
export async function playSimulation(sim: Simulator, o: LoopOptions): Promise<'done' | 'aborted'> {
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? defaultSleep;
  const stepRequests = o.stepRequests ?? 256;
  let speed = o.speed();
  let realStart = now();
  let simStart = sim.simTimeMs;
  let lastYield = now();
  while (!o.signal.aborted && !sim.done) {
    const s = o.speed();
    if (s !== speed) [speed, realStart, simStart] = [s, now(), sim.simTimeMs];
    const target = s === 'max' ? sim.endMs : simStart + s * (now() - realStart);
    const served = await sim.step(target, stepRequests);
    if (o.signal.aborted) break;
    o.onProgress();
    if (served === 0 && !sim.done) {
      await sleep(16); // ahead of the allowed pace: wait for the wall clock
      lastYield = now();
    } else if (now() - lastYield > 40) {
      await sleep(0); // let the page paint and take input
      lastYield = now();
    }
  }
  return o.signal.aborted ? 'aborted' : 'done';
}
