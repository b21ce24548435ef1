/**
 * quantizeModel: the graphs it writes (operators, types, metadata), that `checkGraph` and Python's
 * `onnx.checker` (verdicts in tests/fixtures/quantize/checker-verdicts.json) accept them, that
 * `onnxToMlp` reads each back with dequantized weights and a quantization report, and what it
 * refuses. Runtime agreement with onnxruntime-web is in quantize-ort.test.ts.
 *
 * The `.onnx` fixtures are rewritten by `UPDATE_QUANTIZE_FIXTURES=1 npx vitest run
 * src/lib/core/onnx/quantize.test.ts`; then run `/usr/bin/python3
 * tests/fixtures/quantize/gen_quantize_check.py` to judge them again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  editModel,
  graphOf,
  META,
  randomInput,
  randomModel,
} from '../../../../tests/fixtures/onnx/models';
import { fromFloat16, toFloat16 } from '../float16';
import type { MlpWeights } from '../mlp';
import { dequantize, quantizeAffine } from '../quantize';
import { onnxToMlp, UnsupportedModelError } from './import';
import { checkGraph, readOnnx } from './inspect';
import { onnx } from './proto';
import { quantizeModel, type QuantizeMode, type QuantizeOptions } from './quantize';

const MODEL = randomModel({
  inputSize: 6,
  sizes: [5, 4, 3],
  activations: ['relu', 'tanh', 'softmax'],
  preprocess: true,
  seed: 21,
});
const CAL = { x: randomInput(6, 40, 5), rows: 40 };

/** Every form quantizeModel writes, by fixture name. */
const VARIANTS: Record<string, [QuantizeMode, Omit<QuantizeOptions, 'meta'>]> = {
  fp16: ['fp16', {}],
  'int8-weight': ['int8-weight', {}],
  'int8-weight-per-channel': ['int8-weight', { perChannel: true }],
  'int8-dynamic': ['int8-dynamic', {}],
  'int8-dynamic-per-channel': ['int8-dynamic', { perChannel: true }],
  'int8-dynamic-contrib': ['int8-dynamic', { dynamicOp: 'DynamicQuantizeMatMul' }],
  'int8-static-qdq': ['int8-static', { calibration: { ...CAL, method: 'minmax' } }],
  'int8-static-qdq-per-channel-percentile': [
    'int8-static',
    { perChannel: true, calibration: { ...CAL, method: 'percentile', percentile: 99 } },
  ],
  'int8-static-qlinear': [
    'int8-static',
    { staticFormat: 'qlinear', calibration: { ...CAL, method: 'minmax' } },
  ],
  'int8-static-qlinear-per-channel': [
    'int8-static',
    { staticFormat: 'qlinear', perChannel: true, calibration: { ...CAL, method: 'minmax' } },
  ],
};
const BYTES = Object.fromEntries(
  Object.entries(VARIANTS).map(([name, [mode, o]]) => [
    name,
    quantizeModel(MODEL, mode, { meta: META, ...o }),
  ]),
);
const ops = (bytes: Uint8Array) =>
  readOnnx(bytes).nodes.map((n) => (n.domain ? `${n.domain}.${n.opType}` : n.opType));

