// npm run progress: which lessons pass, what each builds on, the next one to do, and when each was last checked.
import { resolve } from 'node:path';
import { parseCommandLine, type CommandHelp } from './kernel/args.ts';
import { listLessons, readLessonText, WORKBOOK_ROOT } from './course/lessons.ts';
import { buildsOnCell, coursePaths, type BuildsOn } from './course/paths.ts';
import { EXIT, runMain } from './kernel/errors.ts';
import {
  checkedTime,
  firstUnpassed,
  lessonsPassed,
  lessonStatus,
  loadProgress,
  STATUS_WORDS,
} from './course/progress.ts';
import { palette } from './kernel/colours.ts';
import { table } from './kernel/text.ts';

const BAR_WIDTH = 30;
const HELP: CommandHelp = {
  usage: 'npm run progress',
  about:
    'Shows which lessons pass, which program each one starts from, when each was last checked, and the next one ' +
    'to do; then the course as paths, one per program that grows from lesson to lesson.',
  flags: [['--root DIR', 'the course to use (default: this workbook)']],
  example: 'npm run progress',
};

async function main(): Promise<number> {
  const { values } = parseCommandLine(process.argv.slice(2), { root: { type: 'string' } }, HELP);
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const lessons = listLessons(root);
  const { progress, note } = loadProgress(root);
  if (note) console.error(note);
  const colours = palette();
  const buildsOn: BuildsOn = new Map(lessons.map((lesson) => [lesson.number, readLessonText(lesson).buildsOn]));
  const rows = lessons.map((lesson) => {
    const status = lessonStatus(progress, lesson);
    const checkedAt = progress.lessons[lesson.slug]?.checkedAt;
    const shown = { passes: colours.green, fails: colours.red, unchecked: colours.dim }[status](STATUS_WORDS[status]);
    return [lesson.slug, buildsOnCell(buildsOn.get(lesson.number)), shown, checkedAt ? checkedTime(checkedAt) : ''];
  });
  const passed = lessonsPassed(progress, lessons);
  const filled = Math.round((passed / Math.max(lessons.length, 1)) * BAR_WIDTH);
  console.log(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${passed} of ${lessons.length} lessons pass\n`);
  console.log(table(['lesson', 'builds on', 'status', 'last checked (UTC)'], rows));
  if ([...buildsOn.values()].some((from) => from !== undefined)) {
    console.log('\nThe programs, each line one program growing from lesson to lesson:');
    console.log(coursePaths(lessons, buildsOn).join('\n'));
  }
  const next = firstUnpassed(lessons, progress);
  console.log(next ? `\nNext: npm run lesson ${next.number}` : '\nEvery lesson passes. Well done.');
  return EXIT.pass;
}

runMain(main);
