// npm run check: every stage at once. --solutions proves the workbook itself; --work DIR grades a learner's copy or a class.
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseCommandLine, parseTimeout, parseWholeNumber, type CommandHelp } from './kernel/args.ts';
import { stopProgramsOnInterrupt } from './run/interrupt.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { findLesson, listLessons, WORKBOOK_ROOT } from './course/lessons.ts';
import { gradeOwnWork, hasLesson } from './grade/class.ts';
import { stagesPassed, type ClassGrade, type LearnerGrade } from './grade/grades.ts';
import { findLearners, isClassFolder, refusedLessons } from './grade/learners.ts';
import { gradeWork, planWork } from './sandbox/class.ts';
import { killAllGraders } from './sandbox/learner.ts';
import { proveWorkbook } from './proof/proof.ts';
import { reportToClassroom } from './reporters/classroom.ts';
import { toJsonText } from './reporters/json.ts';
import { toJunit } from './reporters/junit.ts';
import { formatClassTable, printLearner, sandboxNote, topNote } from './reporters/table.ts';
import { liveProgress } from './reporters/live.ts';
import { CONCURRENCY, DEFAULT_TIMING, loadScenarios } from './grade/stage.ts';
import { palette } from './kernel/colours.ts';
import { seconds } from './kernel/text.ts';

