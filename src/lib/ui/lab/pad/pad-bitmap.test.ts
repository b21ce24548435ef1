import { describe, expect, it } from 'vitest';
import { bitmapFromPixels, inkSegment, poolBitmap, setBlock, PAD_SIZE } from './pad-bitmap';

describe('digit pad bitmaps', () => {
  it('pools 4×4 blocks of a 32×32 bitmap into counts 0..16', () => {
    const bitmap = new Uint8Array(PAD_SIZE * PAD_SIZE);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) bitmap[y * PAD_SIZE + x] = 1;
    bitmap[5 * PAD_SIZE + 30] = 1; // block row 1, column 7
    bitmap[31 * PAD_SIZE + 31] = 1; // block row 7, column 7
    const px = poolBitmap(bitmap);
    expect(px).toHaveLength(64);
    expect(px[0]).toBe(16);
    expect(px[1 * 8 + 7]).toBe(1);
    expect(px[63]).toBe(1);
    expect(px.reduce((a, b) => a + b, 0)).toBe(18);
  });

  it('setBlock and bitmapFromPixels round-trip every count', () => {
    const pixels = Array.from({ length: 64 }, (_, i) => i % 17);
    expect([...poolBitmap(bitmapFromPixels(pixels))]).toEqual(pixels);
    const bitmap = new Uint8Array(PAD_SIZE * PAD_SIZE);
    setBlock(bitmap, 2, 3, 8);
    expect(poolBitmap(bitmap)[2 * 8 + 3]).toBe(8);
    setBlock(bitmap, 2, 3, 99);
    expect(poolBitmap(bitmap)[2 * 8 + 3]).toBe(16);
  });

  it('a stroke inks a band of pixels along its segment', () => {
    const bitmap = new Uint8Array(PAD_SIZE * PAD_SIZE);
    expect(inkSegment(bitmap, 2, 16, 30, 16)).toBe(true);
    const px = poolBitmap(bitmap);
    // The horizontal stroke at y = 16 crosses block rows 3 and 4 only.
    for (let c = 1; c < 7; c++) expect(px[3 * 8 + c] + px[4 * 8 + c]).toBeGreaterThan(0);
    for (const r of [0, 1, 2, 5, 6, 7]) for (let c = 0; c < 8; c++) expect(px[r * 8 + c]).toBe(0);
    expect(inkSegment(bitmap, 2, 16, 30, 16)).toBe(false);
  });
});
