/**
 * The lineage graph of the learner's lab, as a tree the `lineage-explorer` widget draws: data set
 * fingerprint -> training runs -> registered versions -> quantized children, with the aliases on
 * each version and the alias moves (who, when, why) that put them there. Pure: built from records
 * the registry and training states already hold.
 */
import type { AliasEvent, ModelVersionRecord, RegisteredModel } from '../storage';
import type { RunListItem } from './run-list';

/** One alias move onto a version. `at` is ms since epoch. */
export interface LineageMove {
  alias: string;
  fromVersion: number | null;
  at: number;
  reason: string;
  actor: AliasEvent['actor'];
}

export interface LineageVersion {
  /** `model@vN`. */
  id: string;
  model: string;
  version: number;
  variant: string;
  /** The version's note (its model card's free text); '' when none. */
  note: string;
  sha256: string;
  sizeBytes: number;
  /** Fraction; undefined when not measured. */
  testAccuracy?: number;
  /** Aliases pointing at this version now. */
  aliases: string[];
  /** Every move of an alias onto this version, oldest first. */
  moves: LineageMove[];
  /** Versions derived from this one (quantized). */
  children: LineageVersion[];
  /** How it entered the registry. */
  source: 'run' | 'import' | 'quantize';
}

export interface LineageRun {
  id: string;
  status: RunListItem['status'];
  /** Training seed (weight init, shuffles) and split seed. */
  seed: number;
  splitSeed: number;
  backend: string;
  hidden: string;
  epochs: number;
  testAccuracy?: number;
  createdAt: number;
  versions: LineageVersion[];
}

export interface LineageDataset {
  datasetId: string;
  /** SHA-256 of the data set and its split (core/fingerprint.ts), 64 hex digits. */
  fingerprint: string;
  runs: LineageRun[];
}

export interface LineageTree {
  datasets: LineageDataset[];
  /** Versions whose run is not in this lab (imported files, or runs deleted since). */
  detached: LineageVersion[];
}

export interface LineageInput {
  models: readonly RegisteredModel[];
  versions: Readonly<Record<string, readonly ModelVersionRecord[]>>;
  history: Readonly<Record<string, readonly AliasEvent[]>>;
  runs: readonly RunListItem[];
}

/** Builds the lineage tree; datasets and runs newest first, versions in registration order. */
export function buildLineage(input: LineageInput): LineageTree {
  const byVersionId = new Map<string, LineageVersion>();
  const records: ModelVersionRecord[] = [];
  for (const m of input.models) {
    const moves = input.history[m.name] ?? [];
    for (const v of input.versions[m.name] ?? []) {
      records.push(v);
      byVersionId.set(v.id, {
        id: v.id,
        model: m.name,
        version: v.version,
        variant: v.variant,
        note: v.note,
        sha256: v.sha256,
        sizeBytes: v.sizeBytes,
        testAccuracy: v.metrics.testAccuracy,
        aliases: Object.keys(m.aliases)
          .filter((a) => m.aliases[a] === v.version)
          .sort(),
        moves: moves
          .filter((e) => e.toVersion === v.version)
          .sort((a, b) => a.seq - b.seq)
          .map((e) => ({
            alias: e.alias,
            fromVersion: e.fromVersion,
            at: e.at,
            reason: e.reason,
            actor: e.actor,
          })),
        children: [],
        source: v.lineage.source,
      });
    }
  }
  const runs = new Map<string, LineageRun>();
  const datasets = new Map<string, LineageDataset>();
  for (const r of [...input.runs].sort((a, b) => b.createdAt - a.createdAt)) {
    const h = r.hyperparameters as { hidden?: unknown; epochs?: unknown };
    const run: LineageRun = {
      id: r.id,
      status: r.status,
      seed: r.seed,
      splitSeed: r.splitSeed,
      backend: r.backend,
      hidden: Array.isArray(h.hidden) ? h.hidden.join(', ') || 'none' : '?',
      epochs: typeof h.epochs === 'number' ? h.epochs : 0,
      testAccuracy: r.metrics?.testAccuracy,
      createdAt: r.createdAt,
      versions: [],
    };
    runs.set(r.id, run);
    const key = `${r.datasetId}:${r.fingerprint}`;
    if (!datasets.has(key))
      datasets.set(key, { datasetId: r.datasetId, fingerprint: r.fingerprint, runs: [] });
    datasets.get(key)!.runs.push(run);
  }
  const detached: LineageVersion[] = [];
  for (const v of records.sort((a, b) => a.createdAt - b.createdAt)) {
    const node = byVersionId.get(v.id)!;
    const parent = v.lineage.parentVersionId && byVersionId.get(v.lineage.parentVersionId);
    const run = v.lineage.runId ? runs.get(v.lineage.runId) : undefined;
    if (parent) parent.children.push(node);
    else if (run) run.versions.push(node);
    else detached.push(node);
  }
  return { datasets: [...datasets.values()], detached };
}

/** The settings a reproduction must reuse, read from a run (null when they are not all there). */
export function reproductionSettings(run: RunListItem): {
  datasetId: string;
  splitSeed: number;
  backend: string;
  hyperparameters: Record<string, unknown>;
} | null {
  const h = run.hyperparameters;
  if (run.status !== 'completed' || typeof h.seed !== 'number' || !Array.isArray(h.hidden))
    return null;
  return {
    datasetId: run.datasetId,
    splitSeed: run.splitSeed,
    backend: run.backend,
    hyperparameters: { ...h },
  };
}