describe('quantizeModel graphs', () => {
  it('writes the operators of each mode, keeping preprocessing and activations float32', () => {
    const layer = (...o: string[]) => [...o, 'Relu', ...o, 'Tanh', ...o, 'Softmax'];
    expect(ops(BYTES.fp16)).toEqual(['Sub', 'Mul', ...layer('Cast', 'Cast', 'MatMul', 'Add')]);
    expect(ops(BYTES['int8-weight'])).toEqual([
      'Sub',
      'Mul',
      ...layer('DequantizeLinear', 'MatMul', 'Add'),
    ]);
    const dynamic = ['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul', 'Mul', 'Add'];
    expect(ops(BYTES['int8-dynamic'])).toEqual(['Sub', 'Mul', ...layer(...dynamic)]);
    expect(ops(BYTES['int8-dynamic-contrib'])).toEqual([
      'Sub',
      'Mul',
      ...layer('com.microsoft.DynamicQuantizeMatMul'),
    ]);
    const qdq = ['DequantizeLinear', 'QuantizeLinear', 'DequantizeLinear', 'MatMul', 'Add'];
    expect(ops(BYTES['int8-static-qdq'])).toEqual(['Sub', 'Mul', ...layer(...qdq)]);
    const qlinear = ['QuantizeLinear', 'QLinearMatMul', 'DequantizeLinear', 'Add'];
    expect(ops(BYTES['int8-static-qlinear'])).toEqual(['Sub', 'Mul', ...layer(...qlinear)]);
  });

  it('stores weights as float16 or int8, scales float32, activation zero points uint8', () => {
    const types = (bytes: Uint8Array) =>
      Object.fromEntries(
        readOnnx(bytes).initializers.map((t) => [t.name, `${t.dataType} [${t.dims}]`]),
      );
    expect(types(BYTES.fp16)).toMatchObject({
      'preprocess.offset': 'float32 [6]',
      'layer0.weight_fp16': 'float16 [6,5]',
      'layer0.bias_fp16': 'float16 [5]',
    });
    expect(types(BYTES['int8-weight'])).toMatchObject({
      'layer1.weight_quantized': 'int8 [5,4]',
      'layer1.weight_scale': 'float32 []',
      'layer1.weight_zero_point': 'int8 []',
      'layer1.bias': 'float32 [4]',
    });
    expect(types(BYTES['int8-weight-per-channel'])).toMatchObject({
      'layer2.weight_scale': 'float32 [3]',
      'layer2.weight_zero_point': 'int8 [3]',
    });
    expect(types(BYTES['int8-static-qlinear'])).toMatchObject({
      'layer0.input_scale': 'float32 []',
      'layer0.input_zero_point': 'uint8 []',
      'layer0.matmul_zero_point': 'uint8 []',
    });
    for (const bytes of Object.values(BYTES)) {
      const names = readOnnx(bytes).initializers.map((t) => t.name);
      expect(names).not.toContain('layer0.weight'); // no float32 copy left behind
    }
    const perChannel = readOnnx(BYTES['int8-weight-per-channel']).nodes[2];
    expect(perChannel.attributes).toEqual({ axis: 1 });
    expect(readOnnx(BYTES['int8-weight']).nodes[2].attributes).toEqual({});
  });

  it('keeps opset 13, IR 8, the float32 input and output, and records the quantization', () => {
    for (const [name, bytes] of Object.entries(BYTES)) {
      const s = readOnnx(bytes);
      expect(s.irVersion, name).toBe(8);
      expect(s.opsets[0], name).toEqual({ domain: '', version: 13 });
      expect(s.inputs, name).toEqual([
        { name: 'features', elemType: 'float32', shape: ['batch', 6] },
      ]);
      expect(s.outputs, name).toEqual([
        { name: 'probabilities', elemType: 'float32', shape: ['batch', 3] },
      ]);
      expect(s.metadata, name).toMatchObject(META.properties);
      expect(s.producer).toBe('pocket-mlops');
    }
    expect(readOnnx(BYTES['int8-dynamic-contrib']).opsets).toEqual([
      { domain: '', version: 13 },
      { domain: 'com.microsoft', version: 1 },
    ]);
    const record = (name: string) => JSON.parse(readOnnx(BYTES[name]).metadata.quantization);
    expect(record('fp16')).toEqual({ mode: 'fp16', perChannel: false });
    expect(record('int8-dynamic-contrib')).toEqual({
      mode: 'int8-dynamic',
      perChannel: false,
      op: 'DynamicQuantizeMatMul',
      onnxruntimeOnly: true,
    });
    expect(record('int8-static-qdq-per-channel-percentile')).toEqual({
      mode: 'int8-static',
      perChannel: true,
      op: 'qdq',
      calibration: { method: 'percentile', percentile: 99, rows: 40 },
    });
    expect(record('int8-static-qlinear').calibration).toEqual({ method: 'minmax', rows: 40 });
  });

  it('passes checkGraph', () => {
    for (const [name, bytes] of Object.entries(BYTES)) {
      expect(checkGraph(readOnnx(bytes)), name).toEqual([]);
    }
  });

  it('is deterministic', () => {
    const [mode, o] = VARIANTS['int8-static-qlinear'];
    expect(quantizeModel(MODEL, mode, { meta: META, ...o })).toEqual(BYTES['int8-static-qlinear']);
  });
});

