/**
 * The node-level rewrite of one dense layer (`layerK/MatMul` then `layerK/Add`, as `mlpToOnnx`
 * writes them) into each quantized form. Each function returns the nodes that replace the MatMul
 * (and, where the form changes it, the Add), and registers its initializers and value infos.
 */
import type { DenseLayer } from '../mlp';
import { affineParams } from '../quantize';
import { BATCH_DIM } from './export';
import type { Range } from './q-calibrate';
import { byteInit, float16Init, floatInit, int8Weight, node, valueInfo } from './q-build';
import { DataType, type onnx } from './proto';

/** Where a rewrite puts what it creates, and what it removes. */
export type LayerContext = {
  /** `layerK`. */
  prefix: string;
  layer: DenseLayer;
  inSize: number;
  out: number;
  /** The MatMul and Add nodes `mlpToOnnx` wrote for this layer. */
  matmul: onnx.INodeProto;
  add: onnx.INodeProto;
  perChannel: boolean;
  initializers: onnx.ITensorProto[];
  valueInfo: onnx.IValueInfoProto[];
  /** Names of value infos to drop (values that no longer exist). */
  dropValues: Set<string>;
  /** Names of the float32 initializers `mlpToOnnx` wrote that the form replaces. */
  dropInitializers: Set<string>;
};

/** Replacement nodes: for the MatMul, and for the Add when the form changes it. */
export type LayerRewrite = { matmul: onnx.INodeProto[]; add?: onnx.INodeProto[] };

const { FLOAT, UINT8, INT32 } = DataType;

/** fp16: weight and bias stored as float16, each cast back to float32 (named as before). */
export function fp16Layer(c: LayerContext): LayerRewrite {
  const { prefix: p, layer, inSize, out } = c;
  c.dropInitializers.add(`${p}.bias`);
  c.initializers.push(
    float16Init(`${p}.weight_fp16`, [inSize, out], layer.weights),
    float16Init(`${p}.bias_fp16`, [out], layer.bias),
  );
  const cast = (what: string) =>
    node(`${p}/${what}/Cast`, 'Cast', [`${p}.${what}_fp16`], [`${p}.${what}`], { to: FLOAT });
  // Both casts before the MatMul: the MatMul and its Add stay next to each other.
  return { matmul: [cast('weight'), cast('bias'), c.matmul] };
}

/** The int8 weight's initializers, and a DequantizeLinear that makes `layerK.weight` again. */
function dequantizedWeight(c: LayerContext) {
  const w = int8Weight(c.prefix, c.layer.weights, c.inSize, c.out, c.perChannel);
  c.initializers.push(...w.initializers);
  const dq = node(
    `${c.prefix}/weight/DequantizeLinear`,
    'DequantizeLinear',
    [w.q, w.scale, w.zeroPoint],
    [`${c.prefix}.weight`],
    c.perChannel ? { axis: 1 } : {},
  );
  return { w, dq };
}

/** int8-weight (QDQ): int8 weight -> DequantizeLinear -> the float MatMul; bias float32. */
export function int8WeightLayer(c: LayerContext): LayerRewrite {
  return { matmul: [dequantizedWeight(c).dq, c.matmul] };
}

/**
 * int8-dynamic as onnxruntime's dynamic quantization writes a MatMul (its `MatMulInteger`
 * quantizer): `DynamicQuantizeLinear(x)` -> uint8 x, scale, zero point; `MatMulInteger` with the
 * int8 weight -> int32; `Cast` to float; `Mul` of the two scales; `Mul` of the two. Bias: float Add.
 */
export function dynamicLayer(c: LayerContext): LayerRewrite {
  const { prefix: p, inSize, out } = c;
  const w = int8Weight(p, c.layer.weights, inSize, out, c.perChannel);
  c.initializers.push(...w.initializers);
  const x = c.matmul.input?.[0] ?? '';
  const [xq, xs, xzp] = [`${p}/input_quantized`, `${p}/input_scale`, `${p}/input_zero_point`];
  c.valueInfo.push(
    valueInfo(xq, UINT8, [BATCH_DIM, inSize]),
    valueInfo(xs, FLOAT, []),
    valueInfo(xzp, UINT8, []),
    valueInfo(`${p}/matmul_int32`, INT32, [BATCH_DIM, out]),
    valueInfo(`${p}/matmul_int32_float`, FLOAT, [BATCH_DIM, out]),
    valueInfo(`${p}/scales`, FLOAT, c.perChannel ? [out] : []),
  );
  return {
    matmul: [
      node(`${p}/input/DynamicQuantizeLinear`, 'DynamicQuantizeLinear', [x], [xq, xs, xzp]),
      node(
        `${p}/MatMulInteger`,
        'MatMulInteger',
        [xq, w.q, xzp, w.zeroPoint],
        [`${p}/matmul_int32`],
      ),
      node(`${p}/matmul_int32/Cast`, 'Cast', [`${p}/matmul_int32`], [`${p}/matmul_int32_float`], {
        to: FLOAT,
      }),
      node(`${p}/scales/Mul`, 'Mul', [xs, w.scale], [`${p}/scales`]),
      node(`${p}/output/Mul`, 'Mul', [`${p}/matmul_int32_float`, `${p}/scales`], [`${p}/matmul`]),
    ],
  };
}

