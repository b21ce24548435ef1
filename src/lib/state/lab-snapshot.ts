import { DEFAULT_ALERT_THRESHOLDS } from '../core/sim-monitor-types';
import type { LabSnapshot } from '../lessons/checks';
import {
  aliasHistory,
  getMeta,
  listBenchmarks,
  listModels,
  listRuns,
  listVersions,
  type AppDb,
} from '../storage';
import { listSimSessions } from '../storage/sim-sessions';
import type { SimSessionRecord } from '../storage/v5-records';
import { parseOperateSpec } from './operate-spec';
import type { Ready } from './app.svelte';
import { summarizeRun } from './run-summary';
import { lastRolloutSummary } from './rollout-saved';
import { readWidgetOutcomes } from './widget-outcomes';

/**
 * Everything lesson checks may see, read fresh from storage at the moment of the check, so a
 * check grades what is saved (and survives a reload), not what a screen happens to hold.
 */
export async function buildLabSnapshot(ready: Ready): Promise<LabSnapshot> {
  const [runs, models, lastServed, benchmarks, outcomes, sims, lastRollout] = await Promise.all([
    listRuns(ready.db),
    registrySummary(ready.db),
    getMeta(ready.db, 'lastServed'),
    listBenchmarks(ready.db),
    readWidgetOutcomes(ready.db),
    listSimSessions(ready.db),
    lastRolloutSummary(ready.db),
  ]);
  return {
    ...ready.progress.snapshot(),
    storagePersistAnswer: ready.storage.persist,
    runs: runs.map((r) => ({
      ...summarizeRun(r),
      fingerprint: r.fingerprint,
      seed: r.seed,
      splitSeed: r.splitSeed,
    })),
    models,
    lastServed: lastServed ?? null,
    benchmarks: benchmarks.slice(0, 5).map((b) => ({
      cells: b.cells.map((c) => ({
        versionId: c.versionId,
        runtime: c.runtime,
        batch: c.batch,
        p99: c.p99,
        throughputPerSec: c.throughputPerSec,
      })),
    })),
    widgetOutcomes: Object.fromEntries(
      Object.entries(outcomes).map(([name, entry]) => [name, entry.values]),
    ),
    simSessions: sims.sessions.slice(0, 10).flatMap(simSummary),
    lastRollout,
  };
}

/**
 * What the drift checks see of one saved Operate run; [] when its spec no longer parses (the
 * Operate screen names such a run; a check just leaves it out).
 */
export function simSummary(r: SimSessionRecord): NonNullable<LabSnapshot['simSessions']> {
  const parsed = parseOperateSpec(r.spec);
  if (!parsed.ok) return [];
  const { spec } = parsed;
  const alerts = r.alerts.flatMap((a) =>
    typeof a.rule === 'string' && typeof a.state === 'string' && Number.isFinite(a.atMs)
      ? [{ rule: a.rule, state: a.state, timeMs: a.atMs as number }]
      : [],
  );
  return [
    {
      spec: {
        dataset: spec.dataset,
        seed: spec.seed,
        requestsPerSecond: spec.requestsPerSecond,
        windowMinutes: spec.windowMinutes,
        driftShare: spec.thresholds?.driftShare ?? DEFAULT_ALERT_THRESHOLDS.driftShare,
        scenarios: spec.scenarios.map((c) => ({ kind: c.kind, startMs: c.startMs })),
      },
      windows: r.windows.length,
      alerts,
      ledger: { lost: r.ledger.lost, doubled: r.ledger.doubled },
    },
  ];
}

async function registrySummary(db: AppDb): Promise<LabSnapshot['models']> {
  const models = await listModels(db);
  return Promise.all(
    models.map(async (m) => ({
      name: m.name,
      aliases: { ...m.aliases },
      versions: (await listVersions(db, m.name)).map((v) => ({
        version: v.version,
        variant: v.variant,
        sizeBytes: v.sizeBytes,
        testAccuracy: v.metrics.testAccuracy,
        ...(parentNumber(v.lineage.parentVersionId, m.name) !== undefined && {
          parentVersion: parentNumber(v.lineage.parentVersionId, m.name),
        }),
        ...(v.lineage.runId !== undefined && { runId: v.lineage.runId }),
        ...(v.lineage.fingerprint !== undefined && { fingerprint: v.lineage.fingerprint }),
        note: v.note,
      })),
      aliasMoves: (await aliasHistory(db, m.name)).map((e) => ({
        alias: e.alias,
        toVersion: e.toVersion,
        reason: e.reason,
        actor: e.actor,
      })),
    })),
  );
}

/** 'digits-classifier@v1' → 1 for model 'digits-classifier'; undefined when absent or another model's. */
export function parentNumber(id: string | undefined, model: string): number | undefined {
  if (id === undefined || !id.startsWith(`${model}@v`)) return undefined;
  const n = Number(id.slice(model.length + 2));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
