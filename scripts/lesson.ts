// npm run lesson N: checks one stage of the learner's work (or the reference, with --solution).
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseCommandLine, parseTimeout, type CommandHelp } from './kernel/args.ts';
import { onInterrupt, stopProgramsOnInterrupt } from './run/interrupt.ts';
import { filesWithTodo } from './course/files.ts';
import { readLessonText, WORKBOOK_ROOT, type Lesson } from './course/lessons.ts';
import { entryFor, lessonFromCommandLine, loadProgress, recordCheck } from './course/progress.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { palette } from './kernel/colours.ts';
import { formatScenario, formatStageHeading, formatStageVerdict, type StageReportContext } from './terminal/report.ts';
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
import { pollingWanted, watchLesson } from './course/watch.ts';

const HELP: CommandHelp = {
  usage: 'npm run lesson [N] [-- --solution] [--update] [--watch [--poll]] [--timeout MS] [--root COURSE_DIR]',
  about:
    "Checks one lesson: runs your program against the lesson's transcripts over real sockets. N defaults to the first lesson that does not pass yet.",
  flags: [
    ['--solution', 'check the reference solution instead of your work'],
    ['--watch', 'check again each time you save a file of the lesson; Ctrl-C stops'],
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
  timing: TimingOptions;
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      solution: { type: 'boolean', default: false },
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
  const job: Job = { root, lessons, lesson, solution: values.solution, watch: values.watch, timing };
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

/** Checks the stage once, printing results as they happen; a run stopped by `signal` prints no verdict or record. */
async function check(job: Job): Promise<StageResult>;
async function check(job: Job, signal: AbortSignal): Promise<StageResult | undefined>;
async function check(job: Job, signal?: AbortSignal): Promise<StageResult | undefined> {
  const { lesson, lessons, root } = job;
  const programDir = job.solution ? lesson.solutionDir : lesson.dir;
  const next = lessons[lessons.indexOf(lesson) + 1];
  const flags = [job.solution ? '--solution' : '', job.watch ? '--watch' : ''].filter(Boolean).join(' ');
  const flag = flags ? ` -- ${flags}` : '';
  const text = readLessonText(lesson);
  const context: StageReportContext = {
    title: text.title,
    hints: job.solution
      ? undefined
      : {
          command: `npm run hint ${lesson.number}`,
          seen: entryFor(loadProgress(root).progress, lesson).hintsShown,
          total: text.hints.length,
        },
    watching: job.watch,
    todoFiles: job.solution ? [] : filesWithTodo(programDir),
    againCommand: `npm run lesson ${lesson.number}${job.solution ? ' -- --solution' : ''}`,
    nextCommand: next && `npm run lesson ${next.number}${flag}`,
    cwd: process.cwd(),
  };
  const colours = palette();
  const width = outputWidth();
  const programs = programsOf(loadScenarios(lesson));
  console.log(formatStageHeading({ lesson, programDir, programs }, context, colours, width));
  const onScenario = inOrder((result) => {
    if (!signal?.aborted) console.log(formatScenario(result, colours, context.cwd, width));
  });
  const stage = await runStage(
    { lesson, programDir, courseRoot: root, cwd: root },
    { ...job.timing, signal },
    { onScenario },
  );
  if (signal?.aborted) return undefined;
  console.log(formatStageVerdict(stage, context, colours, width));
  // Only the learner's own work counts as progress; checking the reference says nothing about it.
  if (!job.solution) recordCheck(root, lesson, stage.passed);
  return stage;
}

/** --watch: checks again on every save of the lesson's programs or transcripts, until Ctrl-C. */
async function watchStage(job: Job, poll: boolean): Promise<number> {
  const { lesson } = job;
  const colours = palette();
  const programDir = job.solution ? lesson.solutionDir : lesson.dir;
  const transcripts = join(lesson.dir, 'transcripts');
  const shown = (path: string): string => relative(process.cwd(), path) || '.';
  const watched = `${shown(programDir)}/*.ts and ${shown(transcripts)}/*.txt`;
  const watcher = watchLesson(lesson, programDir, {
    poll,
    onSave: (path, interrupted) => {
      if (interrupted) console.log(colours.dim(`${shown(path)} changed: this check is stopped, and a new one starts.`));
    },
    run: async (signal) => {
      // Clearing is for a person at a terminal; a log or a pipe keeps every run.
      if (process.stdout.isTTY) console.clear();
      console.log(colours.dim(`Checking lesson ${lesson.number}...`));
      try {
        const stage = await check(job, signal);
        if (stage?.passed)
          console.log(colours.green('Still watching: change a file to check again, or go on to the next lesson.'));
      } catch (error) {
        // A transcript saved half-written is the learner's to fix: say so and keep watching.
        if (!(error instanceof WorkbookError)) throw error;
        console.log(colours.red(`error: ${error.message}`));
      }
      if (!signal.aborted) console.log(colours.dim(`Watching ${watched}${poll ? ' (polling)' : ''}. Ctrl-C to stop.`));
    },
  });
  const stopped = new Promise<number>((resolvePromise) => {
    onInterrupt(() =>
      watcher.close().then(() => {
        console.log(colours.dim('Stopped watching.'));
        resolvePromise(EXIT.pass);
      }),
    );
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