/** The onnxruntime contrib domain. */
export const MS_DOMAIN = 'com.microsoft';

/**
 * int8-dynamic with onnxruntime's contrib `com.microsoft.DynamicQuantizeMatMul` (onnxruntime
 * only): one node does the activation quantization, the integer MatMul, the scaling and the bias.
 */
export function contribDynamicLayer(c: LayerContext): LayerRewrite {
  const { prefix: p } = c;
  const w = int8Weight(p, c.layer.weights, c.inSize, c.out, c.perChannel);
  c.initializers.push(...w.initializers);
  c.dropValues.add(`${p}/matmul`);
  const x = c.matmul.input?.[0] ?? '';
  const y = c.add.output?.[0] ?? '';
  const inputs = [x, w.q, w.scale, w.zeroPoint, `${p}.bias`];
  const op = 'DynamicQuantizeMatMul';
  return { matmul: [node(`${p}/${op}`, op, inputs, [y], {}, MS_DOMAIN)], add: [] };
}

/** A uint8 activation's scale and zero point from a calibrated range, as initializers. */
function activationParams(c: LayerContext, what: string, range: Range): [string, string] {
  const { scale, zeroPoint } = affineParams(range.min, range.max, false, false);
  const names: [string, string] = [`${c.prefix}.${what}_scale`, `${c.prefix}.${what}_zero_point`];
  c.initializers.push(
    floatInit(names[0], [], Float32Array.of(scale)),
    byteInit(names[1], [], [zeroPoint], false),
  );
  return names;
}

/**
 * int8-static, QDQ format: the MatMul input goes through QuantizeLinear then DequantizeLinear with
 * the calibrated uint8 scale and zero point; the weight is int8 behind a DequantizeLinear.
 */
export function staticQdqLayer(c: LayerContext, input: Range): LayerRewrite {
  const { prefix: p, inSize } = c;
  const { dq } = dequantizedWeight(c);
  const [s, zp] = activationParams(c, 'input', input);
  const x = c.matmul.input?.[0] ?? '';
  const [xq, xdq] = [`${p}/input_quantized`, `${p}/input_dequantized`];
  c.valueInfo.push(
    valueInfo(xq, UINT8, [BATCH_DIM, inSize]),
    valueInfo(xdq, FLOAT, [BATCH_DIM, inSize]),
  );
  const matmul = { ...c.matmul, input: [xdq, ...(c.matmul.input ?? []).slice(1)] };
  return {
    matmul: [
      dq,
      node(`${p}/input/QuantizeLinear`, 'QuantizeLinear', [x, s, zp], [xq]),
      node(`${p}/input/DequantizeLinear`, 'DequantizeLinear', [xq, s, zp], [xdq]),
      matmul,
    ],
  };
}

/**
 * int8-static, operator format: QuantizeLinear of the input, `QLinearMatMul` (uint8 x int8 ->
 * uint8, with the calibrated output scale), DequantizeLinear back to float; bias: float Add.
 */
export function staticQLinearLayer(c: LayerContext, input: Range, product: Range): LayerRewrite {
  const { prefix: p, inSize, out } = c;
  const w = int8Weight(p, c.layer.weights, inSize, out, c.perChannel);
  c.initializers.push(...w.initializers);
  const [xs, xzp] = activationParams(c, 'input', input);
  const [ys, yzp] = activationParams(c, 'matmul', product);
  const x = c.matmul.input?.[0] ?? '';
  const [xq, yq] = [`${p}/input_quantized`, `${p}/matmul_quantized`];
  c.valueInfo.push(
    valueInfo(xq, UINT8, [BATCH_DIM, inSize]),
    valueInfo(yq, UINT8, [BATCH_DIM, out]),
  );
  const qInputs = [xq, xs, xzp, w.q, w.scale, w.zeroPoint, ys, yzp];
  return {
    matmul: [
      node(`${p}/input/QuantizeLinear`, 'QuantizeLinear', [x, xs, xzp], [xq]),
      node(`${p}/QLinearMatMul`, 'QLinearMatMul', qInputs, [yq]),
      node(`${p}/matmul/DequantizeLinear`, 'DequantizeLinear', [yq, ys, yzp], [`${p}/matmul`]),
    ],
  };
}
