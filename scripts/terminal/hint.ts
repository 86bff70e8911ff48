// A hint as the terminal shows it, for npm run hint and --watch's `h` key: which one, what it is for, its text.
import type { HintShown } from '../course/hints.ts';
import { plainHint, type Lesson } from '../course/lessons.ts';
import type { Palette } from '../kernel/colours.ts';

export function formatHint(lesson: Lesson, hint: HintShown, colours: Palette): string {
  const which = `Lesson ${lesson.number}: ${hint.title}, hint ${hint.number} of ${hint.total}`;
  const why = hint.for ? `, for ${hint.for} (the first scenario that fails and has a hint)` : '';
  return `${colours.bold(which)}${why}\n\n  ${plainHint(hint.text).replace(/\n/g, '\n  ')}\n`;
}
