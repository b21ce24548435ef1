/**
 * The retraining policy as the learner edits it (the panel's form), checked with messages that
 * name the field, and the log of what the policy and the learner did, kept in the settings store.
 *
 * Settings key 'retrainPolicy': a {@link RetrainSettings}.
 * Settings key 'retrainLog': {@link RetrainLogEntry}[], newest first, at most
 * {@link MAX_RETRAIN_LOG} entries (older ones are dropped when a new one is written).
 */
import { DEFAULT_RETRAIN_POLICY, type RetrainPolicy } from '../core/sim-retrain';
import type { AlertRule } from '../core/sim-monitor-types';
import { getSetting, setSetting, type AppDb } from '../storage';

export const POLICY_KEY = 'retrainPolicy';
export const LOG_KEY = 'retrainLog';
/** Entries kept in the log. */
export const MAX_RETRAIN_LOG = 50;

/** Alert rules a retrain may be triggered by (latency and errors are not a data problem). */
export const TRIGGER_RULES: readonly AlertRule[] = [
  'data-drift',
  'prediction-drift',
  'accuracy-drop',
  'cbpe-drop',
];

export type RetrainSettings = {
  /** Automatic retraining: off until the learner turns it on. */
  enabled: boolean;
  triggers: AlertRule[];
  /** Minimum simulated time between two retrains of one session, hours. */
  cooldownHours: number;
  /** Labelled traffic from this many simulated hours before the retrain time is used. */
  lookbackHours: number;
  /** Cap on the production rows added to the training data. */
  maxProductionRows: number;
  /** Requests in the fresh holdout. */
  holdoutSize: number;
};

/** Limits of the form's numbers (the inputs' ranges say the same). */
export const SETTINGS_LIMITS = Object.freeze({
  cooldownHours: { min: 0, max: 720 },
  lookbackHours: { min: 0.25, max: 168 },
  maxProductionRows: { min: 10, max: 20_000 },
  holdoutSize: { min: 50, max: 5_000 },
});

export const DEFAULT_RETRAIN_SETTINGS: Readonly<RetrainSettings> = Object.freeze({
  enabled: false,
  triggers: [...DEFAULT_RETRAIN_POLICY.triggers],
  cooldownHours: DEFAULT_RETRAIN_POLICY.cooldownMs / 3_600_000,
  lookbackHours: 6,
  maxProductionRows: 2_000,
  holdoutSize: 500,
});

/**
 * Checks settings from the form or from storage.
 * @returns the settings (a copy) or the first problem, naming the field.
 */
export function parseRetrainSettings(
  v: unknown,
): { ok: true; settings: RetrainSettings } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (typeof v !== 'object' || v === null) return fail('the policy must be an object');
  const o = v as Record<string, unknown>;
  if (typeof o.enabled !== 'boolean') return fail('"automatic retraining" must be on or off');
  if (!Array.isArray(o.triggers) || o.triggers.some((t) => !TRIGGER_RULES.includes(t)))
    return fail(`triggers must be among ${TRIGGER_RULES.join(', ')}`);
  const words: Record<keyof typeof SETTINGS_LIMITS, string> = {
    cooldownHours: 'Cooldown (simulated hours)',
    lookbackHours: 'Lookback (simulated hours)',
    maxProductionRows: 'Most production rows',
    holdoutSize: 'Holdout size (requests)',
  };
  for (const k of Object.keys(SETTINGS_LIMITS) as (keyof typeof SETTINGS_LIMITS)[]) {
    const { min, max } = SETTINGS_LIMITS[k];
    const n = o[k];
    const whole = k === 'maxProductionRows' || k === 'holdoutSize';
    if (typeof n !== 'number' || !(n >= min && n <= max) || (whole && !Number.isInteger(n)))
      return fail(
        `${words[k]} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${Number.isNaN(n) ? 'nothing' : String(n)}`,
      );
  }
  return {
    ok: true,
    settings: {
      enabled: o.enabled,
      triggers: [...new Set(o.triggers as AlertRule[])],
      cooldownHours: o.cooldownHours as number,
      lookbackHours: o.lookbackHours as number,
      maxProductionRows: o.maxProductionRows as number,
      holdoutSize: o.holdoutSize as number,
    },
  };
}

/** The core policy of the settings. */
export function policyOf(s: RetrainSettings): RetrainPolicy {
  return { enabled: s.enabled, triggers: s.triggers, cooldownMs: s.cooldownHours * 3_600_000 };
}

/** One action of the retraining trigger, as logged. Accuracies are fractions in [0, 1]. */
export type RetrainLogEntry = {
  /** Wall clock, ms since epoch. */
  at: number;
  /** The saved Operate session it acted on, and its simulated time then (ms). */
  sessionId: string;
  simTimeMs: number;
  /** 'policy': the automatic policy; 'learner': "Retrain now". */
  actor: 'policy' | 'learner';
  /**
   * 'retrained': a challenger was registered; 'skipped': the policy said no; 'failed';
   * 'canary': the policy's retrain handed its challenger to a canary (Roll out screen).
   */
  action: 'retrained' | 'skipped' | 'failed' | 'canary';
  /** Why, in words (the policy's decision, or the failure). */
  reason: string;
  runId?: string;
  /** The registered challenger, e.g. 'digits-classifier@v2'. */
  versionId?: string;
  /** The version compared with (the champion, else the served version). */
  championId?: string;
  newAccuracy?: number;
  championAccuracy?: number;
  /** What the new run was trained on, in words. */
  lineage?: string;
};

/** The saved settings, or the defaults when none (or damaged ones) are saved. */
export async function readSettings(db: AppDb): Promise<RetrainSettings> {
  const parsed = parseRetrainSettings(await getSetting<unknown>(db, POLICY_KEY, null));
  return parsed.ok ? parsed.settings : { ...DEFAULT_RETRAIN_SETTINGS };
}

export function saveSettings(db: AppDb, s: RetrainSettings): Promise<void> {
  return setSetting(db, POLICY_KEY, s);
}

const isEntry = (e: unknown): e is RetrainLogEntry =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as RetrainLogEntry).at === 'number' &&
  typeof (e as RetrainLogEntry).reason === 'string' &&
  typeof (e as RetrainLogEntry).sessionId === 'string';

/** The log, newest first (entries that cannot be read are left out). */
export async function readLog(db: AppDb): Promise<RetrainLogEntry[]> {
  const v = await getSetting<unknown>(db, LOG_KEY, []);
  return Array.isArray(v) ? v.filter(isEntry) : [];
}

/** Adds an entry in front, keeping the newest {@link MAX_RETRAIN_LOG}; returns the new log. */
export async function appendLog(db: AppDb, entry: RetrainLogEntry): Promise<RetrainLogEntry[]> {
  const log = [entry, ...(await readLog(db))].slice(0, MAX_RETRAIN_LOG);
  await setSetting(db, LOG_KEY, log);
  return log;
}

/** When the last retrain of a session started (its simulated time), or null. */
export function lastRetrainAt(log: readonly RetrainLogEntry[], sessionId: string): number | null {
  const e = log.find((x) => x.sessionId === sessionId && x.action === 'retrained');
  return e ? e.simTimeMs : null;
}
