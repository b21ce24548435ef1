/**
 * The Quantize panel's pure work beyond the tensors: settings, calibration and metadata, verdicts,
 * the tap on the serving worker, the registry record; and the whole measurement (quantize,
 * `checkAgreement` on 'ort-wasm', accuracy from the tapped outputs) against onnxruntime-web's Node
 * build, standing in for the serving worker, on a digits model and its test split.
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareOutputs, type Agreement } from '../core/agreement';
import { gatherRows } from '../core/data';
import { forward } from '../core/forward';
import { encodeMlp } from '../core/mlp-codec';
import { readOnnx } from '../core/onnx/inspect';
import { checkAgreement } from '../engine/agreement-check';
import type { ServeWorkerLike } from '../engine/serve-client';
import type { ServeReply, ServeWorkerRequest } from '../protocol/serve';
import {
  accuracyOf,
  buildCandidate,
  calibrationSet,
  candidateMeta,
  CALIBRATION_PERCENTILE,
  describeSettings,
  previewFigures,
  quantizedVersion,
  rowsPerCall,
  settingsProblem,
  tapOutputs,
  toleranceVariant,
  type QuantizeSettings,
} from './quantize-ops';
import { BASE, ds, model, PARENT_ID, parentBytes, s, split } from './quantize-ops.fixture';

describe('settings, calibration and metadata', () => {
  it('refuses calibration row counts outside 1..train size, for int8-static only', () => {
    expect(settingsProblem(s({ mode: 'int8-static', calibrationRows: 0 }), 1257)).toMatch(
      /1 to 1257/,
    );
    expect(settingsProblem(s({ mode: 'int8-static', calibrationRows: 1258 }), 1257)).toMatch(
      /got 1258/,
    );
    expect(settingsProblem(s({ mode: 'int8-static', calibrationRows: 2.5 }), 1257)).not.toBeNull();
    expect(settingsProblem(s({ mode: 'int8-static', calibrationRows: NaN }), 1257)).toMatch(
      /nothing/,
    );
    expect(settingsProblem(s({ mode: 'int8-static', calibrationRows: 200 }), 1257)).toBeNull();
    expect(settingsProblem(s({ mode: 'int8-weight', calibrationRows: 0 }), 1257)).toBeNull();
  });

  it('calibrates on the first rows of the train split, percentile at 99.99', () => {
    const c = calibrationSet(
      ds,
      split.train,
      s({ calibrationRows: 3, calibrationMethod: 'percentile' }),
    );
    expect(c).toMatchObject({ rows: 3, method: 'percentile', percentile: CALIBRATION_PERCENTILE });
    expect(c.x).toEqual(gatherRows(ds, [split.train[0], split.train[1], split.train[2]]).x);
    expect(calibrationSet(ds, split.train, s({ calibrationRows: 3 }))).not.toHaveProperty(
      'percentile',
    );
  });

  it("carries the parent's names and metadata and adds parent_version and the quantization record", () => {
    const meta = candidateMeta(readOnnx(parentBytes), PARENT_ID, 'int8-static');
    const calibration = calibrationSet(ds, split.train, s({ mode: 'int8-static' }));
    const bytes = buildCandidate(
      model,
      s({ mode: 'int8-static', perChannel: true }),
      meta,
      calibration,
    );
    const summary = readOnnx(bytes);
    expect(summary.inputs[0].name).toBe('input');
    expect(summary.outputs[0].name).toBe('probabilities');
    expect(summary.graphName).toBe('digits-classifier');
    expect(summary.metadata).toMatchObject({
      run_id: 'run-1-abc',
      split_seed: '0',
      parent_version: PARENT_ID,
    });
    expect(JSON.parse(summary.metadata.quantization)).toEqual({
      mode: 'int8-static',
      perChannel: true,
      op: 'qdq',
      calibration: { method: 'minmax', rows: 200 },
    });
  });

  it('describes settings in words, and picks the tolerance and rows per call of each mode', () => {
    expect(describeSettings(s({ mode: 'fp16', perChannel: true }))).toBe('fp16');
    expect(describeSettings(s({ perChannel: true }))).toBe('int8 weight, per-channel');
    expect(describeSettings(s({ mode: 'int8-dynamic', dynamicOp: 'DynamicQuantizeMatMul' }))).toBe(
      'int8 dynamic, per-tensor, DynamicQuantizeMatMul (onnxruntime only)',
    );
    expect(describeSettings(s({ mode: 'int8-static', calibrationMethod: 'percentile' }))).toBe(
      'int8 static, per-tensor, percentile 99.99 on 200 rows, QDQ',
    );
    expect(toleranceVariant('fp16')).toBe('fp16');
    expect(toleranceVariant('int8-static')).toBe('int8');
    expect(rowsPerCall('int8-dynamic')).toBe(1);
    expect(rowsPerCall('int8-weight')).toBe(256);
  });
});

describe('figures and verdicts', () => {
  const agreement = (top1: number, maxAbs: number): Agreement => ({
    rows: 100,
    top1Agreement: top1,
    maxAbsDiff: maxAbs,
    meanAbsDiff: maxAbs / 10,
  });
  const figures = (mode: QuantizeSettings['mode'], a: Agreement, size = 500) =>
    previewFigures({
      mode,
      sizeBytes: size,
      parentSizeBytes: 1000,
      agreement: a,
      accuracy: 0.95,
      fp32Accuracy: 0.97,
    });

  it('judges fp16 on max |Δp| <= 2e-3 and reports top-1', () => {
    const ok = figures('fp16', agreement(0.9, 2e-3));
    expect(ok.ok).toBe(true);
    expect(ok.verdicts.maxAbsDiff.status).toBe('pass');
    expect(ok.verdicts.top1.status).toBe('info');
    expect(ok).toMatchObject({ ratio: 0.5, toleranceVariant: 'fp16' });
    expect(ok.accuracyDelta).toBeCloseTo(-0.02, 12);
    const bad = figures('fp16', agreement(1, 2.1e-3));
    expect(bad.ok).toBe(false);
    expect(bad.verdicts.maxAbsDiff).toEqual({ status: 'fail', text: 'needs ≤ 0.002' });
  });

  it('judges int8 on top-1 agreement >= 98% and reports max |Δp|; a bigger file fails', () => {
    expect(figures('int8-weight', agreement(0.98, 0.5)).ok).toBe(true);
    const low = figures('int8-dynamic', agreement(0.97, 0.01));
    expect(low.verdicts.top1).toEqual({ status: 'fail', text: 'needs ≥ 98.00%' });
    expect(low.verdicts.maxAbsDiff.status).toBe('info');
    const big = figures('int8-static', agreement(1, 0), 1000);
    expect(big.verdicts.size.status).toBe('fail');
    expect(big.ok).toBe(false);
  });

  it('computes top-1 accuracy against labels', () => {
    const p = Float32Array.of(0.9, 0.1, 0.2, 0.8, 0.6, 0.4);
    expect(accuracyOf(p, [0, 1, 1], 2)).toBeCloseTo(2 / 3, 12);
    expect(() => accuracyOf(p, [0, 1], 2)).toThrow(/do not fit 2 rows/);
  });
});

describe('tapOutputs', () => {
  it('records every result in order and hands every message on unchanged', () => {
    const listeners: Record<string, (e: never) => void> = {};
    const posted: unknown[] = [];
    let terminated = false;
    const fake = {
      postMessage: (m: unknown) => posted.push(m),
      addEventListener: (type: string, l: (e: never) => void) => (listeners[type] = l),
      terminate: () => (terminated = true),
    } as unknown as ServeWorkerLike;
    const tap = tapOutputs(() => fake);
    const worker = tap.createWorker();
    const seen: unknown[] = [];
    worker.addEventListener('message', (e) => seen.push(e.data));
    let errors = 0;
    worker.addEventListener('error', () => errors++);
    const send = (data: unknown) =>
      (listeners.message as (e: MessageEvent<unknown>) => void)({ data } as MessageEvent<unknown>);
    send({ type: 'loaded', id: 'a', runtime: 'ort-wasm', actualRuntime: 'ort-wasm' });
    send({ type: 'result', id: 'b', probabilities: Float32Array.of(1, 2), computeMs: 0 });
    send({ type: 'bogus', id: 'c' });
    send({ type: 'result', id: 'd', probabilities: Float32Array.of(3), computeMs: 0 });
    (listeners.error as (e: Event) => void)(new Event('error'));
    worker.postMessage({ type: 'unload', id: 'x' });
    worker.terminate();
    expect(Array.from(tap.outputs())).toEqual([1, 2, 3]);
    expect(seen).toHaveLength(4);
    expect(errors).toBe(1);
    expect(posted).toEqual([{ type: 'unload', id: 'x' }]);
    expect(terminated).toBe(true);
  });
});

describe('quantizedVersion', () => {
  const parent = {
    id: PARENT_ID,
    modelName: 'digits-classifier',
    version: 1,
    lineage: {
      source: 'run' as const,
      runId: 'run-1-abc',
      datasetId: 'digits',
      fingerprint: 'f'.repeat(64),
      hyperparameters: { hidden: [64] },
    },
    inputSchema: {
      features: 64,
      nClasses: 10,
      classNames: [],
      featureNames: [],
      min: [],
      max: [],
    },
  };
  const fig = previewFigures({
    mode: 'int8-weight',
    sizeBytes: 10,
    parentSizeBytes: 40,
    agreement: { rows: 10, top1Agreement: 0.99, maxAbsDiff: 0.02, meanAbsDiff: 0.001 },
    accuracy: 0.96,
    fp32Accuracy: 0.97,
  });

  it('is the next version of the same model, variant = mode, with lineage and metrics', () => {
    const bytes = Uint8Array.of(1, 2, 3);
    const v = quantizedVersion(
      parent,
      { bytes, settings: s({ perChannel: true }), figures: fig },
      '',
    );
    expect(v).toEqual({
      modelName: 'digits-classifier',
      bytes,
      variant: 'int8-weight',
      lineage: {
        source: 'quantize',
        parentVersionId: PARENT_ID,
        datasetId: 'digits',
        fingerprint: 'f'.repeat(64),
        hyperparameters: { hidden: [64] },
      },
      metrics: { testAccuracy: 0.96, agreementWithParent: 0.99, maxAbsDiffWithParent: 0.02 },
      inputSchema: parent.inputSchema,
      note: 'int8 weight, per-channel, from v1',
    });
  });

  it('keeps a written note, and leaves out a max |Δp| that is not finite', () => {
    const nan = { ...fig, agreement: { ...fig.agreement, maxAbsDiff: Infinity } };
    const v = quantizedVersion(
      parent,
      { bytes: new Uint8Array(1), settings: BASE, figures: nan },
      'mine',
    );
    expect(v.note).toBe('mine');
    expect(v.metrics).not.toHaveProperty('maxAbsDiffWithParent');
  });
});

/** onnxruntime-web's Node build behind the serving worker's messages (load, infer). */
function ortWorker(): ServeWorkerLike {
  let reply: ((e: MessageEvent<unknown>) => void) | null = null;
  let session: ort.InferenceSession | null = null;
  const send = (data: ServeReply) =>
    setTimeout(() => reply?.({ data } as MessageEvent<unknown>), 0);
  const handle = async (m: ServeWorkerRequest) => {
    if (m.type === 'load') {
      session = await ort.InferenceSession.create(m.onnx);
      send({
        type: 'loaded',
        id: m.id,
        runtime: m.runtime,
        actualRuntime: 'ort-wasm',
        threads: 1,
        loadMs: 0,
        details: {},
      });
    } else if (m.type === 'infer' && session) {
      const input = new ort.Tensor('float32', m.x, [m.batch, m.x.length / m.batch]);
      const out = await session.run({ [session.inputNames[0]]: input });
      const probabilities = out[session.outputNames[0]].data as Float32Array;
      send({ type: 'result', id: m.id, probabilities, computeMs: 0 });
    } else send({ type: 'unloaded', id: m.id });
  };
  return {
    postMessage: (m: ServeWorkerRequest) => void handle(m),
    addEventListener: (type: string, l: (e: MessageEvent<unknown>) => void) => {
      if (type === 'message') reply = l;
    },
    terminate: () => void session?.release(),
  } as ServeWorkerLike;
}

