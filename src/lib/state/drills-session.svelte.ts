/**
 * One drill page: its attempts (newest first), the open attempt, and the clock. Every change to
 * the open attempt is saved at once (text as it is typed), so a reload never loses an answer.
 * The clock runs on wall time from `startedAt` and does not pause: an interview does not either.
 */
import type { ActionsGrade, ActionsResponse } from '../lessons/drills-actions-grade';
import { gradeFindings, type Findings, type IncidentGrade } from '../lessons/drills-grade';
import type { Drill } from '../lessons/drills-types';
import {
  listDrillAttempts,
  saveDrillAttempt,
  type AppDb,
  type DrillAttemptRecord,
} from '../storage';
import { listSimSessions } from '../storage/sim-sessions';
import { scoredAttempt } from './drills-actions-form';
import { readActionsSnapshot } from './drills-actions-snapshot';
import { openAttempt } from './drills-history';
import { drillSimReachedMs, requiredSimMs } from './drills-sim';

/** Answer keys of the findings form, beside the canvas boxes' ids. */
export const FINDING_KEYS = {
  features: 'finding:features',
  kind: 'finding:kind',
  onset: 'finding:onset',
  action: 'finding:action',
} as const;

export class DrillSession {
  readonly drill: Drill;
  readonly #db: AppDb;
  readonly #report: (err: unknown) => void;
  #attempts = $state.raw<DrillAttemptRecord[]>([]);
  #loaded = $state(false);
  #now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | null = null;
  #writes: Promise<void> = Promise.resolve();
  #simReachedMs = $state<number | null>(null);

  constructor(db: AppDb, drill: Drill, report: (err: unknown) => void) {
    this.#db = db;
    this.drill = drill;
    this.#report = report;
  }

  /** Attempts at this drill, newest first. */
  get attempts(): DrillAttemptRecord[] {
    return this.#attempts;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  /** The attempt not yet scored (in progress or awaiting its score), if any. */
  get current(): DrillAttemptRecord | null {
    return openAttempt(this.#attempts);
  }

  /** Wall time, ms since the epoch, ticking once a second while the page is open. */
  get now(): number {
    return this.#now;
  }

  /**
   * Incident drills: the furthest simulated time a saved Operate run of this drill's simulation
   * reached (null: never run). Refreshed by `refreshSimulation`.
   */
  get simReachedMs(): number | null {
    return this.#simReachedMs;
  }

  /** Re-reads the saved Operate sessions (the simulation runs in another tab). */
  async refreshSimulation(): Promise<number | null> {
    if (this.drill.kind !== 'incident' || this.drill.grading !== 'findings') return null;
    const { sessions } = await listSimSessions(this.#db);
    this.#simReachedMs = drillSimReachedMs(this.drill, sessions);
    return this.#simReachedMs;
  }

  async load(): Promise<void> {
    this.#attempts = await listDrillAttempts(this.#db, this.drill.meta.id);
    this.#loaded = true;
  }

  /** Starts the clock's ticking (call on mount); returns the function that stops it. */
  tick(): () => void {
    this.#timer ??= setInterval(() => (this.#now = Date.now()), 1000);
    return () => {
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
    };
  }

  /** Starts a new attempt with an empty canvas. */
  start(): void {
    const now = Date.now();
    this.#now = now;
    this.#put({
      id: `attempt-${now}-${crypto.randomUUID().slice(0, 8)}`,
      drillId: this.drill.meta.id,
      kind: this.drill.kind,
      startedAt: now,
      timeLimitMs: this.drill.meta.minutes * 60_000,
      answers: {},
      rubricScores: {},
      maxScore: this.drill.maxScore,
      modelAnswerRevealed: false,
    });
  }

  /** Saves one box of the canvas (or one finding) as typed. Ignored once submitted. */
  setAnswer(key: string, text: string): void {
    const a = this.current;
    if (!a || a.finishedAt !== undefined) return;
    this.#put({ ...a, answers: { ...a.answers, [key]: text } });
  }

  /** Shows the model answer before scoring; the attempt records it, and it cannot be undone. */
  revealModelAnswer(): void {
    const a = this.current;
    if (a && !a.modelAnswerRevealed) this.#put({ ...a, modelAnswerRevealed: true });
  }

  /** Design drills: stops the clock; the learner then scores the canvas against the rubric. */
  submit(): void {
    const a = this.current;
    if (!a || a.finishedAt !== undefined) return;
    this.#put({ ...a, finishedAt: Date.now() });
  }

  /**
   * Design drills: records the self-score, points per rubric item (clamped to each item's
   * points), and closes the attempt.
   */
  score(points: Record<string, number>): void {
    const a = this.current;
    if (!a || a.finishedAt === undefined) return;
    const rubricScores: Record<string, number> = {};
    for (const r of this.drill.rubric)
      rubricScores[r.id] = Math.min(r.points, Math.max(0, Math.round(points[r.id] ?? 0)));
    const score = Object.values(rubricScores).reduce((s, p) => s + p, 0);
    this.#put({ ...a, rubricScores, score });
  }

  /**
   * Incident drills: grades the findings, stops the clock and closes the attempt. Refused (with
   * the reason, nothing saved) until a saved run of the drill's simulation went one window past
   * the onset, so that findings come from the simulator, not from guessing.
   */
  async submitFindings(
    findings: Findings,
  ): Promise<{ ok: true; grade: IncidentGrade } | { ok: false; error: string }> {
    const a = this.current;
    if (!a || this.drill.kind !== 'incident' || this.drill.grading !== 'findings')
      return { ok: false, error: 'No attempt is open.' };
    const reached = await this.refreshSimulation();
    if (reached === null || reached < requiredSimMs(this.drill))
      return {
        ok: false,
        error:
          reached === null
            ? 'Run the simulation first (Open the simulation): the grade checks that your findings come from it.'
            : 'Run the simulation further (to its end is best): it has not yet shown enough to judge your findings.',
      };
    const grade = gradeFindings(this.drill, findings);
    this.#put({
      ...a,
      finishedAt: a.finishedAt ?? Date.now(),
      rubricScores: grade.scores,
      score: grade.score,
    });
    return { ok: true, grade };
  }

  /**
   * Actions-graded drills: grades what the learner saved since the attempt started (read fresh
   * from storage) and the findings form, saves each item's message with the attempt (so the
   * result reads the same later, whatever changes afterwards), and closes it.
   */
  async submitActions(
    response: ActionsResponse,
  ): Promise<{ ok: true; grade: ActionsGrade } | { ok: false; error: string }> {
    const drill = this.drill;
    if (!this.current || drill.kind !== 'incident' || drill.grading !== 'actions')
      return { ok: false, error: 'No attempt is open.' };
    const snapshot = await readActionsSnapshot(this.#db);
    const a = this.current; // re-read: the learner may have typed while storage was read
    if (!a) return { ok: false, error: 'No attempt is open.' };
    const { grade, record } = scoredAttempt(drill, snapshot, a, response, Date.now());
    this.#put(record);
    return { ok: true, grade };
  }

  /** Replaces the attempt in the list at once and queues its write (writes stay in order). */
  #put(record: DrillAttemptRecord): void {
    const rest = this.#attempts.filter((x) => x.id !== record.id);
    this.#attempts = [record, ...rest].sort((x, y) => y.startedAt - x.startedAt);
    this.#writes = this.#writes.then(() => saveDrillAttempt(this.#db, record)).catch(this.#report);
  }

  /** Resolves when every queued write has finished (tests and page unload). */
  flush(): Promise<void> {
    return this.#writes;
  }
}
