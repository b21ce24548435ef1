import { describe, expect, it } from 'vitest';
import {
  editModel,
  graphOf,
  META,
  randomModel,
  type ModelSpec,
} from '../../../../tests/fixtures/onnx/models';
import type { Activation } from '../mlp';
import { mlpToOnnx } from './export';
import { OnnxFormatError, onnxToMlp, UnsupportedModelError } from './import';
import type { onnx } from './proto';

const SPEC: ModelSpec = {
  inputSize: 6,
  sizes: [5, 3],
  activations: ['relu', 'softmax'],
  preprocess: true,
  seed: 11,
};
const MODEL = randomModel(SPEC);
const BYTES = mlpToOnnx(MODEL, META);
const PLAIN = mlpToOnnx(randomModel({ ...SPEC, preprocess: false }), META);

const nodes = (m: onnx.ModelProto) => graphOf(m).node as onnx.INodeProto[];
const tensor = (m: onnx.ModelProto, name: string) =>
  graphOf(m).initializer?.find((t) => t.name === name) as onnx.ITensorProto;

function refuses(bytes: Uint8Array, message: RegExp | string, kind = UnsupportedModelError): void {
  expect(() => onnxToMlp(bytes)).toThrow(kind);
  expect(() => onnxToMlp(bytes)).toThrow(message);
}

describe('onnxToMlp round trip', () => {
  const acts: Activation[] = ['relu', 'tanh', 'sigmoid', 'softmax', 'linear'];
  const cases: ModelSpec[] = [];
  [[], [4], [5, 4], [6, 5, 4]].forEach((hidden, depth) =>
    acts.forEach((act, a) =>
      cases.push({
        inputSize: 3 + depth,
        sizes: [...hidden, 2 + a],
        activations: [...hidden.map(() => act), acts[(a + depth) % acts.length]],
        preprocess: (a + depth) % 2 === 0,
        seed: 100 + depth * 10 + a,
      }),
    ),
  );
  const named = cases.map(
    (c) => [c.sizes.join('-'), c.activations.join(','), c.preprocess, c] as const,
  );
  it.each(named)('layers %s, %s, preprocess %s: reads back exactly', (_s, _a, _p, spec) => {
    const model = randomModel(spec);
    const { model: back, metadata } = onnxToMlp(mlpToOnnx(model, META));
    expect(back).toEqual(model);
    expect(metadata).toEqual(META.properties);
  });

  it('also reads float_data, the ai.onnx domain spelling, opset 21 and unused opset imports', () => {
    const bytes = editModel(BYTES, (m) => {
      const bias = tensor(m, 'layer0.bias');
      bias.floatData = Array.from(MODEL.layers[0].bias);
      bias.rawData = new Uint8Array();
      m.opsetImport = [
        { domain: 'ai.onnx', version: 21 },
        { domain: 'ai.onnx.ml', version: 3 },
      ];
    });
    expect(onnxToMlp(bytes).model).toEqual(MODEL);
  });
});

