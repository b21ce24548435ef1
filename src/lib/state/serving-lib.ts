/**
 * The lazy boundary of the Serve screen: the endpoint, the agreement check and the model loader
 * (serving-model.ts) are loaded on first use, so the app's first paint does not carry them.
 * Import this module's type and loader, never serving-model itself, from reactive state.
 */
export type ServeLib = typeof import('./serving-model');

export const loadServeLib = (): Promise<ServeLib> => import('./serving-model');
