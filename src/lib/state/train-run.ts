/**
 * What starting a run needs beyond the form: the data set loader, the splitter, the fingerprint,
 * the worker owner and the record builders. TrainingState imports this module on the first
 * `start()`, so the app's first paint does not carry it.
 */
export { DEFAULT_SPLIT, datasetFingerprint, stratifiedSplit } from '../core/data';
export { loadDataset } from '../engine/datasets';
export { TrainError, Trainer } from '../engine/trainer';
export { completedRecord, failureReason, runningRecord, stoppedRecord } from './run-record';
