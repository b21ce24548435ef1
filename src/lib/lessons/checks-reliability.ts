/**
 * Checks graded on the lessons' live labs of shipping and running models: the fallback lab
 * (`fallback-lab`, lesson 9), which saves after each burst (see state/fallback-lab.ts
 * `outcomeValues`), and the A/B test lab (`ab-test-lab`, lesson 8), which saves the learner's
 * recorded decision. The widgets' catalog descriptions list the values and their units.
 */
import type { CheckFn, LabSnapshot } from './checks';

const plural = (n: number, one: string) =>
  `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

type Outcome = LabSnapshot['widgetOutcomes'][string];

const num = (o: Outcome, key: string): number | undefined =>
  typeof o[key] === 'number' && Number.isFinite(o[key]) ? (o[key] as number) : undefined;

export const RELIABILITY_CHECKS: { 'fallback-no-loss': CheckFn<'fallback-no-loss'> } = {
  /**
   * Passes when the last lab session sent at least `minRequests` requests, a crash of the primary
   * was injected, a fallback link served some of them, and the ledger shows none lost or doubled.
   */
  'fallback-no-loss': (state, params) => {
    const o = state.widgetOutcomes['fallback-lab'];
    const requests = o && num(o, 'requests');
    if (!o || requests === undefined) {
      return {
        passed: false,
        message:
          'No fallback lab session saved yet. In the fallback lab, press "Start the lab", then ' +
          '"Start traffic" (or "Send 200 requests"), then check again.',
      };
    }
    const crashes = num(o, 'crashes') ?? 0;
    const lost = num(o, 'lost') ?? 0;
    const doubled = num(o, 'doubled') ?? 0;
    const byFallback = num(o, 'servedByFallback') ?? 0;
    const faults =
      typeof o.faultsInjected === 'string' && o.faultsInjected ? o.faultsInjected : 'none';
    const seen =
      `Your last session: ${plural(requests, 'request')}, ${lost} lost, ${doubled} answered ` +
      `twice, ${byFallback} served by a fallback; faults injected: ${faults.replaceAll(',', ', ')}.`;
    if (crashes === 0)
      return {
        passed: false,
        message:
          `${seen} Inject a crash first: while traffic runs, press "Crash the primary" and ` +
          'watch the secondary take over; the lab saves after each burst.',
      };
    if (lost > 0 || doubled > 0)
      return {
        passed: false,
        message:
          `${seen} Requests were lost or answered twice. Keep the secondary and the baseline ` +
          'in the chain (a chain with no healthy link left loses requests), start the lab again ' +
          'and repeat the crash.',
      };
    if (byFallback === 0)
      return {
        passed: false,
        message:
          `${seen} No request was served by a fallback: the crash happened while no request was ` +
          'in flight, and the worker restarted before the next one. Crash the primary while ' +
          'traffic is running.',
      };
    if (requests < params.minRequests)
      return {
        passed: false,
        message:
          `${seen} Send at least ${params.minRequests} requests in the session: ` +
          `${params.minRequests - requests} more.`,
      };
    return {
      passed: true,
      message:
        `${seen} The crash was absorbed: every request got exactly one answer, ` +
        `${byFallback} of them from a fallback link.`,
    };
  },
};

const VERDICT_WORDS: Record<string, string> = {
  'ship-b': 'B is better: ship B',
  'keep-a': 'B is worse: keep A',
  'no-difference': 'no detectable difference',
};

export const SHIP_SAFELY_CHECKS: { 'ab-sample-size': CheckFn<'ab-sample-size'> } = {
  /**
   * Passes when the last A/B test the learner decided on (`ab-test-lab`) ran both arms to the
   * planned sample size before the decision, and the decision is what the test says at alpha.
   */
  'ab-sample-size': (state) => {
    const o = state.widgetOutcomes['ab-test-lab'];
    const planned = o && num(o, 'plannedPerArm');
    const usersA = o && num(o, 'usersA');
    const usersB = o && num(o, 'usersB');
    const pValue = o && num(o, 'pValue');
    if (
      !o ||
      planned === undefined ||
      usersA === undefined ||
      usersB === undefined ||
      pValue === undefined
    ) {
      return {
        passed: false,
        message:
          'No A/B decision recorded yet. In the A/B test lab, start a test, let users arrive, ' +
          'choose your decision and press "Record my decision".',
      };
    }
    const alpha = num(o, 'alpha') ?? 0.05;
    const least = Math.min(usersA, usersB);
    const p = pValue < 0.0001 ? 'p < 0.0001' : `p = ${pValue.toFixed(4)}`;
    const seen = `You decided at ${least.toLocaleString('en-US')} of ${planned.toLocaleString('en-US')} planned users per arm (${p}, alpha ${alpha}).`;
    if (least < planned || o.stoppedEarly === true)
      return {
        passed: false,
        message:
          `${seen} That is stopping early: a p-value read before the planned sample size, and ` +
          'acted on when it happens to dip under alpha, inflates false positives (run the ' +
          'peeking experiment to see by how much). Start a new test, press "Run to the plan" ' +
          'and decide only when the plan is reached.',
      };
    const verdict = typeof o.verdict === 'string' ? o.verdict : '';
    const decision = typeof o.decision === 'string' ? o.decision : '';
    if (decision !== verdict)
      return {
        passed: false,
        message:
          `${seen} The test says "${VERDICT_WORDS[verdict] ?? verdict}", but you chose ` +
          `"${VERDICT_WORDS[decision] ?? decision}". A p-value under alpha means a detectable ` +
          'difference (its sign says which arm is better); at or above alpha the test cannot tell ' +
          'the arms apart. Record the decision the test supports.',
      };
    return {
      passed: true,
      message: `${seen} You ran the test to its plan and read it right: ${VERDICT_WORDS[verdict] ?? verdict}.`,
    };
  },
};
