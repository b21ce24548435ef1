/** Shared by the drills unit tests (not shipped: nothing outside *.test.ts imports it). */

/** A valid design drill (`lessons/drills/01-sample.md`); tests mutate it. */
export const DESIGN = `---
id: sample-design
title: A sample design drill
kind: design
minutes: 10
level: core
tags: [demo]
---

## Prompt

Design a thing that serves $n$ users.

## Canvas

- **Requirements**: Traffic and latency.
- **Data**: What you log.
- **Model**: What you train.
- **Serving**: Where it runs.
- **Monitoring**: What you watch.
- **Trade-offs**: What you gave up.

## Rubric

- **Sizing** (2 points): Peak requests per second
  from stated assumptions.
- **Architecture** (3 points): Stages named.
- **Monitoring** (1 point): Alerts named.

## Model answer

A strong answer.
`;

const OPERATE = {
  dataset: 'digits',
  seed: 3,
  requestsPerSecond: 2,
  durationSeconds: 7200,
  windowMinutes: 10,
  scenarios: [
    { kind: 'stuck-at-zero', params: { feature: 36 }, startMs: 1_800_000, rampMs: 0 },
    { kind: 'stuck-at-zero', params: { feature: 28 }, startMs: 1_800_000, rampMs: 0 },
  ],
};

/** A valid incident drill; `operate` can replace the simulation. */
export function incident(operate: object = OPERATE, answer?: string): string {
  return `---
id: sample-incident
title: A sample incident
kind: incident
minutes: 15
level: core
tags: []
---

## Prompt

Something broke.

## Canvas

- **Symptoms**: What you saw.
- **Evidence**: What proves it.
- **Mitigation**: What you do.

## Rubric

- **Features** (3 points): The two pixels.
- **Kind** (2 points): Upstream bug.
- **Onset** (2 points): Within a window.
- **Action** (3 points): Fix the pipeline.

## Model answer

Two pixels stuck at zero.

\`\`\`operate
${JSON.stringify(operate, null, 2)}
\`\`\`

\`\`\`answer
${answer ?? 'features: [28, 36]\nkind: upstream-bug\nonsetMs: 1800000\naction: fix-upstream\nwhy: Two pixels pinned at 0.'}
\`\`\`
`;
}
