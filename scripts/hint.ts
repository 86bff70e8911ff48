// npm run hint [N]: the lesson's hints, one more each time it is asked.
import { resolve } from 'node:path';
import { parseCommandLine, type CommandHelp } from './kernel/args.ts';
import { readLessonText, WORKBOOK_ROOT } from './course/lessons.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { entryFor, lessonFromCommandLine, saveProgress } from './course/progress.ts';

const HELP: CommandHelp = {
  usage: 'npm run hint [N] [-- --again]',
  about: "Shows the lesson's next hint, one more each time. N defaults to the first lesson that does not pass yet.",
  flags: [
    ['--again', 'start again from the first hint'],
    ['--root DIR', 'the course to use (default: this workbook)'],
  ],
  example: 'npm run hint 4',
};

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { root: { type: 'string' }, again: { type: 'boolean', default: false } },
    HELP,
  );
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const { progress, lesson } = lessonFromCommandLine(root, positionals, 'hint');
  const { title, hints } = readLessonText(lesson);
  if (hints.length === 0)
    throw new WorkbookError(`lesson ${lesson.number} has no hints: its README.md is the place to look`, EXIT.fail);
  const entry = entryFor(progress, lesson);
  if (values.again) entry.hintsShown = 0;
  const shown = Math.min(entry.hintsShown + 1, hints.length);
  console.log(`Lesson ${lesson.number}: ${title}, hint ${shown} of ${hints.length}\n`);
  console.log(`  ${hints[shown - 1].replace(/\n/g, '\n  ')}\n`);
  console.log(
    shown < hints.length
      ? `Run npm run hint ${lesson.number} again for the next one.`
      : `That was the last hint. Run npm run hint ${lesson.number} -- --again to start from the first.`,
  );
  entry.hintsShown = shown;
  saveProgress(root, progress);
  return EXIT.pass;
}

runMain(main);
