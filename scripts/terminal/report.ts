// What a person reads about a stage: its heading, a line per scenario, then one failure in full and what to do next.
import { join, relative } from 'node:path';
import type { Palette } from '../kernel/colours.ts';
import { renderDiff } from './diff.ts';
import { compileError, explainFailure, indent } from '../scenario/explain.ts';
import { plural, seconds, wrap } from '../kernel/text.ts';
import type { ScenarioResult } from '../scenario/scenario.ts';
import type { StageResult } from '../grade/stage.ts';
import { programFiles } from '../course/files.ts';
import { formatTypeError, MOST_TYPE_ERRORS, type TypeScriptError } from '../course/typescript.ts';

/** Lines as expected kept around each difference of a failure's diff: enough to see where it is. */
const DIFF_CONTEXT = 3;

/** A scenario's line as it finishes: `✓ echo (0.5 s)`, or `✗ echo (1.4 s)`, its failure shown after them all. */
export function formatScenarioLine(result: ScenarioResult, colours: Palette): string {
  const mark = result.passed ? colours.green('✓') : colours.red('✗');
  return `  ${mark} ${result.name} ${colours.dim(`(${seconds(result.durationMs)})`)}`;
}

/** A failing scenario in full: its diff (unless it never compiled) and the sentence that says what went wrong. */
export function formatFailure(result: ScenarioResult, colours: Palette, cwd: string, width = Infinity): string {
  const lines: string[] = [];
  const failure = result.failure!;
  // A compile error is the whole story: a diff of a program that never ran adds only noise.
  if (!compileError(failure.stderr, cwd)) {
    lines.push(colours.dim('    - expected (the transcript)   + actual (what happened)'));
    lines.push(indent(renderDiff(result.expected, result.actual, colours, { context: DIFF_CONTEXT })));
    lines.push('');
  }
  const stderrInDiff = failure.stderr?.every((line) => result.actual.includes(line)) ?? false;
  const [sentence, ...stderr] = explainFailure(failure, cwd, stderrInDiff).split('\n');
  // Indented by four under its scenario, so four columns fewer.
  lines.push(indent([wrap(sentence, width - 4), ...stderr].join('\n')));
  return lines.join('\n');
}

/** A scenario's line, and its failure in full under it when it failed (`--all`, and the report's tests). */
export function formatScenario(result: ScenarioResult, colours: Palette, cwd: string, width = Infinity): string {
  const line = formatScenarioLine(result, colours);
  return result.passed ? line : `${line}\n${formatFailure(result, colours, cwd, width)}`;
}

export interface StageReportContext {
  title: string;
  /** The lesson's hints: a failing check points to them, one at a time, and never prints them all. */
  hints?: { command: string; seen: number; total: number; for?: string };
  /** The command that checks the stage again, and the one for the next lesson (if any). */
  againCommand: string;
  nextCommand?: string;
  cwd: string;
  /** Under --watch a save checks again, so the advice is to save, not to run a command. */
  watching?: boolean;
  /** Every failing scenario was shown in full as it finished (`--all`): the end does not repeat the first. */
  all?: boolean;
  /** The command that shows every failure in full: `npm run lesson 4 -- --all`. */
  allCommand?: string;
  /** TypeScript's errors in the lesson's files, when the stage failed: shown first, the compiler's own words. */
  typeErrors?: TypeScriptError[];
}

/** `dir/server.ts`, or `dir/{server.ts,tcp-server.ts}` for several files. */
function filePaths(programDir: string, names: string[], cwd: string): string {
  return names.length === 1
    ? relative(cwd, join(programDir, names[0]))
    : `${relative(cwd, programDir)}/{${names.join(',')}}`;
}

/** What to edit after a failure: the failing scenarios' programs and the files they import, as the page says it too. */
export function filesToEdit(stage: Pick<StageResult, 'programDir' | 'programs' | 'scenarios'>): string[] {
  const failing = stage.scenarios.filter((scenario) => !scenario.passed);
  const programs = stage.programs.filter((name) => failing.some((scenario) => scenario.program === name));
  return programFiles(stage.programDir, programs);
}

/** The line a stage report starts with, printed before any scenario has run: the lesson and the files it is about. */
export function formatStageHeading(
  stage: Pick<StageResult, 'lesson' | 'programDir' | 'programs'>,
  context: StageReportContext,
  colours: Palette,
  width = Infinity,
): string {
  const heading = `Lesson ${stage.lesson.number}: ${context.title}`;
  const files = filePaths(stage.programDir, programFiles(stage.programDir, stage.programs), context.cwd);
  const fits = heading.length + 2 + files.length <= width;
  return colours.bold(heading) + (fits ? colours.dim(`  ${files}`) : `\n${colours.dim(files)}`);
}

