// The next hint, from the same state as `npm run hint`: one more each time, remembered in the progress file.
import { readLessonText, type Lesson } from './lessons.ts';
import { entryFor, loadProgress, saveProgress } from './progress.ts';

export interface HintShown {
  /** Which hint this is (1-based) and how many the lesson has; 0 of 0 for a lesson without hints. */
  number: number;
  total: number;
  text: string;
}

export function showNextHint(root: string, lesson: Lesson): HintShown {
  const { hints } = readLessonText(lesson);
  if (hints.length === 0) return { number: 0, total: 0, text: '' };
  const { progress } = loadProgress(root);
  const entry = entryFor(progress, lesson);
  entry.hintsShown = Math.min(entry.hintsShown + 1, hints.length);
  saveProgress(root, progress);
  return { number: entry.hintsShown, total: hints.length, text: hints[entry.hintsShown - 1] };
}
