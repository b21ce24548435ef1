/**
 * The Serve screen's agreement check: each runtime runs the chosen version on the test split in
 * its own worker, one after the other, and its probabilities are compared with the reference
 * forward pass. A runtime that does not start, or that disagrees beyond tolerance, gets a row
 * that says so. Reactive: the panel reads the rows as they come.
 */
import type { RuntimeId } from '../protocol/serve';
import type { ServeLib } from './serving-lib';
import type { PreparedModel } from './serving-model';
import type { AgreementRow } from './serving-types';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Which tolerance applies to a registry variant (fp32 unless quantized; none chosen: fp32). */
export function toleranceVariantOf(variant: string | undefined): 'fp32' | 'fp16' | 'int8' {
  const v = variant ?? 'fp32';
  return v === 'fp32' ? 'fp32' : v === 'fp16' ? 'fp16' : 'int8';
}

/** One runtime's row: its agreement, or why it did not run. Never rejects. */
export async function checkRuntime(
  lib: Pick<ServeLib, 'checkAgreement'>,
  model: PreparedModel,
  runtime: RuntimeId,
  threads: number,
): Promise<AgreementRow> {
  try {
    const report = await lib.checkAgreement({
      runtime,
      onnx: model.onnx,
      weights: model.referenceWeights,
      ...(model.weights === model.referenceWeights ? {} : { candidateWeights: model.weights }),
      x: model.dataset.x,
      rows: model.testRows,
      variant: model.tolerance,
      ...(runtime === 'ort-wasm' ? { threads } : {}),
    });
    return {
      runtime,
      actualRuntime: report.actualRuntime,
      ...(report.fallbackReason ? { fallbackReason: report.fallbackReason } : {}),
      rows: report.agreement.rows,
      maxAbsDiff: report.agreement.maxAbsDiff,
      top1Agreement: report.agreement.top1Agreement,
      ok: report.ok,
      problems: report.problems,
    };
  } catch (err) {
    return {
      runtime,
      actualRuntime: null,
      rows: 0,
      maxAbsDiff: NaN,
      top1Agreement: NaN,
      ok: false,
      problems: [`it did not run: ${message(err)}`],
    };
  }
}

/** The rows of the last check, the runtime being checked now, and why a check could not run. */
export class AgreementCheck {
  #checking = $state<RuntimeId | null>(null);
  #rows = $state.raw<AgreementRow[]>([]);
  #versionId = $state<string | null>(null);
  #error = $state<string | null>(null);

  /** The runtime being checked now, or null. */
  get checking(): RuntimeId | null {
    return this.#checking;
  }
  /** Rows of the last check, in the order asked. */
  get rows(): readonly AgreementRow[] {
    return this.#rows;
  }
  /** The version the rows are about. */
  get versionId(): string | null {
    return this.#versionId;
  }
  get error(): string | null {
    return this.#error;
  }

  /**
   * Checks `runtimes` in order on version `versionId` (nothing while a check runs).
   * @param prepare the serving library and the version's model (loaded once, in this order).
   * @param threads wasm threads for `ort-wasm`, read as each runtime starts.
   */
  async run(
    versionId: string | null,
    runtimes: readonly RuntimeId[],
    prepare: () => Promise<{ lib: ServeLib; model: PreparedModel }>,
    threads: () => number,
  ): Promise<AgreementRow[]> {
    if (!versionId || this.#checking || runtimes.length === 0) return [];
    this.#checking = runtimes[0];
    this.#rows = [];
    this.#versionId = versionId;
    this.#error = null;
    const rows: AgreementRow[] = [];
    try {
      const { lib, model } = await prepare();
      for (const runtime of runtimes) {
        this.#checking = runtime;
        rows.push(await checkRuntime(lib, model, runtime, threads()));
        this.#rows = [...rows];
      }
    } catch (err) {
      this.#error = message(err);
    } finally {
      this.#checking = null;
    }
    return rows;
  }
}
