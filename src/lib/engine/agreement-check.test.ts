/** The agreement check through the real serving worker module, run in this thread. */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MlpWeights } from '../core/mlp';
import { encodeMlp } from '../core/mlp-codec';
import { mlpToOnnx } from '../core/onnx/export';
import { createRng } from '../core/rng';
import type { ServeWorkerRequest } from '../protocol/serve';
import { checkAgreement } from './agreement-check';
import type { ServeWorkerLike } from './serve-client';

type Listener = (event: MessageEvent<unknown>) => void;
let toWorker: Listener | null = null;
let toPage: Listener | null = null;

function deliver(listener: Listener | null, message: unknown, transfer: Transferable[] = []): void {
  const data = structuredClone(message, { transfer });
  setTimeout(() => listener?.({ data } as MessageEvent<unknown>), 0);
}

function inThreadWorker(): ServeWorkerLike {
  let alive = true;
  return {
    postMessage: (message: ServeWorkerRequest, transfer?: Transferable[]) => {
      if (alive) deliver(toWorker, message, transfer);
    },
    addEventListener: (type: string, listener: Listener) => {
      if (type === 'message') toPage = (event) => alive && listener(event);
    },
    terminate: () => {
      alive = false;
    },
  } as ServeWorkerLike;
}

beforeAll(async () => {
  vi.stubGlobal('addEventListener', (type: string, listener: Listener) => {
    if (type === 'message') toWorker = listener;
  });
  vi.stubGlobal('postMessage', (message: unknown, transfer?: Transferable[]) =>
    deliver(toPage, message, transfer),
  );
  await import('../workers/serve.worker');
});

const rng = createRng(5);
const rand = (n: number, s = 0.5) => Float32Array.from({ length: n }, () => rng.normal() * s);
const model: MlpWeights = {
  inputSize: 6,
  layers: [
    { weights: rand(6 * 8), bias: rand(8), activation: 'tanh' },
    { weights: rand(8 * 4), bias: rand(4), activation: 'softmax' },
  ],
};
const rows = 50;
const x = rand(rows * 6, 2);
const base = {
  onnx: mlpToOnnx(model, { inputName: 'x', outputName: 'p', properties: {} }),
  weights: encodeMlp(model),
  x,
  rows: Int32Array.from({ length: 30 }, (_, i) => i + 10),
  createWorker: inThreadWorker,
  batchSize: 7,
};

describe('checkAgreement', () => {
  it('finds the reference runtime in full agreement with forward', async () => {
    const report = await checkAgreement({ ...base, runtime: 'plain-ts' });
    expect(report).toMatchObject({
      runtime: 'plain-ts',
      actualRuntime: 'plain-ts',
      variant: 'fp32',
      ok: true,
      problems: [],
      agreement: { rows: 30, maxAbsDiff: 0, top1Agreement: 1 },
    });
  });

  it('flags a candidate that disagrees, and names the fallback it ran on', async () => {
    const other: MlpWeights = {
      ...model,
      layers: [model.layers[0], { ...model.layers[1], weights: rand(8 * 4, 3) }],
    };
    const report = await checkAgreement({
      ...base,
      runtime: 'tfjs-webgpu',
      candidateWeights: encodeMlp(other),
    });
    expect(report.actualRuntime).toBe('plain-ts');
    expect(report.fallbackReason).toMatch(/not installed/);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(/max \|delta p\|/);
    expect(report.agreement.top1Agreement).toBeLessThan(1);
  });

  it('uses the variant tolerance, refuses bad rows, and honours an aborted signal', async () => {
    const report = await checkAgreement({ ...base, runtime: 'plain-ts', variant: 'int8' });
    expect(report.tolerance).toEqual({ minTop1: 0.98 });
    await expect(checkAgreement({ ...base, runtime: 'plain-ts', rows: [50] })).rejects.toThrow(
      /Row index 50 is outside \[0, 50\)/,
    );
    await expect(
      checkAgreement({ ...base, runtime: 'plain-ts', signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    const controller = new AbortController();
    const running = checkAgreement({ ...base, runtime: 'plain-ts', signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
  });
});
