import { describe, expect, it } from 'vitest';
import { centroidProbabilities, fitCentroids } from './sim-centroid';

describe('nearest-centroid model', () => {
  const x = [0, 0, 0, 2, 10, 10, 10, 12];
  const model = fitCentroids(x, [0, 0, 1, 1], 2, 2, 1);

  it('fits class means', () => {
    expect(Array.from(model.centroids)).toEqual([0, 1, 10, 11]);
  });

  it('gives softmax(-distance / temperature) probabilities that sum to 1', () => {
    const p = centroidProbabilities(model, [0, 1, 10, 11, 5, 6], 3);
    const d = Math.hypot(10, 10);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-d)), 6);
    expect(p[3]).toBeCloseTo(1 / (1 + Math.exp(-d)), 6);
    expect(p[4]).toBeCloseTo(0.5, 6);
    for (let r = 0; r < 3; r++) expect(p[2 * r] + p[2 * r + 1]).toBeCloseTo(1, 6);
  });

  it('refuses bad shapes, labels, empty classes and temperatures', () => {
    expect(() => fitCentroids([1, 2, 3], [0, 1], 2, 2)).toThrow(/3 values for 2 rows/);
    expect(() => fitCentroids([1, 2], [5], 2, 2)).toThrow(/label 5/);
    expect(() => fitCentroids([1, 2], [0], 2, 2)).toThrow(/class 1 has no rows/);
    expect(() => fitCentroids(x, [0, 0, 1, 1], 2, 2, 0)).toThrow(/temperature/);
    expect(() => centroidProbabilities(model, [1], 1)).toThrow(/values for 1 rows/);
  });
});
