/**
 * What the Registry screen shows, as plain data: where a version came from, its ONNX metadata in
 * words, and two versions side by side. Pure, so it is unit tested without a browser.
 */
import type { OnnxSummary } from '../../../core/onnx/inspect';
import type { AliasEvent, ModelVersionRecord } from '../../../state/registry.svelte';

/** A fraction as a percentage with one decimal, or an en dash when unknown. */
export function formatPercent(fraction: number | undefined): string {
  return fraction === undefined || !Number.isFinite(fraction)
    ? '–'
    : `${(fraction * 100).toFixed(1)}%`;
}

/** The first 10 hex digits of a SHA-256 (the full hash goes in a title). */
export function shortSha(sha: string): string {
  return sha.slice(0, 10);
}

/** The short form of a run id (its random suffix). */
export function shortRunId(id: string): string {
  return /^run-\d+-([0-9a-z]+)$/i.exec(id)?.[1] ?? id;
}

/** Where a version came from, for the Source column. */
export type VersionSource =
  | { kind: 'run'; runId: string; label: string }
  | { kind: 'import'; label: string }
  | { kind: 'quantize'; label: string };

export function versionSource(v: Pick<ModelVersionRecord, 'lineage'>): VersionSource {
  const { lineage } = v;
  if (lineage.source === 'run' && lineage.runId)
    return { kind: 'run', runId: lineage.runId, label: `run ${shortRunId(lineage.runId)}` };
  if (lineage.source === 'quantize') {
    const parent = /@(v\d+)$/.exec(lineage.parentVersionId ?? '')?.[1] ?? lineage.parentVersionId;
    return { kind: 'quantize', label: `quantized from ${parent ?? 'an earlier version'}` };
  }
  return { kind: 'import', label: 'imported' };
}

/** The aliases of a model that point at `version`, sorted. */
export function aliasesOf(aliases: Record<string, number>, version: number): string[] {
  return Object.entries(aliases)
    .filter(([, v]) => v === version)
    .map(([alias]) => alias)
    .sort();
}

/** "v2", or "none" for an alias that was created or removed. */
export function versionText(version: number | null): string {
  return version === null ? 'none' : `v${version}`;
}

/** One alias move as table cells. */
export function historyCells(e: AliasEvent): { from: string; to: string; actor: string } {
  return {
    from: versionText(e.fromVersion),
    to: e.toVersion === null ? 'removed' : `v${e.toVersion}`,
    actor: e.actor === 'learner' ? 'you' : 'policy',
  };
}

/** Readable labels of the metadata keys the app writes. */
const METADATA_LABELS: Record<string, string> = {
  run_id: 'Run id',
  dataset: 'Data set',
  data_fingerprint: 'Data fingerprint',
  split_seed: 'Split seed',
  class_names: 'Class names',
  feature_count: 'Input features',
  preprocessing: 'Preprocessing',
  app_version: 'App version',
  hyperparameters: 'Hyperparameters',
};