describe('a preview measured in onnxruntime-web (digits, 359 test rows)', () => {
  beforeAll(() => {
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
  });
  const test = gatherRows(ds, split.test);
  const reference = forward(model, test.x, test.rows);
  const fp32Accuracy = accuracyOf(reference, test.y, 10);

  it.each<[string, Partial<QuantizeSettings>]>([
    ['fp16', { mode: 'fp16' }],
    ['int8-weight per-channel', { mode: 'int8-weight', perChannel: true }],
    ['int8-dynamic', { mode: 'int8-dynamic' }],
    ['int8-dynamic contrib', { mode: 'int8-dynamic', dynamicOp: 'DynamicQuantizeMatMul' }],
    ['int8-static minmax 200 rows', { mode: 'int8-static' }],
    [
      'int8-static qlinear percentile',
      { mode: 'int8-static', staticFormat: 'qlinear', calibrationMethod: 'percentile' },
    ],
  ])('%s: smaller, within tolerance, accuracy from the tapped outputs', async (_name, over) => {
    const settings = s(over);
    const calibration =
      settings.mode === 'int8-static' ? calibrationSet(ds, split.train, settings) : undefined;
    const meta = candidateMeta(readOnnx(parentBytes), PARENT_ID, settings.mode);
    const bytes = buildCandidate(model, settings, meta, calibration);
    const tap = tapOutputs(ortWorker);
    const report = await checkAgreement({
      runtime: 'ort-wasm',
      onnx: bytes,
      weights: encodeMlp(model),
      x: ds.x,
      rows: split.test,
      variant: toleranceVariant(settings.mode),
      batchSize: rowsPerCall(settings.mode),
      createWorker: tap.createWorker,
    });
    const outputs = tap.outputs();
    expect(outputs).toHaveLength(test.rows * 10);
    expect(compareOutputs(reference, outputs, 10)).toEqual(report.agreement);
    const figures = previewFigures({
      mode: settings.mode,
      sizeBytes: bytes.byteLength,
      parentSizeBytes: parentBytes.byteLength,
      agreement: report.agreement,
      accuracy: accuracyOf(outputs, test.y, 10),
      fp32Accuracy,
    });
    console.log(
      `${_name}: ${bytes.byteLength} B (${(figures.ratio * 100).toFixed(1)}% of fp32), accuracy ${(figures.accuracy * 100).toFixed(2)}% (${(figures.accuracyDelta * 100).toFixed(2)} pt), top-1 ${(figures.agreement.top1Agreement * 100).toFixed(2)}%, max |dp| ${figures.agreement.maxAbsDiff.toExponential(2)}`,
    );
    expect(report.ok).toBe(true);
    expect(figures.ok).toBe(true);
    expect(Math.abs(figures.accuracyDelta)).toBeLessThan(0.02);
  });
});
