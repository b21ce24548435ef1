import { describe, expect, it } from 'vitest';
import {
  executedOps,
  parseOrtLog,
  placementText,
  PLACEMENT_NOT_REPORTED,
  providerName,
} from './bench-placement';

const V =
  '2026-11-25 10:09:52.930317 [V:onnxruntime:, session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]';
const I = '2026-11-25 10:09:52.918774 [I:onnxruntime:, graph_transformer.cc:15 Apply]';

/** onnxruntime-web 1.30's verbose log of an int8 weight-only digits MLP on the wasm EP (Node). */
const WASM_LOG = [
  `${I} GraphTransformer Level1_RuleBasedTransformer modified: 0 with status: OK`,
  `${I} GraphTransformer MatMulAddFusion modified: 1 with status: OK`,
  `${I} GraphTransformer QDQSelectorActionTransformer modified: 1 with status: OK`,
  `${I} GraphTransformer GemmActivationFusion modified: 1 with status: OK`,
  `${I} GraphTransformer MatMulAddFusion modified: 1 with status: OK`,
  `${V} Node placements`,
  `${V}  All nodes placed on [CPUExecutionProvider]. Number of nodes: 6`,
];

/** A split graph, in the format onnxruntime prints for one (one line per node under each EP). */
const SPLIT_LOG = [
  `${V} Node placements`,
  `${V}  Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 5`,
  `${V}   MatMul (layer0.matmul)`,
  `${V}   Add (layer0.add)`,
  `${V}   Relu (layer0.relu)`,
  `${V}   Gemm (layer1.gemm)`,
  `${V}   MemcpyFromHost (Memcpy)`,
  `${V}  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 2`,
  `${V}   Cast (cast_0)`,
  `${V}   ArgMax (argmax)`,
  '[I:onnxruntime:, js_execution_provider.cc:817 GetCapability] webgpu kernel not found in registries for Op type: Cast node name: cast_0',
  '[W:onnxruntime:, session_state.cc:1392 VerifyEachNodeIsAssignedToAnEp] Some nodes were not assigned to the preferred execution providers which may or may not have an negative impact on performance.',
];

/** The profile onnxruntime-web 1.30 printed for one batch-1 call of that model (Node, wasm EP). */
const PROFILE = [
  '{"cat" : "Node","pid" :42,"tid" :1053752,"dur" :7427,"ts" :154085,"ph" : "X","name" :"layer0/weight/DequantizeLinear_kernel_time","args" : {"output_size" : "16384","parameter_size" : "4416","op_name" : "DequantizeLinear","provider" : "CPUExecutionProvider","input_type_shape" : [{"int8":[64,64]},{"float":[64]},{"int8":[64]}],"node_index" : "2","output_type_shape" : [{"float":[64,64]}],"activation_size" : "0","thread_scheduling_stats" : ""}},',
  '{"cat" : "Node","pid" :42,"tid" :1053752,"dur" :482,"ts" :161658,"ph" : "X","name" :"preprocess/Sub_kernel_time","args" : {"thread_scheduling_stats" : "","provider" : "CPUExecutionProvider","output_size" : "256","input_type_shape" : [{"float":[1,64]},{"float":[64]}],"node_index" : "0","parameter_size" : "256","op_name" : "Sub","activation_size" : "256","output_type_shape" : [{"float":[1,64]}]}},',
  '{"cat" : "Node","pid" :42,"tid" :1053752,"dur" :51,"ts" :162150,"ph" : "X","name" :"preprocess/Mul_kernel_time","args" : {"node_index" : "1","output_type_shape" : [{"float":[1,64]}],"provider" : "CPUExecutionProvider","output_size" : "256","input_type_shape" : [{"float":[1,64]},{"float":[64]}],"activation_size" : "256","parameter_size" : "256","op_name" : "Mul","thread_scheduling_stats" : ""}},',
  '{"cat" : "Node","pid" :42,"tid" :1053752,"dur" :909,"ts" :162209,"ph" : "X","name" :"fused layer0/MatMul/MatMulAddFusion_kernel_time","args" : {"output_size" : "256","parameter_size" : "256","activation_size" : "16640","input_type_shape" : [{"float":[1,64]},{"float":[64,64]},{"float":[64]}],"op_name" : "FusedGemm","output_type_shape" : [{"float":[1,64]}],"thread_scheduling_stats" : "","node_index" : "13","provider" : "CPUExecutionProvider"}},',
  '{"cat" : "Node","pid" :42,"tid" :1053752,"dur" :1386,"ts" :163223,"ph" : "X","name" :"layer1/MatMul/MatMulAddFusion_kernel_time","args" : {"thread_scheduling_stats" : "","output_type_shape" : [{"float":[1,10]}],"activation_size" : "256","input_type_shape" : [{"float":[1,64]},{"uint8":[10,2,32]},{"float":[20]},{"uint8":[20]},{"float":[10]}],"provider" : "CPUExecutionProvider","parameter_size" : "780","output_size" : "40","op_name" : "MatMulNBits","node_index" : "12"}},',
  '{"cat" : "Node","pid" :42,"tid" :1053752,"dur" :369,"ts" :164621,"ph" : "X","name" :"layer1/Softmax_kernel_time","args" : {"provider" : "CPUExecutionProvider","node_index" : "9","input_type_shape" : [{"float":[1,10]}],"activation_size" : "40","op_name" : "Softmax","output_size" : "40","parameter_size" : "0","output_type_shape" : [{"float":[1,10]}],"thread_scheduling_stats" : ""}},',
];

