import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { incident } from './drills-fixtures';
import { parseFeatureList, parseSimTime } from './drills-findings';
import { gradeFindings, type Findings } from './drills-grade';
import { parseDrill } from './drills-parse';
import type { IncidentDrill } from './drills-types';

const drill = parseDrill('lessons/drills/01-x.md', incident()) as IncidentDrill;
const RIGHT: Findings = {
  features: [28, 36],
  kind: 'upstream-bug',
  onsetMs: 1_800_000,
  action: 'fix-upstream',
};

describe('gradeFindings', () => {
  it('gives full marks to the right findings, onset anywhere within one window', () => {
    for (const onsetMs of [1_800_000, 1_800_000 + 600_000, 1_800_000 - 600_000]) {
      const g = gradeFindings(drill, { ...RIGHT, onsetMs });
      expect(g.score).toBe(10);
      expect(g.maxScore).toBe(10);
      expect(g.scores).toEqual({ features: 3, kind: 2, onset: 2, action: 3 });
      expect(g.findings.every((f) => f.correct && f.message.startsWith('Right'))).toBe(true);
    }
    expect(gradeFindings(drill, RIGHT).findings[0].message).toBe('Right: px_r3c4, px_r4c4.');
  });

  it('gives nothing for wrong findings, each with a message that says why', () => {
    const g = gradeFindings(drill, {
      features: [0],
      kind: 'covariate',
      onsetMs: 1_800_000 + 600_001,
      action: 'retrain',
    });
    expect(g.score).toBe(0);
    const byId = Object.fromEntries(g.findings.map((f) => [f.id, f.message]));
    expect(byId.features).toMatch(/0 of the 2 drifted features found\. px_r0c0 did not drift/);
    expect(byId.kind).toMatch(/not because the world did/);
    expect(byId.onset).toMatch(
      /You said day 0, 00:40:00, more than one window \(10 min\) away\. That is later/,
    );
    expect(byId.action).toMatch(/Retraining on broken inputs teaches the model the bug/);
  });

  it('gives part of the feature points by overlap, and says what is missing', () => {
    const half = gradeFindings(drill, { ...RIGHT, features: [36] });
    expect(half.scores.features).toBe(2); // round(3 x 1/2)
    expect(half.findings[0].message).toMatch(/1 of the 2 drifted features found/);
    // Naming every pixel is not a free win: overlap over union.
    const all = gradeFindings(drill, { ...RIGHT, features: [...Array(64).keys()] });
    expect(all.scores.features).toBe(0);
  });

  it('reports empty answers as not answered', () => {
    const g = gradeFindings(drill, { features: [], kind: '', onsetMs: null, action: '' });
    expect(g.score).toBe(0);
    expect(g.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/No feature named/),
      'No kind chosen.',
      'No onset given.',
      'No action chosen.',
    ]);
  });

  it('grades the real incident drill: its model answer scores full marks', () => {
    const file = 'lessons/drills/10-predictions-degraded.md';
    const real = parseDrill(file, readFileSync(file, 'utf8')) as IncidentDrill;
    const { features, kind, onsetMs, action } = real.answer;
    expect(gradeFindings(real, { features, kind, onsetMs, action }).score).toBe(real.maxScore);
  });
});

describe('findings form parsing', () => {
  it('reads feature indices and digits pixel names', () => {
    expect(parseFeatureList('36, px_r3c4 36', 'digits', 64)).toEqual({ ok: true, value: [28, 36] });
    expect(parseFeatureList('', 'digits', 64)).toEqual({
      ok: false,
      error: 'Name at least one feature.',
    });
    const bad = parseFeatureList('64', 'digits', 64);
    expect(bad.ok === false && bad.error).toMatch(
      /"64" is not a feature: type an index 0\.\.63 or a name like px_r4c4/,
    );
    expect(parseFeatureList('px_r1c1', 'breast-cancer', 30).ok).toBe(false);
  });

  it('reads simulated times as the Operate screen shows them', () => {
    expect(parseSimTime('day 0, 06:00:00')).toEqual({ ok: true, value: 21_600_000 });
    expect(parseSimTime('06:30')).toEqual({ ok: true, value: 23_400_000 });
    expect(parseSimTime('day 1, 00:00')).toEqual({ ok: true, value: 86_400_000 });
    expect(parseSimTime('25:00').ok).toBe(false);
    expect(parseSimTime('six').ok).toBe(false);
  });
});
