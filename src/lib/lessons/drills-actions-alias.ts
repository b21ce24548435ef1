/**
 * The `alias-rollback` check of an actions-graded drill: did the learner (not a policy) move the
 * alias back, after the attempt started, from the bad variant to the good one, say why, and
 * leave it there? Pure: reads the snapshot's alias history, versions and current aliases.
 */
import type { ActionsSnapshot, Verdict } from './drills-actions-grade';
import type { AliasRollbackAction } from './drills-actions-types';

type Move = ActionsSnapshot['aliasMoves'][number];

/** Grades one `alias-rollback` action against the moves at or after `startedAt` (ms). */
export function gradeAliasRollback(
  a: AliasRollbackAction,
  s: ActionsSnapshot,
  startedAt: number,
): Verdict {
  const variant = (model: string, v: number | null) =>
    v === null
      ? undefined
      : s.versions.find((x) => x.modelName === model && x.version === v)?.variant;
  const label = (model: string, v: number | null) =>
    v === null ? 'nothing' : `${model} v${v} (${variant(model, v) ?? 'deleted'})`;
  const how =
    `On the Registry screen, press "Roll back ${a.alias}" (or move ${a.alias} to the ${a.to} ` +
    'version), write why in the reason, and confirm.';
  const moves = s.aliasMoves
    .filter((m) => m.alias === a.alias && m.at >= startedAt && m.toVersion !== null)
    .sort((x, y) => y.at - x.at);
  const mine = moves.filter((m) => m.actor === 'learner');
  const back = (m: Move) =>
    variant(m.modelName, m.fromVersion) === a.from && variant(m.modelName, m.toVersion) === a.to;
  const rollbacks = mine.filter(back);
  if (rollbacks.length === 0) {
    const last = mine[0];
    if (last)
      return {
        correct: false,
        message:
          `You moved ${a.alias} from ${label(last.modelName, last.fromVersion)} to ` +
          `${label(last.modelName, last.toVersion)}: that is not a move from the ${a.from} ` +
          `version back to a ${a.to} one. ${how}`,
      };
    const now = Object.entries(s.aliases).flatMap(([model, aliases]) =>
      Object.hasOwn(aliases, a.alias) ? [label(model, aliases[a.alias])] : [],
    );
    const byPolicy =
      moves.length > 0 ? ' (the moves since the start were made by a policy, not by you)' : '';
    return {
      correct: false,
      message:
        `You did not move ${a.alias} since this attempt started${byPolicy}; it points at ` +
        `${now.length > 0 ? now.join(', ') : 'no version'}. ${how}`,
    };
  }
  const said = rollbacks.find((m) => m.reason.trim() !== '');
  const m = said ?? rollbacks[0];
  const what = `You moved ${a.alias} from ${label(m.modelName, m.fromVersion)} back to ${label(m.modelName, m.toVersion)}`;
  if (!said)
    return {
      correct: false,
      message:
        `${what}, but with an empty reason. The alias history is the incident's record: the ` +
        'next on-call reads why champion moved there. Move it with a reason.',
    };
  const current = s.aliases[m.modelName]?.[a.alias] ?? null;
  if (variant(m.modelName, current) !== a.to)
    return {
      correct: false,
      message: `${what}, but it now points at ${label(m.modelName, current)} again. ${how}`,
    };
  return { correct: true, message: `${what}, reason: "${m.reason.trim()}".` };
}
