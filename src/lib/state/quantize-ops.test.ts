/**
 * The Quantize panel's histograms and the tensors as stored (checked against the file that
 * `quantizeModel` writes, read back by `onnxToMlp`) on a digits model. Settings, calibration,
 * metadata, verdicts, the tap, the registry record and the measurement in onnxruntime-web are in
 * quantize-ops-settings.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { onnxToMlp } from '../core/onnx/import';
import { readOnnx } from '../core/onnx/inspect';
import { fromFloat16 } from '../core/quantize';
import {
  buildCandidate,
  calibrationSet,
  candidateMeta,
  errorHistogram,
  quantizedTensors,
} from './quantize-ops';
import { ds, model, PARENT_ID, parentBytes, s, split } from './quantize-ops.fixture';

describe('errorHistogram', () => {
  it('puts every error in one of 30 bins spanning min to max', () => {
    const h = errorHistogram([-0.5, -0.25, 0, 0.1, 0.5]);
    expect(h.counts).toHaveLength(30);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect([h.lo, h.hi, h.min, h.max, h.maxAbs, h.n]).toEqual([-0.5, 0.5, -0.5, 0.5, 0.5, 5]);
    expect(h.counts[0]).toBe(1);
    expect(h.counts[29]).toBe(1); // the maximum lands in the last bin
    expect(h.meanAbs).toBeCloseTo(0.27, 10);
  });

  it('gives a flat tensor (all errors 0) a band around it, and an empty one zeros', () => {
    const flat = errorHistogram(new Float64Array(10));
    expect(flat.lo).toBeLessThan(0);
    expect(flat.hi).toBeGreaterThan(0);
    expect(flat.counts.reduce((a, b) => a + b, 0)).toBe(10);
    const empty = errorHistogram([], 4);
    expect(empty).toMatchObject({ n: 0, min: 0, max: 0, meanAbs: 0, counts: [0, 0, 0, 0] });
  });
});

describe('quantizedTensors', () => {
  it('int8 per tensor: the dequantized weights are the ones the file holds, errors <= scale / 2', () => {
    const settings = s({ mode: 'int8-weight' });
    const tensors = quantizedTensors(model, settings);
    expect(tensors.map((t) => t.name)).toEqual(['layer0.weight', 'layer1.weight']);
    const bytes = buildCandidate(
      model,
      settings,
      candidateMeta(readOnnx(parentBytes), PARENT_ID, 'int8-weight'),
    );
    const back = onnxToMlp(bytes).model; // weights read back through DequantizeLinear's formula
    tensors.forEach((t, k) => {
      expect(t).toMatchObject({ storage: 'int8', qRange: [-127, 127], perChannel: false });
      expect(t.scale).toHaveLength(1);
      expect(t.zeroPoint).toEqual([0]);
      const w = model.layers[k].weights;
      const restored = back.layers[k].weights;
      let maxErr = 0;
      for (let i = 0; i < w.length; i++) maxErr = Math.max(maxErr, Math.abs(restored[i] - w[i]));
      expect(t.histogram?.maxAbs).toBeCloseTo(maxErr, 12);
      expect(t.histogram?.maxAbs).toBeLessThanOrEqual(t.scale[0] / 2 + 1e-9);
      expect(t.histogram?.n).toBe(w.length);
      for (const e of t.examples) {
        expect(e.q).toBe(Math.round(e.x / t.scale[0]) + 0); // zp 0; ties are vanishingly rare here
        expect(e.xHat).toBe(Math.fround(e.q * t.scale[0]));
      }
      // The largest |weight| maps to +-127 (symmetric range).
      const extremes = t.examples.filter((e) => e.label === 'smallest' || e.label === 'largest');
      expect(extremes.some((e) => Math.abs(e.q) === 127)).toBe(true);
    });
  });

  it('int8 per channel: one scale per output column, each bounding its column', () => {
    const [t] = quantizedTensors(model, s({ perChannel: true }));
    const out = model.layers[0].bias.length;
    expect(t.scale).toHaveLength(out);
    expect(t.perChannel).toBe(true);
    const w = model.layers[0].weights;
    for (const e of t.examples) {
      expect(w.indexOf(e.x) % out).toBe(e.channel);
      expect(Math.abs(e.xHat - e.x)).toBeLessThanOrEqual(t.scale[e.channel] / 2 + 1e-9);
    }
    const perTensor = quantizedTensors(model, s({ perChannel: false }))[0];
    expect(t.histogram?.meanAbs).toBeLessThan(perTensor.histogram?.meanAbs ?? 0);
  });

  it('fp16: weights and biases round-trip through float16 bits, relative error <= 2^-11', () => {
    const tensors = quantizedTensors(model, s({ mode: 'fp16' }));
    expect(tensors.map((t) => `${t.name}:${t.storage}`)).toEqual([
      'layer0.weight:float16',
      'layer0.bias:float16',
      'layer1.weight:float16',
      'layer1.bias:float16',
    ]);
    for (const t of tensors) {
      expect(t.qRange).toBeNull();
      for (const e of t.examples) {
        expect(e.xHat).toBe(fromFloat16(Uint16Array.of(e.q))[0]);
        expect(Math.abs(e.xHat - e.x)).toBeLessThanOrEqual(Math.abs(e.x) * 2 ** -11 + 2 ** -25);
      }
    }
  });

  it('int8 static: calibrated uint8 activations, and a value beyond the range saturates at 255', () => {
    const calibration = calibrationSet(ds, split.train, s({ mode: 'int8-static' }));
    const qdq = quantizedTensors(model, s({ mode: 'int8-static' }), calibration);
    expect(qdq.map((t) => t.name)).toEqual([
      'layer0.weight',
      'layer0.input',
      'layer1.weight',
      'layer1.input',
    ]);
    const act = qdq[1];
    expect(act).toMatchObject({
      role: 'activation',
      storage: 'uint8',
      qRange: [0, 255],
      histogram: null,
    });
    expect(act.shape).toEqual(['batch', 64]);
    const beyond = act.examples.find((e) => e.label === 'beyond the max');
    expect(beyond).toMatchObject({ q: 255, saturated: true });
    const zero = act.examples.find((e) => e.label === 'zero');
    expect(zero?.q).toBe(act.zeroPoint[0]); // 0 is exactly representable
    expect(zero?.xHat).toBe(0);
    const qlinear = quantizedTensors(
      model,
      s({ mode: 'int8-static', staticFormat: 'qlinear' }),
      calibration,
    );
    expect(qlinear.map((t) => t.name)).toContain('layer1.matmul');
  });
});
