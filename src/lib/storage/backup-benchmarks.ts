/**
 * Backup checks for the benchmark lab's store (schema v4): the shape of each record. Like the
 * other checks, they look at the fields the app reads and keep any other field as it was.
 */
import {
  array,
  fail,
  finite,
  integer,
  object,
  oneOf,
  optionalString,
  string,
  text,
  time,
  type Obj,
} from './backup-checks';
import type { BenchmarkRecord } from './benchmark-records';

function boolean(value: unknown, path: string): void {
  if (typeof value !== 'boolean') fail(path, 'expected true or false');
}

/** A finite number >= 0 (a duration, a size, a rate). */
function nonNegative(value: unknown, path: string): void {
  finite(value, path);
  if ((value as number) < 0) fail(path, 'expected a number >= 0');
}

/** A fraction in [0, 1] (an accuracy). */
function fraction(value: unknown, path: string): void {
  finite(value, path);
  if ((value as number) < 0 || (value as number) > 1) fail(path, 'expected a number from 0 to 1');
}

function environment(value: unknown, path: string): void {
  const o = object(value, path);
  text(o.userAgent, `${path}.userAgent`);
  text(o.browser, `${path}.browser`);
  integer(o.cores, `${path}.cores`, 0);
  for (const f of ['crossOriginIsolated', 'wasmSimd', 'wasmThreads']) boolean(o[f], `${path}.${f}`);
  nonNegative(o.timerResolutionMs, `${path}.timerResolutionMs`);
  const gpu = object(o.webgpu, `${path}.webgpu`);
  boolean(gpu.api, `${path}.webgpu.api`);
  boolean(gpu.adapter, `${path}.webgpu.adapter`);
  for (const f of ['vendor', 'architecture', 'description', 'reason'])
    optionalString(gpu, f, `${path}.webgpu`);
  if (gpu.isFallbackAdapter !== undefined)
    boolean(gpu.isFallbackAdapter, `${path}.webgpu.isFallbackAdapter`);
  array(o.notes, `${path}.notes`).forEach((n, i) => text(n, `${path}.notes[${i}]`));
}

function cell(value: unknown, path: string): void {
  const o = object(value, path);
  for (const f of ['versionId', 'variant', 'runtime', 'actualRuntime'])
    string(o[f], `${path}.${f}`);
  for (const f of ['threads', 'batch', 'n', 'groupSize']) integer(o[f], `${path}.${f}`, 1);
  oneOf(o.timing, `${path}.timing`, ['per-call', 'group-means']);
  for (const f of [
    'p50',
    'p95',
    'p99',
    'max',
    'mean',
    'min',
    'throughputPerSec',
    'coldStartMs',
    'timerResolutionMs',
    'overheadMs',
  ])
    nonNegative(o[f], `${path}.${f}`);
  optionalString(o, 'label', path);
  if (o.accuracy !== undefined) fraction(o.accuracy, `${path}.accuracy`);
  integer(o.sizeBytes, `${path}.sizeBytes`, 0);
}

function failure(value: unknown, path: string): void {
  const o: Obj = object(value, path);
  for (const f of ['versionId', 'runtime']) string(o[f], `${path}.${f}`);
  integer(o.threads, `${path}.threads`, 1);
  text(o.message, `${path}.message`);
}

export function benchmarkRecord(value: unknown, path: string): BenchmarkRecord {
  const o = object(value, path);
  string(o.id, `${path}.id`);
  time(o.createdAt, `${path}.createdAt`);
  environment(o.environment, `${path}.environment`);
  array(o.cells, `${path}.cells`).forEach((c, i) => cell(c, `${path}.cells[${i}]`));
  if (o.failures !== undefined)
    array(o.failures, `${path}.failures`).forEach((f, i) => failure(f, `${path}.failures[${i}]`));
  if (o.slo !== undefined) {
    const slo = object(o.slo, `${path}.slo`);
    nonNegative(slo.p99Ms, `${path}.slo.p99Ms`);
    integer(slo.batch, `${path}.slo.batch`, 1);
    fraction(slo.minAccuracy, `${path}.slo.minAccuracy`);
  }
  return o as unknown as BenchmarkRecord;
}
