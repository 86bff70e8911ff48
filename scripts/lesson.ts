// npm run lesson N: checks one stage of the learner's work (or the reference, with --solution).
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseCommandLine, parseTimeout, type CommandHelp } from './kernel/args.ts';
import { onInterrupt, stopProgramsOnInterrupt } from './run/interrupt.ts';
import { programFiles } from './course/files.ts';
import { showNextHint, upcomingHint } from './course/hints.ts';
import { readLessonTitle, WORKBOOK_ROOT, type Lesson } from './course/lessons.ts';
import { lessonFromCommandLine, loadProgress, recordCheck } from './course/progress.ts';
import { typeErrors, type TypeScriptError } from './course/typescript.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { palette } from './kernel/colours.ts';
import {
  formatScenario,
  formatScenarioLine,
  formatStageHeading,
  formatStageVerdict,
  type StageReportContext,
} from './terminal/report.ts';
import { formatCourse } from './terminal/course-table.ts';
import { formatHint } from './terminal/hint.ts';
import { Keys } from './terminal/keys.ts';
import { outputWidth } from './kernel/text.ts';
import {
  DEFAULT_TIMING,
  loadScenarios,
  programsOf,
  runStage,
  type StageResult,
  type TimingOptions,
} from './grade/stage.ts';
import type { ScenarioResult } from './scenario/scenario.ts';
import { pollingWanted, watchLesson, type CheckWatcher } from './course/watch.ts';

const HELP: CommandHelp = {
  usage: 'npm run lesson [N] [-- --solution] [--all] [--update] [--watch [--poll]] [--timeout MS] [--root COURSE_DIR]',
  about:
    "Checks one lesson: runs your program against the lesson's transcripts over real sockets. N defaults to the first lesson that does not pass yet.",
  flags: [
    ['--solution', 'check the reference solution instead of your work'],
    ['--all', 'show every failing scenario in full, not only the first'],
    ['--watch', 'check again each time you save a file of the lesson; keys: h hint, n next lesson, l list, q quit'],
    ['--poll', 'with --watch: poll for saves (network drives, WSL); WORKBOOK_POLL=1 does the same'],
    ['--timeout MS', 'wait up to MS milliseconds per step (default 2000), for a slow machine'],
    ['--update', "with --solution: rewrite the transcripts from what the solution did (the workbook's authors)"],
    ['--root DIR', 'the course to use (default: this workbook)'],
  ],
  example: 'npm run lesson 4 -- --watch',
};

/** Everything one check of the chosen stage needs, so --watch can repeat it. */
interface Job {
  root: string;
  lessons: Lesson[];
  lesson: Lesson;
  solution: boolean;
  watch: boolean;
  all: boolean;
  timing: TimingOptions;
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      solution: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      update: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      root: { type: 'string' },
      watch: { type: 'boolean', default: false },
      poll: { type: 'boolean', default: false },
    },
    HELP,
  );
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const { lessons, lesson } = lessonFromCommandLine(root, positionals, 'lesson');
  if (values.update && !values.solution) {
    throw new WorkbookError(
      '--update rewrites the transcripts from the reference solution, never from your own work: add --solution',
    );
  }
  if (values.update && values.watch)
    throw new WorkbookError('--update rewrites the transcripts once: run it without --watch');
  if (values.poll && !values.watch)
    throw new WorkbookError('--poll only changes how --watch notices saves: add --watch');
  const timing = { ...DEFAULT_TIMING, stepTimeoutMs: parseTimeout(values.timeout, DEFAULT_TIMING.stepTimeoutMs) };
  const job: Job = { root, lessons, lesson, solution: values.solution, watch: values.watch, all: values.all, timing };
  if (values.watch) return watchStage(job, pollingWanted(values.poll));
  stopProgramsOnInterrupt();
  const stage = await check(job);
  if (values.update)
    return update(
      stage.scenarios.map((s, i) => ({ ...s, file: join(lesson.dir, 'transcripts', `${s.name}.txt`), index: i })),
    );
  return stage.passed ? EXIT.pass : EXIT.fail;
}

/** Prints each scenario's line as it finishes, in transcript order: a later one waits for the earlier ones. */
function inOrder(
  print: (result: ScenarioResult) => void,
): (request: unknown, result: ScenarioResult, index: number) => void {
  const done: ScenarioResult[] = [];
  let next = 0;
  return (_request, result, index) => {
    done[index] = result;
    for (; done[next] !== undefined; next++) print(done[next]);
  };
}

/** The command as typed with its flags, plus more: `npm run lesson 4 -- --watch --all`. */
function commandFor(job: Job, lesson: Lesson, ...more: string[]): string {
  const flags = [job.solution ? '--solution' : '', job.watch ? '--watch' : '', ...more].filter(Boolean).join(' ');
  return `npm run lesson ${lesson.number}${flags ? ` -- ${flags}` : ''}`;
}

