/**
 * Shape checks for the records of a backup file. Each returns quietly or throws an
 * ImportError naming the JSON path of the problem, e.g. `stores.runs[2].createdAt`.
 */
import { ImportError } from './errors';

export type Obj = Record<string, unknown>;

/** The `Object.prototype.toString` tag, which works across realms (unlike `instanceof`). */
export function tag(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

export function fail(path: string, message: string): never {
  throw new ImportError(message, path);
}

export function object(value: unknown, path: string): Obj {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    tag(value) !== 'Object'
  )
    fail(path, 'expected an object');
  return value as Obj;
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'expected a string');
  if (value === '') fail(path, 'expected a non-empty string');
  return value;
}

export function optionalString(o: Obj, field: string, path: string): void {
  if (o[field] !== undefined && typeof o[field] !== 'string')
    fail(`${path}.${field}`, 'expected a string');
}

export function oneOf(value: unknown, path: string, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value))
    fail(path, `expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
}

/** Any number, NaN and infinities included (a diverged loss is a real measurement). */
export function number(value: unknown, path: string): void {
  if (typeof value !== 'number') fail(path, 'expected a number');
}

export function finite(value: unknown, path: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'expected a number');
}

/** A time in ms since epoch. */
export function time(value: unknown, path: string): void {
  finite(value, path);
  if ((value as number) < 0) fail(path, 'expected a time in ms since 1970, not a negative number');
}

export function integer(value: unknown, path: string, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    fail(path, `expected an integer >= ${min}`);
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'expected an array');
  return value;
}

/** Any string, '' included (free text such as a note). */
export function text(value: unknown, path: string): void {
  if (typeof value !== 'string') fail(path, 'expected a string');
}
