// Entry of the Chromium drift page (bench/operate.mjs bundles it): the same timing code as in
// Node (bench/operate-drift.mjs) over the same core modules, exposed to page.evaluate.
import * as core from './operate-core.mjs';
import { driftBench } from './operate-drift.mjs';

globalThis.__operateDrift = (csvText, options) => driftBench(core, csvText, options);