describe('onnxToMlp reads quantized files back', () => {
  const int8 = (w: Float32Array, out: number, perChannel: boolean) => {
    const opts = { bits: 8, signed: true, symmetric: true } as const;
    const q = quantizeAffine(w, perChannel ? { ...opts, axis: 1, channels: out } : opts);
    return dequantize(q.q, q.scale, q.zeroPoint);
  };
  const fp16 = (v: Float32Array) => fromFloat16(toFloat16(v));
  /** The float model a quantized file stands for: dequantized weights. */
  const expected = (perChannel: boolean, half: boolean): MlpWeights => ({
    ...MODEL,
    layers: MODEL.layers.map((l) => ({
      ...l,
      weights: half ? fp16(l.weights) : int8(l.weights, l.bias.length, perChannel),
      bias: half ? fp16(l.bias) : l.bias,
    })),
  });

  it.each(Object.keys(VARIANTS))('%s', (name) => {
    const [mode, o] = VARIANTS[name];
    const perChannel = !!o.perChannel;
    const read = onnxToMlp(BYTES[name]);
    expect(read.model).toEqual(expected(perChannel, mode === 'fp16'));
    const report = {
      mode,
      perChannel,
      activationsQuantized: mode === 'int8-dynamic' || mode === 'int8-static',
      ...(o.dynamicOp ? { onnxruntimeOnly: true } : {}),
    };
    expect(read.quantization).toEqual(report);
    expect(read.metadata.quantization).toBeDefined();
  });

  it('leaves float32 files without a quantization report', () => {
    expect(onnxToMlp(BYTES.fp16).quantization?.mode).toBe('fp16');
    // The float export itself: the existing callers' shape, unchanged.
    const plain = onnxToMlp(
      readFileSync(join(__dirname, '../../../../tests/fixtures/onnx/mlp-30-2-sigmoid.onnx')),
    );
    expect(Object.keys(plain)).toEqual(['model', 'metadata']);
  });
});

describe('onnxToMlp refuses quantized files it did not write', () => {
  const nodes = (m: onnx.ModelProto) => graphOf(m).node as onnx.INodeProto[];
  const tensor = (m: onnx.ModelProto, name: string) =>
    graphOf(m).initializer?.find((t) => t.name === name) as onnx.ITensorProto;
  const refuses = (bytes: Uint8Array, message: RegExp) => {
    expect(() => onnxToMlp(bytes)).toThrow(UnsupportedModelError);
    expect(() => onnxToMlp(bytes)).toThrow(message);
  };

  it('a contrib operator without the com.microsoft opset import', () => {
    const bytes = editModel(BYTES['int8-dynamic-contrib'], (m) => {
      m.opsetImport = m.opsetImport.filter((o) => o.domain !== 'com.microsoft');
    });
    refuses(
      bytes,
      /operator com.microsoft.DynamicQuantizeMatMul .* not one this lab can run; supported: Sub, Mul, MatMul, Add, Relu, Tanh, Sigmoid, Softmax\. Quantized models/,
    );
  });

  it('layers quantized in different ways', () => {
    const mixed = editModel(BYTES.fp16, (m) => {
      const int8 = onnx.ModelProto.decode(BYTES['int8-weight']);
      const g = graphOf(m);
      // Replace layer2's fp16 weight by int8-weight's DequantizeLinear and its tensors.
      const dq = nodes(int8).find((n) => n.name === 'layer2/weight/DequantizeLinear');
      const at = nodes(m).findIndex((n) => n.name === 'layer2/weight/Cast');
      nodes(m).splice(at, 1, dq as onnx.INodeProto);
      g.initializer?.push(
        ...['weight_quantized', 'weight_scale', 'weight_zero_point'].map((s) =>
          tensor(int8, `layer2.${s}`),
        ),
      );
    });
    refuses(mixed, /quantized in a mix of forms \(fp16-weight, int8-weight\)/);
  });

  it('wrong types, shapes, axes and wiring', () => {
    const castTo = editModel(BYTES.fp16, (m) => {
      nodes(m)[2].attribute = [{ name: 'to', type: 2, i: 11 }];
    });
    refuses(castTo, /node 'layer0\/weight\/Cast' \(Cast\) casts to type 11/);
    const fp32InCast = editModel(BYTES.fp16, (m) => {
      tensor(m, 'layer0.weight_fp16').dataType = 1;
    });
    refuses(
      fp32InCast,
      /'layer0.weight_fp16' of node 'layer0\/weight\/Cast' \(Cast\) is float32; expected float16/,
    );
    const axis0 = editModel(BYTES['int8-weight-per-channel'], (m) => {
      nodes(m)[2].attribute = [{ name: 'axis', type: 2, i: 0 }];
    });
    refuses(axis0, /quantizes along axis 0; this lab reads per-column weights/);
    const badScale = editModel(BYTES['int8-weight-per-channel'], (m) => {
      tensor(m, 'layer0.weight_scale').dims = [2];
      tensor(m, 'layer0.weight_scale').rawData = new Uint8Array(8);
    });
    refuses(badScale, /scale 'layer0.weight_scale' .* has dims \[2\]; expected a scalar/);
    const zeroScale = editModel(BYTES['int8-weight'], (m) => {
      tensor(m, 'layer0.weight_scale').rawData = new Uint8Array(4);
    });
    refuses(zeroScale, /scale 'layer0.weight_scale' .* must be positive and finite/);
    const rewired = editModel(BYTES['int8-dynamic'], (m) => {
      nodes(m)[3].input = [
        'layer0/input_quantized',
        'layer0.weight_quantized',
        'layer0/input_scale',
        'layer0.weight_zero_point',
      ];
    });
    refuses(
      rewired,
      /node 'layer0\/MatMulInteger' \(MatMulInteger\) must take 'layer0\/input_zero_point' as input 3/,
    );
    const qdqScales = editModel(BYTES['int8-static-qdq'], (m) => {
      nodes(m)[4].input = [
        'layer0/input_quantized',
        'layer0.weight_scale',
        'layer0.input_zero_point',
      ];
    });
    refuses(qdqScales, /parameters|different scales|int8; expected uint8/);
    const missing = editModel(BYTES['int8-static-qlinear'], (m) => {
      graphOf(m).initializer = graphOf(m).initializer?.filter(
        (t) => t.name !== 'layer1.matmul_scale',
      );
    });
    refuses(missing, /'layer1.matmul_scale' of node .* is not a stored tensor/);
  });
});

