/**
 * The small seeded churn problem behind the training/serving skew lesson. Each customer has raw
 * facts (seven days of spend, session length, days since the last login (sometimes missing),
 * support tickets before and after the prediction time) and a churn label. Two pipelines turn
 * the facts into the model's four features: the offline (training) pipeline and the online
 * (serving) one. In each case exactly one feature is computed differently by one of them.
 */
import { createRng, type Rng } from './rng';

/** The model's features, in column order. */
export const SKEW_FEATURES = [
  { id: 'spend_7d_avg', label: 'Average daily spend, last 7 days', unit: 'USD' },
  { id: 'session_minutes', label: 'Average session length', unit: 'minutes' },
  { id: 'days_since_login', label: 'Days since last login', unit: 'days' },
  { id: 'tickets_30d', label: 'Support tickets, last 30 days', unit: 'tickets' },
] as const;

export type SkewFeatureId = (typeof SKEW_FEATURES)[number]['id'];

/**
 * How one pipeline goes wrong, one per case: the online service averages 1 day instead of 7
 * (`window`), reports hours instead of days (`unit`), fills a missing session length with 0
 * instead of the training mean (`missing`); or the training join counts tickets filed after the
 * prediction time (`leak`, a point-in-time error on the offline side).
 */
export const SKEW_CASES = [
  { id: 'window', feature: 'spend_7d_avg' },
  { id: 'unit', feature: 'days_since_login' },
  { id: 'missing', feature: 'session_minutes' },
  { id: 'leak', feature: 'tickets_30d' },
] as const satisfies readonly { id: string; feature: SkewFeatureId }[];

export type SkewCaseId = (typeof SKEW_CASES)[number]['id'];

/** Raw facts of n customers, column arrays. */
export interface Customers {
  n: number;
  /** Spend per day, USD, row-major [n, 7]; day 7 is the most recent. */
  dailySpend: Float64Array;
  /** Average session length, minutes; NaN when the app did not record it. */
  minutes: Float64Array;
  /** Days since the last login. */
  daysSinceLogin: Float64Array;
  /** Tickets in the 30 days before the prediction time. */
  ticketsBefore: Int32Array;
  /** Tickets after the prediction time, up to the label date (known only in hindsight). */
  ticketsAfter: Int32Array;
  /** 1 = churned. */
  churned: Int32Array;
}

/** Share of customers whose session length was not recorded. */
export const MISSING_SESSION_RATE = 0.25;

function poisson(rng: Rng, mean: number): number {
  // Knuth's method: fine for the small means used here.
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k += 1;
  return k;
}

/** Draws `n` customers from the seeded generative model (churn driven by low spend, short sessions, long absences). */
export function drawCustomers(n: number, seed: number): Customers {
  const rng = createRng(seed);
  const c: Customers = {
    n,
    dailySpend: new Float64Array(n * 7),
    minutes: new Float64Array(n),
    daysSinceLogin: new Float64Array(n),
    ticketsBefore: new Int32Array(n),
    ticketsAfter: new Int32Array(n),
    churned: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const spendLevel = rng.normal();
    for (let d = 0; d < 7; d++)
      c.dailySpend[i * 7 + d] = Math.exp(3 + 0.5 * spendLevel + 0.6 * rng.normal());
    const sessionLevel = rng.normal();
    const minutes = Math.exp(3 + 0.5 * sessionLevel);
    const days = -Math.log(1 - rng.next()) * 8;
    const risk =
      -1.0 * spendLevel -
      0.8 * sessionLevel +
      (1.2 * (Math.min(days, 30) - 8)) / 8 +
      0.4 * rng.normal();
    c.churned[i] = rng.next() < 1 / (1 + Math.exp(-(1.6 * risk - 1))) ? 1 : 0;
    c.minutes[i] = rng.next() < MISSING_SESSION_RATE ? NaN : minutes;
    c.daysSinceLogin[i] = days;
    c.ticketsBefore[i] = poisson(rng, Math.exp(-0.7 + 0.3 * Math.max(-3, Math.min(3, risk))));
    // Churners complain on their way out: tickets after the prediction time follow the label.
    c.ticketsAfter[i] = poisson(rng, 0.2 + 2 * c.churned[i]);
  }
  return c;
}

/** How each feature is computed by one pipeline. */
export interface FeatureDefinition {
  /** Days of spend averaged (7 is the definition; 1 is the online bug). */
  spendWindowDays: number;
  /** Unit of days since login: days as defined, or hours (the online bug). */
  loginUnit: 'days' | 'hours';
  /** Value given to a missing session length: the training mean, or 0. */
  missingSession: 'training-mean' | 'zero';
  /** Count tickets after the prediction time too (a point-in-time error). */
  ticketsIncludeFuture: boolean;
}

/** The definition both pipelines should share. */
export const CORRECT_DEFINITION: FeatureDefinition = {
  spendWindowDays: 7,
  loginUnit: 'days',
  missingSession: 'training-mean',
  ticketsIncludeFuture: false,
};

/** The offline and online definitions of a case, before any fix. */
export function caseDefinitions(caseId: SkewCaseId): {
  offline: FeatureDefinition;
  online: FeatureDefinition;
} {
  const offline = { ...CORRECT_DEFINITION };
  const online = { ...CORRECT_DEFINITION };
  if (caseId === 'window') online.spendWindowDays = 1;
  if (caseId === 'unit') online.loginUnit = 'hours';
  if (caseId === 'missing') online.missingSession = 'zero';
  if (caseId === 'leak') offline.ticketsIncludeFuture = true;
  return { offline, online };
}

/**
 * Computes the feature matrix, row-major [n, 4] in SKEW_FEATURES order.
 * @param sessionMean the training rows' mean of recorded session lengths, used to fill gaps.
 */
export function computeFeatures(
  c: Customers,
  def: FeatureDefinition,
  sessionMean: number,
): Float64Array {
  const x = new Float64Array(c.n * 4);
  const w = def.spendWindowDays;
  for (let i = 0; i < c.n; i++) {
    let spend = 0;
    for (let d = 7 - w; d < 7; d++) spend += c.dailySpend[i * 7 + d];
    x[i * 4] = spend / w;
    const minutes = c.minutes[i];
    x[i * 4 + 1] = Number.isNaN(minutes)
      ? def.missingSession === 'zero'
        ? 0
        : sessionMean
      : minutes;
    x[i * 4 + 2] = c.daysSinceLogin[i] * (def.loginUnit === 'hours' ? 24 : 1);
    x[i * 4 + 3] = c.ticketsBefore[i] + (def.ticketsIncludeFuture ? c.ticketsAfter[i] : 0);
  }
  return x;
}

/** Mean of the recorded (non-missing) session lengths, minutes. */
export function recordedSessionMean(c: Customers): number {
  let sum = 0;
  let k = 0;
  for (const v of c.minutes)
    if (!Number.isNaN(v)) {
      sum += v;
      k += 1;
    }
  return k ? sum / k : 0;
}
