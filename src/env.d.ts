/// <reference types="svelte" />
/// <reference types="vite/client" />

/** The package.json version, injected by Vite at build time. */
declare const __APP_VERSION__: string;

declare module 'virtual:course' {
  import type { Lesson } from './lib/lessons/types';
  /** Every lesson of lessons/, validated at build time. */
  const course: Lesson[];
  export default course;
}
