/**
 * The registry of what a lesson may embed: widgets (live UI, named, never CSS selectors) and
 * checks (pure functions over a LabSnapshot that grade `check` exercises).
 *
 * To add a widget: add an entry to `WIDGETS` in catalog-widgets.ts (description + props schema),
 * then map the name to a Svelte component in the lesson UI. To add a check: add an entry to
 * `CHECKS` in catalog-checks.ts, then its implementation in checks.ts (`CHECK_IMPLEMENTATIONS` is typed so a missing one fails `tsc`).
 * The parser validates every block against these schemas, so a lesson cannot name something
 * that does not exist or pass a prop the widget does not understand.
 */

import { CHECKS } from './catalog-checks';
import type { ValuesOf } from './catalog-schema';
import { WIDGETS } from './catalog-widgets';

export * from './catalog-schema';
export { CHECKS } from './catalog-checks';
export { LIFECYCLE_STAGES, WIDGETS, type LifecycleStageId } from './catalog-widgets';

export type WidgetName = keyof typeof WIDGETS;
export type CheckName = keyof typeof CHECKS;

export function isWidgetName(name: string): name is WidgetName {
  return Object.hasOwn(WIDGETS, name);
}

export function isCheckName(name: string): name is CheckName {
  return Object.hasOwn(CHECKS, name);
}

export type WidgetProps<N extends WidgetName> = ValuesOf<(typeof WIDGETS)[N]['props']>;
export type CheckParams<N extends CheckName> = ValuesOf<(typeof CHECKS)[N]['params']>;
