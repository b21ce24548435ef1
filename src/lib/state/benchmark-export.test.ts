import { describe, expect, it } from 'vitest';
import { benchRecord } from '../../../tests/fixtures/storage/benchmark';
import {
  BENCHMARK_FILE_FORMAT,
  CSV_COLUMNS,
  benchmarkCsv,
  benchmarkJson,
  csvField,
  exportFileName,
} from './benchmark-export';

/** A minimal RFC 4180 reader, to check what we write parses back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('benchmark CSV', () => {
  it('has a header and one row per cell, with the environment on each row', () => {
    const record = benchRecord();
    const rows = parseCsv(benchmarkCsv(record, { p99Ms: 0.01, batch: 1, minAccuracy: 0.96 }));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const at = (r: string[], col: (typeof CSV_COLUMNS)[number]) => r[CSV_COLUMNS.indexOf(col)];
    expect(at(rows[1], 'version')).toBe('digits-classifier@v1');
    expect(at(rows[1], 'runtime')).toBe('ort-wasm');
    expect(Number(at(rows[1], 'p99_ms'))).toBe(0.0302);
    expect(at(rows[1], 'timing')).toBe('group-means');
    expect(at(rows[1], 'slo')).toBe('fail'); // p99 30 µs > 10 µs
    expect(at(rows[2], 'slo')).toBe('pass');
    expect(at(rows[2], 'cross_origin_isolated')).toBe('true');
    expect(at(rows[2], 'webgpu_adapter')).toBe('google swiftshader (fallback)');
    expect(at(rows[1], 'created_at')).toBe('2024-05-01T08:00:00.000Z');
    expect(parseCsv(benchmarkCsv(record))[1][CSV_COLUMNS.indexOf('slo')]).toBe('');
  });

  it('quotes fields with commas, quotes or line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(0.5)).toBe('0.5');
    const record = benchRecord();
    record.cells[0].label = 'emulated (dequantized); fell back, "twice"';
    const row = parseCsv(benchmarkCsv(record))[1];
    expect(row[CSV_COLUMNS.indexOf('label')]).toBe('emulated (dequantized); fell back, "twice"');
  });
});

describe('benchmark JSON and file names', () => {
  it('is the record with a format tag', () => {
    const record = benchRecord();
    expect(JSON.parse(benchmarkJson(record))).toEqual({
      format: BENCHMARK_FILE_FORMAT,
      version: 1,
      ...JSON.parse(JSON.stringify(record)),
    });
    expect(exportFileName(record, 'csv')).toBe('pocket-mlops-benchmark-2024-05-01T08-00-00Z.csv');
  });
});
