/**
 * Checks graded on the learner's saved Operate simulations (`snapshot.simSessions`, newest first,
 * read from storage by state/lab-snapshot.ts): `drift-alert-fired` (a covariate shift fired the
 * data-drift alert, and a control run with the same seed and no scenario stayed quiet) and
 * `concept-drift-cbpe` (concept drift fired the accuracy alert while the label-free CBPE estimate
 * stayed quiet). Times are simulated ms since the start of a run.
 */
import type { CheckFn, LabSnapshot } from './checks';

/** One saved simulation as checks see it. */
export type SimSessionSummary = NonNullable<LabSnapshot['simSessions']>[number];

/** Scenario kinds that move the inputs but not the input-to-label relation. */
export const COVARIATE_KINDS: readonly string[] = [
  'brightness',
  'noise',
  'shift',
  'rotation',
  'thicker',
  'feature-scale',
  'feature-offset',
];
/** Scenario kinds that change what the right label is for an input. */
export const CONCEPT_KINDS: readonly string[] = ['relabel', 'new-writer'];

/** The alert rules (core/sim-alerts.ts) these checks read. */
const DATA_DRIFT = 'data-drift';
const ACCURACY = 'accuracy-drop';
const CBPE = 'cbpe-drop';

// A local copy of checks.ts's plural: a value import from there would be a cycle.
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Simulated ms as "hour 2.5" (runs start at hour 0). */
const hour = (ms: number) => `hour ${+(ms / 3_600_000).toFixed(2)}`;

/** Earliest start of the session's scenarios of these kinds, or null when it has none. */
function startOf(s: SimSessionSummary, kinds: readonly string[]): number | null {
  const starts = s.spec.scenarios.filter((c) => kinds.includes(c.kind)).map((c) => c.startMs);
  return starts.length ? Math.min(...starts) : null;
}

/** The first time `rule` fired at or after `fromMs`, or null. */
function firedAt(s: SimSessionSummary, rule: string, fromMs = 0): number | null {
  const a = s.alerts.find((e) => e.rule === rule && e.state === 'firing' && e.timeMs >= fromMs);
  return a ? a.timeMs : null;
}

/** The scenario kinds of a session, named once each: "brightness, noise". */
function kindsOf(s: SimSessionSummary, kinds: readonly string[]): string {
  return [...new Set(s.spec.scenarios.map((c) => c.kind).filter((k) => kinds.includes(k)))].join(
    ', ',
  );
}

/**
 * How a candidate control run's settings differ from the drifted run's (beyond the scenarios),
 * as phrases; [] when it is a fair control. Fields a snapshot leaves out are not compared.
 */
function setupDifferences(control: SimSessionSummary, drifted: SimSessionSummary): string[] {
  const a = control.spec;
  const b = drifted.spec;
  const out: string[] = [];
  if (a.dataset !== b.dataset) out.push(`data set ${a.dataset} instead of ${b.dataset}`);
  const same = (x: number | undefined, y: number | undefined) =>
    x === undefined || y === undefined || x === y;
  if (!same(a.requestsPerSecond, b.requestsPerSecond))
    out.push(`${a.requestsPerSecond} requests/s instead of ${b.requestsPerSecond}`);
  if (!same(a.windowMinutes, b.windowMinutes))
    out.push(`${a.windowMinutes}-minute windows instead of ${b.windowMinutes}`);
  if (!same(a.driftShare, b.driftShare))
    out.push(`a drift share threshold of ${a.driftShare} instead of ${b.driftShare}`);
  return out;
}

const NO_SESSION =
  'No saved simulation yet. In the Operate lab above: choose your digits model, add a ' +
  'covariate scenario (brightness with factor 0.6 from hour 2, say), press Play and let it run ' +
  'to the end; then run this check again.';

