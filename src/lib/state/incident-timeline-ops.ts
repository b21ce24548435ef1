/**
 * Operational events as timeline events: alias moves (deploy, rollback or another move), training
 * runs and retrains, the fallback lab's last session, the roll-out decision log, the retrain log,
 * and the session's own start and last save. All on the WALL clock (ms since epoch), except a
 * retrain log entry that names the session and a simulated time: that one is placed on the
 * session's simulated axis, the only link between the two clocks that a record itself states.
 */
import { formatSimTime } from '../core/sim-scenario-types';
import type { AliasEvent } from '../storage/registry-records';
import type { IncidentEvent } from './incident-timeline';
import type { RetrainLogEntry } from './incident-timeline-retrain';
import type { RolloutEvent } from './rollout-ops';

const ROLLBACK_WORDS = /\broll(?:ed|ing)?[\s-]*back\b/i;
const v = (n: number | null) => (n === null ? 'none' : `v${n}`);

/**
 * Alias moves, oldest first, typed: `rollback` when a move undoes the alias's previous move (it
 * points back where that move came from) or its reason says so; `deploy` when `champion` points
 * at a new version otherwise; `alias-move` for everything else (challenger, removals).
 */
export function aliasEvents(history: readonly AliasEvent[]): IncidentEvent[] {
  const previous = new Map<string, AliasEvent>();
  const out: IncidentEvent[] = [];
  for (const e of [...history].sort((a, b) => a.seq - b.seq)) {
    const key = `${e.modelName}\u0000${e.alias}`;
    const prev = previous.get(key);
    previous.set(key, e);
    const undoes = prev !== undefined && e.toVersion !== null && e.toVersion === prev.fromVersion;
    const kind =
      e.toVersion !== null && (undoes || ROLLBACK_WORDS.test(e.reason))
        ? 'rollback'
        : e.alias === 'champion' && e.toVersion !== null
          ? 'deploy'
          : 'alias-move';
    const move =
      e.toVersion === null
        ? `removed (was ${v(e.fromVersion)})`
        : e.fromVersion === null
          ? `set to ${v(e.toVersion)}`
          : `${v(e.fromVersion)} → ${v(e.toVersion)}`;
    out.push({
      kind,
      clock: 'wall',
      timeMs: e.at,
      what: `${e.modelName} ${e.alias} ${move}`,
      why: e.reason,
      who: e.actor,
      source: 'alias history',
    });
  }
  return out;
}

/** The part of a run record the timeline reads. */
export type RunInput = {
  id: string;
  createdAt: number;
  datasetId: string;
  status: string;
  testAccuracy?: number;
  /** Set when something says the run is a retrain (the retrain log names it, or its lineage). */
  retrainOf?: string;
};

/** Training runs: `retrain` when a record says so, otherwise a `note` ("training run"). */
export function runEvents(runs: readonly RunInput[]): IncidentEvent[] {
  return runs.map((r) => {
    const acc =
      r.testAccuracy === undefined ? '' : `, test accuracy ${(r.testAccuracy * 100).toFixed(1)}%`;
    return {
      kind: r.retrainOf ? 'retrain' : 'note',
      clock: 'wall',
      timeMs: r.createdAt,
      what: `${r.retrainOf ? 'Retrain' : 'Training run'} ${r.id} on ${r.datasetId} (${r.status}${acc})`,
      why: r.retrainOf ?? '',
      who: 'learner',
      source: 'runs',
    };
  });
}

/** The fallback lab's last saved session (widget outcome 'fallback-lab'), as one event. */
export function fallbackEvent(entry: {
  savedAt: number;
  values: Record<string, number | string | boolean>;
}): IncidentEvent | null {
  const { requests, servedByFallback, faultsInjected, lost, doubled, primary, secondary } =
    entry.values;
  if (typeof requests !== 'number' || typeof servedByFallback !== 'number') return null;
  const share = requests > 0 ? ` (${((servedByFallback / requests) * 100).toFixed(1)}%)` : '';
  const faults =
    typeof faultsInjected === 'string' && faultsInjected !== ''
      ? `faults injected: ${faultsInjected.split(',').join(', ')}`
      : 'no fault injected';
  const ledger =
    typeof lost === 'number' && typeof doubled === 'number'
      ? `; ${lost} lost, ${doubled} answered twice`
      : '';
  const chain =
    typeof primary === 'string' && typeof secondary === 'string'
      ? ` (${primary} → ${secondary})`
      : '';
  return {
    kind: 'fallback',
    clock: 'wall',
    timeMs: entry.savedAt,
    what: `Fallback lab${chain}: ${requests} requests, ${servedByFallback} served by the fallback${share}`,
    why: `${faults}${ledger}`,
    who: 'learner',
    source: 'fallback lab',
  };
}

/**
 * The roll-out decision log (its own simulation: only its wall-clock `at` is comparable). Canary
 * steps are left out (many, and each is in the Roll out screen); a canary's automatic rollback is
 * a `rollback` (it never moved an alias, so the alias history does not show it); promotions and
 * manual rollbacks are notes, because the alias history already has them as deploy / rollback.
 */
export function rolloutEvents(log: {
  modelName: string;
  mode: string;
  events: readonly RolloutEvent[];
}): IncidentEvent[] {
  return log.events
    .filter((e) => e.kind !== 'step')
    .map((e) => ({
      kind: e.kind === 'rollback' ? 'rollback' : 'note',
      clock: 'wall',
      timeMs: e.at,
      what: `Roll-out (${log.mode}, ${log.modelName}): ${e.kind.replace('-', ' ')}`,
      why: e.text,
      who: 'policy',
      source: 'roll-out log',
    }));
}

/** Retrain log entries: on the session's simulated axis when they name it and a sim time. */
export function retrainEvents(
  entries: readonly RetrainLogEntry[],
  sessionId: string,
): IncidentEvent[] {
  return entries.map((e) => {
    const onSession = e.sessionId === sessionId && e.simMs !== undefined;
    const where = e.simMs !== undefined ? ` at simulated ${formatSimTime(e.simMs)}` : '';
    const what = `${e.action ? `Retrain log: ${e.action}` : 'Retrain'}${where}${e.versionId ? ` → ${e.versionId}` : ''}`;
    return {
      kind: e.skipped ? 'note' : 'retrain',
      clock: onSession ? 'sim' : 'wall',
      timeMs: onSession ? (e.simMs as number) : e.at,
      what,
      why: e.text,
      who: e.actor ?? 'policy',
      source: 'retrain log',
    };
  });
}

/** The session's own wall-clock marks: when it started and when it was last saved. */
export function sessionMarks(s: {
  id: string;
  createdAt: number;
  updatedAt: number;
  versionId: string;
  simTimeMs: number;
}): IncidentEvent[] {
  const base = { kind: 'note', clock: 'wall', who: 'learner', source: 'simulation' } as const;
  return [
    { ...base, timeMs: s.createdAt, what: `Simulation ${s.id} started on ${s.versionId}`, why: '' },
    {
      ...base,
      timeMs: s.updatedAt,
      what: `Simulation ${s.id} last saved, at simulated ${formatSimTime(s.simTimeMs)}`,
      why: '',
    },
  ];
}

/** Where a wall-clock event falls against the session's run (createdAt .. updatedAt). */
export function phaseOf(
  e: IncidentEvent,
  s: { createdAt: number; updatedAt: number },
): 'before' | 'during' | 'after' {
  return e.timeMs < s.createdAt ? 'before' : e.timeMs > s.updatedAt ? 'after' : 'during';
}
