import { describe, expect, it } from 'vitest';
import {
  editModel,
  graphOf,
  META,
  randomModel,
  type ModelSpec,
} from '../../../../tests/fixtures/onnx/models';
import { createRng } from '../rng';
import { mlpToOnnx } from './export';
import { OnnxFormatError, readOnnx } from './inspect';
import { onnx } from './proto';

const SPEC: ModelSpec = {
  inputSize: 6,
  sizes: [5, 3],
  activations: ['tanh', 'softmax'],
  preprocess: true,
  seed: 3,
};
const BYTES = mlpToOnnx(randomModel(SPEC), META);

describe('readOnnx', () => {
  it('reads back what mlpToOnnx wrote', () => {
    const s = readOnnx(BYTES);
    expect(s.irVersion).toBe(8);
    expect(s.opsets).toEqual([{ domain: '', version: 13 }]);
    expect(s.producer).toBe('pocket-mlops');
    expect(s.producerVersion).toBe('0.1.0');
    expect(s.graphName).toBe('test-mlp');
    expect(s.docString).toBe('A test model.');
    expect(s.inputs).toEqual([{ name: 'features', elemType: 'float32', shape: ['batch', 6] }]);
    expect(s.outputs).toEqual([
      { name: 'probabilities', elemType: 'float32', shape: ['batch', 3] },
    ]);
    expect(s.metadata).toEqual(META.properties);
    expect(s.sizeBytes).toBe(BYTES.length);
    expect(s.nodes.map((n) => n.opType)).toEqual([
      'Sub',
      'Mul',
      'MatMul',
      'Add',
      'Tanh',
      'MatMul',
      'Add',
      'Softmax',
    ]);
    expect(s.nodes[2]).toEqual({
      name: 'layer0/MatMul',
      opType: 'MatMul',
      domain: '',
      inputs: ['preprocess/scaled', 'layer0.weight'],
      outputs: ['layer0/matmul'],
      attributes: {},
    });
    expect(s.nodes[7].attributes).toEqual({ axis: -1 });
    expect(s.nodes[7].outputs).toEqual(['probabilities']);
    expect(s.initializers).toEqual([
      { name: 'preprocess.offset', dataType: 'float32', dims: [6], bytes: 24, storage: 'raw' },
      { name: 'preprocess.scale', dataType: 'float32', dims: [6], bytes: 24, storage: 'raw' },
      { name: 'layer0.weight', dataType: 'float32', dims: [6, 5], bytes: 120, storage: 'raw' },
      { name: 'layer0.bias', dataType: 'float32', dims: [5], bytes: 20, storage: 'raw' },
      { name: 'layer1.weight', dataType: 'float32', dims: [5, 3], bytes: 60, storage: 'raw' },
      { name: 'layer1.bias', dataType: 'float32', dims: [3], bytes: 12, storage: 'raw' },
    ]);
    expect(s.valueInfo).toContainEqual({
      name: 'layer0/tanh',
      elemType: 'float32',
      shape: ['batch', 5],
    });
  });

  it('leaves out what the export was not given', () => {
    const s = readOnnx(
      mlpToOnnx(randomModel(SPEC), {
        ...META,
        producerVersion: undefined,
        docString: undefined,
        graphName: undefined,
        properties: {},
      }),
    );
    expect([s.producerVersion, s.docString, s.graphName, s.metadata]).toEqual(['', '', 'mlp', {}]);
  });

  it('reads attributes of every kind', () => {
    const bytes = editModel(BYTES, (m) => {
      graphOf(m).node?.[0].attribute?.push(
        { name: 'f', type: 1, f: 0.5 },
        { name: 's', type: 3, s: new TextEncoder().encode('hé') },
        { name: 'fs', type: 6, floats: [1, 2] },
        { name: 'is', type: 7, ints: [3, -4] },
        { name: 'ss', type: 8, strings: [new TextEncoder().encode('a')] },
        { name: 't', type: 4, t: { dataType: 3, dims: [2, 2] } },
      );
    });
    expect(readOnnx(bytes).nodes[0].attributes).toEqual({
      f: 0.5,
      s: 'hé',
      fs: [1, 2],
      is: [3, -4],
      ss: ['a'],
      t: 'tensor int8 [2, 2]',
    });
  });
});

describe('readOnnx on bad input', () => {
  const fails = (bytes: Uint8Array, message: RegExp) => {
    expect(() => readOnnx(bytes)).toThrow(OnnxFormatError);
    expect(() => readOnnx(bytes)).toThrow(message);
  };

  it('empty', () => fails(new Uint8Array(), /^empty file/));

  it('random bytes', () => {
    for (let seed = 0; seed < 50; seed++) {
      const rng = createRng(seed);
      const bytes = Uint8Array.from({ length: 16 + rng.int(500) }, () => rng.int(256));
      fails(bytes, /^not an ONNX model/);
    }
  });

  it('other file types, named', () => {
    fails(new TextEncoder().encode('{"model": 1}'), /not an ONNX model.*looks like JSON text/);
    fails(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]), /zip archive/);
  });

  it('truncated', () => {
    fails(BYTES.subarray(0, BYTES.length >> 1), /^truncated: field 'graph'/);
    fails(BYTES.subarray(0, 10), /^truncated/);
    fails(BYTES.subarray(0, BYTES.length - 1), /^truncated/);
  });

  it('no graph', () => {
    fails(
      editModel(BYTES, (m) => (m.graph = null)),
      /^no graph/,
    );
  });

  it('IR version above 8', () => {
    fails(
      editModel(BYTES, (m) => (m.irVersion = 9)),
      /^IR version 9 is newer than this app reads/,
    );
  });

  it('missing IR version', () =>
    fails(
      editModel(BYTES, (m) => (m.irVersion = 0)),
      /^no IR version/,
    ));

  it('missing default opset', () => {
    fails(
      editModel(BYTES, (m) => (m.opsetImport = [])),
      /^missing opset/,
    );
    fails(
      editModel(BYTES, (m) => (m.opsetImport = [{ domain: 'ai.onnx.ml', version: 3 }])),
      /^missing opset/,
    );
  });

  it('an integer too large to read exactly', () => {
    const bytes = editModel(BYTES, (m) => {
      const t = graphOf(m).initializer?.[0] as onnx.ITensorProto;
      t.dims = [2 ** 60];
    });
    fails(bytes, /^not an ONNX model: integer \d+ is too large to read exactly/);
  });

  it('a nested field running past its parent', () => {
    // graph (field 7) at the top level stays consistent; its first node's length is inflated.
    const bytes = Uint8Array.from(onnx.ModelProto.encode(onnx.ModelProto.decode(BYTES)).finish());
    const graphAt = bytes.indexOf(0x3a); // tag of field 7, wire type 2
    let p = graphAt + 1;
    while (bytes[p] & 0x80) p++;
    expect(bytes[p + 1]).toBe(0x0a); // GraphProto.node
    bytes[p + 2] = 0x7f; // the node now claims 127 bytes
    expect(() => readOnnx(bytes)).toThrow(/^not an ONNX model/);
  });
});
