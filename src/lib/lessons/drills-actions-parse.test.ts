import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS_ANSWER, actionsDrill } from './drills-actions-fixtures';
import { incident } from './drills-fixtures';
import { loadDrills, parseDrill } from './drills-parse';
import type { ActionsDrill } from './drills-types';
import { LessonValidationError } from './parse';

const FILE = 'lessons/drills/01-sample.md';

function errorsOf(source: string): string {
  try {
    parseDrill(FILE, source);
    return '';
  } catch (e) {
    if (e instanceof LessonValidationError) return e.message;
    throw e;
  }
}

const lineOf = (source: string, text: string) =>
  source.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('actions-graded incident drills', () => {
  it('parses the required actions, the choice, the free text and the setup', () => {
    const d = parseDrill(FILE, actionsDrill());
    if (d.kind !== 'incident' || d.grading !== 'actions') throw new Error('expected actions');
    expect(d.maxScore).toBe(10);
    expect(d.answer.setup).toBe('int8-canary');
    expect(d.answer.actions).toEqual([
      {
        check: 'benchmark-pair',
        rubric: 'measure',
        variants: ['fp32', 'int8-weight'],
        batch: 1,
        runtime: 'ort-wasm',
      },
      {
        check: 'alias-rollback',
        rubric: 'roll-back',
        alias: 'champion',
        from: 'int8-weight',
        to: 'fp32',
      },
      { check: 'fallback-session', rubric: 'keep-serving', minRequests: 1000, minCrashes: 1 },
    ]);
    expect(d.answer.choice.choices.map((c) => [c.id, c.correct])).toEqual([
      ['dequantize', true],
      ['cold-start', false],
    ]);
    expect(d.answer.text).toEqual({
      rubric: 'follow-up',
      question: 'One follow-up',
      mentions: ['readiness', 'alert on the fallback share'],
    });
    expect(d).not.toHaveProperty('operate');
  });

  it('ships drills 11 and 12 as actions drills worth 10 points, like the others', () => {
    const files = [
      'lessons/drills/11-p99-doubled-int8-canary.md',
      'lessons/drills/12-model-server-down-at-peak.md',
    ];
    const drills = loadDrills(Object.fromEntries(files.map((f) => [f, readFileSync(f, 'utf8')])));
    const [canary, down] = drills as ActionsDrill[];
    expect(
      drills.map((d) => [d.meta.id, d.kind, d.kind === 'incident' && d.grading, d.maxScore]),
    ).toEqual([
      ['p99-doubled-int8-canary', 'incident', 'actions', 10],
      ['model-server-down-at-peak', 'incident', 'actions', 10],
    ]);
    expect(canary.answer.setup).toBe('int8-canary');
    expect(canary.answer.actions.map((a) => a.check)).toEqual(['benchmark-pair', 'alias-rollback']);
    expect(canary.answer.choice.choices.find((c) => c.correct)?.label).toBe(
      'int8 weight-only adds DequantizeLinear work per call on this runtime; no int8 kernel speed-up',
    );
    expect(canary.answer.text.rubric).toBeNull();
    expect(down.answer.actions).toEqual([
      { check: 'fallback-session', rubric: 'keep-serving', minRequests: 1000, minCrashes: 1 },
    ]);
    const wrong = down.answer.choice.choices.filter((c) => !c.correct).map((c) => c.id);
    expect(wrong).toEqual(['retrain', 'roll-back-model', 'scale-to-zero']);
  });

  it.each([
    ['grading: actions', 'grading: vibes', /grading must be one of findings, actions/],
    ['setup: int8-canary', 'setup: chaos', /setup must be one of int8-canary/],
    ['check: benchmark-pair', 'check: benchmark-trio', /actions\[0\]\.check must be one of/],
    [
      'variants: [fp32, int8-weight]',
      'variants: [fp32, fp32]',
      /actions\[0\]\.variants must be two different/,
    ],
    ['batch: 1', 'batch: 0', /actions\[0\]\.batch must be a whole number from 1 to 4096/],
    ['runtime: ort-wasm', 'runtime: onnx', /actions\[0\]\.runtime must be one of ort-wasm/],
    ['to: fp32', 'to: fp64', /actions\[1\]\.to must be one of fp32/],
    ['to: fp32', 'to: fp32\n    colour: red', /actions\.1: unknown key "colour"/],
    ['minRequests: 1000', 'minRequests: lots', /actions\[2\]\.minRequests must be a whole number/],
    ['      correct: true\n', '', /exactly one answer has correct: true, got 0/],
    ['id: cold-start', 'id: Cold Start', /choices\[1\]\.id must be kebab-case/],
    [
      '  mentions: [Readiness, alert on the fallback share]',
      '',
      /a graded text \(with a rubric\) needs mentions/,
    ],
    ['  rubric: cause', '  rubric: cause\n  rubric: cause', /invalid YAML in answer block/],
  ])('reports %s -> %s at its file line', (from, to, message) => {
    const source = actionsDrill(ACTIONS_ANSWER.replace(from, to));
    const text = errorsOf(source);
    expect(text).toMatch(message);
    // The error points at the changed line (or, for a removed line, the key that holds it).
    const at = to.split('\n').pop()!.trim() || (from.includes('correct') ? 'choices:' : 'text:');
    const line = to.includes('rubric: cause') ? lineOf(source, at) + 1 : lineOf(source, at);
    expect(text).toContain(`${FILE}:${line}:`);
    expect(text).not.toMatch(/operate|graded findings/);
  });

  it('requires the rubric to be exactly the graded items, at the rubric line', () => {
    const source = actionsDrill(ACTIONS_ANSWER.replace('rubric: measure', 'rubric: measured'));
    const text = errorsOf(source);
    expect(text).toMatch(/no rubric item for measured; nothing grades measure/);
    expect(text).toContain(`${FILE}:${lineOf(source, '## Rubric')}:`);
  });

  it('refuses an operate block and a set-up the actions cannot undo', () => {
    const operate = '\n```operate\n{}\n```\n';
    const withOperate = actionsDrill(ACTIONS_ANSWER, operate);
    expect(errorsOf(withOperate)).toContain(
      `${FILE}:${lineOf(withOperate, '```operate')}: a drill graded on actions has no \`\`\`operate block`,
    );
    const source = actionsDrill(ACTIONS_ANSWER.replace('alias: champion', 'alias: challenger'));
    expect(errorsOf(source)).toContain(
      `${FILE}:${lineOf(source, 'setup: int8-canary')}: answer block: setup int8-canary points champion`,
    );
  });

  it('still parses findings drills, with or without grading: findings', () => {
    const explicit = incident(
      undefined,
      `grading: findings\nfeatures: [28, 36]\nkind: upstream-bug\nonsetMs: 1800000\naction: fix-upstream\nwhy: Two pixels.`,
    );
    const d = parseDrill(FILE, explicit);
    expect(d.kind === 'incident' && d.grading).toBe('findings');
    expect(parseDrill(FILE, incident())).toMatchObject({ grading: 'findings' });
  });
});
