import { describe, expect, it } from 'vitest';
import { layoutSteps } from './course-layout';

const lesson = (id: string, prerequisites: string[] = []) => ({ meta: { id, prerequisites } });

describe('course map layout', () => {
  it('puts each lesson one step after its deepest prerequisite, in course order', () => {
    const steps = layoutSteps([
      lesson('a'),
      lesson('b', ['a']),
      lesson('c', ['b']),
      lesson('d', ['b']),
      lesson('e', ['a', 'd']),
      lesson('f'),
    ]);
    expect(steps.map((s) => [s.step, s.items.map((l) => l.meta.id)])).toEqual([
      [1, ['a', 'f']],
      [2, ['b']],
      [3, ['c', 'd']],
      [4, ['e']],
    ]);
  });

  it('ignores an unknown prerequisite instead of dropping the lesson', () => {
    expect(layoutSteps([lesson('a', ['ghost'])])).toEqual([
      { step: 1, items: [lesson('a', ['ghost'])] },
    ]);
  });
});
