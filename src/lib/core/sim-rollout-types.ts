/** Types of the canary state machine (rollout-policy.ts). Times are simulated ms. */
import type { ArmTotals, GuardThresholds } from './sim-rollout-guards';

export type CanaryPolicy = {
  /** Challenger percentages, ascending, ending at 100 (default [1, 5, 25, 100]). */
  steps: readonly number[];
  /** Challenger requests needed at a step before promotion. */
  minRequestsPerStep: number;
  /** Simulated time needed at a step before promotion, ms. */
  minStepMs: number;
  guards: GuardThresholds;
};

export type CanaryAction = {
  kind: 'promote-step' | 'promote-full' | 'rollback' | 'hold';
  /** Why, in a sentence for the incident timeline. */
  reason: string;
  /** The challenger percentage after the action. */
  percent: number;
  atMs: number;
};

/** Plain data: safe to store and to replay. */
export type CanaryState = {
  policy: CanaryPolicy;
  phase: 'canary' | 'promoted' | 'rolled-back';
  stepIndex: number;
  /** Current challenger percentage (0 after a rollback, 100 once promoted). */
  percent: number;
  stepStartedAtMs: number;
  /** Counts over the current step, per arm. */
  totals: { champion: ArmTotals; challenger: ArmTotals };
  /** Every action but 'hold', in order. */
  history: CanaryAction[];
};