/** Checks the stage once, printing results as they happen; a run stopped by `signal` prints no verdict or record. */
async function check(job: Job): Promise<StageResult>;
async function check(job: Job, signal: AbortSignal): Promise<StageResult | undefined>;
async function check(job: Job, signal?: AbortSignal): Promise<StageResult | undefined> {
  const { lesson, lessons, root } = job;
  const programDir = job.solution ? lesson.solutionDir : lesson.dir;
  const next = lessons[lessons.indexOf(lesson) + 1];
  const context: StageReportContext = {
    title: readLessonTitle(lesson),
    watching: job.watch,
    all: job.all,
    allCommand: job.all ? undefined : commandFor(job, lesson, '--all'),
    againCommand: `npm run lesson ${lesson.number}${job.solution ? ' -- --solution' : ''}`,
    nextCommand: next && commandFor(job, next),
    cwd: process.cwd(),
  };
  const colours = palette();
  const width = outputWidth();
  const programs = programsOf(loadScenarios(lesson));
  console.log(formatStageHeading({ lesson, programDir, programs }, context, colours, width));
  // TypeScript's view is asked for at the first failure, while the rest still run: a passing stage pays nothing.
  let typeCheck: Promise<TypeScriptError[]> | undefined;
  const onScenario = inOrder((result) => {
    if (signal?.aborted) return;
    if (!result.passed) typeCheck ??= typeErrors(programDir, programFiles(programDir, programs));
    console.log(job.all ? formatScenario(result, colours, context.cwd, width) : formatScenarioLine(result, colours));
  });
  const stage = await runStage(
    { lesson, programDir, courseRoot: root, cwd: root },
    { ...job.timing, signal },
    { onScenario },
  );
  context.typeErrors = stage.passed
    ? []
    : await (typeCheck ?? typeErrors(programDir, programFiles(programDir, programs)));
  if (signal?.aborted) return undefined;
  // Only the learner's own work counts as progress; checking the reference says nothing about it.
  const failing = stage.scenarios.filter((scenario) => !scenario.passed).map((scenario) => scenario.name);
  if (!job.solution) {
    recordCheck(root, lesson, stage.passed, failing);
    const upcoming = upcomingHint(root, lesson);
    context.hints = { command: `npm run hint ${lesson.number}`, ...upcoming };
  }
  console.log(formatStageVerdict(stage, context, colours, width));
  return stage;
}

/** --watch: checks again on every save of the lesson's programs or transcripts; keys for hint, next, list and quit. */
async function watchStage(first: Job, poll: boolean): Promise<number> {
  const colours = palette();
  let job = first;
  let passed = false;
  const shown = (path: string): string => relative(process.cwd(), path) || '.';
  const nextLesson = (): Lesson | undefined => job.lessons[job.lessons.indexOf(job.lesson) + 1];
  const keysLine = (): string => {
    const next = nextLesson();
    const keys = [`h a hint`, next ? `n lesson ${next.number}` : '', 'l the list', 'q quit'].filter(Boolean);
    return `Keys: ${keys.join(', ')} (Ctrl-C quits too).`;
  };
  const watch = (): CheckWatcher => {
    const { lesson } = job;
    const programDir = job.solution ? lesson.solutionDir : lesson.dir;
    const watched = `${shown(programDir)}/*.ts and ${shown(join(lesson.dir, 'transcripts'))}/*.txt`;
    return watchLesson(lesson, programDir, {
      poll,
      onSave: (path, interrupted) => {
        if (interrupted)
          console.log(colours.dim(`${shown(path)} changed: this check is stopped, and a new one starts.`));
      },
      run: async (signal) => {
        // Clearing is for a person at a terminal; a log or a pipe keeps every run.
        if (process.stdout.isTTY) console.clear();
        console.log(colours.dim(`Checking lesson ${lesson.number}...`));
        try {
          const stage = await check(job, signal);
          passed = stage?.passed === true;
          const next = nextLesson();
          if (passed && next)
            console.log(colours.green(`Press n to go on to lesson ${next.number}, or change a file to check again.`));
        } catch (error) {
          // A transcript saved half-written is the learner's to fix: say so and keep watching.
          if (!(error instanceof WorkbookError)) throw error;
          console.log(colours.red(`error: ${error.message}`));
        }
        if (!signal.aborted) {
          console.log(colours.dim(`Watching ${watched}${poll ? ' (polling)' : ''}.`));
          console.log(colours.dim(keysLine()));
        }
      },
    });
  };
  let watcher = watch();
  let stopping = false;
  const stopped = new Promise<number>((resolvePromise) => {
    const stop = (): Promise<void> =>
      watcher.close().then(() => {
        keys.close();
        console.log(colours.dim('Stopped watching.'));
        resolvePromise(EXIT.pass);
      });
    const keys = new Keys((key) => {
      if (stopping) return;
      if (key === 'q') {
        stopping = true;
        void stop();
      } else if (key === 'h' && !job.solution) {
        const hint = showNextHint(job.root, job.lesson);
        console.log(formatHint(job.lesson, hint, colours));
        console.log(colours.dim(keysLine()));
      } else if (key === 'l') {
        console.log(`\n${formatCourse(job.lessons, loadProgress(job.root).progress, colours)}`);
        console.log(colours.dim(keysLine()));
      } else if (key === 'n') {
        const next = nextLesson();
        if (!next) return void console.log('That was the last lesson: there is no next one.');
        job = { ...job, lesson: next };
        passed = false;
        void watcher.close().then(() => {
          watcher = watch();
          return watcher.start();
        });
      }
    });
    onInterrupt(() => {
      stopping = true;
      return stop();
    });
  });
  await watcher.start();
  return stopped;
}

function update(scenarios: { file: string; actual: string; expected: string; complete: boolean }[]): number {
  let refused = 0;
  for (const scenario of scenarios) {
    if (scenario.actual === scenario.expected) continue;
    if (!scenario.complete) {
      console.log(`not updated: ${scenario.file} (the run stopped early, so its record is incomplete)`);
      refused++;
      continue;
    }
    writeFileSync(scenario.file, `${scenario.actual}\n`);
    console.log(`updated: ${scenario.file}`);
  }
  return refused === 0 ? EXIT.pass : EXIT.fail;
}

runMain(main);
