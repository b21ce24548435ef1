/**
 * Whether a challenger can take a share of the champion's traffic: the same requests must mean
 * the same thing to both. A canary to a model that expects other inputs or names other classes
 * would fail (or, worse, answer nonsense) for every request routed to it, so it is refused with
 * the reason before any traffic moves. Differences that do not break requests (training ranges,
 * which only decide what is flagged as an outlier) are warnings.
 */
import type { InputSchema } from './input-schema';

/** A schema, or anything that carries one (a registry version record). */
export type HasSchema = InputSchema | { inputSchema: InputSchema };

export type CanaryCompatibility =
  | { ok: true; warnings: string[] }
  /** `reason`: the first problem, a sentence to show; `reasons`: all of them. */
  | { ok: false; reason: string; reasons: string[] };

function schemaOf(v: HasSchema): InputSchema {
  return 'inputSchema' in v ? v.inputSchema : v;
}

/** The first index where two lists differ, or -1. */
function firstDifference(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/**
 * Compares the challenger's input schema with the champion's.
 * Refused: a different number of features ("challenger expects 30 features, champion 64"),
 * different feature names or order (same width, other columns: requests would be read wrongly),
 * a different number of classes, different class names or order.
 * Warned: a feature whose training range differs (outlier flags will differ between the two).
 */
export function canaryCompatible(champion: HasSchema, challenger: HasSchema): CanaryCompatibility {
  const a = schemaOf(champion);
  const b = schemaOf(challenger);
  const reasons: string[] = [];
  if (a.features !== b.features) {
    reasons.push(`challenger expects ${plural(b.features, 'feature')}, champion ${a.features}`);
  } else {
    const i = firstDifference(a.featureNames, b.featureNames);
    if (i >= 0)
      reasons.push(
        `feature ${i} is "${b.featureNames[i]}" for the challenger, "${a.featureNames[i]}" for the champion`,
      );
  }
  if (a.nClasses !== b.nClasses) {
    reasons.push(
      `challenger predicts ${plural(b.nClasses, 'class', 'classes')}, champion ${a.nClasses}`,
    );
  } else {
    const i = firstDifference(a.classNames, b.classNames);
    if (i >= 0)
      reasons.push(
        `class ${i} is "${b.classNames[i]}" for the challenger, "${a.classNames[i]}" for the champion`,
      );
  }
  if (reasons.length > 0) return { ok: false, reason: reasons[0], reasons };
  const shifted: number[] = [];
  for (let j = 0; j < a.features; j++) {
    if (a.min[j] !== b.min[j] || a.max[j] !== b.max[j]) shifted.push(j);
  }
  const warnings =
    shifted.length === 0
      ? []
      : [
          `${plural(shifted.length, 'feature')} (first: ${a.featureNames[shifted[0]]}) ha${shifted.length === 1 ? 's' : 've'} another training range, so outlier flags will differ`,
        ];
  return { ok: true, warnings };
}
