// A learner's progress, kept in .workbook/progress.json: which lessons pass and how many hints each has shown.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findLesson, listLessons, type Lesson } from './lessons.ts';
import { WorkbookError } from '../kernel/errors.ts';

// What a learner has done, kept beside their work in a file git ignores.
export interface LessonProgress {
  passed: boolean;
  /** ISO time of the last check. */
  checkedAt?: string;
  /** How many of the lesson's hints `npm run hint` has shown. */
  hintsShown: number;
  /** Which ones, in the order shown (their places in the README): hints follow the failure, not the README. */
  hintsSeen?: number[];
  /** The scenarios that failed at the last check, in order: the hints for the first of them come first. */
  failing?: string[];
  /** The lesson's files as they were at the last check, so a status never outlives an edit or a reset. */
  fingerprint?: string;
}

export interface Progress {
  version: 1;
  /** Keyed by lesson folder (`14-udp`) in memory; the file keys it by slug alone (`udp`): see progressKey. */
  lessons: Record<string, LessonProgress>;
}

export function progressFile(root: string): string {
  return join(root, '.workbook', 'progress.json');
}

/**
 * A lesson's key in the progress file: its folder name without the number (`13-udp` is `udp`), so a lesson that is
 * renumbered keeps its learner's progress. Files written before this kept the whole folder name; they read the same.
 */
export function progressKey(folder: string): string {
  return folder.replace(/^\d\d-/, '');
}

/** The file's entries under the course's current folder names; entries for lessons the course lacks keep their key. */
function underFolderNames(stored: Progress, lessons: Lesson[]): Progress {
  const folderOf = new Map(lessons.map((lesson) => [progressKey(lesson.slug), lesson.slug]));
  const result = empty();
  // Old keys (with a number) first, so an entry under the new key wins when a file somehow holds both.
  const keys = Object.keys(stored.lessons).sort((a, b) => Number(a === progressKey(a)) - Number(b === progressKey(b)));
  for (const key of keys) result.lessons[folderOf.get(progressKey(key)) ?? key] = stored.lessons[key];
  return result;
}

function courseLessons(root: string): Lesson[] {
  try {
    return listLessons(root);
  } catch {
    // No lessons/ folder: the caller reports that; the entries keep the keys they have.
    return [];
  }
}

function empty(): Progress {
  return { version: 1, lessons: {} };
}

function isProgress(value: unknown): value is Progress {
  if (!value || typeof value !== 'object') return false;
  const { version, lessons } = value as Progress;
  if (version !== 1 || !lessons || typeof lessons !== 'object') return false;
  return Object.values(lessons).every(
    (entry) =>
      entry &&
      typeof entry.passed === 'boolean' &&
      Number.isInteger(entry.hintsShown) &&
      (entry.checkedAt === undefined || typeof entry.checkedAt === 'string') &&
      (entry.hintsSeen === undefined || (Array.isArray(entry.hintsSeen) && entry.hintsSeen.every(Number.isInteger))) &&
      (entry.failing === undefined ||
        (Array.isArray(entry.failing) && entry.failing.every((name) => typeof name === 'string'))) &&
      (entry.fingerprint === undefined || typeof entry.fingerprint === 'string'),
  );
}

/** Reads the progress file; a missing one is a fresh start, and an unreadable one is set aside and started afresh. */
export function loadProgress(root: string): { progress: Progress; note?: string } {
  const file = progressFile(root);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { progress: empty() };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isProgress(parsed)) return { progress: underFolderNames(parsed, courseLessons(root)) };
  } catch {
    // Not JSON at all: handled below like any other damage.
  }
  const kept = `${file}.damaged`;
  renameSync(file, kept);
  return {
    progress: empty(),
    note: `The progress file was damaged, so progress starts afresh (the old file is kept at ${kept}).`,
  };
}

