/**
 * Parsing of the YAML parts of a lesson: frontmatter helpers, and the bodies of ```widget and
 * ```exercise blocks, validated against the catalog. Errors go to a `report(line, message)`
 * callback with real file lines.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { CHECKS, WIDGETS, isCheckName, isWidgetName, validateAgainstSchema } from './catalog';
import { checkMath } from './render';
import type { Exercise, QuizOption, Segment } from './types';

/** Exercise ids: kebab-case parts joined by dots, e.g. `intro.quiz-roles`. */
export const EXERCISE_ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/;
export const MATH_HINT = ' (write \\$ for a literal dollar sign)';

/** Reports one problem at a 1-based file line. */
export type Report = (line: number, message: string) => void;

/** A path into a YAML document: map keys and list indices. */
export type Path = (string | number)[];

/** A parsed YAML document plus a way to find the file line of any path inside it. */
export interface Yaml {
  value: unknown;
  lineOf(path: Path): number;
}

/**
 * Parses YAML whose first line is line `firstLine` of the file. YAML errors are reported and
 * give null.
 */
export function parseYaml(
  src: string,
  firstLine: number,
  report: Report,
  what: string,
): Yaml | null {
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const toLine = (offset: number) => firstLine + lc.linePos(offset).line - 1;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) report(toLine(e.pos[0]), `invalid YAML in ${what}: ${e.message}`);
    return null;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10 });
  } catch (e) {
    report(firstLine, `invalid YAML in ${what}: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
  return {
    value,
    lineOf: (path) => {
      const offset = offsetOf(doc, path);
      return offset === null ? firstLine - 1 : toLine(offset);
    },
  };
}

/**
 * Offset of the deepest node found along `path` (a map key's own position for map steps), or
 * null when not even the first step exists (the caller then points at the block's first line).
 */
function offsetOf(doc: Document, path: Path): number | null {
  let node: unknown = doc.contents;
  let best: number | null =
    path.length === 0 ? ((doc.contents as { range?: [number] } | null)?.range?.[0] ?? 0) : null;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === step);
      if (!pair) break;
      best = (pair.key as { range?: [number] }).range?.[0] ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step]) {
      node = node.items[step];
      best = (node as { range?: [number] }).range?.[0] ?? best;
    } else break;
  }
  return best;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
export const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
export const isTextList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isText);

export function parseWidget(
  info: string,
  body: string,
  line: number,
  report: Report,
): Segment | null {
  const words = info.split(/\s+/);
  const known = Object.keys(WIDGETS).join(', ');
  const name = words[1];
  if (!name) {
    report(line, `widget block needs a name: \`\`\`widget NAME (known: ${known})`);
    return null;
  }
  if (words.length > 2)
    report(line, `widget "${name}": put props in the block body, not after the name`);
  if (!isWidgetName(name)) {
    report(line, `unknown widget "${name}" (known: ${known})`);
    return null;
  }
  let props: unknown = {};
  let lineOf: (path: Path) => number = () => line;
  if (body.trim()) {
    const y = parseYaml(body, line + 1, report, `widget "${name}" props`);
    if (!y) return null;
    props = y.value ?? {};
    lineOf = y.lineOf;
  }
  const issues = validateAgainstSchema(WIDGETS[name].props, props, 'prop');
  for (const is of issues)
    report(is.key ? lineOf([is.key]) : line, `widget "${name}": ${is.message}`);
  if (issues.length > 0) return null;
  return { kind: 'widget', name, props: props as Record<string, unknown>, line };
}

const COMMON_KEYS = ['id', 'title', 'kind', 'hints', 'solution'];
const KIND_KEYS: Record<string, string[]> = {
  quiz: ['question', 'options'],
  check: ['task', 'check', 'params'],
};
const OPTION_KEYS = ['text', 'correct', 'explanation'];

