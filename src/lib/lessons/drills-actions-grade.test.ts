import { describe, expect, it } from 'vitest';
import { actionsDrill, goodSnapshot, move, T0 } from './drills-actions-fixtures';
import { gradeActions, type ActionsSnapshot } from './drills-actions-grade';
import { parseDrill } from './drills-parse';
import type { ActionsDrill } from './drills-types';

const drill = parseDrill('lessons/drills/01-sample.md', actionsDrill()) as ActionsDrill;
const RIGHT = { choice: 'dequantize', text: 'Add a readiness probe and page on it.' };

/** Grades `snapshot` (frozen: the grader must not change it) and returns item -> [points, message]. */
function grade(snapshot: ActionsSnapshot, response = RIGHT) {
  const g = gradeActions(drill, structuredClone(Object.freeze(snapshot)), T0, response);
  return {
    score: g.score,
    max: g.maxScore,
    item: (id: string) => {
      const i = g.items.find((x) => x.id === id)!;
      return { points: i.points, correct: i.correct, message: i.message };
    },
  };
}

describe('gradeActions', () => {
  it('gives full marks for the right actions and findings, with what it saw', () => {
    const g = grade(goodSnapshot());
    expect([g.score, g.max]).toEqual([10, 10]);
    expect(g.item('measure').message).toBe(
      'Measured in one run at batch 1 on ort-wasm: digits-classifier v1 (fp32) p99 138 µs, p50 12.1 µs; digits-classifier v2 (int8-weight) p99 368 µs, p50 26.3 µs: int8-weight p50 is 2.2x the fp32 p50.',
    );
    expect(g.item('roll-back').message).toBe(
      'You moved champion from digits-classifier v2 (int8-weight) back to digits-classifier v1 (fp32), reason: "p99 2x after the int8 canary".',
    );
    expect(g.item('keep-serving').message).toMatch(
      /^Your session: 1,200 requests, 1 crash injected, 37 served by a fallback, 0 lost, 0 answered twice\. The fallback chain absorbed/,
    );
    expect(g.item('cause').message).toBe('Right: the weights are dequantized on every call.');
    expect(g.item('follow-up').message).toBe('Your answer names "readiness".');
  });

  it('a wrong attempt without a rollback scores the rest and says what to do', () => {
    const s = goodSnapshot();
    s.aliasMoves.pop();
    s.aliases['digits-classifier'].champion = 2;
    const g = grade(s);
    expect(g.score).toBe(7);
    expect(g.item('roll-back')).toEqual({
      points: 0,
      correct: false,
      message:
        'You did not move champion since this attempt started; it points at digits-classifier v2 (int8-weight). On the Registry screen, press "Roll back champion" (or move champion to the fp32 version), write why in the reason, and confirm.',
    });
  });

  it.each([
    ['an empty reason', [move(2, 1, T0 + 5_000, '  ', 'learner')], 1, /but with an empty reason/],
    [
      'a rollback undone later',
      [move(2, 1, T0 + 5_000, 'slow', 'learner'), move(1, 2, T0 + 9_000, 'retry', 'learner')],
      2,
      /back to digits-classifier v1 \(fp32\), but it now points at digits-classifier v2 \(int8-weight\) again/,
    ],
    [
      'a rollback before the start',
      [move(2, 1, T0 - 5, 'early', 'learner')],
      1,
      /You did not move champion since/,
    ],
    [
      'a rollback by a policy',
      [move(2, 1, T0 + 5, 'auto', 'policy')],
      1,
      /made by a policy, not by you/,
    ],
    [
      'a move to the wrong variant',
      [move(2, 3, T0 + 5, 'try fp16', 'learner')],
      3,
      /from digits-classifier v2 \(int8-weight\) to digits-classifier v3 \(fp16\): that is not a move from the int8-weight version back to a fp32 one/,
    ],
  ])('refuses %s', (_, moves, champion, message) => {
    const s = goodSnapshot();
    s.versions.push({
      id: 'digits-classifier@v3',
      modelName: 'digits-classifier',
      version: 3,
      variant: 'fp16',
    });
    s.aliasMoves = [...s.aliasMoves.slice(0, 2), ...moves];
    s.aliases['digits-classifier'].champion = champion;
    const g = grade(s);
    expect(g.item('roll-back').points).toBe(0);
    expect(g.item('roll-back').message).toMatch(message);
  });

  it.each([
    [
      'only before the start',
      (s: ActionsSnapshot) => s.benchmarks.pop(),
      /^No benchmark was saved since this attempt started\. On the Serve screen/,
    ],
    [
      'an int8 cell that fell back',
      (s: ActionsSnapshot) => (s.benchmarks[1].cells[1].actualRuntime = 'plain-ts'),
      /none measured both .* \(missing: int8-weight\)\. 1 cell fell back to another runtime and do not count\./,
    ],
    [
      'batch 16 only',
      (s: ActionsSnapshot) => s.benchmarks[1].cells.forEach((c) => (c.batch = 16)),
      /missing: fp32 and int8-weight/,
    ],
    [
      'two models',
      (s: ActionsSnapshot) => (s.benchmarks[1].cells[1].versionId = 'other-model@v1'),
      /missing: a matching pair/,
    ],
  ])('measure: refuses a benchmark %s', (_, change, message) => {
    const s = goodSnapshot();
    change(s);
    expect(grade(s).item('measure')).toMatchObject({
      points: 0,
      message: expect.stringMatching(message),
    });
  });

  it.each([
    [{ savedAt: T0 - 1 }, /^No fallback lab session was saved since this attempt started/],
    [{ crashes: 0 }, /Crash the primary \(at least 1 time\) while traffic runs/],
    [{ lost: 2 }, /2 lost, 0 answered twice\. Requests were lost or answered twice/],
    [{ servedByFallback: 0 }, /No request was served by a fallback/],
    [{ requests: 600 }, /at least 1,000 requests: 400 more/],
  ])('keep serving: refuses %o', (change, message) => {
    const s = goodSnapshot();
    const entry = s.widgetOutcomes['fallback-lab'];
    const { savedAt, ...values } = change as Record<string, number>;
    if (savedAt !== undefined) entry.savedAt = savedAt;
    Object.assign(entry.values, values);
    expect(grade(s).item('keep-serving')).toMatchObject({
      points: 0,
      message: expect.stringMatching(message),
    });
  });

  it('grades the choice and the free text, each with its reason', () => {
    const g = grade(goodSnapshot(), { choice: 'cold-start', text: 'Buy a bigger machine.' });
    expect(g.score).toBe(7);
    expect(g.item('cause').message).toBe('Not this: a warm-up explains the first calls only.');
    expect(g.item('follow-up').message).toMatch(
      /^This is graded by keywords: name a concrete follow-up, such as "readiness", "alert on the fallback share"/,
    );
    expect(grade(goodSnapshot(), { choice: '', text: '' }).item('cause').message).toBe(
      'No answer chosen.',
    );
  });

  it('a clean slate earns nothing, and every message says what to do', () => {
    const empty: ActionsSnapshot = {
      versions: [],
      aliases: {},
      aliasMoves: [],
      benchmarks: [],
      widgetOutcomes: {},
    };
    const g = gradeActions(drill, empty, T0, { choice: '', text: '' });
    expect(g.score).toBe(0);
    expect(g.items.map((i) => i.id)).toEqual([
      'measure',
      'roll-back',
      'keep-serving',
      'cause',
      'follow-up',
    ]);
    for (const i of g.items) expect(i.message.length).toBeGreaterThan(10);
    expect(g.items[1].message).toMatch(/it points at no version/);
  });
});
