/** Shared by the actions-drill unit tests (not shipped: nothing outside *.test.ts imports it). */
import type { ActionsSnapshot } from './drills-actions-grade';

/** The ```answer block of a valid actions drill; tests replace parts of it. */
export const ACTIONS_ANSWER = `grading: actions
setup: int8-canary
actions:
  - rubric: measure
    check: benchmark-pair
    variants: [fp32, int8-weight]
    batch: 1
    runtime: ort-wasm
  - rubric: roll-back
    check: alias-rollback
    alias: champion
    from: int8-weight
    to: fp32
  - rubric: keep-serving
    check: fallback-session
    minRequests: 1000
    minCrashes: 1
choice:
  rubric: cause
  question: What made p99 double?
  choices:
    - id: dequantize
      label: Dequantize work per call
      correct: true
      why: the weights are dequantized on every call.
    - id: cold-start
      label: A cold start
      why: a warm-up explains the first calls only.
text:
  rubric: follow-up
  question: One follow-up
  mentions: [Readiness, alert on the fallback share]
why: Measure, roll back, explain.`;

/** A valid actions-graded incident drill (`lessons/drills/01-sample.md`). */
export function actionsDrill(answer = ACTIONS_ANSWER, extra = ''): string {
  return `---
id: sample-actions
title: A sample actions drill
kind: incident
minutes: 10
level: core
tags: []
---

## Prompt

Champion got slower.

## Canvas

- **Symptoms**: What you saw.
- **Evidence**: What proves it.
- **Mitigation**: What you do.

## Rubric

- **Measure** (2 points): Both versions benchmarked.
- **Roll back** (3 points): champion back on fp32 with a reason.
- **Keep serving** (2 points): The fallback absorbed a crash.
- **Cause** (2 points): Dequantize per call.
- **Follow-up** (1 point): A probe or an alert.

## Model answer

Roll back.
${extra}
\`\`\`answer
${answer}
\`\`\`
`;
}

/** Times, ms since epoch: the attempt starts at T0. */
export const T0 = 1_764_000_000_000;

/**
 * The learner's state after doing everything right: digits-classifier v1 (fp32) was champion,
 * the teammate (policy) moved it to v2 (int8-weight) before the start, then the learner
 * benchmarked both and rolled back with a reason, and ran the fallback lab with a crash.
 */
export function goodSnapshot(): ActionsSnapshot {
  const cell = (v: number, variant: string, p50: number, p99: number) => ({
    versionId: `digits-classifier@v${v}`,
    variant,
    runtime: 'ort-wasm',
    actualRuntime: 'ort-wasm',
    batch: 1,
    p50,
    p99,
  });
  return {
    versions: [
      { id: 'digits-classifier@v1', modelName: 'digits-classifier', version: 1, variant: 'fp32' },
      {
        id: 'digits-classifier@v2',
        modelName: 'digits-classifier',
        version: 2,
        variant: 'int8-weight',
      },
    ],
    aliases: { 'digits-classifier': { champion: 1 } },
    aliasMoves: [
      move(null, 1, T0 - 60_000, 'first champion', 'learner'),
      move(1, 2, T0 - 1_000, 'Teammate: canary promoted', 'policy'),
      move(2, 1, T0 + 120_000, 'p99 2x after the int8 canary', 'learner'),
    ],
    benchmarks: [
      { createdAt: T0 - 30_000, cells: [cell(1, 'fp32', 0.012, 0.14)] },
      {
        createdAt: T0 + 60_000,
        cells: [cell(1, 'fp32', 0.0121, 0.138), cell(2, 'int8-weight', 0.0263, 0.368)],
      },
    ],
    widgetOutcomes: {
      'fallback-lab': {
        savedAt: T0 + 200_000,
        values: { requests: 1200, lost: 0, doubled: 0, crashes: 1, servedByFallback: 37 },
      },
    },
  };
}

/** One alias move of `champion` on digits-classifier. */
export function move(
  fromVersion: number | null,
  toVersion: number,
  at: number,
  reason: string,
  actor: string,
): ActionsSnapshot['aliasMoves'][number] {
  return {
    modelName: 'digits-classifier',
    alias: 'champion',
    fromVersion,
    toVersion,
    at,
    reason,
    actor,
  };
}
