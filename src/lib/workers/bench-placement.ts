/**
 * Reading onnxruntime's verbose session log and profile (OrtRuntime.graphLog): which execution
 * provider each node of the optimised graph was placed on, and which graph rewrites changed the
 * graph. onnxruntime prints the placement at session creation when the session's log level is
 * verbose (`VerifyEachNodeIsAssignedToAnEp` in session_state.cc, non-minimal builds, which
 * onnxruntime-web's are):
 *
 *     ... VerifyEachNodeIsAssignedToAnEp] Node placements
 *     ... VerifyEachNodeIsAssignedToAnEp]  All nodes placed on [CPUExecutionProvider]. Number of nodes: 5
 *
 * or, when the graph is split, one block per provider with a line per node:
 *
 *     ... VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 2
 *     ... VerifyEachNodeIsAssignedToAnEp]   Cast (cast_0)
 *
 * With profiling on, onnxruntime-web also prints the profile of each run: one JSON line per
 * executed node, with its op type and provider:
 *
 *     {"cat" : "Node", ..., "name" :"layer0/weight/DequantizeLinear_kernel_time","args" : {..., "op_name" : "DequantizeLinear","provider" : "CPUExecutionProvider", ...}},
 *
 * Pure functions of the lines: tested on real logs.
 */

/** Nodes one execution provider runs. */
export type ProviderNodes = {
  /** onnxruntime's name, e.g. `CPUExecutionProvider`, `WebGpuExecutionProvider`. */
  provider: string;
  count: number;
  /** Op types in the order printed (empty when onnxruntime printed only the count). */
  ops: string[];
};

export type OrtGraphReport = {
  providers: ProviderNodes[];
  /** Nodes of the optimised graph, all providers together. */
  total: number;
  /** Graph transformers that changed the graph, in order (e.g. `MatMulAddFusion`). */
  rewrites: string[];
  /** Op types a provider said it has no kernel for ("... kernel not found in registries"). */
  noKernel: string[];
  /** The nodes one profiled call ran, in order (empty without a profile). */
  executed: { op: string; provider: string }[];
};

const PLACED = /(?:All nodes|Node\(s\)) placed on \[([\w.-]+)\]\. Number of nodes: (\d+)/;
const NODE = /VerifyEachNodeIsAssignedToAnEp\]\s{2,}([\w.]+) \((.*)\)\s*$/;
const REWRITE = /GraphTransformer (\w+) modified: 1\b/;
const NO_KERNEL = /kernel not found in registries for Op type: (\w+)/;

/** A profile line of a node's kernel, or null. */
function profiledNode(line: string): { op: string; provider: string } | null {
  const text = line.trim().replace(/,$/, '');
  if (!text.startsWith('{') || !/"cat"\s*:\s*"Node"/.test(text)) return null;
  try {
    const event = JSON.parse(text) as { name?: string; args?: Record<string, unknown> };
    const { op_name: op, provider } = event.args ?? {};
    if (!event.name?.endsWith('_kernel_time') || typeof op !== 'string') return null;
    return { op, provider: typeof provider === 'string' ? provider : 'unknown' };
  } catch {
    return null;
  }
}

/**
 * The placement and rewrites in onnxruntime's log lines (a console call may hold several lines).
 * @returns null when the lines hold no placement (not a verbose log, or a build without it).
 */
export function parseOrtLog(lines: readonly string[]): OrtGraphReport | null {
  const providers: ProviderNodes[] = [];
  const rewrites: string[] = [];
  const executed: { op: string; provider: string }[] = [];
  const noKernel: string[] = [];
  let current: ProviderNodes | null = null;
  for (const line of lines.flatMap((l) => l.split('\n'))) {
    const run = profiledNode(line);
    if (run) {
      executed.push(run);
      continue;
    }
    const placed = PLACED.exec(line);
    if (placed) {
      current = { provider: placed[1], count: Number(placed[2]), ops: [] };
      providers.push(current);
      continue;
    }
    const node = NODE.exec(line);
    if (node && current) {
      current.ops.push(node[1]);
      continue;
    }
    const rewrite = REWRITE.exec(line);
    if (rewrite && !rewrites.includes(rewrite[1])) rewrites.push(rewrite[1]);
    const missing = NO_KERNEL.exec(line);
    if (missing && !noKernel.includes(missing[1])) noKernel.push(missing[1]);
  }
  // No placement printed but a profile: the providers of the nodes that ran.
  if (providers.length === 0)
    for (const { op, provider } of executed) {
      let p = providers.find((x) => x.provider === provider);
      if (!p) providers.push((p = { provider, count: 0, ops: [] }));
      p.count++;
      p.ops.push(op);
    }
  if (providers.length === 0) return null;
  const total = providers.reduce((n, p) => n + p.count, 0);
  return { providers, total, rewrites, noKernel, executed };
}

/** The op types one call ran, in order: "Sub, Mul, FusedGemm, Gemm, Softmax" ('' without a profile). */
export function executedOps(report: OrtGraphReport | null): string {
  return report ? report.executed.map((n) => n.op).join(', ') : '';
}

/** "CPU", "WebGPU", or onnxruntime's name for any other provider. */
export function providerName(provider: string): string {
  if (provider === 'CPUExecutionProvider') return 'CPU';
  if (provider === 'WebGpuExecutionProvider' || provider === 'JsExecutionProvider') return 'WebGPU';
  return provider.replace(/ExecutionProvider$/, '');
}

/** What the cell label says when onnxruntime printed no placement. */
export const PLACEMENT_NOT_REPORTED = 'node placement not reported by onnxruntime-web';

/**
 * The placement in a few words, for a WebGPU cell: "2 of 7 nodes on CPU: Cast, ArgMax" (an op
 * type that occurs more than once is counted: "MatMulInteger x2"),
 * "all 7 nodes on WebGPU", or {@link PLACEMENT_NOT_REPORTED}.
 */
export function placementText(report: OrtGraphReport | null): string {
  if (!report) return PLACEMENT_NOT_REPORTED;
  const cpu = report.providers.filter((p) => p.provider === 'CPUExecutionProvider');
  const onCpu = cpu.reduce((n, p) => n + p.count, 0);
  if (onCpu === 0 || onCpu === report.total) {
    const where = providerName(report.providers[0].provider);
    return `all ${report.total} node${report.total === 1 ? '' : 's'} on ${where}`;
  }
  const listed = cpu.flatMap((p) => p.ops);
  const ops = listed.length
    ? listed
    : report.executed.filter((n) => n.provider === 'CPUExecutionProvider').map((n) => n.op);
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
  const list = [...counts].map(([op, n]) => (n > 1 ? `${op} x${n}` : op)).join(', ');
  return `${onCpu} of ${report.total} nodes on CPU${list ? `: ${list}` : ''}`;
}
