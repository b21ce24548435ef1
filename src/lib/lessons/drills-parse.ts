/**
 * Parses and validates interview drill files, `lessons/drills/NN-slug.md` (format in
 * lessons/README.md, "Drills"): YAML frontmatter, then `##` sections (Prompt, Canvas, Rubric,
 * Model answer) and, for incident drills, an ```operate and an ```answer block. Pure TypeScript:
 * runs in Node at build time (scripts/lessons-plugin.ts) and in unit tests. Every error carries
 * the real 1-based line in the file.
 */
import { isRecord, isText, MATH_HINT, parseYaml, type Report } from './blocks';
import { answerGrading, checkActionsRubric, parseActionsAnswer } from './drills-actions-parse';
import type { ActionsAnswer } from './drills-actions-types';
import { parseAnswerBlock, parseOperateBlock, type RawBlock } from './drills-incident';
import { parseCanvas, parseRubric, type SourceLine } from './drills-sections';
import {
  FINDING_IDS,
  type Drill,
  type DrillKind,
  type DrillMeta,
  type IncidentDrill,
  type RubricItem,
} from './drills-types';
import { LESSON_FILE_RE, LESSON_ID_RE, LEVELS, LessonValidationError } from './parse';
import { checkMath } from './render';
import { closesFence, openFence, type Fence } from './scan';
import type { LessonError, LessonLevel } from './types';

const META_KEYS = ['id', 'title', 'kind', 'minutes', 'level', 'tags'] as const;
const KINDS: readonly DrillKind[] = ['design', 'incident'];
const SECTIONS = ['Prompt', 'Canvas', 'Rubric', 'Model answer'] as const;
type SectionName = (typeof SECTIONS)[number];
/** The canvas boxes every design drill has (it may add more). */
export const DESIGN_CANVAS = [
  'requirements',
  'data',
  'model',
  'serving',
  'monitoring',
  'trade-offs',
];

/** Parses one drill file. Throws LessonValidationError listing every problem found. */
export function parseDrill(file: string, source: string): Drill {
  const errors: LessonError[] = [];
  const report: Report = (line, message) => errors.push({ file, line, message });
  const lines = source
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (lines[0]?.trimEnd() !== '---') {
    report(1, 'missing frontmatter: the file must start with a line "---", then YAML, then "---"');
    throw new LessonValidationError(errors);
  }
  const close = lines.findIndex((l, i) => i > 0 && l.trimEnd() === '---');
  if (close < 0) {
    report(1, 'frontmatter is not closed: add a line "---" after the YAML');
    throw new LessonValidationError(errors);
  }
  const meta = parseMeta(lines.slice(1, close).join('\n'), close + 1, report);
  const body = splitBody(lines, close + 1, report);
  const section = (name: SectionName): SourceLine[] => body.sections.get(name)?.lines ?? [];
  for (const name of SECTIONS)
    if (!body.sections.has(name)) report(close + 2, `missing section "## ${name}"`);

  const prompt = markdownOf(section('Prompt'), 'Prompt', report);
  const modelAnswer = markdownOf(section('Model answer'), 'Model answer', report);
  const canvas = parseCanvas(section('Canvas'), report);
  const rubric = parseRubric(section('Rubric'), report);
  const canvasLine = body.sections.get('Canvas')?.line ?? close + 2;
  const rubricLine = body.sections.get('Rubric')?.line ?? close + 2;
  if (canvas.length < 3 || canvas.length > 8)
    report(canvasLine, `canvas: 3 to 8 boxes, got ${canvas.length}`);
  if (rubric.length < 3) report(rubricLine, `rubric: at least 3 items, got ${rubric.length}`);

  const kind = meta?.kind;
  if (kind === 'design') {
    const missing = DESIGN_CANVAS.filter((id) => !canvas.some((c) => c.id === id));
    if (missing.length > 0)
      report(canvasLine, `canvas: a design drill needs the boxes ${missing.join(', ')}`);
    for (const b of [body.operate, body.answer])
      if (b) report(b.line, 'only incident drills have ```operate and ```answer blocks');
  }
  let incident: Pick<IncidentDrill, 'operate' | 'answer'> | null = null;
  let actions: ActionsAnswer | null = null;
  // null: not an incident, or a `grading` value already reported as unknown.
  const grading =
    kind !== 'incident' ? null : body.answer ? answerGrading(body.answer, report) : 'findings';
  if (grading === 'actions' && body.answer) {
    // Graded on the saved state of the live labs: no simulation of its own.
    if (body.operate)
      report(body.operate.line, 'a drill graded on actions has no ```operate block');
    actions = parseActionsAnswer(body.answer, report);
    if (actions) checkActionsRubric(actions, rubric, rubricLine, report);
  } else if (kind === 'incident' && grading !== null) {
    checkIncidentRubric(rubric, rubricLine, report);
    if (!body.operate) report(close + 2, 'an incident drill needs an ```operate block (JSON)');
    if (!body.answer) report(close + 2, 'an incident drill needs an ```answer block (YAML)');
    const operate = body.operate ? parseOperateBlock(body.operate, report) : null;
    const answer = body.answer ? parseAnswerBlock(body.answer, operate, report) : null;
    if (operate && answer) incident = { operate, answer };
  }
  if (errors.length > 0 || !meta) throw new LessonValidationError(errors);
  const base = {
    meta,
    file,
    prompt,
    canvas,
    rubric,
    maxScore: rubric.reduce((s, r) => s + r.points, 0),
    modelAnswer,
  };
  if (meta.kind === 'design') return { ...base, kind: 'design' };
  if (actions) return { ...base, kind: 'incident', grading: 'actions', answer: actions };
  return { ...base, kind: 'incident', grading: 'findings', ...incident! };
}

