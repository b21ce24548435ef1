import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fixture from '../../../tests/fixtures/data/data.json';
import { parseBreastCancerCsv, parseDigitsCsv, type Dataset } from './data';
import { datasetCanonicalBytes, datasetFingerprint, sha256Hex } from './fingerprint';
import { DEFAULT_SPLIT, stratifiedSplit } from './split';

const root = new URL('../../../', import.meta.url);
const digits = parseDigitsCsv(
  gunzipSync(readFileSync(new URL('public/data/digits.csv.gz', root))).toString('utf8'),
);
const cancer = parseBreastCancerCsv(
  readFileSync(new URL('public/data/breast_cancer.csv', root), 'utf8'),
);

function copy(ds: Dataset): Dataset {
  return {
    ...ds,
    x: ds.x.slice(),
    y: ds.y.slice(),
    classNames: [...ds.classNames],
    featureNames: [...ds.featureNames],
  };
}

describe('sha256Hex', () => {
  it('matches known digests and node:crypto', async () => {
    expect(await sha256Hex(new Uint8Array())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 255);
    expect(await sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    // A view into a larger buffer hashes only its own bytes.
    expect(await sha256Hex(bytes.subarray(10, 20))).toBe(
      createHash('sha256').update(bytes.subarray(10, 20)).digest('hex'),
    );
  });
});

describe('datasetFingerprint', () => {
  it('equals the encoding recomputed independently with numpy (gen_data.py)', async () => {
    expect(await datasetFingerprint(digits)).toBe(fixture.digits.fingerprint);
    expect(await datasetFingerprint(cancer)).toBe(fixture.breast_cancer.fingerprint);
  });

  it('is stable for the benchmark split (digits, default split, seed 0)', async () => {
    // Golden value: if it changes, the benchmark split changed (rng, splitter or encoding), and
    // recorded runs no longer match. Change it only on purpose.
    const split = stratifiedSplit(digits.y, DEFAULT_SPLIT, 0);
    expect(await datasetFingerprint(digits, split)).toBe(
      '32617db07da69c1e45edd7f82424e9d1f573a9f730b187d644a0f83717798784',
    );
    expect(
      await datasetFingerprint(copy(digits), stratifiedSplit(digits.y, DEFAULT_SPLIT, 0)),
    ).toBe(await datasetFingerprint(digits, split));
  });

  it('changes with any value, label, name, split part or part order', async () => {
    const base = await datasetFingerprint(cancer);
    const x = copy(cancer);
    x.x[1234] = Math.fround(x.x[1234] + 0.001);
    const y = copy(cancer);
    y.y[10] = 1 - y.y[10];
    const names = copy(cancer);
    names.classNames = ['benign', 'malignant'];
    const all = [x, y, names].map((d) => datasetFingerprint(d));
    for (const fp of await Promise.all(all)) expect(fp).not.toBe(base);

    const split = stratifiedSplit(cancer.y, DEFAULT_SPLIT, 0);
    const withSplit = await datasetFingerprint(cancer, split);
    expect(withSplit).not.toBe(base);
    const otherSeed = await datasetFingerprint(cancer, stratifiedSplit(cancer.y, DEFAULT_SPLIT, 1));
    expect(otherSeed).not.toBe(withSplit);
    const reordered = { ...split, test: split.test.slice().reverse() };
    expect(await datasetFingerprint(cancer, reordered)).not.toBe(withSplit);
    // Moving one index between parts must show even though the concatenation is the same.
    const moved = {
      train: split.train,
      validation: Int32Array.from([...split.validation, split.test[0]]),
      test: split.test.subarray(1),
    };
    expect(await datasetFingerprint(cancer, moved)).not.toBe(withSplit);
  });

  it('does not depend on the key order of the split object', async () => {
    const split = stratifiedSplit(cancer.y, DEFAULT_SPLIT, 0);
    const shuffledKeys = { test: split.test, train: split.train, validation: split.validation };
    expect(await datasetFingerprint(cancer, shuffledKeys)).toBe(
      await datasetFingerprint(cancer, split),
    );
  });

  it('rejects a data set whose arrays do not match its shape', async () => {
    const bad = { ...copy(cancer), rows: 10 };
    await expect(datasetFingerprint(bad)).rejects.toThrow(/expected 300 and 10/);
    expect(() => datasetCanonicalBytes(bad)).toThrow(/x has 17070 values/);
  });
});
