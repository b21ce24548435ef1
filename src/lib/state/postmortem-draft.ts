/**
 * The learner's part of a post-mortem: the free-text sections and the action items, one draft per
 * Operate session, autosaved under ONE settings key so that a reload keeps what was typed. A draft
 * with a problem (a due date that is not a date, a field past its length limit) is not saved: the
 * form says what is wrong and the last good draft stays in storage.
 */

/** A follow-up: what, who owns it, by when (YYYY-MM-DD, or '' while undecided). */
export type ActionItem = { what: string; owner: string; due: string };

/** The free-text sections, in the template's order. */
export type PostmortemDraft = {
  /** '' uses the generated title. */
  title: string;
  summary: string;
  rootCause: string;
  resolution: string;
  wentWell: string;
  wentWrong: string;
  actions: ActionItem[];
};

export const TEXT_FIELDS = [
  'summary',
  'rootCause',
  'resolution',
  'wentWell',
  'wentWrong',
] as const satisfies readonly (keyof PostmortemDraft)[];

export type TextField = (typeof TEXT_FIELDS)[number];

/** Headings and prompts of the free-text sections. */
export const SECTION: Readonly<Record<TextField, { heading: string; prompt: string }>> = {
  summary: {
    heading: 'Summary',
    prompt: 'Two or three sentences: what broke, for whom, for how long.',
  },
  rootCause: {
    heading: 'Root cause',
    prompt: 'Why it happened (ask "why?" until it is a cause you can fix).',
  },
  resolution: {
    heading: 'Resolution',
    prompt: 'What stopped the damage: rollback, retrain, fallback, a fix upstream.',
  },
  wentWell: { heading: 'What went well', prompt: 'Which alert, runbook or safeguard helped.' },
  wentWrong: { heading: 'What went wrong', prompt: 'What was slow, missing or misleading.' },
};

export const EMPTY_DRAFT: Readonly<PostmortemDraft> = Object.freeze({
  title: '',
  summary: '',
  rootCause: '',
  resolution: '',
  wentWell: '',
  wentWrong: '',
  actions: [],
});

/** Limits (characters, items): a post-mortem is short. */
export const LIMITS = Object.freeze({ title: 200, text: 5000, actionText: 300, actions: 20 });

/** The settings key that holds every session's draft. */
export const POSTMORTEM_KEY = 'incidentPostmortems';
/** Drafts kept: saving one more drops the oldest. */
export const MAX_DRAFTS = 20;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** What is wrong with a draft, one message per problem ([] when it can be saved). */
export function draftProblems(d: PostmortemDraft): string[] {
  const out: string[] = [];
  if (d.title.length > LIMITS.title)
    out.push(`The title is longer than ${LIMITS.title} characters.`);
  for (const k of TEXT_FIELDS)
    if (d[k].length > LIMITS.text)
      out.push(`"${SECTION[k].heading}" is longer than ${LIMITS.text} characters.`);
  if (d.actions.length > LIMITS.actions) out.push(`Keep it to ${LIMITS.actions} action items.`);
  d.actions.forEach((a, i) => {
    const n = `Action item ${i + 1}`;
    if (a.due !== '' && !isIsoDate(a.due))
      out.push(`${n}: the due date "${a.due}" is not a date (YYYY-MM-DD).`);
    if (a.what.length > LIMITS.actionText || a.owner.length > LIMITS.actionText)
      out.push(`${n}: keep each field under ${LIMITS.actionText} characters.`);
  });
  return out;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A stored draft read back field by field (anything missing or of the wrong type is empty). */
export function readDraft(v: unknown): PostmortemDraft {
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  const actions = Array.isArray(o.actions) ? o.actions : [];
  return {
    title: str(o.title),
    summary: str(o.summary),
    rootCause: str(o.rootCause),
    resolution: str(o.resolution),
    wentWell: str(o.wentWell),
    wentWrong: str(o.wentWrong),
    actions: actions
      .filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null)
      .map((a) => ({ what: str(a.what), owner: str(a.owner), due: str(a.due) })),
  };
}

/** Every session's stored draft: `{ [sessionId]: { savedAt, draft } }`. */
export type StoredDrafts = Record<string, { savedAt: number; draft: PostmortemDraft }>;

/** The setting read back; entries of the wrong shape are dropped. */
export function readStoredDrafts(v: unknown): StoredDrafts {
  const out: StoredDrafts = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [id, e] of Object.entries(v as Record<string, unknown>)) {
    if (typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    if (typeof r.savedAt !== 'number') continue;
    out[id] = { savedAt: r.savedAt, draft: readDraft(r.draft) };
  }
  return out;
}

/** The setting with `draft` stored for `sessionId`, keeping the newest MAX_DRAFTS. */
export function withDraft(
  all: StoredDrafts,
  sessionId: string,
  draft: PostmortemDraft,
  now: number,
): StoredDrafts {
  const next: StoredDrafts = { ...all, [sessionId]: { savedAt: now, draft: readDraft(draft) } };
  const keep = Object.entries(next)
    .sort((a, b) => b[1].savedAt - a[1].savedAt)
    .slice(0, MAX_DRAFTS);
  return Object.fromEntries(keep);
}
