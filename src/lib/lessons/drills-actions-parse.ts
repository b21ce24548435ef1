/**
 * The ```answer block of an incident drill graded on actions (`grading: actions`): the required
 * actions, the findings form's question and free text, and what the page may set up. Validated
 * with the file line of every bad field; the rubric must name exactly the graded items.
 */
import { RUNTIME_IDS } from '../protocol/serve';
import { MODEL_VARIANTS, type ModelVariant } from '../storage/registry-records';
import { isRecord, isText, MATH_HINT, parseYaml, type Path, type Report } from './blocks';
import {
  ACTION_CHECKS,
  ACTION_SETUPS,
  type ActionChoice,
  type ActionCheckName,
  type ActionSetup,
  type ActionsAnswer,
  type RequiredAction,
} from './drills-actions-types';
import type { RawBlock } from './drills-incident';
import type { RubricItem } from './drills-types';
import { LESSON_ID_RE } from './parse';
import { checkMath } from './render';

export const GRADINGS = ['findings', 'actions'] as const;
export type Grading = (typeof GRADINGS)[number];

/**
 * How an incident drill is graded, from its ```answer block's `grading` key (absent: findings).
 * Invalid YAML gives 'findings' (that parser reports it); an unknown value is reported: null.
 */
export function answerGrading(block: RawBlock, report: Report): Grading | null {
  const y = parseYaml(block.body, block.line + 1, () => undefined, 'answer block');
  // Bad YAML: the line itself says which parser should report it.
  if (!y) return /^grading:\s*actions\s*$/m.test(block.body) ? 'actions' : 'findings';
  if (!isRecord(y.value) || !('grading' in y.value)) return 'findings';
  const g = y.value.grading;
  if (GRADINGS.includes(g as Grading)) return g as Grading;
  report(
    y.lineOf(['grading']),
    `answer block: grading must be one of ${GRADINGS.join(', ')}, got ${JSON.stringify(g)}`,
  );
  return null;
}

const TOP_KEYS = ['grading', 'setup', 'actions', 'choice', 'text', 'why'];
const OPTIONAL_TOP = ['setup'];
const CHECK_KEYS: Record<ActionCheckName, string[]> = {
  'benchmark-pair': ['variants', 'batch', 'runtime'],
  'alias-rollback': ['alias', 'from', 'to'],
  'fallback-session': ['minRequests', 'minCrashes'],
};