/** Grades `drift-alert-fired` (see the file comment). */
const driftAlertFired: CheckFn<'drift-alert-fired'> = (state) => {
  const sessions = state.simSessions ?? [];
  if (sessions.length === 0) return { passed: false, message: NO_SESSION };
  const drifted = sessions.filter((s) => startOf(s, COVARIATE_KINDS) !== null);
  if (drifted.length === 0) {
    return {
      passed: false,
      message:
        `None of your ${plural(sessions.length, 'saved simulation')} injects a covariate shift ` +
        `(one of ${COVARIATE_KINDS.join(', ')}). Add one in the Operate lab (brightness with ` +
        'factor 0.6 from hour 2, say), press Play and let it run to the end.',
    };
  }
  const fired = drifted.filter(
    (s) => firedAt(s, DATA_DRIFT, startOf(s, COVARIATE_KINDS)!) !== null,
  );
  if (fired.length === 0) {
    const s = drifted[0];
    const start = startOf(s, COVARIATE_KINDS)!;
    const early = firedAt(s, DATA_DRIFT);
    const share = s.spec.driftShare ?? 0.5;
    return {
      passed: false,
      message:
        `Your newest run with a covariate shift (${kindsOf(s, COVARIATE_KINDS)} from ` +
        `${hour(start)}, seed ${s.spec.seed}) closed ${plural(s.windows, 'window')} and no ` +
        'data-drift alert fired at or after the shift started' +
        (early !== null
          ? ` (one fired at ${hour(early)}, before anything was injected: a false alarm)`
          : '') +
        '. The alert fires when at least ' +
        `${share * 100}% of the features drift in a window: let the run go several windows ` +
        'past the start, or make the shift stronger (brightness factor 0.6 moves every pixel).',
    };
  }
  // The newest drifted run that fired decides the message; any fair quiet control passes.
  let best: { message: string } | null = null;
  for (const s of fired) {
    const start = startOf(s, COVARIATE_KINDS)!;
    const at = firedAt(s, DATA_DRIFT, start)!;
    const sameSeed = sessions.filter(
      (c) => c !== s && c.spec.scenarios.length === 0 && c.spec.seed === s.spec.seed,
    );
    const fair = sameSeed.filter((c) => setupDifferences(c, s).length === 0);
    const long = fair.filter((c) => c.windows >= s.windows);
    const quiet = long.find((c) => firedAt(c, DATA_DRIFT) === null);
    const what =
      `${kindsOf(s, COVARIATE_KINDS)} from ${hour(start)} fired the data-drift alert at ` +
      `${hour(at)} (seed ${s.spec.seed}, ${plural(s.windows, 'window')})`;
    if (quiet) {
      return {
        passed: true,
        message:
          `${what[0].toUpperCase()}${what.slice(1)}, and the control run with the same seed and ` +
          `no scenario stayed quiet for ${plural(quiet.windows, 'window')}: the alert is ` +
          'explained by the shift, not by chance.',
      };
    }
    if (best) continue;
    const control = `Reset, remove every scenario, keep seed ${s.spec.seed} and the other settings, and play at least ${plural(s.windows, 'window')}`;
    let message: string;
    if (sameSeed.length === 0) {
      message = `Good: ${what}. Now the control run: ${control}.`;
    } else if (fair.length === 0) {
      message =
        `Good: ${what}. Your run without a scenario differs in more than the drift ` +
        `(${setupDifferences(sameSeed[0], s).join('; ')}), so it is no control: ${control}.`;
    } else if (long.length === 0) {
      const longest = Math.max(...fair.map((c) => c.windows));
      message =
        `Good: ${what}. Your control run closed only ${plural(longest, 'window')}: ` +
        `quiet for less time proves less. ${control}.`;
    } else {
      const c = long[0];
      message =
        `${what[0].toUpperCase()}${what.slice(1)}, but your control run with the same seed and ` +
        `no scenario fired it too, at ${hour(firedAt(c, DATA_DRIFT)!)}. With nothing injected ` +
        'that is a false alarm, so the drifted run proves nothing. Check that the drift share ' +
        'threshold was not lowered (Evidently counts a window as drifted when at least 50% of ' +
        'its features drift), then run both again.';
    }
    best = { message };
  }
  return { passed: false, message: best!.message };
};

/** Grades `concept-drift-cbpe` (see the file comment). */
const conceptDriftCbpe: CheckFn<'concept-drift-cbpe'> = (state) => {
  const sessions = state.simSessions ?? [];
  const concept = sessions.filter((s) => startOf(s, CONCEPT_KINDS) !== null);
  if (concept.length === 0) {
    return {
      passed: false,
      message:
        (sessions.length === 0
          ? 'No saved simulation yet. '
          : `None of your ${plural(sessions.length, 'saved simulation')} injects concept drift. `) +
        'In the Operate lab, Reset, add "Relabelled class" (class 3 now labelled 8, share 1, ' +
        'from hour 2, say), press Play and let it run to the end; then check again.',
    };
  }
  for (const s of concept) {
    const start = startOf(s, CONCEPT_KINDS)!;
    const acc = firedAt(s, ACCURACY, start);
    if (acc !== null && firedAt(s, CBPE) === null) {
      return {
        passed: true,
        message:
          `${kindsOf(s, CONCEPT_KINDS)} from ${hour(start)}: the accuracy alert fired at ` +
          `${hour(acc)} on the labels that arrived, and the CBPE alert never fired. The model ` +
          'stayed as confident as before, so an estimate from confidences alone saw nothing.',
      };
    }
  }
  const s = concept[0];
  const start = startOf(s, CONCEPT_KINDS)!;
  const what = `Your newest concept-drift run (${kindsOf(s, CONCEPT_KINDS)} from ${hour(start)})`;
  const cbpe = firedAt(s, CBPE);
  if (firedAt(s, ACCURACY, start) === null) {
    return {
      passed: false,
      message:
        `${what} closed ${plural(s.windows, 'window')} and the accuracy alert did not fire ` +
        'after the start. It needs labels: at least 50 per window (by default), and a drop of ' +
        'more than 5 points. Let the run go on until delayed labels arrive, and relabel enough ' +
        'traffic (share 1 for one or two classes).',
    };
  }
  const covariate = startOf(s, COVARIATE_KINDS) !== null;
  return {
    passed: false,
    message:
      `${what} fired the accuracy alert, but the CBPE alert fired too (at ${hour(cbpe!)}), so ` +
      'the model\u2019s confidence fell: the inputs changed, not only the labels' +
      (covariate
        ? '. Remove the covariate scenarios, which CBPE is meant to see'
        : s.spec.scenarios.some((c) => c.kind === 'new-writer')
          ? ': a new writer\u2019s rotated style is an input the model is unsure about'
          : '') +
      '. To see what CBPE cannot see, change only P(label | input): Reset and use "Relabelled ' +
      'class" alone.',
  };
};

export const DRIFT_CHECKS: {
  'drift-alert-fired': CheckFn<'drift-alert-fired'>;
  'concept-drift-cbpe': CheckFn<'concept-drift-cbpe'>;
} = {
  'drift-alert-fired': driftAlertFired,
  'concept-drift-cbpe': conceptDriftCbpe,
};
