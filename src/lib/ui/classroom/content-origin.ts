/**
 * Tells every `Markdown` below a component where the lesson text came from, so that text from an
 * imported lesson pack (quiz options and hints included) gets the strict sanitizer.
 */
import { getContext, setContext } from 'svelte';
import type { ContentOrigin } from '../../lessons/sanitize';

const KEY = Symbol('content-origin');

/** Marks the component tree under the caller as showing `origin` content. */
export function setContentOrigin(origin: ContentOrigin): void {
  setContext(KEY, origin);
}

/** The origin set by an ancestor; built-in when none was set. */
export function contentOrigin(): ContentOrigin {
  return getContext<ContentOrigin | undefined>(KEY) ?? 'built-in';
}
