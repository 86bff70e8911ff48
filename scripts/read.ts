// npm run read [N]: the lesson's README, rendered for the terminal.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommandLine, type CommandHelp } from './kernel/args.ts';
import { WORKBOOK_ROOT } from './course/lessons.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { renderMarkdown } from './terminal/markdown.ts';
import { lessonFromCommandLine } from './course/progress.ts';
import { palette } from './kernel/colours.ts';
import { outputWidth } from './kernel/text.ts';

const HELP: CommandHelp = {
  usage: 'npm run read [N]',
  about: "Shows the lesson's README in the terminal. N defaults to the first lesson that does not pass yet.",
  flags: [['--root DIR', 'the course to use (default: this workbook)']],
  example: 'npm run read 4 | less -R',
};

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), { root: { type: 'string' } }, HELP);
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const { lesson } = lessonFromCommandLine(root, positionals, 'read');
  const file = join(lesson.dir, 'README.md');
  if (!existsSync(file))
    throw new WorkbookError(`lesson ${lesson.number} has no README.md in lessons/${lesson.slug}/`, EXIT.fail);
  // A terminal's own width; anything else (a pipe, a file, a pager) gets 80 columns.
  const width = outputWidth(process.stdout, 80);
  process.stdout.write(renderMarkdown(readFileSync(file, 'utf8'), { width, colours: palette() }));
  return EXIT.pass;
}

runMain(main);
