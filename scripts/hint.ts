// npm run hint [N]: the lesson's hints, one more each time it is asked, the first for the failure at hand.
import { resolve } from 'node:path';
import { parseCommandLine, type CommandHelp } from './kernel/args.ts';
import { showNextHint } from './course/hints.ts';
import { WORKBOOK_ROOT } from './course/lessons.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { lessonFromCommandLine } from './course/progress.ts';
import { palette } from './kernel/colours.ts';
import { formatHint } from './terminal/hint.ts';

const HELP: CommandHelp = {
  usage: 'npm run hint [N] [-- --again]',
  about:
    "Shows the lesson's next hint, one more each time: first the ones for the first scenario that failed at your last check, then the rest in order. N defaults to the first lesson that does not pass yet.",
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
  const { lesson } = lessonFromCommandLine(root, positionals, 'hint');
  const hint = showNextHint(root, lesson, values.again);
  if (hint.total === 0)
    throw new WorkbookError(`lesson ${lesson.number} has no hints: its README.md is the place to look`, EXIT.fail);
  console.log(formatHint(lesson, hint, palette()));
  console.log(
    hint.number < hint.total
      ? `Run npm run hint ${lesson.number} again for the next one.`
      : `That was the last hint. Run npm run hint ${lesson.number} -- --again to start from the first.`,
  );
  return EXIT.pass;
}

runMain(main);