export function saveProgress(root: string, progress: Progress): void {
  const file = progressFile(root);
  mkdirSync(dirname(file), { recursive: true });
  // Written whole and then renamed, so an interrupted write never leaves half a file.
  const stored = empty();
  for (const [folder, entry] of Object.entries(progress.lessons)) stored.lessons[progressKey(folder)] = entry;
  writeFileSync(`${file}.tmp`, `${JSON.stringify(stored, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function entryFor(progress: Progress, lesson: Lesson): LessonProgress {
  return (progress.lessons[lesson.slug] ??= { passed: false, hintsShown: 0 });
}

/** The hints a learner has seen, in the order shown; a file from before hintsSeen means the first hintsShown. */
export function hintsSeen(entry: LessonProgress | undefined): number[] {
  if (!entry) return [];
  return entry.hintsSeen ?? Array.from({ length: entry.hintsShown }, (_, index) => index);
}

/** The learner's files of a lesson, as one hash: it changes with any edit, and with `npm run reset`. */
export function lessonFingerprint(lesson: Lesson): string {
  const hash = createHash('sha256');
  if (!existsSync(lesson.dir)) return '';
  for (const name of readdirSync(lesson.dir)
    .filter((file) => file.endsWith('.ts'))
    .sort())
    hash
      .update(`${name}\0`)
      .update(readFileSync(join(lesson.dir, name)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** Where a lesson stands, in the words both screens use. */
export const STATUS_WORDS = {
  passes: 'passes',
  fails: 'fails',
  changed: 'changed since its check',
  unchecked: 'not checked',
} as const;
export type LessonStatus = keyof typeof STATUS_WORDS;

/** Passes or fails as last checked, unless the files have changed since (an edit, a reset): then it says so. */
export function lessonStatus(progress: Progress, lesson: Lesson): LessonStatus {
  const entry = progress.lessons[lesson.slug];
  if (!entry?.checkedAt) return 'unchecked';
  if (entry.fingerprint !== undefined && entry.fingerprint !== lessonFingerprint(lesson)) return 'changed';
  return entry.passed ? 'passes' : 'fails';
}

/** When a lesson was last checked, as people read it: UTC to the minute, `2026-11-21 10:02`. */
export const checkedTime = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

/** How many of the lessons pass. */
export const lessonsPassed = (progress: Progress, lessons: Lesson[]): number =>
  lessons.filter((lesson) => progress.lessons[lesson.slug]?.passed).length;

/**
 * A check of the learner's own work, with the scenarios that failed (in order) and the files as they were: read
 * afresh and written back, so a hint shown meanwhile elsewhere is kept.
 */
export function recordCheck(root: string, lesson: Lesson, passed: boolean, failing: string[] = []): void {
  const { progress } = loadProgress(root);
  Object.assign(entryFor(progress, lesson), {
    passed,
    checkedAt: new Date().toISOString(),
    failing,
    fingerprint: lessonFingerprint(lesson),
  });
  saveProgress(root, progress);
}

/** The lesson a command means when none is named: the first that has not passed yet. */
export function firstUnpassed(lessons: Lesson[], progress: Progress): Lesson | undefined {
  return lessons.find((lesson) => !progress.lessons[lesson.slug]?.passed);
}

/** The lesson a command names, or the first that has not passed when it names none. */
export function chooseLesson(lessons: Lesson[], positionals: string[], progress: Progress, command: string): Lesson {
  if (positionals.length > 1)
    throw new WorkbookError(`name one lesson at a time, for example: npm run ${command} ${positionals[0]}`);
  if (positionals.length === 1) return findLesson(lessons, positionals[0], command);
  const next = firstUnpassed(lessons, progress);
  if (!next)
    throw new WorkbookError(
      `every lesson passes: name the one you mean, for example: npm run ${command} ${lessons.at(-1)?.number ?? 1}`,
    );
  return next;
}

/** What every lesson command starts with: the course's lessons, the learner's progress, and the lesson meant. */
export function lessonFromCommandLine(
  root: string,
  positionals: string[],
  command: string,
): { lessons: Lesson[]; progress: Progress; lesson: Lesson } {
  const lessons = listLessons(root);
  const { progress, note } = loadProgress(root);
  if (note) console.error(note);
  return { lessons, progress, lesson: chooseLesson(lessons, positionals, progress, command) };
}
