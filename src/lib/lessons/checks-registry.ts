/**
 * Checks graded on the learner's model registry and serving endpoint (the Registry and Serve
 * labs). Pure functions of the LabSnapshot, like every check.
 */
import type { CheckFn, LabSnapshot } from './checks';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

type ModelSummary = LabSnapshot['models'][number];

function bestVersion(model: ModelSummary) {
  const scored = model.versions.filter((v) => v.testAccuracy !== undefined);
  return scored.length
    ? scored.reduce((a, b) => (b.testAccuracy! > a.testAccuracy! ? b : a))
    : undefined;
}

export const REGISTRY_CHECKS: {
  'registry-versions': CheckFn<'registry-versions'>;
  'champion-is-best': CheckFn<'champion-is-best'>;
  'endpoint-served': CheckFn<'endpoint-served'>;
} = {
  'registry-versions': (state, params) => {
    const best = state.models.reduce<ModelSummary | undefined>(
      (a, m) => (!a || m.versions.length > a.versions.length ? m : a),
      undefined,
    );
    if (best && best.versions.length >= params.min) {
      return {
        passed: true,
        message: `${best.name} has ${best.versions.length} versions (needed ${params.min}).`,
      };
    }
    return {
      passed: false,
      message: best
        ? `${best.name} has ${best.versions.length} version(s); register ${params.min - best.versions.length} more (train another run, then "Register").`
        : 'No model registered yet. Open the Registry, pick a completed run and press "Register".',
    };
  },

  'champion-is-best': (state) => {
    const withChampion = state.models.filter((m) => m.aliases.champion !== undefined);
    if (withChampion.length === 0) {
      return {
        passed: false,
        message:
          'No model has a "champion" alias yet. In the Registry, press "Make champion" on a version.',
      };
    }
    for (const m of withChampion) {
      const best = bestVersion(m);
      const champion = m.versions.find((v) => v.version === m.aliases.champion);
      if (
        best &&
        champion?.testAccuracy !== undefined &&
        champion.testAccuracy >= best.testAccuracy!
      ) {
        return {
          passed: true,
          message: `champion of ${m.name} is v${champion.version} (${pct(champion.testAccuracy)}), the best of its ${m.versions.length} versions on the test split.`,
        };
      }
    }
    const m = withChampion[0];
    const best = bestVersion(m);
    return {
      passed: false,
      message: best
        ? `champion of ${m.name} points at v${m.aliases.champion}, but v${best.version} scored higher (${pct(best.testAccuracy!)}). Move the alias to the better version.`
        : `No version of ${m.name} has a recorded test accuracy to compare.`,
    };
  },

  'endpoint-served': (state, params) => {
    const last = state.lastServed;
    if (!last) {
      return {
        passed: false,
        message:
          'No endpoint has served requests yet. Open Serve, start the champion and send requests.',
      };
    }
    const [name, v] = last.versionId.split('@v');
    const model = state.models.find((m) => m.name === name);
    const isChampion = model?.aliases.champion === Number(v);
    if (!isChampion) {
      return {
        passed: false,
        message: `The last endpoint served ${last.versionId}, which is not the champion of ${name}. Serve the champion.`,
      };
    }
    if (last.served < params.minRequests) {
      return {
        passed: false,
        message: `The champion served ${last.served} requests; send at least ${params.minRequests} (a burst does it).`,
      };
    }
    return {
      passed: true,
      message: `${last.versionId} (champion) served ${last.served} requests on ${last.runtime}, ${last.rejected} rejected by the schema.`,
    };
  },
};
