/**
 * Checks of the CI/CD and governance lessons: the CI gates simulation's saved outcome, and (lesson
 * 12) the lineage of the learner's real registry. Pure functions of the LabSnapshot.
 */
import type { CheckFn, LabSnapshot } from './checks';

type Model = LabSnapshot['models'][number];
type Version = Model['versions'][number];

/** What a champion's lineage lacks, in the order a learner fixes it ([] when complete). */
function lineageGaps(state: LabSnapshot, m: Model, v: Version): string[] {
  const gaps: string[] = [];
  let base: Version | undefined = v;
  for (
    let i = 0;
    base && base.runId === undefined && base.parentVersion !== undefined && i < 100;
    i++
  )
    base = m.versions.find((p) => p.version === base!.parentVersion);
  const run = base?.runId ? state.runs.find((r) => r.id === base!.runId) : undefined;
  if (!base?.runId)
    gaps.push('it was not registered from a training run (imported files have no run to trace)');
  else if (!run) gaps.push(`its run ${base.runId} is no longer in the lab`);
  else if (!run.fingerprint || run.fingerprint !== base.fingerprint)
    gaps.push('its data fingerprint does not match its run\u2019s');
  if (!v.note?.trim())
    gaps.push(`it has no model card note: write one for v${v.version} in the Registry`);
  const move = (m.aliasMoves ?? []).find(
    (e) => e.alias === 'champion' && e.toVersion === v.version && e.reason.trim() !== '',
  );
  if (!move)
    gaps.push(
      `no move of champion to v${v.version} records a reason: promote a version again and write why in "Reason for moving champion"`,
    );
  return gaps;
}

/** What to change when a bad candidate of this kind shipped. */
const SHIPPED_ADVICE: Record<string, string> = {
  'schema-rename': 'turn on the schema gate (the export renamed a column that serving still sends)',
  'label-leak':
    'turn on the leakage probe with a limit well below 99% (one column alone predicts the label)',
  'slice-regression': 'turn on the slice gate, with a limit below the drop of the weakened digit',
  'big-model': 'turn on the latency budget (or the size budget) at what serving can afford',
  'unit-bug': 'turn on the range gate (pixels must stay in 0..16)',
  'broken-export': 'turn on the ONNX checker',
};

/** What to change when a good candidate was blocked by this gate. */
const BLOCKED_ADVICE: Record<string, string> = {
  regression:
    'allow a drop of about the holdout noise (1 to 1.5 points), and make sure no leaked model ' +
    'became champion: every honest model looks worse than a leak',
  slices: 'raise the slice limit above the per-class noise of a 500-row slice (a few points)',
  drift:
    'input drift is a reason to retrain, not to block the retrained model: raise the PSI limit ' +
    'or turn the drift gate off',
  'min-accuracy': 'lower the accuracy floor',
  canary: 'give the canary a latency budget the good models meet',
};

const list = (v: unknown) =>
  typeof v === 'string' && v.length > 0 ? v.split(',').map((s) => s.trim()) : [];

