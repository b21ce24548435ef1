/**
 * The check graded on the Roll out screen (`#/rollout`, lesson 8): it reads the saved decision
 * log of the learner's last roll-out (`LabSnapshot.lastRollout`, filled from the settings key
 * `rollout:last` by state/lab-snapshot.ts). The exercise: a canary whose challenger is broken on
 * purpose (injected latency) must be rolled back by the policy itself, on a guard.
 */
import type { CheckFn, LabSnapshot } from './checks';

type Rollout = NonNullable<LabSnapshot['lastRollout']>;
const MODE = { canary: 'a canary', shadow: 'a shadow run', ab: 'an A/B test' } as const;

/** Index of the first event of `kind` at or after `from`, or -1. */
const find = (r: Rollout, kind: string, from = 0) =>
  r.events.findIndex((e, i) => i >= from && e.kind === kind);

export const ROLLOUT_CHECKS: { 'canary-guard-rollback': CheckFn<'canary-guard-rollback'> } = {
  /**
   * Passes when the last roll-out was a canary, a fault was injected into the challenger, and
   * after it the policy rolled the canary back on a broken guard (not a manual rollback, and no
   * promotion in between).
   */
  'canary-guard-rollback': (state) => {
    const r = state.lastRollout;
    if (!r)
      return {
        passed: false,
        message:
          'No roll-out saved yet. Open Roll out (#/rollout), choose "Canary", press "Start ' +
          'roll-out", then inject latency into the challenger while it runs.',
      };
    if (r.mode !== 'canary')
      return {
        passed: false,
        message:
          `Your last roll-out (${r.modelName}) was ${MODE[r.mode]}. This exercise needs a ` +
          'canary: choose "Canary" as the strategy and start again.',
      };
    const fault = find(r, 'fault');
    if (fault < 0) {
      const promoted = find(r, 'promote') >= 0;
      const rolled = find(r, 'rollback') >= 0;
      return {
        passed: false,
        message: promoted
          ? 'Your last canary was promoted with every guard holding: the happy path. Now break ' +
            'it on purpose: start another canary (set the challenger back first, or roll back ' +
            'champion), and while it runs at a slow speed inject latency into the challenger.'
          : rolled
            ? 'Your last canary was rolled back without an injected fault: the challenger broke ' +
              'a guard on its own. For this exercise, start a canary whose guards hold and ' +
              'inject latency into the challenger while it runs.'
            : 'No fault was injected into your last canary. While it runs, type a latency ' +
              '(for example 30 ms) in "Add latency to every challenger call" and press "Inject latency".',
      };
    }
    const promote = find(r, 'promote', fault);
    const rollback = find(r, 'rollback', fault);
    if (promote >= 0 && (rollback < 0 || promote < rollback))
      return {
        passed: false,
        message:
          'A fault was injected, yet the canary was promoted: no guard caught it. Inject more ' +
          'latency, inject it earlier (a slow speed gives you time), or tighten "Max p99 ratio" ' +
          'so that the p99 guard breaks; then start again.',
      };
    if (rollback < 0) {
      const manual = find(r, 'manual-rollback', fault) >= 0;
      return {
        passed: false,
        message: manual
          ? 'You rolled back by hand. This exercise asks the policy to do it: start another ' +
            'canary, inject the latency, and let the run continue until a guard breaks.'
          : 'A fault was injected but the canary has not been judged yet: resume the run (or ' +
            'let it finish) until the policy rolls it back on a guard.',
      };
    }
    return {
      passed: true,
      message: `The policy caught the fault by itself: ${r.events[rollback].text}`,
    };
  },
};