/** A JSON value in words: lists joined by commas, objects as "key: value" parts. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(describeValue).join(', ');
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${describeValue(v)}`)
      .join('; ');
  return String(value);
}

/** A metadata value that holds JSON, in words; anything else as written. */
export function describeMetadata(value: string): string {
  const trimmed = value.trim();
  if (!/^[[{]/.test(trimmed)) return value;
  try {
    return describeValue(JSON.parse(trimmed));
  } catch {
    return value;
  }
}

/** `metadata_props` as table rows: the app's keys first, in their order, then any others. */
export function metadataRows(
  metadata: Record<string, string>,
): { key: string; label: string; value: string }[] {
  const known = Object.keys(METADATA_LABELS).filter((k) => k in metadata);
  const others = Object.keys(metadata)
    .filter((k) => !(k in METADATA_LABELS))
    .sort();
  return [...known, ...others].map((key) => ({
    key,
    label: METADATA_LABELS[key] ?? key,
    value: describeMetadata(metadata[key]),
  }));
}

/** A shape as written in ONNX docs: `[batch, 64]`. */
export function shapeText(shape: (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

/** The default-domain opset of a file, or undefined. */
export function defaultOpset(summary: OnnxSummary): number | undefined {
  return summary.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
}

/** One row of the comparison: a property and its value in each version. */
export type CompareRow = { group: string; label: string; a: string; b: string; differs: boolean };

const grouped = (n: number) => n.toLocaleString('en-US');

/** Range of the per-feature minimums and maximums, e.g. "per-feature min 0 to 0, max 0 to 16". */
function rangeText(min: number[], max: number[]): string {
  const lo = (xs: number[]) => Math.min(...xs);
  const hi = (xs: number[]) => Math.max(...xs);
  const r = (x: number) => String(Math.round(x * 1000) / 1000);
  return `per-feature min ${r(lo(min))} to ${r(hi(min))}, max ${r(lo(max))} to ${r(hi(max))}`;
}

/**
 * Two versions side by side: metrics, size, lineage, input schema, and (when the files could be
 * read) the ONNX structure: opset, IR, the node list, and the size of each initializer.
 */
export function compareRows(
  a: ModelVersionRecord,
  b: ModelVersionRecord,
  sa: OnnxSummary | null,
  sb: OnnxSummary | null,
): CompareRow[] {
  const rows: CompareRow[] = [];
  const add = (group: string, label: string, va: string, vb: string) =>
    rows.push({ group, label, a: va, b: vb, differs: va !== vb });
  const hp = (v: ModelVersionRecord) => v.lineage.hyperparameters ?? {};

  add(
    'Metrics',
    'Test accuracy',
    formatPercent(a.metrics.testAccuracy),
    formatPercent(b.metrics.testAccuracy),
  );
  add('File', 'Size', `${grouped(a.sizeBytes)} bytes`, `${grouped(b.sizeBytes)} bytes`);
  add('File', 'Variant', a.variant, b.variant);
  add('File', 'SHA-256', shortSha(a.sha256), shortSha(b.sha256));
  add('Lineage', 'Source', versionSource(a).label, versionSource(b).label);
  add('Lineage', 'Data set', a.lineage.datasetId, b.lineage.datasetId);
  add(
    'Lineage',
    'Data fingerprint',
    shortSha(a.lineage.fingerprint ?? '–'),
    shortSha(b.lineage.fingerprint ?? '–'),
  );
  const keys = [...new Set([...Object.keys(hp(a)), ...Object.keys(hp(b))])];
  for (const key of keys) {
    const text = (v: ModelVersionRecord) => (key in hp(v) ? describeValue(hp(v)[key]) : '–');
    add('Lineage', key, text(a), text(b));
  }
  const s = (v: ModelVersionRecord) => v.inputSchema;
  add('Input schema', 'Features', String(s(a).features), String(s(b).features));
  add('Input schema', 'Classes', s(a).classNames.join(', '), s(b).classNames.join(', '));
  add('Input schema', 'Train ranges', rangeText(s(a).min, s(a).max), rangeText(s(b).min, s(b).max));
  if (!sa || !sb) return rows;
  const opset = (x: OnnxSummary) => String(defaultOpset(x) ?? '–');
  add('ONNX structure', 'Opset', opset(sa), opset(sb));
  add('ONNX structure', 'IR version', String(sa.irVersion), String(sb.irVersion));
  add('ONNX structure', 'Input', ioText(sa.inputs), ioText(sb.inputs));
  add('ONNX structure', 'Output', ioText(sa.outputs), ioText(sb.outputs));
  const ops = (x: OnnxSummary) => x.nodes.map((n) => n.opType).join(' → ');
  add('ONNX structure', `Nodes`, ops(sa), ops(sb));
  const inits = [...new Set([...sa.initializers, ...sb.initializers].map((t) => t.name))];
  for (const name of inits) {
    const text = (x: OnnxSummary) => {
      const t = x.initializers.find((i) => i.name === name);
      return t ? `${shapeText(t.dims)} ${t.dataType}, ${grouped(t.bytes)} bytes` : '–';
    };
    add('ONNX structure', name, text(sa), text(sb));
  }
  return rows;
}

function ioText(values: OnnxSummary['inputs']): string {
  return values.map((v) => `${v.name} ${v.elemType} ${shapeText(v.shape)}`).join(', ');
}
