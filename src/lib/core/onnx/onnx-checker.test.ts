/**
 * Cross-checks against Python's `onnx.checker` (Debian's python3-onnx), run once by
 * `tests/fixtures/onnx/gen_onnx_check.py` over the `.onnx` files in that folder; its verdicts are
 * committed in `checker-verdicts.json`, so this test needs no Python.
 *
 * The `.onnx` fixtures are exports of seeded models, plus three broken by hand. This test proves
 * that they are still what `mlpToOnnx` writes today (byte for byte), so the verdicts still apply,
 * and that `checkGraph` agrees with the checker on every file. Regenerate after changing the
 * export: `UPDATE_ONNX_FIXTURES=1 npx vitest run src/lib/core/onnx/onnx-checker.test.ts`, then
 * `/usr/bin/python3 tests/fixtures/onnx/gen_onnx_check.py`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editModel, graphOf, META, randomModel } from '../../../../tests/fixtures/onnx/models';
import { mlpToOnnx } from './export';
import { checkGraph, readOnnx } from './inspect';

const DIR = join(__dirname, '../../../../tests/fixtures/onnx');

const digitsLike = mlpToOnnx(
  randomModel({
    inputSize: 64,
    sizes: [32, 16, 10],
    activations: ['relu', 'tanh', 'softmax'],
    preprocess: true,
    seed: 1,
  }),
  META,
);
const logistic = mlpToOnnx(
  randomModel({ inputSize: 30, sizes: [2], activations: ['sigmoid'], preprocess: false, seed: 2 }),
  META,
);

/** File name -> bytes. `broken-*` files are meant to fail the checker. */
const FIXTURES: Record<string, Uint8Array> = {
  'mlp-64-32-16-10.onnx': digitsLike,
  'mlp-30-2-sigmoid.onnx': logistic,
  'broken-topological-order.onnx': editModel(logistic, (m) => graphOf(m).node?.reverse()),
  'broken-undefined-input.onnx': editModel(logistic, (m) => {
    graphOf(m).node?.[0].input?.splice(1, 1, 'no-such-weight');
  }),
  'broken-shape-mismatch.onnx': editModel(logistic, (m) => {
    const dim = graphOf(m).valueInfo?.[0].type?.tensorType?.shape?.dim ?? [];
    dim[1] = { dimValue: 3 }; // layer0/matmul is [batch, 2]
  }),
};

type Verdicts = {
  onnx_version: string;
  files: Record<string, { sha256: string; checker: string; inferred_output_shape?: unknown }>;
};

if (process.env.UPDATE_ONNX_FIXTURES) {
  for (const [name, bytes] of Object.entries(FIXTURES)) writeFileSync(join(DIR, name), bytes);
}

const verdictPath = join(DIR, 'checker-verdicts.json');
const verdicts: Verdicts | null = existsSync(verdictPath)
  ? (JSON.parse(readFileSync(verdictPath, 'utf8')) as Verdicts)
  : null;

describe('agreement with Python onnx.checker', () => {
  it.each(Object.entries(FIXTURES))('%s is current and judged alike', (name, bytes) => {
    expect(readFileSync(join(DIR, name)), `${name} changed: see the header of this test`).toEqual(
      Buffer.from(bytes),
    );
    const verdict = verdicts?.files[name];
    expect(verdict, 'run tests/fixtures/onnx/gen_onnx_check.py').toBeDefined();
    expect(verdict?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const problems = checkGraph(readOnnx(bytes));
    if (name.startsWith('broken-')) {
      expect(verdict?.checker).not.toBe('ok');
      const rule = name.replace(/^broken-|\.onnx$/g, '');
      expect(problems.map((p) => p.rule)).toContain(rule);
    } else {
      expect(verdict?.checker).toBe('ok');
      expect(problems).toEqual([]);
      expect(verdict?.inferred_output_shape).toEqual(readOnnx(bytes).outputs[0].shape);
    }
  });
});