describe('parseOrtLog', () => {
  it('reads the count of a graph placed on one provider, and the rewrites that applied', () => {
    expect(parseOrtLog(WASM_LOG)).toEqual({
      providers: [{ provider: 'CPUExecutionProvider', count: 6, ops: [] }],
      total: 6,
      rewrites: ['MatMulAddFusion', 'QDQSelectorActionTransformer', 'GemmActivationFusion'],
      noKernel: [],
      executed: [],
    });
  });

  it('reads each provider block of a split graph with its op types', () => {
    const report = parseOrtLog(SPLIT_LOG);
    expect(report?.total).toBe(7);
    expect(report?.providers).toEqual([
      {
        provider: 'WebGpuExecutionProvider',
        count: 5,
        ops: ['MatMul', 'Add', 'Relu', 'Gemm', 'MemcpyFromHost'],
      },
      { provider: 'CPUExecutionProvider', count: 2, ops: ['Cast', 'ArgMax'] },
    ]);
    expect(report?.noKernel).toEqual(['Cast']);
  });

  it('reads lines that arrive several to a console call', () => {
    expect(parseOrtLog([SPLIT_LOG.join('\n')])?.providers[1].ops).toEqual(['Cast', 'ArgMax']);
  });

  it('reads the op type and provider of each node a profiled call ran', () => {
    const report = parseOrtLog([...WASM_LOG, ...PROFILE]);
    expect(executedOps(report)).toBe('DequantizeLinear, Sub, Mul, FusedGemm, MatMulNBits, Softmax');
    expect(report?.executed.every((n) => n.provider === 'CPUExecutionProvider')).toBe(true);
    expect(report?.total).toBe(6); // from the placement, not the profile
    expect(executedOps(null)).toBe('');
  });

  it('falls back on the profile when no placement was printed', () => {
    const gpu = PROFILE.map((l) => l.replace('CPUExecutionProvider', 'WebGpuExecutionProvider'));
    gpu[1] = PROFILE[1]; // the Sub stays on the CPU
    const report = parseOrtLog(gpu);
    expect(report?.providers.map((p) => [p.provider, p.count])).toEqual([
      ['WebGpuExecutionProvider', 5],
      ['CPUExecutionProvider', 1],
    ]);
    expect(placementText(report)).toBe('1 of 6 nodes on CPU: Sub');
  });

  it('is null without a placement (a log that is not verbose)', () => {
    expect(parseOrtLog([])).toBeNull();
    expect(parseOrtLog(WASM_LOG.slice(0, 5))).toBeNull();
  });
});

describe('placementText', () => {
  it('names the CPU nodes of a split graph', () => {
    expect(placementText(parseOrtLog(SPLIT_LOG))).toBe('2 of 7 nodes on CPU: Cast, ArgMax');
  });

  it('counts an op type that runs on the CPU more than once', () => {
    const twice = [
      `${V}  Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 18`,
      `${V}   Mul (m)`,
      `${V}  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 4`,
      ...['DynamicQuantizeLinear (q0)', 'MatMulInteger (mm0)', 'DynamicQuantizeLinear (q1)'],
      'MatMulInteger (mm1)',
    ].map((l, i) => (i > 2 ? `${V}   ${l}` : l));
    expect(placementText(parseOrtLog(twice))).toBe(
      '4 of 22 nodes on CPU: DynamicQuantizeLinear x2, MatMulInteger x2',
    );
  });

  it('says where a graph on one provider ran', () => {
    expect(placementText(parseOrtLog(WASM_LOG))).toBe('all 6 nodes on CPU');
    const gpu = [`${V}  All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 1`];
    expect(placementText(parseOrtLog(gpu))).toBe('all 1 node on WebGPU');
  });

  it('says so when onnxruntime printed no placement', () => {
    expect(placementText(null)).toBe(PLACEMENT_NOT_REPORTED);
  });

  it('names providers shortly', () => {
    expect(providerName('JsExecutionProvider')).toBe('WebGPU');
    expect(providerName('WebNNExecutionProvider')).toBe('WebNN');
  });
});
