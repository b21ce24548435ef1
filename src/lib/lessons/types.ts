/**
 * Types of parsed lessons. A lesson file is `lessons/NN-slug.md`: YAML frontmatter, then markdown
 * with KaTeX math and fenced `widget NAME` / `exercise` blocks (see lessons/README.md).
 * Everything here is plain data (no classes, no functions) so it can cross a worker boundary or
 * be serialised.
 */

export type LessonLevel = 'intro' | 'core' | 'advanced';

/** Frontmatter of a lesson, validated. */
export interface LessonMeta {
  /** kebab-case, unique across the course, stable: progress is keyed by it. */
  id: string;
  title: string;
  /** Estimated time to complete, in minutes, 5..60. */
  minutes: number;
  /** What the learner can do afterwards; at least one. */
  objectives: string[];
  level: LessonLevel;
  tags: string[];
  /** Ids of lessons that must exist and come earlier in the course; no cycles. */
  prerequisites: string[];
}

/** One answer of a quiz. `text` and `explanation` are markdown (inline math allowed). */
export interface QuizOption {
  text: string;
  correct: boolean;
  /** Why this option is right or wrong; shown after the learner answers. */
  explanation: string;
}

interface ExerciseBase {
  /** Stable and unique across ALL lessons, e.g. `intro.quiz-roles`. Progress is keyed by it. */
  id: string;
  title: string;
  /** Markdown hints, revealed one at a time. May be empty. */
  hints: string[];
  /** Markdown model answer, shown on request or after success. */
  solution: string;
}

export interface QuizExercise extends ExerciseBase {
  kind: 'quiz';
  /** Markdown. */
  question: string;
  /** At least two options, at least one correct. */
  options: QuizOption[];
  /** Derived: true when more than one option is correct (the learner must pick all of them). */
  multiple: boolean;
}

export interface CheckExercise extends ExerciseBase {
  kind: 'check';
  /** Markdown: what the learner has to do in the lab. */
  task: string;
  /** Name of a registered check (catalog.ts `CHECKS`). */
  check: string;
  /** Validated against the check's params schema. */
  params: Record<string, unknown>;
}

export type Exercise = QuizExercise | CheckExercise;

export interface MarkdownSegment {
  kind: 'markdown';
  /** Markdown source; render with `renderMarkdown` from render.ts. */
  text: string;
  /** 1-based line in the lesson file where this text starts. */
  line: number;
}

export interface WidgetSegment {
  kind: 'widget';
  /** Registered widget name (catalog.ts `WIDGETS`). */
  name: string;
  /** Validated against the widget's props schema; `{}` when the block has no body. */
  props: Record<string, unknown>;
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
}

export interface ExerciseSegment {
  kind: 'exercise';
  exercise: Exercise;
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
}

export type Segment = MarkdownSegment | WidgetSegment | ExerciseSegment;

export interface Lesson {
  meta: LessonMeta;
  /** Path relative to the project root, e.g. `lessons/01-after-the-notebook.md`. */
  file: string;
  segments: Segment[];
  /** 1-based line of each frontmatter key, for course-level error messages. */
  metaLines: Partial<Record<keyof LessonMeta, number>>;
}

/** One problem found in a lesson: `file:line: message`. */
export interface LessonError {
  file: string;
  /** 1-based line in the file. */
  line: number;
  message: string;
}
