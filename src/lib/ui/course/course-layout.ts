/**
 * The course map's layout: lessons grouped into steps by their prerequisites (a lesson sits one
 * step after its deepest prerequisite), in course order within a step. Pure.
 */
import type { LessonMeta } from '../../lessons/types';

export interface MapStep<T> {
  /** 1-based step number. */
  step: number;
  items: T[];
}

/**
 * Groups items by prerequisite depth. Prerequisites are validated at build time to exist, come
 * earlier and form no cycle; an unknown one is ignored here rather than trusted.
 */
export function layoutSteps<T extends { meta: Pick<LessonMeta, 'id' | 'prerequisites'> }>(
  lessons: readonly T[],
): MapStep<T>[] {
  const depth = new Map<string, number>();
  for (const l of lessons) {
    const pre = l.meta.prerequisites.map((p) => depth.get(p)).filter((d) => d !== undefined);
    depth.set(l.meta.id, pre.length === 0 ? 0 : Math.max(...pre) + 1);
  }
  const steps: MapStep<T>[] = [];
  for (const l of lessons) {
    const d = depth.get(l.meta.id)!;
    (steps[d] ??= { step: d + 1, items: [] }).items.push(l);
  }
  return steps.filter(Boolean);
}
