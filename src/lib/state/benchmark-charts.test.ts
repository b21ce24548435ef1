import { describe, expect, it } from 'vitest';
import { benchCell } from '../../../tests/fixtures/storage/benchmark';
import { batchLines, batchesOf, lineLabel, orderCells, paretoMarks } from './benchmark-charts';

const cells = [
  benchCell({ runtime: 'plain-ts', actualRuntime: 'plain-ts', batch: 16, p99: 0.2, p95: 0.1 }),
  benchCell({ batch: 16, p99: 0.15, throughputPerSec: 300_000, p95: 0.09 }),
  benchCell({ batch: 1, p99: 0.03, throughputPerSec: 55_000, p95: 0.021, accuracy: 0.975 }),
  benchCell({
    runtime: 'plain-ts',
    actualRuntime: 'plain-ts',
    batch: 1,
    p99: 0.0066,
    p95: 0.0052,
    accuracy: 0.975,
  }),
  benchCell({
    versionId: 'digits-classifier@v2',
    variant: 'int8-dynamic',
    batch: 1,
    p95: 0.015,
    accuracy: 0.969,
    sizeBytes: 6000,
  }),
];

describe('benchmark chart data', () => {
  it('orders cells by version, runtime, threads, batch', () => {
    expect(orderCells(cells).map((c) => `${c.versionId} ${c.runtime} ${c.batch}`)).toEqual([
      'digits-classifier@v1 ort-wasm 1',
      'digits-classifier@v1 ort-wasm 16',
      'digits-classifier@v1 plain-ts 1',
      'digits-classifier@v1 plain-ts 16',
      'digits-classifier@v2 ort-wasm 1',
    ]);
    expect(batchesOf(cells)).toEqual([1, 16]);
  });

  it('one line per model x runtime x threads, x = log2(batch)', () => {
    const lines = batchLines(cells, 'throughputPerSec');
    expect(lines.map((l) => l.label)).toEqual([
      'digits-classifier v1 · ORT wasm',
      'digits-classifier v1 · plain TS',
      'digits-classifier v2 · ORT wasm',
    ]);
    expect(lines[0].points).toEqual([
      { x: 0, y: 55_000 },
      { x: 4, y: 300_000 },
    ]);
    expect(batchLines(cells, 'p99')[1].points.map((p) => p.y)).toEqual([0.0066, 0.2]);
    expect(lineLabel({ versionId: 'm@v3', actualRuntime: 'ort-wasm', threads: 2 })).toBe(
      'm v3 · ORT wasm · 2 threads',
    );
  });

  it('marks p95 against accuracy at one batch size, with the front flagged', () => {
    const marks = paretoMarks(cells, 1);
    expect(marks.map((m) => [m.n, m.latency, m.accuracy, m.onFront])).toEqual([
      [1, 0.021, 0.975, false], // ort fp32: plain TS is as accurate and faster
      [2, 0.0052, 0.975, true],
      [3, 0.015, 0.969, false],
    ]);
    expect(marks[2].sizeBytes).toBe(6000);
    expect(paretoMarks(cells, 64)).toEqual([]);
  });
});
