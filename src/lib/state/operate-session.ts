/**
 * An Operate run as it is saved and read back (storage's SimSessionRecord holds plain JSON): what
 * the screen shows after a reload (windows, alerts, the bounded log, counters) and what a resume
 * needs (the spec and the simulated time). Reading checks the spec with parseOperateSpec and the
 * windows, alerts and log entries for the fields the screen reads; a bad record gives a message,
 * never a half-drawn screen.
 */
import type { AlertEvent, WindowSummary } from '../core/sim-monitor-types';
import type { PredictionRecord } from '../core/prediction-log';
import type { SimSessionRecord } from '../storage/v5-records';
import { parseOperateSpec, type OperateSpec } from './operate-spec';

/** Log entries saved with a session (the newest). */
export const SAVED_LOG_ENTRIES = 200;

/** What the screen shows of a run, live or restored. */
export type OperateSnapshot = {
  simTimeMs: number;
  endMs: number;
  served: number;
  skipped: number;
  windows: readonly WindowSummary[];
  alerts: readonly AlertEvent[];
  /** The newest prediction log entries, oldest first. */
  log: readonly PredictionRecord[];
  ledger: { recorded: number; lost: number; doubled: number };
};

export const EMPTY_SNAPSHOT: OperateSnapshot = Object.freeze({
  simTimeMs: 0,
  endMs: 0,
  served: 0,
  skipped: 0,
  windows: [],
  alerts: [],
  log: [],
  ledger: { recorded: 0, lost: 0, doubled: 0 },
});

/** A saved run read back. */
export type RestoredSession = {
  id: string;
  createdAt: number;
  versionId: string;
  spec: OperateSpec;
  snapshot: OperateSnapshot;
};

const num = (o: Record<string, unknown>, k: string): boolean =>
  typeof o[k] === 'number' && Number.isFinite(o[k]);

/** The record to save. */
export function sessionRecord(
  s: { id: string; createdAt: number; versionId: string; spec: OperateSpec },
  snap: OperateSnapshot,
  now: number,
): SimSessionRecord {
  const json = <T>(v: T): Record<string, unknown> =>
    JSON.parse(JSON.stringify(v)) as Record<string, unknown>; // NaN/Infinity become null
  return {
    id: s.id,
    createdAt: s.createdAt,
    updatedAt: now,
    versionId: s.versionId,
    spec: json(s.spec),
    simTimeMs: snap.simTimeMs,
    requests: snap.served,
    windows: snap.windows.map(json),
    alerts: snap.alerts.map(json),
    log: snap.log.slice(-SAVED_LOG_ENTRIES).map(json),
    ledger: { ...snap.ledger },
  };
}

/**
 * Reads a saved session back.
 * @returns the session, or a message saying what is wrong with it.
 */
export function restoreSession(
  r: SimSessionRecord,
): { ok: true; session: RestoredSession } | { ok: false; error: string } {
  const spec = parseOperateSpec(r.spec);
  if (!spec.ok) return { ok: false, error: `its settings are invalid: ${spec.error}` };
  const bad = (what: string, i: number) => ({
    ok: false as const,
    error: `${what}[${i}] is damaged`,
  });
  for (const [i, w] of r.windows.entries()) {
    if (!['index', 'startMs', 'endMs', 'requests'].every((k) => num(w, k)))
      return bad('windows', i);
    if (!Array.isArray(w.classMix) || typeof w.accuracy !== 'object') return bad('windows', i);
  }
  for (const [i, a] of r.alerts.entries())
    if (!num(a, 'atMs') || typeof a.rule !== 'string' || typeof a.message !== 'string')
      return bad('alerts', i);
  for (const [i, l] of r.log.entries())
    if (!['requestId', 'timeMs', 'predicted', 'confidence'].every((k) => num(l, k)))
      return bad('log', i);
  const s = spec.spec;
  return {
    ok: true,
    session: {
      id: r.id,
      createdAt: r.createdAt,
      versionId: r.versionId,
      spec: s,
      snapshot: {
        simTimeMs: r.simTimeMs,
        endMs: s.durationSeconds * 1000,
        served: r.requests,
        skipped: 0,
        windows: r.windows as unknown as WindowSummary[],
        alerts: r.alerts as unknown as AlertEvent[],
        log: r.log as unknown as PredictionRecord[],
        ledger: { ...r.ledger },
      },
    },
  };
}
