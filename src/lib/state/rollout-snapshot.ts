/** The Roll out screen's copy of a live run: plain data, replaced as a whole. */
import type { CanaryState } from '../core/rollout-policy';
import type { WindowSummary } from '../core/sim-monitor-types';
import type { CanaryDecision, RolloutSimulator } from '../engine/rollout-sim';
import type { UserAudit, UserSplit } from './rollout-users';

export type RolloutSnapshot = {
  simTimeMs: number;
  endMs: number;
  versions: [string, string];
  windows: [WindowSummary[], WindowSummary[]];
  decisions: CanaryDecision[];
  canary: CanaryState | null;
  agreement: { compared: number[]; agreed: number[] };
  ledger: { expected: number; recorded: number; lost: number; doubled: number };
  byVersion: [string, number][];
  shadowCopies: number;
  errors: [number, number];
  /** Which version answers now, in words. */
  serving: string;
  referenceAccuracy: number;
  /** A/B only: distinct users by the version(s) that answered them, from the ledger. */
  users: UserSplit | null;
};

const short = (id: string) => id.replace(/^.*@/, '');

/**
 * Copies what the screen needs (O(requests) for the ledger check: call it throttled).
 * @param audit the A/B run's user audit, advanced here to the requests handed out so far.
 */
export function snapshotOf(sim: RolloutSimulator, audit: UserAudit | null = null): RolloutSnapshot {
  const l = sim.checkLedger();
  audit?.advance(sim.ledger, l.expected);
  const [a, b] = sim.arms;
  const r = sim.routing;
  const serving =
    r.policy.kind === 'single'
      ? `${short(r.state.champion)} answers every request`
      : r.policy.kind === 'canary'
        ? `${r.policy.percent}% of requests to the challenger ${short(b.versionId)}`
        : r.policy.kind === 'shadow'
          ? `${short(a.versionId)} answers; ${short(b.versionId)} gets a copy of each request`
          : `${r.policy.percentB}% of users see ${short(b.versionId)}`;
  return {
    simTimeMs: sim.simTimeMs,
    endMs: sim.endMs,
    versions: [a.versionId, b.versionId],
    windows: [a.monitor.windows.slice(), b.monitor.windows.slice()],
    decisions: sim.decisions.slice(),
    canary: sim.canary,
    agreement: { compared: sim.agreement.compared.slice(), agreed: sim.agreement.agreed.slice() },
    ledger: {
      expected: l.expected,
      recorded: l.recorded,
      lost: l.lostCount,
      doubled: l.doubledCount,
    },
    byVersion: [...l.byVersion],
    shadowCopies: l.shadowCopies,
    errors: [a.errors, b.errors],
    serving,
    referenceAccuracy: a.world.referenceAccuracy,
    users: audit?.split() ?? null,
  };
}
