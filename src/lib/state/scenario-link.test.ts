import { describe, expect, it } from 'vitest';
import { DEFAULT_OPERATE_SPEC, type OperateSpec } from './operate-spec';
import { parseHash } from './router.svelte';
import {
  decodeScenario,
  encodeScenario,
  parseScenarioFile,
  scenarioHash,
  scenarioUrl,
  stringifyScenarioFile,
} from './scenario-link';

const spec: OperateSpec = {
  ...DEFAULT_OPERATE_SPEC,
  seed: 42,
  scenarios: [],
  thresholds: {},
  hiddenControls: ['scenarios', 'thresholds'],
};

describe('scenario links', () => {
  it('round-trips a spec through a link the router understands', () => {
    const hash = scenarioHash(spec);
    expect(hash).toMatch(/^#\/operate\/scenario\/[A-Za-z0-9_-]+$/);
    const route = parseHash(hash);
    expect(route.name).toBe('operate');
    const payload = route.name === 'operate' ? route.scenario! : '';
    expect(decodeScenario(payload)).toEqual({ ok: true, spec });
    expect(scenarioUrl(spec, 'https://lab.example/app/#/classroom')).toBe(
      `https://lab.example/app/${hash}`,
    );
  });

  it('explains a damaged or wrong link, naming the field', () => {
    expect(decodeScenario('')).toEqual({ ok: false, error: 'the scenario link is empty' });
    expect(decodeScenario('abc$')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/damaged.*base64url/),
    });
    expect(decodeScenario(encodeScenario(spec).slice(0, -3))).toMatchObject({ ok: false });
    const bad = encodeScenario({ ...spec, seed: 1.5 });
    expect(decodeScenario(bad)).toEqual({
      ok: false,
      error: 'the scenario link has a problem: seed must be a safe integer, got 1.5',
    });
    expect(decodeScenario('x'.repeat(20_000))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/limit/),
    });
  });

  it('reads and writes the scenario file', () => {
    expect(parseScenarioFile(stringifyScenarioFile(spec))).toEqual({ ok: true, spec });
    expect(parseScenarioFile('')).toEqual({ ok: false, error: 'the file is empty' });
    expect(parseScenarioFile('{"format":"x"}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^format:/),
    });
    const wrong = JSON.stringify({
      format: 'pocket-mlops-scenario',
      version: 1,
      spec: { ...spec, dataset: 'iris' },
    });
    expect(parseScenarioFile(wrong)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^spec: dataset must be/),
    });
    expect(parseScenarioFile('{"format":')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not valid JSON/),
    });
  });
});
