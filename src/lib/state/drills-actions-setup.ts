/**
 * "Set up this incident" for the int8-canary drill, made honestly from the learner's own
 * registry: the fp32 champion is quantized int8 weight-only per-channel by the Quantize panel's
 * own state (a real ONNX file, measured in ONNX Runtime Web on the test split), registered with
 * lineage to its parent, and `champion` is pointed at it with the reason a teammate would give.
 * The storage layer knows two actors, 'learner' and 'policy': the teammate's move is logged as
 * 'policy' (not the learner), with "teammate" in its reason.
 */
import { setAlias, type AppDb, type ModelVersionRecord, type RegisteredModel } from '../storage';
import { QuantizeState } from './quantize.svelte';
import type { RegistryState } from './registry.svelte';

const pct = (f: number | undefined) => (f === undefined ? '–' : `${(f * 100).toFixed(1)}%`);

/** The reason logged with the teammate's alias move, from the two versions' saved figures. */
export function teammateReason(
  parent: Pick<ModelVersionRecord, 'version' | 'sizeBytes' | 'metrics'>,
  int8: Pick<ModelVersionRecord, 'version' | 'sizeBytes' | 'metrics'>,
): string {
  const ratio = (parent.sizeBytes / int8.sizeBytes).toFixed(1);
  return (
    `Teammate: canary promoted. int8 weight-only v${int8.version} is ${ratio}x smaller on disk ` +
    `than v${parent.version}, test accuracy ${pct(int8.metrics.testAccuracy)} ` +
    `(v${parent.version}: ${pct(parent.metrics.testAccuracy)})`
  );
}

export type SetupResult = { ok: boolean; message: string };

const MAKE_ONE =
  'Train a digits model on the Train screen, register the run on the Registry screen, then ' +
  'press "Make champion" on that version and confirm. Then come back and set up the incident.';

/**
 * The fp32 version `champion` points at (the newest such version when several models have one),
 * or the sentence that says why there is none and how to make one.
 */
export function findFp32Champion(
  models: readonly RegisteredModel[],
  versionsOf: (model: string) => readonly ModelVersionRecord[],
): { ok: true; champion: ModelVersionRecord } | { ok: false; message: string } {
  const champions = models.flatMap((m) => {
    const v = Object.hasOwn(m.aliases, 'champion') ? m.aliases.champion : null;
    const record = versionsOf(m.name).find((x) => x.version === v);
    return record ? [record] : [];
  });
  const fp32 = champions.filter((c) => c.variant === 'fp32');
  if (fp32.length > 0)
    return { ok: true, champion: fp32.reduce((a, b) => (b.createdAt > a.createdAt ? b : a)) };
  const int8 = champions.find((c) => c.variant === 'int8-weight');
  if (int8)
    return {
      ok: false,
      message:
        `The champion is already ${int8.modelName} v${int8.version} (int8-weight): the incident ` +
        'is set up. Investigate and act; to set it up again, roll champion back first.',
    };
  if (champions.length > 0)
    return {
      ok: false,
      message:
        `champion points at ${champions.map((c) => `${c.modelName} v${c.version} (${c.variant})`).join(', ')}, ` +
        'not an fp32 version. On the Registry screen, make an fp32 version champion first.',
    };
  return { ok: false, message: `There is no fp32 champion yet. ${MAKE_ONE}` };
}

/**
 * Quantizes the fp32 champion int8 weight-only per-channel (or reuses an int8-weight version
 * already made from it), then points `champion` at it as the teammate. Never rejects; a refusal
 * changes nothing.
 */
export async function setUpInt8Canary(db: AppDb, registry: RegistryState): Promise<SetupResult> {
  await registry.load();
  if (registry.error) return { ok: false, message: registry.error };
  const found = findFp32Champion(registry.models, (m) => registry.versionsOf(m));
  if (!found.ok) return found;
  const parent = found.champion;
  let int8 = registry
    .versionsOf(parent.modelName)
    .find((v) => v.variant === 'int8-weight' && v.lineage.parentVersionId === parent.id);
  let made = `reused ${parent.modelName} v${int8?.version}, already quantized from v${parent.version}`;
  if (!int8) {
    const quant = new QuantizeState(db, registry);
    quant.parentId = parent.id;
    quant.mode = 'int8-weight';
    quant.perChannel = true;
    await quant.run();
    if (!quant.preview) return { ok: false, message: `Nothing changed: ${quant.error}` };
    const note = `int8 weight, per-channel, from v${parent.version}: the teammate's canary`;
    const registered = await quant.register(note);
    if (!registered.ok) return { ok: false, message: registered.message };
    int8 = registered.value;
    const f = quant.preview.figures;
    made =
      `quantized ${parent.modelName} v${parent.version} int8 weight-only per-channel into ` +
      `v${int8.version} (${int8.sizeBytes.toLocaleString('en-US')} bytes instead of ` +
      `${parent.sizeBytes.toLocaleString('en-US')}, test accuracy ${pct(f.accuracy)}, top-1 ` +
      `agreement with v${parent.version} ${pct(f.agreement.top1Agreement)})`;
  }
  const reason = teammateReason(parent, int8);
  try {
    await setAlias(db, {
      modelName: parent.modelName,
      alias: 'champion',
      version: int8.version,
      reason,
      actor: 'policy',
    });
  } catch (err) {
    await registry.load();
    const why = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      message: `v${int8.version} is registered, but champion did not move: ${why}`,
    };
  }
  await registry.load();
  return {
    ok: true,
    message:
      `Set up: a teammate ${made}, and promoted it to champion (logged in the alias history as ` +
      `a policy move: "${reason}"). Since then, p99 has doubled. Your move.`,
  };
}