/** TypeScript's errors, the first few, before anything else about a failure: the compiler names the cause. */
function typeErrorsBlock(
  errors: TypeScriptError[],
  compiled: string | undefined,
  context: StageReportContext,
): string[] {
  // Node's own message about a compile error is shown already: the compiler's word on the same line is not news.
  const shown = errors.filter((error) => !compiled?.startsWith(`${relative(context.cwd, error.file)}:${error.line}:`));
  if (shown.length === 0) return [];
  const lines = shown.slice(0, MOST_TYPE_ERRORS).map((error) => `  ${formatTypeError(error, context.cwd)}`);
  if (shown.length > MOST_TYPE_ERRORS)
    lines.push(`  ... and ${shown.length - MOST_TYPE_ERRORS} more (npm run typecheck lists them all)`);
  return [`TypeScript finds ${plural(shown.length, 'error')} in your files:`, ...lines, ''];
}

/** The first failing scenario in full; the others by name, or as the same compile error. */
function firstFailureBlock(failing: ScenarioResult[], colours: Palette, context: StageReportContext, width: number) {
  const [first, ...others] = failing;
  const out = [colours.red(`✗ ${first.name}`) + (others.length > 0 ? ', the first scenario that fails:' : ':')];
  out.push(formatFailure(first, colours, context.cwd, width), '');
  if (others.length === 0) return out;
  const compiled = compileError(first.failure?.stderr, context.cwd);
  const same = compiled && others.every((other) => compileError(other.failure?.stderr, context.cwd) === compiled);
  const names = others.map((other) => other.name).join(', ');
  const more = same
    ? `The other ${plural(others.length, 'scenario')} fail${others.length === 1 ? 's' : ''} the same way: the program does not compile.`
    : `Also failing: ${names}${context.allCommand ? ` (${context.allCommand} shows each in full)` : ''}.`;
  out.push(wrap(more, width), '');
  return out;
}

/** What a stage report ends with: the verdict, and after a failure its cause, where to look for help, what to edit. */
export function formatStageVerdict(
  stage: StageResult,
  context: StageReportContext,
  colours: Palette,
  width = Infinity,
): string {
  const { lesson } = stage;
  const out = [''];
  if (stage.passed) {
    out.push(
      colours.green(
        `Lesson ${lesson.number} passes (${plural(stage.total, 'scenario')}, ${seconds(stage.durationMs)}).`,
      ),
    );
    out.push(context.nextCommand ? `Next: ${context.nextCommand}` : 'That was the last lesson. Well done.');
    return out.join('\n');
  }
  const failing = stage.scenarios.filter((scenario) => !scenario.passed);
  const compiled = failing.map((scenario) => compileError(scenario.failure?.stderr, context.cwd)).find(Boolean);
  out.push(...typeErrorsBlock(context.typeErrors ?? [], compiled, context));
  if (!context.all && failing.length > 0) out.push(...firstFailureBlock(failing, colours, context, width));
  const { hints } = context;
  if (hints && hints.total > 0) {
    const which = hints.for ? `a hint for ${hints.for}` : 'the next hint';
    const next =
      hints.seen < hints.total
        ? `Stuck? ${hints.command} shows ${which} (${hints.seen} of ${hints.total} seen).`
        : `Stuck? You have seen all ${hints.total} hints: ${hints.command} -- --again shows them from the first.`;
    out.push(wrap(colours.yellow(next), width), '');
  }
  const verdict = `${failing.length} of ${plural(stage.total, 'scenario')} failed.`;
  const then = context.watching
    ? 'and save: the check runs again by itself.'
    : `then run ${context.againCommand} again.`;
  const advice = wrap(
    `${verdict} Edit ${filePaths(stage.programDir, filesToEdit(stage), context.cwd)}, ${then}`,
    width,
  );
  out.push(colours.red(verdict) + advice.slice(verdict.length));
  return out.join('\n');
}

/** The whole report of a stage at once: heading, a line per scenario (each failure in full with `all`), verdict. */
export function formatStage(
  stage: StageResult,
  context: StageReportContext,
  colours: Palette,
  width = Infinity,
): string {
  const scenarios = stage.scenarios.map((scenario) =>
    context.all ? formatScenario(scenario, colours, context.cwd, width) : formatScenarioLine(scenario, colours),
  );
  const heading = formatStageHeading(stage, context, colours, width);
  return [heading, ...scenarios, formatStageVerdict(stage, context, colours, width)].join('\n');
}
