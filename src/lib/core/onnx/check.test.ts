import { describe, expect, it } from 'vitest';
import {
  editModel,
  graphOf,
  META,
  randomModel,
  type ModelSpec,
} from '../../../../tests/fixtures/onnx/models';
import { mlpToOnnx } from './export';
import { checkGraph, readOnnx, type OnnxSummary } from './inspect';

const SPEC: ModelSpec = {
  inputSize: 6,
  sizes: [5, 3],
  activations: ['tanh', 'softmax'],
  preprocess: true,
  seed: 3,
};
const BYTES = mlpToOnnx(randomModel(SPEC), META);

/** A copy of the export's summary, for breaking by hand. */
const fresh = (): OnnxSummary => structuredClone(readOnnx(BYTES));
const rules = (s: OnnxSummary) => checkGraph(s).map((p) => p.rule);

describe('checkGraph', () => {
  it('finds nothing wrong with exports of any shape', () => {
    expect(checkGraph(readOnnx(BYTES))).toEqual([]);
    for (const sizes of [[2], [4, 2], [5, 4, 3, 2]]) {
      const spec = { ...SPEC, sizes, activations: sizes.map(() => 'relu' as const) };
      expect(checkGraph(readOnnx(mlpToOnnx(randomModel(spec), META)))).toEqual([]);
    }
  });

  it('nodes out of topological order', () => {
    const s = fresh();
    [s.nodes[2], s.nodes[3]] = [s.nodes[3], s.nodes[2]];
    expect(checkGraph(s)[0]).toEqual({
      rule: 'topological-order',
      message:
        "node 'layer0/Add' (Add) uses 'layer0/matmul' before node 'layer0/MatMul' produces it",
    });
  });

  it('an input nothing defines', () => {
    const s = fresh();
    s.nodes[2].inputs[1] = 'layer0.kernel';
    expect(checkGraph(s)).toEqual([
      {
        rule: 'undefined-input',
        message: "node 'layer0/MatMul' (MatMul) uses 'layer0.kernel', which nothing defines",
      },
    ]);
  });

  it('duplicate names', () => {
    const s = fresh();
    s.initializers.push({ ...s.initializers[0] });
    s.nodes[4].outputs = ['layer0/matmul'];
    s.nodes[5].name = 'layer0/MatMul';
    expect(rules(s).filter((r) => r === 'duplicate-name')).toHaveLength(3);
  });

  it('initializer dims that do not match its bytes', () => {
    const s = fresh();
    s.initializers[3].bytes = 16;
    expect(checkGraph(s)[0].rule).toBe('initializer-size');
    expect(checkGraph(s)[0].message).toMatch(/'layer0.bias' has dims \[5\] \(20 bytes .*16 bytes/);
  });

  it('an output nothing produces', () => {
    const s = fresh();
    s.outputs[0].name = 'scores';
    expect(rules(s)).toEqual(['output-not-produced']);
  });

  it('inconsistent shapes', () => {
    const s = fresh();
    s.initializers[2].dims = [5, 6];
    s.initializers[2].dims.reverse(); // same bytes, still [6, 5]: fine
    expect(rules(s)).toEqual([]);
    s.initializers[4].dims = [3, 5]; // 60 bytes either way, but 5 -> 3 no longer chains
    expect(rules(s)).toContain('shape-mismatch');
    const t = fresh();
    t.valueInfo[0].shape = ['batch', 7];
    expect(checkGraph(t)).toEqual([
      {
        rule: 'shape-mismatch',
        message:
          "value 'preprocess/centered' is declared [batch, 7] but node 'preprocess/Sub' (Sub) " +
          'produces [batch, 6]',
      },
    ]);
  });

  it('finds the same problems in a re-encoded broken file', () => {
    const bytes = editModel(BYTES, (m) => {
      const nodes = graphOf(m).node ?? [];
      [nodes[0], nodes[1]] = [nodes[1], nodes[0]];
    });
    expect(rules(readOnnx(bytes))).toContain('topological-order');
  });
});