function checkIncidentRubric(rubric: RubricItem[], line: number, report: Report): void {
  const ids = rubric.map((r) => r.id).sort();
  if (ids.join(',') !== [...FINDING_IDS].sort().join(','))
    report(
      line,
      `rubric: an incident drill's items are the graded findings, titled ${FINDING_IDS.map((f) => f[0].toUpperCase() + f.slice(1)).join(', ')}; got ${rubric.map((r) => r.title).join(', ') || 'none'}`,
    );
}

function parseMeta(yaml: string, closeLine: number, report: Report): DrillMeta | null {
  const fm = parseYaml(yaml, 2, report, 'frontmatter');
  if (!fm) return null;
  const v = fm.value;
  if (!isRecord(v)) {
    report(2, 'frontmatter must be a mapping of key: value');
    return null;
  }
  let ok = true;
  const bad = (key: string, msg: string) => {
    ok = false;
    report(key in v ? fm.lineOf([key]) : closeLine, msg);
  };
  for (const key of Object.keys(v))
    if (!(META_KEYS as readonly string[]).includes(key))
      bad(key, `unknown frontmatter key "${key}" (known: ${META_KEYS.join(', ')})`);
  for (const key of META_KEYS)
    if (!(key in v) || v[key] === null) bad(key, `frontmatter is missing required key "${key}"`);
  const { id, title, kind, minutes, level, tags } = v;
  if (id != null && (typeof id !== 'string' || !LESSON_ID_RE.test(id)))
    bad('id', `id must be kebab-case, got ${JSON.stringify(id)}`);
  if (title != null && !isText(title)) bad('title', 'title must be a non-empty string');
  if (kind != null && !KINDS.includes(kind as DrillKind))
    bad('kind', `kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  if (
    minutes != null &&
    !(typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 5 && minutes <= 15)
  )
    bad('minutes', `minutes must be a whole number from 5 to 15, got ${JSON.stringify(minutes)}`);
  if (level != null && !LEVELS.includes(level as LessonLevel))
    bad('level', `level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  if (
    tags != null &&
    !(Array.isArray(tags) && tags.every((t) => typeof t === 'string' && LESSON_ID_RE.test(t)))
  )
    bad('tags', 'tags must be a list of kebab-case strings');
  return ok ? ({ id, title, kind, minutes, level, tags } as DrillMeta) : null;
}

interface Body {
  sections: Map<string, { line: number; lines: SourceLine[] }>;
  operate: RawBlock | null;
  answer: RawBlock | null;
}

/** Splits the body at `##` headings (outside code) and takes out the ```operate/```answer blocks. */
function splitBody(lines: string[], start: number, report: Report): Body {
  const out: Body = { sections: new Map(), operate: null, answer: null };
  let current: SourceLine[] | null = null;
  let fence: Fence | null = null;
  for (let i = start; i < lines.length; i++) {
    const text = lines[i];
    if (fence) {
      if (closesFence(text, fence)) fence = null;
      current?.push({ text, line: i + 1 });
      continue;
    }
    const opened = openFence(text);
    if (opened && (opened.info === 'operate' || opened.info === 'answer')) {
      let end = i + 1;
      while (end < lines.length && !closesFence(lines[end], opened)) end++;
      if (end >= lines.length) report(i + 1, `unclosed \`\`\`${opened.info} block`);
      const key = opened.info;
      if (out[key]) report(i + 1, `a second \`\`\`${key} block (one per drill)`);
      else out[key] = { body: lines.slice(i + 1, end).join('\n'), line: i + 1 };
      i = end;
      continue;
    }
    if (opened) fence = opened;
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(text);
    if (heading && !opened) {
      const name = heading[1];
      if (!(SECTIONS as readonly string[]).includes(name))
        report(i + 1, `unknown section "## ${name}" (known: ${SECTIONS.join(', ')})`);
      else if (out.sections.has(name)) report(i + 1, `section "## ${name}" appears twice`);
      current = [];
      out.sections.set(out.sections.has(name) ? `${name}#${i}` : name, {
        line: i + 1,
        lines: current,
      });
      continue;
    }
    if (/^#\s/.test(text))
      report(
        i + 1,
        'level-1 heading: the title comes from the frontmatter; sections start with ##',
      );
    else if (!current && text.trim() !== '')
      report(i + 1, 'text before the first section: start with "## Prompt"');
    current?.push({ text, line: i + 1 });
  }
  if (fence) report(lines.length, 'unclosed code fence');
  return out;
}

/** A markdown section's text, trimmed; empty sections and bad TeX are errors. */
function markdownOf(lines: SourceLine[], name: string, report: Report): string {
  const first = lines.findIndex((l) => l.text.trim() !== '');
  if (first < 0) {
    if (lines.length > 0) report(lines[0].line - 1, `section "## ${name}" is empty`);
    return '';
  }
  const text = lines
    .slice(first)
    .map((l) => l.text)
    .join('\n')
    .trimEnd();
  for (const p of checkMath(text))
    report(lines[first].line + p.line, `math: ${p.message}${MATH_HINT}`);
  return text;
}

const basename = (file: string) => file.slice(file.lastIndexOf('/') + 1);

/** Rules across drills: file names `NN-slug.md` with unique numbers, unique ids. */
export function validateDrills(drills: Drill[]): LessonError[] {
  const errors: LessonError[] = [];
  const numbers = new Map<string, string>();
  const ids = new Map<string, string>();
  for (const d of drills) {
    const m = LESSON_FILE_RE.exec(basename(d.file));
    if (!m) errors.push({ file: d.file, line: 1, message: 'file name must be NN-slug.md' });
    else if (numbers.has(m[1]))
      errors.push({
        file: d.file,
        line: 1,
        message: `drill number ${m[1]} is also used by ${numbers.get(m[1])}`,
      });
    else numbers.set(m[1], d.file);
    if (ids.has(d.meta.id))
      errors.push({
        file: d.file,
        line: 2,
        message: `duplicate drill id "${d.meta.id}" (also in ${ids.get(d.meta.id)})`,
      });
    else ids.set(d.meta.id, d.file);
  }
  return errors;
}

/** Parses every drill file (paths -> text; README.md skipped), in file order, and validates them. */
export function loadDrills(files: Record<string, string>): Drill[] {
  const errors: LessonError[] = [];
  const drills: Drill[] = [];
  const paths = Object.keys(files)
    .filter((p) => p.endsWith('.md') && basename(p).toUpperCase() !== 'README.MD')
    .sort((a, b) => basename(a).localeCompare(basename(b)));
  for (const path of paths) {
    try {
      drills.push(parseDrill(path.replace(/^\.?\//, ''), files[path]));
    } catch (e) {
      if (!(e instanceof LessonValidationError)) throw e;
      errors.push(...e.errors);
    }
  }
  errors.push(...validateDrills(drills));
  if (errors.length > 0) throw new LessonValidationError(errors);
  return drills;
}
