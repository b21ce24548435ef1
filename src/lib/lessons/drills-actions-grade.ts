/**
 * Grades an actions-graded incident drill: pure, no DOM, no storage. Each required action is
 * checked against a snapshot of the learner's saved state (read fresh from storage by
 * state/drills-actions-snapshot.ts), counting only what was saved at or after the attempt
 * started; the findings form's choice and free text are graded beside them. Every rubric item
 * earns all or none of its points, with a message that says what was seen and what to do.
 */
import { formatMs } from '../state/benchmark-ops';
import { gradeAliasRollback } from './drills-actions-alias';
import type {
  BenchmarkPairAction,
  FallbackSessionAction,
  RequiredAction,
} from './drills-actions-types';
import type { ActionsDrill } from './drills-types';

/** One registry version as the grader sees it. */
export interface SnapshotVersion {
  /** E.g. 'digits-classifier@v2'. */
  id: string;
  modelName: string;
  version: number;
  variant: string;
}

/** One alias move (the registry's `aliasEvents`); `at` is ms since the epoch. */
export interface SnapshotAliasMove {
  modelName: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  at: number;
  reason: string;
  actor: string;
}

/** One saved benchmark run; `createdAt` is ms since the epoch, latencies are ms. */
export interface SnapshotBenchmark {
  createdAt: number;
  cells: {
    versionId: string;
    variant: string;
    runtime: string;
    actualRuntime: string;
    batch: number;
    p50: number;
    p99: number;
  }[];
}

/** What the grader reads: the saved state at the moment of grading. Times are ms since epoch. */
export interface ActionsSnapshot {
  versions: SnapshotVersion[];
  /** Model name -> alias -> version number. */
  aliases: Record<string, Record<string, number>>;
  aliasMoves: SnapshotAliasMove[];
  benchmarks: SnapshotBenchmark[];
  /** Widget name -> its latest saved outcome and when it was saved. */
  widgetOutcomes: Record<string, { savedAt: number; values: Record<string, unknown> }>;
}

/** The findings form: the chosen answer's id ('' when none) and the free text. */
export interface ActionsResponse {
  choice: string;
  text: string;
}

/** One graded rubric item. */
export interface ActionItemGrade {
  /** The rubric item id. */
  id: string;
  points: number;
  max: number;
  correct: boolean;
  message: string;
}

export interface ActionsGrade {
  items: ActionItemGrade[];
  /** Points per rubric item id. */
  scores: Record<string, number>;
  score: number;
  maxScore: number;
}

/** A check's verdict before points are attached. */
export type Verdict = { correct: boolean; message: string };

const plural = (n: number, one: string) =>
  `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/** 'digits-classifier@v2' -> 'digits-classifier v2'. */
export const versionLabel = (id: string) => id.replace('@', ' ');

function gradeBenchmarkPair(
  a: BenchmarkPairAction,
  s: ActionsSnapshot,
  startedAt: number,
): Verdict {
  const [base, other] = a.variants;
  const where = `at batch ${a.batch} on ${a.runtime}`;
  const how =
    `On the Serve screen's Benchmark lab, tick a ${base} version and its ${other} version, ` +
    `runtime ${a.runtime}, batch size ${a.batch}, and run it: the lab saves the run.`;
  const recent = s.benchmarks.filter((b) => b.createdAt >= startedAt);
  if (recent.length === 0)
    return { correct: false, message: `No benchmark was saved since this attempt started. ${how}` };
  // Per run: the cells that ran as asked (no fallback), by variant; the runs are newest first.
  let best: { missing: string[]; fellBack: number } | null = null;
  for (const b of [...recent].sort((x, y) => y.createdAt - x.createdAt)) {
    const cells = b.cells.filter((c) => c.batch === a.batch && c.runtime === a.runtime);
    const ran = cells.filter((c) => c.actualRuntime === c.runtime);
    const models = new Set(ran.map((c) => c.versionId.split('@')[0]));
    for (const model of models) {
      const pick = (variant: string) =>
        ran.find((c) => c.variant === variant && c.versionId.startsWith(`${model}@`));
      const [x, y] = [pick(base), pick(other)];
      if (x && y)
        return {
          correct: true,
          message:
            `Measured in one run ${where}: ${versionLabel(x.versionId)} (${base}) p99 ` +
            `${formatMs(x.p99)}, p50 ${formatMs(x.p50)}; ${versionLabel(y.versionId)} (${other}) ` +
            `p99 ${formatMs(y.p99)}, p50 ${formatMs(y.p50)}: ${other} p50 is ` +
            `${(y.p50 / x.p50).toFixed(1)}x the ${base} p50.`,
        };
    }
    const missing = [base, other].filter((v) => !ran.some((c) => c.variant === v));
    const fellBack = cells.length - ran.length;
    if (!best || missing.length < best.missing.length) best = { missing, fellBack };
  }
  const fell =
    best && best.fellBack > 0
      ? ` ${plural(best.fellBack, 'cell')} fell back to another runtime and do not count.`
      : '';
  return {
    correct: false,
    message:
      `${plural(recent.length, 'benchmark')} saved since the start, but none measured both a ` +
      `${base} and an ${other} version of one model ${where} (missing: ${best?.missing.join(' and ') || 'a matching pair'}).${fell} ${how}`,
  };
}

