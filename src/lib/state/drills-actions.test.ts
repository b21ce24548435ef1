import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchCell, benchRecord } from '../../../tests/fixtures/storage/benchmark';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { newVersion, onnxBytes } from '../../../tests/fixtures/storage/registry';
import { parseDrill } from '../lessons/drills-parse';
import type { ActionsDrill } from '../lessons/drills-types';
import {
  listDrillAttempts,
  listModels,
  listVersions,
  registerVersion,
  saveBenchmark,
  saveDrillAttempt,
  setAlias,
  type AppDb,
  type DrillAttemptRecord,
} from '../storage';
import {
  ACTION_KEYS,
  readActionsForm,
  savedActionsGrade,
  scoredAttempt,
} from './drills-actions-form';
import { findFp32Champion, teammateReason } from './drills-actions-setup';
import { readActionsSnapshot } from './drills-actions-snapshot';

const FILE = 'lessons/drills/11-p99-doubled-int8-canary.md';
const drill = parseDrill(FILE, readFileSync(FILE, 'utf8')) as ActionsDrill;
const MODEL = 'digits-classifier';

/** v1 fp32 as champion, then v2 int8-weight quantized from it, promoted by the "teammate". */
async function incidentDb(): Promise<AppDb> {
  const db = await openTestDb();
  await registerVersion(db, newVersion({ metrics: { testAccuracy: 0.972 } }));
  await registerVersion(
    db,
    newVersion({
      bytes: onnxBytes(2, 20),
      variant: 'int8-weight',
      lineage: { source: 'quantize', parentVersionId: `${MODEL}@v1`, datasetId: 'digits' },
    }),
  );
  // Both moves happen before the attempt starts (a minute ago).
  const before = () => Date.now() - 60_000;
  const move = (version: number, reason: string, actor: 'learner' | 'policy') =>
    setAlias(db, { modelName: MODEL, alias: 'champion', version, reason, actor }, before);
  await move(1, 'first champion', 'learner');
  await move(2, 'Teammate: canary promoted', 'policy');
  return db;
}

