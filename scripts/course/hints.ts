// The next hint of a lesson, for npm run hint and the web page alike: the first unseen one for the failure at hand.
// A hint names what it is for with a light mark at its start, `*For echo, serial-clients:*` (scenarios or files);
// the questions' answers (`Question 1: ...`) need none. One more is shown each time, remembered in the progress file.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { programFiles } from './files.ts';
import { EVERY_SCENARIO, readHint, readLessonText, transcriptFiles, type Hint, type Lesson } from './lessons.ts';
import { entryFor, hintsSeen, loadProgress, saveProgress } from './progress.ts';

/** A scenario that fails, with the lesson files its program is made of. */
export interface Failing {
  name: string;
  files: string[];
}

/** The scenarios that failed at the last check, each with the files its program is made of. */
export function failingOf(lesson: Lesson, names: string[]): Failing[] {
  const programs = new Map(
    transcriptFiles(lesson).map((file) => {
      const program = /^\$ (\S+)/m.exec(readFileSync(file, 'utf8'))?.[1];
      return [basename(file, '.txt'), program ? [`${program}.ts`] : []];
    }),
  );
  return names.map((name) => ({ name, files: programFiles(lesson.dir, programs.get(name) ?? []) }));
}

/**
 * The next hint to show: the first unseen one for the first failing scenario that has one (a hint for its name, or
 * for a file its program is made of), else the first unseen one in the README's order; undefined when all are seen.
 */
export function nextHint(hints: Hint[], seen: number[], failing: Failing[]): { hint: Hint; for?: string } | undefined {
  const unseen = hints.filter((hint) => !seen.includes(hint.index));
  for (const scenario of failing) {
    const hint = unseen.find((candidate) =>
      candidate.for.some((name) => name === EVERY_SCENARIO || name === scenario.name || scenario.files.includes(name)),
    );
    if (hint) return { hint, for: scenario.name };
  }
  return unseen[0] && { hint: unseen[0] };
}

export interface HintShown {
  /** The lesson's title, as its README's first heading gives it. */
  title: string;
  /** How many hints have been shown now, this one included, and how many the lesson has; 0 of 0 without hints. */
  number: number;
  total: number;
  text: string;
  /** The failing scenario this hint was chosen for, when it was chosen for one. */
  for?: string;
}

/** What the next hint will be for, without showing it: the failing scenario it was chosen for, if any. */
export function upcomingHint(root: string, lesson: Lesson): { for?: string; seen: number; total: number } {
  const hints = readLessonText(lesson).hints.map(readHint);
  const entry = loadProgress(root).progress.lessons[lesson.slug];
  const seen = hintsSeen(entry);
  const next = nextHint(hints, seen, failingOf(lesson, entry?.failing ?? []));
  return { for: next?.for, seen: Math.min(seen.length, hints.length), total: hints.length };
}

/**
 * Shows one more hint than last time, for the failure of the last check (with `again`, from the start), and remembers
 * which were shown. Once all are seen, the last one is shown again.
 */
export function showNextHint(root: string, lesson: Lesson, again = false): HintShown {
  const { title, hints: texts } = readLessonText(lesson);
  if (texts.length === 0) return { title, number: 0, total: 0, text: '' };
  const hints = texts.map(readHint);
  const { progress } = loadProgress(root);
  const entry = entryFor(progress, lesson);
  const seen = again ? [] : hintsSeen(entry).filter((index) => index < hints.length);
  const next = nextHint(hints, seen, failingOf(lesson, entry.failing ?? []));
  if (next) seen.push(next.hint.index);
  Object.assign(entry, { hintsSeen: seen, hintsShown: seen.length });
  saveProgress(root, progress);
  const shown = next?.hint ?? hints[seen.at(-1)!];
  return { title, number: seen.length, total: hints.length, text: shown.text, for: next?.for };
}
