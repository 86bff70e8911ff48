import { readFileSync } from 'node:fs';
import { mapPooled, CORES } from './pool.ts';
import { runScenario, type ScenarioOptions, type ScenarioResult } from './scenario.ts';
import { parseTranscript } from './transcript.ts';
import { transcriptFiles, type Lesson } from './course.ts';
import { WorkbookError } from './errors.ts';

export interface StageOptions extends Omit<ScenarioOptions, 'programFile'> {
  concurrency?: number;
  /** Stop starting scenarios after the first failure: enough to prove that a stage fails. */
  failFast?: boolean;
}

export interface StageResult {
  lesson: Lesson;
  programFile: string;
  scenarios: ScenarioResult[];
  passed: boolean;
  durationMs: number;
}

export const DEFAULT_TIMING = { stepTimeoutMs: 2000, startTimeoutMs: 10000, outputCap: 256 * 1024 };

/** Parses every transcript first, so a malformed one is reported before any program starts. */
export function loadScenarios(lesson: Lesson): { file: string; text: string; steps: ReturnType<typeof parseTranscript> }[] {
  const files = transcriptFiles(lesson);
  if (files.length === 0) throw new WorkbookError(`lesson ${lesson.number} has no transcripts in ${lesson.slug}/transcripts/`);
  return files.map((file) => {
    const text = readFileSync(file, 'utf8');
    return { file, text, steps: parseTranscript(text, file) };
  });
}

export async function runStage(lesson: Lesson, programFile: string, options: StageOptions): Promise<StageResult> {
  const started = Date.now();
  const scenarios = loadScenarios(lesson);
  let failed = false;
  const results = await mapPooled(scenarios, options.concurrency ?? CORES, async ({ file, text, steps }) => {
    if (failed && options.failFast) return undefined;
    const result = await runScenario(file, text, steps, { ...options, programFile });
    if (!result.passed) failed = true;
    return result;
  });
  const ran = results.filter((result): result is ScenarioResult => result !== undefined);
  return {
    lesson,
    programFile,
    scenarios: ran,
    passed: ran.length === scenarios.length && ran.every((result) => result.passed),
    durationMs: Date.now() - started,
  };
}
