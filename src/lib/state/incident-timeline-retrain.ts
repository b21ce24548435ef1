/**
 * Reads the retraining trigger's log (settings key 'retrainLog', written by retrain-settings.ts
 * as `RetrainLogEntry[]`: at, sessionId, simTimeMs, actor, action, reason, runId?, versionId?...).
 * That module was built at the same time as this one, so this reader is an ADAPTER: it accepts
 * that shape and the close variants its brief allowed (a list, or `{ entries }` / `{ log }`;
 * `text` / `message` for the reason; `simMs` / `alertAtMs` for the simulated time), and drops an
 * entry without a wall-clock time or a reason rather than guessing. The tests pin both the
 * writer's own type and the variants.
 */
import { LOG_KEY } from './retrain-settings';

/** The setting that holds the retraining trigger's log. */
export const RETRAIN_LOG_KEY = LOG_KEY;

/** One retrain log entry, normalised. */
export type RetrainLogEntry = {
  /** Wall clock, ms since epoch. */
  at: number;
  /** The reason, in the log's words. */
  text: string;
  /** The decision or action ('retrained', 'skipped (cooldown)', ...) when the log names one. */
  action?: string;
  /** True when the log says nothing was retrained (skipped, cooldown, declined, failed). */
  skipped: boolean;
  sessionId?: string;
  /** Simulated ms in that session (e.g. the alert that triggered it). */
  simMs?: number;
  runId?: string;
  versionId?: string;
  actor?: string;
};

const SKIP = /skip|cooldown|declin|no retrain|not retrain|refus|fail/i;

function pick<T>(o: Record<string, unknown>, keys: readonly string[], is: (v: unknown) => v is T) {
  for (const k of keys) if (is(o[k])) return o[k];
  return undefined;
}
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Normalises one entry; null when it has no wall-clock time or no text. */
export function readRetrainEntry(v: unknown): RetrainLogEntry | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const at = pick(o, ['at', 'atMs', 'time', 'savedAt', 'wallMs'], isNum);
  const text = pick(o, ['reason', 'text', 'message', 'why'], isStr);
  if (at === undefined || text === undefined) return null;
  const action = pick(o, ['action', 'decision', 'kind', 'outcome'], isStr);
  const sessionId = pick(o, ['sessionId', 'session', 'simSessionId'], isStr);
  const simMs = pick(o, ['simMs', 'simTimeMs', 'atSimMs', 'alertAtMs', 'simAtMs'], isNum);
  const runId = pick(o, ['runId', 'run'], isStr);
  const versionId = pick(o, ['versionId', 'registeredVersionId', 'challengerId'], isStr);
  const actor = pick(o, ['actor', 'who'], isStr);
  return {
    at,
    text,
    skipped: SKIP.test(action ?? '') || o.retrained === false,
    ...(action !== undefined && { action }),
    ...(sessionId !== undefined && { sessionId }),
    ...(simMs !== undefined && { simMs }),
    ...(runId !== undefined && { runId }),
    ...(versionId !== undefined && { versionId }),
    ...(actor !== undefined && { actor }),
  };
}

/** The whole setting: entries in time order; anything unreadable is left out. */
export function readRetrainLog(value: unknown): RetrainLogEntry[] {
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? ((value as Record<string, unknown>).entries ?? (value as Record<string, unknown>).log)
      : undefined;
  if (!Array.isArray(list)) return [];
  return list
    .map(readRetrainEntry)
    .filter((e): e is RetrainLogEntry => e !== null)
    .sort((a, b) => a.at - b.at);
}
