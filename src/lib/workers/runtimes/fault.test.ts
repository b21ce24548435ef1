import { describe, expect, it } from 'vitest';
import { outputProblem } from '../../core/fallback-output';
import {
  isServeFault,
  isServeReply,
  isServeWorkerRequest,
  MAX_FAULT_LATENCY_MS,
} from '../../protocol/serve';
import { applyFault, corruptOutput, faultDelay, NO_FAULT } from './fault';

describe('fault state', () => {
  it('latency and corrupt add up, each replacing its own kind; clear resets; crash keeps', () => {
    let s = applyFault(NO_FAULT, { kind: 'latency', ms: 50 });
    s = applyFault(s, { kind: 'corrupt', mode: 'nan' });
    expect(s).toEqual({ latencyMs: 50, corrupt: 'nan' });
    s = applyFault(s, { kind: 'latency', ms: 5 });
    expect(applyFault(s, { kind: 'crash' })).toEqual({ latencyMs: 5, corrupt: 'nan' });
    expect(applyFault(s, { kind: 'clear' })).toEqual({ latencyMs: 0, corrupt: null });
  });

  it('spoils outputs so that the validity check fails, deterministically', () => {
    const clean = () => Float32Array.from([0.1, 0.2, 0.7, 0.96, 0.02, 0.02]);
    expect(outputProblem(clean(), 3)).toBeNull();
    const nan = clean();
    corruptOutput(nan, 3, 'nan');
    expect([...nan].map(Number.isNaN)).toEqual([true, false, false, true, false, false]);
    const scaled = clean();
    corruptOutput(scaled, 3, 'unnormalized');
    expect(scaled[2]).toBeCloseTo(1.85, 6);
    expect(outputProblem(scaled, 3)).toMatch(/outside \[0, 1\]/);
    const flat = Float32Array.from([0.25, 0.25, 0.25, 0.25]); // no value leaves [0, 1]...
    corruptOutput(flat, 4, 'unnormalized');
    expect(outputProblem(flat, 4)).toBe('row 0 sums to 2.9, not 1 (tolerance 0.001)'); // ...the sum does
  });

  it('waits the injected latency', async () => {
    const start = performance.now();
    await faultDelay(30);
    expect(performance.now() - start).toBeGreaterThanOrEqual(29);
    await expect(faultDelay(0)).resolves.toBeUndefined();
  });
});

describe('fault messages', () => {
  it('accepts well-formed faults and refuses the rest', () => {
    expect(isServeFault({ kind: 'crash' })).toBe(true);
    expect(isServeFault({ kind: 'clear' })).toBe(true);
    expect(isServeFault({ kind: 'latency', ms: 0 })).toBe(true);
    expect(isServeFault({ kind: 'latency', ms: MAX_FAULT_LATENCY_MS })).toBe(true);
    expect(isServeFault({ kind: 'latency', ms: MAX_FAULT_LATENCY_MS + 1 })).toBe(false);
    expect(isServeFault({ kind: 'latency', ms: -1 })).toBe(false);
    expect(isServeFault({ kind: 'latency', ms: NaN })).toBe(false);
    expect(isServeFault({ kind: 'latency' })).toBe(false);
    expect(isServeFault({ kind: 'corrupt', mode: 'unnormalized' })).toBe(true);
    expect(isServeFault({ kind: 'corrupt', mode: 'zeros' })).toBe(false);
    expect(isServeFault({ kind: 'meltdown' })).toBe(false);
    expect(isServeWorkerRequest({ type: 'fault', id: 'f', fault: { kind: 'crash' } })).toBe(true);
    expect(isServeWorkerRequest({ type: 'fault', fault: { kind: 'crash' } })).toBe(false);
    expect(isServeWorkerRequest({ type: 'fault', id: 'f', fault: 'crash' })).toBe(false);
    expect(isServeReply({ type: 'fault-set', id: 'f', latencyMs: 5, corrupt: null })).toBe(true);
    expect(isServeReply({ type: 'fault-set', id: 'f', latencyMs: 5, corrupt: 'nan' })).toBe(true);
    expect(isServeReply({ type: 'fault-set', id: 'f', latencyMs: '5', corrupt: null })).toBe(false);
    expect(isServeReply({ type: 'fault-set', id: 'f', latencyMs: 5 })).toBe(false);
  });
});
