// Serving: per runtime, batch 1 and batch 64, in headless Chromium. Builds the bench-only harness
// (bench/serve/, bench/vite.serve.config.ts), which imports the app's serving code from src/,
// serves it with the app's headers (cross-origin isolated, same CSP), and drives it step by step;
// the page returns raw samples and they are summarised here (numpy's linear percentiles).
import { mkdirSync, writeFileSync } from 'node:fs';
import { build, preview } from 'vite';
import { openBenchBrowser } from './browser.mjs';
import { median, summarize } from './stats.mjs';

const CONFIG = 'bench/vite.serve.config.ts';
const PORT = 4180;
/** Raw samples of the last run (git-ignored; results.json keeps the summaries). */
export const SERVE_SAMPLES = 'test-output/bench/serve-samples.json';

/** The Serve screen's default batching policy (src/lib/state/serving.svelte.ts). */
export const DEFAULT_POLICY = Object.freeze({ maxBatch: 32, maxWaitMs: 2 });

/**
 * The rows of the table: runtime, threads, and whether DESIGN.md's serving budgets apply: to
 * onnxruntime-web wasm, the Serve screen's default runtime (CONTRACTS.md); plain TS is the
 * reference the ratio divides by; tfjs and WebGPU are reported, not budgeted.
 */
function runtimeRows(cores) {
  return [
    { key: 'ort-wasm-1', runtime: 'ort-wasm', threads: 1, budgeted: true },
    { key: `ort-wasm-${cores}`, runtime: 'ort-wasm', threads: cores, budgeted: true },
    { key: 'tfjs-wasm', runtime: 'tfjs-wasm', threads: 1, budgeted: false },
    { key: 'tfjs-webgl', runtime: 'tfjs-webgl', threads: 1, budgeted: false },
    { key: 'plain-ts', runtime: 'plain-ts', threads: 1, budgeted: false, reference: true },
    { key: 'ort-webgpu', runtime: 'ort-webgpu', threads: 1, budgeted: false },
  ];
}

const isSoftware = (name) => /swiftshader|llvmpipe|software|fallback/i.test(name ?? '');

/** Per-call and group-mean summaries of the session worker's reply, by batch size. */
function sessionSummary(reply) {
  if (!reply.ok) return { ok: false, error: reply.error };
  return {
    ok: true,
    threads: reply.threads,
    details: reply.details,
    loadMs: reply.loadMs,
    timerResolutionMs: reply.timerResolutionMs,
    crossOriginIsolated: reply.crossOriginIsolated,
    batches: Object.fromEntries(
      reply.batches.map((b) => [
        b.batch,
        {
          perCall: summarize(b.perCallMs),
          groupSize: b.groupSize,
          groupMeans: summarize(b.groupMeansMs),
          plainGroupSize: b.plainGroupSize,
          plainGroupMeans: summarize(b.plainGroupMeansMs),
        },
      ]),
    ),
  };
}

function clientSummary(reply) {
  if (!reply.ok) return { ok: false, error: reply.error };
  return {
    ok: true,
    info: reply.info,
    startMs: reply.startMs,
    agreement: reply.agreement,
    batches: Object.fromEntries(
      reply.batches.map((b) => [
        b.batch,
        { roundTrip: summarize(b.roundTripMs), compute: summarize(b.computeMs) },
      ]),
    ),
  };
}

function endpointSummary(reply, burst) {
  if (!reply.ok) return { ok: false, error: reply.error };
  const throughput = burst.policies.map((policy) => {
    const bursts = reply.bursts.filter(
      (b) => b.maxBatch === policy.maxBatch && b.maxWaitMs === policy.maxWaitMs,
    );
    const tasks = bursts.map((b) => b.longestTaskMs);
    const warmup = reply.warmups.find(
      (b) => b.maxBatch === policy.maxBatch && b.maxWaitMs === policy.maxWaitMs,
    );
    return {
      ...policy,
      /** The warm-up burst before the timed ones: the Serve screen's default size, 2,000. */
      warmup,
      burstSize: burst.size,
      medianPerSecond: median(bursts.map((b) => b.perSecond)),
      bursts,
      longestTaskMs: tasks.includes(null) ? null : Math.max(...tasks),
    };
  });
  return {
    ok: true,
    info: reply.info,
    failed: reply.failed,
    request: summarize(reply.requestMs),
    latency: summarize(reply.latencyMs),
    throughput,
  };
}

/**
 * Runs every runtime row. `counts`: timed calls and groups per batch size and phase (>= 1,000 for
 * DESIGN.md's percentiles), warm-up calls, and a cap per phase for slow software adapters.
 */
