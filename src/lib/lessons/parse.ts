/**
 * Parses and validates lesson files (format: lessons/README.md). Pure TypeScript, no DOM: runs in
 * Node at build time (scripts/lessons-plugin.ts) and in the browser. Every error carries the real
 * 1-based line in the file, frontmatter included.
 */
import {
  EXERCISE_ID_RE,
  MATH_HINT,
  isRecord,
  isText,
  isTextList,
  parseExercise,
  parseWidget,
  parseYaml,
  type Report,
  type Yaml,
} from './blocks';
import { checkMath } from './render';
import { closesFence, openFence, type Fence } from './scan';
import type { Lesson, LessonError, LessonLevel, LessonMeta, Segment } from './types';

export { EXERCISE_ID_RE };

/** `NN-slug.md`: two digits, a hyphen, a kebab-case slug. */
export const LESSON_FILE_RE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
export const LESSON_ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const LEVELS: readonly LessonLevel[] = ['intro', 'core', 'advanced'];
export const META_KEYS: readonly (keyof LessonMeta)[] = [
  'id',
  'title',
  'minutes',
  'objectives',
  'level',
  'tags',
  'prerequisites',
];

export function formatLessonError(e: LessonError): string {
  return `${e.file}:${e.line}: ${e.message}`;
}

/** Thrown by parseLesson / loadCourse; `message` lists every error as `file:line: message`. */
export class LessonValidationError extends Error {
  readonly errors: LessonError[];
  constructor(errors: LessonError[]) {
    super(errors.map(formatLessonError).join('\n'));
    this.name = 'LessonValidationError';
    this.errors = errors;
  }
}

/** Parses one lesson file. Throws LessonValidationError listing every problem found. */
export function parseLesson(file: string, source: string): Lesson {
  const errors: LessonError[] = [];
  const report = (line: number, message: string) => errors.push({ file, line, message });
  const lines = source
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');

  if (lines[0]?.trimEnd() !== '---') {
    report(1, 'missing frontmatter: the file must start with a line "---", then YAML, then "---"');
    throw new LessonValidationError(errors);
  }
  const close = lines.findIndex(
    (l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'),
  );
  if (close < 0) {
    report(1, 'frontmatter is not closed: add a line "---" after the YAML');
    throw new LessonValidationError(errors);
  }
  const fm = parseYaml(lines.slice(1, close).join('\n'), 2, report, 'frontmatter');
  const { meta, metaLines } = fm
    ? validateMeta(fm, report, close + 1)
    : { meta: null, metaLines: {} };
  const { segments, widgetBlocks } = parseBody(lines, close + 1, report);

  if (widgetBlocks === 0) {
    report(
      close + 2,
      'no widget block: every lesson needs at least one live widget (```widget NAME)',
    );
  }
  if (errors.length > 0 || !meta) throw new LessonValidationError(errors);
  return { meta, file, segments, metaLines };
}

function validateMeta(
  fm: Yaml,
  report: Report,
  closeLine: number,
): { meta: LessonMeta | null; metaLines: Lesson['metaLines'] } {
  const v = fm.value;
  if (!isRecord(v)) {
    report(2, 'frontmatter must be a mapping of key: value');
    return { meta: null, metaLines: {} };
  }
  const at = (key: string) => fm.lineOf([key]);
  const metaLines: Lesson['metaLines'] = {};
  for (const key of META_KEYS) if (key in v) metaLines[key] = at(key);
  let ok = true;
  const bad = (line: number, msg: string) => {
    ok = false;
    report(line, msg);
  };
  for (const key of Object.keys(v)) {
    if (!(META_KEYS as readonly string[]).includes(key)) {
      bad(at(key), `unknown frontmatter key "${key}" (known: ${META_KEYS.join(', ')})`);
    }
  }
  for (const key of META_KEYS) {
    if (!(key in v) || v[key] === null) {
      const hint = key === 'tags' || key === 'prerequisites' ? ' (use [] for none)' : '';
      bad(closeLine, `frontmatter is missing required key "${key}"${hint}`);
    }
  }
  const { id, title, minutes, objectives, level, tags, prerequisites } = v;
  if (id != null && (typeof id !== 'string' || !LESSON_ID_RE.test(id))) {
    bad(
      at('id'),
      `id must be kebab-case (lower-case letters, digits, hyphens), got ${JSON.stringify(id)}`,
    );
  }
  if (title != null && !isText(title)) bad(at('title'), 'title must be a non-empty string');
  if (
    minutes != null &&
    (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 5 || minutes > 60)
  ) {
    bad(
      at('minutes'),
      `minutes must be a whole number from 5 to 60, got ${JSON.stringify(minutes)}`,
    );
  }
  if (objectives != null && (!isTextList(objectives) || objectives.length === 0)) {
    bad(at('objectives'), 'objectives must be a non-empty list of strings');
  }
  if (level != null && !LEVELS.includes(level as LessonLevel)) {
    bad(at('level'), `level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  }
  if (
    tags != null &&
    !(Array.isArray(tags) && tags.every((t) => typeof t === 'string' && LESSON_ID_RE.test(t)))
  ) {
    bad(at('tags'), 'tags must be a list of kebab-case strings');
  }
  if (
    prerequisites != null &&
    !(Array.isArray(prerequisites) && prerequisites.every((p) => typeof p === 'string'))
  ) {
    bad(at('prerequisites'), 'prerequisites must be a list of lesson ids');
  }
  if (!ok) return { meta: null, metaLines };
  const meta = { id, title, minutes, objectives, level, tags, prerequisites } as LessonMeta;
  return { meta, metaLines };
}

function parseBody(
  lines: string[],
  start: number,
  report: Report,
): { segments: Segment[]; widgetBlocks: number } {
  const segments: Segment[] = [];
  let widgetBlocks = 0;
  const exerciseIds = new Map<string, number>();
  let mdStart = start; // 0-based index of the first line of the pending markdown
  let fence: Fence | null = null;

  const flushMarkdown = (end: number) => {
    let a = mdStart;
    let b = end;
    while (a < b && lines[a].trim() === '') a++;
    while (b > a && lines[b - 1].trim() === '') b--;
    if (a < b) {
      const text = lines.slice(a, b).join('\n');
      for (const p of checkMath(text)) report(a + 1 + p.line, `math: ${p.message}${MATH_HINT}`);
      segments.push({ kind: 'markdown', text, line: a + 1 });
    }
  };

  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    const opened = openFence(line);
    if (!opened) {
      if (/^ {0,3}#(\s|$)/.test(line)) {
        report(
          i + 1,
          'level-1 heading: the title comes from the frontmatter; start sections with ##',
        );
      }
      continue;
    }
    const kind = opened.info.split(/\s+/)[0];
    if (kind !== 'widget' && kind !== 'exercise') {
      fence = opened;
      continue;
    }
    flushMarkdown(i);
    if (kind === 'widget') widgetBlocks++;
    let end = i + 1;
    while (end < lines.length && !closesFence(lines[end], opened)) end++;
    if (end >= lines.length) {
      report(i + 1, `unclosed \`\`\`${kind} block: add a closing fence`);
      mdStart = lines.length;
      break;
    }
    const body = lines.slice(i + 1, end).join('\n');
    const seg =
      kind === 'widget'
        ? parseWidget(opened.info, body, i + 1, report)
        : parseExercise(opened.info, body, i + 1, report, exerciseIds);
    if (seg) segments.push(seg);
    i = end;
    mdStart = end + 1;
  }
  if (fence)
    report(lines.length, `unclosed code fence (${fence.char.repeat(fence.length)}${fence.info})`);
  flushMarkdown(lines.length);
  return { segments, widgetBlocks };
}

