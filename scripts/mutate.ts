// npm run mutate [N ...]: StrykerJS over each lesson's reference; the score and every survivor as a short diff.
import { resolve } from 'node:path';
import { parseCommandLine, parseTimeout, type CommandHelp } from './kernel/args.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { listLessons, WORKBOOK_ROOT, type Lesson } from './course/lessons.ts';
import { CORES } from './grade/pool.ts';
import { DEFAULT_TIMING } from './grade/stage.ts';
import { SET_ASIDE_FILE } from './course/files.ts';
import { entryFor, readSetAside } from './mutation/set-aside.ts';
import { formatPercent, GOAL_PERCENT, meetsGoal, score, type Mutant, type Score } from './mutation/score.ts';
import { lessonInputs, readInputs, readMutants, reportPaths, runStryker } from './mutation/stryker.ts';
import { formatRow, SCORES_FILE, updateScores } from './mutation/table.ts';

const HELP: CommandHelp = {
  usage: 'npm run mutate [-- N ...] [--force] [--timeout MS]',
  about:
    "Mutation-tests each lesson's reference with StrykerJS, its stage's own check as the test, and prints the score and every survivor. No N: every lesson. A lesson whose code and check have not changed since its last run is not run again.",
  flags: [
    ['--force', 'run every mutant again, even where nothing changed'],
    [
      '--timeout MS',
      "the check's step timeout (default 2000): longer on a busy machine, where a slow step would count as a kill",
    ],
  ],
  example: 'npm run mutate -- 14',
};

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { force: { type: 'boolean', default: false }, timeout: { type: 'string' } },
    HELP,
  );
  const stepTimeoutMs = parseTimeout(values.timeout, DEFAULT_TIMING.stepTimeoutMs);
  const root = resolve(WORKBOOK_ROOT);
  const lessons = listLessons(root);
  const chosen = positionals.length === 0 ? lessons : positionals.map((text) => pickLesson(lessons, text));
  const rows = new Map<string, string>();
  let allMeetGoal = true;
  for (const [index, lesson] of chosen.entries()) {
    const where = chosen.length > 1 ? `[${index + 1}/${chosen.length}] ` : '';
    const { result, how } = await mutateLesson(lesson, root, { force: values.force, stepTimeoutMs });
    console.log(`${where}${lesson.slug}: ${summary(result)}${how}`);
    for (const line of details(lesson, result)) console.log(line);
    rows.set(lesson.slug, formatRow(lesson.slug, result, new Date().toISOString().slice(0, 10)));
    updateScores(root, rows);
    allMeetGoal &&= meetsGoal(result);
  }
  console.log(`\nReports in reports/mutation/ (NN-slug.html to browse); scores in ${SCORES_FILE}.`);
  return allMeetGoal ? EXIT.pass : EXIT.fail;
}

function pickLesson(lessons: Lesson[], text: string): Lesson {
  const lesson = lessons.find((candidate) => /^\d{1,2}$/.test(text) && candidate.number === Number(text));
  if (lesson) return lesson;
  const range = `${lessons[0]?.number ?? 0} to ${lessons.at(-1)?.number ?? 0}`;
  throw new WorkbookError(`there is no lesson '${text}': the lessons are ${range}, for example npm run mutate -- 14`);
}

/** Runs the lesson unless its code and its check are as they were; reuses what it can of the last run. */
async function mutateLesson(
  lesson: Lesson,
  root: string,
  { force, stepTimeoutMs }: { force: boolean; stepTimeoutMs: number },
): Promise<{ result: Score; how: string }> {
  const setAside = readSetAside(lesson, root);
  const paths = reportPaths(lesson, root);
  const before = readInputs(paths);
  const now = lessonInputs(lesson, root);
  let mutants: Mutant[];
  let how: string;
  if (!force && before?.code === now.code && before.check === now.check) {
    mutants = readMutants(paths.json, lesson, root);
    how = ' (unchanged since its last run: not run again)';
  } else {
    const incremental = !force && before?.check === now.check;
    mutants = await runStryker(lesson, root, {
      concurrency: CORES,
      incremental,
      stepTimeoutMs,
      progress: process.stdout.isTTY === true ? 'terminal' : 'log',
    });
    how = incremental ? ' (only the changed code run again)' : '';
  }
  return { result: score(mutants, setAside), how };
}

function summary(result: Score): string {
  const aside = result.setAside.length > 0 ? `, ${result.setAside.length} set aside` : '';
  const verdict = meetsGoal(result) ? '' : `, below the goal of ${GOAL_PERCENT}% with at most a fifth set aside`;
  return `${formatPercent(result.percent)} (${result.detected} of ${result.tested} detected${aside})${verdict}`;
}

function details(lesson: Lesson, result: Score): string[] {
  const lines: string[] = [];
  for (const mutant of result.survivors) {
    lines.push(`  survived: ${mutant.file}:${mutant.line} ${mutant.mutator}`);
    lines.push(...mutant.diff.map((line) => `    ${line}`));
  }
  if (result.survivors.length > 0) {
    lines.push(
      `  Kill each with a transcript that tells it apart, or set it aside in solutions/${lesson.slug}/${SET_ASIDE_FILE} with its reason:`,
    );
    for (const mutant of result.survivors) lines.push(`    ${entryFor(mutant)},`);
  }
  for (const entry of result.unused)
    lines.push(
      `  stale: solutions/${lesson.slug}/${SET_ASIDE_FILE} sets aside ${entry.file} ${entry.mutator} \`${entry.original}\`, which no survivor matches: remove it`,
    );
  return lines;
}

runMain(main);
