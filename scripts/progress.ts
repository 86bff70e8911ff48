// npm run progress: which lessons pass, what each builds on, the next one to do, and when each was last checked.
import { resolve } from 'node:path';
import { parseCommandLine, type CommandHelp } from './kernel/args.ts';
import { listLessons, WORKBOOK_ROOT } from './course/lessons.ts';
import { EXIT, runMain } from './kernel/errors.ts';
import { loadProgress } from './course/progress.ts';
import { palette } from './kernel/colours.ts';
import { formatCourse } from './terminal/course-table.ts';

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
  console.log(formatCourse(lessons, progress, palette()));
  return EXIT.pass;
}

runMain(main);
