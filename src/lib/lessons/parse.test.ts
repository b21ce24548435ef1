import { describe, expect, it } from 'vitest';
import { LessonValidationError, parseLesson, validateCourse } from './parse';
import { lineOf, VALID } from './test-fixtures';
import type { Lesson, LessonError } from './types';

const FILE = 'lessons/01-sample.md';

function errorsOf(source: string, file = FILE): LessonError[] {
  try {
    parseLesson(file, source);
  } catch (e) {
    if (e instanceof LessonValidationError) return e.errors;
    throw e;
  }
  throw new Error('expected a LessonValidationError');
}

/** Expects exactly one error containing `text`, at `line`. */
function expectError(source: string, line: number, text: string): LessonError {
  const errors = errorsOf(source);
  const match = errors.filter((e) => e.message.includes(text));
  expect(match, JSON.stringify(errors, null, 1)).toHaveLength(1);
  expect(match[0].line).toBe(line);
  return match[0];
}

describe('parseLesson: a valid lesson', () => {
  const lesson = parseLesson(FILE, VALID);

  it('reads the frontmatter', () => {
    expect(lesson.meta).toEqual({
      id: 'sample',
      title: 'A sample lesson',
      minutes: 10,
      objectives: ['Do a thing'],
      level: 'intro',
      tags: ['demo'],
      prerequisites: [],
    });
    expect(lesson.file).toBe(FILE);
    expect(lesson.metaLines.id).toBe(2);
    expect(lesson.metaLines.prerequisites).toBe(9);
  });

  it('splits the body into segments with real line numbers', () => {
    expect(lesson.segments.map((s) => [s.kind, s.line])).toEqual([
      ['markdown', 12],
      ['widget', 16],
      ['exercise', 20],
      ['exercise', 35],
      ['markdown', 47],
    ]);
    const md = lesson.segments[0];
    expect(md.kind === 'markdown' && md.text).toBe('## Hello\n\nSome text with $x_1 + x_2$ math.');
    const last = lesson.segments[4];
    expect(last.kind === 'markdown' && last.text).toContain('// ```widget nope');
  });

  it('parses widget props', () => {
    expect(lesson.segments[1]).toEqual({
      kind: 'widget',
      name: 'lifecycle-map',
      props: { highlight: 'serving' },
      line: 16,
    });
  });

  it('parses a quiz and a check', () => {
    const [quiz, check] = [lesson.segments[2], lesson.segments[3]];
    expect(quiz.kind === 'exercise' && quiz.exercise).toEqual({
      id: 'sample.quiz',
      title: 'A quiz',
      kind: 'quiz',
      question: 'Which?',
      options: [
        { text: 'A', correct: true, explanation: 'Because.' },
        { text: 'B', correct: false, explanation: 'Not B.' },
      ],
      multiple: false,
      hints: [],
      solution: 'A.',
    });
    expect(check.kind === 'exercise' && check.exercise).toEqual({
      id: 'sample.check',
      title: 'A check',
      kind: 'check',
      task: 'Finish two lessons.',
      check: 'lessons-completed',
      params: { count: 2 },
      hints: ['Keep going'],
      solution: 'Finish them.',
    });
  });

  it('gives the same lines for CRLF files and a widget with no body', () => {
    const crlf = parseLesson(
      FILE,
      VALID.replace('highlight: serving\n', '').replace(/\n/g, '\r\n'),
    );
    expect(crlf.segments.map((s) => s.line)).toEqual([12, 16, 19, 34, 46]);
    expect(crlf.segments[1]).toMatchObject({ kind: 'widget', props: {} });
  });

  it('marks a quiz with several correct options as multiple', () => {
    const src = VALID.replace('    correct: false', '    correct: true');
    const seg = parseLesson(FILE, src).segments[2];
    expect(seg.kind === 'exercise' && seg.exercise.kind === 'quiz' && seg.exercise.multiple).toBe(
      true,
    );
  });
});