const basename = (file: string) => file.slice(file.lastIndexOf('/') + 1);

/**
 * Course-level rules over lessons in course order (sorted by file name): file names `NN-slug.md`
 * with unique numbers, unique lesson ids, exercise ids unique across all lessons, prerequisites
 * that exist, come earlier, and form no cycle. Returns the errors (empty when valid).
 */
export function validateCourse(lessons: Lesson[]): LessonError[] {
  const errors: LessonError[] = [];
  const byNumber = new Map<string, Lesson>();
  const byId = new Map<string, Lesson>();
  const exercises = new Map<string, string>();
  const order = new Map<string, number>();
  const sorted = [...lessons].sort((a, b) => basename(a.file).localeCompare(basename(b.file)));
  sorted.forEach((lesson, index) => {
    const { file } = lesson;
    const idLine = lesson.metaLines.id ?? 1;
    const m = LESSON_FILE_RE.exec(basename(file));
    if (!m) {
      errors.push({
        file,
        line: 1,
        message: 'file name must be NN-slug.md (two digits, a hyphen, a kebab-case slug)',
      });
    } else if (byNumber.has(m[1])) {
      errors.push({
        file,
        line: 1,
        message: `lesson number ${m[1]} is also used by ${byNumber.get(m[1])!.file}`,
      });
    } else byNumber.set(m[1], lesson);
    const other = byId.get(lesson.meta.id);
    if (other) {
      errors.push({
        file,
        line: idLine,
        message: `duplicate lesson id "${lesson.meta.id}" (also in ${other.file}:${other.metaLines.id ?? 1})`,
      });
    } else {
      byId.set(lesson.meta.id, lesson);
      order.set(lesson.meta.id, index);
    }
    for (const seg of lesson.segments) {
      if (seg.kind !== 'exercise') continue;
      const first = exercises.get(seg.exercise.id);
      if (first) {
        errors.push({
          file,
          line: seg.line,
          message: `duplicate exercise id "${seg.exercise.id}" (first used at ${first})`,
        });
      } else exercises.set(seg.exercise.id, `${file}:${seg.line}`);
    }
  });
  for (const lesson of sorted) {
    const line = lesson.metaLines.prerequisites ?? 1;
    const mine = order.get(lesson.meta.id) ?? -1;
    for (const pre of lesson.meta.prerequisites) {
      const file = lesson.file;
      if (pre === lesson.meta.id)
        errors.push({ file, line, message: `lesson "${pre}" lists itself as a prerequisite` });
      else if (!byId.has(pre))
        errors.push({
          file,
          line,
          message: `unknown prerequisite "${pre}" (no lesson has this id)`,
        });
      else if (order.get(pre)! > mine) {
        errors.push({
          file,
          line,
          message: `prerequisite "${pre}" (${byId.get(pre)!.file}) comes after this lesson: number the files so prerequisites come first`,
        });
      }
    }
  }
  for (const cycle of findCycles(byId)) {
    const first = byId.get(cycle[0])!;
    errors.push({
      file: first.file,
      line: first.metaLines.prerequisites ?? 1,
      message: `prerequisite cycle: ${cycle.join(' -> ')} (each needs the next)`,
    });
  }
  return errors;
}

/** Each cycle once, as ids from its first lesson back to it (a -> b -> a). Self-loops excluded. */
function findCycles(byId: Map<string, Lesson>): string[][] {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string) => {
    state.set(id, 'active');
    stack.push(id);
    for (const pre of byId.get(id)!.meta.prerequisites) {
      if (pre === id || !byId.has(pre)) continue;
      if (state.get(pre) === 'active') cycles.push([...stack.slice(stack.indexOf(pre)), pre]);
      else if (!state.has(pre)) visit(pre);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of byId.keys()) if (!state.has(id)) visit(id);
  return cycles;
}
