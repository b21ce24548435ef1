/**
 * `quantizeModel`: an {@link MlpWeights} as a quantized ONNX model (IR 8, opset 13), in one of
 * four modes. It starts from the float graph `mlpToOnnx` writes (same names, metadata, input and
 * output) and rewrites each dense layer; preprocessing (Sub, Mul) and activations stay float32,
 * and so do the graph input and output.
 *
 * | mode | each layer becomes |
 * |---|---|
 * | `fp16` | float16 weight and bias initializers, each `Cast` to float32, then MatMul, Add |
 * | `int8-weight` | int8 weight -> `DequantizeLinear` (per tensor, or per channel `axis=1`) -> MatMul, Add |
 * | `int8-dynamic` | `DynamicQuantizeLinear(x)` -> `MatMulInteger` -> `Cast` -> `Mul` by the scales, Add (or the contrib `com.microsoft.DynamicQuantizeMatMul`, onnxruntime only) |
 * | `int8-static` | x -> `QuantizeLinear` -> `DequantizeLinear` (calibrated uint8) -> MatMul with the int8 weight behind `DequantizeLinear`, Add (QDQ; or `QuantizeLinear` -> `QLinearMatMul` -> `DequantizeLinear`, Add) |
 *
 * Weights are symmetric int8 ([-127, 127], zero point 0), activations asymmetric uint8: the
 * U8S8 scheme onnxruntime's tool uses by default on CPUs. Scales follow `quantizeAffine`.
 */
import type { MlpWeights } from '../mlp';
import { mlpToOnnx, type OnnxMeta } from './export';
import { calibrate, DEFAULT_PERCENTILE, type Calibration, type LayerRanges } from './q-calibrate';
import {
  contribDynamicLayer,
  dynamicLayer,
  fp16Layer,
  int8WeightLayer,
  MS_DOMAIN,
  staticQdqLayer,
  staticQLinearLayer,
  type LayerContext,
  type LayerRewrite,
} from './q-layers';
import { onnx, ownedBytes } from './proto';

export type { Calibration } from './q-calibrate';

export type QuantizeMode = 'fp16' | 'int8-weight' | 'int8-dynamic' | 'int8-static';

export const QUANTIZE_MODES: readonly QuantizeMode[] = Object.freeze([
  'fp16',
  'int8-weight',
  'int8-dynamic',
  'int8-static',
]);

/** Options of {@link quantizeModel}. */
export type QuantizeOptions = {
  /** Names and metadata, as for `mlpToOnnx`; `properties.quantization` is added (or replaced). */
  meta: OnnxMeta;
  /** int8 modes: one scale per output column of each weight (`axis = 1`) instead of one per tensor. */
  perChannel?: boolean;
  /** int8-static only, and required there: the rows whose activations set the ranges. */
  calibration?: Calibration;
  /**
   * int8-dynamic: `MatMulInteger` (standard ONNX, the default) or `DynamicQuantizeMatMul`, the
   * contrib operator `com.microsoft.DynamicQuantizeMatMul`: "onnxruntime only" (other runtimes
   * and Python's onnx checker do not know it).
   */
  dynamicOp?: 'MatMulInteger' | 'DynamicQuantizeMatMul';
  /** int8-static: `qdq` (QuantizeLinear/DequantizeLinear pairs, the default) or `qlinear` (QLinearMatMul). */
  staticFormat?: 'qdq' | 'qlinear';
};

/** What `properties.quantization` records (as JSON). */
export type QuantizationRecord = {
  mode: QuantizeMode;
  perChannel: boolean;
  /** int8-dynamic: the operator; int8-static: the format. */
  op?: 'MatMulInteger' | 'DynamicQuantizeMatMul' | 'qdq' | 'qlinear';
  /** True when the file uses an onnxruntime contrib operator. */
  onnxruntimeOnly?: boolean;
  calibration?: { method: Calibration['method']; percentile?: number; rows: number };
};

function checkOptions(mode: QuantizeMode, opts: QuantizeOptions): void {
  if (!QUANTIZE_MODES.includes(mode)) {
    throw new Error(
      `Unknown quantization mode '${String(mode)}': use ${QUANTIZE_MODES.join(', ')}.`,
    );
  }
  if (mode === 'int8-static' && !opts.calibration) {
    throw new Error(
      'int8-static needs calibration rows (opts.calibration) to set activation ranges.',
    );
  }
  const { dynamicOp, staticFormat } = opts;
  if (
    dynamicOp !== undefined &&
    dynamicOp !== 'MatMulInteger' &&
    dynamicOp !== 'DynamicQuantizeMatMul'
  ) {
    throw new Error(`Unknown dynamicOp '${String(dynamicOp)}'.`);
  }
  if (staticFormat !== undefined && staticFormat !== 'qdq' && staticFormat !== 'qlinear') {
    throw new Error(`Unknown staticFormat '${String(staticFormat)}'.`);
  }
}

