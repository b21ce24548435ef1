/**
 * Scenario links and files: an instructor hands out an Operate simulation (seed, data set,
 * traffic, drift scenarios, thresholds, hidden controls) as a URL `#/operate/scenario/<base64url
 * JSON>` or a small JSON file. Decoding is strict: a bad link or file gives a message naming the
 * field and why, and nothing changes.
 */
import { parseOperateSpec, type OperateSpec } from './operate-spec';

export const SCENARIO_FILE_FORMAT = 'pocket-mlops-scenario';
/** Longest link payload accepted, in characters (a spec with 8 scenarios is well under 4 KB). */
export const MAX_SCENARIO_LINK_CHARS = 16_384;
/** Largest scenario file accepted: 64 KB. */
export const MAX_SCENARIO_FILE_BYTES = 64 * 1024;

/** A decoded spec, or why it could not be read (a sentence for the learner). */
export type ScenarioResult = { ok: true; spec: OperateSpec } | { ok: false; error: string };

/** The small JSON file an instructor can share instead of a link. */
export interface ScenarioFile {
  format: typeof SCENARIO_FILE_FORMAT;
  version: 1;
  spec: OperateSpec;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(data: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(data) || data.length % 4 === 1) return null;
  const padded = data.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((data.length + 3) % 4);
  try {
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The link payload (base64url of the spec's JSON, no padding) for `spec`. */
export function encodeScenario(spec: OperateSpec): string {
  return toBase64Url(JSON.stringify(spec));
}

/** The full hash for a spec, e.g. `#/operate/scenario/eyJkYXRhc2V0Ijoi...`. */
export function scenarioHash(spec: OperateSpec): string {
  return `#/operate/scenario/${encodeScenario(spec)}`;
}

/** A shareable URL: this page's address (no hash) plus the scenario hash. */
export function scenarioUrl(spec: OperateSpec, base: string): string {
  return `${base.replace(/#.*$/, '')}${scenarioHash(spec)}`;
}

/** Decodes a link payload (the part after `#/operate/scenario/`). */
export function decodeScenario(payload: string): ScenarioResult {
  if (payload.length === 0) return { ok: false, error: 'the scenario link is empty' };
  if (payload.length > MAX_SCENARIO_LINK_CHARS)
    return {
      ok: false,
      error: `the scenario link is ${payload.length} characters long; the limit is ${MAX_SCENARIO_LINK_CHARS}`,
    };
  const json = fromBase64Url(payload);
  if (json === null)
    return {
      ok: false,
      error: 'the scenario link is damaged (it is not valid base64url): copy the whole link again',
    };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {
      ok: false,
      error: 'the scenario link is damaged (its content is not JSON): copy the whole link again',
    };
  }
  return named(parseOperateSpec(value), 'the scenario link');
}

function named(result: ScenarioResult, what: string): ScenarioResult {
  return result.ok ? result : { ok: false, error: `${what} has a problem: ${result.error}` };
}

/** The scenario file's text (pretty JSON) for `spec`. */
export function stringifyScenarioFile(spec: OperateSpec): string {
  const file: ScenarioFile = { format: SCENARIO_FILE_FORMAT, version: 1, spec };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parses a scenario file's text; the error names the field. */
export function parseScenarioFile(text: string): ScenarioResult {
  if (text.trim() === '') return { ok: false, error: 'the file is empty' };
  if (new TextEncoder().encode(text).length > MAX_SCENARIO_FILE_BYTES)
    return {
      ok: false,
      error: `the file is larger than the ${MAX_SCENARIO_FILE_BYTES / 1024} KB limit for a scenario file`,
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      error: `the file is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      ok: false,
      error: 'this is not a Pocket MLOps scenario file (expected a JSON object)',
    };
  const o = value as Record<string, unknown>;
  if (o.format !== SCENARIO_FILE_FORMAT)
    return {
      ok: false,
      error: `format: this is not a Pocket MLOps scenario file (expected "${SCENARIO_FILE_FORMAT}")`,
    };
  if (o.version !== 1)
    return {
      ok: false,
      error: `version: unsupported scenario file version ${JSON.stringify(o.version)}; this app reads version 1`,
    };
  for (const k of Object.keys(o))
    if (!['format', 'version', 'spec'].includes(k))
      return { ok: false, error: `unknown field "${k}"` };
  const r = parseOperateSpec(o.spec);
  return r.ok ? r : { ok: false, error: `spec: ${r.error}` };
}
