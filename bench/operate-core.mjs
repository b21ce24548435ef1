// The app's pure core, as the operate benchmark uses it: one module that Node loads through
// Vite's module runner (bench/operate.mjs) and that the Chromium drift page bundles
// (bench/operate-drift-page.mjs), so both time the same code the app ships.
export { DEFAULT_SPLIT, gatherRows, parseDigitsCsv, stratifiedSplit } from '../src/lib/core/data';
export { datasetDrift, driftTest, ksTest, prepareReference } from '../src/lib/core/drift';
export { Monitor } from '../src/lib/core/monitor';
export { PredictionLog, RequestLedger } from '../src/lib/core/prediction-log';
export { createRng } from '../src/lib/core/rng';
export { applyScenarios, compileScenarios } from '../src/lib/core/scenarios';
export { baselineWorld } from '../src/lib/core/sim-baseline';
export { runSimulation } from '../src/lib/core/sim-run';
export { windowDrift } from '../src/lib/core/sim-window-drift';
export { createTraffic } from '../src/lib/core/traffic';
export { SEASONALITY } from '../src/lib/engine/simulator';
