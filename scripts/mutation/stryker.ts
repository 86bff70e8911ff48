// Runs StrykerJS over one lesson's reference files, with the stage's own check of the reference as the test.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WorkbookError } from '../kernel/errors.ts';
import type { Lesson } from '../course/lessons.ts';
import { transcriptFiles } from '../course/lessons.ts';
import type { Mutant, Status } from './score.ts';

/** Where the reports go: NN-slug.json (mutation-testing-report schema), NN-slug.html, and what the run was of. */
export const REPORTS = join('reports', 'mutation');

/** The reference's own programs: the .ts files of its folder, not its mutants or alternatives. */
export function referenceFiles(lesson: Lesson): string[] {
  return readdirSync(lesson.solutionDir)
    .filter((name) => name.endsWith('.ts') && statSync(join(lesson.solutionDir, name)).isFile())
    .sort()
    .map((name) => join(lesson.solutionDir, name));
}

function hashFiles(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** What a previous run was of: the code mutated, and the check (transcripts and runner) that judged it. */
export interface Inputs {
  code: string;
  check: string;
}

export function lessonInputs(lesson: Lesson, root: string): Inputs {
  const runner = filesUnder(join(root, 'scripts')).filter((file) => !file.includes(`${join('scripts', 'mutation')}`));
  return {
    code: hashFiles(referenceFiles(lesson)),
    check: hashFiles([...transcriptFiles(lesson), join(lesson.dir, 'README.md'), ...runner].filter(existsSync)),
  };
}

export interface ReportPaths {
  json: string;
  html: string;
  incremental: string;
  inputs: string;
}

export function reportPaths(lesson: Lesson, root: string): ReportPaths {
  const base = join(root, REPORTS, lesson.slug);
  return {
    json: `${base}.json`,
    html: `${base}.html`,
    incremental: `${base}.incremental.json`,
    inputs: `${base}.inputs.json`,
  };
}

export function readInputs(paths: ReportPaths): Inputs | undefined {
  if (!existsSync(paths.inputs) || !existsSync(paths.json)) return undefined;
  try {
    return JSON.parse(readFileSync(paths.inputs, 'utf8')) as Inputs;
  } catch {
    return undefined;
  }
}

/** A report's mutants, each with the code it replaces cut from the report's own copy of the source. */
export function readMutants(reportFile: string, lesson: Lesson, root: string): Mutant[] {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    files: Record<string, { source: string; mutants: ReportMutant[] }>;
  };
  const mutants: Mutant[] = [];
  for (const [name, file] of Object.entries(report.files)) {
    const lines = file.source.split('\n');
    const relativeName = relative(lesson.solutionDir, join(root, name));
    for (const mutant of file.mutants) {
      const replacement = mutant.replacement ?? '';
      mutants.push({
        file: relativeName,
        mutator: mutant.mutatorName,
        original: cut(lines, mutant.location),
        replacement,
        status: mutant.status,
        line: mutant.location.start.line,
        diff: shortDiff(lines, mutant.location, replacement),
      });
    }
  }
  return mutants;
}

interface Position {
  line: number;
  column: number;
}
interface ReportMutant {
  mutatorName: string;
  replacement?: string;
  status: Status;
  location: { start: Position; end: Position };
}

/** The text between two 1-based positions, the end exclusive. */
function cut(lines: string[], { start, end }: { start: Position; end: Position }): string {
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  const middle = lines.slice(start.line, end.line - 1);
  return [lines[start.line - 1].slice(start.column - 1), ...middle, lines[end.line - 1].slice(0, end.column - 1)].join(
    '\n',
  );
}

