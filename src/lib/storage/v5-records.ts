/**
 * The shapes of the stores schema v5 added: simulator sessions (the Operate lab), interview-drill
 * attempts, imported lesson packs and a class's imported progress reports. Like records.ts, these
 * describe the CURRENT schema; migrations never import them. Times are ms since the epoch unless
 * a field says otherwise. Nested simulator data is plain JSON that the state layer validates when
 * it reads it back, so that storage stays free of the simulator's types.
 */

/** A plain JSON object, as the state layer wrote it. */
export type JsonObject = Record<string, unknown>;

/** One Operate simulation: its spec and what it produced so far (bounded). */
export interface SimSessionRecord {
  /** E.g. 'sim-1764060000000-a1b2'. */
  id: string;
  createdAt: number;
  updatedAt: number;
  /** The registry version that served the simulated traffic (e.g. 'digits-classifier@v1'). */
  versionId: string;
  /** The OperateSpec (state/operate-spec.ts) that drives the run. */
  spec: JsonObject;
  /** Simulated clock reached, ms since the start of the simulation. */
  simTimeMs: number;
  /** Requests handled so far. */
  requests: number;
  /** Closed monitoring windows, oldest first. */
  windows: JsonObject[];
  /** The alert timeline, in time order. */
  alerts: JsonObject[];
  /** The newest entries of the bounded prediction log, oldest first. */
  log: JsonObject[];
  /** The ledger's verdict: requests recorded, and ids missing or answered twice. */
  ledger: { recorded: number; lost: number; doubled: number };
}

/** One timed attempt at an interview drill. */
export interface DrillAttemptRecord {
  /** E.g. 'attempt-1764060000000-a1b2'. */
  id: string;
  drillId: string;
  kind: 'design' | 'incident';
  startedAt: number;
  /** Absent while the attempt is in progress. */
  finishedAt?: number;
  /** The time the drill allows, ms. */
  timeLimitMs: number;
  /** The learner's text per canvas section (design) or finding (incident). */
  answers: Record<string, string>;
  /** Points per rubric item: self-scored (design) or graded by the app (incident). */
  rubricScores: Record<string, number>;
  /** Sum of `rubricScores`; absent until the attempt is scored. */
  score?: number;
  maxScore: number;
  /** The model answer was shown before the attempt was scored (recorded, never hidden). */
  modelAnswerRevealed: boolean;
}

/** An instructor's lesson pack, imported and validated; markdown is sanitized when rendered. */
export interface LessonPackRecord {
  /** The pack's own id (from its file). */
  id: string;
  title: string;
  author: string;
  importedAt: number;
  /** sha256 of the imported file, hex. */
  checksum: string;
  /** Each lesson's markdown source, as in lessons/NN-slug.md. */
  lessons: { fileName: string; source: string }[];
  /**
   * Each lesson's id, title, minutes and level, in pack order, taken from its validated
   * frontmatter at import: the lesson list shows them without loading the lesson parser.
   */
  index?: { id: string; title: string; minutes: number; level: string }[];
}

/** One learner's progress report, imported by an instructor into the class table. */
export interface ClassReportRecord {
  /** Stable per learner and file: e.g. the file's checksum. */
  id: string;
  learnerName: string;
  /** When the learner signed the report off. */
  signedAt: number;
  importedAt: number;
  /** sha256 of the report's content, hex, as checked on import. */
  checksum: string;
  /** Per exercise: outcome and honesty counters. */
  exercises: {
    lessonId: string;
    exerciseId: string;
    status: string;
    attempts: number;
    hintsUsed: number;
    solutionRevealed: boolean;
  }[];
}