const isVariant = (v: unknown): v is ModelVariant => MODEL_VARIANTS.includes(v as ModelVariant);
const isWhole = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Parses the ```answer block of an actions-graded drill. */
export function parseActionsAnswer(block: RawBlock, report: Report): ActionsAnswer | null {
  const y = parseYaml(block.body, block.line + 1, report, 'answer block');
  if (!y) return null;
  const v = y.value;
  if (!isRecord(v)) {
    report(block.line, `answer block must be a mapping of ${TOP_KEYS.join(', ')}`);
    return null;
  }
  let ok = true;
  const bad = (path: Path, msg: string) => {
    ok = false;
    report(y.lineOf(path), `answer block: ${msg}`);
  };
  /** Unknown and missing keys of the mapping at `path`. */
  const keys = (o: Record<string, unknown>, path: Path, known: string[], optional: string[]) => {
    const where = path.length ? `${path.join('.')}: ` : '';
    for (const k of Object.keys(o))
      if (!known.includes(k))
        bad([...path, k], `${where}unknown key "${k}" (known: ${known.join(', ')})`);
    for (const k of known)
      if (!(k in o) && !optional.includes(k)) bad(path, `${where}missing key "${k}"`);
  };
  keys(v, [], TOP_KEYS, OPTIONAL_TOP);

  const setup = v.setup ?? null;
  if (setup !== null && !ACTION_SETUPS.includes(setup as ActionSetup))
    bad(
      ['setup'],
      `setup must be one of ${ACTION_SETUPS.join(', ')}, got ${JSON.stringify(setup)}`,
    );

  const actions: RequiredAction[] = [];
  if ('actions' in v && (!Array.isArray(v.actions) || v.actions.length === 0))
    bad(['actions'], 'actions must be a non-empty list of { rubric, check, ... }');
  (Array.isArray(v.actions) ? v.actions : []).forEach((a: unknown, i) => {
    const at: Path = ['actions', i];
    if (!isRecord(a)) return bad(at, `actions[${i}] must be a mapping with rubric and check`);
    const check = a.check as ActionCheckName;
    if (!ACTION_CHECKS.includes(check))
      return bad(
        [...at, 'check'],
        `actions[${i}].check must be one of ${ACTION_CHECKS.join(', ')}, got ${JSON.stringify(a.check)}`,
      );
    keys(a, at, ['rubric', 'check', ...CHECK_KEYS[check]], []);
    const action = parseAction(a, check, (key, msg) => bad([...at, key], `actions[${i}].${msg}`));
    if (action) actions.push(action);
  });

  const choice = parseChoice(v.choice, (path, msg) => bad(['choice', ...path], `choice${msg}`));
  const text = isRecord(v.text) ? v.text : null;
  if ('text' in v && !text) bad(['text'], 'text must be a mapping of question, rubric, mentions');
  if (text) keys(text, ['text'], ['rubric', 'question', 'mentions'], ['rubric', 'mentions']);
  const mentions = text?.mentions ?? [];
  if (!Array.isArray(mentions) || !mentions.every(isText))
    bad(['text', 'mentions'], 'text.mentions must be a list of phrases');
  if (text && !isText(text.question)) bad(['text', 'question'], 'text.question must be a sentence');
  const textRubric = text?.rubric ?? null;
  if (textRubric !== null && !(typeof textRubric === 'string' && LESSON_ID_RE.test(textRubric)))
    bad(['text', 'rubric'], 'text.rubric must be a rubric item id (kebab-case)');
  if (textRubric !== null && Array.isArray(mentions) && mentions.length === 0)
    bad(['text', 'mentions'], 'a graded text (with a rubric) needs mentions to look for');
  if (textRubric === null && Array.isArray(mentions) && mentions.length > 0)
    bad(['text', 'mentions'], 'mentions are only read when the text has a rubric item');

  if ('why' in v && !isText(v.why)) bad(['why'], 'why must be a non-empty string (markdown)');
  if (isText(v.why))
    for (const p of checkMath(v.why)) bad(['why'], `math: ${p.message}${MATH_HINT}`);

  if (setup === 'int8-canary' && !actions.some(isInt8Rollback))
    bad(
      ['setup'],
      'setup int8-canary points champion at an int8-weight version: add an alias-rollback action on champion from int8-weight to fp32',
    );
  if (!ok || !choice || !text) return null;
  return {
    setup: setup as ActionSetup | null,
    actions,
    choice,
    text: {
      rubric: textRubric as string | null,
      question: text.question as string,
      mentions: (mentions as string[]).map((m) => m.trim().toLowerCase()),
    },
    why: v.why as string,
  };
}

const isInt8Rollback = (a: RequiredAction) =>
  a.check === 'alias-rollback' &&
  a.alias === 'champion' &&
  a.from === 'int8-weight' &&
  a.to === 'fp32';

function parseAction(
  a: Record<string, unknown>,
  check: ActionCheckName,
  bad: (key: string, msg: string) => void,
): RequiredAction | null {
  let problems = 0;
  const fail = (key: string, msg: string) => {
    problems++;
    bad(key, msg);
  };
  if (!(typeof a.rubric === 'string' && LESSON_ID_RE.test(a.rubric)))
    fail('rubric', 'rubric must be a rubric item id (the slug of its title, kebab-case)');
  const rubric = a.rubric as string;
  if (check === 'benchmark-pair') {
    const vs = a.variants;
    if (!(Array.isArray(vs) && vs.length === 2 && vs.every(isVariant) && vs[0] !== vs[1]))
      fail('variants', `variants must be two different variants of ${MODEL_VARIANTS.join(', ')}`);
    if (!isWhole(a.batch, 1, 4096)) fail('batch', 'batch must be a whole number from 1 to 4096');
    if (!RUNTIME_IDS.includes(a.runtime as RuntimeIdLike))
      fail('runtime', `runtime must be one of ${RUNTIME_IDS.join(', ')}`);
    if (problems > 0) return null;
    const [base, other] = a.variants as ModelVariant[];
    return {
      check,
      rubric,
      variants: [base, other],
      batch: a.batch as number,
      runtime: a.runtime as RuntimeIdLike,
    };
  }
  if (check === 'alias-rollback') {
    if (!(typeof a.alias === 'string' && LESSON_ID_RE.test(a.alias)))
      fail('alias', 'alias must be an alias name (kebab-case), e.g. champion');
    for (const k of ['from', 'to'])
      if (!isVariant(a[k])) fail(k, `${k} must be one of ${MODEL_VARIANTS.join(', ')}`);
    if (a.from === a.to) fail('to', 'to must differ from from');
    if (problems > 0) return null;
    return {
      check,
      rubric,
      alias: a.alias as string,
      from: a.from as ModelVariant,
      to: a.to as ModelVariant,
    };
  }
  if (!isWhole(a.minRequests, 1, 1_000_000))
    fail('minRequests', 'minRequests must be a whole number from 1 to 1,000,000');
  if (!isWhole(a.minCrashes, 1, 100))
    fail('minCrashes', 'minCrashes must be a whole number from 1 to 100');
  if (problems > 0) return null;
  return {
    check,
    rubric,
    minRequests: a.minRequests as number,
    minCrashes: a.minCrashes as number,
  };
}

type RuntimeIdLike = (typeof RUNTIME_IDS)[number];

function parseChoice(
  c: unknown,
  bad: (path: Path, msg: string) => void,
): ActionsAnswer['choice'] | null {
  if (!isRecord(c)) {
    bad([], ' must be a mapping of rubric, question, choices');
    return null;
  }
  let problems = 0;
  const fail = (path: Path, msg: string) => {
    problems++;
    bad(path, msg);
  };
  for (const k of Object.keys(c))
    if (!['rubric', 'question', 'choices'].includes(k))
      fail([k], `: unknown key "${k}" (known: rubric, question, choices)`);
  if (!(typeof c.rubric === 'string' && LESSON_ID_RE.test(c.rubric)))
    fail(['rubric'], '.rubric must be a rubric item id (kebab-case)');
  if (!isText(c.question)) fail(['question'], '.question must be a sentence');
  const list = c.choices;
  if (!Array.isArray(list) || list.length < 2 || list.length > 6) {
    fail(['choices'], '.choices must be a list of 2 to 6 answers');
    return null;
  }
  const choices: ActionChoice[] = [];
  list.forEach((o: unknown, i) => {
    const at: Path = ['choices', i];
    if (!isRecord(o) || !isText(o.label) || !isText(o.why))
      return fail(
        at,
        `.choices[${i}] needs id, label and why (and correct: true on the right one)`,
      );
    if (!(typeof o.id === 'string' && LESSON_ID_RE.test(o.id)))
      return fail([...at, 'id'], `.choices[${i}].id must be kebab-case`);
    if (choices.some((x) => x.id === o.id))
      return fail([...at, 'id'], `.choices: id "${o.id}" appears twice`);
    if ('correct' in o && typeof o.correct !== 'boolean')
      return fail([...at, 'correct'], `.choices[${i}].correct must be true or false`);
    for (const k of Object.keys(o))
      if (!['id', 'label', 'correct', 'why'].includes(k))
        fail([...at, k], `.choices[${i}]: unknown key "${k}" (known: id, label, correct, why)`);
    choices.push({ id: o.id, label: o.label, correct: o.correct === true, why: o.why });
  });
  const right = choices.filter((x) => x.correct).length;
  if (choices.length === list.length && right !== 1)
    fail(['choices'], `.choices: exactly one answer has correct: true, got ${right}`);
  if (problems > 0) return null;
  return { rubric: c.rubric as string, question: c.question as string, choices };
}

/** The rubric ids the answer grades: every action's, the choice's, and the text's when graded. */
export function gradedIds(answer: ActionsAnswer): string[] {
  const ids = [...answer.actions.map((a) => a.rubric), answer.choice.rubric];
  if (answer.text.rubric) ids.push(answer.text.rubric);
  return ids;
}

/** The rubric must list exactly the graded items, each graded once. */
export function checkActionsRubric(
  answer: ActionsAnswer,
  rubric: RubricItem[],
  line: number,
  report: Report,
): void {
  const ids = gradedIds(answer);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0)
    report(line, `rubric: ${twice.join(', ')} is graded by more than one item of the answer block`);
  const have = rubric.map((r) => r.id);
  const missing = ids.filter((id) => !have.includes(id));
  const extra = have.filter((id) => !ids.includes(id));
  if (missing.length > 0 || extra.length > 0)
    report(
      line,
      `rubric: an actions-graded drill's items are the graded actions and findings (${ids.join(', ')}); ` +
        [
          missing.length ? `no rubric item for ${missing.join(', ')}` : '',
          extra.length ? `nothing grades ${extra.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
    );
}
