import { describe, expect, it } from 'vitest';
import { canaryCompatible } from './canary-compat';
import type { InputSchema } from './input-schema';

function schema(features: number, nClasses: number): InputSchema {
  return {
    features,
    nClasses,
    classNames: Array.from({ length: nClasses }, (_, i) => `class ${i}`),
    featureNames: Array.from({ length: features }, (_, i) => `pixel ${i}`),
    min: new Array<number>(features).fill(0),
    max: new Array<number>(features).fill(16),
  };
}

describe('canaryCompatible', () => {
  it('accepts the same schema, and a registry version record that carries it', () => {
    expect(canaryCompatible(schema(64, 10), schema(64, 10))).toEqual({ ok: true, warnings: [] });
    const version = { id: 'digits@v2', inputSchema: schema(64, 10) };
    expect(canaryCompatible(version, { inputSchema: schema(64, 10) }).ok).toBe(true);
  });

  it('refuses another width with the reason', () => {
    const verdict = canaryCompatible(schema(64, 10), schema(30, 10));
    expect(verdict).toEqual({
      ok: false,
      reason: 'challenger expects 30 features, champion 64',
      reasons: ['challenger expects 30 features, champion 64'],
    });
    expect(canaryCompatible(schema(1, 2), schema(2, 2))).toMatchObject({
      reason: 'challenger expects 2 features, champion 1',
    });
  });

  it('refuses reordered or renamed features and classes, listing every problem', () => {
    const swapped = schema(4, 3);
    swapped.featureNames = ['pixel 0', 'pixel 2', 'pixel 1', 'pixel 3'];
    swapped.classNames = ['class 0', 'class 1', 'cat'];
    const verdict = canaryCompatible(schema(4, 3), swapped);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reason).toBe(
      'feature 1 is "pixel 2" for the challenger, "pixel 1" for the champion',
    );
    expect(verdict.reasons[1]).toBe(
      'class 2 is "cat" for the challenger, "class 2" for the champion',
    );
    expect(canaryCompatible(schema(4, 3), schema(4, 2))).toMatchObject({
      reason: 'challenger predicts 2 classes, champion 3',
    });
  });

  it('warns, without refusing, when training ranges differ', () => {
    const wider = schema(4, 3);
    wider.max = [16, 20, 16, 30];
    expect(canaryCompatible(schema(4, 3), wider)).toEqual({
      ok: true,
      warnings: [
        '2 features (first: pixel 1) have another training range, so outlier flags will differ',
      ],
    });
  });
});
