import { drills } from 'virtual:course';
import type { Drill } from '../lessons/drills-types';

/** The interview drills, in file order, parsed and validated at build time (scripts/lessons-plugin.ts). */
export const DRILLS: readonly Drill[] = drills;

/** Finds a drill by its stable id. */
export function drillById(id: string): Drill | undefined {
  return DRILLS.find((d) => d.meta.id === id);
}
