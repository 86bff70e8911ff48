// A stage: every scenario of a lesson against one folder of programs, many stages through one pool at once.
import { readFileSync } from 'node:fs';
import { mapPooled, CORES } from './pool.ts';
import { runScenario, type ScenarioOptions, type ScenarioResult } from '../scenario/scenario.ts';
import { parseTranscript, type Step } from '../transcript/parse.ts';
import { transcriptFiles, type Lesson } from '../course/lessons.ts';
import { WorkbookError } from '../kernel/errors.ts';

export type TimingOptions = Omit<ScenarioOptions, 'programDir' | 'courseRoot' | 'cwd'>;

export interface StageRequest {
  lesson: Lesson;
  /** The folder holding the programs the transcripts start: the lesson, its solution, or a learner's copy. */
  programDir: string;
  /** The workbook's root, for helper programs (`& PATH`). */
  courseRoot: string;
  /** Where the program runs: the course root, or a learner's copy. */
  cwd: string;
  /** Stop starting scenarios after the first failure: enough to prove that a stage fails. */
  failFast?: boolean;
  /** Who the program runs as and what it may read, for this request only (one learner's own). */
  sandbox?: ScenarioOptions['sandbox'];
  /** Run only the first N scenarios, in order: a mutant must fail by the one it names. */
  upTo?: number;
  /** Whether a scenario's result may be the machine's slowness, not the program's: it is then run once more, slower. */
  retry?: (file: string, result: ScenarioResult) => boolean;
}

/** How much longer each step may wait when a scenario is run again because the machine may have been busy. */
export const RETRY_SLOWDOWN = 3;

/** A failure that a busy machine can cause by itself: a wait that ran out, not something the program did. */
const WAIT_RAN_OUT = /^Waited |took longer than \d+ ms|still running .* after Ctrl-C/;

export const waitRanOut = (result: ScenarioResult): boolean =>
  !result.passed && WAIT_RAN_OUT.test(result.failure?.message ?? '');

/** The most scenarios of one graded stage run again: a busy machine's few, never all of a lesson not done yet. */
export const MOST_GRADING_RETRIES = 3;

/** For one graded stage: its first few scenarios whose wait ran out are run again, slower, and that run is the grade. */
export function retryGradedWhenSlow(): NonNullable<StageRequest['retry']> {
  let left = MOST_GRADING_RETRIES;
  return (_file, result) => waitRanOut(result) && left-- > 0;
}

export interface StageResult extends StageRequest {
  /** The lesson's programs the transcripts start, such as `server.ts`. */
  programs: string[];
  scenarios: ScenarioResult[];
  /** How many scenarios the lesson has, run or not. */
  total: number;
  passed: boolean;
  durationMs: number;
}

export const DEFAULT_TIMING: TimingOptions = { stepTimeoutMs: 2000, startTimeoutMs: 10000, outputCap: 256 * 1024 };

interface Scenario {
  file: string;
  text: string;
  steps: Step[];
}

/** The files a lesson's transcripts start with `$ NAME`, in order of first use. */
export function programsOf(scenarios: Scenario[]): string[] {
  const names = scenarios.flatMap((scenario) =>
    scenario.steps.flatMap((step) => (step.kind === 'start' ? [`${step.program}.ts`] : [])),
  );
  return [...new Set(names)];
}

/** Parses every transcript first, so a malformed one is reported before any program starts. */
export function loadScenarios(lesson: Lesson): Scenario[] {
  const files = transcriptFiles(lesson);
  if (files.length === 0)
    throw new WorkbookError(`lesson ${lesson.number} has no transcripts in lessons/${lesson.slug}/transcripts/`);
  return files.map((file) => {
    const text = readFileSync(file, 'utf8');
    return { file, text, steps: parseTranscript(text, file) };
  });
}

/** Runs many stages' scenarios through one pool, so a whole-course check keeps every core busy. */
/** More scenarios run at once than there are cores: a scenario mostly waits on its programs and its clients. */
export const CONCURRENCY = Math.min(4 * CORES, 16);

export interface StageHooks {
  concurrency?: number;
  /** Told as each scenario finishes, so results can be shown as they happen. */
  onScenario?: (request: StageRequest, result: ScenarioResult, index: number) => void;
  /** Told as each request's last scenario finishes (or is skipped), with the whole stage's result. */
  onStage?: (result: StageResult) => void;
}

interface StageState {
  request: StageRequest;
  results: ScenarioResult[];
  failed: boolean;
  started: number;
  finished: number;
  /** Scenarios not yet run or skipped: at 0 the stage is complete. */
  remaining: number;
}

export async function runStages(
  requests: StageRequest[],
  timing: TimingOptions,
  hooks: StageHooks = {},
): Promise<StageResult[]> {
  const loaded = new Map<Lesson, Scenario[]>();
  for (const { lesson } of requests) if (!loaded.has(lesson)) loaded.set(lesson, loadScenarios(lesson));
  const states: StageState[] = requests.map((request) => ({
    request,
    results: [],
    failed: false,
    started: 0,
    finished: 0,
    remaining: loaded.get(request.lesson)!.slice(0, request.upTo).length,
  }));
  const resultOf = ({ request, results, started, finished }: StageState): StageResult => {
    const scenarios = results.filter(Boolean);
    const total = loaded.get(request.lesson)!.length;
    return {
      ...request,
      programs: programsOf(loaded.get(request.lesson)!),
      scenarios,
      total,
      passed: scenarios.length === total && scenarios.every((result) => result.passed),
      durationMs: finished - started,
    };
  };
  const tasks = states.flatMap((state) =>
    loaded
      .get(state.request.lesson)!
      .slice(0, state.request.upTo)
      .map((scenario, index) => ({ state, scenario, index })),
  );
  const settle = (state: StageState): void => {
    if (--state.remaining === 0) hooks.onStage?.(resultOf(state));
  };
  await mapPooled(tasks, hooks.concurrency ?? CONCURRENCY, async ({ state, scenario, index }) => {
    if ((state.failed && state.request.failFast) || timing.signal?.aborted) return settle(state);
    state.started ||= Date.now();
    const run = (slowdown: number): Promise<ScenarioResult> =>
      runScenario(scenario.file, scenario.text, scenario.steps, {
        ...timing,
        stepTimeoutMs: timing.stepTimeoutMs * slowdown,
        startTimeoutMs: timing.startTimeoutMs * slowdown,
        timeScale: slowdown,
        programDir: state.request.programDir,
        courseRoot: state.request.courseRoot,
        cwd: state.request.cwd,
        sandbox: state.request.sandbox ?? timing.sandbox,
      });
    let result = await run(1);
    if (state.request.retry?.(scenario.file, result)) result = { ...(await run(RETRY_SLOWDOWN)), retried: true };
    state.results[index] = result;
    state.failed ||= !result.passed;
    state.finished = Date.now();
    hooks.onScenario?.(state.request, result, index);
    settle(state);
  });
  return states.map(resultOf);
}

export async function runStage(
  request: StageRequest,
  timing: TimingOptions,
  hooks: StageHooks = {},
): Promise<StageResult> {
  const [result] = await runStages([request], timing, hooks);
  return result;
}
