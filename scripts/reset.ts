// npm run reset [N]: puts a lesson's starter files back, keeping the learner's version as a backup.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseCommandLine, type CommandHelp } from './kernel/args.ts';
import { WORKBOOK_ROOT } from './course/lessons.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { lessonFromCommandLine } from './course/progress.ts';
import { pristineStarter } from './course/starters.ts';

async function ask(question: string): Promise<boolean> {
  const reader = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY === true,
  });
  // End of input without an answer is a no: nothing is overwritten by accident.
  const answer = await Promise.race([
    reader.question(question),
    new Promise<string>((done) => reader.once('close', () => done(''))),
  ]);
  reader.close();
  return /^y(es)?$/i.test(answer.trim());
}

const HELP: CommandHelp = {
  usage: 'npm run reset [N] [-- --yes]',
  about: "Puts the lesson's starter files back as the workbook's history has them; your version is kept as a backup.",
  flags: [
    ['--yes', 'do not ask before overwriting a file you changed (it is still backed up)'],
    ['--root DIR', 'the course to use (default: this workbook)'],
  ],
  example: 'npm run reset 4',
};

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { yes: { type: 'boolean', default: false }, root: { type: 'string' } },
    HELP,
  );
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const { lesson } = lessonFromCommandLine(root, positionals, 'reset');
  const files = readdirSync(lesson.dir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(lesson.dir, name));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let kept = 0;
  for (const file of files) {
    const shown = relative(process.cwd(), file);
    const starter = pristineStarter(root, file);
    if (starter === undefined)
      throw new WorkbookError(
        `${shown} has no starter: no commit of the workbook's history holds it, so it is a file of your own, and reset leaves it alone`,
      );
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === starter) {
      console.log(`${shown}: already the starter`);
      continue;
    }
    const backup = join(root, '.workbook', 'backups', lesson.slug, `${basename(file)}.${stamp}`);
    const backupShown = relative(process.cwd(), backup);
    if (
      !values.yes &&
      !(await ask(
        `${shown} has your changes. Put the starter back? Your version will be kept as ${backupShown}. [y/N] `,
      ))
    ) {
      console.log(`${shown}: left as it is`);
      kept++;
      continue;
    }
    mkdirSync(join(backup, '..'), { recursive: true });
    copyFileSync(file, backup);
    writeFileSync(file, starter);
    console.log(`${shown}: the starter is back; your version is in ${backupShown}`);
  }
  if (kept > 0)
    console.log(
      `${kept} file(s) kept as they are: run npm run reset ${lesson.number} -- --yes to restore without asking.`,
    );
  return EXIT.pass;
}

runMain(main);
