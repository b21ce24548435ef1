/** The screens of the app; lab areas that later issues build are listed so navigation is stable. */
export type Route =
  | { name: 'home' }
  | { name: 'lessons' }
  | { name: 'lesson'; lessonId: string }
  | { name: 'course' }
  | { name: 'drills' }
  | { name: 'drill'; drillId: string }
  | { name: 'train' }
  | { name: 'run'; runId: string }
  | { name: 'registry' }
  | { name: 'serve' }
  | { name: 'operate'; scenario?: string }
  /** `start: 'canary'` opens the canary of the latest challenger and starts it (once). */
  | { name: 'rollout'; start?: 'canary' }
  | { name: 'incidents' }
  | { name: 'retrain' }
  | { name: 'classroom' }
  | { name: 'pack-lesson'; packId: string; lessonId: string }
  | { name: 'about' }
  | { name: 'not-found'; path: string };

/** Parses a `#/path` hash into a route; pure so it can be unit tested. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'home' };
  const [head, arg] = parts;
  if (head === 'lessons' && arg) return { name: 'lesson', lessonId: arg };
  if (head === 'drills' && arg && parts.length === 2) return { name: 'drill', drillId: arg };
  if (head === 'train' && arg === 'runs' && parts[2] && parts.length === 3)
    return { name: 'run', runId: parts[2] };
  // A scenario link: the OperateSpec as base64url JSON (state/scenario-link.ts decodes it).
  if (head === 'operate' && arg === 'scenario' && parts[2] && parts.length === 3)
    return { name: 'operate', scenario: parts[2] };
  if (head === 'rollout' && arg === 'canary' && parts.length === 2)
    return { name: 'rollout', start: 'canary' };
  if (head === 'classroom' && arg === 'packs' && parts[2] && parts[3] && parts.length === 4)
    return { name: 'pack-lesson', packId: parts[2], lessonId: parts[3] };
  if (parts.length === 1) {
    switch (head) {
      case 'lessons':
      case 'course':
      case 'drills':
      case 'train':
      case 'registry':
      case 'serve':
      case 'operate':
      case 'rollout':
      case 'incidents':
      case 'retrain':
      case 'classroom':
      case 'about':
        return { name: head };
    }
  }
  return { name: 'not-found', path };
}

/** Builds the hash for a route (the inverse of `parseHash`). */
export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'lesson':
      return `#/lessons/${encodeURIComponent(route.lessonId)}`;
    case 'run':
      return `#/train/runs/${encodeURIComponent(route.runId)}`;
    case 'drill':
      return `#/drills/${encodeURIComponent(route.drillId)}`;
    case 'operate':
      return route.scenario ? `#/operate/scenario/${route.scenario}` : '#/operate';
    case 'rollout':
      return route.start ? `#/rollout/${route.start}` : '#/rollout';
    case 'pack-lesson':
      return `#/classroom/packs/${encodeURIComponent(route.packId)}/${encodeURIComponent(route.lessonId)}`;
    case 'not-found':
      return `#${route.path}`;
    default:
      return `#/${route.name}`;
  }
}

/** Hash routing: works from any static host and offline, with no server rewrites. */
export class Router {
  #route = $state<Route>({ name: 'home' });

  constructor() {
    this.#route = parseHash(window.location.hash);
    window.addEventListener('hashchange', () => {
      this.#route = parseHash(window.location.hash);
    });
  }

  get route(): Route {
    return this.#route;
  }
}
