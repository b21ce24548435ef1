import { describe, expect, it } from 'vitest';
import {
  draftProblems,
  EMPTY_DRAFT,
  isIsoDate,
  LIMITS,
  MAX_DRAFTS,
  readDraft,
  readStoredDrafts,
  withDraft,
} from './postmortem-draft';

describe('post-mortem draft', () => {
  it('accepts real dates only', () => {
    expect(['2026-12-01', '2024-02-29'].map(isIsoDate)).toEqual([true, true]);
    expect(
      ['2026-02-30', '2025-02-29', '1/12/2026', '2026-1-1', 'soon', ''].map(isIsoDate),
    ).toEqual([false, false, false, false, false, false]);
  });

  it('names each problem, with the item number', () => {
    expect(draftProblems(EMPTY_DRAFT)).toEqual([]);
    const problems = draftProblems({
      ...EMPTY_DRAFT,
      rootCause: 'x'.repeat(LIMITS.text + 1),
      actions: [
        { what: 'ok', owner: 'me', due: '' },
        { what: 'fix', owner: 'you', due: 'next week' },
      ],
    });
    expect(problems).toEqual([
      '"Root cause" is longer than 5000 characters.',
      'Action item 2: the due date "next week" is not a date (YYYY-MM-DD).',
    ]);
  });

  it('reads damaged stored drafts as empty fields, never as a crash', () => {
    expect(readDraft(null)).toEqual(EMPTY_DRAFT);
    expect(readDraft({ summary: 5, title: 'T', actions: [null, { what: 'a', owner: 3 }] })).toEqual(
      {
        ...EMPTY_DRAFT,
        title: 'T',
        actions: [{ what: 'a', owner: '', due: '' }],
      },
    );
    expect(readStoredDrafts(['x'])).toEqual({});
    expect(
      readStoredDrafts({ a: { savedAt: 'no' }, b: { savedAt: 1, draft: { summary: 's' } } }),
    ).toEqual({
      b: { savedAt: 1, draft: { ...EMPTY_DRAFT, summary: 's' } },
    });
  });

  it('keeps one draft per session and only the newest ones', () => {
    let all = {};
    for (let i = 0; i < MAX_DRAFTS + 2; i++)
      all = withDraft(all, `s${i}`, { ...EMPTY_DRAFT, summary: `n${i}` }, 1000 + i);
    all = withDraft(all, 's5', { ...EMPTY_DRAFT, summary: 'again' }, 5000);
    const ids = Object.keys(all);
    expect(ids.length).toBe(MAX_DRAFTS);
    expect(ids).not.toContain('s0');
    expect(ids).not.toContain('s1');
    expect(readStoredDrafts(all).s5.draft.summary).toBe('again');
  });
});
