// What a person reads about a stage: its heading, a line or a diff per scenario, and the verdict with what to do next.
import { join, relative } from 'node:path';
import type { Palette } from '../kernel/colours.ts';
import { renderDiff } from './diff.ts';
import { compileError, explainFailure, indent } from '../scenario/explain.ts';
import { seconds, wrap } from '../kernel/text.ts';
import type { ScenarioResult } from '../scenario/scenario.ts';
import type { StageResult } from '../grade/stage.ts';

export function formatScenario(result: ScenarioResult, colours: Palette, cwd: string, width = Infinity): string {
  if (result.passed) return `  ${colours.green('✓')} ${result.name} ${colours.dim(`(${seconds(result.durationMs)})`)}`;
  const lines = [`  ${colours.red('✗')} ${result.name} ${colours.dim(`(${seconds(result.durationMs)})`)}`];
  const failure = result.failure!;
  // A compile error is the whole story: a diff of a program that never ran adds only noise.
  if (!compileError(failure.stderr, cwd)) {
    lines.push(colours.dim('    - expected (the transcript)   + actual (what happened)'));
    lines.push(indent(renderDiff(result.expected, result.actual, colours)));
    lines.push('');
  }
  const stderrInDiff = failure.stderr?.every((line) => result.actual.includes(line)) ?? false;
  const [sentence, ...stderr] = explainFailure(failure, cwd, stderrInDiff).split('\n');
  // Indented by four under its scenario, so four columns fewer.
  lines.push(indent([wrap(sentence, width - 4), ...stderr].join('\n')));
  return lines.join('\n');
}

export interface StageReportContext {
  title: string;
  /** The lesson's hints: a failing check points to them, one at a time, and never prints them all. */
  hints?: { command: string; seen: number; total: number };
  /** The command that checks the stage again, and the one for the next lesson (if any). */
  againCommand: string;
  nextCommand?: string;
  cwd: string;
  /** Under --watch a save checks again, so the advice is to save, not to run a command. */
  watching?: boolean;
  /** Files of the lesson that still hold a `// TODO:`: work to do, whether or not a transcript starts them. */
  todoFiles?: string[];
}

/** `dir/server.ts`, or `dir/{server.ts,tcp-server.ts}` for a lesson with several programs. */
function programPaths(programDir: string, names: string[], cwd: string): string {
  return names.length === 1
    ? relative(cwd, join(programDir, names[0]))
    : `${relative(cwd, programDir)}/{${names.join(',')}}`;
}

/** The line a stage report starts with, printed before any scenario has run: the lesson and the files it is about. */
export function formatStageHeading(
  stage: Pick<StageResult, 'lesson' | 'programDir' | 'programs'>,
  context: StageReportContext,
  colours: Palette,
  width = Infinity,
): string {
  const heading = `Lesson ${stage.lesson.number}: ${context.title}`;
  const names = [...new Set([...stage.programs, ...(context.todoFiles ?? [])])];
  const files = programPaths(stage.programDir, names, context.cwd);
  const fits = heading.length + 2 + files.length <= width;
  return colours.bold(heading) + (fits ? colours.dim(`  ${files}`) : `\n${colours.dim(files)}`);
}

/** What a stage report ends with: the verdict, where to look for help, and the next command to run. */
export function formatStageVerdict(
  stage: StageResult,
  context: StageReportContext,
  colours: Palette,
  width = Infinity,
): string {
  const { lesson } = stage;
  const out = [''];
  if (stage.passed) {
    out.push(colours.green(`Stage ${lesson.number} passes (${stage.total} scenarios, ${seconds(stage.durationMs)}).`));
    out.push(context.nextCommand ? `Next: ${context.nextCommand}` : 'That was the last lesson. Well done.');
    return out.join('\n');
  }
  const failing = stage.scenarios.filter((scenario) => !scenario.passed);
  const failed = failing.length;
  const failingPrograms = stage.programs.filter((name) => failing.some((scenario) => scenario.program === name));
  const toEdit = [...new Set([...failingPrograms, ...(context.todoFiles ?? [])])];
  const { hints } = context;
  if (hints && hints.total > 0) {
    const next =
      hints.seen < hints.total
        ? `Stuck? ${hints.command} shows the next hint (${hints.seen} of ${hints.total} seen).`
        : `Stuck? You have seen all ${hints.total} hints: ${hints.command} -- --again shows them from the first.`;
    out.push(wrap(colours.yellow(next), width));
    out.push('');
  }
  const verdict = `${failed} of ${stage.total} scenarios failed.`;
  const then = context.watching
    ? 'and save: the check runs again by itself.'
    : `then run ${context.againCommand} again.`;
  const advice = wrap(`${verdict} Edit ${programPaths(stage.programDir, toEdit, context.cwd)}, ${then}`, width);
  out.push(colours.red(verdict) + advice.slice(verdict.length));
  return out.join('\n');
}

/** The whole report of a stage at once: heading, one entry per scenario, verdict. */
export function formatStage(
  stage: StageResult,
  context: StageReportContext,
  colours: Palette,
  width = Infinity,
): string {
  const scenarios = stage.scenarios.map((scenario) => formatScenario(scenario, colours, context.cwd, width));
  const heading = formatStageHeading(stage, context, colours, width);
  return [heading, ...scenarios, formatStageVerdict(stage, context, colours, width)].join('\n');
}
