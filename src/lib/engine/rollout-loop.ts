/**
 * Paces a roll-out against the wall clock, as simulator-loop.ts paces the Operate simulator:
 * at speed s the simulated clock may run s simulated seconds per real second ('max': as fast as
 * the endpoints answer). Work comes in small steps with a yield between them, so that no
 * main-thread task is long.
 */
import type { Speed } from './simulator-loop';

/** What the loop drives (RolloutSimulator). */
export type Steppable = {
  readonly simTimeMs: number;
  readonly endMs: number;
  readonly done: boolean;
  step(untilMs: number, maxRequests?: number): Promise<number>;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs until the traffic ends or the signal aborts.
 * @param speed read before every step, so a change applies at once.
 * @returns 'done' at the end of the run, 'aborted' when stopped.
 * @throws what a step throws.
 */
export async function playRollout(
  sim: Steppable,
  o: { speed: () => Speed; signal: AbortSignal; onProgress: () => void; stepRequests?: number },
): Promise<'done' | 'aborted'> {
  const now = () => performance.now();
  let speed = o.speed();
  let [realStart, simStart, lastYield] = [now(), sim.simTimeMs, now()];
  while (!o.signal.aborted && !sim.done) {
    const s = o.speed();
    if (s !== speed) [speed, realStart, simStart] = [s, now(), sim.simTimeMs];
    const target = s === 'max' ? sim.endMs : simStart + s * (now() - realStart);
    const served = await sim.step(target, o.stepRequests ?? 256);
    if (o.signal.aborted) break;
    o.onProgress();
    if (served === 0 && !sim.done) {
      await sleep(16);
      lastYield = now();
    } else if (now() - lastYield > 40) {
      await sleep(0);
      lastYield = now();
    }
  }
  return o.signal.aborted ? 'aborted' : 'done';
}
