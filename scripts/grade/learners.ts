// Finding the learners to grade: a learner's copy of the workbook, or a class folder of them, and what each added.
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { WorkbookError } from '../kernel/errors.ts';
import { visible } from '../kernel/text.ts';
import type { Lesson } from '../course/lessons.ts';
import { isInside, realPath } from '../scenario/confine.ts';

export interface Learner {
  name: string;
  dir: string;
}

const hasLessons = (dir: string): boolean => existsSync(join(dir, 'lessons'));
const subfolders = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => join(dir, entry.name))
    .sort();

/** A folder with no lessons/ of its own, but subfolders that have one: one folder per learner. */
export function isClassFolder(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && !hasLessons(dir) && subfolders(dir).some(hasLessons);
}

export function findLearners(dirs: string[]): Learner[] {
  const found = dirs.flatMap((given) => {
    const dir = resolve(given);
    if (hasLessons(dir)) return [dir];
    if (isClassFolder(dir)) return subfolders(dir).filter(hasLessons);
    throw new WorkbookError(
      `${dir} has no lessons/ folder, and no subfolder that has one: --work takes a learner's copy of the workbook, or a folder of them`,
    );
  });
  const names = found.map((dir) => basename(dir));
  // Two learners called `ann` in different classes keep their parent folder in their name, which a report shows
  // with its control characters written out: a folder's name must not rewrite the instructor's terminal.
  return found.map((dir, i) => ({
    dir,
    name: visible(names.filter((n) => n === names[i]).length > 1 ? `${basename(dirname(dir))}/${names[i]}` : names[i]),
  }));
}

/** Files under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name)));
}

/** What a learner's lessons/ holds that the workbook's does not: reported, never run. */
export function extraFiles(learner: Learner, lessons: Lesson[]): string[] {
  const notes: string[] = [];
  const known = new Set(lessons.map((lesson) => lesson.slug));
  const root = join(learner.dir, 'lessons');
  if (!statSync(root).isDirectory()) return ['lessons is not a folder'];
  const folders = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && !known.has(e.name));
  if (folders.length > 0)
    notes.push(`lesson folders the workbook does not have: ${folders.map((e) => `lessons/${e.name}/`).join(', ')}`);
  for (const lesson of lessons) {
    const ours = new Set(filesUnder(lesson.dir));
    const extra = filesUnder(join(learner.dir, 'lessons', lesson.slug)).filter((file) => !ours.has(file));
    if (extra.length > 0) notes.push(`extra files in lessons/${lesson.slug}/: ${extra.sort().join(', ')}`);
  }
  return notes;
}

/** Why a lesson of the learner's cannot be graded: a folder or file whose symlinks lead outside their copy. */
export function refusedLessons(learner: Learner, lessons: Lesson[]): Map<string, string> {
  const refused = new Map<string, string>();
  for (const lesson of lessons) {
    const folder = join(learner.dir, 'lessons', lesson.slug);
    if (!existsSync(folder)) continue;
    const leaving = [folder, ...linksUnder(folder)].find((path) => !isInside(path, learner.dir));
    if (leaving)
      refused.set(
        lesson.slug,
        `${relative(learner.dir, leaving)} leads outside the learner's copy (to ${realPath(leaving)}), so lesson ${lesson.number} was not graded.`,
      );
  }
  return refused;
}

/** Symlinks under `dir`, without following them. */
function linksUnder(dir: string): string[] {
  if (!lstatSync(dir).isDirectory()) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isSymbolicLink())
    .map((entry) => join(entry.parentPath, entry.name));
}
