/**
 * Vite plugin: validates every `lessons/*.md` when the build starts (a bad lesson fails the build
 * with `file:line: message`) and again whenever a lesson changes in dev (errors go to the terminal
 * and the browser's error overlay). Uses the same parser as the app (src/lib/lessons).
 *
 * It also serves `virtual:course`: the parsed, validated lessons (default export) and interview
 * drills from `lessons/drills/*.md` (named export `drills`) as plain JSON data, so the app ships
 * no YAML parser and does no parsing at start-up.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { isLessonPath, loadCourse } from '../src/lib/lessons/course';
import { loadDrills } from '../src/lib/lessons/drills-parse';
import type { Drill } from '../src/lib/lessons/drills-types';
import { LessonValidationError } from '../src/lib/lessons/parse';
import type { Lesson } from '../src/lib/lessons/types';

/** Drills live in this sub-folder of the lessons folder. */
const DRILLS_DIR = 'drills';

export interface LessonsPluginOptions {
  /** Folder of the lessons, relative to the Vite root. Default `lessons`. */
  dir?: string;
}

/** Reads `dir/*.md` (not README.md) as `{ 'lessons/01-x.md': text }`, paths relative to `root`. */
export function readLessonFiles(dir: string, root = process.cwd()): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (!isLessonPath(name)) continue;
    files[relative(root, full).split(sep).join('/')] = readFileSync(full, 'utf8');
  }
  return files;
}

/** Reads `dir/drills/*.md` (not README.md) like readLessonFiles; `{}` when there is no folder. */
export function readDrillFiles(dir: string, root = process.cwd()): Record<string, string> {
  const drills = join(dir, DRILLS_DIR);
  return existsSync(drills) ? readLessonFiles(drills, root) : {};
}

/** Every file the course is made of (lessons and drills), for the watcher. */
function courseFiles(dir: string): string[] {
  const drills = join(dir, DRILLS_DIR);
  const list = (d: string) =>
    existsSync(d)
      ? readdirSync(d)
          .filter(isLessonPath)
          .map((n) => join(d, n))
      : [];
  return [...list(dir), ...list(drills)];
}

/**
 * Parses and validates the course in `dir` and the drills in `dir/drills`. Returns both, or the
 * formatted error text of every bad file (lessons first, then drills).
 */
export function checkLessonsDir(
  dir: string,
  root = process.cwd(),
): { ok: true; lessons: Lesson[]; drills: Drill[] } | { ok: false; message: string } {
  const messages: string[] = [];
  const attempt = <T>(load: () => T): T | null => {
    try {
      return load();
    } catch (e) {
      if (!(e instanceof LessonValidationError)) throw e;
      messages.push(e.message);
      return null;
    }
  };
  const lessons = attempt(() => loadCourse(readLessonFiles(dir, root)));
  const drills = attempt(() => loadDrills(readDrillFiles(dir, root)));
  if (!lessons || !drills) return { ok: false, message: messages.join('\n') };
  return { ok: true, lessons, drills };
}

const VIRTUAL_ID = 'virtual:course';
const RESOLVED_ID = '\0virtual:course';

export function lessonsPlugin(options: LessonsPluginOptions = {}): Plugin {
  let root = process.cwd();
  let dir = resolve(root, options.dir ?? 'lessons');
  let command: 'build' | 'serve' = 'build';
  const header = (message: string) => `invalid lesson(s):\n${message}`;

  return {
    name: 'pocket-mlops:lessons',
    configResolved(config) {
      root = config.root;
      dir = resolve(root, options.dir ?? 'lessons');
      command = config.command;
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      for (const file of courseFiles(dir)) this.addWatchFile(file);
      const result = checkLessonsDir(dir, root);
      if (!result.ok) this.error(header(result.message));
      return (
        `export default ${JSON.stringify(result.lessons)};\n` +
        `export const drills = ${JSON.stringify(result.drills)};`
      );
    },
    buildStart() {
      for (const file of courseFiles(dir)) this.addWatchFile(file);
      const result = checkLessonsDir(dir, root);
      if (result.ok) return;
      // A build fails. The dev server keeps running so the author can fix the file and see it.
      if (command === 'build') this.error(header(result.message));
      else this.warn(header(result.message));
    },
    handleHotUpdate(ctx) {
      const file = resolve(ctx.file);
      if (!file.startsWith(dir + sep) || !isLessonPath(file)) return;
      const result = checkLessonsDir(dir, root);
      if (result.ok) {
        ctx.server.config.logger.info(
          `lessons: ${result.lessons.length} valid, drills: ${result.drills.length} valid`,
          {
            timestamp: true,
          },
        );
        const mod = ctx.server.moduleGraph.getModuleById(RESOLVED_ID);
        if (mod) {
          ctx.server.moduleGraph.invalidateModule(mod);
          ctx.server.ws.send({ type: 'full-reload' });
        }
        return [];
      }
      ctx.server.config.logger.error(header(result.message), { timestamp: true });
      ctx.server.ws.send({
        type: 'error',
        err: { message: header(result.message), stack: '', plugin: 'pocket-mlops:lessons' },
      });
      return [];
    },
  };
}