describe('onnxToMlp refuses', () => {
  it('files that are not ONNX models', () => {
    refuses(new Uint8Array(), /^empty file/, OnnxFormatError);
    refuses(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]), /^not an ONNX model/, OnnxFormatError);
    refuses(BYTES.subarray(0, BYTES.length >> 1), /^truncated/, OnnxFormatError);
    refuses(
      editModel(BYTES, (m) => (m.irVersion = 9)),
      /^IR version 9/,
      OnnxFormatError,
    );
  });

  it('an unsupported operator, named', () => {
    const bytes = editModel(BYTES, (m) => {
      nodes(m).splice(2, 0, { name: 'conv1', opType: 'Conv', input: ['x', 'w'], output: ['y'] });
    });
    refuses(
      bytes,
      "unsupported model: operator Conv (node 'conv1') is not one this lab can run; supported: " +
        'Sub, Mul, MatMul, Add, Relu, Tanh, Sigmoid, Softmax.',
    );
    const contrib = editModel(BYTES, (m) => {
      Object.assign(nodes(m)[2], { opType: 'DynamicQuantizeMatMul', domain: 'com.microsoft' });
    });
    refuses(contrib, /operator com.microsoft.DynamicQuantizeMatMul \(node 'layer0\/MatMul'\)/);
  });

  it('opsets outside 13 to 21', () => {
    for (const version of [11, 12, 22]) {
      const bytes = editModel(BYTES, (m) => (m.opsetImport = [{ domain: '', version }]));
      refuses(bytes, `unsupported model: opset ${version} of the default ONNX domain`);
    }
  });

  it('non-float32 weights and inputs', () => {
    const int8 = editModel(BYTES, (m) => {
      Object.assign(tensor(m, 'layer0.weight'), { dataType: 3, rawData: new Uint8Array(30) });
    });
    refuses(int8, /weight 'layer0.weight' of node 'layer0\/MatMul' \(MatMul\) is int8/);
    const f64 = editModel(BYTES, (m) => {
      const type = graphOf(m).input?.[0].type?.tensorType as onnx.TypeProto.ITensor;
      type.elemType = 11;
    });
    refuses(f64, "input 'features' is float64; this lab reads float32.");
  });

  it('shapes that do not chain, or say nothing', () => {
    const turned = editModel(BYTES, (m) => (tensor(m, 'layer0.weight').dims = [5, 6]));
    refuses(
      turned,
      "weight 'layer0.weight' of node 'layer0/MatMul' (MatMul) has dims [5, 6]; expected [6, n] " +
        'to follow a value of width 6.',
    );
    const corrupt = editModel(BYTES, (m) => (tensor(m, 'layer0.weight').dims = [6, 6]));
    refuses(corrupt, /^corrupt: .*dims \[6, 6\] but 120 bytes/, OnnxFormatError);
    const symbolic = editModel(BYTES, (m) => {
      const dim = graphOf(m).input?.[0].type?.tensorType?.shape?.dim ?? [];
      dim[1] = { dimParam: 'features' };
    });
    refuses(symbolic, /fixed number of features/);
  });

  it('patterns in the wrong order or form', () => {
    refuses(
      editModel(PLAIN, (m) => nodes(m).reverse()),
      /node 'layer1\/Softmax' \(Softmax\) does not fit the patterns this lab reads; after 'features' it expects preprocessing \(Sub then Mul\), or dense layer \(MatMul then Add\)/,
    );
    const swapped = editModel(PLAIN, (m) => nodes(m)[0].input?.reverse());
    refuses(swapped, /node 'layer0\/MatMul' \(MatMul\) must take 'features' as input 1/);
    const reversedSub = editModel(BYTES, (m) => nodes(m)[0].input?.reverse());
    refuses(reversedSub, /node 'preprocess\/Sub' \(Sub\) must take 'features' as input 1/);
    const twice = editModel(PLAIN, (m) => {
      const relu = { name: 'again', opType: 'Relu', input: ['layer0/relu'], output: ['again'] };
      nodes(m).splice(3, 0, relu);
    });
    refuses(twice, /node 'again' \(Relu\) does not fit .* expects dense layer \(MatMul then Add\)/);
    const branch = editModel(PLAIN, (m) => (nodes(m)[1].input = ['layer0.bias', 'features']));
    refuses(branch, /node 'layer0\/Add' \(Add\) does not take 'layer0\/matmul'/);
  });

  it('weights that are not stored, attributes it does not read, a foreign softmax axis', () => {
    const missing = editModel(BYTES, (m) => {
      graphOf(m).initializer = graphOf(m).initializer?.filter((t) => t.name !== 'layer1.bias');
    });
    refuses(missing, /reads 'layer1.bias', which is not a stored weight/);
    const attr = editModel(BYTES, (m) => {
      nodes(m)[4].attribute = [{ name: 'alpha', type: 1, f: 0.1 }];
    });
    refuses(
      attr,
      "unsupported model: node 'layer0/Relu' (Relu) has attribute 'alpha', which this lab does not read.",
    );
    const axis = editModel(
      BYTES,
      (m) => (nodes(m)[7].attribute = [{ name: 'axis', type: 2, i: 0 }]),
    );
    refuses(axis, /has axis 0; this lab reads softmax over classes/);
  });

  it('graphs whose output is not the end of one chain, or that hold no layer', () => {
    const extra = editModel(BYTES, (m) => {
      graphOf(m).output?.push({ name: 'layer0/relu' });
    });
    refuses(extra, /the graph outputs 'probabilities', 'layer0\/relu'; this lab reads one output/);
    const empty = editModel(BYTES, (m) => (graphOf(m).node = []));
    refuses(empty, 'unsupported model: the graph holds no dense layer (MatMul then Add).');
    const wide = editModel(BYTES, (m) => {
      const dims = graphOf(m).output?.[0].type?.tensorType?.shape?.dim ?? [];
      dims[1] = { dimValue: 4 };
    });
    refuses(
      wide,
      /output 'probabilities' is float32 \[batch, 4\]; the layers compute float32 \[batch, 3\]/,
    );
  });

  it('external data', () => {
    const external = editModel(BYTES, (m) => {
      Object.assign(tensor(m, 'layer0.bias'), {
        rawData: new Uint8Array(),
        dataLocation: 1,
        externalData: [{ key: 'location', value: 'weights.bin' }],
      });
    });
    refuses(external, /'layer0.bias' .* is stored outside the file/);
  });
});
