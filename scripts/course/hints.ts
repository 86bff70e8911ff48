// The next hint of a lesson, for npm run hint and the web page alike: one more each time, remembered in the progress file.
import { readLessonText, type Lesson } from './lessons.ts';
import { entryFor, loadProgress, saveProgress } from './progress.ts';

export interface HintShown {
  /** The lesson's title, as its README's first heading gives it. */
  title: string;
  /** Which hint this is (1-based) and how many the lesson has; 0 of 0 for a lesson without hints. */
  number: number;
  total: number;
  text: string;
}

/** Shows one more hint than last time (or the first again, with `again`), and remembers how far the learner got. */
export function showNextHint(root: string, lesson: Lesson, again = false): HintShown {
  const { title, hints } = readLessonText(lesson);
  if (hints.length === 0) return { title, number: 0, total: 0, text: '' };
  const { progress } = loadProgress(root);
  const entry = entryFor(progress, lesson);
  entry.hintsShown = Math.min((again ? 0 : entry.hintsShown) + 1, hints.length);
  saveProgress(root, progress);
  return { title, number: entry.hintsShown, total: hints.length, text: hints[entry.hintsShown - 1] };
}