export function parseExercise(
  info: string,
  body: string,
  line: number,
  report: Report,
  seenIds: Map<string, number>,
): Segment | null {
  if (info !== 'exercise')
    report(line, 'an exercise block opens with exactly ```exercise (put fields in the body)');
  const y = parseYaml(body, line + 1, report, 'exercise');
  if (!y) return null;
  const v = y.value;
  if (!isRecord(v)) {
    report(line, 'exercise body must be a YAML mapping (id, title, kind, ...)');
    return null;
  }
  let ok = true;
  const bad = (path: Path, msg: string) => {
    ok = false;
    report(y.lineOf(path), `exercise${typeof v.id === 'string' ? ` "${v.id}"` : ''}: ${msg}`);
  };
  const kind = v.kind;
  if (kind !== 'quiz' && kind !== 'check') {
    bad(['kind'], `kind must be "quiz" or "check", got ${JSON.stringify(kind)}`);
    return null;
  }
  const allowed = [...COMMON_KEYS, ...KIND_KEYS[kind]];
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key))
      bad([key], `unknown key "${key}" for a ${kind} exercise (known: ${allowed.join(', ')})`);
  }
  if (typeof v.id !== 'string' || !EXERCISE_ID_RE.test(v.id)) {
    bad(['id'], 'id must be kebab-case parts joined by dots, e.g. "intro.quiz-roles"');
  } else if (seenIds.has(v.id)) {
    bad(['id'], `duplicate exercise id "${v.id}" (also at line ${seenIds.get(v.id)})`);
  } else seenIds.set(v.id, line);
  if (!isText(v.title)) bad(['title'], 'title must be a non-empty string');
  if (v.hints !== undefined && !isTextList(v.hints))
    bad(['hints'], 'hints must be a list of strings');
  if (!isText(v.solution))
    bad(['solution'], 'solution must be a non-empty string (the model answer)');

  const texts: [Path, unknown][] = [[['solution'], v.solution]];
  (Array.isArray(v.hints) ? v.hints : []).forEach((h, i) => texts.push([['hints', i], h]));
  if (kind === 'quiz') {
    if (!isText(v.question)) bad(['question'], 'a quiz needs a question (non-empty string)');
    texts.push([['question'], v.question]);
    const options = Array.isArray(v.options) ? v.options : null;
    if (!options || options.length < 2) bad(['options'], 'a quiz needs at least two options');
    (options ?? []).forEach((o, i) => {
      if (!isRecord(o))
        return bad(
          ['options', i],
          `option ${i + 1} must be a mapping (text, correct, explanation)`,
        );
      for (const k of Object.keys(o)) {
        if (!OPTION_KEYS.includes(k))
          bad(
            ['options', i, k],
            `option ${i + 1}: unknown key "${k}" (known: ${OPTION_KEYS.join(', ')})`,
          );
      }
      if (!isText(o.text)) bad(['options', i, 'text'], `option ${i + 1} needs text`);
      if (typeof o.correct !== 'boolean')
        bad(['options', i, 'correct'], `option ${i + 1} needs correct: true or false`);
      if (!isText(o.explanation)) {
        bad(
          ['options', i, 'explanation'],
          `option ${i + 1} needs an explanation (every option explains why it is right or wrong)`,
        );
      }
      texts.push([['options', i, 'text'], o.text], [['options', i, 'explanation'], o.explanation]);
    });
    if (options && options.length >= 2 && !options.some((o) => isRecord(o) && o.correct === true)) {
      bad(['options'], 'quiz has no correct option: mark at least one option with correct: true');
    }
  } else {
    if (!isText(v.task)) bad(['task'], 'a check exercise needs a task (what the learner must do)');
    texts.push([['task'], v.task]);
    const known = Object.keys(CHECKS).join(', ');
    if (typeof v.check !== 'string' || !isCheckName(v.check)) {
      bad(['check'], `unknown check ${JSON.stringify(v.check ?? null)} (known: ${known})`);
    } else {
      for (const is of validateAgainstSchema(CHECKS[v.check].params, v.params ?? {}, 'param')) {
        bad(is.key ? ['params', is.key] : ['params'], `check "${v.check}": ${is.message}`);
      }
    }
  }
  for (const [path, text] of texts) {
    if (typeof text !== 'string') continue;
    for (const p of checkMath(text)) bad(path, `math: ${p.message}${MATH_HINT}`);
  }
  if (!ok) return null;

  const base = {
    id: v.id as string,
    title: v.title as string,
    hints: (v.hints ?? []) as string[],
    solution: v.solution as string,
  };
  let exercise: Exercise;
  if (kind === 'quiz') {
    const options = (v.options as Record<string, unknown>[]).map((o): QuizOption => ({
      text: o.text as string,
      correct: o.correct as boolean,
      explanation: o.explanation as string,
    }));
    const multiple = options.filter((o) => o.correct).length > 1;
    exercise = { ...base, kind, question: v.question as string, options, multiple };
  } else {
    exercise = {
      ...base,
      kind,
      task: v.task as string,
      check: v.check as string,
      params: (v.params ?? {}) as Record<string, unknown>,
    };
  }
  return { kind: 'exercise', exercise, line };
}
