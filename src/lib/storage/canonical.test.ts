import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from './canonical';
import { progressFileChecksum } from './progress-file';

describe('canonical JSON and checksum', () => {
  it('sorts keys recursively and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: 'q' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":"q","z":1}]},"b":1}',
    );
  });

  it('hashes with SHA-256 (known vector)', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('does not depend on key order, and ignores the checksum field', async () => {
    const b = {
      format: 'x',
      app: { schemaVersion: 2, z: [1, { b: 2, a: 1 }] },
      checksum: 'ignored',
    };
    const reordered = { app: { z: [1, { a: 1, b: 2 }], schemaVersion: 2 }, format: 'x' };
    expect(await progressFileChecksum(reordered)).toBe(await progressFileChecksum(b));
    expect(await progressFileChecksum(b)).toBe(await sha256Hex(canonicalJson(reordered)));
  });
});
