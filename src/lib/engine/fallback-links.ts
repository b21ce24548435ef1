/**
 * Links for the fallback chain: a serving endpoint (a model in a worker), and the last resort, a
 * nearest-centroid baseline (core/sim-centroid.ts) that runs in the page in plain TypeScript, so
 * it answers even when every worker is down. It is fitted on the training split: one mean per
 * class, no runtime, no worker; less accurate than the MLP, which is the price of never failing.
 */
import { argmaxRows } from '../core/forward';
import { validateRequest, type InputSchema } from '../core/input-schema';
import { centroidProbabilities, fitCentroids, type CentroidModel } from '../core/sim-centroid';
import type { Endpoint } from './endpoint';
import { fail } from './endpoint-requests';
import type { PredictResult } from './endpoint-types';
import type { FallbackLink } from './fallback';

/**
 * An endpoint as a link. Its `versionId` is the served version (`endpoint.info.versionId`), or
 * `versionId` when given (e.g. before the endpoint has started). Its batch path is
 * `Endpoint.predictBatch` (one infer call; an abandoned call still runs to its end in the worker).
 */
export function endpointLink(name: string, endpoint: Endpoint, versionId?: string): FallbackLink {
  return {
    name,
    get versionId() {
      return versionId ?? endpoint.info?.versionId ?? name;
    },
    predict: (input, options) => endpoint.predict(input, options),
    predictRows: async (x, rows) => (await endpoint.predictBatch(x, rows)).probabilities,
  };
}

/**
 * The middle of every feature's training range: always a valid request, and never an outlier,
 * so it suits background health probes.
 */
export function probeRow(schema: InputSchema): number[] {
  return schema.min.map((lo, j) => (lo + schema.max[j]) / 2);
}

export type CentroidLinkOptions = {
  /** Default 'baseline (nearest centroid)'. */
  name?: string;
  /** Recorded in the ledger; default 'baseline:nearest-centroid'. */
  versionId?: string;
  /** The served model's schema: the baseline refuses and flags requests the same way. */
  schema: InputSchema;
  model: CentroidModel;
  /** Monotonic clock, ms (default `performance.now`). */
  now?: () => number;
};

/** A nearest-centroid model as a link: validates like an endpoint, answers in the page. */
export function centroidLink(options: CentroidLinkOptions): FallbackLink {
  const { schema, model } = options;
  if (model.features !== schema.features || model.nClasses !== schema.nClasses) {
    throw new Error(
      `The baseline takes ${model.features} features and gives ${model.nClasses} classes; the schema says ${schema.features} and ${schema.nClasses}.`,
    );
  }
  const now = options.now ?? (() => performance.now());
  const versionId = options.versionId ?? 'baseline:nearest-centroid';
  return {
    name: options.name ?? 'baseline (nearest centroid)',
    versionId,
    predictRows: async (x, rows) => centroidProbabilities(model, x, rows),
    predict: async (input): Promise<PredictResult> => {
      const checked = validateRequest(schema, input);
      if (!checked.ok) return fail('invalid', checked.reason);
      const start = now();
      const probabilities = centroidProbabilities(model, checked.x, 1);
      const computeMs = now() - start;
      const predictedClass = argmaxRows(probabilities, 1, model.nClasses)[0];
      return {
        ok: true,
        probabilities: Array.from(probabilities),
        predictedClass,
        className: schema.classNames[predictedClass],
        versionId,
        latencyMs: computeMs,
        queueMs: 0,
        computeMs,
        batchSize: 1,
        outliers: checked.outliers,
      };
    },
  };
}

/**
 * Fits the baseline on training rows and wraps it as a link.
 * @param x row-major `[rows, schema.features]` training inputs (raw, as requests arrive).
 * @param y their labels, in [0, schema.nClasses).
 * @param temperature softmax temperature in feature units (only the confidence depends on it).
 */
export function fitCentroidLink(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  schema: InputSchema,
  options: Omit<CentroidLinkOptions, 'schema' | 'model'> & { temperature?: number } = {},
): FallbackLink {
  const { temperature = 2, ...rest } = options;
  const model = fitCentroids(x, y, schema.features, schema.nClasses, temperature);
  return centroidLink({ ...rest, schema, model });
}
