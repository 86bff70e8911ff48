import { join, relative } from 'node:path';
import type { Palette } from './colours.ts';
import { renderDiff } from './diff.ts';
import { seconds, wrap } from './text.ts';
import type { Failure, ScenarioResult } from '../run/scenario.ts';
import type { StageResult } from '../grade/stage.ts';

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : by + line))
    .join('\n');
}

/** The compiler's own words when the program did not compile: `file:line:col: message`. */
export function compileError(stderr: string[] | undefined, cwd: string): string | undefined {
  if (!stderr) return undefined;
  const where = (file: string): string => relative(cwd, file) || file;
  // Node's own type stripping: `file:///path/server.ts:4`, the source, a caret line, then the SyntaxError.
  const error = stderr.findIndex((line) =>
    /^SyntaxError \[ERR_(?:INVALID|UNSUPPORTED)_TYPESCRIPT_SYNTAX\]: /.test(line),
  );
  if (error < 0) return v8SyntaxError(stderr, where);
  // Valid TypeScript that Node cannot erase (an enum, a parameter property) says why it is refused.
  const unsupported = stderr[error].includes('ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX')
    ? ' (Node runs a .ts file by erasing its types, so TypeScript that must be compiled cannot run: see lesson 00)'
    : '';
  const message = stderr[error].replace(/^SyntaxError \[\w+\]: /, '') + unsupported;
  const header = stderr.slice(0, error).findLastIndex((line) => /^(?:file:\/\/)?.+\.[mc]?ts:\d+$/.test(line));
  if (header < 0) return undefined;
  const [, file, line] = /^(?:file:\/\/)?(.+):(\d+)$/.exec(stderr[header])!;
  const caret = stderr.slice(header + 1, error).find((text) => /^\s*\^+\s*$/.test(text));
  const column = caret === undefined ? '' : `:${caret.indexOf('^') + 1}`;
  return `${where(decodeURIComponent(file))}:${line}${column}: ${message}`;
}

/** One plain sentence about the first failing step, then what the program said on stderr. */
export function explainFailure(failure: Failure, cwd: string, stderrInDiff = false): string {
  const compile = compileError(failure.stderr, cwd);
  if (compile) return `The program does not compile: ${compile}`;
  const where = failure.step ? `Line ${failure.step.line}, ${shownStep(failure.step.source)}: ` : '';
  let text = where + failure.message;
  // A crash says how it ended: the exit code is the first thing to know about it.
  if (failure.ended) text += ` The program ${failure.ended.replace(/^it /, '')}.`;
  if (failure.stderr && !stderrInDiff)
    text += `\nThe program's stderr began with:\n${indent(failure.stderr.join('\n'), '  | ')}`;
  return text;
}

/** A transcript line in a sentence; an empty stdout line (`\\` alone) is said in words. */
function shownStep(source: string): string {
  return source === '\\' ? '`\\` (an empty line)' : `\`${source}\``;
}

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

/** V8's own form (the TypeScript-compiler fallback when grading): `file:///x.ts:4`, the source, a caret, `SyntaxError: ...`. */
function v8SyntaxError(stderr: string[], where: (file: string) => string): string | undefined {
  const syntax = stderr.findIndex((line) => /^SyntaxError: /.test(line));
  if (syntax < 0) return undefined;
  // Thrown while parsing, its stack is all Node's own; one the program throws as it runs (JSON.parse) is not.
  const frames = stderr.slice(syntax + 1).filter((line) => /^\s+at /.test(line));
  if (frames.some((line) => !line.includes('node:internal'))) return undefined;
  const at = stderr.slice(0, syntax).findIndex((line) => /^(?:file:\/\/)?(\/.+|[A-Za-z]:.+):(\d+)$/.test(line));
  if (at < 0) return undefined;
  const [, file, line] = /^(?:file:\/\/)?(.+):(\d+)$/.exec(stderr[at])!;
  const caret = stderr.slice(at + 1, syntax).find((text) => /^\s*\^/.test(text));
  const column = caret ? caret.indexOf('^') + 1 : 1;
  return `${where(decodeURIComponent(file))}:${line}:${column}: ${stderr[syntax].slice('SyntaxError: '.length)}`;
}