describe('an actions drill graded from storage', () => {
  /** An open attempt that started at `startedAt` (ms since epoch). */
  const open = (startedAt: number, answers: Record<string, string> = {}): DrillAttemptRecord => ({
    id: `attempt-${startedAt}`,
    drillId: drill.meta.id,
    kind: 'incident',
    startedAt,
    timeLimitMs: drill.meta.minutes * 60_000,
    answers,
    rubricScores: {},
    maxScore: drill.maxScore,
    modelAnswerRevealed: false,
  });

  /** Reads the snapshot fresh, grades, saves, and reads the attempt back as the history does. */
  async function submit(db: AppDb, attempt: DrillAttemptRecord) {
    const read = readActionsForm(drill, attempt.answers);
    if (!read.ok) throw new Error('the form should read');
    const snapshot = await readActionsSnapshot(db);
    const { grade, record } = scoredAttempt(drill, snapshot, attempt, read.response, Date.now());
    await saveDrillAttempt(db, record);
    const [saved] = await listDrillAttempts(db, drill.meta.id);
    return { grade, saved, items: savedActionsGrade(drill, saved) };
  }

  it('grades a right attempt 10/10 and saves the messages with the attempt', async () => {
    const db = await incidentDb();
    const startedAt = Date.now();
    await saveBenchmark(db, {
      ...benchRecord('bench-after', startedAt + 1),
      cells: [
        benchCell({ p50: 0.0121, p99: 0.138 }),
        benchCell({ versionId: `${MODEL}@v2`, variant: 'int8-weight', p50: 0.0263, p99: 0.368 }),
      ],
    });
    await setAlias(db, {
      modelName: MODEL,
      alias: 'champion',
      version: 1,
      reason: 'p99 doubled after the int8 canary',
      actor: 'learner',
    });
    const { grade, saved, items } = await submit(
      db,
      open(startedAt, { [ACTION_KEYS.choice]: 'dequantize-per-call' }),
    );
    expect(grade.score).toBe(10);
    expect([saved.score, saved.maxScore]).toEqual([10, 10]);
    expect(saved.finishedAt).toBeGreaterThanOrEqual(startedAt);
    expect(saved.rubricScores).toEqual({ measure: 3, 'roll-back': 4, cause: 3 });
    expect(items.map((i) => [i.title, i.points, i.max, i.correct])).toEqual([
      ['Measure', 3, 3, true],
      ['Roll back', 4, 4, true],
      ['Cause', 3, 3, true],
    ]);
    expect(items[0].message).toMatch(/int8-weight p50 is 2\.2x the fp32 p50/);
    expect(items[1].message).toMatch(/reason: "p99 doubled after the int8 canary"/);
  });

  it('a wrong attempt (no rollback, benchmark before the start) scores 3 with the reasons', async () => {
    const db = await incidentDb();
    const startedAt = Date.now();
    await saveBenchmark(db, benchRecord('bench-before', startedAt - 60_000));
    const { saved, items } = await submit(
      db,
      open(startedAt, { [ACTION_KEYS.choice]: 'dequantize-per-call' }),
    );
    expect(saved.score).toBe(3);
    const [measure, rollBack] = items;
    expect(measure.message).toMatch(/^No benchmark was saved since this attempt started/);
    expect(rollBack.message).toMatch(
      /^You did not move champion since this attempt started; it points at digits-classifier v2 \(int8-weight\)/,
    );
  });

  it('reads a fresh snapshot: versions, aliases, the whole history', async () => {
    const db = await incidentDb();
    const s = await readActionsSnapshot(db);
    expect(s.versions.map((v) => `${v.id} ${v.variant}`)).toEqual([
      'digits-classifier@v1 fp32',
      'digits-classifier@v2 int8-weight',
    ]);
    expect(s.aliases).toEqual({ [MODEL]: { champion: 2 } });
    expect(s.aliasMoves.map((m) => [m.fromVersion, m.toVersion, m.actor])).toEqual([
      [1, 2, 'policy'],
      [null, 1, 'learner'],
    ]);
  });
});

describe('the findings form', () => {
  it('needs one answer chosen, and says so', () => {
    expect(readActionsForm(drill, {})).toEqual({
      ok: false,
      errors: { choice: 'Choose one answer.' },
    });
    expect(readActionsForm(drill, { [ACTION_KEYS.choice]: 'no-such-answer' }).ok).toBe(false);
    expect(
      readActionsForm(drill, { [ACTION_KEYS.choice]: 'cold-start', [ACTION_KEYS.text]: ' p99 ' }),
    ).toEqual({ ok: true, response: { choice: 'cold-start', text: 'p99' } });
  });
});

describe('setting up the int8 canary', () => {
  it('finds the fp32 champion, or says why not and how to make one', async () => {
    const empty = await openTestDb();
    const none = findFp32Champion(await listModels(empty), () => []);
    expect(none).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^There is no fp32 champion yet\. Train a digits model on the Train screen, register the run on the Registry screen, then press "Make champion"/,
      ),
    });
    const db = await incidentDb();
    const models = await listModels(db);
    const versions = await listVersions(db, MODEL);
    expect(findFp32Champion(models, () => versions)).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^The champion is already digits-classifier v2 \(int8-weight\)/,
      ),
    });
    const back = models.map((m) => ({ ...m, aliases: { champion: 1 } }));
    const found = findFp32Champion(back, () => versions);
    expect(found.ok && found.champion.id).toBe(`${MODEL}@v1`);
  });

  it('writes the teammate reason from the saved figures', () => {
    const reason = teammateReason(
      { version: 1, sizeBytes: 21_755, metrics: { testAccuracy: 0.972 } },
      { version: 2, sizeBytes: 8_384, metrics: { testAccuracy: 0.9715 } },
    );
    expect(reason).toBe(
      'Teammate: canary promoted. int8 weight-only v2 is 2.6x smaller on disk than v1, test accuracy 97.2% (v1: 97.2%)',
    );
  });
});
