/** The registry record of a quantized version: same model, lineage to its parent, its metrics. */
import type { ModelVersionRecord, NewModelVersion } from '../storage';
import type { PreviewFigures } from './quantize-preview';
import { describeSettings, type QuantizeSettings } from './quantize-settings';

/** The parent fields a quantized version inherits. */
export type ParentFacts = Pick<
  ModelVersionRecord,
  'id' | 'modelName' | 'version' | 'lineage' | 'inputSchema'
>;

/** The default note of a quantized version, e.g. "int8 weight, per-channel, from v1". */
export function defaultNote(
  s: QuantizeSettings,
  parent: Pick<ModelVersionRecord, 'version'>,
): string {
  return `${describeSettings(s)}, from v${parent.version}`;
}

/** The new registry version: same model, `variant` = mode, lineage to the parent, the metrics. */
export function quantizedVersion(
  parent: ParentFacts,
  candidate: { bytes: Uint8Array; settings: QuantizeSettings; figures: PreviewFigures },
  note: string,
): NewModelVersion {
  const { lineage } = parent;
  const { figures, settings } = candidate;
  const maxAbs = figures.agreement.maxAbsDiff;
  return {
    modelName: parent.modelName,
    bytes: candidate.bytes,
    variant: settings.mode,
    lineage: {
      source: 'quantize',
      parentVersionId: parent.id,
      datasetId: lineage.datasetId,
      ...(lineage.fingerprint !== undefined && { fingerprint: lineage.fingerprint }),
      ...(lineage.hyperparameters !== undefined && { hyperparameters: lineage.hyperparameters }),
    },
    metrics: {
      testAccuracy: figures.accuracy,
      agreementWithParent: figures.agreement.top1Agreement,
      ...(Number.isFinite(maxAbs) && { maxAbsDiffWithParent: maxAbs }),
    },
    inputSchema: parent.inputSchema,
    note: note.trim() === '' ? defaultNote(settings, parent) : note,
  };
}