/** The record stored in `properties.quantization` for these options. */
export function quantizationRecord(mode: QuantizeMode, opts: QuantizeOptions): QuantizationRecord {
  const record: QuantizationRecord = { mode, perChannel: mode !== 'fp16' && !!opts.perChannel };
  if (mode === 'int8-dynamic') {
    record.op = opts.dynamicOp ?? 'MatMulInteger';
    if (record.op === 'DynamicQuantizeMatMul') record.onnxruntimeOnly = true;
  }
  if (mode === 'int8-static' && opts.calibration) {
    record.op = opts.staticFormat ?? 'qdq';
    const { method, rows } = opts.calibration;
    record.calibration = { method, rows };
    if (method === 'percentile') {
      record.calibration = {
        method,
        percentile: opts.calibration.percentile ?? DEFAULT_PERCENTILE,
        rows,
      };
    }
  }
  return record;
}

function rewrite(
  mode: QuantizeMode,
  c: LayerContext,
  ranges: LayerRanges | undefined,
  opts: QuantizeOptions,
): LayerRewrite {
  switch (mode) {
    case 'fp16':
      return fp16Layer(c);
    case 'int8-weight':
      return int8WeightLayer(c);
    case 'int8-dynamic':
      return opts.dynamicOp === 'DynamicQuantizeMatMul' ? contribDynamicLayer(c) : dynamicLayer(c);
    case 'int8-static': {
      if (!ranges) throw new Error(`No calibrated range for ${c.prefix}.`);
      return opts.staticFormat === 'qlinear'
        ? staticQLinearLayer(c, ranges.input, ranges.matmul)
        : staticQdqLayer(c, ranges.input);
    }
    default: {
      const unknown: never = mode;
      throw new Error(`Unknown quantization mode ${String(unknown)}.`);
    }
  }
}

/**
 * Builds the quantized ONNX file of an MLP.
 * @param model float weights (row-major `[in, out]`), optional preprocessing.
 * @param mode see the table in this file's header.
 * @param opts `meta` (names, metadata), `perChannel` (int8), `calibration` (int8-static: raw input
 *   rows, `minmax` or `percentile` of |values|), `dynamicOp`, `staticFormat`.
 * @returns the `.onnx` bytes (IR 8, opset 13; plus `com.microsoft` opset 1 with
 *   `dynamicOp: 'DynamicQuantizeMatMul'`) in a buffer of their own. Names stay those of
 *   `mlpToOnnx` (`layer0/MatMul`...); new initializers are `layerK.weight_quantized`,
 *   `layerK.weight_scale`, `layerK.weight_zero_point`, `layerK.weight_fp16`, `layerK.input_scale`...
 *   `properties.quantization` holds a {@link QuantizationRecord} as JSON.
 * @throws Error for an unknown mode or option, int8-static without calibration, a bad calibration
 *   set, a NaN or infinite weight, or anything `mlpToOnnx` refuses.
 */
export function quantizeModel(
  model: MlpWeights,
  mode: QuantizeMode,
  opts: QuantizeOptions,
): Uint8Array {
  checkOptions(mode, opts);
  const record = quantizationRecord(mode, opts);
  const meta: OnnxMeta = {
    ...opts.meta,
    properties: { ...opts.meta.properties, quantization: JSON.stringify(record) },
  };
  const proto = onnx.ModelProto.decode(mlpToOnnx(model, meta));
  const ranges =
    mode === 'int8-static' && opts.calibration ? calibrate(model, opts.calibration) : undefined;
  const graph = proto.graph as onnx.GraphProto;
  const byName = new Map(graph.node.map((n) => [n.name, n]));
  const replaced = new Map<onnx.INodeProto, onnx.INodeProto[]>();
  const initializers: onnx.ITensorProto[] = [];
  const valueInfo: onnx.IValueInfoProto[] = [];
  const dropValues = new Set<string>();
  const dropInitializers = new Set<string>();

  let inSize = model.inputSize;
  model.layers.forEach((layer, k) => {
    const prefix = `layer${k}`;
    const matmul = byName.get(`${prefix}/MatMul`);
    const add = byName.get(`${prefix}/Add`);
    if (!matmul || !add) throw new Error(`mlpToOnnx wrote no MatMul/Add for ${prefix}.`);
    const out = layer.bias.length;
    dropInitializers.add(`${prefix}.weight`);
    const context: LayerContext = {
      prefix,
      layer,
      inSize,
      out,
      matmul,
      add,
      perChannel: record.perChannel,
      initializers,
      valueInfo,
      dropValues,
      dropInitializers,
    };
    const result = rewrite(mode, context, ranges?.[k], opts);
    replaced.set(matmul, result.matmul);
    if (result.add) replaced.set(add, result.add);
    inSize = out;
  });

  graph.node = graph.node.flatMap((n) => (replaced.get(n) ?? [n]) as onnx.NodeProto[]);
  graph.initializer = [
    ...graph.initializer.filter((t) => !dropInitializers.has(t.name ?? '')),
    ...(initializers as onnx.TensorProto[]),
  ];
  graph.valueInfo = [
    ...graph.valueInfo.filter((v) => !dropValues.has(v.name ?? '')),
    ...(valueInfo as onnx.ValueInfoProto[]),
  ];
  if (record.onnxruntimeOnly) {
    proto.opsetImport.push(onnx.OperatorSetIdProto.create({ domain: MS_DOMAIN, version: 1 }));
  }
  return ownedBytes(onnx.ModelProto.encode(proto).finish());
}