export const GOVERNANCE_CHECKS: {
  'ci-gates-block-bad': CheckFn<'ci-gates-block-bad'>;
  'champion-lineage-complete': CheckFn<'champion-lineage-complete'>;
  'run-reproduced': CheckFn<'run-reproduced'>;
} = {
  'champion-lineage-complete': (state) => {
    const withChampion = state.models.filter((m) => m.aliases.champion !== undefined);
    if (withChampion.length === 0) {
      return {
        passed: false,
        message:
          'No model has a champion alias yet. Register a version from a training run in the ' +
          'Registry and make it champion, with a reason.',
      };
    }
    const report: string[] = [];
    for (const m of withChampion) {
      const v = m.versions.find((x) => x.version === m.aliases.champion);
      if (!v) continue;
      const gaps = lineageGaps(state, m, v);
      if (gaps.length === 0) {
        return {
          passed: true,
          message:
            `${m.name}@v${v.version} (champion) traces back to its run and data fingerprint, has a ` +
            'model card note, and its promotion records a reason.',
        };
      }
      report.push(`${m.name}@v${v.version} (champion): ${gaps.join('; ')}`);
    }
    return { passed: false, message: `The lineage is incomplete. ${report.join('. ')}.` };
  },

  'run-reproduced': (state, params) => {
    const o = state.widgetOutcomes['lineage-explorer'];
    const a = o && state.runs.find((r) => r.id === o.originalRunId);
    const b = o && state.runs.find((r) => r.id === o.reproRunId);
    if (!o || !a || !b) {
      return {
        passed: false,
        message:
          'No reproduction saved yet (or its runs were deleted). In the lineage explorer, press ' +
          '"Reproduce" on a completed run and wait for the retraining to finish.',
      };
    }
    const problems: string[] = [];
    if (a.seed !== b.seed || a.splitSeed !== b.splitSeed)
      problems.push('the two runs used different seeds');
    if (!a.fingerprint || a.fingerprint !== b.fingerprint)
      problems.push('the data fingerprints differ, so the data or the split changed');
    if (a.testAccuracy === undefined || b.testAccuracy === undefined)
      problems.push('one of the runs has no test accuracy');
    const diff = Math.abs((b.testAccuracy ?? 0) - (a.testAccuracy ?? 0)) * 100;
    if (problems.length === 0 && diff <= params.maxDiffPoints) {
      return {
        passed: true,
        message:
          `Run ${b.id} reproduces ${a.id}: same fingerprint and seeds, test accuracy within ` +
          `${diff.toFixed(2)} points (allowed ${params.maxDiffPoints}); weights ` +
          `${o.weightsIdentical ? 'identical bit for bit' : 'not identical bit for bit'}.`,
      };
    }
    if (problems.length === 0)
      problems.push(
        `the test accuracies differ by ${diff.toFixed(2)} points (allowed ${params.maxDiffPoints})`,
      );
    return {
      passed: false,
      message:
        `The reproduction of ${a.id} does not match: ${problems.join('; ')}. Reproduce a ` +
        'completed run again from the lineage explorer, on the same backend.',
    };
  },

  'ci-gates-block-bad': (state) => {
    const o = state.widgetOutcomes['ci-gates-sim'];
    if (!o || typeof o.badTotal !== 'number' || typeof o.goodTotal !== 'number') {
      return {
        passed: false,
        message:
          'No pipeline run saved yet. In the CI gates simulation, choose gates and limits, press ' +
          '"Run the pipeline", then run this check again.',
      };
    }
    const shipped = list(o.shippedBad);
    const blocked = list(o.blockedGood);
    const goodShipped = Number(o.goodShipped);
    if (shipped.length === 0 && blocked.length === 0 && goodShipped === o.goodTotal) {
      const canary = Number(o.canaryCaught) > 0 ? `, ${o.canaryCaught} caught by the canary` : '';
      return {
        passed: true,
        message:
          `Your gates shipped all ${o.goodTotal} good candidates and none of the ${o.badTotal} ` +
          `bad ones${canary}. Accuracy on the simulated traffic: ` +
          `${(Number(o.trafficAccuracy) * 100).toFixed(1)}%.`,
      };
    }
    const problems: string[] = [];
    for (const kind of shipped)
      problems.push(`the bad candidate "${kind}" shipped: ${SHIPPED_ADVICE[kind] ?? 'add a gate'}`);
    for (const entry of blocked) {
      const [kind, gate] = entry.split(':');
      problems.push(
        `the good candidate "${kind}" was blocked by the ${gate} gate: ` +
          (BLOCKED_ADVICE[gate] ?? `loosen the ${gate} limit`),
      );
    }
    return {
      passed: false,
      message:
        `Your last run shipped ${goodShipped} of ${o.goodTotal} good and ` +
        `${shipped.length} of ${o.badTotal} bad candidates. ${problems.join('; ')}. ` +
        'Change the gates, run the pipeline again, then check.',
    };
  },
};
