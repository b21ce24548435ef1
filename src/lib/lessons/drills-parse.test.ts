import { describe, expect, it } from 'vitest';
import { DESIGN, incident } from './drills-fixtures';
import { loadDrills, parseDrill } from './drills-parse';
import { LessonValidationError } from './parse';

const FILE = 'lessons/drills/01-sample.md';

/** The error text of parsing `source`, or '' when it parses. */
function errorsOf(source: string, file = FILE): string {
  try {
    parseDrill(file, source);
    return '';
  } catch (e) {
    if (e instanceof LessonValidationError) return e.message;
    throw e;
  }
}

/** The 1-based line of the first line of `source` that contains `text`. */
const lineOf = (source: string, text: string) =>
  source.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('design drills', () => {
  it('parses a valid drill into prompt, canvas, rubric and model answer', () => {
    const d = parseDrill(FILE, DESIGN);
    expect(d.kind).toBe('design');
    expect(d.meta).toEqual({
      id: 'sample-design',
      title: 'A sample design drill',
      kind: 'design',
      minutes: 10,
      level: 'core',
      tags: ['demo'],
    });
    expect(d.prompt).toBe('Design a thing that serves $n$ users.');
    expect(d.canvas.map((c) => c.id)).toEqual([
      'requirements',
      'data',
      'model',
      'serving',
      'monitoring',
      'trade-offs',
    ]);
    expect(d.canvas[5]).toEqual({
      id: 'trade-offs',
      label: 'Trade-offs',
      guidance: 'What you gave up.',
    });
    expect(d.rubric[0]).toEqual({
      id: 'sizing',
      title: 'Sizing',
      points: 2,
      earns: 'Peak requests per second from stated assumptions.',
    });
    expect(d.maxScore).toBe(6);
    expect(d.modelAnswer).toBe('A strong answer.');
  });

  it.each([
    ['minutes: 10', 'minutes: 20', 'minutes', /minutes must be a whole number from 5 to 15/],
    ['kind: design', 'kind: essay', 'kind', /kind must be one of design, incident/],
    ['tags: [demo]', 'tags: [demo]\ncolour: red', 'colour', /unknown frontmatter key "colour"/],
    ['## Rubric', '## Scoring', '## Scoring', /unknown section "## Scoring"/],
    ['(3 points)', '(12 points)', '(12 points)', /must be worth 1 to 10 points/],
    ['- **Data**: What you log.', '- Data: what you log', 'Data: what', /canvas: write each box/],
    ['- **Monitoring**: What you watch.\n', '', '## Canvas', /needs the boxes monitoring/],
    ['serves $n$ users', 'serves $\\frac{n$ users', 'serves', /math:/],
    ['- **Monitoring** (1 point)', '- **Sizing** (1 point)', '**Sizing** (1', /appears twice/],
  ])('reports %s -> %s at its line', (from, to, at, message) => {
    const source = DESIGN.replace(from, to);
    const text = errorsOf(source);
    expect(text).toMatch(message);
    expect(text).toContain(`${FILE}:${lineOf(source, at)}:`);
  });

  it('names a missing section and refuses an incident block in a design drill', () => {
    expect(errorsOf(DESIGN.replace('## Model answer\n\nA strong answer.\n', ''))).toMatch(
      /missing section "## Model answer"/,
    );
    expect(errorsOf(`${DESIGN}\n\`\`\`answer\nkind: prior\n\`\`\`\n`)).toMatch(
      /only incident drills have/,
    );
  });
});

describe('incident drills', () => {
  it('parses the simulation and the answer, with a one-window tolerance', () => {
    const d = parseDrill(FILE, incident());
    if (d.kind !== 'incident' || d.grading !== 'findings') throw new Error('expected findings');
    expect(d.operate.scenarios).toHaveLength(2);
    expect(d.answer).toEqual({
      features: [28, 36],
      kind: 'upstream-bug',
      onsetMs: 1_800_000,
      toleranceMs: 600_000,
      action: 'fix-upstream',
      why: 'Two pixels pinned at 0.',
    });
    expect(d.maxScore).toBe(10);
  });

  it('validates the operate block with the Operate lab rules, at the field line', () => {
    const bad = incident({
      dataset: 'digits',
      seed: 3,
      requestsPerSecond: 2,
      durationSeconds: 7200,
      windowMinutes: 10,
      scenarios: [{ kind: 'stuck-at-zero', params: { feature: 99 }, startMs: 0, rampMs: 0 }],
    });
    const text = errorsOf(bad);
    expect(text).toMatch(/operate block: scenarios\[0\]\.params\.feature/);
    expect(text).toContain(`${FILE}:${lineOf(bad, '"feature": 99')}:`);
    expect(errorsOf(incident().replace('"seed": 3,', '"seed": 3,,'))).toMatch(
      /operate block: invalid JSON/,
    );
  });

  it.each([
    [
      'features: [28, 36]',
      'features: [28]',
      /features are \[28\] but the scenarios touch \[28,36\]/,
    ],
    [
      'kind: upstream-bug',
      'kind: covariate',
      /kind is "covariate" but the scenarios are upstream-bug/,
    ],
    ['kind: upstream-bug', 'kind: sideways', /kind must be one of covariate, prior/],
    ['onsetMs: 1800000', 'onsetMs: 1200000', /first scenario starts at 1800000/],
    ['action: fix-upstream', 'action: panic', /action must be one of fix-upstream/],
    ['why: Two pixels pinned at 0.', '', /missing key "why"/],
  ])('checks the answer against the simulation: %s -> %s', (from, to, message) => {
    const source = incident().replace(from, to);
    expect(errorsOf(source)).toMatch(message);
  });

  it('requires the four graded findings as the rubric', () => {
    expect(errorsOf(incident().replace('**Onset**', '**When**'))).toMatch(
      /rubric: an incident drill's items are the graded findings/,
    );
    expect(errorsOf(incident().replace(/```answer[\s\S]*?```\n/, ''))).toMatch(
      /needs an ```answer block/,
    );
  });
});

describe('loadDrills', () => {
  it('sorts by file name, skips README.md and reports duplicates across files', () => {
    const drills = loadDrills({
      'lessons/drills/02-b.md': incident(),
      'lessons/drills/01-a.md': DESIGN,
      'lessons/drills/README.md': 'not a drill',
    });
    expect(drills.map((d) => d.meta.id)).toEqual(['sample-design', 'sample-incident']);
    expect(() =>
      loadDrills({ 'lessons/drills/01-a.md': DESIGN, 'lessons/drills/01-b.md': DESIGN }),
    ).toThrow(/drill number 01 is also used[\s\S]*duplicate drill id "sample-design"/);
    expect(() => loadDrills({ 'lessons/drills/x.md': DESIGN })).toThrow(/NN-slug\.md/);
  });
});