const HELP: CommandHelp = {
  usage:
    'npm run check [-- --solutions [--lesson N] | --work DIR [DIR ...]] [--reporter table|json|junit|github] [--output FILE] [--repeat K] [--timeout MS] [--one-at-a-time] [--learner-timeout S]',
  about:
    "Checks every stage at once: your own lessons, the workbook itself (--solutions), or learners' copies (--work).",
  flags: [
    ['--solutions', 'prove the workbook: every solution passes, every starter and previous solution fails'],
    ['--lesson N', 'with --solutions: prove lesson N only (repeat it for more lessons)'],
    ['--work DIR ...', "grade a learner's copy of the workbook, or a folder of them (a class)"],
    ['--reporter NAME', 'table (default), json, junit, or github (GitHub Classroom)'],
    ['--output FILE', "write the json, junit or github report to FILE (npm's banner makes `> FILE` not JSON)"],
    ['--one-at-a-time', 'grade learners one after another, never two side by side'],
    ['--learner-timeout S', "stop a learner's grading after S seconds (default: what the transcripts' timeouts allow)"],
    ['--repeat K', 'run every scenario K times (1-100): a scenario that differs between runs is flaky'],
    ['--timeout MS', 'wait up to MS milliseconds per step (default 2000)'],
    ['--root DIR', 'the course to check (default: this workbook)'],
  ],
  example: 'npm run check -- --work ../class --reporter junit --output grades.xml',
};
const USAGE = HELP.usage;
const REPORTERS = ['table', 'json', 'junit', 'github'] as const;
type Reporter = (typeof REPORTERS)[number];

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      solutions: { type: 'boolean', default: false },
      lesson: { type: 'string', multiple: true },
      work: { type: 'string', multiple: true },
      reporter: { type: 'string', default: 'table' },
      output: { type: 'string' },
      'one-at-a-time': { type: 'boolean', default: false },
      'learner-timeout': { type: 'string' },
      repeat: { type: 'string' },
      timeout: { type: 'string' },
      root: { type: 'string' },
    },
    HELP,
  );
  // `--work A B C`: the folders after the first are positionals.
  if (positionals.length > 0 && !values.work)
    throw new WorkbookError(`unexpected argument '${positionals[0]}'\nusage: ${USAGE}`);
  if (values.solutions && values.work)
    throw new WorkbookError('--solutions checks the reference, --work checks a learner: choose one');
  const reporter = values.reporter as Reporter;
  if (!REPORTERS.includes(reporter))
    throw new WorkbookError(`--reporter takes ${REPORTERS.join(', ')}, got '${values.reporter}'`);
  if (values.output !== undefined && reporter === 'table')
    throw new WorkbookError('--output writes the json, junit or github report: add --reporter json, junit or github');
  const repeat =
    values.repeat === undefined
      ? 1
      : parseWholeNumber(values.repeat, { flag: '--repeat', min: 1, max: 100, unit: 'a number of runs' });
  if (values.solutions && (reporter !== 'table' || repeat !== 1))
    throw new WorkbookError('--solutions prints its own table: --reporter and --repeat are for grading');
  const learnerTimeout =
    values['learner-timeout'] === undefined
      ? undefined
      : parseWholeNumber(values['learner-timeout'], {
          flag: '--learner-timeout',
          min: 1,
          max: 86_400,
          unit: 'seconds',
        });
  if (learnerTimeout !== undefined && !values.work)
    throw new WorkbookError("--learner-timeout is for grading learners' copies: add --work DIR");
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const lessons = listLessons(root);
  const timing = { ...DEFAULT_TIMING, stepTimeoutMs: parseTimeout(values.timeout, DEFAULT_TIMING.stepTimeoutMs) };
  stopProgramsOnInterrupt(killAllGraders);
  const colours = palette();
  if (values.lesson && !values.solutions)
    throw new WorkbookError('--lesson N picks the lessons --solutions proves: add --solutions');
  const only = values.lesson?.map((text) => findLesson(lessons, text, 'check -- --solutions --lesson'));
  if (values.solutions) return proveWorkbook(root, lessons, timing, colours, only);
  const learners = values.work ? findLearners([...values.work, ...positionals]) : [{ name: basename(root), dir: root }];
  if (reporter === 'github' && learners.length > 1)
    throw new WorkbookError('--reporter github grades one learner (their repository): give one --work DIR, or none');
  // As each stage (one learner) or each learner (a class) finishes; on stderr when stdout is a document.
  const print = reporter === 'table' ? (line: string) => console.log(line) : (line: string) => console.error(line);
  // Once per learner: it resolves every lesson's links.
  const refused = new Map(learners.map((learner) => [learner, refusedLessons(learner, lessons)]));
  const counted = lessons.map((lesson) => ({
    lesson,
    scenarios: loadScenarios(lesson).length,
    present: (learner: (typeof learners)[number]) =>
      hasLesson(learner, lesson) && !refused.get(learner)!.has(lesson.slug),
  }));
  // Without a sandbox, the report says so first, before anything is graded.
  const top = values.work && reporter === 'table' ? topNote(planWork().confinement) : '';
  if (top) console.log(`${top}\n`);
  const onScenario = liveProgress(learners, counted, repeat, print, colours);
  // Someone else's code: each learner graded on its own, in a sandbox where bubblewrap can make one.
  const grades = values.work
    ? await gradeWork(learners, lessons, root, timing, {
        repeat,
        oneAtATime: values['one-at-a-time'],
        learnerTimeoutMs: learnerTimeout === undefined ? undefined : learnerTimeout * 1000,
        onScenario,
      })
    : await gradeOwnWork(learners[0], lessons, root, timing, { repeat, onScenario });
  if (reporter === 'table') console.log('');
  const passing = grades.learners.filter((learner) => gradedAll(learner, grades)).length;
  const write = (text: string): void =>
    values.output === undefined ? console.log(text) : writeFileSync(resolve(values.output), `${text}\n`);
  if (reporter === 'json') write(toJsonText(grades));
  else if (reporter === 'junit') write(toJunit(grades));
  else if (reporter === 'github') reportToClassroom(grades, values.output);
  else {
    if (learners.length === 1 && !values.work?.some((dir) => isClassFolder(resolve(dir))))
      printLearner(grades, colours);
    else {
      console.log(formatClassTable(grades, colours));
      const atOnce = grades.learnersAtOnce ?? 1;
      console.log(
        `\n${passing} of ${learners.length} learners pass every stage (${seconds(grades.durationMs)}, ${atOnce === 1 ? '' : `${atOnce} learners and `}${CONCURRENCY} scenarios at a time).${sandboxNote(grades)}`,
      );
    }
  }
  // A grader that failed says so after its reports, and never ends as if everyone passed.
  if (grades.internalError) {
    process.stderr.write(`internal error (please report it): ${grades.internalError}\n`);
    return EXIT.internal;
  }
  return passing === learners.length ? EXIT.pass : EXIT.fail;
}

const gradedAll = (learner: LearnerGrade, grades: ClassGrade): boolean =>
  !learner.notGraded && stagesPassed(learner) === grades.lessons.length;

runMain(main);