/** The lines the mutant touches, before (`-`) and after (`+`), at most a few of each. */
function shortDiff(lines: string[], { start, end }: { start: Position; end: Position }, replacement: string): string[] {
  const MAX = 4;
  const before = lines.slice(start.line - 1, end.line);
  const after = (
    lines[start.line - 1].slice(0, start.column - 1) +
    replacement +
    lines[end.line - 1].slice(end.column - 1)
  ).split('\n');
  const clip = (sign: string, part: string[]): string[] => [
    ...part.slice(0, MAX).map((line) => `${sign} ${line}`),
    ...(part.length > MAX ? [`${sign} ... (${part.length - MAX} more lines)`] : []),
  ];
  return [...clip('-', before), ...clip('+', after)];
}

export interface RunOptions {
  /** Test runners at once. */
  concurrency: number;
  /** Reuse the previous run's results for the code that did not change (the check is the same). */
  incremental: boolean;
  /** The check's step timeout, passed on as `--timeout`. */
  stepTimeoutMs: number;
  /** Stryker's own progress: a line redrawn in a terminal, or a line every ten seconds in a log. */
  progress: 'terminal' | 'log';
}

/** Stryker's options for the lesson: its reference files mutated, its stage's check of the reference as the test. */
export function strykerOptions(lesson: Lesson, root: string, options: RunOptions): Record<string, unknown> {
  const paths = reportPaths(lesson, root);
  return {
    mutate: referenceFiles(lesson).map((file) => relative(root, file)),
    testRunner: 'command',
    // The stage's own check of the reference: a mutant is killed when the check fails.
    commandRunner: {
      command: `node scripts/lesson.ts ${lesson.number} --solution --timeout ${options.stepTimeoutMs}`,
    },
    coverageAnalysis: 'off',
    concurrency: options.concurrency,
    // The check ends every step on its own timeout; Stryker's own limit is only for a runner that hangs.
    timeoutMS: 60_000,
    reporters: ['json', 'html', options.progress === 'terminal' ? 'progress' : 'progress-append-only'],
    jsonReporter: { fileName: relative(root, paths.json) },
    htmlReporter: { fileName: relative(root, paths.html) },
    // Always written, so the next run can reuse it; reused only while the check itself is unchanged.
    incremental: true,
    incrementalFile: relative(root, paths.incremental),
    force: !options.incremental,
    // What the check needs is the runner, the lessons and the solutions; the suite's fixtures would only slow the copy.
    ignorePatterns: ['/test', '/docs', '/reports', '/.workbook', '/solutions/*/mutants', '/solutions/*/alternatives'],
    tempDirName: '.workbook/stryker-tmp',
    disableTypeChecks: false,
    // Stryker rewrites the tsconfig's outside paths with TypeScript's JavaScript API, which TypeScript 7 does not
    // have; ours has no outside paths, so it is given a name that is not there and nothing is rewritten.
    tsconfigFile: 'no-tsconfig-to-rewrite.json',
    logLevel: 'warn',
    fileLogLevel: 'off',
    allowConsoleColors: false,
    cleanTempDir: 'always',
  };
}

/** Runs Stryker over the lesson, writing its reports; the mutants come back as the JSON report has them. */
export async function runStryker(lesson: Lesson, root: string, options: RunOptions): Promise<Mutant[]> {
  const paths = reportPaths(lesson, root);
  mkdirSync(join(root, REPORTS), { recursive: true });
  const { Stryker } = await import('@stryker-mutator/core');
  const stryker = new Stryker(strykerOptions(lesson, root, options));
  try {
    await stryker.runMutationTest();
  } catch (error) {
    // Stryker's own failures (most often: the reference fails its own check in the dry run) are one line.
    const reason = (error as Error).message.split('\n')[0];
    throw new WorkbookError(
      `Stryker stopped on lesson ${lesson.number}: ${reason}. Check the reference first: npm run lesson ${lesson.number} -- --solution`,
      3,
    );
  }
  const mutants = readMutants(paths.json, lesson, root);
  writeFileSync(paths.inputs, `${JSON.stringify(lessonInputs(lesson, root), null, 2)}\n`);
  return mutants;
}
