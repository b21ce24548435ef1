/**
 * The post-mortem as markdown: a short template a team would use (title, date, summary, impact,
 * detection, timeline, root cause, resolution, what went well / wrong, action items). Impact,
 * detection and both timelines are generated from the session and the operational records; the
 * rest is the learner's draft, escaped (postmortem-escape.ts) so that it reads as typed. Pure:
 * the same inputs give the same text (the export date is an argument).
 */
import { formatDuration, formatSimTime } from '../core/sim-scenario-types';
import {
  ruleName,
  type IncidentEvent,
  type IncidentTimeline,
  type WindowMetrics,
} from './incident-timeline';
import { escapeBlock, escapeInline, table } from './postmortem-escape';
import { SECTION, type PostmortemDraft, type TextField } from './postmortem-draft';
import type { Impact } from './postmortem-impact';

/** What the document needs besides the timeline and the draft. */
export type PostmortemFacts = {
  sessionId: string;
  versionId: string;
  /** Wall clock, ms since epoch: when the simulated run started. */
  sessionStartedAt: number;
  /** Wall clock, ms since epoch: when the document is exported. */
  exportedAt: number;
};

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
/** Latency with the digits it needs: simulated p99s run from 0.05 ms to seconds. */
const ms = (v: number | null) =>
  v === null ? 'n/a' : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ms`;
const TODO = '_To be completed._';

/** An ISO date (YYYY-MM-DD, UTC) for the document. */
export const isoDate = (t: number): string => new Date(t).toISOString().slice(0, 10);
/** Wall-clock time as "YYYY-MM-DD HH:MM UTC" (a document may be read in another time zone). */
export const wallTime = (t: number): string =>
  `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The generated title, used when the learner leaves theirs empty. */
export function defaultTitle(impact: Impact | null, versionId: string): string {
  return impact
    ? `Incident: ${ruleName(impact.firstAlert.rule)} on ${versionId}`
    : `Simulation review: ${versionId} (no alert fired)`;
}

/** "accuracy 97.0% → 60.2%, CBPE ..., p99 ..., drift share ..." for an event's windows. */
export function metricsAround(a: IncidentEvent['around']): string {
  if (!a || (!a.before && !a.at)) return '';
  const pair = (
    label: string,
    f: (m: WindowMetrics) => number | null,
    fmt: (v: number | null) => string,
  ) => {
    const b = a.before ? f(a.before) : null;
    const t = a.at ? f(a.at) : null;
    return b === null && t === null ? null : `${label} ${fmt(b)} → ${fmt(t)}`;
  };
  return [
    pair('accuracy', (m) => m.accuracy, pct),
    pair('CBPE', (m) => m.cbpe, pct),
    pair('p99', (m) => m.p99Ms, ms),
    pair(
      'drift share',
      (m) => m.driftShare,
      (v) => (v === null ? 'n/a' : v.toFixed(2)),
    ),
  ]
    .filter((x) => x !== null)
    .join(', ');
}

function impactSection(i: Impact | null): string {
  if (!i) return 'No alert fired in this session: there is no incident window to measure.';
  const drop =
    i.accuracyBefore !== null && i.accuracyWorst !== null
      ? ` (${((i.accuracyBefore - i.accuracyWorst) * 100).toFixed(1)} points)`
      : '';
  const end = i.resolvedMs === null ? ' (still firing when the run stopped)' : '';
  const rows = [
    [
      'Requests affected',
      `${i.requestsAffected.toLocaleString('en-US')} in ${i.windowsAffected} windows, sim ${formatSimTime(i.startMs)} to ${formatSimTime(i.endMs)}`,
    ],
    [
      'Accuracy (labelled)',
      `${pct(i.accuracyBefore)} before, ${pct(i.accuracyWorst)} in the worst window${drop}`,
    ],
    [
      'Estimated accuracy (CBPE)',
      `${pct(i.cbpeBefore)} before, ${pct(i.cbpeWorst)} in the worst window`,
    ],
    ['Worst p99 latency', ms(i.p99Worst)],
    ['Duration', `${formatDuration(i.durationMs)}${end}`],
  ];
  return table(
    ['Measure', 'Value'],
    rows.map((r) => r.map(escapeInline)),
  );
}

