/**
 * What an actions-graded drill is graded on, read fresh from storage at the moment of grading:
 * every registry version, the current aliases and their whole history, the saved benchmark runs
 * and the widgets' latest outcomes. A reload or another tab changes nothing: the grade sees what
 * is saved, not what a screen holds.
 */
import type { ActionsSnapshot } from '../lessons/drills-actions-grade';
import { aliasHistory, listBenchmarks, listModels, listVersions, type AppDb } from '../storage';
import { readWidgetOutcomes } from './widget-outcomes';

/** Reads the snapshot (no model bytes are kept: only ids, variants and numbers). */
export async function readActionsSnapshot(db: AppDb): Promise<ActionsSnapshot> {
  const [models, benchmarks, outcomes] = await Promise.all([
    listModels(db),
    listBenchmarks(db),
    readWidgetOutcomes(db),
  ]);
  const perModel = await Promise.all(
    models.map(async (m) => ({
      versions: await listVersions(db, m.name),
      moves: await aliasHistory(db, m.name),
    })),
  );
  return {
    versions: perModel.flatMap((p) =>
      p.versions.map((v) => ({
        id: v.id,
        modelName: v.modelName,
        version: v.version,
        variant: v.variant,
      })),
    ),
    aliases: Object.fromEntries(models.map((m) => [m.name, { ...m.aliases }])),
    aliasMoves: perModel.flatMap((p) =>
      p.moves.map((e) => ({
        modelName: e.modelName,
        alias: e.alias,
        fromVersion: e.fromVersion,
        toVersion: e.toVersion,
        at: e.at,
        reason: e.reason,
        actor: e.actor,
      })),
    ),
    benchmarks: benchmarks.map((b) => ({
      createdAt: b.createdAt,
      cells: b.cells.map((c) => ({
        versionId: c.versionId,
        variant: c.variant,
        runtime: c.runtime,
        actualRuntime: c.actualRuntime,
        batch: c.batch,
        p50: c.p50,
        p99: c.p99,
      })),
    })),
    widgetOutcomes: outcomes,
  };
}
