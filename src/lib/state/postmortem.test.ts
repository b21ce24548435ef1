import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../lessons/render';
import { buildIncidentTimeline } from './incident-timeline';
import { sessionInput } from './incident-timeline.fixture';
import { aliasEvents } from './incident-timeline-ops';
import { defaultTitle, postmortemFileName, renderPostmortem } from './postmortem';
import { escapeBlock, escapeInline, table } from './postmortem-escape';
import { EMPTY_DRAFT, type PostmortemDraft } from './postmortem-draft';
import { computeImpact } from './postmortem-impact';

const T = 1_714_550_400_000;
const html = (md: string) => renderMarkdown(md);

describe('post-mortem escaping', () => {
  it('keeps a table to its columns whatever a cell holds', () => {
    const nasty = 'a | b `code` # not a heading $x$ <b>bold</b> **strong** [link](x) \\ & ~~s~~';
    const out = html(table(['One', 'Two'], [[escapeInline(nasty), 'ok']]));
    expect((out.match(/<td>/g) ?? []).length).toBe(2);
    expect(out).not.toMatch(/<code>|<strong>|<b>|<a |<del>|katex/);
    // Every character survives as text (the renderer escapes & < > for HTML).
    expect(out).toContain('a | b `code` # not a heading $x$ &lt;b&gt;bold&lt;/b&gt; **strong**');
    expect(out).toContain('[link](x) \\ &amp; ~~s~~');
  });

  it('turns newlines in a cell into spaces', () => {
    expect(escapeInline('  first\nsecond\r\n third ')).toBe('first second third');
  });

  it('keeps learner paragraphs as text: no heading, list, quote, code block or rule', () => {
    const text =
      '# Not a heading\n- not a list\n1. not a list\n> not a quote\n    not code\n```\nnot a fence\n---\n\nSecond paragraph';
    const out = html(`## Root cause\n\n${escapeBlock(text)}\n\n## Next`);
    expect((out.match(/<h2/g) ?? []).length).toBe(2);
    expect(out).not.toMatch(/<h1|<ul|<ol|<blockquote|<pre|<code|<hr/);
    expect(out).toContain('# Not a heading<br>- not a list<br>1. not a list<br>&gt; not a quote');
    expect((out.match(/<p>/g) ?? []).length).toBe(2);
  });
});

describe('post-mortem document', () => {
  const session = sessionInput();
  const timeline = buildIncidentTimeline(session, [
    ...aliasEvents([
      {
        seq: 1,
        modelName: 'digits-classifier',
        alias: 'champion',
        fromVersion: 2,
        toVersion: 1,
        at: T + 60_000,
        reason: 'rolled back | p99 #1',
        actor: 'learner',
      },
    ]),
  ]);
  const impact = computeImpact(session);
  const facts = {
    sessionId: session.id,
    versionId: session.versionId,
    sessionStartedAt: T,
    exportedAt: T + 86_400_000,
  };
  const draft: PostmortemDraft = {
    ...EMPTY_DRAFT,
    title: 'Brightness | drift `v1` # 2',
    summary: 'Images got darker.\nAccuracy fell | badly.',
    actions: [
      { what: 'Add a brightness check | upstream', owner: 'Ana `ops`', due: '2026-12-01' },
      { what: '', owner: 'nobody', due: '' },
    ],
  };

  it('fills the generated sections from the events and the windows', () => {
    const md = renderPostmortem(timeline, impact, draft, facts);
    for (const h of [
      '## Summary',
      '## Impact',
      '## Detection',
      '## Timeline (simulated time)',
      '## Operational events (wall clock)',
      '## Root cause',
      '## Resolution',
      '## What went well',
      '## What went wrong',
      '## Action items',
    ])
      expect(md).toContain(`\n${h}\n`);
    expect(md).toContain(
      '| Requests affected | 5,000 in 5 windows, sim day 0, 01:30:00 to day 0, 04:00:00 |',
    );
    expect(md).toContain('96.0% before, 55.0% in the worst window (41.0 points)');
    expect(md).toContain('| Duration | 2.5 h |');
    expect(md).toContain('- First alert: **data drift** at sim day 0, 02:00:00 (window 3)');
    expect(md).toContain('- Time to detect: 30 min after the onset at sim day 0, 01:30:00');
    expect(md).toContain(
      '| day 0, 02:00:00 | Alert fired: data drift | Drift in 70% of features (\\>= 50%) | accuracy 96.0% → 90.0%, CBPE 96.0% → 80.0%, p99 10.0 ms → 11.0 ms, drift share 0.03 → 0.70 |',
    );
    expect(md).toContain(
      '| 2024-05-01 08:01 UTC | digits-classifier champion v2 → v1 | learner | rolled back \\| p99 \\#1 |',
    );
    expect(md).toContain('**Date of the run:** 2024-05-01');
    expect(md).toContain('## Root cause\n\n_To be completed._');
  });

  it('shows the learner text as typed, and the rendered document keeps its structure', () => {
    const md = renderPostmortem(timeline, impact, draft, facts);
    expect(md.startsWith('# Brightness \\| drift \\`v1\\` \\# 2\n')).toBe(true);
    const out = html(md);
    expect((out.match(/<h1/g) ?? []).length).toBe(1);
    expect((out.match(/<h2/g) ?? []).length).toBe(10);
    expect(out).toContain('Brightness | drift `v1` # 2</h1>');
    expect(out).toContain('Images got darker.<br>Accuracy fell | badly.');
    // The action table: one row (the empty one is left out), three cells, text intact.
    expect(out).toContain(
      '<td>Add a brightness check | upstream</td>\n<td>Ana `ops`</td>\n<td>2026-12-01</td>',
    );
    expect(out).not.toContain('nobody');
  });

  it('writes a document without an incident when no alert fired', () => {
    const quiet = sessionInput({ alerts: [] });
    const md = renderPostmortem(
      buildIncidentTimeline(quiet, []),
      computeImpact(quiet),
      EMPTY_DRAFT,
      facts,
    );
    expect(md).toContain('# Simulation review: digits-classifier@v1 (no alert fired)');
    expect(md).toContain('No alert fired in this session');
    expect(md).toContain('No operational event was recorded.');
    expect(defaultTitle(impact, 'm@v2')).toBe('Incident: data drift on m@v2');
  });

  it('names the file by session and date with safe characters', () => {
    expect(postmortemFileName('sim-1/a b', T)).toBe('postmortem-sim-1-a-b-2024-05-01.md');
  });
});