function detectionSection(i: Impact | null): string {
  if (!i) return 'Nothing was detected.';
  const a = i.firstAlert;
  const ttd =
    i.timeToDetectMs === null
      ? 'unknown (no injected scenario marks the onset)'
      : `${formatDuration(i.timeToDetectMs)} after the onset at sim ${formatSimTime(i.onsetMs ?? 0)}`;
  return [
    `- First alert: **${escapeInline(ruleName(a.rule))}** at sim ${formatSimTime(a.atMs)} (window ${a.window}): ${escapeInline(a.message)}`,
    `- Time to detect: ${escapeInline(ttd)}`,
    `- Rules that fired: ${escapeInline(i.rules.map(ruleName).join(', '))}`,
  ].join('\n');
}

function simTable(events: readonly IncidentEvent[]): string {
  if (events.length === 0) return 'No simulated event.';
  return table(
    ['Sim time', 'Event', 'Details', 'Metrics (window before → window of the event)'],
    events.map((e) => [
      formatSimTime(e.timeMs),
      escapeInline(e.what),
      escapeInline(e.why),
      escapeInline(metricsAround(e.around)),
    ]),
  );
}

function wallTable(events: readonly IncidentEvent[]): string {
  if (events.length === 0) return 'No operational event was recorded.';
  return table(
    ['Time (wall clock)', 'Event', 'Who', 'Why'],
    events.map((e) => [
      wallTime(e.timeMs),
      escapeInline(e.what),
      escapeInline(e.who),
      escapeInline(e.why),
    ]),
  );
}

const text = (d: PostmortemDraft, k: TextField) =>
  `## ${SECTION[k].heading}\n\n${escapeBlock(d[k]) || TODO}`;

function actionsSection(d: PostmortemDraft): string {
  const rows = d.actions.filter((a) => a.what.trim() !== '');
  if (rows.length === 0) return TODO;
  return table(
    ['Action', 'Owner', 'Due'],
    rows.map((a) => [
      escapeInline(a.what),
      escapeInline(a.owner) || 'unassigned',
      escapeInline(a.due) || 'no date',
    ]),
  );
}

/** The whole post-mortem as markdown. */
export function renderPostmortem(
  timeline: IncidentTimeline,
  impact: Impact | null,
  draft: PostmortemDraft,
  facts: PostmortemFacts,
): string {
  const title = draft.title.trim() || defaultTitle(impact, facts.versionId);
  return (
    [
      `# ${escapeInline(title)}`,
      [
        `**Date of the run:** ${isoDate(facts.sessionStartedAt)} · **Model:** ${escapeInline(facts.versionId)} · **Session:** ${escapeInline(facts.sessionId)} · **Exported:** ${isoDate(facts.exportedAt)}`,
        '',
        '_Generated by Pocket MLOps from a simulated run. "Sim" times are simulated time since the run started; operational events are on the wall clock. The two clocks are not on one axis: a simulated day can pass in seconds._',
      ].join('\n'),
      text(draft, 'summary'),
      `## Impact\n\n${impactSection(impact)}`,
      `## Detection\n\n${detectionSection(impact)}`,
      `## Timeline (simulated time)\n\n${simTable(timeline.incident)}`,
      `## Operational events (wall clock)\n\n${wallTable(timeline.operations)}`,
      text(draft, 'rootCause'),
      text(draft, 'resolution'),
      text(draft, 'wentWell'),
      text(draft, 'wentWrong'),
      `## Action items\n\n${actionsSection(draft)}`,
    ].join('\n\n') + '\n'
  );
}

/** A file name for the download: "postmortem-<session>-<date>.md", safe on every OS. */
export function postmortemFileName(sessionId: string, exportedAt: number): string {
  return `postmortem-${sessionId.replace(/[^a-zA-Z0-9-]+/g, '-')}-${isoDate(exportedAt)}.md`;
}
