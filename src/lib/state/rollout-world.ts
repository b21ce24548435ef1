/**
 * What a roll-out loads on first use (the Roll out screen imports this module lazily): the
 * engine's two-version simulator and its loop, and the Operate screen's `openWorld`, which starts
 * a real Endpoint on a version and builds its simulation world (pool, reference, calibration).
 */
export { openWorld, type OpenWorld } from './operate-world';
export { RolloutSimulator } from '../engine/rollout-sim';
export { playRollout } from '../engine/rollout-loop';