const num = (o: Record<string, unknown>, key: string) =>
  typeof o[key] === 'number' && Number.isFinite(o[key]) ? (o[key] as number) : 0;

function gradeFallbackSession(
  a: FallbackSessionAction,
  s: ActionsSnapshot,
  startedAt: number,
): Verdict {
  const entry = s.widgetOutcomes['fallback-lab'];
  const how =
    'In the fallback lab, press "Start the lab", then "Start traffic", and press "Crash the ' +
    'primary" while requests are in flight; the lab saves after each burst.';
  if (!entry || entry.savedAt < startedAt)
    return {
      correct: false,
      message: `No fallback lab session was saved since this attempt started. ${how}`,
    };
  const o = entry.values;
  const [requests, lost, doubled] = [num(o, 'requests'), num(o, 'lost'), num(o, 'doubled')];
  const [crashes, byFallback] = [num(o, 'crashes'), num(o, 'servedByFallback')];
  const seen =
    `Your session: ${plural(requests, 'request')}, ${plural(crashes, 'crash')} injected, ` +
    `${byFallback} served by a fallback, ${lost} lost, ${doubled} answered twice.`;
  const fail = (why: string): Verdict => ({ correct: false, message: `${seen} ${why}` });
  if (crashes < a.minCrashes)
    return fail(`Crash the primary (at least ${plural(a.minCrashes, 'time')}) while traffic runs.`);
  if (lost > 0 || doubled > 0)
    return fail(
      'Requests were lost or answered twice: keep a healthy secondary and the baseline in the ' +
        'chain, start the lab again and repeat.',
    );
  if (byFallback === 0)
    return fail(
      'No request was served by a fallback: the crash landed while nothing was in flight. ' +
        'Crash the primary while traffic is running.',
    );
  if (requests < a.minRequests)
    return fail(
      `Keep the traffic going to at least ${a.minRequests.toLocaleString('en-US')} requests: ` +
        `${(a.minRequests - requests).toLocaleString('en-US')} more.`,
    );
  return {
    correct: true,
    message: `${seen} The fallback chain absorbed the crash: every request got exactly one answer.`,
  };
}

function gradeAction(a: RequiredAction, s: ActionsSnapshot, startedAt: number): Verdict {
  switch (a.check) {
    case 'benchmark-pair':
      return gradeBenchmarkPair(a, s, startedAt);
    case 'alias-rollback':
      return gradeAliasRollback(a, s, startedAt);
    case 'fallback-session':
      return gradeFallbackSession(a, s, startedAt);
  }
}

function gradeChoice(drill: ActionsDrill, chosen: string): Verdict {
  const { choices } = drill.answer.choice;
  const pick = choices.find((c) => c.id === chosen);
  if (!pick) return { correct: false, message: 'No answer chosen.' };
  return { correct: pick.correct, message: `${pick.correct ? 'Right' : 'Not this'}: ${pick.why}` };
}

function gradeText(drill: ActionsDrill, text: string): Verdict {
  const { mentions } = drill.answer.text;
  const lower = text.toLowerCase();
  const found = mentions.filter((m) => lower.includes(m));
  if (found.length > 0)
    return {
      correct: true,
      message: `Your answer names ${found.map((f) => `"${f}"`).join(', ')}.`,
    };
  return {
    correct: false,
    message:
      (text.trim() === '' ? 'No answer written. ' : '') +
      `This is graded by keywords: name a concrete follow-up, such as ${mentions
        .slice(0, 3)
        .map((m) => `"${m}"`)
        .join(', ')}. The model answer says why.`,
  };
}

/**
 * Grades an attempt that started at `startedAt` (ms since epoch) from `snapshot`; the points of
 * each item come from the drill's rubric, in rubric order.
 */
export function gradeActions(
  drill: ActionsDrill,
  snapshot: ActionsSnapshot,
  startedAt: number,
  response: ActionsResponse,
): ActionsGrade {
  const verdicts = new Map<string, Verdict>();
  for (const a of drill.answer.actions) verdicts.set(a.rubric, gradeAction(a, snapshot, startedAt));
  verdicts.set(drill.answer.choice.rubric, gradeChoice(drill, response.choice));
  if (drill.answer.text.rubric)
    verdicts.set(drill.answer.text.rubric, gradeText(drill, response.text));
  const items = drill.rubric.map((r): ActionItemGrade => {
    const v = verdicts.get(r.id) ?? { correct: false, message: 'Not graded.' };
    return { id: r.id, points: v.correct ? r.points : 0, max: r.points, ...v };
  });
  return {
    items,
    scores: Object.fromEntries(items.map((i) => [i.id, i.points])),
    score: items.reduce((s, i) => s + i.points, 0),
    maxScore: items.reduce((s, i) => s + i.max, 0),
  };
}
