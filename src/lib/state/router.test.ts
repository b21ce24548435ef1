import { describe, expect, it } from 'vitest';
import { hrefFor, parseHash, type Route } from './router.svelte';

describe('hash routes', () => {
  const routes: Route[] = [
    { name: 'home' },
    { name: 'lessons' },
    { name: 'lesson', lessonId: 'after-the-notebook' },
    { name: 'course' },
    { name: 'drills' },
    { name: 'drill', drillId: 'recs-1m-daily-users' },
    { name: 'train' },
    { name: 'run', runId: 'run-2026 11/25' },
    { name: 'registry' },
    { name: 'serve' },
    { name: 'operate' },
    { name: 'operate', scenario: 'eyJzZWVkIjoxfQ' },
    { name: 'rollout' },
    { name: 'rollout', start: 'canary' },
    { name: 'incidents' },
    { name: 'retrain' },
    { name: 'classroom' },
    { name: 'pack-lesson', packId: 'week-1', lessonId: 'class-warmup' },
    { name: 'about' },
  ];

  it('round-trips every route through its href', () => {
    for (const r of routes) expect(parseHash(hrefFor(r))).toEqual(r);
  });

  it('treats an empty hash as home and an unknown path as not found', () => {
    expect(parseHash('')).toEqual({ name: 'home' });
    expect(parseHash('#/nope/x')).toEqual({ name: 'not-found', path: '/nope/x' });
    expect(parseHash('#/train/runs')).toEqual({ name: 'not-found', path: '/train/runs' });
    expect(parseHash('#/operate/scenario')).toEqual({
      name: 'not-found',
      path: '/operate/scenario',
    });
    expect(parseHash('#/rollout/shadow')).toEqual({ name: 'not-found', path: '/rollout/shadow' });
    expect(parseHash('#/rollout/canary/x')).toEqual({
      name: 'not-found',
      path: '/rollout/canary/x',
    });
    expect(parseHash('#/classroom/packs/week-1')).toEqual({
      name: 'not-found',
      path: '/classroom/packs/week-1',
    });
  });
});