export async function servingBench({
  counts = { calls: 1000, groups: 1000, warmup: 200, maxPhaseMs: 10_000 },
  burst = { size: 20_000, repeats: 5, policies: [DEFAULT_POLICY, { maxBatch: 64, maxWaitMs: 2 }] },
  softwareCounts = { calls: 300, groups: 0, warmup: 50, maxPhaseMs: 5_000 },
  softwareBurst = { size: 5_000, repeats: 1, policies: [DEFAULT_POLICY] },
  log = () => {},
} = {}) {
  await build({ configFile: CONFIG, logLevel: 'warn' });
  const server = await preview({ configFile: CONFIG, logLevel: 'silent' });
  // WebGPU rows: the flag it needs on Linux (SwiftShader, a CPU implementation).
  const { page, pageErrors, close } = await openBenchBrowser('bench-serve-profile', {
    webgpu: true,
  });
  try {
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.locator('#status[data-status="ready"]').waitFor({ state: 'attached' });
    const env = await page.evaluate(() => window.__serveBench.environment());
    const model = await page.evaluate(() => window.__serveBench.prepare());
    log(`serve: model trained in ${Math.round(model.trainMs)} ms, env ${JSON.stringify(env)}`);
    const raw = [];
    const rows = [];
    for (const row of runtimeRows(env.hardwareConcurrency)) {
      const t0 = Date.now();
      // On a software GPU (SwiftShader) the GPU rows are correctness checks: fewer calls.
      const software =
        (row.runtime === 'ort-webgpu' && isSoftware(env.webgpu)) ||
        (row.runtime === 'tfjs-webgl' && isSoftware(env.webgl));
      const rowCounts = software ? softwareCounts : counts;
      const rowBurst = software ? softwareBurst : burst;
      const args = [row.runtime, row.threads, rowCounts];
      const session = await page.evaluate(
        ([runtime, threads, c]) => window.__serveBench.session(runtime, threads, c),
        args,
      );
      const client = await page.evaluate(
        ([runtime, threads, c]) => window.__serveBench.client(runtime, threads, c),
        args,
      );
      const endpoint = await page.evaluate(
        ([runtime, threads, c, b]) => window.__serveBench.endpoint(runtime, threads, c, b),
        [...args, rowBurst],
      );
      raw.push({ key: row.key, session, client, endpoint });
      const info = client.ok ? client.info : null;
      const adapter = info?.details?.adapter;
      const softwareGpu =
        (row.runtime === 'ort-webgpu' &&
          info?.actualRuntime === 'ort-webgpu' &&
          isSoftware(adapter)) ||
        (row.runtime === 'tfjs-webgl' &&
          info?.actualRuntime === 'tfjs-webgl' &&
          isSoftware(env.webgl));
      rows.push({
        ...row,
        actualRuntime: info?.actualRuntime ?? null,
        fallbackReason: info?.fallbackReason ?? null,
        threadsInUse: info?.threads ?? null,
        details: info?.details ?? null,
        softwareGpu,
        session: sessionSummary(session),
        client: clientSummary(client),
        counts: rowCounts,
        endpoint: endpointSummary(endpoint, rowBurst),
      });
      log(`serve: ${row.key} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    // Batch 1, runtime / plain TS. `groupMeans`: the runtime's p50 of group means (single calls
    // where too slow to group) over the p50 of the plain baseline timed in the same worker,
    // interleaved with it. `perCall`: the serve worker's per-call computeMs p50s (quantised).
    const plain = rows.find((r) => r.runtime === 'plain-ts');
    const plainCompute = plain?.client.ok ? plain.client.batches[1].compute.p50 : null;
    for (const r of rows) {
      const b1 = r.session.ok ? r.session.batches[1] : null;
      const call = b1 ? (b1.groupMeans.p50 ?? b1.perCall.p50) : null;
      const base = b1?.plainGroupMeans.p50 ?? null;
      const compute = r.client.ok ? r.client.batches[1].compute.p50 : null;
      r.ratioToPlain = {
        groupMeans: call !== null && base ? call / base : null,
        perCall: compute !== null && plainCompute ? compute / plainCompute : null,
      };
    }
    mkdirSync('test-output/bench', { recursive: true });
    writeFileSync(SERVE_SAMPLES, JSON.stringify({ env, model, raw }));
    return {
      env,
      model,
      counts,
      burst,
      softwareCounts,
      softwareBurst,
      pageErrors,
      rawSamples: SERVE_SAMPLES,
      rows,
    };
  } finally {
    await close();
    await new Promise((done) => server.httpServer.close(done));
  }
}
