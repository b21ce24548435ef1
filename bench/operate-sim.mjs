// 1,000,000 simulated requests with monitoring, in Node: the simulator's batched path (core
// runSimulation) with the real Monitor (10-minute windows, drift per window, CBPE, alerts), the
// request ledger and a bounded prediction log, traffic shaped as the app shapes it (daily
// seasonality, 1,000 users). Model: the nearest-centroid baseline (core sim-baseline.ts) fitted
// on the digits training split; the app's MLP runs in a worker runtime that Node lacks, and the
// baseline's cost per row (10 distances over 64 features) is of the order of a small MLP's.

/** Requests per simulated second: a simulated day holds about 1,036,800, more than needed. */
export const SIM_RATE = 12;
/** The run stops after exactly this many requests (batches of 1,000). */
export const SIM_REQUESTS = 1_000_000;

/**
 * Runs the simulation once and reports wall time, requests/s, windows closed, alerts and the
 * ledger's verdict. Building the world (fitting, calibrating) is timed apart from the run.
 * @param options.scenarios scenarios to inject (the default: brightness x0.6 from hour 12).
 */
export function simulationBench(core, csvText, options = {}) {
  const windowMs = options.windowMs ?? 600_000;
  const scenarios = options.scenarios ?? [
    { kind: 'brightness', params: { factor: 0.6 }, startMs: 12 * 3_600_000, rampMs: 0 },
  ];
  const seed = options.seed ?? 1;
  let t = performance.now();
  const world = core.baselineWorld(core.parseDigitsCsv(csvText));
  const worldMs = performance.now() - t;
  t = performance.now();
  const monitor = new core.Monitor({
    windowMs,
    features: world.features,
    nClasses: world.nClasses,
    featureNames: world.featureNames,
    reference: world.reference,
    referencePredictions: world.referencePredictions,
    referenceAccuracy: world.referenceAccuracy,
    calibrator: world.calibrator,
    seed,
  });
  const traffic = core.createTraffic({
    seed,
    ratePerSecond: SIM_RATE,
    durationSeconds: 86_400,
    seasonality: core.SEASONALITY,
    users: 1000,
    poolSize: world.pool.rows,
  });
  const set = core.compileScenarios(scenarios, {
    dataset: 'digits',
    features: world.features,
    nClasses: world.nClasses,
    poolLabels: world.pool.y,
  });
  // 'flag': a second answer is counted rather than thrown, so the verdict below can report it.
  const ledger = new core.RequestLedger({ onDuplicate: 'flag' });
  const log = new core.PredictionLog(500);
  const { requests, done } = core.runSimulation({
    seed,
    traffic,
    pool: world.pool,
    scenarios: set,
    predict: world.predict,
    versionId: 'baseline',
    monitor,
    ledger,
    log,
    batchSize: 1000,
    maxRequests: SIM_REQUESTS,
  });
  const wallMs = performance.now() - t;
  // Expected: every id the traffic handed out (0 .. nextRequestId - 1).
  const check = ledger.verify(traffic.nextRequestId);
  const drifted = monitor.windows.filter((w) => w.drift?.drifted).length;
  return {
    model: 'nearest-centroid baseline (core sim-baseline.ts), digits train split',
    referenceAccuracy: world.referenceAccuracy,
    /** The scenarios in words: kind, parameters, start hour. */
    scenarios: scenarios.map(
      (s) =>
        `${s.kind} (${Object.entries(s.params)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}) from simulated hour ${s.startMs / 3_600_000}`,
    ),
    /** Simulated hours covered by the closed windows (the last, partial window stays open). */
    closedHours: monitor.openWindowStartMs / 3_600_000,
    ratePerSecond: SIM_RATE,
    windowMinutes: windowMs / 60_000,
    logCapacity: 500,
    worldMs,
    wallMs,
    requests,
    done,
    requestsPerSecond: requests / (wallMs / 1000),
    windowsClosed: monitor.windows.length,
    windowsWithDriftVerdict: monitor.windows.filter((w) => w.drift).length,
    driftedWindows: drifted,
    alertsFiring: monitor.alerts.filter((a) => a.state === 'firing').map((a) => a.rule),
    ledger: {
      ok: check.ok,
      expected: check.expected,
      recorded: check.recorded,
      lost: check.lostCount,
      doubled: check.doubledCount,
    },
    logRecords: log.records().length,
  };
}
