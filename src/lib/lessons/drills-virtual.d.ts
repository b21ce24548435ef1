// The drills half of `virtual:course` (scripts/lessons-plugin.ts); merges with src/env.d.ts.
declare module 'virtual:course' {
  import type { Drill } from './drills-types';
  /** Every drill of lessons/drills/, validated at build time. */
  export const drills: Drill[];
}
