import { join, relative } from 'node:path';
import pc from 'picocolors';
import { renderDiff } from './diff.ts';
import type { Failure, ScenarioResult } from '../run/scenario.ts';
import type { StageResult } from '../grade/stage.ts';

export type Palette = ReturnType<typeof pc.createColors>;

/** Colour only where it helps: a terminal that has not asked for NO_COLOR. */
export function palette(stream: NodeJS.WriteStream = process.stdout): Palette {
  const enabled = !('NO_COLOR' in process.env) && ('FORCE_COLOR' in process.env || stream.isTTY === true);
  return pc.createColors(enabled);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * How wide prose may be: a terminal's own width, so sentences break between words; output to a pipe or a file keeps
 * each sentence on one line, for grep and for whatever displays it.
 */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY ? Math.max(40, stream.columns ?? 80) : Infinity;
}

/** Word-wraps one line to `width` columns: the first line indented by `first`, the rest by `rest`. */
export function wrap(text: string, width: number, first = '', rest = first): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    const prefix = line === first || line === rest ? '' : ' ';
    if (line.length + prefix.length + word.length > width && line.trim() !== '') {
      lines.push(line);
      line = rest + word;
    } else line += prefix + word;
  }
  lines.push(line);
  return lines.join('\n');
}


function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : by + line))
    .join('\n');
}

/** The compiler's own words when the program did not compile: `file:line:col: message`. */
export function compileError(stderr: string[] | undefined, cwd: string): string | undefined {
  if (!stderr?.some((line) => line.includes('Transform failed'))) return undefined;
  for (const line of stderr) {
    const match = /^(.+?):(\d+):(\d+): ERROR: (.*)$/.exec(line);
    if (match) return `${relative(cwd, match[1]) || match[1]}:${match[2]}:${match[3]}: ${match[4]}`;
  }
  return undefined;
}

/** One plain sentence about the first failing step, then what the program said on stderr. */
export function explainFailure(failure: Failure, cwd: string, stderrInDiff = false): string {
  const compile = compileError(failure.stderr, cwd);
  if (compile) return `The program does not compile: ${compile}`;
  const where = failure.step ? `Line ${failure.step.line}, \`${failure.step.source}\`: ` : '';
  let text = where + failure.message;
  if (failure.stderr && !stderrInDiff) text += `\nThe program's stderr began with:\n${indent(failure.stderr.join('\n'), '  | ')}`;
  return text;
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
  hints: string[];
  /** The command that checks the stage again, and the one for the next lesson (if any). */
  againCommand: string;
  nextCommand?: string;
  cwd: string;
}

export function formatStage(stage: StageResult, context: StageReportContext, colours: Palette, width = Infinity): string {
  const { lesson } = stage;
  const where = (names: string[]): string =>
    names.length === 1 ? relative(context.cwd, join(stage.programDir, names[0])) : `${relative(context.cwd, stage.programDir)}/{${names.join(',')}}`;
  const heading = `Lesson ${lesson.number}: ${context.title}`;
  const files = where(stage.programs);
  const out = [colours.bold(heading) + (heading.length + 2 + files.length <= width ? colours.dim(`  ${files}`) : `\n${colours.dim(files)}`)];
  for (const scenario of stage.scenarios) out.push(formatScenario(scenario, colours, context.cwd, width));
  out.push('');
  if (stage.passed) {
    out.push(colours.green(`Stage ${lesson.number} passes (${stage.total} scenarios, ${seconds(stage.durationMs)}).`));
    out.push(context.nextCommand ? `Next: ${context.nextCommand}` : 'That was the last lesson. Well done.');
    return out.join('\n');
  }
  const failing = stage.scenarios.filter((scenario) => !scenario.passed);
  const failed = failing.length;
  const toEdit = stage.programs.filter((name) => failing.some((scenario) => scenario.program === name));
  if (context.hints.length > 0) {
    out.push(colours.yellow('Hints:'));
    for (const hint of context.hints) out.push(wrap(`- ${hint.replace(/\s*\n\s*/g, ' ')}`, width, '  ', '    '));
    out.push('');
  }
  const verdict = `${failed} of ${stage.total} scenarios failed.`;
  const advice = wrap(`${verdict} Edit ${where(toEdit)}, then run ${context.againCommand} again.`, width);
  out.push(colours.red(verdict) + advice.slice(verdict.length));
  return out.join('\n');
}

// Colour codes take no room on screen, so widths are measured without them.
const visibleLength = (text: string): number => text.replace(/\x1b\[[0-9;]*m/g, '').length;

/** A fixed-width table that stays readable without colour and within 80 columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => visibleLength(row[column]))));
  const pad = (cell: string, column: number): string => cell + ' '.repeat(widths[column] - visibleLength(cell));
  const line = (cells: string[]): string => cells.map(pad).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
