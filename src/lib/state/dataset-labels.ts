/**
 * Names of the bundled data sets for pickers. A module of its own so that only the screens that
 * show a picker load the data set code (the app state must not import it: first paint).
 */
export { DATASET_LABELS } from '../engine/datasets';