describe('quantizeModel refuses', () => {
  it('an unknown mode or option, static without calibration, a bad calibration set', () => {
    const q =
      (mode: string, o: Partial<QuantizeOptions> = {}) =>
      () =>
        quantizeModel(MODEL, mode as QuantizeMode, { meta: META, ...o });
    expect(q('int4')).toThrow(/Unknown quantization mode 'int4'/);
    expect(q('int8-static')).toThrow(/needs calibration rows/);
    expect(q('int8-dynamic', { dynamicOp: 'X' as 'MatMulInteger' })).toThrow(/dynamicOp/);
    expect(
      q('int8-static', { staticFormat: 'X' as 'qdq', calibration: { ...CAL, method: 'minmax' } }),
    ).toThrow(/staticFormat/);
    const cal = (c: Partial<QuantizeOptions['calibration']>) =>
      q('int8-static', {
        calibration: { ...CAL, method: 'minmax', ...c } as QuantizeOptions['calibration'],
      });
    expect(cal({ rows: 0 })).toThrow(/at least 1 row/);
    expect(cal({ rows: 41 })).toThrow(/expected 41 rows x 6 features/);
    expect(cal({ x: new Float32Array(240).fill(NaN) })).toThrow(/not finite/);
    expect(cal({ method: 'entropy' as 'minmax' })).toThrow(/Unknown calibration method/);
    expect(cal({ method: 'percentile', percentile: 0 })).toThrow(
      /percentile must be in \(0, 100\]/,
    );
  });

  it('NaN weights, and models mlpToOnnx refuses', () => {
    const bad = {
      ...MODEL,
      layers: [
        { ...MODEL.layers[0], weights: new Float32Array(30).fill(NaN) },
        ...MODEL.layers.slice(1),
      ],
    };
    expect(() => quantizeModel(bad, 'int8-weight', { meta: META })).toThrow(/NaN/);
    const broken = { ...MODEL, inputSize: 7 };
    expect(() => quantizeModel(broken, 'fp16', { meta: META })).toThrow(/need 7 values/);
  });
});

// ---- Python onnx.checker verdicts on committed copies of these files ----
const DIR = join(__dirname, '../../../../tests/fixtures/quantize');
if (process.env.UPDATE_QUANTIZE_FIXTURES) {
  for (const [name, bytes] of Object.entries(BYTES))
    writeFileSync(join(DIR, `${name}.onnx`), bytes);
}
type Verdicts = {
  files: Record<string, { sha256: string; checker: string; inferred_output_shape?: unknown }>;
};
const verdictPath = join(DIR, 'checker-verdicts.json');
const verdicts: Verdicts | null = existsSync(verdictPath)
  ? (JSON.parse(readFileSync(verdictPath, 'utf8')) as Verdicts)
  : null;

describe('agreement with Python onnx.checker (ONNX 1.12)', () => {
  it.each(Object.keys(BYTES))('%s is current and judged alike', (name) => {
    const bytes = BYTES[name];
    const file = `${name}.onnx`;
    expect(readFileSync(join(DIR, file)), `${file} changed: see the header of this test`).toEqual(
      Buffer.from(bytes),
    );
    const verdict = verdicts?.files[file];
    expect(verdict, 'run tests/fixtures/quantize/gen_quantize_check.py').toBeDefined();
    expect(verdict?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // The contrib file passes too: the checker skips operators of domains it has no schemas
    // for (com.microsoft), which is why such a file is labelled "onnxruntime only".
    expect(verdict?.checker).toBe('ok');
    expect(verdict?.inferred_output_shape).toEqual(['batch', 3]);
  });
});
