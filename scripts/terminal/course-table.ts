// The course as `npm run progress` prints it, and --watch's `l` key too: a bar, a row per lesson, the programs' paths.
import { readLessonText, type Lesson } from '../course/lessons.ts';
import { buildsOnCell, coursePaths, type BuildsOn } from '../course/paths.ts';
import {
  checkedTime,
  firstUnpassed,
  lessonsPassed,
  lessonStatus,
  STATUS_WORDS,
  type Progress,
} from '../course/progress.ts';
import type { Palette } from '../kernel/colours.ts';
import { table } from '../kernel/text.ts';

const BAR_WIDTH = 30;

/** The whole table, ending with the next lesson to do (`Next: npm run lesson 5`, or `next` for another command). */
export function formatCourse(lessons: Lesson[], progress: Progress, colours: Palette, next = 'npm run lesson'): string {
  const buildsOn: BuildsOn = new Map(lessons.map((lesson) => [lesson.number, readLessonText(lesson).buildsOn]));
  const rows = lessons.map((lesson) => {
    const status = lessonStatus(progress, lesson);
    const checkedAt = progress.lessons[lesson.slug]?.checkedAt;
    const paint = { passes: colours.green, fails: colours.red, changed: colours.yellow, unchecked: colours.dim }[
      status
    ];
    return [
      lesson.slug,
      buildsOnCell(buildsOn.get(lesson.number)),
      paint(STATUS_WORDS[status]),
      checkedAt ? checkedTime(checkedAt) : '',
    ];
  });
  const passed = lessonsPassed(progress, lessons);
  const filled = Math.round((passed / Math.max(lessons.length, 1)) * BAR_WIDTH);
  const out = [
    `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${passed} of ${lessons.length} lessons pass`,
    '',
  ];
  out.push(table(['lesson', 'builds on', 'status', 'last checked (UTC)'], rows));
  if ([...buildsOn.values()].some((from) => from !== undefined)) {
    out.push('', 'The programs, each line one program growing from lesson to lesson:');
    out.push(...coursePaths(lessons, buildsOn));
  }
  const first = firstUnpassed(lessons, progress);
  out.push('', first ? `Next: ${next} ${first.number}` : 'Every lesson passes. Well done.');
  return out.join('\n');
}