describe('parseLesson: errors name file and line', () => {
  it('missing frontmatter', () => {
    const e = expectError(VALID.replace(/^---\n/, ''), 1, 'missing frontmatter');
    expect(e.file).toBe(FILE);
  });

  it('unclosed frontmatter', () => {
    expectError(VALID.replace('---\n\n## Hello', '\n## Hello'), 1, 'frontmatter is not closed');
  });

  it('bad YAML in the frontmatter', () => {
    expectError(VALID.replace('level: intro', 'level: @intro'), 7, 'invalid YAML in frontmatter');
  });

  it('unknown frontmatter key', () => {
    const src = VALID.replace('tags: [demo]', 'tags: [demo]\nauthor: me');
    const e = expectError(src, 9, 'unknown frontmatter key "author"');
    expect(e.message).toContain(
      '(known: id, title, minutes, objectives, level, tags, prerequisites)',
    );
  });

  it('missing key', () => {
    expectError(
      VALID.replace('tags: [demo]\n', ''),
      9,
      'missing required key "tags" (use [] for none)',
    );
  });

  it('minutes out of range', () => {
    expectError(
      VALID.replace('minutes: 10', 'minutes: 90'),
      4,
      'minutes must be a whole number from 5 to 60, got 90',
    );
    expectError(VALID.replace('minutes: 10', 'minutes: 4'), 4, 'minutes must be');
  });

  it('bad id, level, objectives', () => {
    expectError(VALID.replace('id: sample', 'id: Sample Lesson'), 2, 'id must be kebab-case');
    expectError(
      VALID.replace('level: intro', 'level: expert'),
      7,
      'level must be one of intro, core, advanced',
    );
    expectError(
      VALID.replace('objectives:\n  - Do a thing', 'objectives: []'),
      5,
      'objectives must be a non-empty list',
    );
  });

  it('unknown widget, with the formatted message', () => {
    const src = VALID.replace('```widget lifecycle-map', '```widget foo');
    const e = expectError(src, 16, 'unknown widget "foo"');
    expect(`${e.file}:${e.line}: ${e.message}`).toMatch(
      /^lessons\/01-sample\.md:16: unknown widget "foo" \(known: lifecycle-map, storage-status, progress-transfer, offline-status/,
    );
    try {
      parseLesson(FILE, src);
    } catch (err) {
      expect((err as Error).message).toContain('lessons/01-sample.md:16: unknown widget "foo"');
    }
  });

  it('bad widget props point at the prop line', () => {
    expectError(
      VALID.replace('highlight: serving', 'highlight: nowhere'),
      17,
      'widget "lifecycle-map": prop "highlight" must be one of',
    );
    expectError(VALID.replace('highlight: serving', 'colour: red'), 17, 'unknown prop "colour"');
    expectError(
      VALID.replace('```widget lifecycle-map', '```widget'),
      16,
      'widget block needs a name',
    );
  });

  it('quiz with no correct answer', () => {
    expectError(
      VALID.replace('    correct: true', '    correct: false'),
      25,
      'quiz has no correct option',
    );
  });

  it('option without an explanation', () => {
    const src = VALID.replace('    explanation: Not B.\n', '');
    expectError(src, lineOf(src, '  - text: B'), 'option 2 needs an explanation');
  });

  it('unknown check', () => {
    const src = VALID.replace('check: lessons-completed', 'check: trained-a-model');
    const e = expectError(src, 40, 'unknown check "trained-a-model"');
    expect(e.message).toContain(
      '(known: progress-exported, storage-persist-asked, lessons-completed',
    );
  });

  it('check params are validated against the schema', () => {
    expectError(VALID.replace('  count: 2', '  count: 0'), 42, 'param "count" must be at least 1');
    expectError(VALID.replace('params:\n  count: 2\n', ''), 35, 'missing required param "count"');
  });

  it('exercise: bad kind, unknown key, missing solution, keys of the other kind, bad id', () => {
    expectError(VALID.replace('kind: quiz', 'kind: essay'), 23, 'kind must be "quiz" or "check"');
    expectError(
      VALID.replace('question: Which?', 'question: Which?\ncolour: red'),
      25,
      'unknown key "colour" for a quiz',
    );
    expectError(
      VALID.replace('task: Finish two lessons.', 'question: Why?'),
      39,
      'unknown key "question" for a check',
    );
    expectError(VALID.replace('solution: A.\n', ''), 20, 'solution must be a non-empty string');
    expectError(
      VALID.replace('id: sample.quiz', 'id: Sample Quiz'),
      21,
      'id must be kebab-case parts',
    );
  });

  it('duplicate exercise id within a lesson', () => {
    expectError(
      VALID.replace('id: sample.check', 'id: sample.quiz'),
      36,
      'duplicate exercise id "sample.quiz" (also at line 20)',
    );
  });

  it('bad YAML in an exercise points at the file line', () => {
    expectError(
      VALID.replace('question: Which?', 'question: @Which?'),
      24,
      'invalid YAML in exercise',
    );
  });

  it('unclosed exercise block', () => {
    const src = VALID.split('\n').slice(0, 33).join('\n').replace(/```$/, '');
    expectError(src, 20, 'unclosed ```exercise block');
  });

  it('a lesson without any widget', () => {
    expectError(
      VALID.replace('```widget lifecycle-map\nhighlight: serving\n```\n', ''),
      11,
      'no widget block',
    );
  });

  it('a level-1 heading in the body', () => {
    expectError(VALID.replace('## Hello', '# Hello'), 12, 'level-1 heading');
  });

  it('bad TeX in markdown and in an exercise', () => {
    // (function replacements: in a replacement string "$$" would mean "$")
    expectError(
      VALID.replace('$x_1 + x_2$', () => '$\\frac{1}{$'),
      14,
      'math:',
    );
    expectError(
      VALID.replace('Tail text.', () => 'Tail\n\n$$\nx^2'),
      55,
      'unclosed display math',
    );
    expectError(
      VALID.replace('explanation: Because.', () => "explanation: 'It is $\\sqrt{$.'"),
      28,
      'math:',
    );
  });

  it('collects every error of a file at once', () => {
    const src = VALID.replace('minutes: 10', 'minutes: 0').replace(
      '```widget lifecycle-map',
      '```widget foo',
    );
    expect(errorsOf(src).map((e) => e.line)).toEqual([4, 16]);
  });
});

function lesson(
  file: string,
  id: string,
  prerequisites: string[],
  exerciseId = `${id}.quiz`,
): Lesson {
  const src = VALID.replace('id: sample', `id: ${id}`)
    .replace('prerequisites: []', `prerequisites: [${prerequisites.join(', ')}]`)
    .replace('id: sample.quiz', `id: ${exerciseId}`)
    .replace('id: sample.check', `id: ${id}.check`);
  return parseLesson(file, src);
}

describe('validateCourse', () => {
  it('accepts a valid course', () => {
    expect(
      validateCourse([lesson('lessons/01-a.md', 'a', []), lesson('lessons/02-b.md', 'b', ['a'])]),
    ).toEqual([]);
  });

  it('duplicate exercise id across lessons', () => {
    const errors = validateCourse([
      lesson('lessons/01-a.md', 'a', [], 'shared.quiz'),
      lesson('lessons/02-b.md', 'b', [], 'shared.quiz'),
    ]);
    expect(errors).toEqual([
      {
        file: 'lessons/02-b.md',
        line: 20,
        message: 'duplicate exercise id "shared.quiz" (first used at lessons/01-a.md:20)',
      },
    ]);
  });

  it('duplicate lesson id', () => {
    const errors = validateCourse([
      lesson('lessons/01-a.md', 'a', []),
      lesson('lessons/02-b.md', 'a', [], 'other.quiz'),
    ]);
    expect(errors.map((e) => [e.file, e.line, e.message])).toContainEqual([
      'lessons/02-b.md',
      2,
      'duplicate lesson id "a" (also in lessons/01-a.md:2)',
    ]);
  });

  it('missing prerequisite', () => {
    expect(validateCourse([lesson('lessons/01-a.md', 'a', ['ghost'])])).toEqual([
      {
        file: 'lessons/01-a.md',
        line: 9,
        message: 'unknown prerequisite "ghost" (no lesson has this id)',
      },
    ]);
  });

  it('prerequisite cycle', () => {
    const errors = validateCourse([
      lesson('lessons/01-a.md', 'a', ['c']),
      lesson('lessons/02-b.md', 'b', ['a']),
      lesson('lessons/03-c.md', 'c', ['b']),
    ]);
    const cycles = errors.filter((e) => e.message.startsWith('prerequisite cycle'));
    expect(cycles).toEqual([
      {
        file: 'lessons/01-a.md',
        line: 9,
        message: 'prerequisite cycle: a -> c -> b -> a (each needs the next)',
      },
    ]);
  });

  it('self prerequisite, and prerequisites that come later', () => {
    expect(validateCourse([lesson('lessons/01-a.md', 'a', ['a'])])[0].message).toContain(
      'lists itself',
    );
    const errors = validateCourse([
      lesson('lessons/01-a.md', 'a', ['b']),
      lesson('lessons/02-b.md', 'b', []),
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(
      'prerequisite "b" (lessons/02-b.md) comes after this lesson',
    );
  });

  it('file names: NN-slug.md, unique numbers', () => {
    const errors = validateCourse([
      lesson('lessons/1-a.md', 'a', []),
      lesson('lessons/02-b.md', 'b', []),
      lesson('lessons/02-c.md', 'c', []),
    ]);
    expect(errors.map((e) => [e.file, e.message])).toEqual([
      ['lessons/02-c.md', 'lesson number 02 is also used by lessons/02-b.md'],
      ['lessons/1-a.md', 'file name must be NN-slug.md (two digits, a hyphen, a kebab-case slug)'],
    ]);
  });
});
