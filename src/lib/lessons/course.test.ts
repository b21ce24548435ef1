import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLessonsDir, lessonsPlugin, readLessonFiles } from '../../../scripts/lessons-plugin';
import { exerciseIndex, lessonExercises, loadCourse } from './course';
import { LessonValidationError, parseLesson } from './parse';
import { VALID } from './test-fixtures';
import { renderMarkdownWithErrors } from './render';

const LESSONS_DIR = join(import.meta.dirname, '../../../lessons');

describe('the real lessons in lessons/', () => {
  const files = readLessonFiles(LESSONS_DIR, join(LESSONS_DIR, '..'));
  const lessons = loadCourse(files);

  it('all parse and validate, README excluded', () => {
    expect(Object.keys(files)).not.toContain('lessons/README.md');
    expect(lessons.length).toBeGreaterThanOrEqual(2);
    expect(lessons[0].file).toBe('lessons/01-after-the-notebook.md');
    expect(lessons[1].meta.prerequisites).toContain(lessons[0].meta.id);
  });

  it('render without KaTeX errors, and every lesson has a quiz', () => {
    for (const lesson of lessons) {
      for (const seg of lesson.segments) {
        if (seg.kind !== 'markdown') continue;
        expect(renderMarkdownWithErrors(seg.text).errors, `${lesson.file}:${seg.line}`).toEqual([]);
      }
      expect(
        lessonExercises(lesson).some((e) => e.kind === 'quiz'),
        lesson.file,
      ).toBe(true);
    }
  });

  it('lesson 2 has the export-progress check', () => {
    const ex = exerciseIndex(lessons).get('lab.export-progress');
    expect(ex?.lessonId).toBe('how-to-use-this-lab');
    expect(ex?.exercise).toMatchObject({ kind: 'check', check: 'progress-exported' });
  });
});

describe('lessons/README.md', () => {
  it('its widget and exercise examples are valid', () => {
    const readme = readFileSync(join(LESSONS_DIR, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/^````markdown\n([\s\S]*?)^````$/gm)].map((m) => m[1]);
    expect(examples).toHaveLength(2);
    for (const example of examples) {
      const src = VALID.replace('## Hello', () => `## Hello\n\n${example}`);
      expect(() => parseLesson('lessons/01-sample.md', src)).not.toThrow();
    }
  });

  it('names a real line in its example error', () => {
    const readme = readFileSync(join(LESSONS_DIR, 'README.md'), 'utf8');
    const m = /`lessons\/(02-[a-z-]+\.md):(\d+): unknown check/.exec(readme.replace(/\n/g, ' '));
    const lesson = readFileSync(join(LESSONS_DIR, m![1]), 'utf8');
    expect(lesson.split('\n')[Number(m![2]) - 1]).toMatch(/^check: /);
  });
});

describe('loadCourse', () => {
  it('accepts glob keys, skips README, sorts by file name', () => {
    const second = VALID.replace('id: sample', 'id: second')
      .replace('prerequisites: []', 'prerequisites: [sample]')
      .replace(/id: sample\.(quiz|check)/g, 'id: second.$1');
    const lessons = loadCourse({
      '/lessons/02-second.md': second,
      '/lessons/README.md': '# guide',
      '/lessons/01-sample.md': VALID,
    });
    expect(lessons.map((l) => l.file)).toEqual(['lessons/01-sample.md', 'lessons/02-second.md']);
  });

  it('reports the errors of every file together', () => {
    const broken = VALID.replace('minutes: 10', 'minutes: 99');
    try {
      loadCourse({ '/lessons/01-sample.md': broken, '/lessons/02-copy.md': VALID });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LessonValidationError);
      expect((e as Error).message).toBe(
        'lessons/01-sample.md:4: minutes must be a whole number from 5 to 60, got 99',
      );
    }
    try {
      loadCourse({ '/lessons/01-sample.md': VALID, '/lessons/02-copy.md': VALID });
      expect.unreachable();
    } catch (e) {
      const lines = (e as Error).message.split('\n');
      expect(lines).toContain(
        'lessons/02-copy.md:2: duplicate lesson id "sample" (also in lessons/01-sample.md:2)',
      );
      expect(lines).toContain(
        'lessons/02-copy.md:20: duplicate exercise id "sample.quiz" (first used at lessons/01-sample.md:20)',
      );
    }
  });
});

describe('lessonsPlugin', () => {
  const root = mkdtempSync(join(tmpdir(), 'lessons-plugin-'));
  mkdirSync(join(root, 'lessons'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  type Hook = (this: unknown, ...args: unknown[]) => unknown;
  const run = (command: 'build' | 'serve') => {
    const plugin = lessonsPlugin();
    (plugin.configResolved as Hook).call({}, { root, command });
    const calls: { error: string[]; warn: string[]; watched: string[] } = {
      error: [],
      warn: [],
      watched: [],
    };
    const ctx = {
      error: (m: string) => {
        calls.error.push(m);
        throw new Error(m);
      },
      warn: (m: string) => calls.warn.push(m),
      addWatchFile: (f: string) => calls.watched.push(f),
    };
    let thrown: unknown = null;
    try {
      (plugin.buildStart as Hook).call(ctx, {});
    } catch (e) {
      thrown = e;
    }
    return { calls, thrown };
  };

  it('passes a valid folder and watches its files', () => {
    writeFileSync(join(root, 'lessons', '01-sample.md'), VALID);
    writeFileSync(join(root, 'lessons', 'README.md'), '# not a lesson');
    const { calls, thrown } = run('build');
    expect(thrown).toBeNull();
    expect(calls.watched).toEqual([join(root, 'lessons', '01-sample.md')]);
    expect(checkLessonsDir(join(root, 'lessons'), root)).toMatchObject({ ok: true });
  });

  it('fails the build naming file:line, and only warns in dev', () => {
    const bad = readFileSync(join(root, 'lessons', '01-sample.md'), 'utf8').replace(
      '```widget lifecycle-map',
      '```widget foo',
    );
    writeFileSync(join(root, 'lessons', '01-sample.md'), bad);
    const build = run('build');
    expect(build.thrown).toBeInstanceOf(Error);
    expect(build.calls.error[0]).toContain('lessons/01-sample.md:16: unknown widget "foo"');
    const dev = run('serve');
    expect(dev.thrown).toBeNull();
    expect(dev.calls.warn[0]).toContain('lessons/01-sample.md:16: unknown widget "foo"');
  });
});
